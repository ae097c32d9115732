"""Alerts: relevant to the user, once each, and only in working hours."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from desktop.models.enums import Importance, IncidentStatus, Network, Role, StepKind
from desktop.services.alerts import AlertKind, AlertPolicy
from desktop.services.countdown import Level
from desktop.services.queue import QueueRow
from desktop.services.queue_filter import Me
from desktop.services.workcalendar import WorkCalendar

MOSCOW = ZoneInfo("Europe/Moscow")


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2025, 3, day, hour, minute, tzinfo=MOSCOW).astimezone(dt.UTC)


def row(**fields: object) -> QueueRow:
    values: dict[str, object] = {
        "incident_id": 1,
        "number": 7,
        "network": Network.TELEGRAM,
        "author": "Пётр",
        "summary": "Прорыв трубы",
        "topic": "ЖКХ",
        "location": "ул. Мира",
        "departments": "",
        "status": IncidentStatus.NEW,
        "importance": Importance.HIGH,
        "detected_at": at(12, 10),
        "answer_due_at": None,
        "version": 1,
        "step": StepKind.ROUTE,
        "step_started_at": at(12, 10),
        "step_due_at": at(12, 10, 30),
        "department_ids": frozenset({3}),
        "people": frozenset(),
    }
    values.update(fields)
    return QueueRow(**values)  # type: ignore[arg-type]


def policy(*roles: Role, me: Me | None = None) -> AlertPolicy:
    return AlertPolicy(WorkCalendar(), MOSCOW, frozenset(roles), me or Me(None))


def test_a_high_importance_arrival_alerts_once() -> None:
    alerts = policy(Role.CURATOR)
    [alert] = alerts.arrived(None, row(), at(12, 10, 1))  # Wednesday 12 March 2025
    assert alert.kind is AlertKind.HIGH_ARRIVED and alert.urgent
    assert alert.title == "Повышенная важность: № 7"
    assert alert.text == "Telegram, ул. Мира: Прорыв трубы"
    assert alerts.arrived(None, row(), at(12, 10, 2)) == []
    assert alerts.arrived(None, row(incident_id=2, importance=Importance.NORMAL), at(12, 11)) == []


def test_a_message_raised_to_high_importance_alerts_too() -> None:
    alerts = policy(Role.OPERATOR)
    before = row(importance=Importance.NORMAL)
    assert [a.kind for a in alerts.arrived(before, row(), at(12, 11))] == [AlertKind.HIGH_ARRIVED]
    assert alerts.arrived(row(), row(version=2), at(12, 11)) == []


def test_quarter_left_and_overdue_alert_once_per_step() -> None:
    alerts = policy(Role.CURATOR)
    [soon] = alerts.crossed(row(), Level.SOON, at(12, 10, 23))
    assert soon.kind is AlertKind.QUARTER_LEFT and not soon.urgent
    assert soon.text == "Направить в отдел: срок 12.03.2025 10:30. Прорыв трубы"
    [late] = alerts.crossed(row(), Level.OVERDUE, at(12, 10, 31))
    assert late.title == "Просрочено: № 7"
    assert alerts.crossed(row(), Level.OVERDUE, at(12, 10, 32)) == []
    rerouted = row(step=StepKind.REROUTE, step_started_at=at(12, 11))
    assert len(alerts.crossed(rerouted, Level.OVERDUE, at(12, 12))) == 1  # another step
    assert alerts.crossed(row(), Level.CALM, at(12, 12)) == []


def test_outside_working_hours_alerts_wait_for_the_opening() -> None:
    alerts = policy(Role.CURATOR)
    evening = at(12, 19)
    assert alerts.arrived(None, row(), evening) == []
    assert alerts.crossed(row(incident_id=2), Level.OVERDUE, evening) == []
    assert alerts.due_now(at(12, 23), lambda a: True) == []  # still night
    assert alerts.due_now(at(13, 8, 59), lambda a: True) == []
    morning = alerts.due_now(at(13, 9, 0), lambda a: a.incident_id == 1)
    assert [a.kind for a in morning] == [AlertKind.HIGH_ARRIVED]  # no 2: closed overnight
    assert alerts.due_now(at(13, 9, 1), lambda a: True) == []
    assert alerts.arrived(None, row(), at(13, 9, 5)) == []  # once, even across the night


def test_executors_hear_about_their_own_messages_only() -> None:
    executor = policy(Role.EXECUTOR, me=Me(11, department_id=3))
    assert len(executor.crossed(row(), Level.OVERDUE, at(12, 11))) == 1
    other = row(incident_id=2, department_ids=frozenset({4}))
    assert executor.crossed(other, Level.OVERDUE, at(12, 11)) == []
    assert len(policy(Role.MANAGER).crossed(other, Level.OVERDUE, at(12, 11))) == 1
