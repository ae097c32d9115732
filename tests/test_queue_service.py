"""The queue's rows: open incidents only, soonest deadline first, departments joined."""

from __future__ import annotations

import datetime as dt

from desktop.models.entities import Assignment, Department, Incident, Location, Topic
from desktop.models.enums import Importance, IncidentStatus, Network
from desktop.services.office import Office
from desktop.services.queue import (
    incident_rows,
    incidents_of_assignments,
    open_queue,
    queue_rows,
    summary_of,
)

T0 = dt.datetime(2026, 11, 2, 6, 0, tzinfo=dt.UTC)


def incident(number: int, due_hours: float | None, **fields: object) -> Incident:
    return Incident.create(
        number=number,
        network=Network.OK,
        text=fields.pop("text", f"Сообщение {number}"),
        detected_at=T0,
        answer_due_at=None if due_hours is None else T0 + dt.timedelta(hours=due_hours),
        **fields,
    )


def test_open_incidents_soonest_deadline_first(office: Office) -> None:
    incident(1, 8)
    incident(2, None)
    incident(3, 2, importance=Importance.HIGH)
    incident(4, 1, status=IncidentStatus.ANSWERED)
    incident(5, 4, status=IncidentStatus.NOT_TO_ANSWER)
    rows = open_queue()
    assert [r.number for r in rows] == [3, 1, 2]
    assert rows[0].is_high


def test_a_row_carries_names_not_ids(office: Office) -> None:
    topic = Topic.create(name="Вывоз мусора")
    place = Location.create(name="ст. Отрадная")
    row = incident(
        1,
        8,
        topic=topic,
        location=place,
        author_name="Марина К.",
        text="\n\nНе вывозят мусор третий день\nпо ул. Ленина",
    )
    for name in ("Отдел ЖКХ", "Управление ст. Отрадной"):
        Assignment.create(incident=row, department=Department.create(name=name))
    (queued,) = open_queue()
    assert queued.summary == "Не вывозят мусор третий день"
    assert (queued.topic, queued.location, queued.author) == (
        "Вывоз мусора",
        "ст. Отрадная",
        "Марина К.",
    )
    assert set(queued.departments.split(", ")) == {"Отдел ЖКХ", "Управление ст. Отрадной"}


def test_fresh_rows_by_id_say_which_left_the_queue(office: Office) -> None:
    kept, closed = incident(1, 8), incident(2, 8, status=IncidentStatus.OFFICIAL_APPEAL)
    fresh = queue_rows([kept.id, closed.id, 999])
    assert fresh[kept.id] is not None
    assert fresh[closed.id] is None
    assert fresh[999] is None


def test_rows_for_a_report_include_closed_incidents(office: Office) -> None:
    kept = incident(1, 8)
    closed = incident(2, 8, status=IncidentStatus.ANSWERED, text="Спасибо за ответ\nвторая")
    Assignment.create(incident=closed, department=Department.create(name="Отдел ЖКХ"))
    rows = incident_rows([closed.id, kept.id, 999])
    answered = rows[closed.id]
    assert answered is not None
    assert (answered.number, answered.summary, answered.status) == (
        2,
        "Спасибо за ответ",
        IncidentStatus.ANSWERED,
    )
    assert answered.departments == "Отдел ЖКХ"
    assert answered.step is None
    assert rows[kept.id] is not None and rows[kept.id].number == 1  # type: ignore[union-attr]
    assert rows[999] is None
    assert incident_rows([]) == {}


def test_assignment_changes_map_to_their_incidents(office: Office) -> None:
    first, second = incident(1, 8), incident(2, 8)
    department = Department.create(name="Отдел образования")
    a = Assignment.create(incident=first, department=department)
    b = Assignment.create(incident=second, department=department)
    assert incidents_of_assignments([a.id, b.id]) == {first.id, second.id}
    assert incidents_of_assignments([]) == set()


def test_long_first_lines_are_shortened() -> None:
    assert summary_of("а" * 300).endswith("…")
    assert len(summary_of("а" * 300)) == 120
