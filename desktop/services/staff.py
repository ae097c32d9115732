"""Employees and their roles: kept by the administrator.

An employee is never deleted (incidents name who registered, answered and approved them):
one who left is switched off (`active = false`) and keeps read-only access. The office always
keeps at least one active administrator, so nobody locks the settings away by mistake.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from desktop.models.database import reads, run_read, run_write
from desktop.models.entities import Department, Employee, EmployeeRole
from desktop.models.enums import Role
from desktop.services.audit import append_event
from desktop.services.catalog import clean_text, fetch, update_row
from desktop.services.errors import ValidationError
from desktop.services.permissions import ROLE_TITLES, Action
from desktop.services.session import CurrentUser, normalize_login

ROLE_BY_TITLE = {title: role for role, title in ROLE_TITLES.items()}


@dataclass(frozen=True)
class StaffMember:
    employee_id: int
    full_name: str
    os_login: str
    position: str
    department: str
    roles: frozenset[Role]
    active: bool
    department_id: int | None = None
    email: str = ""
    phones: str = ""
    version: int = 1


@dataclass(frozen=True)
class EmployeeInput:
    """What the «Сотрудники» form edits."""

    full_name: str
    os_login: str
    roles: frozenset[Role] = frozenset()
    position: str = ""
    department_id: int | None = None
    email: str = ""
    phones: str = ""
    active: bool = True


def parse_roles(text: str) -> frozenset[Role]:
    """`curator,operator` or `куратор, оператор`."""
    roles = set()
    for part in (p.strip().casefold() for p in text.split(",")):
        if not part:
            continue
        role = ROLE_BY_TITLE.get(part) or next((r for r in Role if r.value == part), None)
        if role is None:
            known = ", ".join(r.value for r in Role)
            raise ValidationError(f"Неизвестная роль «{part}». Роли: {known}.")
        roles.add(role)
    return frozenset(roles)


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_WHAT = "Сотрудника"


def _checked(data: EmployeeInput) -> dict[str, object]:
    name = clean_text(data.full_name, "ФИО", required="Укажите ФИО сотрудника.")
    login = normalize_login(data.os_login)
    if not login:
        raise ValidationError("Укажите имя входа в Windows (логин) сотрудника.")
    if any(ch.isspace() for ch in login) or len(login) > 100:
        raise ValidationError(
            f"Логин Windows «{login}» — одно слово без пробелов, например ivanova."
        )
    email = clean_text(data.email, "Эл. почта сотрудника")
    if email and not _EMAIL.match(email):
        raise ValidationError(f"Эл. почта сотрудника «{email}» записана неверно: name@example.ru.")
    return {
        "full_name": name,
        "os_login": login,
        "position": clean_text(data.position, "Должность"),
        "department": data.department_id,
        "email": email,
        "phones": clean_text(data.phones, "Телефоны"),
        "active": bool(data.active),
    }


def _check_department(department_id: int | None, current: int | None = None) -> None:
    if department_id is None:
        return
    department = Department.get_or_none(Department.id == department_id)
    if department is None:
        raise ValidationError("Выбранного отдела больше нет; обновите список.")
    if not department.active and department_id != current:
        raise ValidationError(f"Отдел «{department.name}» в архиве; выберите действующий.")


def _check_login_free(login: str, other_than: int | None = None) -> None:
    query = Employee.select().where(Employee.os_login == login)
    if other_than is not None:
        query = query.where(Employee.id != other_than)
    if query.exists():
        raise ValidationError(f"Сотрудник с логином «{login}» уже есть.")


def add_staff_member(user: CurrentUser, data: EmployeeInput) -> int:
    """Register an employee with roles; returns the employee's id."""
    user.require(Action.MANAGE_STAFF)
    values = _checked(data)
    wanted = frozenset(Role(role) for role in data.roles)

    def insert() -> int:
        _check_login_free(str(values["os_login"]))
        _check_department(data.department_id)
        employee = Employee.create(**values, updated_by=user.login)
        for role in sorted(wanted):
            EmployeeRole.create(employee=employee, role=role)
        append_event(
            user.actor,
            entity="employee",
            entity_id=employee.id,
            action="add_employee",
            after={
                "full_name": values["full_name"],
                "os_login": values["os_login"],
                "roles": sorted(wanted),
            },
        )
        return int(employee.id)

    return run_write(insert)


def add_employee(
    user: CurrentUser,
    *,
    full_name: str,
    os_login: str,
    roles: Iterable[Role],
    position: str = "",
    department: str = "",
) -> int:
    """`add_staff_member` with the department named (the command line's form)."""
    user.require(Action.MANAGE_STAFF)
    department_id = None
    if department.strip():
        found = run_read(lambda: Department.get_or_none(Department.name == department.strip()))
        if found is None:
            raise ValidationError(f"Нет отдела «{department.strip()}».")
        department_id = int(found.id)
    data = EmployeeInput(full_name, os_login, frozenset(roles), position, department_id)
    return add_staff_member(user, data)


def _keeps_an_administrator(employee: Employee, roles: frozenset[Role], active: bool) -> None:
    if active and Role.ADMINISTRATOR in roles:
        return
    was_admin = (
        employee.active
        and EmployeeRole.select()
        .where((EmployeeRole.employee == employee.id) & (EmployeeRole.role == Role.ADMINISTRATOR))
        .exists()
    )
    others = (
        Employee.select()
        .join(EmployeeRole)
        .where(
            Employee.active
            & (EmployeeRole.role == Role.ADMINISTRATOR)
            & (Employee.id != employee.id)
        )
        .exists()
    )
    if was_admin and not others:
        raise ValidationError(
            "В Отклике должен остаться хотя бы один действующий администратор: "
            "сначала назначьте администратором другого сотрудника."
        )


def _check_own_card(employee: Employee, values: dict[str, object]) -> None:
    """Nobody locks themselves out: Otklik knows you by your Windows login."""
    if values["os_login"] != employee.os_login:
        raise ValidationError(
            "Свой логин Windows изменить нельзя: по нему Отклик узнаёт вас при входе. "
            "Попросите другого администратора."
        )
    if not values["active"]:
        raise ValidationError("Себя отключить нельзя: попросите другого администратора.")


def update_staff_member(
    user: CurrentUser, employee_id: int, version: int, data: EmployeeInput
) -> int:
    """Change an employee's card, roles and state; returns the new version.

    Switching an employee off (`active = False`) is how one who left is removed: incidents
    keep naming them, and they keep read-only access.
    """
    user.require(Action.MANAGE_STAFF)
    values = _checked(data)
    wanted = frozenset(Role(role) for role in data.roles)

    def write() -> int:
        employee = fetch(Employee, employee_id, _WHAT)
        if employee.os_login == user.login:
            _check_own_card(employee, values)
        _check_login_free(str(values["os_login"]), other_than=employee_id)
        _check_department(data.department_id, current=employee.department_id)
        _keeps_an_administrator(employee, wanted, bool(values["active"]))
        had = frozenset(
            row.role for row in EmployeeRole.select().where(EmployeeRole.employee == employee_id)
        )
        new_version = update_row(
            user, Employee, employee_id, version, values, action="edit_employee", what=_WHAT
        )
        if had != wanted:
            EmployeeRole.delete().where(
                (EmployeeRole.employee == employee_id) & EmployeeRole.role.not_in(list(wanted))
            ).execute()
            for role in sorted(wanted - had):
                EmployeeRole.create(employee=employee_id, role=role)
            append_event(
                user.actor,
                entity="employee",
                entity_id=employee_id,
                action="set_roles",
                before={"roles": sorted(had)},
                after={"roles": sorted(wanted)},
            )
        return new_version

    return run_write(write)


@reads
def list_staff() -> list[StaffMember]:
    roles: dict[int, set[Role]] = {}
    for row in EmployeeRole.select():
        roles.setdefault(row.employee_id, set()).add(row.role)
    departments = {d.id: d.name for d in Department.select(Department.id, Department.name)}
    return [
        StaffMember(
            employee_id=e.id,
            full_name=e.full_name,
            os_login=e.os_login,
            position=e.position,
            department=departments.get(e.department_id, "") if e.department_id else "",
            roles=frozenset(roles.get(e.id, ())),
            active=e.active,
            department_id=e.department_id,
            email=e.email,
            phones=e.phones,
            version=e.version,
        )
        for e in Employee.select().order_by(Employee.full_name)
    ]
