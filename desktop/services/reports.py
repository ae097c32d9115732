"""The monthly and weekly reports: every figure of `report_model.Report`, from the stored rows.

Counting rules are those of `report_model`'s docstring; the details it leaves open:
- An incident belongs to a period by `detected_at` in office time, [start, end); the
  regulation filter is `Incident.regulation` (the slug the incident was registered under).
- The answer outcome of an incident: not answered (`answered_at` empty), on time
  (`answered_at <= answer_due_at`, or no answer deadline at all) or overdue. An interim
  answer moves `answer_due_at` to the final answer's deadline, so the final one is judged.
- «По отделам»: the departments of the incident's assignments, except those that returned it
  as not theirs; «По исполнителям»: the assignment's executor, else whoever is responsible
  for its latest draft or part. An incident of two departments counts in both rows.
- «Вид ответа»: the published answer that ended the incident (answer or explanation), else
  an interim one; a clarification question is not an answer.
- Steps: not cancelled, with a deadline. «выполнено» = done; on time when done by the
  deadline; overdue when done late or still open past the deadline at the report's moment.
  Every overdue step is a violation; its lateness is working minutes (floored) from the
  deadline to when it was done (or to the report's moment). The answer deadline (and the
  final answer's after an interim one) is the incident's departments' (those of «По
  отделам»); any other step without a department is the curator's.
- Timings: working minutes from registration (`registered_at`, else `detected_at`) to the
  routing (the first ROUTE step done), to the first published answer (answer, explanation or
  interim) and to `answered_at`; median and 90th percentile with linear interpolation between
  ranks (Excel's PERCENTILE.INC), over the incidents that reached the moment.
- Rework: incidents with at least one RETURN review (curator's or department head's), every
  RETURN, and each reason of each RETURN.

Speed: the period's incident ids go into a temporary table once; every other figure is one
query joined to it (GROUP BY in SQL where rows would be many), fetching only the columns it
needs. Working time is counted with a table of the office's working intervals in UTC
microseconds built from `WorkCalendar.day_intervals` for the days the moments span, so a
moment's position is one binary search.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from desktop.models.database import bound_database, reads
from desktop.models.enums import (
    CLOSED_STATUSES,
    AnswerKind,
    AssignmentStatus,
    Closure,
    Importance,
    Network,
    ReturnReason,
    ReviewDecision,
    StepKind,
)
from desktop.models.fields import utcnow
from desktop.services.errors import ValidationError
from desktop.services.office_calendar import office_work_calendar
from desktop.services.office_regulation import regulation_by_slug
from desktop.services.report_model import (
    SUMMARY_LABELS,
    Cell,
    Dimension,
    DynamicsRow,
    GroupRow,
    Measure,
    MonthShare,
    Period,
    PeriodKind,
    ReasonCount,
    Report,
    ReportQuery,
    Summary,
    Timing,
    Violation,
    summary_values,
)
from desktop.services.settings import office_settings
from desktop.services.titles import (
    ANSWER_KIND_TITLES,
    IMPORTANCE_TITLES,
    MONTH_NAMES,
    NETWORK_TITLES,
    RETURN_REASON_TITLES,
    STEP_KIND_TITLES,
)
from desktop.services.workcalendar import WorkCalendar

__all__ = [
    "TIMING_LABELS",
    "build_report",
    "custom_period",
    "incidents_behind",
    "month_period",
    "previous_period",
    "week_period",
    "year_before",
]

ALL_REGULATIONS = "все порядки"
CURATOR = "Куратор"
NOBODY = "не назначен"
EMPTY_NAMES: dict[Dimension, str] = {
    Dimension.TOPIC: "Без темы",
    Dimension.LOCATION: "Без территории",
    Dimension.DEPARTMENT: "Без отдела",
    Dimension.EXECUTOR: "Без исполнителя",
    Dimension.ANSWER_KIND: "Без ответа",
}
TIMING_LABELS = ("до направления в отдел", "до первого ответа", "до публикации")
# The kinds that answer the message; the first of them in this order names the incident's.
_ANSWER_KINDS = (AnswerKind.FINAL, AnswerKind.EXPLANATION, AnswerKind.INTERIM)
_US_PER_MINUTE = 60_000_000
_WEEK = re.compile(r"^\s*(\d{4})\s*-?\s*[WwНн]\s*(\d{1,2})\s*$")

# --- periods ----------------------------------------------------------------------------------


def _month_start(year: int, month: int) -> dt.date:
    return dt.date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def month_period(year: int, month: int) -> Period:
    """The calendar month, «октябрь 2026»."""
    if not 1 <= month <= 12:
        raise ValidationError(f"Нет такого месяца: {month}.")
    start = dt.date(year, month, 1)
    return Period(
        PeriodKind.MONTH, start, _month_start(year, month + 1), f"{MONTH_NAMES[month - 1]} {year}"
    )


def _week(year: int, week: int) -> Period:
    try:
        start = dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        raise ValidationError(f"В {year} году нет недели {week}.") from None
    end = start + dt.timedelta(days=7)
    last = end - dt.timedelta(days=1)
    title = f"неделя {year}-W{week:02d} ({start:%d.%m.%Y} – {last:%d.%m.%Y})"
    return Period(PeriodKind.WEEK, start, end, title)


def week_period(text: str) -> Period:
    """An ISO week, «2026-W44»: Monday to Sunday; the first week of a year may begin in
    December of the year before."""
    found = _WEEK.match(text)
    if found is None:
        raise ValidationError(f"Не понимаю неделю «{text}»: пишите ГГГГ-Wнн, например 2026-W44.")
    return _week(int(found.group(1)), int(found.group(2)))


def custom_period(start: dt.date, end_inclusive: dt.date) -> Period:
    """Any days, both ends included: «01.10 – 15.10.2026», «25.12.2025 – 10.01.2026»."""
    if end_inclusive < start:
        raise ValidationError("Начало периода позже его конца.")
    if start == end_inclusive:
        title = f"{start:%d.%m.%Y}"
    elif start.year == end_inclusive.year:
        title = f"{start:%d.%m} – {end_inclusive:%d.%m.%Y}"
    else:
        title = f"{start:%d.%m.%Y} – {end_inclusive:%d.%m.%Y}"
    return Period(PeriodKind.CUSTOM, start, end_inclusive + dt.timedelta(days=1), title)


def previous_period(period: Period) -> Period:
    """The month or ISO week before; for other periods the same number of days just before."""
    if period.kind is PeriodKind.MONTH:
        start = _month_start(period.start.year, period.start.month - 1)
        return month_period(start.year, start.month)
    if period.kind is PeriodKind.WEEK:
        year, week, _ = (period.start - dt.timedelta(days=7)).isocalendar()
        return _week(year, week)
    length = period.end - period.start
    return custom_period(period.start - length, period.start - dt.timedelta(days=1))


def _year_earlier(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def year_before(period: Period) -> Period:
    """The same month, the same-numbered ISO week (the 52nd for a 53rd) or the same days, a
    year earlier."""
    if period.kind is PeriodKind.MONTH:
        return month_period(period.start.year - 1, period.start.month)
    if period.kind is PeriodKind.WEEK:
        year, week, _ = period.start.isocalendar()
        weeks = dt.date(year - 1, 12, 28).isocalendar()[1]
        return _week(year - 1, min(week, weeks))
    last = period.end - dt.timedelta(days=1)
    return custom_period(_year_earlier(period.start), _year_earlier(last))


# --- working time over stored moments ---------------------------------------------------------


def _epoch_us(moment: dt.datetime) -> int:
    delta = moment - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _utc_text(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _local_midnight(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=zone).astimezone(dt.UTC)


def _epoch_sql(column: str) -> str:
    """A stored moment (fixed-width UTC text) as integer microseconds since 1970, in SQL."""
    return (
        f"(CAST(strftime('%s', {column}) AS INTEGER) * 1000000 "
        f"+ CAST(substr({column}, 21, 6) AS INTEGER))"
    )


class WorkingClock:
    """The office's working intervals between two days as UTC microseconds: a moment's working
    position is one binary search. `position(b) - position(a)` equals
    `OfficeTime.elapsed(a, b)` for moments inside the span (a test checks it)."""

    def __init__(
        self, calendar: WorkCalendar, zone: ZoneInfo, first: dt.date, last: dt.date
    ) -> None:
        self.starts: list[int] = []
        self.lengths: list[int] = []
        self.before: list[int] = []
        total = 0
        day = first
        while day <= last:
            for begin, end in calendar.day_intervals(day):
                a = _epoch_us(dt.datetime.combine(day, begin, tzinfo=zone))
                b = _epoch_us(dt.datetime.combine(day, end, tzinfo=zone))
                self.starts.append(a)
                self.lengths.append(b - a)
                self.before.append(total)
                total += b - a
            day += dt.timedelta(days=1)

    @classmethod
    def spanning(
        cls, calendar: WorkCalendar, zone: ZoneInfo, moments: Iterable[int | None]
    ) -> WorkingClock:
        known = [m for m in moments if m is not None]
        low = min(known, default=0)
        high = max(known, default=0)

        def day_of(us: int) -> dt.date:
            moment = dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=us)
            return moment.astimezone(zone).date()

        one = dt.timedelta(days=1)
        return cls(calendar, zone, day_of(low) - one, day_of(high) + one)

    def position(self, us: int) -> int:
        i = bisect.bisect_right(self.starts, us) - 1
        if i < 0:
            return 0
        return self.before[i] + min(us - self.starts[i], self.lengths[i])

    def elapsed(self, start: int, end: int) -> int:
        """Working microseconds from `start` to `end` (zero if `end` is not later)."""
        return max(self.position(end) - self.position(start), 0) if end > start else 0


def percentile(ordered: Sequence[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (PERCENTILE.INC); None for no values."""
    if not ordered:
        return None
    place = (len(ordered) - 1) * q
    low = math.floor(place)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (place - low)


# --- the period's incidents -------------------------------------------------------------------

_IDS = "temp.report_ids"
# 0: not answered, 1: on time (also when there is no deadline), 2: overdue
_OUTCOME_SQL = (
    "CASE WHEN i.answered_at IS NULL THEN 0 "
    "WHEN i.answer_due_at IS NULL OR i.answered_at <= i.answer_due_at THEN 1 ELSE 2 END"
)
_NOT_ANSWERED, _ON_TIME, _OVERDUE = 0, 1, 2


def _sql(query: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = bound_database().execute_sql(query, params).fetchall()
    return rows


@dataclass(frozen=True)
class _Bounds:
    start: str  # UTC text, included
    end: str  # UTC text, excluded
    regulation: str | None

    @classmethod
    def of(cls, period: Period, regulation: str | None, zone: ZoneInfo) -> _Bounds:
        return cls(
            _utc_text(_local_midnight(period.start, zone)),
            _utc_text(_local_midnight(period.end, zone)),
            regulation,
        )

    def where(self) -> tuple[str, list[Any]]:
        clause = "i.detected_at >= ? AND i.detected_at < ?"
        params: list[Any] = [self.start, self.end]
        if self.regulation is not None:
            clause += " AND i.regulation = ?"
            params.append(self.regulation)
        return clause, params


def _load_ids(bounds: _Bounds) -> None:
    """The period's incident ids into the connection's temporary table."""
    _sql(f"CREATE TEMP TABLE IF NOT EXISTS {_IDS[5:]} (id INTEGER PRIMARY KEY)")
    _sql(f"DELETE FROM {_IDS}")
    clause, params = bounds.where()
    _sql(f"INSERT INTO {_IDS} (id) SELECT i.id FROM incident i WHERE {clause}", params)


@dataclass
class _Incidents:
    """Column lists of the period's incidents, in the same order."""

    ids: list[int]
    network: list[str]
    topic: list[int | None]
    location: list[int | None]
    importance: list[str]
    open_now: list[bool]
    closure: list[str | None]
    repeat: list[bool]
    outcome: list[int]
    registered: list[int]
    answered: list[int | None]


def _incidents() -> _Incidents:
    closed = ", ".join(f"'{s.value}'" for s in CLOSED_STATUSES)
    rows = _sql(
        "SELECT i.id, i.network, i.topic_id, i.location_id, i.importance, "
        f"i.status NOT IN ({closed}), i.closure, i.repeat_of_id IS NOT NULL, {_OUTCOME_SQL}, "
        f"{_epoch_sql('COALESCE(i.registered_at, i.detected_at)')}, "
        f"{_epoch_sql('i.answered_at')} "
        f"FROM {_IDS} r CROSS JOIN incident i ON i.id = r.id ORDER BY r.id"
    )
    columns: list[Any] = list(zip(*rows, strict=True)) if rows else [()] * 11
    return _Incidents(*(list(c) for c in columns))


@dataclass(frozen=True)
class _Returns:
    incidents: frozenset[int]
    count: int
    reasons: Counter[str]


def _returns() -> _Returns:
    rows = _sql(
        f"SELECT a.incident_id, r.reasons FROM {_IDS} t "
        "CROSS JOIN answer_version a ON a.incident_id = t.id "
        "CROSS JOIN review r ON r.answer_id = a.id WHERE r.decision = ?",
        [ReviewDecision.RETURN.value],
    )
    reasons: Counter[str] = Counter()
    for _, stored in rows:
        reasons.update(json.loads(stored) if stored else [])
    return _Returns(frozenset(r[0] for r in rows), len(rows), reasons)


def _departments() -> list[tuple[int, int]]:
    """(incident, department) of the assignments that were not returned, each pair once."""
    return [
        (i, d)
        for i, d in _sql(
            f"SELECT DISTINCT a.incident_id, a.department_id FROM {_IDS} t "
            "CROSS JOIN assignment a ON a.incident_id = t.id WHERE a.status != ?",
            [AssignmentStatus.RETURNED.value],
        )
    ]


def _executors() -> list[tuple[int, int | None]]:
    """(incident, executor) of the assignments that were not returned: the assignment's
    executor, else the one responsible for its latest draft or part."""
    return [
        (i, e)
        for i, e in _sql(
            "SELECT DISTINCT a.incident_id, COALESCE(a.executor_id, ("
            "SELECT s.responsible_id FROM step s WHERE s.assignment_id = a.id "
            "AND s.kind IN (?, ?) AND s.responsible_id IS NOT NULL "
            "ORDER BY s.done_at IS NULL, s.id DESC LIMIT 1)) "
            f"FROM {_IDS} t CROSS JOIN assignment a ON a.incident_id = t.id WHERE a.status != ?",
            [StepKind.DRAFT.value, StepKind.PART.value, AssignmentStatus.RETURNED.value],
        )
    ]


def _answers() -> dict[int, tuple[int, str]]:
    """Incident → (its first published answer's moment, the kind of answer it got)."""
    kinds = [k.value for k in _ANSWER_KINDS]
    rank = " ".join(f"WHEN '{k}' THEN {n}" for n, k in enumerate(kinds))
    rows = _sql(
        f"SELECT p.incident_id, {_epoch_sql('min(p.published_at)')}, "
        f"min(CASE a.kind {rank} END) FROM {_IDS} t "
        "CROSS JOIN publication p ON p.incident_id = t.id "
        "CROSS JOIN answer_version a ON a.id = p.answer_id "
        "WHERE a.kind IN (?, ?, ?) GROUP BY p.incident_id",
        kinds,
    )
    return {i: (first, kinds[k]) for i, first, k in rows}


def _routed() -> dict[int, int]:
    rows = _sql(
        f"SELECT s.incident_id, {_epoch_sql('min(s.done_at)')} FROM {_IDS} t "
        "CROSS JOIN step s ON s.incident_id = t.id "
        "WHERE s.kind = ? AND s.done_at IS NOT NULL AND s.cancelled = 0 GROUP BY s.incident_id",
        [StepKind.ROUTE.value],
    )
    return {i: at for i, at in rows}


_COUNTED_STEP = "s.cancelled = 0 AND s.due_at IS NOT NULL"
_STEP_LATE = "(s.done_at > s.due_at OR (s.done_at IS NULL AND s.due_at < ?))"


def _step_rows(now: str) -> tuple[GroupRow, ...]:
    rows = _sql(
        # coalesce: a kind whose steps all still run sums «done in time» to NULL in SQL.
        "SELECT s.kind, count(*), sum(s.done_at IS NOT NULL), "
        "coalesce(sum(s.done_at <= s.due_at), 0), "
        f"coalesce(sum({_STEP_LATE}), 0) FROM {_IDS} t CROSS JOIN step s ON s.incident_id = t.id "
        f"WHERE {_COUNTED_STEP} GROUP BY s.kind",
        [now],
    )
    found = {kind: (total, done, ok, late) for kind, total, done, ok, late in rows}
    return tuple(
        GroupRow(kind.value, STEP_KIND_TITLES[kind], *found[kind.value])
        for kind in StepKind
        if kind.value in found
    )


@dataclass(frozen=True)
class _LateStep:
    incident: int
    number: int
    kind: str
    department: int | None
    responsible: int | None
    due: str
    done: str | None
    due_us: int
    done_us: int | None
    external_number: str


def _late_steps(now: str) -> list[_LateStep]:
    rows = _sql(
        "SELECT s.incident_id, i.number, s.kind, COALESCE(s.department_id, a.department_id), "
        f"s.responsible_id, s.due_at, s.done_at, {_epoch_sql('s.due_at')}, "
        f"{_epoch_sql('s.done_at')}, i.external_number "
        f"FROM {_IDS} t CROSS JOIN step s ON s.incident_id = t.id "
        "CROSS JOIN incident i ON i.id = s.incident_id "
        "LEFT JOIN assignment a ON a.id = s.assignment_id "
        f"WHERE {_COUNTED_STEP} AND {_STEP_LATE}",
        [now],
    )
    return [_LateStep(*row) for row in rows]


# --- names ----------------------------------------------------------------------------------


def _names(table: str, column: str = "name") -> dict[int, str]:
    return {i: name for i, name in _sql(f"SELECT id, {column} FROM {table}")}


def _topic_names() -> dict[int, str]:
    rows = _sql("SELECT id, name, parent_id FROM topic")
    plain = {i: n for i, n, _ in rows}
    return {i: n if p is None else f"{plain.get(p, '')} / {n}" for i, n, p in rows}


def _stored_moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


# --- grouping -------------------------------------------------------------------------------


def _group(
    pairs: Iterable[tuple[object, int]],
    names: dict[str, str],
    empty: str,
    order: Sequence[str] | None = None,
) -> tuple[GroupRow, ...]:
    """Rows from (key, outcome) pairs; `order` fixes the order, else most incidents first and
    the empty group last."""
    counted: Counter[tuple[object, int]] = Counter(pairs)
    totals: dict[str, list[int]] = {}
    for (key, outcome), n in counted.items():
        row = totals.setdefault("" if key is None else str(key), [0, 0, 0])
        row[outcome] += n
    rows = [
        GroupRow(
            key,
            names.get(key, key) if key else empty,
            sum(c),
            c[_ON_TIME] + c[_OVERDUE],
            c[_ON_TIME],
            c[_OVERDUE],
        )
        for key, c in totals.items()
    ]
    if order is not None:
        place = {key: n for n, key in enumerate(order)}
        rows.sort(key=lambda r: (place.get(r.key, len(place)), r.name))
    else:
        rows.sort(key=lambda r: (r.key == "", -r.total, r.name))
    return tuple(rows)


@dataclass
class _Facts:
    incidents: _Incidents
    returns: _Returns
    departments: list[tuple[int, int]]
    executors: list[tuple[int, int | None]]
    answers: dict[int, tuple[int, str]]


def _collect() -> _Facts:
    return _Facts(_incidents(), _returns(), _departments(), _executors(), _answers())


def _summary(incidents: _Incidents, returns: _Returns) -> Summary:
    outcomes = Counter(incidents.outcome)
    closures = Counter(incidents.closure)
    return Summary(
        total=len(incidents.ids),
        answered=outcomes[_ON_TIME] + outcomes[_OVERDUE],
        on_time=outcomes[_ON_TIME],
        overdue=outcomes[_OVERDUE],
        reworked=len(returns.incidents),
        returns=returns.count,
        not_to_answer=closures[Closure.NOT_TO_ANSWER.value],
        official_appeals=closures[Closure.OFFICIAL_APPEAL.value],
        repeats=sum(incidents.repeat),
        open_now=sum(incidents.open_now),
    )


def _with_outcome(
    pairs: Iterable[tuple[int, object]], outcome: dict[int, int]
) -> list[tuple[object, int]]:
    """(incident, key) pairs, each incident with no key at all in the empty group."""
    keyed: list[tuple[object, int]] = []
    seen: set[int] = set()
    for incident, key in pairs:
        seen.add(incident)
        keyed.append((key, outcome[incident]))
    keyed.extend((None, o) for i, o in outcome.items() if i not in seen)
    return keyed


def _answer_kinds(inc: _Incidents, answers: dict[int, tuple[int, str]]) -> dict[int, str]:
    """The kind of answer each message got; answered without a publication row (imported
    from an old log): an answer."""
    kinds = {i: AnswerKind.FINAL.value for i, a in zip(inc.ids, inc.answered, strict=True) if a}
    kinds.update((i, kind) for i, (_, kind) in answers.items())
    return kinds


def _groups(facts: _Facts) -> dict[Dimension, tuple[GroupRow, ...]]:
    inc = facts.incidents
    outcome = dict(zip(inc.ids, inc.outcome, strict=True))
    kinds = _answer_kinds(inc, facts.answers)
    employees = _names("employee", "full_name")
    departments = {str(k): v for k, v in _names("department").items()}
    return {
        Dimension.NETWORK: _group(
            zip(inc.network, inc.outcome, strict=True),
            {n.value: t for n, t in NETWORK_TITLES.items()},
            "",
            [n.value for n in Network],
        ),
        Dimension.TOPIC: _group(
            zip(inc.topic, inc.outcome, strict=True),
            {str(k): v for k, v in _topic_names().items()},
            EMPTY_NAMES[Dimension.TOPIC],
        ),
        Dimension.LOCATION: _group(
            zip(inc.location, inc.outcome, strict=True),
            {str(k): v for k, v in _names("location").items()},
            EMPTY_NAMES[Dimension.LOCATION],
        ),
        Dimension.IMPORTANCE: _group(
            zip(inc.importance, inc.outcome, strict=True),
            {k.value: t for k, t in IMPORTANCE_TITLES.items()},
            "",
            [k.value for k in Importance],
        ),
        Dimension.ANSWER_KIND: _group(
            ((kinds.get(i), o) for i, o in outcome.items()),
            {k.value: t for k, t in ANSWER_KIND_TITLES.items()},
            EMPTY_NAMES[Dimension.ANSWER_KIND],
            [*(k.value for k in _ANSWER_KINDS), ""],
        ),
        Dimension.DEPARTMENT: _group(
            _with_outcome(facts.departments, outcome),
            departments,
            EMPTY_NAMES[Dimension.DEPARTMENT],
        ),
        Dimension.EXECUTOR: _group(
            _with_outcome(facts.executors, outcome),
            {str(k): v for k, v in employees.items()},
            EMPTY_NAMES[Dimension.EXECUTOR],
        ),
    }


def _timings(facts: _Facts, routed: dict[int, int], clock: WorkingClock) -> tuple[Timing, ...]:
    inc = facts.incidents
    registered = dict(zip(inc.ids, inc.registered, strict=True))
    answered = {i: a for i, a in zip(inc.ids, inc.answered, strict=True) if a is not None}
    # The first answer: the first publication, or — a message imported from an old log has
    # no publication rows — the moment it was answered.
    first_answer = dict(answered)
    for i, (first, _) in facts.answers.items():
        first_answer[i] = min(first, first_answer.get(i, first))
    reached: list[dict[int, int]] = [routed, first_answer, answered]
    timings = []
    for label, moments in zip(TIMING_LABELS, reached, strict=True):
        minutes = sorted(
            clock.elapsed(registered[i], at) / _US_PER_MINUTE
            for i, at in moments.items()
            if i in registered
        )
        timings.append(
            Timing(label, len(minutes), percentile(minutes, 0.5), percentile(minutes, 0.9))
        )
    return tuple(timings)


_WHOLE_INCIDENT = frozenset({StepKind.ANSWER.value, StepKind.FINAL_AFTER_INTERIM.value})


def _violations(
    late: list[_LateStep], facts: _Facts, now_us: int, clock: WorkingClock
) -> tuple[Violation, ...]:
    departments = _names("department")
    employees = _names("employee", "full_name")
    working: dict[int, list[str]] = {}
    for incident, department_id in facts.departments:
        working.setdefault(incident, []).append(departments[department_id])

    def department(step: _LateStep) -> str:
        if step.department is not None:
            return departments[step.department]
        if step.kind in _WHOLE_INCIDENT and step.incident in working:
            return ", ".join(sorted(working[step.incident]))
        return CURATOR

    found = [
        Violation(
            incident_id=step.incident,
            number=step.number,
            step=STEP_KIND_TITLES[StepKind(step.kind)],
            department=department(step),
            responsible=NOBODY if step.responsible is None else employees[step.responsible],
            due_at=_stored_moment(step.due),
            done_at=None if step.done is None else _stored_moment(step.done),
            late_minutes=clock.elapsed(
                step.due_us, now_us if step.done_us is None else step.done_us
            )
            // _US_PER_MINUTE,
            external_number=step.external_number,
        )
        for step in late
    ]
    found.sort(key=lambda v: (v.due_at, -v.number, v.step), reverse=True)
    return tuple(found)


def _reasons(returns: _Returns) -> tuple[ReasonCount, ...]:
    order = {r.value: n for n, r in enumerate(ReturnReason)}
    ranked = sorted(returns.reasons.items(), key=lambda kv: (-kv[1], order.get(kv[0], 99)))
    titles = {r.value: t for r, t in RETURN_REASON_TITLES.items()}
    return tuple(ReasonCount(titles.get(reason, reason), n) for reason, n in ranked)


def _period_summary(period: Period, regulation: str | None, zone: ZoneInfo) -> Summary:
    _load_ids(_Bounds.of(period, regulation, zone))
    return _summary(_incidents(), _returns())


def _last_12_months(
    period: Period, regulation: str | None, zone: ZoneInfo
) -> tuple[MonthShare, ...]:
    last = period.end - dt.timedelta(days=1)
    months = [_month_start(last.year, last.month - 11 + n) for n in range(13)]
    edges = [_utc_text(_local_midnight(m, zone)) for m in months]
    bucket = " ".join(f"WHEN i.detected_at < ? THEN {n}" for n in range(12))
    clause, params = _Bounds(edges[0], edges[-1], regulation).where()
    rows = _sql(
        f"SELECT CASE {bucket} END, coalesce(sum(o = 1), 0), coalesce(sum(o = 2), 0) FROM "
        f"(SELECT i.detected_at, {_OUTCOME_SQL} AS o FROM incident i WHERE {clause} "
        "AND i.answered_at IS NOT NULL) i GROUP BY 1",
        [*edges[1:], *params],
    )
    found = {n: (ok, late) for n, ok, late in rows}
    shares = []
    for n, month in enumerate(months[:12]):
        ok, late = found.get(n, (0, 0))
        shares.append(
            MonthShare(month, ok + late, None if ok + late == 0 else 100.0 * ok / (ok + late))
        )
    return tuple(shares)


def _regulation_title(slug: str | None) -> str:
    if slug is None:
        return ALL_REGULATIONS
    try:
        return regulation_by_slug(slug).title
    except ValidationError:  # a copy deleted since: its incidents still have the slug
        return slug


# --- the public API -------------------------------------------------------------------------


@reads
def build_report(query: ReportQuery, *, now: dt.datetime | None = None) -> Report:
    """Every figure of the report for the period (and regulation) of `query`, as of `now`."""
    moment = (now or utcnow()).astimezone(dt.UTC)
    now_text, now_us = _utc_text(moment), _epoch_us(moment)
    settings = office_settings()
    zone = settings.zone
    period = query.period
    _load_ids(_Bounds.of(period, query.regulation, zone))
    facts = _collect()
    routed = _routed()
    late = _late_steps(now_text)
    by_step = _step_rows(now_text)
    clock = WorkingClock.spanning(
        office_work_calendar(),
        zone,
        [
            *facts.incidents.registered,
            *facts.incidents.answered,
            *routed.values(),
            *(first for first, _ in facts.answers.values()),
            *(s.due_us for s in late),
            *(s.done_us for s in late),
            now_us,
        ],
    )
    summary = _summary(facts.incidents, facts.returns)
    groups = _groups(facts)
    timings = _timings(facts, routed, clock)
    violations = _violations(late, facts, now_us, clock)
    reasons = _reasons(facts.returns)
    previous = _period_summary(previous_period(period), query.regulation, zone)
    earlier = _period_summary(year_before(period), query.regulation, zone)
    dynamics = tuple(
        DynamicsRow(label, now_value, before, year)
        for label, now_value, before, year in zip(
            SUMMARY_LABELS,
            summary_values(summary),
            summary_values(previous),
            summary_values(earlier),
            strict=True,
        )
    )
    return Report(
        query=query,
        office_name=settings.office_name,
        regulation_title=_regulation_title(query.regulation),
        generated_at=moment,
        zone=settings.timezone,
        summary=summary,
        by_topic=groups[Dimension.TOPIC],
        by_department=groups[Dimension.DEPARTMENT],
        by_location=groups[Dimension.LOCATION],
        by_network=groups[Dimension.NETWORK],
        by_importance=groups[Dimension.IMPORTANCE],
        by_answer_kind=groups[Dimension.ANSWER_KIND],
        by_executor=groups[Dimension.EXECUTOR],
        by_step=by_step,
        timings=timings,
        rework_reasons=reasons,
        violations=violations,
        dynamics=dynamics,
        last_12_months=_last_12_months(period, query.regulation, zone),
    )


def _step_incidents(kind: str, measure: Measure, now: str) -> set[int]:
    condition = {
        Measure.ANSWERED: " AND s.done_at IS NOT NULL",
        Measure.ON_TIME: " AND s.done_at <= s.due_at",
        Measure.OVERDUE: f" AND {_STEP_LATE}",
    }.get(measure, "")
    params: list[Any] = [kind, *([now] if measure is Measure.OVERDUE else [])]
    rows = _sql(
        f"SELECT DISTINCT s.incident_id FROM {_IDS} t CROSS JOIN step s ON s.incident_id = t.id "
        f"WHERE s.kind = ? AND {_COUNTED_STEP}{condition}",
        params,
    )
    return {r[0] for r in rows}


@reads
def incidents_behind(
    query: ReportQuery, cell: Cell, *, now: dt.datetime | None = None
) -> list[int]:
    """The ids of the incidents a number of the report counts, by the same rules, ascending.

    For the STEP dimension the incidents with such a step (a number there counts steps, so an
    incident with two overdue reworks is one id behind «2»); other measures of a step row are
    those incidents that also meet the measure.
    """
    moment = (now or utcnow()).astimezone(dt.UTC)
    zone = office_settings().zone
    _load_ids(_Bounds.of(query.period, query.regulation, zone))
    inc = _incidents()
    dimension, key, measure = Dimension(cell.dimension), cell.key, Measure(cell.measure)

    def text(value: object) -> str:
        return "" if value is None else str(value)

    members: set[int]
    if dimension is Dimension.ALL:
        members = set(inc.ids)
    elif dimension is Dimension.STEP:
        step_measure = (
            measure
            if measure in (Measure.ANSWERED, Measure.ON_TIME, Measure.OVERDUE)
            else Measure.TOTAL
        )
        members = _step_incidents(key, step_measure, _utc_text(moment))
    elif dimension in (Dimension.DEPARTMENT, Dimension.EXECUTOR):
        pairs: list[tuple[int, Any]] = list(
            _departments() if dimension is Dimension.DEPARTMENT else _executors()
        )
        keyed = {i for i, _ in pairs}
        members = {i for i, k in pairs if text(k) == key}
        if key == "":
            members |= set(inc.ids) - keyed
    elif dimension is Dimension.ANSWER_KIND:
        kinds = _answer_kinds(inc, _answers())
        members = {i for i in inc.ids if kinds.get(i, "") == key}
    else:
        columns: dict[Dimension, list[Any]] = {
            Dimension.TOPIC: inc.topic,
            Dimension.LOCATION: inc.location,
            Dimension.NETWORK: inc.network,
            Dimension.IMPORTANCE: inc.importance,
        }
        column = columns[dimension]
        members = {i for i, k in zip(inc.ids, column, strict=True) if text(k) == key}

    if dimension is Dimension.STEP and measure in (
        Measure.TOTAL,
        Measure.ANSWERED,
        Measure.ON_TIME,
        Measure.OVERDUE,
    ):
        return sorted(members)
    chosen: set[int]
    if measure is Measure.TOTAL:
        chosen = set(inc.ids)
    elif measure is Measure.REWORKED:
        chosen = set(_returns().incidents)
    else:
        wanted: Callable[[int], bool] = {
            Measure.ANSWERED: lambda n: inc.outcome[n] != _NOT_ANSWERED,
            Measure.ON_TIME: lambda n: inc.outcome[n] == _ON_TIME,
            Measure.OVERDUE: lambda n: inc.outcome[n] == _OVERDUE,
            Measure.NOT_TO_ANSWER: lambda n: inc.closure[n] == Closure.NOT_TO_ANSWER.value,
            Measure.OFFICIAL_APPEAL: lambda n: inc.closure[n] == Closure.OFFICIAL_APPEAL.value,
            Measure.REPEAT: lambda n: bool(inc.repeat[n]),
        }[measure]
        chosen = {i for n, i in enumerate(inc.ids) if wanted(n)}
    return sorted(members & chosen)
