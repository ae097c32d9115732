"""The incident workflow: one method per action, exactly as the office's regulation says.

Every action checks the actor's role (`AccessDenied`, a `PermissionError`), validates its input
(`ValidationError`), then runs as one short BEGIN IMMEDIATE transaction that writes the rows,
ends and starts the steps with their deadlines (`steps.py`) and appends an audit event. An
action that does not fit the incident's state raises `InvalidTransition` and changes nothing.

Moments are aware UTC. The clock is injectable (`now`), so tests walk incidents through days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from desktop.models.base import update_versioned
from desktop.models.database import reads, run_write
from desktop.models.entities import (
    Absence,
    Account,
    AnswerVersion,
    Assignment,
    Attachment,
    Department,
    Employee,
    Incident,
    Location,
    Publication,
    Review,
    Step,
    Topic,
)
from desktop.models.enums import (
    CLOSED_STATUSES,
    AnswerKind,
    AnswerStatus,
    AssignmentStatus,
    Closure,
    ExplanationGround,
    Importance,
    IncidentSource,
    IncidentStatus,
    Network,
    PublicationMode,
    ReturnReason,
    ReviewDecision,
    ReviewStage,
    Role,
    RoutingMode,
    StepKind,
)
from desktop.models.fields import utcnow
from desktop.services.attachments import StoredFile, store_file
from desktop.services.audit import append_event
from desktop.services.errors import AccessDenied, RowDeleted, ValidationError
from desktop.services.formatting import format_moment
from desktop.services.incident_input import (
    check_moment,
    clean_line,
    clean_text,
    clean_url,
)
from desktop.services.links import link_key, network_of
from desktop.services.office import Office
from desktop.services.office_calendar import office_time
from desktop.services.office_regulation import office_regulation, regulation_by_slug
from desktop.services.permissions import Action
from desktop.services.regulations import Anchor, Consolidator, StepName
from desktop.services.session import CurrentUser
from desktop.services.steps import (
    ANY,
    Case,
    cancel_all_open,
    finish_steps,
    open_steps,
    start_step,
)
from desktop.services.titles import NETWORK_TITLES

EDITABLE_FIELDS = frozenset(
    {"author_name", "author_url", "text", "importance", "topic", "location", "note", "link"}
)
MAX_ANSWER_LENGTH = 20_000
MAX_SUBSTITUTE_HOPS = 5


class InvalidTransition(ValidationError):
    """The action does not fit the incident's state now; nothing was changed."""


class DuplicateLink(ValidationError):
    """The message at this link is registered already: open that card instead."""

    def __init__(self, incident_id: int, number: int) -> None:
        self.incident_id = incident_id
        self.number = number
        super().__init__(f"Это сообщение уже зарегистрировано: № {number}. Открыта его карточка.")


@dataclass(frozen=True)
class NewIncident:
    text: str
    detected_at: dt.datetime
    network: Network | None = None
    link: str = ""
    author_name: str = ""
    author_url: str = ""
    posted_at: dt.datetime | None = None
    importance: Importance = Importance.NORMAL
    topic_id: int | None = None
    location_id: int | None = None
    source: IncidentSource = IncidentSource.OWN_SEARCH
    external_number: str = ""
    external_deadline: dt.datetime | None = None
    account_id: int | None = None
    repeat_of: int | None = None
    attachments: Sequence[Path] = ()


@dataclass(frozen=True)
class RouteTarget:
    department_id: int
    executor_id: int | None = None


def _snapshot(incident: Incident, fields: frozenset[str] | set[str]) -> dict[str, Any]:
    values = {}
    for name in sorted(fields):
        value = getattr(incident, f"{name}_id" if name in ("topic", "location") else name)
        values[name] = value.isoformat() if isinstance(value, dt.datetime) else value
    return values


def _existing(incident_id: int) -> Incident:
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


def _is_away(employee_id: int, day: dt.date) -> bool:
    return (
        Absence.select()
        .where(
            (Absence.employee == employee_id)
            & (Absence.starts_on <= day)
            & (Absence.ends_on >= day)
        )
        .exists()
    )


class IncidentService:
    """The actions on incidents for one signed-in user."""

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

    # --- helpers -------------------------------------------------------------------------

    def now(self) -> dt.datetime:
        moment = self._now()
        if moment.tzinfo is None:
            raise ValueError("the service clock must return aware UTC moments")
        return moment.astimezone(dt.UTC)

    def _case(self, incident_id: int) -> Case:
        incident = _existing(incident_id)
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
            after={key: _plain(value) for key, value in after.items()},
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

    def _require_open(self, case: Case) -> None:
        if case.incident.status in CLOSED_STATUSES:
            raise InvalidTransition(
                f"Сообщение № {case.incident.number} уже закрыто: "
                f"{case.incident.status.value}. Действие не выполнено."
            )

    def _my_department(self) -> int | None:
        if self.user.employee_id is None:
            return None
        employee = Employee.get_or_none(Employee.id == self.user.employee_id)
        return None if employee is None else employee.department_id

    def _require_own(self, case: Case, assignment: Assignment | None) -> None:
        """An executor or department head acts only on their department's assignment, or on
        the one of a colleague they stand in for; a curator on any."""
        if Role.CURATOR in self.user.roles:
            return
        if assignment is None:
            raise AccessDenied("Это действие выполняет куратор.")
        mine = self.user.employee_id
        executor = assignment.executor_id
        if (
            mine is not None
            and executor is not None
            and substitute_for(executor, self._today(case)) == mine
        ):
            return
        if mine is not None and assignment.department_id == self._my_department():
            return
        raise AccessDenied("Сообщение направлено не в ваш отдел.")

    def _today(self, case: Case) -> dt.date:
        return case.time.local(case.now).date()

    def _assignment(self, case: Case, assignment_id: int | None) -> Assignment | None:
        """The assignment an action is about: given, or the user's department's active one."""
        if assignment_id is not None:
            found = Assignment.get_or_none(
                (Assignment.id == assignment_id) & (Assignment.incident == case.incident.id)
            )
            if found is None:
                raise ValidationError("Нет такого поручения по этому сообщению.")
            return found
        active = list(
            Assignment.select().where(
                (Assignment.incident == case.incident.id)
                & (Assignment.status == AssignmentStatus.IN_WORK)
            )
        )
        department = self._my_department()
        mine = [
            a
            for a in active
            if a.department_id == department or a.executor_id == self.user.employee_id
        ]
        if len(mine) == 1:
            return mine[0]
        if Role.CURATOR in self.user.roles:
            return None
        if not mine:
            raise InvalidTransition("У вашего отдела нет поручения по этому сообщению.")
        raise ValidationError("Укажите, по какому поручению действие.")

    # --- register and edit -----------------------------------------------------------

    def register(self, new: NewIncident) -> int:
        """Register a message; a link registered before raises `DuplicateLink`."""
        self.user.require(Action.REGISTER)
        now = self.now()
        text = clean_text(new.text)
        link = clean_url(new.link, "Ссылка на сообщение")
        author_url = clean_url(new.author_url, "Ссылка на автора")
        author = clean_line(new.author_name, "Автор")
        network = new.network or (network_of(link) if link else None)
        if network is None:
            raise ValidationError("Не удалось определить соцсеть по ссылке; выберите её вручную.")
        detected = check_moment(new.detected_at, "Момент выявления", now, required=True)
        posted = check_moment(new.posted_at, "Момент размещения", now)
        assert detected is not None
        if posted is not None and posted > detected:
            raise ValidationError("Сообщение не может быть размещено позже, чем выявлено.")
        external_number = clean_line(new.external_number, "Номер в системе мониторинга")
        regulation = office_regulation()
        external = new.external_deadline
        if external is not None and (external.tzinfo is None or external <= detected):
            raise ValidationError("Срок системы мониторинга должен быть позже выявления.")
        if regulation.upstream and (external is None or not external_number):
            raise ValidationError(
                "По порядку сообщение приходит от куратора города с номером и сроком системы "
                "мониторинга: укажите оба."
            )
        stored = self._store_attachments(new.attachments)

        def insert() -> int:
            key = link_key(link)
            if key:
                same = Incident.get_or_none(Incident.link_key == key)
                if same is not None:
                    raise DuplicateLink(same.id, same.number)
            _check_reference(Topic, new.topic_id, "Нет такой темы")
            _check_reference(Location, new.location_id, "Нет такой территории")
            _check_reference(Account, new.account_id, "Нет такого аккаунта")
            _check_reference(Incident, new.repeat_of, "Нет такого сообщения")
            last = Incident.select(Incident.number).order_by(Incident.number.desc()).first()
            incident = Incident.create(
                number=(last.number if last else 0) + 1,
                source=new.source,
                external_number=external_number,
                external_deadline=external,
                network=network,
                account=new.account_id,
                link=link,
                link_key=key,
                author_name=author,
                author_url=author_url,
                text=text,
                posted_at=posted,
                detected_at=detected,
                importance=new.importance,
                topic=new.topic_id,
                location=new.location_id,
                status=IncidentStatus.NEW,
                regulation=regulation.slug,
                routing_mode=regulation.routing_mode,
                repeat_of=new.repeat_of,
                registered_by=self.user.employee_id,
                registered_at=now,
                updated_by=self.user.login,
            )
            case = self._case(incident.id)
            answer = start_step(case, StepName.ANSWER, started_at=detected)
            Incident.update(answer_due_at=answer.due_at).where(Incident.id == incident.id).execute()
            case.incident.answer_due_at = answer.due_at
            start_step(case, StepName.ROUTE, started_at=detected)
            for file, name in stored:
                Attachment.create(
                    incident=incident.id,
                    file_name=name,
                    sha256=file.sha256,
                    size=file.size,
                    added_by=self.user.employee_id,
                )
            self._event(
                case,
                "register",
                number=incident.number,
                network=network,
                text=text,
                regulation=regulation.slug,
                answer_due_at=answer.due_at,
                repeat_of=new.repeat_of,
            )
            return int(incident.id)

        return run_write(insert)

    def _store_attachments(self, paths: Sequence[Path]) -> list[tuple[StoredFile, str]]:
        if not paths:
            return []
        if self._office is None:
            raise ValidationError("Вложения сохраняются только при открытой базе офиса.")
        return [(store_file(self._office, Path(path)), Path(path).name) for path in paths]

    def edit(self, incident_id: int, expected_version: int, changes: dict[str, Any]) -> int:
        """Change card fields if nobody else did since `expected_version`; return the new version.

        Raises `ConflictError` naming who changed the card first. A change of importance
        moves the answer deadline (and the draft deadline counted back from it).
        """
        self.user.require(Action.EDIT_INCIDENT)
        unknown = set(changes) - EDITABLE_FIELDS
        if unknown:
            raise ValidationError(f"Эти поля нельзя менять здесь: {', '.join(sorted(unknown))}")
        if "text" in changes:
            changes = {**changes, "text": clean_text(str(changes["text"]))}
        if "link" in changes:
            link = clean_url(str(changes["link"]), "Ссылка на сообщение")
            changes = {**changes, "link": link, "link_key": link_key(link)}
        if "importance" in changes:
            changes = {**changes, "importance": Importance(changes["importance"])}

        def update() -> int:
            before_row = _existing(incident_id)
            version = update_versioned(
                Incident,
                incident_id,
                expected_version,
                changes,
                self.user.login,
                describe_actor=describe_login,
            )
            after_row = Incident.get_by_id(incident_id)
            if after_row.importance is not before_row.importance:
                self._recompute_answer(self._case(incident_id))
            touched = set(changes) & EDITABLE_FIELDS
            append_event(
                self.user.actor,
                entity="incident",
                entity_id=incident_id,
                incident_id=incident_id,
                action="edit",
                before=_snapshot(before_row, touched),
                after=_snapshot(after_row, touched),
            )
            return version

        return run_write(update)

    def _recompute_answer(self, case: Case) -> None:
        for step in open_steps(case.incident, [StepKind.ANSWER]):
            due, rule = case.due(StepName.ANSWER)
            Step.update(due_at=due, rule=rule).where(Step.id == step.id).execute()
            Incident.update(answer_due_at=due).where(Incident.id == case.incident.id).execute()
            case.incident.answer_due_at = due
        draft = case.regulation.rule(
            StepName.DRAFT, importance=case.incident.importance, profile=case.profile
        )
        if draft is not None and draft.anchor is Anchor.ANSWER_DUE and not draft.manual:
            for step in open_steps(case.incident, [StepKind.DRAFT]):
                due, _ = case.due(StepName.DRAFT)
                Step.update(due_at=due).where(Step.id == step.id).execute()

    def mark_repeat(self, incident_id: int, earlier_id: int) -> None:
        """A new message on an issue handled before (Конышевский п. 17)."""
        self.user.require(Action.EDIT_INCIDENT)

        def write() -> None:
            case = self._case(incident_id)
            earlier = _existing(earlier_id)
            if earlier.id == incident_id or earlier.detected_at > case.incident.detected_at:
                raise ValidationError("Повторным может быть только сообщение, выявленное позже.")
            chain, seen = earlier, {incident_id}
            while chain.repeat_of_id is not None:
                if chain.id in seen:
                    break
                seen.add(chain.id)
                chain = _existing(chain.repeat_of_id)
            if incident_id in seen - {incident_id} or chain.id == incident_id:
                raise ValidationError("Такая связь замкнула бы цепочку повторных сообщений.")
            Incident.update(repeat_of=earlier_id).where(Incident.id == incident_id).execute()
            self._event(case, "mark_repeat", repeat_of=earlier_id)

        run_write(write)

    # --- routing --------------------------------------------------------------------------

    def route(
        self,
        incident_id: int,
        targets: Sequence[RouteTarget],
        *,
        mode: RoutingMode | None = None,
        consolidator_department_id: int | None = None,
        draft_due: dt.datetime | None = None,
    ) -> list[int]:
        """Send to one or several departments (in `targets`' order for the sequential mode).

        `draft_due` sets the draft deadline where the regulation lets the curator set it.
        """
        self.user.require(Action.ROUTE)
        if not targets:
            raise ValidationError("Выберите хотя бы один отдел.")
        departments = [t.department_id for t in targets]
        if len(set(departments)) != len(departments):
            raise ValidationError("Один отдел выбран дважды.")

        def write() -> list[int]:
            case = self._case(incident_id)
            self._require_open(case)
            status = case.incident.status
            rerouting = bool(open_steps(case.incident, [StepKind.ROUTE]))
            if status not in (IncidentStatus.NEW, IncidentStatus.RETURNED) and not rerouting:
                raise InvalidTransition(
                    f"Сообщение № {case.incident.number} уже направлено; "
                    "направить заново можно после возврата отделом."
                )
            chosen_mode = mode or case.regulation.routing_mode
            active = list(
                Assignment.select().where(
                    (Assignment.incident == incident_id)
                    & Assignment.status.in_([AssignmentStatus.IN_WORK, AssignmentStatus.ASSIGNED])
                )
            )
            taken = {a.department_id for a in active}
            if taken & set(departments):
                raise ValidationError("Сообщение уже в работе у одного из выбранных отделов.")
            today = self._today(case)
            created: list[Assignment] = []
            position = len(active)
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
                sequential_waiting = chosen_mode is RoutingMode.SEQUENTIAL and (active or created)
                created.append(
                    Assignment.create(
                        incident=incident_id,
                        department=department.id,
                        executor=executor,
                        position=position,
                        is_consolidator=department.id == consolidator_department_id,
                        status=AssignmentStatus.ASSIGNED
                        if sequential_waiting
                        else AssignmentStatus.IN_WORK,
                        routed_at=case.now,
                        updated_by=self.user.login,
                    )
                )
                position += 1
            if (
                consolidator_department_id is not None
                and consolidator_department_id not in departments
            ):
                raise ValidationError("Сводный ответ готовит один из выбранных отделов.")
            finish_steps(case, [StepKind.ROUTE])
            self._set_status(
                case,
                IncidentStatus.ROUTED,
                routing_mode=chosen_mode,
                curator=self.user.employee_id,
            )
            case.incident.routing_mode = chosen_mode
            everyone = active + created
            single = len(everyone) == 1
            for assignment in created:
                if assignment.status is AssignmentStatus.IN_WORK:
                    self._start_work(
                        case, assignment, single=single, draft_due=draft_due, everyone=everyone
                    )
            self._event(
                case,
                "route",
                departments=departments,
                executors=[a.executor_id for a in created],
                mode=chosen_mode,
                consolidator=consolidator_department_id,
            )
            return [int(a.id) for a in created]

        return run_write(write)

    def _start_work(
        self,
        case: Case,
        assignment: Assignment,
        *,
        single: bool,
        everyone: Sequence[Assignment],
        draft_due: dt.datetime | None = None,
    ) -> None:
        """A department got the message: its competence check and its draft (or part) run."""
        if case.regulation.rule(StepName.COMPETENCE_CHECK, profile=case.profile) is not None:
            start_step(
                case,
                StepName.COMPETENCE_CHECK,
                assignment=assignment,
                responsible=assignment.executor_id,
            )
        writes_answer = single or (
            case.incident.routing_mode is RoutingMode.SEQUENTIAL
            and assignment.position == max(a.position for a in everyone)
            and case.regulation.consolidator is Consolidator.LAST
        )
        step = StepName.DRAFT if writes_answer else StepName.PART
        start_step(
            case,
            step,
            assignment=assignment,
            responsible=assignment.executor_id,
            due=draft_due if writes_answer else None,
        )

    def pick_consolidator(self, incident_id: int, department_id: int) -> None:
        """The department that writes the consolidated answer (Отрадненский п. 19)."""
        self.user.require(Action.ROUTE)

        def write() -> None:
            case = self._case(incident_id)
            self._require_open(case)
            assignment = Assignment.get_or_none(
                (Assignment.incident == incident_id) & (Assignment.department == department_id)
            )
            if assignment is None or assignment.status is AssignmentStatus.RETURNED:
                raise ValidationError("Сводный ответ готовит отдел, которому направлено сообщение.")
            Assignment.update(is_consolidator=False).where(
                Assignment.incident == incident_id
            ).execute()
            Assignment.update(is_consolidator=True).where(Assignment.id == assignment.id).execute()
            # A consolidated draft already waiting for its writer goes to this department.
            waiting = open_steps(case.incident, [StepKind.DRAFT], None)
            if waiting:
                Assignment.update(status=AssignmentStatus.IN_WORK).where(
                    Assignment.id == assignment.id
                ).execute()
            Step.update(
                assignment=assignment.id,
                department=assignment.department_id,
                responsible=assignment.executor_id,
            ).where(
                (Step.incident == incident_id)
                & (Step.kind == StepKind.DRAFT)
                & Step.done_at.is_null()
                & Step.assignment.is_null()
            ).execute()
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
            if assignment.executor_id is None and self.user.employee_id is not None:
                Assignment.update(executor=self.user.employee_id).where(
                    Assignment.id == assignment.id
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
            pending = AnswerVersion.select().where(
                (AnswerVersion.assignment == assignment.id)
                & AnswerVersion.status.in_([AnswerStatus.SUBMITTED, AnswerStatus.APPROVED])
            )
            if pending.exists():
                raise InvalidTransition("Отдел уже подготовил ответ; вернуть сообщение нельзя.")
            finish_steps(case, [StepKind.COMPETENCE_CHECK], assignment)
            finish_steps(case, list(StepKind), assignment, cancelled=True)
            Assignment.update(
                status=AssignmentStatus.RETURNED,
                return_reason=why,
                version=Assignment.version + 1,
                updated_by=self.user.login,
            ).where(Assignment.id == assignment.id).execute()
            remaining = Assignment.select().where(
                (Assignment.incident == incident_id)
                & Assignment.status.in_([AssignmentStatus.IN_WORK, AssignmentStatus.ASSIGNED])
            )
            start_step(case, StepName.REROUTE, at={Anchor.NOT_COMPETENT: case.now})
            if not remaining.exists():
                self._set_status(case, IncidentStatus.RETURNED)
            self._event(
                case, "return_not_competent", department=assignment.department_id, reason=why
            )

        run_write(write)

    # --- drafts -------------------------------------------------------------------------

    def submit_draft(
        self,
        incident_id: int,
        text: str,
        *,
        kind: AnswerKind = AnswerKind.FINAL,
        assignment_id: int | None = None,
        ground: ExplanationGround | None = None,
    ) -> int:
        """A draft of `kind` goes for approval (or, where nobody approves, to publication)."""
        self.user.require(Action.WRITE_DRAFT)
        body = clean_text(text, "Текст ответа", limit=MAX_ANSWER_LENGTH)
        kind = AnswerKind(kind)
        if kind is AnswerKind.EXPLANATION and ground is None:
            raise ValidationError("Укажите, почему даётся разъяснение (п. 3.7 Порядка).")

        def write() -> int:
            case = self._case(incident_id)
            self._require_open(case)
            if (
                kind is AnswerKind.EXPLANATION
                and case.regulation.rule(StepName.EXPLANATION) is None
            ):
                raise InvalidTransition("Порядок офиса не предусматривает разъяснений.")
            assignment = self._assignment(case, assignment_id)
            self._require_own(case, assignment)
            if assignment is not None and assignment.status is not AssignmentStatus.IN_WORK:
                raise InvalidTransition("Поручение отдела не в работе: проект не принят.")
            if case.incident.status is IncidentStatus.NEW:
                raise InvalidTransition("Сообщение ещё не направлено в отдел.")
            waiting = AnswerVersion.select().where(
                (AnswerVersion.incident == incident_id)
                & (AnswerVersion.status == AnswerStatus.SUBMITTED)
                & (AnswerVersion.kind == kind)
                & (
                    AnswerVersion.assignment.is_null()
                    if assignment is None
                    else AnswerVersion.assignment == assignment.id
                )
            )
            if waiting.exists():
                raise InvalidTransition("Предыдущий проект ещё на согласовании.")
            if kind is AnswerKind.PART:
                if assignment is None or not open_steps(case.incident, [StepKind.PART], assignment):
                    raise InvalidTransition("От этого отдела не ждут части сводного ответа.")
            elif assignment is not None and kind is not AnswerKind.CLARIFICATION:
                expects = open_steps(case.incident, [StepKind.DRAFT, StepKind.REWORK], assignment)
                if not expects and case.incident.status is not IncidentStatus.INTERIM:
                    raise InvalidTransition(
                        "Этот отдел готовит часть сводного ответа, а не весь ответ."
                    )
            _competence_confirmed(case, assignment)
            version = self._new_version(case, kind, body, assignment, ground)
            if kind is AnswerKind.CLARIFICATION:
                self._clarification_step(case, assignment)
            elif kind is AnswerKind.PART:
                finish_steps(case, [StepKind.PART, StepKind.REWORK], assignment)
            else:
                scope: object = assignment
                if assignment is None and not open_steps(
                    case.incident, [StepKind.DRAFT, StepKind.REWORK], None
                ):
                    scope = ANY  # the curator writes the answer a department was to write
                finish_steps(case, [StepKind.DRAFT, StepKind.REWORK], scope)
                if kind is AnswerKind.EXPLANATION:
                    self._explanation_step(case)
            self._after_submit(case, version, assignment)
            self._event(
                case,
                "submit_draft",
                answer=version.id,
                kind=kind,
                number=version.number,
                department=None if assignment is None else assignment.department_id,
            )
            return int(version.id)

        return run_write(write)

    def _new_version(
        self,
        case: Case,
        kind: AnswerKind,
        text: str,
        assignment: Assignment | None,
        ground: ExplanationGround | None,
        status: AnswerStatus = AnswerStatus.SUBMITTED,
    ) -> AnswerVersion:
        last = (
            AnswerVersion.select(AnswerVersion.number)
            .where((AnswerVersion.incident == case.incident.id) & (AnswerVersion.kind == kind))
            .order_by(AnswerVersion.number.desc())
            .first()
        )
        return AnswerVersion.create(
            incident=case.incident.id,
            assignment=None if assignment is None else assignment.id,
            kind=kind,
            number=(last.number if last else 0) + 1,
            text=text,
            status=status,
            author=self.user.employee_id,
            created_at=case.now,
            submitted_at=case.now,
            ground="" if ground is None else ExplanationGround(ground).value,
            updated_by=self.user.login,
        )

    def _clarification_step(self, case: Case, assignment: Assignment | None) -> None:
        """The question to the author was due within the rule from receipt: recorded now."""
        if case.regulation.rule(StepName.CLARIFICATION, profile=case.profile) is None:
            return
        started = assignment.routed_at if assignment is not None else case.incident.registered_at
        step = start_step(case, StepName.CLARIFICATION, assignment=assignment, started_at=started)
        Step.update(done_at=case.now).where(Step.id == step.id).execute()

    def _explanation_step(self, case: Case) -> None:
        steps = open_steps(case.incident, [StepKind.EXPLANATION])
        if steps:
            Step.update(done_at=case.now).where(Step.id.in_([s.id for s in steps])).execute()
            return
        step = start_step(
            case,
            StepName.EXPLANATION,
            started_at=case.incident.posted_at or case.incident.detected_at,
        )
        Step.update(done_at=case.now).where(Step.id == step.id).execute()

    def _after_submit(
        self, case: Case, version: AnswerVersion, assignment: Assignment | None
    ) -> None:
        if case.regulation.department_approval and assignment is not None:
            start_step(case, StepName.DEPARTMENT_APPROVAL, assignment=assignment)
            self._set_status(case, IncidentStatus.ON_APPROVAL)
        elif version.kind is AnswerKind.PART:
            self._part_accepted(case, version, assignment)
        else:
            self._to_curator(case, version, assignment)

    def _to_curator(
        self, case: Case, version: AnswerVersion, assignment: Assignment | None
    ) -> None:
        if case.regulation.review:
            start_step(
                case, StepName.REVIEW, assignment=assignment, at={Anchor.SUBMITTED: case.now}
            )
            self._set_status(case, IncidentStatus.ON_APPROVAL)
        else:
            self._approved(case, version, assignment)

    def _approved(self, case: Case, version: AnswerVersion, assignment: Assignment | None) -> None:
        AnswerVersion.update(status=AnswerStatus.APPROVED, version=AnswerVersion.version + 1).where(
            AnswerVersion.id == version.id
        ).execute()
        curator_publishes = case.regulation.curator_publishes
        responsible = (
            case.incident.curator_id
            if curator_publishes or assignment is None
            else assignment.executor_id
        )
        start_step(
            case,
            StepName.PUBLISH,
            assignment=None if curator_publishes else assignment,
            responsible=responsible,
            at={Anchor.APPROVED: case.now, Anchor.SUBMITTED: version.submitted_at},
        )
        self._set_status(case, IncidentStatus.APPROVED)

    def _part_accepted(
        self, case: Case, version: AnswerVersion, assignment: Assignment | None
    ) -> None:
        """A department's part is in: the next in order gets the message, or, when every
        part is in, the consolidated draft starts."""
        assert assignment is not None
        AnswerVersion.update(status=AnswerStatus.APPROVED).where(
            AnswerVersion.id == version.id
        ).execute()
        Assignment.update(status=AssignmentStatus.DONE, version=Assignment.version + 1).where(
            Assignment.id == assignment.id
        ).execute()
        everyone = list(
            Assignment.select()
            .where(
                (Assignment.incident == case.incident.id)
                & (Assignment.status != AssignmentStatus.RETURNED)
            )
            .order_by(Assignment.position)
        )
        waiting = [a for a in everyone if a.status is AssignmentStatus.ASSIGNED]
        if case.incident.routing_mode is RoutingMode.SEQUENTIAL and waiting:
            following = waiting[0]
            Assignment.update(status=AssignmentStatus.IN_WORK, routed_at=case.now).where(
                Assignment.id == following.id
            ).execute()
            following = Assignment.get_by_id(following.id)
            self._start_work(case, following, single=False, everyone=everyone)
            self._set_status(case, IncidentStatus.ROUTED)
            return
        if any(a.status is AssignmentStatus.IN_WORK for a in everyone):
            return  # other departments are still writing their parts
        writer = None
        if case.regulation.consolidator is not Consolidator.CURATOR:
            writer = next((a for a in everyone if a.is_consolidator), None)
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

    # --- approvals -----------------------------------------------------------------------

    def _submitted(self, case: Case, answer_id: int) -> AnswerVersion:
        version = AnswerVersion.get_or_none(
            (AnswerVersion.id == answer_id) & (AnswerVersion.incident == case.incident.id)
        )
        if version is None:
            raise ValidationError("Нет такого проекта ответа по этому сообщению.")
        if version.status is not AnswerStatus.SUBMITTED:
            last = (
                Review.select()
                .where(Review.answer == version.id)
                .order_by(Review.id.desc())
                .first()
            )
            if last is not None:
                who = (
                    ""
                    if last.reviewer_id is None
                    else Employee.get_by_id(last.reviewer_id).full_name
                )
                when = format_moment(last.decided_at, case.time.zone)
                raise InvalidTransition(
                    f"Проект уже рассмотрел(а) {who} в {when}; ничего не изменено."
                )
            raise InvalidTransition("Проект не ждёт согласования.")
        return version

    def approve_department(
        self,
        incident_id: int,
        answer_id: int,
        decision: ReviewDecision = ReviewDecision.APPROVE,
        *,
        reasons: Sequence[ReturnReason] = (),
        comment: str = "",
    ) -> None:
        """The supervising deputy approves or returns the department's answer first (Барнаул)."""
        self.user.require(Action.APPROVE_DEPARTMENT)
        decision = ReviewDecision(decision)
        reasons, note = _return_reasons(decision, reasons, comment)

        def write() -> None:
            case = self._case(incident_id)
            self._require_open(case)
            version = self._submitted(case, answer_id)
            assignment = (
                None
                if version.assignment_id is None
                else Assignment.get_by_id(version.assignment_id)
            )
            if assignment is None or not open_steps(
                case.incident, [StepKind.DEPARTMENT_APPROVAL], assignment
            ):
                raise InvalidTransition("Этот проект не ждёт согласования руководителем органа.")
            self._require_own(case, assignment)
            finish_steps(case, [StepKind.DEPARTMENT_APPROVAL], assignment)
            Review.create(
                answer=version.id,
                stage=ReviewStage.DEPARTMENT,
                reviewer=self.user.employee_id,
                decision=decision,
                reasons=[r.value for r in reasons],
                comment=note,
                decided_at=case.now,
            )
            if decision is ReviewDecision.RETURN:
                self._returned(case, version, assignment, None)
            elif version.kind is AnswerKind.PART:
                self._part_accepted(case, version, assignment)
            else:
                self._to_curator(case, version, assignment)
            self._event(
                case, "approve_department", answer=version.id, decision=decision, reasons=reasons
            )

        run_write(write)

    def review(
        self,
        incident_id: int,
        answer_id: int,
        decision: ReviewDecision,
        *,
        reasons: Sequence[ReturnReason] = (),
        comment: str = "",
        edited_text: str | None = None,
        rework_due: dt.datetime | None = None,
    ) -> int:
        """The curator approves (with edits: a new version), or returns with reasons and a
        comment; returns the id of the version that stands (the edited one, if any)."""
        self.user.require(Action.REVIEW)
        decision = ReviewDecision(decision)
        reasons, note = _return_reasons(decision, reasons, comment)
        edited = None
        if decision is ReviewDecision.APPROVE_WITH_EDITS:
            edited = clean_text(edited_text or "", "Исправленный текст", limit=MAX_ANSWER_LENGTH)

        def write() -> int:
            case = self._case(incident_id)
            self._require_open(case)
            version = self._submitted(case, answer_id)
            assignment = (
                None
                if version.assignment_id is None
                else Assignment.get_by_id(version.assignment_id)
            )
            scope = ANY if assignment is None else assignment
            if open_steps(case.incident, [StepKind.DEPARTMENT_APPROVAL], scope):
                raise InvalidTransition("Проект ещё не согласован руководителем органа.")
            if version.kind is AnswerKind.PART:
                raise InvalidTransition("Части сводного ответа не согласуются по отдельности.")
            finish_steps(case, [StepKind.REVIEW])
            Review.create(
                answer=version.id,
                stage=ReviewStage.CURATOR,
                reviewer=self.user.employee_id,
                decision=decision,
                reasons=[r.value for r in reasons],
                comment=note,
                decided_at=case.now,
            )
            standing = version
            if decision is ReviewDecision.RETURN:
                self._returned(case, version, assignment, rework_due)
            else:
                if edited is not None and edited != version.text:
                    AnswerVersion.update(status=AnswerStatus.APPROVED).where(
                        AnswerVersion.id == version.id
                    ).execute()
                    standing = self._new_version(
                        case,
                        version.kind,
                        edited,
                        assignment,
                        _ground(version),
                        AnswerStatus.SUBMITTED,
                    )
                self._approved(case, standing, assignment)
            self._event(
                case,
                "review",
                answer=version.id,
                decision=decision,
                reasons=reasons,
                comment=note,
                edited_version=standing.id if standing.id != version.id else None,
            )
            return int(standing.id)

        return run_write(write)

    def _returned(
        self,
        case: Case,
        version: AnswerVersion,
        assignment: Assignment | None,
        due: dt.datetime | None,
    ) -> None:
        AnswerVersion.update(status=AnswerStatus.RETURNED, version=AnswerVersion.version + 1).where(
            AnswerVersion.id == version.id
        ).execute()
        start_step(
            case,
            StepName.REWORK,
            assignment=assignment,
            responsible=None if assignment is None else assignment.executor_id,
            due=due,
            at={Anchor.RETURNED: case.now},
        )
        self._set_status(case, IncidentStatus.REWORK)

    # --- publication and closing ---------------------------------------------------------

    def publish(
        self,
        incident_id: int,
        *,
        url: str = "",
        mode: PublicationMode | None = None,
        published_at: dt.datetime | None = None,
        also_on_site: bool = False,
    ) -> int:
        """Record the approved answer as published: where (link, mode) and when."""
        self.user.require(Action.PUBLISH)
        now = self.now()
        moment = check_moment(published_at or now, "Момент размещения ответа", now, required=True)
        assert moment is not None

        def write() -> int:
            case = self._case(incident_id)
            self._require_open(case)
            regulation = case.regulation
            chosen = PublicationMode(mode or regulation.publication_modes[0])
            if chosen not in regulation.publication_modes or chosen is PublicationMode.SITE:
                allowed = ", ".join(m.value for m in regulation.publication_modes)
                raise ValidationError(f"Порядок допускает размещение: {allowed}.")
            if also_on_site and PublicationMode.SITE not in regulation.publication_modes:
                raise ValidationError("Порядок не предусматривает размещения на сайте.")
            link = clean_url(
                url,
                "Ссылка на размещённый ответ",
                required=chosen not in (PublicationMode.PRIVATE_MESSAGE, PublicationMode.UPSTREAM),
            )
            version = (
                AnswerVersion.select()
                .where(
                    (AnswerVersion.incident == incident_id)
                    & (AnswerVersion.status == AnswerStatus.APPROVED)
                    & (AnswerVersion.kind != AnswerKind.PART)
                )
                .order_by(AnswerVersion.id.desc())
                .first()
            )
            if version is None:
                raise InvalidTransition("Нет согласованного ответа, который можно разместить.")
            assignment = (
                None
                if version.assignment_id is None
                else Assignment.get_by_id(version.assignment_id)
            )
            if regulation.curator_publishes and Role.CURATOR not in self.user.roles:
                raise AccessDenied("По порядку офиса ответ размещает куратор.")
            self._require_own(case, assignment)
            if moment < version.submitted_at:
                raise ValidationError("Ответ не мог быть размещён раньше, чем подготовлен.")
            publication = Publication.create(
                incident=incident_id,
                answer=version.id,
                mode=chosen,
                url=link,
                published_at=moment,
                published_by=self.user.employee_id,
            )
            if also_on_site:
                Publication.create(
                    incident=incident_id,
                    answer=version.id,
                    mode=PublicationMode.SITE,
                    url="",
                    published_at=moment,
                    published_by=self.user.employee_id,
                )
            AnswerVersion.update(status=AnswerStatus.PUBLISHED).where(
                AnswerVersion.id == version.id
            ).execute()
            finish_steps(case, [StepKind.PUBLISH])
            self._published(case, version, moment)
            self._event(
                case,
                "publish",
                answer=version.id,
                kind=version.kind,
                mode=chosen,
                url=link,
                at=moment,
            )
            return int(publication.id)

        return run_write(write)

    def _published(self, case: Case, version: AnswerVersion, moment: dt.datetime) -> None:
        if version.kind is AnswerKind.CLARIFICATION:
            self._set_status(case, IncidentStatus.CLARIFICATION)
            return
        finish_steps(case, [StepKind.ANSWER])
        if version.kind is AnswerKind.INTERIM:
            final = start_step(
                case,
                StepName.FINAL_AFTER_INTERIM,
                started_at=moment,
                at={Anchor.INTERIM_PUBLISHED: moment},
            )
            active = list(
                Assignment.select().where(
                    (Assignment.incident == case.incident.id)
                    & (Assignment.status == AssignmentStatus.IN_WORK)
                )
            )
            # The final answer is drafted anew; its deadline is the curator's to set (п. 18).
            writers: list[Assignment | None] = [*active] or [None]
            for assignment in writers:
                start_step(
                    case,
                    StepName.DRAFT,
                    assignment=assignment,
                    responsible=None if assignment is None else assignment.executor_id,
                    due=final.due_at,
                )
            self._set_status(case, IncidentStatus.INTERIM, answer_due_at=final.due_at)
            case.incident.answer_due_at = final.due_at
            return
        finish_steps(case, [StepKind.FINAL_AFTER_INTERIM])
        cancel_all_open(case)
        Assignment.update(status=AssignmentStatus.DONE).where(
            (Assignment.incident == case.incident.id)
            & Assignment.status.in_([AssignmentStatus.IN_WORK, AssignmentStatus.ASSIGNED])
        ).execute()
        self._set_status(case, IncidentStatus.ANSWERED, answered_at=moment)

    def _close(
        self, case: Case, status: IncidentStatus, closure: Closure, note: str, **fields: Any
    ) -> None:
        cancel_all_open(case)
        Assignment.update(status=AssignmentStatus.DONE).where(
            (Assignment.incident == case.incident.id)
            & Assignment.status.in_([AssignmentStatus.IN_WORK, AssignmentStatus.ASSIGNED])
        ).execute()
        self._set_status(case, status, closure=closure, closure_note=note, **fields)

    def close_not_to_answer(self, incident_id: int, reason: str) -> None:
        """Threats, obscenity, insults, intent to harm: no answer; the curator is told, and
        under an upstream regulation the city curator too (Барнаул п. 9)."""
        self.user.require(Action.CLOSE)
        why = clean_text(reason, "Основание", limit=2_000)

        def write() -> None:
            case = self._case(incident_id)
            self._require_open(case)
            self._close(case, IncidentStatus.NOT_TO_ANSWER, Closure.NOT_TO_ANSWER, why)
            told = ["curator"] + (
                ["city_curator"] if case.regulation.not_to_answer_goes_upstream else []
            )
            self._event(case, "close_not_to_answer", reason=why, notified=told)

        run_write(write)

    def make_official_appeal(
        self, incident_id: int, *, number: str, registered_on: dt.date, consent: bool
    ) -> None:
        """With the author's consent the message becomes an appeal under 59-ФЗ (Охинский 3.8)
        and leaves the working-hours track."""
        self.user.require(Action.CLOSE)
        if not consent:
            raise ValidationError("Обращение регистрируется только с согласия автора.")
        appeal = clean_line(number, "Регистрационный номер обращения", required=True)
        if not isinstance(registered_on, dt.date):
            raise ValidationError("Укажите дату регистрации обращения.")

        def write() -> None:
            case = self._case(incident_id)
            self._require_open(case)
            if registered_on < case.time.local(case.incident.detected_at).date():
                raise ValidationError("Обращение не могло быть зарегистрировано раньше выявления.")
            self._close(
                case,
                IncidentStatus.OFFICIAL_APPEAL,
                Closure.OFFICIAL_APPEAL,
                "",
                appeal_number=appeal,
                appeal_date=registered_on,
            )
            self._event(case, "official_appeal", number=appeal, date=registered_on.isoformat())

        run_write(write)

    def return_upstream(self, incident_id: int, reason: str) -> None:
        """Not the district's: back to the city curator at once (Барнаул п. 4)."""
        self.user.require(Action.CLOSE)
        why = clean_text(reason, "Причина возврата", limit=2_000)

        def write() -> None:
            case = self._case(incident_id)
            self._require_open(case)
            if not case.regulation.upstream:
                raise InvalidTransition(
                    "По порядку офиса сообщения не приходят от куратора города."
                )
            self._close(case, IncidentStatus.RETURNED_UPSTREAM, Closure.RETURNED_UPSTREAM, why)
            self._event(case, "return_upstream", reason=why)

        run_write(write)

    # --- deadlines the curator sets, and the report to management ------------------------

    def set_due(self, incident_id: int, step_id: int, due: dt.datetime) -> None:
        """A deadline the regulation leaves to the curator (the controller): a draft, a rework,
        the steps after an interim answer. The legal answer deadline is not editable."""
        self.user.require(Action.SET_DEADLINE)
        if due.tzinfo is None:
            raise ValidationError("Срок без часового пояса.")

        def write() -> None:
            case = self._case(incident_id)
            self._require_open(case)
            step = Step.get_or_none((Step.id == step_id) & (Step.incident == incident_id))
            if step is None or step.done_at is not None:
                raise InvalidTransition("Этот шаг уже завершён или не относится к сообщению.")
            if step.kind in (StepKind.ANSWER, StepKind.FINAL_AFTER_INTERIM, StepKind.EXPLANATION):
                raise InvalidTransition("Срок ответа установлен Порядком и не меняется вручную.")
            if due <= case.now:
                raise ValidationError("Новый срок уже прошёл.")
            before = step.due_at
            Step.update(due_at=due).where(Step.id == step.id).execute()
            self._event(case, "set_due", step=step.id, kind=step.kind, before=before, due=due)

        run_write(write)

    def notify_manager(self, incident_id: int) -> str:
        """Record the immediate report to management and return its text, ready to send."""
        self.user.require(Action.NOTIFY_MANAGER)

        def write() -> str:
            case = self._case(incident_id)
            incident = case.incident
            Incident.update(manager_notified_at=case.now).where(
                Incident.id == incident.id
            ).execute()
            place = (
                ""
                if incident.location_id is None
                else Location.get_by_id(incident.location_id).name
            )
            what = (
                "Инцидент повышенной важности"
                if incident.importance is Importance.HIGH
                else "Сообщение"
            )
            parts = [
                f"{what} № {incident.number} ({NETWORK_TITLES[incident.network]}): "
                f"{_first_line(incident.text)}",
            ]
            if place:
                parts.append(f"Место: {place}.")
            if incident.link:
                parts.append(f"Ссылка: {incident.link}")
            if incident.answer_due_at is not None:
                parts.append(
                    f"Срок ответа: {format_moment(incident.answer_due_at, case.time.zone)}."
                )
            text = " ".join(parts)
            self._event(case, "notify_manager", to=case.regulation.report_to, text=text)
            return text

        return run_write(write)

    @staticmethod
    @reads
    def version_of(incident_id: int) -> int:
        return int(_existing(incident_id).version)


def _competence_confirmed(case: Case, assignment: Assignment | None) -> None:
    """A department that writes instead of returning the message within the competence window
    has accepted it: the check ends when the window did, or now if that is earlier. When the
    curator writes, every department's check ends so."""
    scope: object = ANY if assignment is None else assignment
    for step in open_steps(case.incident, [StepKind.COMPETENCE_CHECK], scope):
        ended = case.now if step.due_at is None else min(case.now, step.due_at)
        Step.update(done_at=ended).where(Step.id == step.id).execute()


def _return_reasons(
    decision: ReviewDecision, reasons: Sequence[ReturnReason], comment: str
) -> tuple[list[ReturnReason], str]:
    note = clean_text(comment, "Комментарий", limit=5_000) if comment.strip() else ""
    if decision is not ReviewDecision.RETURN:
        return [], note
    chosen = [ReturnReason(r) for r in reasons]
    if not chosen:
        raise ValidationError("Укажите хотя бы одну причину возврата на доработку.")
    if ReturnReason.OTHER in chosen and not note:
        raise ValidationError("Для причины «иное» напишите комментарий.")
    return sorted(set(chosen), key=list(ReturnReason).index), note


def _ground(version: AnswerVersion) -> ExplanationGround | None:
    return ExplanationGround(version.ground) if version.ground else None


def _first_line(text: str) -> str:
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return line if len(line) <= 200 else line[:199] + "…"


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, StrEnum):
        return value.value
    return value


def _check_reference(model: Any, row_id: int | None, missing: str) -> None:
    if row_id is not None and not model.select().where(model.id == row_id).exists():
        raise ValidationError(f"{missing} (id {row_id}).")
