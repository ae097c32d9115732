"""The rows of the incident queue: open incidents with what a person needs to see at a glance."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from peewee import JOIN, ModelSelect, fn

from desktop.models.database import reads
from desktop.models.entities import Assignment, Department, Incident, Location, Step, Topic
from desktop.models.enums import CLOSED_STATUSES, Importance, IncidentStatus, Network, StepKind

SUMMARY_LENGTH = 120


@dataclass(frozen=True)
class QueueRow:
    incident_id: int
    number: int
    network: Network
    author: str
    summary: str  # the first line of the text, shortened
    topic: str
    location: str
    departments: str
    status: IncidentStatus
    importance: Importance
    detected_at: dt.datetime
    answer_due_at: dt.datetime | None
    version: int
    step: StepKind | None = None  # the running step that is due soonest
    step_started_at: dt.datetime | None = None
    step_due_at: dt.datetime | None = None
    step_rule: str = ""  # the regulation's paragraph behind that deadline

    @property
    def is_high(self) -> bool:
        return self.importance is Importance.HIGH


@dataclass(frozen=True)
class RunningStep:
    kind: StepKind
    started_at: dt.datetime
    due_at: dt.datetime | None
    rule: str


# Overall deadlines are shown in their own column; the running step is the work in hand.
_OVERALL = (StepKind.ANSWER, StepKind.FINAL_AFTER_INTERIM)


def running_step(steps: Iterable[RunningStep]) -> RunningStep | None:
    """The open step due soonest; steps without a deadline after those with one, and the
    overall answer deadline only when nothing else runs."""
    candidates = list(steps)
    work = [s for s in candidates if s.kind not in _OVERALL] or candidates
    if not work:
        return None
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    return min(work, key=lambda s: (s.due_at is None, s.due_at or far, s.started_at))


def _open_steps(incident_ids: Iterable[int] | None) -> dict[int, list[RunningStep]]:
    query = Step.select(Step.incident, Step.kind, Step.started_at, Step.due_at, Step.rule).where(
        Step.done_at.is_null()
    )
    if incident_ids is not None:
        query = query.where(Step.incident.in_(list(incident_ids)))
    found: dict[int, list[RunningStep]] = {}
    for incident_id, kind, started, due, rule in cast(Iterable[tuple[Any, ...]], query.tuples()):
        found.setdefault(int(incident_id), []).append(
            RunningStep(StepKind(kind), _moment(started), _moment(due), rule)
        )
    return found


def _moment(value: Any) -> Any:
    return Step.started_at.python_value(value) if isinstance(value, str) else value


def summary_of(text: str) -> str:
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return first if len(first) <= SUMMARY_LENGTH else first[: SUMMARY_LENGTH - 1] + "…"


def _query() -> ModelSelect[Incident]:
    departments = (
        Assignment.select(
            Assignment.incident,
            fn.GROUP_CONCAT(Department.name, ", ").alias("names"),
        )
        .join(Department)
        .group_by(Assignment.incident)
        .alias("deps")
    )
    return (
        Incident.select(
            Incident.id,
            Incident.number,
            Incident.network,
            Incident.author_name,
            Incident.text,
            Topic.name.alias("topic_name"),
            Location.name.alias("location_name"),
            departments.c.names.alias("department_names"),
            Incident.status,
            Incident.importance,
            Incident.detected_at,
            Incident.answer_due_at,
            Incident.version,
        )
        .join(Topic, JOIN.LEFT_OUTER, on=(Incident.topic == Topic.id))
        .switch(Incident)
        .join(Location, JOIN.LEFT_OUTER, on=(Incident.location == Location.id))
        .switch(Incident)
        .join(departments, JOIN.LEFT_OUTER, on=(departments.c.incident_id == Incident.id))
        .where(Incident.status.not_in([s.value for s in CLOSED_STATUSES]))
    )


def _dicts(query: ModelSelect[Incident]) -> Iterable[dict[str, Any]]:
    return cast(Iterable[dict[str, Any]], query.dicts())


def _row(record: dict[str, Any], steps: Iterable[RunningStep] = ()) -> QueueRow:
    running = running_step(steps)
    return QueueRow(
        incident_id=record["id"],
        number=record["number"],
        network=record["network"],
        author=record["author_name"],
        summary=summary_of(record["text"]),
        topic=record["topic_name"] or "",
        location=record["location_name"] or "",
        departments=record["department_names"] or "",
        status=record["status"],
        importance=record["importance"],
        detected_at=record["detected_at"],
        answer_due_at=record["answer_due_at"],
        version=record["version"],
        step=None if running is None else running.kind,
        step_started_at=None if running is None else running.started_at,
        step_due_at=None if running is None else running.due_at,
        step_rule="" if running is None else running.rule,
    )


@reads
def open_queue() -> list[QueueRow]:
    """Every open incident, soonest answer deadline first (no deadline last)."""
    query = _query().order_by(
        Incident.answer_due_at.is_null(), Incident.answer_due_at, Incident.number
    )
    steps = _open_steps(None)
    return [_row(record, steps.get(record["id"], ())) for record in _dicts(query)]


@reads
def queue_rows(incident_ids: Iterable[int]) -> dict[int, QueueRow | None]:
    """Fresh rows for the given ids; None for an id that left the queue (closed or deleted)."""
    wanted = sorted(set(incident_ids))
    found: dict[int, QueueRow | None] = dict.fromkeys(wanted)
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        steps = _open_steps(chunk)
        for record in _dicts(_query().where(Incident.id.in_(chunk))):
            found[record["id"]] = _row(record, steps.get(record["id"], ()))
    return found


@reads
def incidents_of_assignments(assignment_ids: Iterable[int]) -> set[int]:
    ids = list(assignment_ids)
    query = Assignment.select(Assignment.incident).where(Assignment.id.in_(ids)).tuples()
    return {int(incident_id) for (incident_id,) in cast(Iterable[tuple[int]], query)}


@reads
def incidents_of_steps(step_ids: Iterable[int]) -> set[int]:
    ids = list(step_ids)
    found: set[int] = set()
    for start in range(0, len(ids), 500):
        query = Step.select(Step.incident).where(Step.id.in_(ids[start : start + 500])).tuples()
        found |= {int(incident_id) for (incident_id,) in cast(Iterable[tuple[int]], query)}
    return found
