"""The report service against an independent count: a month of a small office driven through
the Отрадненский workflow (March 2025: Friday 07.03 shortened, Saturday 08.03 a holiday), and
every figure of the report recomputed here in plain Python from the rows, with a working-time
calendar of its own."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import pytest
from desk import MOSCOW, Desk

from desktop.models.entities import (
    AnswerVersion,
    Assignment,
    Department,
    Employee,
    Incident,
    Location,
    Publication,
    Review,
    Step,
    Topic,
)
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
from desktop.services import reports
from desktop.services.errors import ValidationError
from desktop.services.incidents import RouteTarget
from desktop.services.office import Office
from desktop.services.office_calendar import office_time, office_work_calendar
from desktop.services.report_model import (
    SUMMARY_LABELS,
    Cell,
    Dimension,
    GroupRow,
    Measure,
    PeriodKind,
    Report,
    ReportQuery,
    Summary,
)
from desktop.services.settings import put_value
from desktop.services.titles import RETURN_REASON_TITLES, STEP_KIND_TITLES

NOW = dt.datetime(2025, 4, 1, 10, 0, tzinfo=MOSCOW)  # the report's moment
MARCH = reports.month_period(2025, 3)
R = ReturnReason

# --- an independent working-time calendar for March and April 2025 ----------------------------

SHORTENED = {dt.date(2025, 3, 7)}  # the eve of 8 March: one hour shorter
# No weekday of March or April 2025 is a holiday; 8 March falls on a Saturday.


def day_intervals(day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    assert dt.date(2025, 3, 1) <= day <= dt.date(2025, 4, 30), day
    if day.weekday() >= 5:
        return []
    end = 17 if day in SHORTENED else 18
    at = lambda h: dt.datetime.combine(day, dt.time(h), tzinfo=MOSCOW)  # noqa: E731
    return [(at(9), at(13)), (at(14), at(end))]


def working_seconds(start: dt.datetime, end: dt.datetime) -> float:
    start, end = start.astimezone(MOSCOW), end.astimezone(MOSCOW)
    total = 0.0
    day = start.date()
    while day <= end.date():
        for a, b in day_intervals(day):
            lo, hi = max(a, start), min(b, end)
            if hi > lo:
                total += (hi - lo).total_seconds()
        day += dt.timedelta(days=1)
    return total


def local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(MOSCOW).date()


# --- the office's month -----------------------------------------------------------------------


@dataclass
class Month:
    desk: Desk
    ids: dict[str, int]


def answer(
    desk: Desk,
    incident: int,
    department: str,
    times: Iterable[tuple[int, ...]],
    *,
    returns: Iterable[list[ReturnReason]] = (),
    kind: AnswerKind = AnswerKind.FINAL,
) -> None:
    """Submit, return with each list of reasons and submit again, approve, publish; `times`
    gives (day, hour, minute) for each of those actions in order."""
    when = iter(times)
    executor = desk.svc(desk.executors[department])
    desk.at(*next(when))
    draft = executor.submit_draft(incident, "Ответ по существу", kind=kind)
    for reasons in returns:
        desk.at(*next(when))
        desk.svc(desk.curator).review(
            incident, draft, ReviewDecision.RETURN, reasons=reasons, comment="исправьте"
        )
        desk.at(*next(when))
        draft = executor.submit_draft(incident, "Ответ по существу, исправленный", kind=kind)
    desk.at(*next(when))
    desk.svc(desk.curator).review(incident, draft, ReviewDecision.APPROVE)
    desk.at(*next(when))
    desk.svc(desk.executors[department]).publish(
        incident, url=f"https://vk.com/wall-1_{incident}?r=1"
    )


def route(desk: Desk, incident: int, *departments: str, named: bool = True) -> None:
    targets = [
        RouteTarget(desk.dept(d), desk.executors[d].employee_id if named else None)
        for d in departments
    ]
    desk.svc(desk.curator).route(incident, targets)


@pytest.fixture
def month(office: Office) -> Month:
    return build_month(office)


def build_month(office: Office) -> Month:
    """The office's March 2025 (and the months it is compared with), every outcome once."""
    desk = Desk(office, "otradnensky-2021")
    roads = Topic.create(name="Дороги", updated_by="t")
    pothole = Topic.create(name="Ямы", parent=roads, updated_by="t")
    water = Topic.create(name="Вода", updated_by="t")
    village = Location.create(name="ст. Отрадная", updated_by="t")
    farm = Location.create(name="х. Красный", updated_by="t")
    ids: dict[str, int] = {}

    def register(
        name: str,
        day: int,
        hour: int,
        minute: int = 0,
        *,
        month: int = 3,
        year: int = 2025,
        **fields: object,
    ) -> int:
        desk.at(day, hour, minute, month=month, year=year)
        ids[name] = desk.register(f"Сообщение {name}", **fields)
        return ids[name]

    # The month before and the same month a year earlier, for the dynamics.
    feb = register("feb-answered", 3, 10, month=2)
    route(desk, feb, "ЖКХ")
    answer(desk, feb, "ЖКХ", [(3, 11, 0, 2), (3, 11, 20, 2), (3, 11, 40, 2)])
    feb2 = register("feb-closed", 4, 10, month=2)
    desk.svc(desk.curator).close_not_to_answer(feb2, "оскорбления")
    old = register("year-before", 12, 10, month=3, year=2024)
    route(desk, old, "Дороги")
    desk.at(13, 10, year=2024)
    desk.svc(desk.executors["Дороги"]).submit_draft(old, "Ответ")
    desk.at(13, 11, year=2024)
    version = AnswerVersion.select().where(AnswerVersion.incident == old).get()
    desk.svc(desk.curator).review(old, version.id, ReviewDecision.APPROVE)
    desk.at(13, 12, year=2024)
    desk.svc(desk.executors["Дороги"]).publish(old, url="https://vk.com/wall-1_999?r=1")

    # March 2025.
    a = register("on-time", 3, 10, topic_id=pothole.id, location_id=village.id)
    desk.at(3, 10, 12)
    route(desk, a, "ЖКХ")
    answer(desk, a, "ЖКХ", [(3, 11, 0), (3, 11, 20), (3, 11, 40)])

    # Detected on the shortened Friday at 15:00: 2 working hours that day, none on the
    # holiday Saturday or Sunday, 6 on Monday: the answer is due Monday 10.03 at 16:00.
    b = register("late-over-holiday", 7, 15, topic_id=water.id, location_id=farm.id)
    desk.at(7, 16, 0)  # 30 working minutes late: routing was due at 15:30
    route(desk, b, "Дороги")
    answer(desk, b, "Дороги", [(10, 11, 0), (10, 11, 30), (11, 10, 0)])

    c = register("reworked-once", 11, 9, 30, topic_id=pothole.id, location_id=village.id)
    desk.at(11, 9, 47)
    route(desk, c, "ЖКХ")
    answer(
        desk,
        c,
        "ЖКХ",
        [(11, 10, 0), (11, 10, 20), (11, 10, 50), (11, 11, 0), (11, 11, 20)],
        returns=[[R.FORMAT, R.SPELLING]],
    )

    d = register("reworked-twice-late", 12, 9, 0, topic_id=water.id)
    route(desk, d, "Образование")
    answer(
        desk,
        d,
        "Образование",
        [
            (12, 12, 0),
            (12, 12, 30),
            (13, 10, 0),
            (13, 10, 30),
            (13, 15, 0),
            (13, 16, 0),
            (14, 9, 30),
        ],
        returns=[[R.NOT_MATCHING_QUESTION], [R.SPELLING, R.OTHER]],
    )

    e = register("not-to-answer", 14, 11, network=Network.TELEGRAM, link="https://t.me/a/1")
    desk.at(14, 11, 10)
    desk.svc(desk.curator).close_not_to_answer(e, "угрозы")

    f = register("appeal", 17, 10, location_id=farm.id)
    route(desk, f, "Дороги")
    desk.at(17, 12)
    desk.svc(desk.curator).make_official_appeal(
        f, number="ОГ-17", registered_on=dt.date(2025, 3, 17), consent=True
    )

    g = register("repeat", 18, 10, topic_id=pothole.id, repeat_of=a)
    route(desk, g, "ЖКХ")
    answer(desk, g, "ЖКХ", [(18, 12, 0), (18, 12, 20), (18, 12, 40)])

    h = register("open-overdue", 19, 10, topic_id=water.id, location_id=village.id)
    route(desk, h, "Дороги")

    i = register(
        "high", 20, 10, importance=Importance.HIGH, network=Network.OK, link="https://ok.ru/g/1/t/1"
    )
    route(desk, i, "ЖКХ")
    answer(desk, i, "ЖКХ", [(20, 11, 0), (20, 11, 15), (20, 11, 30)])

    j = register("two-departments", 21, 10, location_id=village.id)
    route(desk, j, "ЖКХ", "Образование")
    desk.at(21, 10, 20)
    desk.svc(desk.executors["Образование"]).return_not_competent(j, "не наше")
    desk.at(21, 11)
    desk.svc(desk.executors["ЖКХ"]).submit_draft(j, "Часть ЖКХ", kind=AnswerKind.PART)
    desk.at(21, 11, 10)
    desk.svc(desk.curator).pick_consolidator(j, desk.dept("ЖКХ"))
    answer(desk, j, "ЖКХ", [(21, 12, 0), (21, 12, 20), (21, 14, 30)])

    k = register("interim", 24, 10, topic_id=roads.id)
    route(desk, k, "Дороги")
    answer(desk, k, "Дороги", [(24, 11, 0), (24, 11, 20), (24, 11, 40)], kind=AnswerKind.INTERIM)
    answer(desk, k, "Дороги", [(27, 10, 0), (27, 10, 20), (27, 10, 40)])

    register("never-routed", 25, 10)

    m = register("no-executor-named", 26, 9, 0, topic_id=water.id)
    route(desk, m, "Образование", named=False)
    answer(desk, m, "Образование", [(26, 10, 0), (26, 10, 30), (26, 11, 0)])

    n = register("interim-only", 27, 9, 0)
    route(desk, n, "ЖКХ")
    answer(desk, n, "ЖКХ", [(27, 11, 0), (27, 11, 20), (27, 11, 40)], kind=AnswerKind.INTERIM)

    # Late at night on the last day: office time puts it in March, UTC in March too; one
    # minute after midnight of 1 April (21:01 UTC on 31 March) belongs to April.
    register("last-evening", 31, 23, 30)
    register("april", 1, 0, 1, month=4)

    # Another regulation's incidents in the same month.
    put_value("regulation", "konyshevsky-2020")
    other = register("konyshevsky", 28, 10, topic_id=pothole.id)
    route(desk, other, "Дороги")
    answer(desk, other, "Дороги", [(28, 11, 0), (28, 11, 20), (28, 11, 40)])
    put_value("regulation", "otradnensky-2021")
    desk.at(1, 10, month=4)
    return Month(desk, ids)


# --- the independent count ----------------------------------------------------------------


def in_period(incident: Incident, start: dt.date, end: dt.date, regulation: str | None) -> bool:
    return start <= local_day(incident.detected_at) < end and (
        regulation is None or incident.regulation == regulation
    )


def period_incidents(start: dt.date, end: dt.date, regulation: str | None = None) -> list[Incident]:
    return [i for i in Incident.select() if in_period(i, start, end, regulation)]


def outcome(incident: Incident) -> str:
    if incident.answered_at is None:
        return "none"
    if incident.answer_due_at is None or incident.answered_at <= incident.answer_due_at:
        return "on_time"
    return "overdue"


def return_reviews(ids: set[int]) -> list[tuple[int, list[str]]]:
    found = []
    for review in Review.select().where(Review.decision == ReviewDecision.RETURN):
        incident = AnswerVersion.get_by_id(review.answer_id).incident_id
        if incident in ids:
            found.append((incident, list(review.reasons)))
    return found


def expected_summary(incidents: list[Incident]) -> Summary:
    ids = {i.id for i in incidents}
    returns = return_reviews(ids)
    outcomes = Counter(outcome(i) for i in incidents)
    return Summary(
        total=len(incidents),
        answered=outcomes["on_time"] + outcomes["overdue"],
        on_time=outcomes["on_time"],
        overdue=outcomes["overdue"],
        reworked=len({i for i, _ in returns}),
        returns=len(returns),
        not_to_answer=sum(i.closure is Closure.NOT_TO_ANSWER for i in incidents),
        official_appeals=sum(i.closure is Closure.OFFICIAL_APPEAL for i in incidents),
        repeats=sum(i.repeat_of_id is not None for i in incidents),
        open_now=sum(i.status not in CLOSED_STATUSES for i in incidents),
    )


def rows(memberships: dict[str, set[int]], incidents: list[Incident]) -> dict[str, tuple[int, ...]]:
    by_id = {i.id: i for i in incidents}
    table = {}
    for key, members in memberships.items():
        outcomes = Counter(outcome(by_id[m]) for m in members)
        table[key] = (
            len(members),
            outcomes["on_time"] + outcomes["overdue"],
            outcomes["on_time"],
            outcomes["overdue"],
        )
    return table


def group(pairs: Iterable[tuple[object, int]]) -> dict[str, set[int]]:
    found: dict[str, set[int]] = {}
    for key, incident in pairs:
        found.setdefault("" if key is None else str(key), set()).add(incident)
    return found


def answer_kind(incident: Incident) -> str:
    kinds = {
        AnswerVersion.get_by_id(p.answer_id).kind
        for p in Publication.select().where(Publication.incident == incident.id)
    }
    for kind in (AnswerKind.FINAL, AnswerKind.EXPLANATION, AnswerKind.INTERIM):
        if kind in kinds:
            return kind.value
    return ""


def live_assignments(incident: Incident) -> list[Assignment]:
    return [
        a
        for a in Assignment.select().where(Assignment.incident == incident.id)
        if a.status is not AssignmentStatus.RETURNED
    ]


def executor_of(assignment: Assignment) -> int | None:
    if assignment.executor_id is not None:
        return int(assignment.executor_id)
    steps = [
        s
        for s in Step.select().where(Step.assignment == assignment.id)
        if s.kind in (StepKind.DRAFT, StepKind.PART) and s.responsible_id is not None
    ]
    steps.sort(key=lambda s: (s.done_at is None, -s.id))
    return steps[0].responsible_id if steps else None


def memberships(incidents: list[Incident]) -> dict[Dimension, dict[str, set[int]]]:
    def with_empty(pairs: list[tuple[object, int]]) -> dict[str, set[int]]:
        keyed = {i for _, i in pairs}
        return group(pairs + [(None, i.id) for i in incidents if i.id not in keyed])

    return {
        Dimension.ALL: {"": {i.id for i in incidents}},
        Dimension.TOPIC: group((i.topic_id, i.id) for i in incidents),
        Dimension.LOCATION: group((i.location_id, i.id) for i in incidents),
        Dimension.NETWORK: group((i.network.value, i.id) for i in incidents),
        Dimension.IMPORTANCE: group((i.importance.value, i.id) for i in incidents),
        Dimension.ANSWER_KIND: group((answer_kind(i), i.id) for i in incidents),
        Dimension.DEPARTMENT: with_empty(
            [(a.department_id, i.id) for i in incidents for a in live_assignments(i)]
        ),
        Dimension.EXECUTOR: with_empty(
            [(executor_of(a), i.id) for i in incidents for a in live_assignments(i)]
        ),
    }


def counted_steps(incidents: list[Incident]) -> list[Step]:
    ids = {i.id for i in incidents}
    return [
        s
        for s in Step.select()
        if s.incident_id in ids and not s.cancelled and s.due_at is not None
    ]


def late(step: Step) -> bool:
    return step.done_at > step.due_at if step.done_at is not None else step.due_at < NOW


def table(report_rows: tuple[GroupRow, ...]) -> dict[str, tuple[int, ...]]:
    return {r.key: (r.total, r.answered, r.on_time, r.overdue) for r in report_rows}


def p(values: list[float], q: int) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    if q == 50:
        return statistics.median(values)
    return statistics.quantiles(values, n=10, method="inclusive")[8]


def build(regulation: str | None = None) -> Report:
    return reports.build_report(ReportQuery(MARCH, regulation), now=NOW)


# --- the tests ------------------------------------------------------------------------------


def test_the_month_is_every_outcome(month: Month) -> None:
    incidents = period_incidents(MARCH.start, MARCH.end, "otradnensky-2021")
    summary = expected_summary(incidents)
    # The scenario has what the report must show: each is at least once.
    assert summary.on_time >= 5 and summary.overdue >= 2
    assert summary.reworked == 2 and summary.returns == 3
    assert summary.not_to_answer == summary.official_appeals == summary.repeats == 1
    assert summary.open_now >= 3
    late_answer = Incident.get_by_id(month.ids["late-over-holiday"])
    assert late_answer.answer_due_at == dt.datetime(2025, 3, 10, 16, 0, tzinfo=MOSCOW)


def test_the_summary_and_every_table(month: Month) -> None:
    report = build("otradnensky-2021")
    incidents = period_incidents(MARCH.start, MARCH.end, "otradnensky-2021")
    assert report.summary == expected_summary(incidents)
    expected = memberships(incidents)
    assert table(report.by_topic) == rows(expected[Dimension.TOPIC], incidents)
    assert table(report.by_location) == rows(expected[Dimension.LOCATION], incidents)
    assert table(report.by_network) == rows(expected[Dimension.NETWORK], incidents)
    assert table(report.by_importance) == rows(expected[Dimension.IMPORTANCE], incidents)
    assert table(report.by_answer_kind) == rows(expected[Dimension.ANSWER_KIND], incidents)
    assert table(report.by_department) == rows(expected[Dimension.DEPARTMENT], incidents)
    assert table(report.by_executor) == rows(expected[Dimension.EXECUTOR], incidents)
    # Names: the empty groups, nested topics, departments and executors by name.
    names = {r.key: r.name for r in report.by_topic}
    roads = Topic.get(Topic.name == "Ямы")
    assert names[str(roads.id)] == "Дороги / Ямы"
    assert names[""] == "Без темы"
    assert {r.name for r in report.by_location} >= {"ст. Отрадная", "х. Красный", "Без территории"}
    assert {r.name for r in report.by_department} == {"ЖКХ", "Дороги", "Образование", "Без отдела"}
    executors = {r.name for r in report.by_executor}
    assert executors >= {"Executor0 Тест", "Executor1 Тест", "Executor2 Тест", "Без исполнителя"}
    assert {r.name for r in report.by_answer_kind} == {"ответ", "промежуточный ответ", "Без ответа"}
    assert [r.key for r in report.by_importance] == ["normal", "high"]
    # «Образование» returned the two-department message: it is not counted there.
    education = next(r for r in report.by_department if r.name == "Образование")
    two = month.ids["two-departments"]
    assert two in rows_members(expected[Dimension.DEPARTMENT], "ЖКХ", month)
    assert education.total == 2  # the twice-reworked one and the one with no executor named


def rows_members(groups: dict[str, set[int]], department: str, month: Month) -> set[int]:
    return groups[str(month.desk.dept(department))]


def test_steps_on_time_and_overdue(month: Month) -> None:
    report = build("otradnensky-2021")
    steps = counted_steps(period_incidents(MARCH.start, MARCH.end, "otradnensky-2021"))
    expected = {}
    for kind in StepKind:
        mine = [s for s in steps if s.kind is kind]
        if mine:
            expected[kind.value] = (
                len(mine),
                sum(s.done_at is not None for s in mine),
                sum(s.done_at is not None and s.done_at <= s.due_at for s in mine),
                sum(late(s) for s in mine),
            )
    assert table(report.by_step) == expected
    assert {r.key: r.name for r in report.by_step}["route"] == STEP_KIND_TITLES[StepKind.ROUTE]
    assert expected["route"][3] >= 2  # routed late, and never routed at all


def test_violations_with_working_minutes_across_the_holiday(month: Month) -> None:
    report = build("otradnensky-2021")
    steps = [
        s
        for s in counted_steps(period_incidents(MARCH.start, MARCH.end, "otradnensky-2021"))
        if late(s)
    ]
    departments = {d.id: d.name for d in Department.select()}
    people = {e.id: e.full_name for e in Employee.select()}

    def department(step: Step) -> str:
        if step.department_id is not None:
            return departments[step.department_id]
        if step.assignment_id is not None:
            return departments[Assignment.get_by_id(step.assignment_id).department_id]
        working = sorted(
            departments[a.department_id]
            for a in live_assignments(Incident.get_by_id(step.incident_id))
        )
        if step.kind in (StepKind.ANSWER, StepKind.FINAL_AFTER_INTERIM) and working:
            return ", ".join(working)
        return "Куратор"

    expected = sorted(
        (
            s.incident_id,
            STEP_KIND_TITLES[s.kind],
            department(s),
            people.get(s.responsible_id, "не назначен"),
            s.due_at,
            s.done_at,
            int(working_seconds(s.due_at, s.done_at or NOW) // 60),
        )
        for s in steps
    )
    got = sorted(
        (v.incident_id, v.step, v.department, v.responsible, v.due_at, v.done_at, v.late_minutes)
        for v in report.violations
    )
    assert got == expected
    # The latest deadline first.
    dues = [v.due_at for v in report.violations]
    assert dues == sorted(dues, reverse=True)
    # By hand: routing due 07.03 15:30 (shortened day), done 16:00 — 30 minutes; the answer due
    # Monday 10.03 16:00, published Tuesday 10:00 — 2 hours on Monday and 1 on Tuesday.
    b = month.ids["late-over-holiday"]
    mine = {v.step: v for v in report.violations if v.incident_id == b}
    assert mine["Направить в отдел"].late_minutes == 30
    assert mine["Направить в отдел"].department == "Куратор"
    assert mine["Срок ответа"].late_minutes == 180
    assert mine["Срок ответа"].department == "Дороги"
    assert mine["Срок ответа"].due_at == dt.datetime(2025, 3, 10, 16, 0, tzinfo=MOSCOW)
    # Still open at the report's moment: late up to it, «не выполнен» shown as done_at None.
    h = month.ids["open-overdue"]
    open_ones = [v for v in report.violations if v.incident_id == h]
    assert open_ones and all(v.done_at is None for v in open_ones)
    assert (
        report.violations[0].number == Incident.get_by_id(report.violations[0].incident_id).number
    )


def test_timings_in_working_minutes(month: Month) -> None:
    report = build("otradnensky-2021")
    incidents = period_incidents(MARCH.start, MARCH.end, "otradnensky-2021")
    to_route, to_first, to_final = [], [], []
    for incident in incidents:
        start = incident.registered_at or incident.detected_at
        routes = [
            s.done_at
            for s in Step.select().where(Step.incident == incident.id)
            if s.kind is StepKind.ROUTE and s.done_at is not None and not s.cancelled
        ]
        if routes:
            to_route.append(working_seconds(start, min(routes)) / 60)
        published = [
            p.published_at
            for p in Publication.select().where(Publication.incident == incident.id)
            if AnswerVersion.get_by_id(p.answer_id).kind
            in (AnswerKind.FINAL, AnswerKind.INTERIM, AnswerKind.EXPLANATION)
        ]
        if published:
            to_first.append(working_seconds(start, min(published)) / 60)
        if incident.answered_at is not None:
            to_final.append(working_seconds(start, incident.answered_at) / 60)
    got = [(t.label, t.count, t.median_minutes, t.p90_minutes) for t in report.timings]
    expected = [
        (label, len(values), p(values, 50), p(values, 90))
        for label, values in zip(reports.TIMING_LABELS, (to_route, to_first, to_final), strict=True)
    ]
    assert [g[:2] for g in got] == [e[:2] for e in expected]
    for g, e in zip(got, expected, strict=True):
        assert g[2] == pytest.approx(e[2]) and g[3] == pytest.approx(e[3])
    # The interim answer is a first answer but not the final publication.
    assert report.timings[1].count == report.timings[2].count + 1


def test_rework_reasons_in_russian(month: Month) -> None:
    report = build("otradnensky-2021")
    ids = {i.id for i in period_incidents(MARCH.start, MARCH.end, "otradnensky-2021")}
    counted = Counter(r for _, reasons in return_reviews(ids) for r in reasons)
    assert {(c.reason, c.count) for c in report.rework_reasons} == {
        (RETURN_REASON_TITLES[ReturnReason(r)], n) for r, n in counted.items()
    }
    first = report.rework_reasons[0]
    assert (first.reason, first.count) == (RETURN_REASON_TITLES[R.SPELLING], 2)  # given twice
    assert report.summary.rework_rate == pytest.approx(100.0 * 2 / report.summary.answered)


def test_dynamics_and_the_last_twelve_months(month: Month) -> None:
    report = build("otradnensky-2021")
    summaries = [
        expected_summary(period_incidents(p.start, p.end, "otradnensky-2021"))
        for p in (MARCH, reports.month_period(2025, 2), reports.month_period(2024, 3))
    ]
    values = [
        (
            s.total,
            s.answered,
            s.on_time,
            s.overdue,
            s.share_on_time,
            s.reworked,
            s.not_to_answer,
            s.official_appeals,
        )
        for s in summaries
    ]
    assert [r.label for r in report.dynamics] == list(SUMMARY_LABELS)
    assert [(r.current, r.previous, r.year_before) for r in report.dynamics] == list(
        zip(*values, strict=True)
    )
    assert report.dynamics[0].previous == 2 and report.dynamics[0].year_before == 1
    months = [m.month for m in report.last_12_months]
    assert months[0] == dt.date(2024, 4, 1) and months[-1] == dt.date(2025, 3, 1)
    assert len(months) == 12
    for share in report.last_12_months:
        after = dt.date(share.month.year + share.month.month // 12, share.month.month % 12 + 1, 1)
        answered = [
            i
            for i in period_incidents(share.month, after, "otradnensky-2021")
            if i.answered_at is not None
        ]
        on_time = sum(outcome(i) == "on_time" for i in answered)
        assert share.answered == len(answered)
        assert share.share_on_time == (
            None if not answered else pytest.approx(100 * on_time / len(answered))
        )
    assert report.last_12_months[-2].answered == 1  # February


def test_the_regulation_filter_and_all_regulations(month: Month) -> None:
    every = reports.build_report(ReportQuery(MARCH), now=NOW)
    assert every.regulation_title == "все порядки"
    assert every.summary == expected_summary(period_incidents(MARCH.start, MARCH.end))
    only = reports.build_report(ReportQuery(MARCH, "konyshevsky-2020"), now=NOW)
    assert only.summary.total == 1 and only.summary.answered == 1
    assert "Конышевский" in only.regulation_title
    otradnensky = build("otradnensky-2021")
    assert every.summary.total == otradnensky.summary.total + 1
    assert (otradnensky.office_name, otradnensky.zone) == (
        "Администрация муниципального образования",
        "Europe/Moscow",
    )
    assert otradnensky.generated_at == NOW


def test_the_period_is_taken_in_office_time(month: Month) -> None:
    ids = set(
        reports.incidents_behind(
            ReportQuery(MARCH), Cell(Dimension.ALL, "", Measure.TOTAL), now=NOW
        )
    )
    assert month.ids["last-evening"] in ids  # 31.03 23:30 Moscow is 20:30 UTC
    assert month.ids["april"] not in ids  # 01.04 00:01 Moscow is still 31.03 in UTC


CELLS = [
    (Dimension.ALL, Measure.TOTAL),
    (Dimension.ALL, Measure.ANSWERED),
    (Dimension.ALL, Measure.ON_TIME),
    (Dimension.ALL, Measure.OVERDUE),
    (Dimension.ALL, Measure.REWORKED),
    (Dimension.ALL, Measure.NOT_TO_ANSWER),
    (Dimension.ALL, Measure.OFFICIAL_APPEAL),
    (Dimension.ALL, Measure.REPEAT),
    (Dimension.TOPIC, Measure.TOTAL),
    (Dimension.TOPIC, Measure.OVERDUE),
    (Dimension.LOCATION, Measure.ANSWERED),
    (Dimension.NETWORK, Measure.TOTAL),
    (Dimension.IMPORTANCE, Measure.ON_TIME),
    (Dimension.ANSWER_KIND, Measure.TOTAL),
    (Dimension.DEPARTMENT, Measure.TOTAL),
    (Dimension.DEPARTMENT, Measure.REWORKED),
    (Dimension.EXECUTOR, Measure.ON_TIME),
    (Dimension.EXECUTOR, Measure.TOTAL),
]


@pytest.mark.parametrize(("dimension", "measure"), CELLS)
def test_the_incidents_behind_a_number(
    month: Month, dimension: Dimension, measure: Measure
) -> None:
    query = ReportQuery(MARCH, "otradnensky-2021")
    incidents = period_incidents(MARCH.start, MARCH.end, "otradnensky-2021")
    by_id = {i.id: i for i in incidents}
    reworked = {i for i, _ in return_reviews(set(by_id))}
    wanted = {
        Measure.TOTAL: lambda i: True,
        Measure.ANSWERED: lambda i: outcome(i) != "none",
        Measure.ON_TIME: lambda i: outcome(i) == "on_time",
        Measure.OVERDUE: lambda i: outcome(i) == "overdue",
        Measure.REWORKED: lambda i: i.id in reworked,
        Measure.NOT_TO_ANSWER: lambda i: i.closure is Closure.NOT_TO_ANSWER,
        Measure.OFFICIAL_APPEAL: lambda i: i.closure is Closure.OFFICIAL_APPEAL,
        Measure.REPEAT: lambda i: i.repeat_of_id is not None,
    }[measure]
    report = build("otradnensky-2021")
    shown = {
        Dimension.ALL: None,
        Dimension.TOPIC: report.by_topic,
        Dimension.LOCATION: report.by_location,
        Dimension.NETWORK: report.by_network,
        Dimension.IMPORTANCE: report.by_importance,
        Dimension.ANSWER_KIND: report.by_answer_kind,
        Dimension.DEPARTMENT: report.by_department,
        Dimension.EXECUTOR: report.by_executor,
    }[dimension]
    for key, members in memberships(incidents)[dimension].items():
        expected = sorted(m for m in members if wanted(by_id[m]))
        assert reports.incidents_behind(query, Cell(dimension, key, measure), now=NOW) == expected
        # …and as many as the number on screen.
        if shown is not None and measure in (
            Measure.TOTAL,
            Measure.ANSWERED,
            Measure.ON_TIME,
            Measure.OVERDUE,
        ):
            row = next(r for r in shown if r.key == key)
            assert len(expected) == getattr(row, measure.value)
    if dimension is Dimension.ALL and measure is not Measure.REWORKED:
        field = {Measure.OFFICIAL_APPEAL: "official_appeals", Measure.REPEAT: "repeats"}.get(
            measure, measure.value
        )
        assert len(
            reports.incidents_behind(query, Cell(dimension, "", measure), now=NOW)
        ) == getattr(report.summary, field)


@pytest.mark.parametrize(
    "measure", [Measure.TOTAL, Measure.ANSWERED, Measure.ON_TIME, Measure.OVERDUE]
)
def test_the_incidents_behind_a_step_number(month: Month, measure: Measure) -> None:
    query = ReportQuery(MARCH, "otradnensky-2021")
    steps = counted_steps(period_incidents(MARCH.start, MARCH.end, "otradnensky-2021"))
    test = {
        Measure.TOTAL: lambda s: True,
        Measure.ANSWERED: lambda s: s.done_at is not None,
        Measure.ON_TIME: lambda s: s.done_at is not None and s.done_at <= s.due_at,
        Measure.OVERDUE: late,
    }[measure]
    for kind in {s.kind for s in steps}:
        expected = sorted({s.incident_id for s in steps if s.kind is kind and test(s)})
        got = reports.incidents_behind(query, Cell(Dimension.STEP, kind.value, measure), now=NOW)
        assert got == expected, kind


# --- periods ------------------------------------------------------------------------------


def test_periods_and_their_titles() -> None:
    october = reports.month_period(2026, 10)
    assert (october.kind, october.start, october.end, october.title) == (
        PeriodKind.MONTH,
        dt.date(2026, 10, 1),
        dt.date(2026, 11, 1),
        "октябрь 2026",
    )
    week = reports.week_period("2026-W44")
    assert (week.start, week.end) == (dt.date(2026, 10, 26), dt.date(2026, 11, 2))
    assert week.title == "неделя 2026-W44 (26.10.2026 – 01.11.2026)"
    first = reports.week_period("2025-W01")  # begins in the year before
    assert (first.start, first.end) == (dt.date(2024, 12, 30), dt.date(2025, 1, 6))
    assert first.title == "неделя 2025-W01 (30.12.2024 – 05.01.2025)"
    assert reports.previous_period(first) == reports.week_period("2024-W52")
    assert reports.year_before(reports.week_period("2026-W53")) == reports.week_period("2025-W52")
    assert reports.year_before(first) == reports.week_period("2024-W01")
    custom = reports.custom_period(dt.date(2026, 10, 1), dt.date(2026, 10, 15))
    assert (custom.start, custom.end, custom.title) == (
        dt.date(2026, 10, 1),
        dt.date(2026, 10, 16),
        "01.10 – 15.10.2026",
    )
    assert reports.previous_period(custom) == reports.custom_period(
        dt.date(2026, 9, 16), dt.date(2026, 9, 30)
    )
    assert reports.year_before(custom).title == "01.10 – 15.10.2025"
    assert reports.custom_period(dt.date(2025, 12, 25), dt.date(2026, 1, 10)).title == (
        "25.12.2025 – 10.01.2026"
    )
    leap = reports.custom_period(dt.date(2024, 2, 29), dt.date(2024, 2, 29))
    assert reports.year_before(leap).start == dt.date(2023, 2, 28)
    assert reports.previous_period(reports.month_period(2026, 1)) == reports.month_period(2025, 12)
    assert reports.year_before(october) == reports.month_period(2025, 10)
    for bad in ("2026-44", "W44", "2026-W54", "2025-W53"):
        with pytest.raises(ValidationError):
            reports.week_period(bad)
    with pytest.raises(ValidationError):
        reports.custom_period(dt.date(2026, 10, 2), dt.date(2026, 10, 1))


def test_a_week_across_the_new_year(office: Office) -> None:
    desk = Desk(office, "otradnensky-2021")
    ids = {}
    for name, moment in {
        "before": dt.datetime(2024, 12, 29, 23, 59, tzinfo=MOSCOW),
        "first": dt.datetime(2024, 12, 30, 0, 30, tzinfo=MOSCOW),
        "holiday": dt.datetime(2025, 1, 3, 12, 0, tzinfo=MOSCOW),
        "last": dt.datetime(2025, 1, 5, 23, 59, tzinfo=MOSCOW),
        "after": dt.datetime(2025, 1, 6, 0, 0, tzinfo=MOSCOW),
    }.items():
        desk.clock = moment
        ids[name] = desk.register(f"Сообщение {name}")
    week = reports.week_period("2025-W01")
    report = reports.build_report(ReportQuery(week), now=dt.datetime(2025, 1, 10, tzinfo=dt.UTC))
    assert report.summary.total == 3
    assert report.dynamics[0].previous == 1  # 2024-W52 holds «before»
    behind = reports.incidents_behind(ReportQuery(week), Cell(Dimension.ALL, "", Measure.TOTAL))
    assert behind == sorted(ids[n] for n in ("first", "holiday", "last"))
    assert [m.month for m in report.last_12_months][-1] == dt.date(2025, 1, 1)


def test_a_custom_period(month: Month) -> None:
    days = reports.custom_period(dt.date(2025, 3, 7), dt.date(2025, 3, 12))
    report = reports.build_report(ReportQuery(days, "otradnensky-2021"), now=NOW)
    expected = expected_summary(period_incidents(days.start, days.end, "otradnensky-2021"))
    assert report.summary == expected
    assert report.summary.total == 3  # late-over-holiday, reworked-once, reworked-twice-late
    previous = reports.previous_period(days)
    assert (previous.start, previous.end) == (dt.date(2025, 3, 1), dt.date(2025, 3, 7))
    assert report.dynamics[0].previous == 1  # on-time, 03.03


def test_an_empty_period(office: Office) -> None:
    report = reports.build_report(ReportQuery(reports.month_period(2030, 1)))
    assert report.summary == Summary(0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    assert report.by_topic == report.by_step == report.violations == ()
    assert [t.count for t in report.timings] == [0, 0, 0]
    assert report.timings[0].median_minutes is None
    assert all(m.share_on_time is None for m in report.last_12_months)


def test_the_working_clock_agrees_with_the_engine(office: Office) -> None:
    put_value("timezone", "Asia/Yekaterinburg")
    time = office_time()
    start = dt.datetime(2025, 2, 26, 3, 17, tzinfo=dt.UTC)
    moments = [start + dt.timedelta(minutes=97 * n + n * n) for n in range(400)]
    clock = reports.WorkingClock.spanning(
        office_work_calendar(), time.zone, [reports._epoch_us(m) for m in moments]
    )
    for a, b in zip(moments, moments[7:], strict=False):
        engine = time.elapsed(a, b)
        assert clock.elapsed(reports._epoch_us(a), reports._epoch_us(b)) == engine // dt.timedelta(
            microseconds=1
        )


def test_percentile_is_linear_between_ranks() -> None:
    assert reports.percentile([], 0.5) is None
    assert reports.percentile([7.0], 0.9) == 7.0
    values = [1.0, 2.0, 3.0, 4.0, 10.0]
    assert reports.percentile(values, 0.5) == 3.0
    assert reports.percentile(values, 0.9) == pytest.approx(
        statistics.quantiles(values, n=10, method="inclusive")[8]
    )


def test_a_step_kind_still_running_counts_none_on_time_or_late(month: Month) -> None:
    """Steps of a kind all still running within their deadline are counted, neither on time
    nor late — not a NULL (SQL's sum of nothing) the Reports tab cannot show."""
    incident = month.ids["late-over-holiday"]
    started = Incident.get_by_id(incident).detected_at
    due = NOW + dt.timedelta(days=1)
    Step.create(incident=incident, kind=StepKind.EXPLANATION, started_at=started, due_at=due)
    report = build("otradnensky-2021")
    [row] = [r for r in report.by_step if r.key == StepKind.EXPLANATION.value]
    assert (row.on_time, row.overdue, row.share_on_time) == (0, 0, None)
