"""«Сотрудники»: cards, roles, switching off, absences and substitutes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from desktop.models.entities import AuditEvent, EmployeeRole
from desktop.models.enums import AbsenceKind, Role
from desktop.services.absences import (
    AbsenceInput,
    add_absence,
    list_absences,
    remove_absence,
)
from desktop.services.departments import DepartmentInput, add_department, set_department_active
from desktop.services.errors import AccessDenied, ConflictError, ValidationError
from desktop.services.incident_base import substitute_for
from desktop.services.office import Office
from desktop.services.session import CurrentUser, identify
from desktop.services.staff import (
    EmployeeInput,
    StaffMember,
    add_staff_member,
    list_staff,
    update_staff_member,
)

MakeUser = Callable[..., CurrentUser]
D = dt.date


@pytest.fixture
def admin(office: Office) -> CurrentUser:
    return identify("tester")


def member(login: str) -> StaffMember:
    return next(m for m in list_staff() if m.os_login == login)


def edit(m: StaffMember, **changes: object) -> EmployeeInput:
    values: dict[str, object] = {
        "full_name": m.full_name,
        "os_login": m.os_login,
        "roles": m.roles,
        "position": m.position,
        "department_id": m.department_id,
        "email": m.email,
        "phones": m.phones,
        "active": m.active,
        **changes,
    }
    return EmployeeInput(**values)  # type: ignore[arg-type]


def test_a_card_with_department_contacts_and_roles(admin: CurrentUser) -> None:
    roads = add_department(admin, DepartmentInput("Отдел дорожного хозяйства"))
    add_staff_member(
        admin,
        EmployeeInput(
            "Сидоров  Иван",
            "ADM\\Sidorov",
            frozenset({Role.EXECUTOR}),
            position="ведущий специалист",
            department_id=roads,
            email="sidorov@example.ru",
            phones="+7 900 000-00-00",
        ),
    )
    sidorov = member("sidorov")
    assert sidorov.full_name == "Сидоров Иван"
    assert sidorov.department == "Отдел дорожного хозяйства"
    assert sidorov.email == "sidorov@example.ru"
    assert identify("sidorov").roles == {Role.EXECUTOR}


def test_roles_and_the_card_change_together(admin: CurrentUser) -> None:
    add_staff_member(admin, EmployeeInput("Сидоров Иван", "sidorov", frozenset({Role.EXECUTOR})))
    sidorov = member("sidorov")
    roles = frozenset({Role.CURATOR, Role.OPERATOR})
    version = update_staff_member(
        admin, sidorov.employee_id, sidorov.version, edit(sidorov, roles=roles, position="куратор")
    )
    assert version == sidorov.version + 1
    assert identify("sidorov").roles == roles
    assert member("sidorov").position == "куратор"
    last = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
    assert (last.action, last.before, last.after) == (
        "set_roles",
        {"roles": ["executor"]},
        {"roles": ["curator", "operator"]},
    )


def test_an_employee_who_left_is_switched_off_and_may_only_look(admin: CurrentUser) -> None:
    add_staff_member(admin, EmployeeInput("Сидоров Иван", "sidorov", frozenset({Role.CURATOR})))
    sidorov = member("sidorov")
    update_staff_member(admin, sidorov.employee_id, sidorov.version, edit(sidorov, active=False))
    user = identify("sidorov")
    assert user.read_only
    assert "отключена" in user.notice


def test_the_last_administrator_stays(admin: CurrentUser) -> None:
    me = member("tester")
    with pytest.raises(ValidationError, match="хотя бы один действующий администратор"):
        update_staff_member(admin, me.employee_id, me.version, edit(me, roles=frozenset()))
    add_staff_member(
        admin, EmployeeInput("Второй Админ", "second", frozenset({Role.ADMINISTRATOR}))
    )
    update_staff_member(
        admin, me.employee_id, me.version, edit(me, roles=frozenset({Role.CURATOR}))
    )
    assert EmployeeRole.select().where(EmployeeRole.role == Role.ADMINISTRATOR).count() == 1


def test_nobody_locks_themselves_out(admin: CurrentUser) -> None:
    add_staff_member(admin, EmployeeInput("Второй", "second", frozenset({Role.ADMINISTRATOR})))
    me = member("tester")
    with pytest.raises(ValidationError, match="Свой логин Windows изменить нельзя"):
        update_staff_member(admin, me.employee_id, me.version, edit(me, os_login="tester2"))
    with pytest.raises(ValidationError, match="Себя отключить нельзя"):
        update_staff_member(admin, me.employee_id, me.version, edit(me, active=False))
    update_staff_member(admin, me.employee_id, me.version, edit(me, full_name="Тестов Тест"))
    second = identify("second")  # another administrator may do both
    update_staff_member(
        second, me.employee_id, me.version + 1, edit(member("tester"), active=False)
    )
    assert identify("tester").read_only


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"full_name": " "}, "Укажите ФИО"),
        ({"os_login": ""}, "Укажите имя входа"),
        ({"os_login": "ivan petrov"}, "без пробелов"),
        ({"os_login": "tester"}, "с логином «tester» уже есть"),
        ({"email": "ivanov-at-mail"}, "записана неверно"),
    ],
)
def test_bad_cards_are_refused(
    admin: CurrentUser, changes: dict[str, object], message: str
) -> None:
    add_staff_member(admin, EmployeeInput("Иванов", "ivanov"))
    ivanov = member("ivanov")
    with pytest.raises(ValidationError, match=message):
        update_staff_member(admin, ivanov.employee_id, ivanov.version, edit(ivanov, **changes))
    assert member("ivanov") == ivanov


def test_an_archived_department_is_not_offered_to_new_staff(admin: CurrentUser) -> None:
    old = add_department(admin, DepartmentInput("Старый отдел"))
    add_staff_member(admin, EmployeeInput("Иванов", "ivanov", department_id=old))
    set_department_active(admin, old, 1, False)
    with pytest.raises(ValidationError, match="в архиве"):
        add_staff_member(admin, EmployeeInput("Петров", "petrov", department_id=old))
    ivanov = member("ivanov")  # one who is already there may stay while the card is edited
    update_staff_member(
        admin, ivanov.employee_id, ivanov.version, edit(ivanov, position="специалист")
    )


def test_a_stale_card_is_not_overwritten(admin: CurrentUser) -> None:
    add_staff_member(admin, EmployeeInput("Иванов", "ivanov"))
    ivanov = member("ivanov")
    update_staff_member(admin, ivanov.employee_id, ivanov.version, edit(ivanov, position="A"))
    with pytest.raises(ConflictError):
        update_staff_member(admin, ivanov.employee_id, ivanov.version, edit(ivanov, position="B"))
    assert member("ivanov").position == "A"


def test_only_an_administrator_keeps_staff(admin: CurrentUser, make_user: MakeUser) -> None:
    curator = make_user("curator", Role.CURATOR)
    me = member("tester")
    with pytest.raises(AccessDenied, match="вести список сотрудников"):
        update_staff_member(curator, me.employee_id, me.version, edit(me, position="x"))
    with pytest.raises(AccessDenied):
        add_staff_member(curator, EmployeeInput("Иванов", "ivanov"))
    with pytest.raises(AccessDenied):
        add_absence(curator, AbsenceInput(me.employee_id, D(2025, 7, 1), D(2025, 7, 14)))


# --- absences ------------------------------------------------------------------------------


@pytest.fixture
def pair(admin: CurrentUser) -> tuple[int, int]:
    add_staff_member(admin, EmployeeInput("Иванов Иван", "ivanov", frozenset({Role.EXECUTOR})))
    add_staff_member(admin, EmployeeInput("Петров Пётр", "petrov", frozenset({Role.EXECUTOR})))
    return member("ivanov").employee_id, member("petrov").employee_id


def test_an_absence_with_a_substitute(admin: CurrentUser, pair: tuple[int, int]) -> None:
    ivanov, petrov = pair
    add_absence(
        admin,
        AbsenceInput(ivanov, D(2025, 7, 1), D(2025, 7, 14), AbsenceKind.VACATION, petrov, "отпуск"),
    )
    [absence] = list_absences(ivanov)
    assert (absence.substitute, absence.kind) == ("Петров Пётр", AbsenceKind.VACATION)
    assert substitute_for(ivanov, D(2025, 7, 14)) == petrov
    assert substitute_for(ivanov, D(2025, 7, 15)) == ivanov
    remove_absence(admin, absence.id, absence.version)
    assert list_absences(ivanov) == []
    assert substitute_for(ivanov, D(2025, 7, 10)) == ivanov
    actions = [e.action for e in AuditEvent.select().where(AuditEvent.entity == "absence")]
    assert actions == ["add", "delete"]


@pytest.mark.parametrize(
    ("starts", "ends", "substitute", "message"),
    [
        (D(2025, 7, 10), D(2025, 7, 1), None, "кончается .* раньше, чем начинается"),
        (D(2025, 1, 1), D(2026, 1, 5), None, "длиннее года"),
        (D(2025, 7, 10), D(2025, 7, 12), "self", "не может замещать сам себя"),
        (D(2025, 6, 25), D(2025, 7, 2), None, "уже есть отсутствие 01.07.2025–14.07.2025"),
        (D(2025, 8, 1), D(2025, 8, 2), "off", "отключён"),
    ],
)
def test_bad_absences_are_refused(
    admin: CurrentUser,
    pair: tuple[int, int],
    starts: dt.date,
    ends: dt.date,
    substitute: str | None,
    message: str,
) -> None:
    ivanov, petrov = pair
    add_absence(admin, AbsenceInput(ivanov, D(2025, 7, 1), D(2025, 7, 14)))
    if substitute == "off":
        p = member("petrov")
        update_staff_member(admin, petrov, p.version, edit(p, active=False))
    chosen = {"self": ivanov, "off": petrov}.get(substitute or "")
    with pytest.raises(ValidationError, match=message):
        add_absence(admin, AbsenceInput(ivanov, starts, ends, substitute_id=chosen))
    assert len(list_absences(ivanov)) == 1


def test_a_removed_absence_needs_the_version_shown(
    admin: CurrentUser, pair: tuple[int, int]
) -> None:
    ivanov, _ = pair
    add_absence(admin, AbsenceInput(ivanov, D(2025, 7, 1), D(2025, 7, 14)))
    [absence] = list_absences(ivanov)
    with pytest.raises(ConflictError):
        remove_absence(admin, absence.id, absence.version + 1)
    assert list_absences(ivanov) == [absence]
