"""«Отделы»: add, rename, order, archive; a department messages refer to is never deleted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from desktop.models.entities import Assignment, AuditEvent, Department, Employee, Incident
from desktop.models.enums import DepartmentKind, Network, Role
from desktop.services.departments import (
    DepartmentInput,
    add_department,
    list_departments,
    move_department,
    remove_department,
    set_department_active,
    update_department,
)
from desktop.services.directory import directory
from desktop.services.errors import AccessDenied, ConflictError, ValidationError
from desktop.services.office import Office
from desktop.services.session import CurrentUser, identify

MakeUser = Callable[..., CurrentUser]
NOW = dt.datetime(2025, 3, 12, 7, 0, tzinfo=dt.UTC)


@pytest.fixture
def admin(office: Office) -> CurrentUser:
    return identify("tester")  # the first login administers the office


def names() -> list[str]:
    return [d.name for d in list_departments()]


def test_an_administrator_adds_and_renames_a_department(admin: CurrentUser) -> None:
    first = add_department(admin, DepartmentInput("  Управление   ЖКХ ", "ЖКХ"))
    add_department(
        admin,
        DepartmentInput(
            "Передовое сельское поселение",
            kind=DepartmentKind.TERRITORIAL,
            email="peredovoe@example.ru",
            phone="+7 86144 3-11-22",
        ),
    )
    rows = list_departments()
    assert [r.name for r in rows] == ["Управление ЖКХ", "Передовое сельское поселение"]
    assert rows[1].kind is DepartmentKind.TERRITORIAL
    assert rows[1].email == "peredovoe@example.ru"
    version = update_department(
        admin, first, rows[0].version, DepartmentInput("Управление ЖКХ и транспорта", "ЖКХ")
    )
    assert version == rows[0].version + 1
    assert names()[0] == "Управление ЖКХ и транспорта"
    actions = [(e.entity, e.action) for e in AuditEvent.select().order_by(AuditEvent.id)]
    assert actions[-3:] == [("department", "add"), ("department", "add"), ("department", "edit")]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (DepartmentInput("   "), "Укажите название отдела"),
        (DepartmentInput("Отдел", email="почта"), "Эл. почта отдела «почта» записана неверно"),
        (DepartmentInput("x" * 201), "не длиннее 200"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(
    admin: CurrentUser, data: DepartmentInput, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        add_department(admin, data)
    assert names() == []


def test_a_name_is_taken_whatever_its_case(admin: CurrentUser) -> None:
    add_department(admin, DepartmentInput("Отдел культуры"))
    with pytest.raises(ValidationError, match="уже есть"):
        add_department(admin, DepartmentInput("отдел КУЛЬТУРЫ"))
    other = add_department(admin, DepartmentInput("Отдел спорта"))
    with pytest.raises(ValidationError, match="уже есть"):
        update_department(admin, other, 1, DepartmentInput("Отдел культуры"))


def test_only_an_administrator_may(admin: CurrentUser, make_user: MakeUser) -> None:
    department = add_department(admin, DepartmentInput("Отдел культуры"))
    curator = make_user("curator", Role.CURATOR)
    for attempt in (
        lambda: add_department(curator, DepartmentInput("Ещё один")),
        lambda: update_department(curator, department, 1, DepartmentInput("Новое имя")),
        lambda: remove_department(curator, department, 1),
        lambda: set_department_active(curator, department, 1, False),
        lambda: move_department(curator, department, 1, 1),
    ):
        with pytest.raises(AccessDenied, match="менять настройки"):
            attempt()
    assert names() == ["Отдел культуры"]


def test_a_stale_form_is_told_who_changed_the_department(
    admin: CurrentUser, make_user: MakeUser
) -> None:
    department = add_department(admin, DepartmentInput("Отдел культуры"))
    update_department(admin, department, 1, DepartmentInput("Отдел культуры и спорта"))
    with pytest.raises(ConflictError) as caught:
        update_department(admin, department, 1, DepartmentInput("Отдел молодёжи"))
    assert caught.value.changed_by == "tester"
    with pytest.raises(ConflictError):
        remove_department(admin, department, 1)
    assert names() == ["Отдел культуры и спорта"]


def test_an_unused_department_is_deleted(admin: CurrentUser) -> None:
    department = add_department(admin, DepartmentInput("Опечатка"))
    removal = remove_department(admin, department, 1)
    assert not removal.archived
    assert removal.describe() == "Запись удалена."
    assert names() == []
    assert AuditEvent.select().order_by(AuditEvent.id.desc()).first().action == "delete"


def test_a_department_messages_refer_to_is_archived_not_deleted(admin: CurrentUser) -> None:
    department = add_department(admin, DepartmentInput("Управление ЖКХ"))
    Employee.create(full_name="Исполнитель", os_login="executor", department=department)
    for number in (1, 2):
        incident = Incident.create(number=number, network=Network.VK, text="Яма", detected_at=NOW)
        Assignment.create(incident=incident, department=department)
    removal = remove_department(admin, department, 1)
    assert removal.archived
    assert removal.uses == ("2 сообщения", "1 сотрудник")
    assert "2 сообщения" in removal.describe()
    row = list_departments()[0]
    assert not row.active
    assert row.version == 2
    assert Assignment.select().count() == 2  # the messages keep their department
    assert directory().departments == ()  # forms stop offering it
    set_department_active(admin, department, row.version, True)
    assert [d.name for d in directory().departments] == ["Управление ЖКХ"]


def test_departments_keep_the_order_the_administrator_sets(admin: CurrentUser) -> None:
    for name in ("Б-отдел", "А-отдел", "В-отдел"):
        add_department(admin, DepartmentInput(name))
    assert names() == ["Б-отдел", "А-отдел", "В-отдел"]  # in the order they were added
    last = list_departments()[2]
    move_department(admin, last.id, last.version, -2)
    assert names() == ["В-отдел", "Б-отдел", "А-отдел"]
    assert [d.name for d in directory().departments] == names()
    first = list_departments()[0]
    assert move_department(admin, first.id, first.version, -1) == first.version  # already first


def test_heads_and_staff_are_shown(admin: CurrentUser, make_user: MakeUser) -> None:
    department = add_department(admin, DepartmentInput("Управление образования"))
    make_user("head", Role.DEPARTMENT_HEAD, full_name="Петров Пётр Петрович")
    Employee.update(department=department).where(Employee.os_login == "head").execute()
    row = list_departments()[0]
    assert row.heads == "Петров Пётр Петрович"
    assert row.staff_count == 1
    assert Department.get_by_id(department).sort_order == 0
