"""The demo office a newcomer sees: every state, consistent rows, a valid audit chain."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from desktop.models import database
from desktop.models.entities import (
    Assignment,
    Department,
    EmployeeRole,
    Incident,
    Publication,
    Review,
)
from desktop.models.enums import IncidentStatus, ReviewDecision, Role
from desktop.services.audit import verify_chain
from desktop.services.config import DatabaseTarget, TargetOrigin
from desktop.services.demo import create_demo_database, fill_demo_data
from desktop.services.links import network_of
from desktop.services.office import Office, open_office
from desktop.services.queue import open_queue
from desktop.services.session import identify

NOW = dt.datetime(2026, 11, 20, 11, 30, tzinfo=dt.UTC)


@pytest.fixture
def demo(office: Office) -> Office:
    fill_demo_data("newcomer", now=NOW, incidents=60)
    return office


def by_status(status: IncidentStatus) -> list[Incident]:
    return list(Incident.select().where(Incident.status == status))


def test_every_state_is_there_at_least_three_times(demo: Office) -> None:
    for status in IncidentStatus:
        assert len(by_status(status)) >= 3, status
    assert len(open_queue()) == sum(1 for i in Incident.select() if i.status.is_open)


def test_incidents_are_plausible(demo: Office) -> None:
    for incident in Incident.select():
        assert network_of(incident.link) == incident.network
        assert incident.posted_at <= incident.detected_at <= NOW
        assert incident.text and incident.author_name
        assert incident.topic_id and incident.location_id
    assert [i.number for i in Incident.select().order_by(Incident.number)] == list(range(1, 61))


def test_states_match_their_rows(demo: Office) -> None:
    for incident in by_status(IncidentStatus.NEW):
        assert not Assignment.select().where(Assignment.incident == incident).exists()
    for incident in by_status(IncidentStatus.ANSWERED):
        assert incident.answered_at is not None
        assert Publication.select().where(Publication.incident == incident).exists()
    for incident in by_status(IncidentStatus.REWORK):
        returns = (
            Review.select()
            .join_from(Review, Review.answer.rel_model)
            .where(
                (Review.answer.rel_model.incident == incident)
                & (Review.decision == ReviewDecision.RETURN)
            )
        )
        assert returns.exists()
    for incident in by_status(IncidentStatus.NOT_TO_ANSWER) + by_status(
        IncidentStatus.OFFICIAL_APPEAL
    ):
        assert incident.closure is not None
    for incident in by_status(IncidentStatus.OFFICIAL_APPEAL):
        assert incident.appeal_number


def test_the_newcomer_may_do_everything_and_departments_have_executors(demo: Office) -> None:
    user = identify("newcomer")
    assert {Role.ADMINISTRATOR, Role.CURATOR, Role.OPERATOR} <= user.roles
    for department in Department.select():
        executors = (
            EmployeeRole.select()
            .join(EmployeeRole.employee.rel_model)
            .where(
                (EmployeeRole.role == Role.EXECUTOR)
                & (EmployeeRole.employee.rel_model.department == department)
            )
        )
        assert executors.exists(), department.name


def test_the_audit_chain_of_the_demo_verifies(demo: Office) -> None:
    report = verify_chain()
    assert report.ok
    assert report.checked >= 60


def test_the_same_seed_gives_the_same_office(tmp_path: Path) -> None:
    texts = []
    for name in ("a.db", "b.db"):
        create_demo_database(tmp_path / name, incidents=15, seed=3, login="x")
        open_office(DatabaseTarget(str(tmp_path / name), TargetOrigin.COMMAND_LINE))
        texts.append([(i.text, i.author_name) for i in Incident.select().order_by(Incident.id)])
        database.bind(None)
    assert texts[0] == texts[1]
    assert len(texts[0]) == 15


def test_a_small_demo_still_has_a_queue(office: Office) -> None:
    fill_demo_data("x", now=NOW, incidents=5)
    assert Incident.select().count() == 5
    assert verify_chain().ok
