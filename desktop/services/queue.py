"""The rows of the incident queue: open incidents with what a person needs to see at a glance."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from peewee import JOIN, ModelSelect, fn

from desktop.models.database import reads
from desktop.models.entities import Assignment, Department, Incident, Location, Topic
from desktop.models.enums import CLOSED_STATUSES, Importance, IncidentStatus, Network

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

    @property
    def is_high(self) -> bool:
        return self.importance is Importance.HIGH


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


def _row(record: dict[str, Any]) -> QueueRow:
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
    )


@reads
def open_queue() -> list[QueueRow]:
    """Every open incident, soonest answer deadline first (no deadline last)."""
    query = _query().order_by(
        Incident.answer_due_at.is_null(), Incident.answer_due_at, Incident.number
    )
    return [_row(record) for record in _dicts(query)]


@reads
def queue_rows(incident_ids: Iterable[int]) -> dict[int, QueueRow | None]:
    """Fresh rows for the given ids; None for an id that left the queue (closed or deleted)."""
    wanted = sorted(set(incident_ids))
    found: dict[int, QueueRow | None] = dict.fromkeys(wanted)
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        for record in _dicts(_query().where(Incident.id.in_(chunk))):
            found[record["id"]] = _row(record)
    return found


@reads
def incidents_of_assignments(assignment_ids: Iterable[int]) -> set[int]:
    ids = list(assignment_ids)
    query = Assignment.select(Assignment.incident).where(Assignment.id.in_(ids)).tuples()
    return {int(incident_id) for (incident_id,) in cast(Iterable[tuple[int]], query)}
