"""Who is using this workstation: the OS login mapped to an employee and their roles."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field

from desktop.models.database import run_write
from desktop.models.entities import Employee, EmployeeRole
from desktop.models.enums import Role
from desktop.services.audit import Actor, append_event
from desktop.services.permissions import ROLE_TITLES, Action, may, require

ENV_USER = "OTKLIK_USER"


def normalize_login(raw: str) -> str:
    """`DOMAIN\\Ivanova` and `ivanova@domain` are the same person as `ivanova`."""
    login = raw.strip()
    login = login.rsplit("\\", 1)[-1]
    login = login.split("@", 1)[0]
    return login.casefold()


def os_login() -> str:
    return normalize_login(os.environ.get(ENV_USER) or getpass.getuser())


@dataclass(frozen=True)
class CurrentUser:
    login: str
    employee_id: int | None
    full_name: str
    roles: frozenset[Role]
    read_only: bool = False
    # Set when this login became the first administrator of an empty database.
    must_register_staff: bool = False
    notice: str = field(default="")

    @property
    def actor(self) -> Actor:
        return Actor(self.login, self.employee_id)

    @property
    def role_titles(self) -> str:
        if not self.roles:
            return "только просмотр"
        order = list(Role)
        return ", ".join(ROLE_TITLES[r] for r in sorted(self.roles, key=order.index))

    def may(self, action: Action) -> bool:
        return may(self.roles, action, read_only=self.read_only)

    def require(self, action: Action) -> None:
        require(self.roles, action, read_only=self.read_only)


def _user_of(employee: Employee) -> CurrentUser:
    roles = frozenset(
        row.role for row in EmployeeRole.select().where(EmployeeRole.employee == employee)
    )
    return CurrentUser(employee.os_login, employee.id, employee.full_name, roles)


def _administrators() -> list[str]:
    query = (
        Employee.select(Employee.full_name)
        .join(EmployeeRole)
        .where((EmployeeRole.role == Role.ADMINISTRATOR) & Employee.active)
        .order_by(Employee.full_name)
    )
    return [e.full_name for e in query]


def identify(login: str | None = None) -> CurrentUser:
    """Map the OS login to an employee.

    On a database with no employees at all the first login becomes its administrator and
    is asked to register the staff; otherwise an unknown or inactive login gets read-only
    access and a message naming whom to ask.
    """
    login = normalize_login(login) if login else os_login()

    def resolve() -> CurrentUser:
        employee = Employee.get_or_none(Employee.os_login == login)
        if employee is not None and employee.active:
            return _user_of(employee)
        if employee is None and not Employee.select().exists():
            first = Employee.create(full_name=login, os_login=login, updated_by=login)
            EmployeeRole.create(employee=first, role=Role.ADMINISTRATOR)
            append_event(
                Actor(login, first.id),
                entity="employee",
                entity_id=first.id,
                action="first_administrator",
                after={"os_login": login, "roles": [Role.ADMINISTRATOR.value]},
            )
            user = _user_of(first)
            return CurrentUser(
                user.login,
                user.employee_id,
                user.full_name,
                user.roles,
                must_register_staff=True,
                notice="В базе ещё нет сотрудников: вы назначены администратором. "
                "Внесите сотрудников и их роли: меню «Настройки → Сотрудники».",
            )
        admins = _administrators()
        whom = ", ".join(admins) if admins else "администратору Отклика"
        state = "отключена" if employee is not None else "не зарегистрирована"
        return CurrentUser(
            login,
            None,
            login,
            frozenset(),
            read_only=True,
            notice=f"Учётная запись «{login}» {state} в Отклике: доступен только просмотр. "
            f"Обратитесь к: {whom}.",
        )

    # A write transaction: the "first administrator" check and insert must not race.
    return run_write(resolve)
