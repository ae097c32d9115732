"""The demo office a newcomer sees: every state, consistent rows, a valid audit chain."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from desktop.models import database
from desktop.models.entities import (
    Absence,
    Account,
    AnswerVersion,
    Assignment,
    AuditEvent,
    Department,
    Employee,
    EmployeeRole,
    Incident,
    Location,
    Publication,
    Review,
    Step,
    Topic,
)
from desktop.models.enums import (
    AccountOwner,
    AnswerKind,
    AnswerStatus,
    AssignmentStatus,
    Closure,
    Importance,
    IncidentSource,
    IncidentStatus,
    LocationKind,
    Network,
    ReturnReason,
    ReviewDecision,
    Role,
    StepKind,
)
from desktop.services import demo
from desktop.services.audit import verify_chain
from desktop.services.config import DatabaseTarget, TargetOrigin, demo_target
from desktop.services.demo import create_demo_database, fill_demo_data, open_demo_office
from desktop.services.links import link_key, network_of
from desktop.services.office import Office, open_office
from desktop.services.queue import open_queue
from desktop.services.session import identify
from desktop.services.settings import office_settings
from desktop.services.workcalendar import WorkCalendar

NOW = dt.datetime(2026, 11, 20, 11, 30, tzinfo=dt.UTC)  # Friday, 14:30 in Moscow
MOSCOW = ZoneInfo("Europe/Moscow")
OPEN = [s for s in IncidentStatus if s.is_open]


@pytest.fixture
def demo_office(office: Office) -> Office:
    fill_demo_data("OFFICE\\Newcomer", now=NOW)
    return office


def of_status(status: IncidentStatus) -> list[Incident]:
    return list(Incident.select().where(Incident.status == status))


def steps_of(incident: Incident, kind: StepKind | None = None) -> list[Step]:
    query = Step.select().where(Step.incident == incident)
    if kind is not None:
        query = query.where(Step.kind == kind)
    return list(query.order_by(Step.id))


def answers_of(incident: Incident, *kinds: AnswerKind) -> list[AnswerVersion]:
    query = AnswerVersion.select().where(AnswerVersion.incident == incident)
    if kinds:
        query = query.where(AnswerVersion.kind.in_(kinds))
    return list(query.order_by(AnswerVersion.id))  # a working copy (number 0) is the newest


CALENDAR = WorkCalendar()  # the default office hours on the production calendar


def in_office_hours(moment: dt.datetime) -> bool:
    """Inside a working interval of the day, its ends included."""
    local = moment.astimezone(MOSCOW)
    return any(a <= local.time() <= b for a, b in CALENDAR.day_intervals(local.date()))


def working_minutes(start: dt.datetime, end: dt.datetime) -> int:
    """Minutes of office hours between two moments, counted one by one: an oracle."""
    minutes, moment = 0, start
    while moment < end:
        moment += dt.timedelta(minutes=1)
        minutes += in_office_hours(moment) and in_office_hours(moment - dt.timedelta(minutes=1))
    return minutes


def test_every_state_is_there_at_least_three_times(demo_office: Office) -> None:
    # The demo office follows Отрадненский: nothing goes back to an upstream city curator.
    for status in set(IncidentStatus) - {IncidentStatus.RETURNED_UPSTREAM}:
        assert len(of_status(status)) >= 3, status
    assert Incident.select().count() == 60
    assert len(open_queue()) == Incident.select().where(Incident.status.in_(OPEN)).count()


def test_messages_are_plausible(demo_office: Office) -> None:
    incidents = list(Incident.select().order_by(Incident.number))
    assert [i.number for i in incidents] == list(range(1, 61))
    detections = [i.detected_at for i in incidents]
    assert detections == sorted(detections)  # numbered as they were registered
    for incident in incidents:
        assert network_of(incident.link) is incident.network
        assert incident.link_key == link_key(incident.link)
        assert incident.posted_at < incident.detected_at <= NOW
        assert in_office_hours(incident.detected_at)
        assert incident.text and incident.author_name and incident.author_url
        assert incident.topic.parent is not None
        assert incident.location.kind is not LocationKind.DISTRICT
        assert incident.regulation == "otradnensky-2021"
        monitoring = incident.source is IncidentSource.MONITORING
        assert bool(incident.external_number) == monitoring
        if incident.account is not None:
            assert incident.account.network is incident.network
    assert len({i.link_key for i in incidents}) == 60
    assert len({i.text for i in incidents}) > 40
    assert {i.network for i in incidents} >= {Network.VK, Network.OK, Network.TELEGRAM}
    assert {i.source for i in incidents} == {IncidentSource.MONITORING, IncidentSource.OWN_SEARCH}
    assert any(i.account is not None for i in incidents)
    assert any(i.account is None for i in incidents)
    high = [i for i in incidents if i.importance is Importance.HIGH]
    assert len(high) == 6  # one in ten


def test_deadlines_run_in_working_time(demo_office: Office) -> None:
    for incident in Incident.select():
        (answer,) = steps_of(incident, StepKind.ANSWER)
        hours = 4 if incident.importance is Importance.HIGH else 8
        assert answer.started_at == incident.detected_at
        assert working_minutes(answer.started_at, answer.due_at) == hours * 60
        assert answer.rule == ("п. 17 Порядка" if hours == 4 else "п. 9 Порядка")
        if incident.status is not IncidentStatus.INTERIM:
            assert incident.answer_due_at == answer.due_at
        route = steps_of(incident, StepKind.ROUTE)[0]
        assert working_minutes(route.started_at, route.due_at) == 30
        for step in steps_of(incident):
            assert step.started_at < step.due_at
            assert in_office_hours(step.due_at)
            if step.done_at is not None:
                assert step.started_at <= step.done_at <= NOW
                assert in_office_hours(step.done_at)


def test_the_queue_has_calm_close_and_overdue_messages(demo_office: Office) -> None:
    waiting = [
        i
        for i in Incident.select().where(Incident.status.in_(OPEN))
        if i.status not in (IncidentStatus.NEW, IncidentStatus.INTERIM)
    ]
    overdue = [i for i in waiting if i.answer_due_at < NOW]
    close = [i for i in waiting if NOW <= i.answer_due_at < NOW + dt.timedelta(hours=1)]
    calm = [i for i in waiting if i.answer_due_at >= NOW + dt.timedelta(hours=1)]
    assert overdue and close
    assert len(calm) > len(overdue) + len(close)
    new = of_status(IncidentStatus.NEW)
    late_routing = [i for i in new if steps_of(i, StepKind.ROUTE)[0].due_at < NOW]
    assert 0 < len(late_routing) < len(new)


def test_new_and_returned_messages_wait_for_routing(demo_office: Office) -> None:
    for incident in of_status(IncidentStatus.NEW):
        assert not Assignment.select().where(Assignment.incident == incident).exists()
        assert not answers_of(incident)
        assert {s.kind for s in steps_of(incident) if s.done_at is None} == {
            StepKind.ROUTE,
            StepKind.ANSWER,
        }
    for incident in of_status(IncidentStatus.RETURNED):
        (assignment,) = Assignment.select().where(Assignment.incident == incident)
        assert assignment.status is AssignmentStatus.RETURNED
        assert assignment.return_reason
        (check,) = steps_of(incident, StepKind.COMPETENCE_CHECK)
        assert check.done_at is not None
        reroute = steps_of(incident, StepKind.ROUTE)[-1]
        assert reroute.done_at is None and reroute.started_at == check.done_at


def test_routed_messages_have_departments_and_executors(demo_office: Office) -> None:
    routed = Incident.select().where(
        Incident.status.not_in([IncidentStatus.NEW, *demo._CLOSED_UNANSWERED])
    )
    consolidated = 0
    for incident in routed:
        assignments = list(
            Assignment.select().where(Assignment.incident == incident).order_by(Assignment.position)
        )
        assert 1 <= len(assignments) <= 2
        assert all(a.executor is not None for a in assignments)
        assert all(a.routed_at > incident.detected_at for a in assignments)
        if len(assignments) == 2:
            consolidated += 1
            assert [a.is_consolidator for a in assignments] == [True, False]
            assert len({a.department_id for a in assignments}) == 2
        else:
            assert not assignments[0].is_consolidator
    assert consolidated >= 1
    for incident in of_status(IncidentStatus.CLARIFICATION):
        (question,) = answers_of(incident, AnswerKind.CLARIFICATION)
        assert question.submitted_at is not None
        assert steps_of(incident, StepKind.CLARIFICATION)[0].done_at == question.submitted_at


def test_drafts_reviews_and_publications_match_the_state(demo_office: Office) -> None:
    for incident in of_status(IncidentStatus.ON_APPROVAL):
        last = answers_of(incident, AnswerKind.FINAL)[-1]
        assert last.status is AnswerStatus.SUBMITTED
        assert steps_of(incident, StepKind.REVIEW)[-1].done_at is None
    for incident in of_status(IncidentStatus.REWORK):
        first, second = answers_of(incident, AnswerKind.FINAL)
        assert first.status is AnswerStatus.RETURNED
        assert second.status is AnswerStatus.DRAFT and second.submitted_at is None
        assert second.number == 0  # the executor's working copy, as the editor keeps it
        (review,) = Review.select().where(Review.answer == first)
        assert review.decision is ReviewDecision.RETURN
        assert review.reasons and set(review.reasons) <= {r.value for r in ReturnReason}
        assert review.comment
        assert steps_of(incident, StepKind.REWORK)[-1].done_at is None
    for incident in of_status(IncidentStatus.APPROVED):
        last = answers_of(incident, AnswerKind.FINAL)[-1]
        assert last.status is AnswerStatus.APPROVED
        assert not Publication.select().where(Publication.incident == incident).exists()
        assert steps_of(incident, StepKind.PUBLISH)[-1].done_at is None
    for incident in of_status(IncidentStatus.INTERIM) + of_status(IncidentStatus.ANSWERED):
        kind = AnswerKind.INTERIM if incident.status is IncidentStatus.INTERIM else AnswerKind.FINAL
        last = answers_of(incident, kind)[-1]
        assert last.status is AnswerStatus.PUBLISHED
        (publication,) = Publication.select().where(Publication.incident == incident)
        assert publication.answer_id == last.id
        assert publication.url.startswith("https://")
        assert publication.published_at <= NOW
        approvals = Review.select().where(
            (Review.answer == last) & (Review.decision != ReviewDecision.RETURN)
        )
        assert approvals.count() == 1
        assert steps_of(incident, StepKind.ANSWER)[0].done_at == publication.published_at
        if incident.status is IncidentStatus.ANSWERED:
            assert incident.answered_at == publication.published_at
        else:
            (final,) = steps_of(incident, StepKind.FINAL_AFTER_INTERIM)
            assert final.done_at is None
            assert incident.answer_due_at == final.due_at
            assert incident.answered_at is None
    reworked = Review.select().where(Review.decision == ReviewDecision.RETURN)
    assert reworked.count() > len(of_status(IncidentStatus.REWORK))  # some went on after it


def test_closed_messages_are_closed_and_open_ones_have_something_due(
    demo_office: Office,
) -> None:
    for incident in Incident.select():
        pending = [s for s in steps_of(incident) if s.done_at is None]
        if incident.status.is_open:
            assert pending, incident.status
        else:
            assert not pending, incident.status
    for incident in of_status(IncidentStatus.NOT_TO_ANSWER):
        assert incident.closure is Closure.NOT_TO_ANSWER
        assert "п. 21" in incident.closure_note
        assert not Publication.select().where(Publication.incident == incident).exists()
    for incident in of_status(IncidentStatus.OFFICIAL_APPEAL):
        assert incident.closure is Closure.OFFICIAL_APPEAL
        assert incident.closure_note and incident.appeal_number
        assert incident.appeal_date >= incident.detected_at.astimezone(MOSCOW).date()
    for incident in Incident.select().where(Incident.status.in_(OPEN)):
        assert incident.closure is None


def test_repeats_and_reports_to_the_manager(demo_office: Office) -> None:
    repeats = list(Incident.select().where(Incident.repeat_of.is_null(False)))
    assert repeats
    for repeat in repeats:
        original = repeat.repeat_of
        assert original.number < repeat.number
        assert original.answered_at is not None and original.answered_at < repeat.detected_at
        assert (original.topic_id, original.location_id) == (repeat.topic_id, repeat.location_id)
    notified = Incident.select().where(Incident.manager_notified_at.is_null(False))
    assert notified.count() >= 1
    for incident in notified:
        assert incident.importance is Importance.HIGH
        assert incident.detected_at < incident.manager_notified_at <= NOW


def test_the_audit_chain_verifies_and_tells_each_story_in_order(demo_office: Office) -> None:
    report = verify_chain()
    assert report.ok
    events = list(AuditEvent.select().order_by(AuditEvent.id))
    assert report.checked == len(events)
    moments = [e.at for e in events]
    assert moments == sorted(moments)  # the log reads in time order
    assert moments[-1] <= NOW
    stories: dict[int, list[AuditEvent]] = {}
    for event in events:
        if event.incident_id is not None:
            stories.setdefault(event.incident_id, []).append(event)
    for incident in Incident.select():
        story = stories[incident.id]
        assert story[0].action == "register" and story[0].at == incident.detected_at
        transitions = [e.after["status"] for e in story if "status" in (e.after or {})]
        assert transitions[0] == IncidentStatus.NEW.value
        assert transitions[-1] == incident.status.value
        assert len(transitions) == len(set(transitions)) or "rework" in transitions
        changes = [e for e in story if e.entity == "incident" or "status" in (e.after or {})]
        assert incident.updated_at == changes[-1].at
        assert incident.version == len(changes)
    actions = Counter(e.action for e in events)
    assert actions["register"] == 60
    assert actions["add_employee"] == Employee.select().count()
    for action in ("route", "submit", "return", "approve", "publish", "close"):
        assert actions[action] >= 3, action


def test_the_newcomer_may_do_everything_and_departments_have_executors(
    demo_office: Office,
) -> None:
    user = identify("newcomer")
    assert {Role.ADMINISTRATOR, Role.CURATOR, Role.OPERATOR} <= user.roles
    assert "newcomer" in user.full_name
    roles = Counter(r.role for r in EmployeeRole.select())
    assert roles[Role.MANAGER] == 1
    assert roles[Role.OPERATOR] >= 3 and roles[Role.CURATOR] >= 3  # with the newcomer
    assert roles[Role.DEPARTMENT_HEAD] >= Department.select().count()
    assert 18 <= Employee.select().count() <= 25
    for employee in Employee.select():
        assert employee.os_login.isascii() and employee.os_login == employee.os_login.lower()
    for department in Department.select():
        executors = (
            EmployeeRole.select()
            .join(Employee)
            .where((EmployeeRole.role == Role.EXECUTOR) & (Employee.department == department))
        )
        assert executors.exists(), department.name
    today = NOW.astimezone(MOSCOW).date()
    current = [a for a in Absence.select() if a.starts_on <= today <= a.ends_on]
    assert len(current) == 1
    assert current[0].substitute.department_id == current[0].employee.department_id
    away = current[0].employee_id
    routed_while_away = Assignment.select().where(
        (Assignment.executor == away) & (Assignment.routed_at >= NOW - dt.timedelta(days=2))
    )
    assert not routed_while_away.exists()


def test_the_office_is_set_up(demo_office: Office) -> None:
    settings = office_settings()
    assert settings.office_name == "Администрация Отрадненского района"
    assert settings.timezone == "Europe/Moscow"
    assert settings.regulation == "otradnensky-2021"
    groups = list(Topic.select().where(Topic.parent.is_null()))
    assert len(groups) >= 7
    assert all(Topic.select().where(Topic.parent == g).count() >= 2 for g in groups)
    (district,) = Location.select().where(Location.parent.is_null())
    assert district.kind is LocationKind.DISTRICT
    places = list(Location.select().where(Location.parent == district))
    assert 9 <= len(places) <= 13
    assert sum(p.kind is LocationKind.CITY for p in places) == 1
    assert Department.select().where(Department.kind == "territorial").count() >= 2
    accounts = list(Account.select())
    assert {a.owner for a in accounts} == set(AccountOwner)
    assert any(a.owner is AccountOwner.GOVERNOR and a.network is Network.TELEGRAM for a in accounts)
    for account in accounts:
        assert network_of(account.url) is account.network
        assert (account.department is not None) == (account.owner is AccountOwner.DEPARTMENT)


def _snapshot() -> list[tuple[object, ...]]:
    return [
        (i.number, i.text, i.author_name, i.link, i.status, i.detected_at, i.answer_due_at)
        for i in Incident.select().order_by(Incident.number)
    ]


def test_the_same_seed_gives_the_same_office(tmp_path: Path) -> None:
    snapshots = []
    for name, seed in (("a.db", 3), ("b.db", 3), ("c.db", 4)):
        open_office(DatabaseTarget(str(tmp_path / name), TargetOrigin.COMMAND_LINE), create=True)
        fill_demo_data("x", now=NOW, incidents=40, seed=seed)
        snapshots.append((_snapshot(), [e.hash for e in AuditEvent.select()]))
        database.bind(None)
    assert snapshots[0] == snapshots[1]
    assert snapshots[0][0] != snapshots[2][0]


def test_create_demo_database_makes_a_file_that_reopens(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "demo.db"
    create_demo_database(path, incidents=12, login="someone")
    assert database.database_proxy.obj is None  # left unbound
    open_office(DatabaseTarget(str(path), TargetOrigin.COMMAND_LINE))
    try:
        assert Incident.select().count() == 12
        assert verify_chain().ok
        assert Role.ADMINISTRATOR in identify("someone").roles
    finally:
        database.bind(None)
    with pytest.raises(FileExistsError):
        create_demo_database(path, incidents=1, login="someone")


def test_the_embedded_demo_is_filled_once_for_the_os_login() -> None:
    office = open_demo_office()  # OTKLIK_DATA_DIR and OTKLIK_USER=tester come from conftest
    try:
        assert office.target.is_demo and office.path == demo_target().path
        assert Incident.select().count() == 60
        assert Role.ADMINISTRATOR in identify().roles
        events = AuditEvent.select().count()
    finally:
        office.close()
    again = open_demo_office()
    try:
        assert Incident.select().count() == 60
        assert AuditEvent.select().count() == events
    finally:
        again.close()


def test_a_small_demo_cycles_through_the_states(office: Office) -> None:
    fill_demo_data("x", now=NOW, incidents=5)
    statuses = [i.status for i in Incident.select()]
    assert len(statuses) == len(set(statuses)) == 5
    assert verify_chain().ok


def test_an_empty_demo_has_the_office_but_no_messages(office: Office) -> None:
    fill_demo_data("x", now=NOW, incidents=0)
    assert Incident.select().count() == 0
    assert Employee.select().count() > 10
    assert verify_chain().ok


def test_a_demo_written_in_chunks_is_the_same(
    office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill_demo_data("x", now=NOW, incidents=70)
    whole = _snapshot(), [e.hash for e in AuditEvent.select().order_by(AuditEvent.id)]
    database.bind(None)
    monkeypatch.setattr(demo, "INCIDENTS_PER_CHUNK", 16)
    monkeypatch.setattr(demo, "ROWS_PER_TRANSACTION", 25)
    target = DatabaseTarget(str(tmp_path / "chunked.db"), TargetOrigin.COMMAND_LINE)
    open_office(target, create=True)
    fill_demo_data("x", now=NOW, incidents=70)
    assert (_snapshot(), [e.hash for e in AuditEvent.select().order_by(AuditEvent.id)]) == whole
    assert verify_chain().ok


def test_a_demo_made_at_the_weekend_stays_in_the_past_and_in_office_hours(
    office: Office,
) -> None:
    sunday_night = dt.datetime(2026, 11, 22, 19, 0, tzinfo=dt.UTC)  # 22:00 in Moscow
    fill_demo_data("x", now=sunday_night, incidents=33)
    for event in AuditEvent.select().where(AuditEvent.incident_id.is_null(False)):
        assert event.at <= sunday_night
        assert in_office_hours(event.at)
    friday = sunday_night.astimezone(MOSCOW).date() - dt.timedelta(days=2)
    latest = Incident.select().order_by(Incident.detected_at.desc()).first()
    assert latest.detected_at.astimezone(MOSCOW).date() == friday


def test_a_naive_now_is_refused(office: Office) -> None:
    with pytest.raises(ValueError, match="aware"):
        fill_demo_data("x", now=NOW.replace(tzinfo=None), incidents=1)


def test_nothing_in_the_demo_happened_after_now(demo_office: Office) -> None:
    moments = {
        Incident: ("posted_at", "detected_at", "answered_at", "manager_notified_at", "updated_at"),
        Assignment: ("routed_at", "updated_at"),
        AnswerVersion: ("created_at", "submitted_at", "updated_at"),
        Review: ("decided_at",),
        Publication: ("published_at",),
        Employee: ("updated_at",),
    }
    for model, names in moments.items():
        for row in model.select():
            for name in names:
                moment = getattr(row, name)
                assert moment is None or moment <= NOW, (model.__name__, name)
    for answer in AnswerVersion.select():
        assert answer.submitted_at is None or answer.created_at <= answer.submitted_at
        assert answer.created_at <= answer.updated_at
