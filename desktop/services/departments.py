"""Departments («Отделы»): where answers are written. Kept by the administrator."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

import peewee

from desktop.models.database import reads, run_write
from desktop.models.entities import (
    Account,
    Assignment,
    Department,
    Employee,
    EmployeeRole,
    Step,
)
from desktop.models.enums import DepartmentKind, Role
from desktop.services.audit import append_event
from desktop.services.catalog import (
    Removal,
    check_version,
    clean_text,
    count_words,
    fetch,
    remove_or_archive,
    same_name_exists,
    set_active,
    update_row,
)
from desktop.services.errors import ValidationError
from desktop.services.permissions import Action
from desktop.services.session import CurrentUser

DEPARTMENT_KIND_TITLES: dict[DepartmentKind, str] = {
    DepartmentKind.SECTORAL: "отраслевой орган, отдел",
    DepartmentKind.TERRITORIAL: "территориальное управление",
}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_WHAT = "Отдел"


@dataclass(frozen=True)
class DepartmentRow:
    id: int
    name: str
    short_name: str
    kind: DepartmentKind
    email: str
    phone: str
    active: bool
    sort_order: int
    version: int
    heads: str = ""  # employees with the role «руководитель органа» in it
    staff_count: int = 0


@dataclass(frozen=True)
class DepartmentInput:
    name: str
    short_name: str = ""
    kind: DepartmentKind = DepartmentKind.SECTORAL
    email: str = ""
    phone: str = ""


def _checked(data: DepartmentInput) -> dict[str, object]:
    email = clean_text(data.email, "Эл. почта отдела")
    if email and not _EMAIL.match(email):
        raise ValidationError(f"Эл. почта отдела «{email}» записана неверно: name@example.ru.")
    return {
        "name": clean_text(data.name, "Название отдела", required="Укажите название отдела."),
        "short_name": clean_text(data.short_name, "Краткое название", limit=60),
        "kind": DepartmentKind(data.kind),
        "email": email,
        "phone": clean_text(data.phone, "Телефон отдела", limit=100),
    }


def _refuse_duplicate(name: str, other_than: int | None = None) -> None:
    query = Department.select(Department.name)
    if other_than is not None:
        query = query.where(Department.id != other_than)
    if same_name_exists((d.name for d in query), name):
        raise ValidationError(f"Отдел «{name}» уже есть (возможно, в архиве).")


@reads
def list_departments() -> list[DepartmentRow]:
    """Every department, archived ones too, in the order forms offer them."""
    heads: dict[int, list[str]] = {}
    query = (
        Employee.select(Employee.full_name, Employee.department)
        .join(EmployeeRole)
        .where(Employee.active & (EmployeeRole.role == Role.DEPARTMENT_HEAD))
        .order_by(Employee.full_name)
    )
    for employee in query:
        if employee.department_id is not None:
            heads.setdefault(employee.department_id, []).append(employee.full_name)
    counts = (
        Employee.select(Employee.department, peewee.fn.COUNT(Employee.id))
        .where(Employee.active & Employee.department.is_null(False))
        .group_by(Employee.department)
        .tuples()
    )
    staff = {int(d): int(n) for d, n in cast(Iterable[tuple[int, int]], counts)}
    return [
        DepartmentRow(
            id=d.id,
            name=d.name,
            short_name=d.short_name,
            kind=d.kind,
            email=d.email,
            phone=d.phone,
            active=d.active,
            sort_order=d.sort_order,
            version=d.version,
            heads=", ".join(heads.get(d.id, ())),
            staff_count=staff.get(d.id, 0),
        )
        for d in Department.select().order_by(Department.sort_order, Department.name)
    ]


def add_department(user: CurrentUser, data: DepartmentInput) -> int:
    user.require(Action.MANAGE_SETTINGS)
    values = _checked(data)

    def insert() -> int:
        _refuse_duplicate(str(values["name"]))
        last = Department.select(peewee.fn.MAX(Department.sort_order)).scalar()
        order = 0 if last is None else int(last) + 1
        row = Department.create(**values, sort_order=order, updated_by=user.login)
        append_event(
            user.actor,
            entity="department",
            entity_id=row.id,
            action="add",
            after={key: str(value) for key, value in values.items()},
        )
        return int(row.id)

    return run_write(insert)


def update_department(
    user: CurrentUser, department_id: int, version: int, data: DepartmentInput
) -> int:
    """Rename or change a department; returns the new version."""
    user.require(Action.MANAGE_SETTINGS)
    values = _checked(data)

    def write() -> int:
        _refuse_duplicate(str(values["name"]), other_than=department_id)
        return update_row(
            user, Department, department_id, version, values, action="edit", what=_WHAT
        )

    return run_write(write)


def _uses(department: Department) -> list[str]:
    found = []
    incidents = (
        Assignment.select(peewee.fn.COUNT(peewee.fn.DISTINCT(Assignment.incident)))
        .where(Assignment.department == department.id)
        .scalar()
    )
    if incidents:
        found.append(count_words(incidents, "сообщение", "сообщения", "сообщений"))
    elif Step.select().where(Step.department == department.id).exists():
        found.append("шаги сообщений")
    staff = Employee.select().where(Employee.department == department.id).count()
    if staff:
        found.append(count_words(staff, "сотрудник", "сотрудника", "сотрудников"))
    accounts = Account.select().where(Account.department == department.id).count()
    if accounts:
        found.append(count_words(accounts, "аккаунт", "аккаунта", "аккаунтов"))
    return found


def remove_department(user: CurrentUser, department_id: int, version: int) -> Removal:
    """Delete a department nothing refers to; archive one with messages, staff or accounts."""
    user.require(Action.MANAGE_SETTINGS)
    return run_write(
        lambda: remove_or_archive(user, Department, department_id, version, uses=_uses, what=_WHAT)
    )


def set_department_active(user: CurrentUser, department_id: int, version: int, active: bool) -> int:
    """Archive a department (forms stop offering it; its messages keep it) or restore it."""
    user.require(Action.MANAGE_SETTINGS)
    return run_write(
        lambda: set_active(user, Department, department_id, version, active, what=_WHAT)
    )


def move_department(user: CurrentUser, department_id: int, version: int, step: int) -> int:
    """Move a department `step` places up (negative) or down in the order forms offer;
    returns its new version."""
    user.require(Action.MANAGE_SETTINGS)

    def write() -> int:
        check_version(Department, fetch(Department, department_id, _WHAT), version)
        order = [
            d.id
            for d in Department.select(Department.id).order_by(
                Department.sort_order, Department.name
            )
        ]
        old = order.index(department_id)
        new = max(0, min(len(order) - 1, old + step))
        if new == old:
            return version
        order.insert(new, order.pop(old))
        for position, row_id in enumerate(order):
            if row_id != department_id:
                Department.update(sort_order=position).where(
                    (Department.id == row_id) & (Department.sort_order != position)
                ).execute()
        return update_row(
            user,
            Department,
            department_id,
            version,
            {"sort_order": new},
            action="move",
            what=_WHAT,
        )

    return run_write(write)
