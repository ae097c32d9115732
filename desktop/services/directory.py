"""What the office's forms choose from: departments, executors, topics, places, accounts."""

from __future__ import annotations

import functools
import operator
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import cast

from desktop.models.database import reads
from desktop.models.entities import (
    Account,
    Assignment,
    Department,
    Employee,
    EmployeeRole,
    Incident,
    Location,
    Topic,
)
from desktop.models.enums import AccountOwner, AssignmentStatus, Network, Role


@dataclass(frozen=True)
class Choice:
    id: int
    name: str


@dataclass(frozen=True)
class AccountChoice:
    id: int
    name: str
    network: Network
    owner: AccountOwner


@dataclass(frozen=True)
class Directory:
    departments: tuple[Choice, ...] = ()
    topics: tuple[Choice, ...] = ()  # «Дороги / Ямочный ремонт»: the parent's name first
    locations: tuple[Choice, ...] = ()
    accounts: tuple[AccountChoice, ...] = ()
    executors: dict[int, tuple[Choice, ...]] = field(default_factory=dict)  # by department
    department_of: dict[int, int] = field(default_factory=dict)  # employee -> department

    def department_name(self, department_id: int) -> str:
        return next((d.name for d in self.departments if d.id == department_id), "")


def _paths(rows: list[tuple[int, str, int | None]]) -> tuple[Choice, ...]:
    names = {row_id: (name, parent) for row_id, name, parent in rows}

    def path(row_id: int) -> str:
        name, parent = names[row_id]
        return name if parent is None or parent not in names else f"{path(parent)} / {name}"

    return tuple(sorted((Choice(row_id, path(row_id)) for row_id in names), key=lambda c: c.name))


@reads
def directory() -> Directory:
    departments = tuple(
        Choice(d.id, d.name)
        for d in Department.select()
        .where(Department.active)
        .order_by(Department.sort_order, Department.name)
    )
    topics = _paths([(t.id, t.name, t.parent_id) for t in Topic.select().where(Topic.active)])
    locations = _paths(
        [(loc.id, loc.name, None) for loc in Location.select().where(Location.active)]
    )
    accounts = tuple(
        AccountChoice(a.id, a.name, a.network, a.owner)
        for a in Account.select().where(Account.active).order_by(Account.name)
    )
    executors: dict[int, list[Choice]] = {}
    department_of: dict[int, int] = {}
    rows = (
        Employee.select(Employee.id, Employee.full_name, Employee.department)
        .join(EmployeeRole)
        .where(Employee.active & (EmployeeRole.role == Role.EXECUTOR))
        .order_by(Employee.full_name)
    )
    for employee in rows:
        if employee.department_id is not None:
            executors.setdefault(employee.department_id, []).append(
                Choice(employee.id, employee.full_name)
            )
    # Everyone's department, not only executors': «мои» of a department head is their
    # department's messages too.
    for employee_id, department_id in cast(
        Iterable[tuple[int, int]],
        Employee.select(Employee.id, Employee.department)
        .where(Employee.active & Employee.department.is_null(False))
        .tuples(),
    ):
        department_of[employee_id] = department_id
    return Directory(
        departments=departments,
        topics=topics,
        locations=locations,
        accounts=accounts,
        executors={k: tuple(v) for k, v in executors.items()},
        department_of=department_of,
    )


@reads
def suggested_executors(
    department_id: int,
    topic_id: int | None,
    location_id: int | None,
    limit: int = 200,
    *,
    known: Directory | None = None,
) -> list[Choice]:
    """The department's executors, those who answered this topic and place before first
    (`known`: a directory read already, not read again for every department)."""
    members = (known or directory()).executors.get(department_id, ())
    handled: Counter[int] = Counter()
    query = (
        Assignment.select(Assignment.executor, Incident.topic, Incident.location)
        .join(Incident)
        .where((Assignment.department == department_id) & Assignment.executor.is_null(False))
        .order_by(Assignment.id.desc())
        .limit(limit)
        .tuples()
    )
    for executor, topic, location in cast(Iterable[tuple[int, int | None, int | None]], query):
        handled[executor] += (topic == topic_id and topic_id is not None) * 2 + (
            location == location_id and location_id is not None
        )
    return sorted(members, key=lambda c: (-handled[c.id], c.name))


@reads
def department_scores(
    topic_id: int | None, location_id: int | None, limit: int = 500
) -> Counter[int]:
    """How well each department fits a message on this topic at this place, from the latest
    `limit` messages there: +2 for the topic, +1 for the place; a return as not in its
    competence counts the same against it."""
    score: Counter[int] = Counter()
    if topic_id is None and location_id is None:
        return score
    # `== None` would be IS NULL: messages without a topic would crowd out the real ones.
    same = [Incident.topic == topic_id] if topic_id is not None else []
    same += [Incident.location == location_id] if location_id is not None else []
    query = (
        Assignment.select(
            Assignment.department, Assignment.status, Incident.topic, Incident.location
        )
        .join(Incident)
        .where(functools.reduce(operator.or_, same))
        .order_by(Assignment.id.desc())
        .limit(limit)
        .tuples()
    )
    rows = cast(Iterable[tuple[int, str, int | None, int | None]], query)
    for department, status, topic, location in rows:
        weight = (topic == topic_id and topic_id is not None) * 2 + (
            location == location_id and location_id is not None
        )
        score[department] += -weight if status == AssignmentStatus.RETURNED.value else weight
    return score


@reads
def suggested_departments(topic_id: int | None, location_id: int | None) -> list[Choice]:
    """Active departments, best fit for the topic and place first (see `department_scores`)."""
    score = department_scores(topic_id, location_id)
    return sorted(directory().departments, key=lambda d: -score[d.id])
