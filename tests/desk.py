"""A press office for workflow tests: departments, staff in every role and a clock they set.

`Desk(office, preset)` makes the office follow a regulation preset; `desk.at(...)` moves the
fake clock (Moscow time); `desk.svc(person)` is that person's IncidentService on the clock;
`desk.steps(incident)` lists the steps as (kind, department, due, done) in local time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from desktop.models.entities import (
    Account,
    Assignment,
    Department,
    Employee,
    EmployeeRole,
    Incident,
    Step,
)
from desktop.models.enums import AccountOwner, Network, Role, StepKind
from desktop.services.incidents import IncidentService, NewIncident
from desktop.services.office import Office
from desktop.services.session import CurrentUser, identify
from desktop.services.settings import put_value

MOSCOW = ZoneInfo("Europe/Moscow")


def local(moment: dt.datetime | None) -> str:
    return "-" if moment is None else f"{moment.astimezone(MOSCOW):%d.%m %H:%M}"


@dataclass(frozen=True)
class StepRow:
    kind: StepKind
    department: str
    started: str
    due: str
    done: str
    cancelled: bool


class Desk:
    DEPARTMENTS = ("ЖКХ", "Дороги", "Образование")

    def __init__(self, office: Office, preset: str) -> None:
        self.office = office
        put_value("regulation", preset)
        put_value("timezone", "Europe/Moscow")
        self.clock = dt.datetime(2025, 3, 12, 10, 0, tzinfo=MOSCOW)
        self.admin = identify("tester")  # the first login administers the office
        self.departments = {
            name: Department.create(name=name, updated_by="test") for name in self.DEPARTMENTS
        }
        self.operator = self.person("operator", None, Role.OPERATOR)
        self.curator = self.person("curator", None, Role.CURATOR)
        self.manager = self.person("manager", None, Role.MANAGER)
        self.executors = {
            name: self.person(f"executor{n}", name, Role.EXECUTOR)
            for n, name in enumerate(self.DEPARTMENTS)
        }
        self.heads = {
            name: self.person(f"head{n}", name, Role.DEPARTMENT_HEAD)
            for n, name in enumerate(self.DEPARTMENTS)
        }
        self.governor_account = Account.create(
            network=Network.TELEGRAM,
            name="Телеграм Губернатора",
            owner=AccountOwner.GOVERNOR,
            updated_by="test",
        )

    def person(self, login: str, department: str | None, *roles: Role) -> CurrentUser:
        employee = Employee.create(
            full_name=f"{login.title()} Тест",
            os_login=login,
            department=None if department is None else self.departments[department],
        )
        for role in roles:
            EmployeeRole.create(employee=employee, role=role)
        return identify(login)

    def at(
        self, day: int, hour: int, minute: int = 0, month: int = 3, year: int = 2025
    ) -> dt.datetime:
        self.clock = dt.datetime(year, month, day, hour, minute, tzinfo=MOSCOW)
        return self.clock

    def now(self) -> dt.datetime:
        return self.clock.astimezone(dt.UTC)

    def svc(self, user: CurrentUser) -> IncidentService:
        return IncidentService(user, now=self.now, office=self.office)

    def dept(self, name: str) -> int:
        return int(self.departments[name].id)

    def register(self, text: str = "Яма на дороге у дома 5", **fields: object) -> int:
        n = Incident.select().count() + 1
        values: dict[str, object] = {
            "text": text,
            "link": f"https://vk.com/wall-1_{n}",
            "detected_at": self.clock,
            **fields,
        }
        return self.svc(self.operator).register(NewIncident(**values))  # type: ignore[arg-type]

    def steps(self, incident_id: int) -> list[StepRow]:
        names = {d.id: name for name, d in self.departments.items()}
        return [
            StepRow(
                kind=step.kind,
                department=names.get(step.department_id, ""),
                started=local(step.started_at),
                due=local(step.due_at),
                done=local(step.done_at),
                cancelled=step.cancelled,
            )
            for step in Step.select().where(Step.incident == incident_id).order_by(Step.id)
        ]

    def due(self, incident_id: int, kind: StepKind, department: str = "") -> str:
        """The due moment of the latest step of `kind` (of a department, if named)."""
        rows = [r for r in self.steps(incident_id) if r.kind is kind]
        if department:
            rows = [r for r in rows if r.department == department]
        assert rows, f"no {kind} step"
        return rows[-1].due

    def open_kinds(self, incident_id: int) -> list[tuple[StepKind, str]]:
        return [(r.kind, r.department) for r in self.steps(incident_id) if r.done == "-"]

    def incident(self, incident_id: int) -> Incident:
        return Incident.get_by_id(incident_id)

    def assignment(self, incident_id: int, department: str) -> Assignment:
        return Assignment.get(
            (Assignment.incident == incident_id)
            & (Assignment.department == self.departments[department].id)
        )
