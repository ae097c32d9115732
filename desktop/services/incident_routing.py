"""Routing to departments, the competence decision, and who writes a consolidated answer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from desktop.models.database import run_write
from desktop.models.entities import AnswerVersion, Assignment, Department, Employee, Step
from desktop.models.enums import (
    AnswerStatus,
    AssignmentStatus,
    IncidentStatus,
    RoutingMode,
    StepKind,
)
from desktop.services.errors import ValidationError
from desktop.services.incident_base import (
    InvalidTransition,
    ServiceBase,
    live_assignments,
    substitute_for,
)
from desktop.services.incident_input import clean_text
from desktop.services.permissions import Action
from desktop.services.regulations import Anchor, Consolidator, StepName
from desktop.services.steps import finish_steps, open_steps, start_step


@dataclass(frozen=True)
class RouteTarget:
    department_id: int
    executor_id: int | None = None


class Routing(ServiceBase):
    def route(
        self,
        incident_id: int,
        targets: Sequence[RouteTarget],
        *,
        mode: RoutingMode | None = None,
        consolidator_department_id: int | None = None,
        draft_due: dt.datetime | None = None,
        expected_version: int | None = None,
    ) -> list[int]:
        """Send to one or several departments (in `targets`' order for the sequential mode);
        after a return, add the department that should have had it.

        `draft_due` sets the draft deadline where the regulation leaves it to the curator;
        `expected_version`, the card's version the curator saw (`ConflictError` if it moved).
        """
        self.user.require(Action.ROUTE)
        if not targets:
            raise ValidationError("Выберите хотя бы один отдел.")
        departments = [t.department_id for t in targets]
        if len(set(departments)) != len(departments):
            raise ValidationError("Один отдел выбран дважды.")

        def write() -> list[int]:
            case = self._case(incident_id)
            self._require_version(case, expected_version)
            self._require_open(case)
            due = self._curator_due(case, draft_due)
            rerouting = bool(open_steps(case.incident, [StepKind.REROUTE]))
            if case.incident.status is not IncidentStatus.NEW and not rerouting:
                raise InvalidTransition(
                    f"Сообщение № {case.incident.number} уже направлено; "
                    "направить заново можно после возврата отделом."
                )
            every = list(Assignment.select().where(Assignment.incident == incident_id))
            live = live_assignments(incident_id)
            if {a.department_id for a in live} & set(departments):
                raise ValidationError("Сообщение уже у одного из выбранных отделов.")
            named = set(departments) | {a.department_id for a in live}
            if consolidator_department_id is not None and consolidator_department_id not in named:
                raise ValidationError(
                    "Сводный ответ готовит один из отделов, получивших сообщение."
                )
            chosen = mode or (case.incident.routing_mode if every else case.regulation.routing_mode)
            case.incident.routing_mode = RoutingMode(chosen)
            today = self._today(case)
            position = max((a.position for a in every), default=-1) + 1
            sequential = case.incident.routing_mode is RoutingMode.SEQUENTIAL
            created: list[Assignment] = []
            for target in targets:
                department = Department.get_or_none(Department.id == target.department_id)
                if department is None or not department.active:
                    raise ValidationError("Нет такого отдела (или он отключён).")
                executor = target.executor_id
                if executor is not None:
                    employee = Employee.get_or_none(Employee.id == executor)
                    if employee is None or not employee.active:
                        raise ValidationError("Нет такого исполнителя (или он отключён).")
                    executor = substitute_for(executor, today)
                created.append(
                    Assignment.create(
                        incident=incident_id,
                        department=department.id,
                        executor=executor,
                        position=position,
                        status=AssignmentStatus.ASSIGNED
                        if sequential
                        else AssignmentStatus.IN_WORK,
                        routed_at=case.now,
                        updated_by=self.user.login,
                    )
                )
                position += 1
            if consolidator_department_id is not None:
                Assignment.update(
                    is_consolidator=Assignment.department == consolidator_department_id
                ).where(Assignment.incident == incident_id).execute()
            self._take_responsibility(finish_steps(case, [StepKind.ROUTE, StepKind.REROUTE]))
            self._set_status(
                case,
                IncidentStatus.ROUTED,
                routing_mode=case.incident.routing_mode,
                curator=case.incident.curator_id or self.user.employee_id,
            )
            if case.incident.curator_id is None:
                case.incident.curator_id = self.user.employee_id
            if sequential:
                self._advance_queue(case)
            else:
                for assignment in created:
                    self._start_work(case, assignment, draft_due=due)
            self._event(
                case,
                "route",
                departments=departments,
                executors=[a.executor_id for a in created],
                mode=case.incident.routing_mode,
                consolidator=consolidator_department_id,
            )
            return [int(a.id) for a in created]

        return run_write(write)

    def pick_consolidator(self, incident_id: int, department_id: int) -> None:
        """The department that writes the consolidated answer (Отрадненский п. 19). With
        every part in and a returned department not replaced, this also decides that the
        departments that answered are enough: the consolidated draft starts."""
        self.user.require(Action.ROUTE)

        def write() -> None:
            case = self._case(incident_id)
            self._require_open(case)
            if case.regulation.consolidator is Consolidator.CURATOR:
                raise InvalidTransition("По порядку офиса сводный ответ готовит контролер.")
            assignment = next(
                (a for a in live_assignments(incident_id) if a.department_id == department_id), None
            )
            if assignment is None:
                raise ValidationError("Сводный ответ готовит отдел, которому направлено сообщение.")
            Assignment.update(is_consolidator=Assignment.id == assignment.id).where(
                Assignment.incident == incident_id
            ).execute()
            waiting = open_steps(case.incident, [StepKind.DRAFT], None)
            if waiting:  # the consolidated draft waiting for its writer goes to this department
                Assignment.update(status=AssignmentStatus.IN_WORK).where(
                    Assignment.id == assignment.id
                ).execute()
                Step.update(
                    assignment=assignment.id,
                    department=assignment.department_id,
                    responsible=assignment.executor_id,
                ).where(Step.id.in_([s.id for s in waiting])).execute()
            elif all(a.status is AssignmentStatus.DONE for a in live_assignments(incident_id)):
                finish_steps(case, [StepKind.REROUTE], cancelled=True)
                self._start_consolidation(case)
            self._event(case, "pick_consolidator", department=department_id)

        run_write(write)

    def accept(self, incident_id: int, assignment_id: int | None = None) -> None:
        """«Принять в работу»: the department confirms the message is in its competence."""
        self.user.require(Action.RETURN_NOT_COMPETENT)  # the same competence decision

        def write() -> None:
            case = self._case(incident_id)
            self._require_open(case)
            assignment = self._assignment(case, assignment_id)
            if assignment is None or assignment.status is not AssignmentStatus.IN_WORK:
                raise InvalidTransition("Принять можно только сообщение, которое сейчас у отдела.")
            self._require_own(case, assignment)
            if not finish_steps(case, [StepKind.COMPETENCE_CHECK], assignment):
                raise InvalidTransition("Отдел уже принял сообщение в работу.")
            if self.user.employee_id is not None:
                if assignment.executor_id is None:
                    Assignment.update(executor=self.user.employee_id).where(
                        Assignment.id == assignment.id
                    ).execute()
                Step.update(responsible=self.user.employee_id).where(
                    (Step.assignment == assignment.id) & Step.responsible.is_null()
                ).execute()
            self._event(case, "accept", department=assignment.department_id)

        run_write(write)

    def return_not_competent(
        self, incident_id: int, reason: str, assignment_id: int | None = None
    ) -> None:
        """A department says the message is not in its competence; the curator re-routes."""
        self.user.require(Action.RETURN_NOT_COMPETENT)
        why = clean_text(reason, "Причина возврата", limit=2_000)

        def write() -> None:
            case = self._case(incident_id)
            self._require_open(case)
            assignment = self._assignment(case, assignment_id)
            if assignment is None or assignment.status is not AssignmentStatus.IN_WORK:
                raise InvalidTransition("Вернуть можно только сообщение, которое сейчас у отдела.")
            self._require_own(case, assignment)
            written = AnswerVersion.select().where(
                (AnswerVersion.assignment == assignment.id)
                & (AnswerVersion.status != AnswerStatus.DRAFT)
            )
            if written.exists():
                raise InvalidTransition("Отдел уже подготовил ответ; вернуть сообщение нельзя.")
            self._take_responsibility(finish_steps(case, [StepKind.COMPETENCE_CHECK], assignment))
            finish_steps(case, list(StepKind), assignment, cancelled=True)
            Assignment.update(
                status=AssignmentStatus.RETURNED,
                return_reason=why,
                version=Assignment.version + 1,
                updated_by=self.user.login,
            ).where(Assignment.id == assignment.id).execute()
            start_step(
                case,
                StepName.REROUTE,
                responsible=case.incident.curator_id,
                at={Anchor.NOT_COMPETENT: case.now},
            )
            if not live_assignments(incident_id):
                self._set_status(case, IncidentStatus.RETURNED)
            else:
                self._advance_queue(case)
            self._event(
                case, "return_not_competent", department=assignment.department_id, reason=why
            )

        run_write(write)
