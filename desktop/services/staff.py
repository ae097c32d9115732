"""Employees and their roles: kept by the administrator."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from desktop.models.database import reads, run_write
from desktop.models.entities import Department, Employee, EmployeeRole
from desktop.models.enums import Role
from desktop.services.audit import append_event
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


def add_employee(
    user: CurrentUser,
    *,
    full_name: str,
    os_login: str,
    roles: Iterable[Role],
    position: str = "",
    department: str = "",
) -> int:
    user.require(Action.MANAGE_STAFF)
    name = " ".join(full_name.split())
    login = normalize_login(os_login)
    if not name:
        raise ValidationError("Укажите ФИО сотрудника.")
    if not login:
        raise ValidationError("Укажите имя входа в Windows (логин) сотрудника.")
    wanted = frozenset(roles)

    def insert() -> int:
        if Employee.select().where(Employee.os_login == login).exists():
            raise ValidationError(f"Сотрудник с логином «{login}» уже есть.")
        dept = None
        if department.strip():
            dept = Department.get_or_none(Department.name == department.strip())
            if dept is None:
                raise ValidationError(f"Нет отдела «{department.strip()}».")
        employee = Employee.create(
            full_name=name,
            os_login=login,
            position=position.strip(),
            department=dept,
            updated_by=user.login,
        )
        for role in sorted(wanted):
            EmployeeRole.create(employee=employee, role=role)
        append_event(
            user.actor,
            entity="employee",
            entity_id=employee.id,
            action="add_employee",
            after={"full_name": name, "os_login": login, "roles": sorted(wanted)},
        )
        return int(employee.id)

    return run_write(insert)


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
        )
        for e in Employee.select().order_by(Employee.full_name)
    ]
