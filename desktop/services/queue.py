"""The rows of the incident queue: open incidents with what a person needs to see at a glance.

Read with three plain SQL statements (incidents, their departments, their open steps) and
converted by hand: the queue of ten thousand open messages in a database of two hundred
thousand loads in a fraction of a second, which peewee's per-field conversion would not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from desktop.models.database import bound_database, reads
from desktop.models.enums import CLOSED_STATUSES, Importance, IncidentStatus, Network, StepKind

SUMMARY_LENGTH = 120
_CHUNK = 500
_OPEN = tuple(s.value for s in IncidentStatus if s not in CLOSED_STATUSES)
_KINDS = {kind.value: kind for kind in StepKind}
_STATUSES = {status.value: status for status in IncidentStatus}
_NETWORKS = {network.value: network for network in Network}
_IMPORTANCE = {importance.value: importance for importance in Importance}


class QueueRow(NamedTuple):  # a named tuple: ten thousand are built at every start
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
    topic_id: int | None = None
    location_id: int | None = None
    department_ids: frozenset[int] = frozenset()
    # Employees the message is with: executors, whoever answers for an open step, the curator.
    people: frozenset[int] = frozenset()

    @property
    def is_high(self) -> bool:
        return self.importance is Importance.HIGH


class RunningStep(NamedTuple):
    kind: StepKind
    started_at: dt.datetime
    due_at: dt.datetime | None
    rule: str
    responsible: int | None = None


# An open step as read: kind, started and due as stored text (which sorts in time order),
# rule, responsible. Only the running step's moments are parsed.
_RawStep = tuple[str, str, str | None, str, int | None]


# Overall deadlines are shown in their own column; the running step is the work in hand.
_OVERALL = (StepKind.ANSWER, StepKind.FINAL_AFTER_INTERIM)
_OVERALL_VALUES = frozenset(kind.value for kind in _OVERALL)


def _running_raw(steps: Sequence[_RawStep]) -> RunningStep | None:
    work = [s for s in steps if s[0] not in _OVERALL_VALUES] or steps
    if not work:
        return None
    kind, started, due, rule, responsible = min(
        work, key=lambda s: (s[2] is None, s[2] or "", s[1])
    )
    started_at = _moment(started)
    assert started_at is not None
    return RunningStep(_KINDS[kind], started_at, _moment(due), rule, responsible)


def running_step(steps: Iterable[RunningStep]) -> RunningStep | None:
    """The open step due soonest; steps without a deadline after those with one, and the
    overall answer deadline only when nothing else runs."""
    candidates = list(steps)
    work = [s for s in candidates if s.kind not in _OVERALL] or candidates
    if not work:
        return None
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    return min(work, key=lambda s: (s.due_at is None, s.due_at or far, s.started_at))


def summary_of(text: str) -> str:
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return first if len(first) <= SUMMARY_LENGTH else first[: SUMMARY_LENGTH - 1] + "…"


def _moment(value: str | None) -> dt.datetime | None:
    return None if value is None else dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)


def _rows(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    return list(bound_database().execute_sql(sql, params).fetchall())


def _in(values: Sequence[Any]) -> str:
    return ", ".join("?" for _ in values)


# Incidents are picked either as "every open one" or as a list of ids.
_OPEN_WHERE = f'i."status" IN ({_in(_OPEN)})'


def _incidents(where: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    return _rows(
        'SELECT i."id", i."number", i."network", i."author_name", i."text", i."topic_id", '
        't."name", i."location_id", l."name", i."status", i."importance", i."detected_at", '
        'i."answer_due_at", i."version", i."curator_id" FROM "incident" i '
        'LEFT JOIN "topic" t ON t."id" = i."topic_id" '
        'LEFT JOIN "location" l ON l."id" = i."location_id" '
        f"WHERE {where} "
        'ORDER BY i."answer_due_at" IS NULL, i."answer_due_at", i."number"',
        params,
    )


def _departments(where: str, params: Sequence[Any]) -> dict[int, list[tuple[int, str, int | None]]]:
    found: dict[int, list[tuple[int, str, int | None]]] = {}
    for incident_id, department_id, name, executor in _rows(
        'SELECT a."incident_id", a."department_id", d."name", a."executor_id" '
        'FROM "assignment" a JOIN "incident" i ON i."id" = a."incident_id" '
        'JOIN "department" d ON d."id" = a."department_id" '
        f'WHERE {where} AND a."status" != \'returned\' ORDER BY a."position", a."id"',
        params,
    ):
        found.setdefault(incident_id, []).append((department_id, name, executor))
    return found


def _open_steps(incident_ids: Sequence[int] | None) -> dict[int, list[_RawStep]]:
    """Open steps of these incidents (of all when None: only open incidents have any)."""
    where = "" if incident_ids is None else f' AND "incident_id" IN ({_in(incident_ids)})'
    found: dict[int, list[_RawStep]] = {}
    for incident_id, *step in _rows(
        'SELECT "incident_id", "kind", "started_at", "due_at", "rule", "responsible_id" '
        f'FROM "step" WHERE "done_at" IS NULL{where}',
        incident_ids or (),
    ):
        found.setdefault(incident_id, []).append(tuple(step))
    return found


def _build(
    where: str, params: Sequence[Any], incident_ids: Sequence[int] | None = None
) -> list[QueueRow]:
    departments = _departments(where, params)
    steps = _open_steps(incident_ids)
    built = []
    for (
        incident_id,
        number,
        network,
        author,
        text,
        topic_id,
        topic,
        location_id,
        location,
        status,
        importance,
        detected,
        answer_due,
        version,
        curator,
    ) in _incidents(where, params):
        assigned = departments.get(incident_id, [])
        open_steps = steps.get(incident_id, [])
        running = _running_raw(open_steps)
        people = {executor for _, _, executor in assigned if executor is not None}
        people |= {s[4] for s in open_steps if s[4] is not None}
        if curator is not None:
            people.add(curator)
        detected_at = _moment(detected)
        assert detected_at is not None
        built.append(
            QueueRow(
                incident_id=incident_id,
                number=number,
                network=_NETWORKS[network],
                author=author,
                summary=summary_of(text),
                topic=topic or "",
                location=location or "",
                departments=", ".join(name for _, name, _ in assigned),
                status=_STATUSES[status],
                importance=_IMPORTANCE[importance],
                detected_at=detected_at,
                answer_due_at=_moment(answer_due),
                version=version,
                step=None if running is None else running.kind,
                step_started_at=None if running is None else running.started_at,
                step_due_at=None if running is None else running.due_at,
                step_rule="" if running is None else running.rule,
                topic_id=topic_id,
                location_id=location_id,
                department_ids=frozenset(d for d, _, _ in assigned),
                people=frozenset(people),
            )
        )
    return built


@reads
def open_queue() -> list[QueueRow]:
    """Every open incident, soonest answer deadline first (no deadline last)."""
    return _build(_OPEN_WHERE, _OPEN)


@reads
def queue_rows(incident_ids: Iterable[int]) -> dict[int, QueueRow | None]:
    """Fresh rows for the given ids; None for an id that left the queue (closed or deleted)."""
    wanted = sorted(set(incident_ids))
    found: dict[int, QueueRow | None] = dict.fromkeys(wanted)
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        where = f'i."id" IN ({_in(chunk)}) AND {_OPEN_WHERE}'
        for row in _build(where, [*chunk, *_OPEN], chunk):
            found[row.incident_id] = row
    return found


@reads
def incident_rows(incident_ids: Iterable[int]) -> dict[int, QueueRow | None]:
    """Rows for the given ids whatever their status (a report's incidents are mostly closed);
    None for an id that is not in the database."""
    wanted = sorted(set(incident_ids))
    found: dict[int, QueueRow | None] = dict.fromkeys(wanted)
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        for row in _build(f'i."id" IN ({_in(chunk)})', chunk, chunk):
            found[row.incident_id] = row
    return found


def _incidents_of(table: str, ids: Iterable[int]) -> set[int]:
    wanted = list(ids)
    found: set[int] = set()
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        rows = _rows(f'SELECT "incident_id" FROM "{table}" WHERE "id" IN ({_in(chunk)})', chunk)
        found |= {int(incident_id) for (incident_id,) in rows if incident_id is not None}
    return found


@reads
def incidents_of_assignments(assignment_ids: Iterable[int]) -> set[int]:
    return _incidents_of("assignment", assignment_ids)


@reads
def incidents_of_steps(step_ids: Iterable[int]) -> set[int]:
    return _incidents_of("step", step_ids)


@reads
def incidents_of_attachments(attachment_ids: Iterable[int]) -> set[int]:
    """Incidents whose files changed (an answer's files have no incident: none for them)."""
    return _incidents_of("attachment", attachment_ids)


@reads
def incidents_of_answers(answer_ids: Iterable[int]) -> set[int]:
    return _incidents_of("answer_version", answer_ids)
