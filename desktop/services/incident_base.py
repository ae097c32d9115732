"""What every incident action shares: the case it acts on, who may act, steps of departments.

`ServiceBase` is the common part of `IncidentService` (`incidents.py`), whose actions live in
`incident_register.py`, `incident_routing.py`, `incident_drafts.py` and `incident_closing.py`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import Any

from desktop.models.entities import (
    Absence,
    Account,
    AnswerVersion,
    Assignment,
    Employee,
    Incident,
    Step,
)
from desktop.models.enums import (
    CLOSED_STATUSES,
    AssignmentStatus,
    IncidentStatus,
    Role,
    RoutingMode,
    StepKind,
)
from desktop.models.fields import utcnow
from desktop.services.audit import append_event
from desktop.services.errors import AccessDenied, ConflictError, RowDeleted, ValidationError
from desktop.services.office import Office
from desktop.services.office_calendar import office_time
from desktop.services.office_regulation import office_regulation, regulation_by_slug
from desktop.services.regulations import Consolidator, StepName
from desktop.services.session import CurrentUser
from desktop.services.steps import ANY, Case, cancel_all_open, open_steps, start_step
from desktop.services.titles import STATUS_TITLES

MAX_SUBSTITUTE_HOPS = 5
LIVE = (AssignmentStatus.IN_WORK, AssignmentStatus.ASSIGNED, AssignmentStatus.DONE)


class InvalidTransition(ValidationError):
    """The action does not fit the incident's state now; nothing was changed."""


def existing_incident(incident_id: int) -> Incident:
    incident = Incident.get_or_none(Incident.id == incident_id)
    if incident is None:
        raise RowDeleted(
            "Карточку удалили, пока вы её редактировали.", detail=f"incident#{incident_id}"
        )
    return incident


def describe_login(login: str) -> str:
    employee = Employee.get_or_none(Employee.os_login == login)
    return employee.full_name if employee is not None else login


def substitute_for(employee_id: int, day: dt.date) -> int:
    """Who does `employee_id`'s work on `day`: the substitute of an absence, followed on if
    the substitute is away too; the employee when nobody stands in."""
    current, seen = employee_id, {employee_id}
    for _ in range(MAX_SUBSTITUTE_HOPS):
        absence = (
            Absence.select()
            .where(
                (Absence.employee == current)
                & (Absence.starts_on <= day)
                & (Absence.ends_on >= day)
                & Absence.substitute.is_null(False)
            )
            .first()
        )
        if absence is None or absence.substitute_id in seen:
            break
        current = absence.substitute_id
        seen.add(current)
    return current


def plain(value: Any) -> Any:
    """A value as the audit log stores it (JSON)."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, StrEnum):
        return value.value
    return value


def live_assignments(incident_id: int) -> list[Assignment]:
    """The incident's assignments that were not returned, in the curator's order."""
    return list(
        Assignment.select()
        .where((Assignment.incident == incident_id) & Assignment.status.in_(LIVE))
        .order_by(Assignment.position, Assignment.id)
    )


def assignment_of(version: AnswerVersion) -> Assignment | None:
    if version.assignment_id is None:
        return None
    return Assignment.get_or_none(Assignment.id == version.assignment_id)


class ServiceBase:
    """The signed-in user, the clock, and the helpers every action uses."""

    def __init__(
        self,
        user: CurrentUser,
        *,
        now: Callable[[], dt.datetime] = utcnow,
        office: Office | None = None,
    ) -> None:
        self.user = user
        self._now = now
        self._office = office

    def now(self) -> dt.datetime:
        moment = self._now()
        if moment.tzinfo is None:
            raise ValueError("the service clock must return aware UTC moments")
        return moment.astimezone(dt.UTC)

    # --- the incident acted on -----------------------------------------------------------

    def _case(self, incident_id: int) -> Case:
        incident = existing_incident(incident_id)
        regulation = regulation_by_slug(incident.regulation or office_regulation().slug)
        owner = None
        if incident.account_id is not None:
            account = Account.get_or_none(Account.id == incident.account_id)
            owner = None if account is None else account.owner
        return Case(
            incident=incident,
            regulation=regulation,
            profile=regulation.profile(incident.network, owner),
            time=office_time(),
            now=self.now(),
        )

    def _event(self, case: Case, action: str, **after: Any) -> None:
        append_event(
            self.user.actor,
            entity="incident",
            entity_id=case.incident.id,
            incident_id=case.incident.id,
            action=action,
            after={key: plain(value) for key, value in after.items()},
            at=case.now,
        )

    def _set_status(self, case: Case, status: IncidentStatus, **fields: Any) -> None:
        Incident.update(
            status=status,
            version=Incident.version + 1,
            updated_at=case.now,
            updated_by=self.user.login,
            **fields,
        ).where(Incident.id == case.incident.id).execute()
        case.incident.status = status

    def _require_version(self, case: Case, expected_version: int | None) -> None:
        """The user acted on the card as it was at `expected_version`; if another workstation
        changed it since, ask them to look again instead of acting on what they did not see."""
        incident = case.incident
        if expected_version is None or incident.version == expected_version:
            return
        raise ConflictError(
            entity="incident",
            row_id=incident.id,
            changed_by=describe_login(incident.updated_by),
            changed_at=incident.updated_at,
            current_version=incident.version,
        )

    def _require_open(self, case: Case) -> None:
        if case.incident.status in CLOSED_STATUSES:
            raise InvalidTransition(
                f"Сообщение № {case.incident.number} уже закрыто "
                f"({STATUS_TITLES[case.incident.status].lower()}). Действие не выполнено."
            )

    def _today(self, case: Case) -> dt.date:
        return case.time.local(case.now).date()

    def _curator_due(self, case: Case, due: dt.datetime | None) -> dt.datetime | None:
        """A deadline a curator sets: aware, and not already past."""
        if due is None:
            return None
        if not isinstance(due, dt.datetime) or due.tzinfo is None:
            raise ValidationError("Срок указывается с часовым поясом.")
        if due <= case.now:
            raise ValidationError("Новый срок уже прошёл.")
        return due.astimezone(dt.UTC)

    # --- who may act ----------------------------------------------------------------------

    def _my_department(self) -> int | None:
        if self.user.employee_id is None:
            return None
        employee = Employee.get_or_none(Employee.id == self.user.employee_id)
        return None if employee is None else employee.department_id

    def _works_for(self, case: Case, assignment: Assignment) -> bool:
        """The user is in the assignment's department, or stands in for its executor."""
        mine = self.user.employee_id
        if mine is None:
            return False
        if assignment.department_id == self._my_department():
            return True
        executor = assignment.executor_id
        return executor is not None and substitute_for(executor, self._today(case)) == mine

    def _require_own(self, case: Case, assignment: Assignment | None) -> None:
        """An executor or department head acts only on their department's assignment, or on
        the one of a colleague they stand in for; a curator on any."""
        if Role.CURATOR in self.user.roles:
            return
        if assignment is None:
            raise AccessDenied("Это действие выполняет куратор.")
        if not self._works_for(case, assignment):
            raise AccessDenied("Сообщение направлено не в ваш отдел.")

    def _assignment(self, case: Case, assignment_id: int | None) -> Assignment | None:
        """The assignment an action is about: the one given, or the user's department's
        assignment in work; None when a curator acts for the whole incident."""
        if assignment_id is not None:
            found = Assignment.get_or_none(
                (Assignment.id == assignment_id) & (Assignment.incident == case.incident.id)
            )
            if found is None:
                raise ValidationError("Нет такого поручения по этому сообщению.")
            return found
        in_work = [
            a for a in live_assignments(case.incident.id) if a.status is AssignmentStatus.IN_WORK
        ]
        mine = [a for a in in_work if self._works_for(case, a)]
        if len(mine) == 1:
            return mine[0]
        if Role.CURATOR in self.user.roles:
            return None
        if not mine:
            raise InvalidTransition("У вашего отдела нет поручения по этому сообщению в работе.")
        raise ValidationError("Укажите, по какому поручению действие.")

    # --- the departments' work ------------------------------------------------------------

    def _start_work(
        self, case: Case, assignment: Assignment, *, draft_due: dt.datetime | None = None
    ) -> None:
        """A department got the message: its competence check and its draft (or part) run."""
        live = live_assignments(case.incident.id)
        if case.regulation.rule(StepName.COMPETENCE_CHECK, profile=case.profile) is not None:
            start_step(
                case,
                StepName.COMPETENCE_CHECK,
                assignment=assignment,
                responsible=assignment.executor_id,
            )
        last = max(a.position for a in live)
        writes_answer = len(live) == 1 or (
            case.incident.routing_mode is RoutingMode.SEQUENTIAL
            and case.regulation.consolidator is Consolidator.LAST
            and assignment.position == last
        )
        start_step(
            case,
            StepName.DRAFT if writes_answer else StepName.PART,
            assignment=assignment,
            responsible=assignment.executor_id,
            due=draft_due,  # the curator's deadline for what the department writes
        )

    def _advance_queue(self, case: Case) -> None:
        """Sequential mode: when nobody has the message, the next in the order gets it."""
        if case.incident.routing_mode is not RoutingMode.SEQUENTIAL:
            return
        live = live_assignments(case.incident.id)
        if any(a.status is AssignmentStatus.IN_WORK for a in live):
            return
        waiting = [a for a in live if a.status is AssignmentStatus.ASSIGNED]
        if not waiting:
            return
        following = waiting[0]
        Assignment.update(
            status=AssignmentStatus.IN_WORK, routed_at=case.now, version=Assignment.version + 1
        ).where(Assignment.id == following.id).execute()
        self._start_work(case, Assignment.get_by_id(following.id))

    def _consolidation_may_start(self, case: Case) -> bool:
        """Every live department has given its part, and no part is still to be placed: a
        returned one waits for the curator, unless the controller writes the whole himself."""
        live = live_assignments(case.incident.id)
        if not live or any(a.status is not AssignmentStatus.DONE for a in live):
            return False
        if case.regulation.consolidator is Consolidator.CURATOR:
            return True
        return not open_steps(case.incident, [StepKind.REROUTE])

    def _start_consolidation(self, case: Case) -> None:
        live = live_assignments(case.incident.id)
        writer = None
        if case.regulation.consolidator is not Consolidator.CURATOR:
            writer = next((a for a in live if a.is_consolidator), None)
            if writer is None and case.regulation.consolidator is Consolidator.LAST:
                writer = live[-1]
        if writer is not None:
            Assignment.update(status=AssignmentStatus.IN_WORK).where(
                Assignment.id == writer.id
            ).execute()
            writer = Assignment.get_by_id(writer.id)
        start_step(
            case,
            StepName.DRAFT,
            assignment=writer,
            responsible=case.incident.curator_id if writer is None else writer.executor_id,
        )
        self._set_status(case, IncidentStatus.ROUTED)

    def _end_work(self, case: Case) -> None:
        """The incident leaves the departments: every open step ends unfinished."""
        cancel_all_open(case)
        Assignment.update(status=AssignmentStatus.DONE).where(
            (Assignment.incident == case.incident.id)
            & Assignment.status.in_([AssignmentStatus.IN_WORK, AssignmentStatus.ASSIGNED])
        ).execute()

    def _take_responsibility(self, steps: Sequence[Step]) -> None:
        """Steps with nobody named are answered for by whoever did them."""
        ids = [step.id for step in steps if step.responsible_id is None]
        if ids and self.user.employee_id is not None:
            Step.update(responsible=self.user.employee_id).where(Step.id.in_(ids)).execute()

    @staticmethod
    def _scope(assignment: Assignment | None) -> object:
        return ANY if assignment is None else assignment
