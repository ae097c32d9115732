"""Drafts and their approval: parts, answers, clarifications, the deputy's and the curator's
decisions, rework, and the deadlines the curator sets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from desktop.models.database import reads, run_write
from desktop.models.entities import AnswerVersion, Assignment, Employee, Incident, Review, Step
from desktop.models.enums import (
    AnswerKind,
    AnswerStatus,
    AssignmentStatus,
    ExplanationGround,
    IncidentStatus,
    ReturnReason,
    ReviewDecision,
    ReviewStage,
    StepKind,
)
from desktop.services.errors import AccessDenied, ValidationError
from desktop.services.formatting import format_moment
from desktop.services.incident_base import InvalidTransition, ServiceBase, assignment_of
from desktop.services.incident_input import clean_note, clean_text
from desktop.services.permissions import Action
from desktop.services.regulations import Anchor, StepName
from desktop.services.steps import ANY, Case, finish_steps, open_steps, start_step
from desktop.services.working_drafts import drop_working_copy

MAX_ANSWER_LENGTH = 20_000
ANSWERS = frozenset({AnswerKind.FINAL, AnswerKind.INTERIM, AnswerKind.EXPLANATION})
# Deadlines a curator may set at any time; in the interim phase (Отрадненский п. 18: «сроки
# определяет куратор») also those of his review and of the publication.
CURATOR_SET = frozenset(
    {StepKind.DRAFT, StepKind.PART, StepKind.REWORK, StepKind.DEPARTMENT_APPROVAL}
)
CURATOR_SET_AFTER_INTERIM = CURATOR_SET | {StepKind.REVIEW, StepKind.PUBLISH}


class Drafting(ServiceBase):
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
        if ground is not None:
            try:
                ground = ExplanationGround(ground)
            except ValueError:
                raise ValidationError(f"Нет такого основания разъяснения: {ground!r}.") from None

        def write() -> int:
            case = self._case(incident_id)
            self._require_open(case)
            if case.incident.status is IncidentStatus.NEW:
                raise InvalidTransition("Сообщение ещё не направлено в отдел.")
            if (
                kind is AnswerKind.EXPLANATION
                and case.regulation.rule(StepName.EXPLANATION) is None
            ):
                raise InvalidTransition("Порядок офиса не предусматривает разъяснений.")
            assignment = self._assignment(case, assignment_id)
            self._require_own(case, assignment)
            if assignment is not None and assignment.status is not AssignmentStatus.IN_WORK:
                raise InvalidTransition("Поручение отдела не в работе: проект не принят.")
            self._refuse_second_waiting(case, assignment)
            expected, scope = self._expected(case, assignment)
            if kind not in _accepted(expected):
                raise InvalidTransition(_not_expected(expected))
            _competence_confirmed(case, assignment)
            version = self._new_version(case, kind, body, assignment, ground)
            drop_working_copy(case.incident.id, assignment)
            self._take_responsibility(finish_steps(case, [StepKind.REWORK], scope))
            if kind is AnswerKind.CLARIFICATION:
                self._clarification_step(case, assignment)
            else:
                kinds = [StepKind.PART] if kind is AnswerKind.PART else [StepKind.DRAFT]
                self._take_responsibility(finish_steps(case, kinds, scope))
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

    def _refuse_second_waiting(self, case: Case, assignment: Assignment | None) -> None:
        """One draft at a time waits for a decision, whatever its kind."""
        waiting = AnswerVersion.select().where(
            (AnswerVersion.incident == case.incident.id)
            & (AnswerVersion.status == AnswerStatus.SUBMITTED)
            & (
                AnswerVersion.assignment.is_null()
                if assignment is None
                else AnswerVersion.assignment == assignment.id
            )
        )
        if waiting.exists():
            raise InvalidTransition("Предыдущий проект ещё на согласовании.")

    @reads
    def draft_kinds(
        self, incident_id: int, assignment_id: int | None = None
    ) -> frozenset[AnswerKind]:
        """The kinds of draft `submit_draft` would accept from this user now (for the same
        `assignment_id`): empty when the user may not write for the message at all. An
        explanation is offered only where the regulation has its rule (Охинский 3.7)."""
        if not self.user.may(Action.WRITE_DRAFT):
            return frozenset()
        case = self._case(incident_id)
        if not case.incident.status.is_open or case.incident.status is IncidentStatus.NEW:
            return frozenset()
        try:
            assignment = self._assignment(case, assignment_id)
            self._require_own(case, assignment)
            if assignment is not None and assignment.status is not AssignmentStatus.IN_WORK:
                return frozenset()
            self._refuse_second_waiting(case, assignment)
        except (AccessDenied, ValidationError):
            return frozenset()
        expected, _ = self._expected(case, assignment)
        kinds = _accepted(expected)
        if case.regulation.rule(StepName.EXPLANATION) is None:
            kinds -= {AnswerKind.EXPLANATION}
        return kinds

    def _expected(
        self, case: Case, assignment: Assignment | None
    ) -> tuple[frozenset[AnswerKind], object]:
        """Which kinds of draft are due now from this department (or the curator), and the
        scope of the steps a submission ends."""
        scope: object = ANY if assignment is None else assignment
        own: object = assignment  # None: the incident's own steps (the curator's)
        if open_steps(case.incident, [StepKind.REWORK], own):
            returned = (
                AnswerVersion.select()
                .where(
                    (AnswerVersion.incident == case.incident.id)
                    & (AnswerVersion.status == AnswerStatus.RETURNED)
                    & (
                        AnswerVersion.assignment.is_null()
                        if assignment is None
                        else AnswerVersion.assignment == assignment.id
                    )
                )
                .order_by(AnswerVersion.id.desc())
                .first()
            )
            if returned is not None and returned.kind is AnswerKind.PART:
                return frozenset({AnswerKind.PART}), own
            if returned is not None and returned.kind is AnswerKind.CLARIFICATION:
                # The question may be sent again, or dropped for the answer (or part) due.
                rest, _ = self._expected_without_rework(case, assignment, scope, own)
                return frozenset({AnswerKind.CLARIFICATION}) | rest, own
            return ANSWERS, own
        return self._expected_without_rework(case, assignment, scope, own)

    def _expected_without_rework(
        self, case: Case, assignment: Assignment | None, scope: object, own: object
    ) -> tuple[frozenset[AnswerKind], object]:
        if open_steps(case.incident, [StepKind.PART], own):
            return frozenset({AnswerKind.PART}), own
        if open_steps(case.incident, [StepKind.DRAFT], own):
            return ANSWERS, own
        if assignment is None and open_steps(case.incident, [StepKind.DRAFT]):
            return ANSWERS, scope  # the curator writes the answer a department was to write
        return frozenset(), own

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
            ground="" if ground is None else ground.value,
            updated_by=self.user.login,
        )

    def _clarification_step(self, case: Case, assignment: Assignment | None) -> None:
        """The question to the author was due within the rule from receipt: recorded once, at
        its first submission."""
        if case.regulation.rule(StepName.CLARIFICATION, profile=case.profile) is None:
            return
        if (
            Step.select()
            .where((Step.incident == case.incident.id) & (Step.kind == StepKind.CLARIFICATION))
            .exists()
        ):
            return
        started = assignment.routed_at if assignment is not None else case.incident.registered_at
        step = start_step(
            case,
            StepName.CLARIFICATION,
            assignment=assignment,
            started_at=started,
            responsible=self.user.employee_id,
        )
        Step.update(done_at=case.now).where(Step.id == step.id).execute()

    def _explanation_step(self, case: Case) -> None:
        """An explanation (Охинский 3.7) is due within its own rule from posting; being the
        answer, it is measured against that deadline, not the answer's."""
        steps = open_steps(case.incident, [StepKind.EXPLANATION])
        if not steps:
            steps = [
                start_step(
                    case,
                    StepName.EXPLANATION,
                    started_at=case.incident.posted_at or case.incident.detected_at,
                    responsible=self.user.employee_id,
                )
            ]
        Step.update(done_at=case.now).where(Step.id.in_([s.id for s in steps])).execute()
        due = steps[0].due_at
        answers = open_steps(case.incident, [StepKind.ANSWER])
        if due is not None and answers:
            Step.update(due_at=due, rule=steps[0].rule).where(
                Step.id.in_([s.id for s in answers])
            ).execute()
            Incident.update(answer_due_at=due).where(Incident.id == case.incident.id).execute()
            case.incident.answer_due_at = due

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
                case,
                StepName.REVIEW,
                assignment=assignment,
                responsible=case.incident.curator_id,
                at={Anchor.SUBMITTED: case.now},
            )
            self._set_status(case, IncidentStatus.ON_APPROVAL)
        else:
            self._approved(case, version, assignment)

    def _approved(self, case: Case, version: AnswerVersion, assignment: Assignment | None) -> None:
        AnswerVersion.update(status=AnswerStatus.APPROVED, version=AnswerVersion.version + 1).where(
            AnswerVersion.id == version.id
        ).execute()
        curator_publishes = case.regulation.curator_publishes or assignment is None
        start_step(
            case,
            StepName.PUBLISH,
            assignment=None if curator_publishes else assignment,
            responsible=case.incident.curator_id if curator_publishes else assignment.executor_id,  # type: ignore[union-attr]
            at={Anchor.APPROVED: case.now, Anchor.SUBMITTED: version.submitted_at},
        )
        self._set_status(case, IncidentStatus.APPROVED)

    def _part_accepted(
        self, case: Case, version: AnswerVersion, assignment: Assignment | None
    ) -> None:
        """A department's part is in: the next in order gets the message, or, when every part
        is in, the consolidated draft starts."""
        assert assignment is not None
        AnswerVersion.update(status=AnswerStatus.APPROVED).where(
            AnswerVersion.id == version.id
        ).execute()
        Assignment.update(status=AssignmentStatus.DONE, version=Assignment.version + 1).where(
            Assignment.id == assignment.id
        ).execute()
        self._advance_queue(case)
        if self._consolidation_may_start(case):
            self._start_consolidation(case)
        else:
            self._set_status(case, IncidentStatus.ROUTED)

    # --- decisions -------------------------------------------------------------------------

    def _waiting_version(
        self, case: Case, answer_id: int, *, also_approved: bool = False
    ) -> AnswerVersion:
        version = AnswerVersion.get_or_none(
            (AnswerVersion.id == answer_id) & (AnswerVersion.incident == case.incident.id)
        )
        if version is None:
            raise ValidationError("Нет такого проекта ответа по этому сообщению.")
        allowed = {AnswerStatus.SUBMITTED} | ({AnswerStatus.APPROVED} if also_approved else set())
        if version.status not in allowed:
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
        if decision is ReviewDecision.APPROVE_WITH_EDITS:
            raise ValidationError("Руководитель органа согласует или возвращает проект.")
        chosen, note = _return_reasons(decision, reasons, comment)

        def write() -> None:
            case = self._case(incident_id)
            self._require_open(case)
            version = self._waiting_version(case, answer_id)
            assignment = assignment_of(version)
            if assignment is None or not open_steps(
                case.incident, [StepKind.DEPARTMENT_APPROVAL], assignment
            ):
                raise InvalidTransition("Этот проект не ждёт согласования руководителем органа.")
            if not self._works_for(case, assignment):  # a curator too must head that department
                raise AccessDenied("Согласует руководитель того органа, который готовил ответ.")
            self._take_responsibility(
                finish_steps(case, [StepKind.DEPARTMENT_APPROVAL], assignment)
            )
            self._record(case, version, ReviewStage.DEPARTMENT, decision, chosen, note)
            if decision is ReviewDecision.RETURN:
                self._returned(case, version, assignment, None)
            elif version.kind is AnswerKind.PART:
                self._part_accepted(case, version, assignment)
            else:
                self._to_curator(case, version, assignment)
            self._event(
                case, "approve_department", answer=version.id, decision=decision, reasons=chosen
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
        comment; returns the id of the version that stands (the edited one, if any).

        Where nobody approves drafts (Изобильненский), the curator may still correct an
        answer before publishing it: `APPROVE_WITH_EDITS` on an approved version.
        """
        self.user.require(Action.REVIEW)
        decision = ReviewDecision(decision)
        chosen, note = _return_reasons(decision, reasons, comment)
        edited = None
        if decision is ReviewDecision.APPROVE_WITH_EDITS:
            edited = clean_text(edited_text or "", "Исправленный текст", limit=MAX_ANSWER_LENGTH)

        def write() -> int:
            case = self._case(incident_id)
            self._require_open(case)
            correcting = (
                decision is ReviewDecision.APPROVE_WITH_EDITS and not case.regulation.review
            )
            version = self._waiting_version(case, answer_id, also_approved=correcting)
            assignment = assignment_of(version)
            if version.kind is AnswerKind.PART:
                raise InvalidTransition("Части сводного ответа не согласуются по отдельности.")
            if open_steps(case.incident, [StepKind.DEPARTMENT_APPROVAL], self._scope(assignment)):
                raise InvalidTransition("Проект ещё не согласован руководителем органа.")
            due = self._curator_due(case, rework_due)
            if version.status is AnswerStatus.SUBMITTED:
                self._take_responsibility(finish_steps(case, [StepKind.REVIEW], assignment))
            self._record(case, version, ReviewStage.CURATOR, decision, chosen, note)
            standing = version
            if decision is ReviewDecision.RETURN:
                self._returned(case, version, assignment, due)
            elif edited is not None and edited != version.text:
                AnswerVersion.update(status=AnswerStatus.SUPERSEDED).where(
                    AnswerVersion.id == version.id
                ).execute()
                standing = self._new_version(
                    case, version.kind, edited, assignment, _ground(version)
                )
                if version.status is AnswerStatus.SUBMITTED:
                    self._approved(case, standing, assignment)
                else:  # corrected before publishing: the publication step runs on
                    AnswerVersion.update(status=AnswerStatus.APPROVED).where(
                        AnswerVersion.id == standing.id
                    ).execute()
            elif version.status is AnswerStatus.SUBMITTED:
                self._approved(case, version, assignment)
            self._event(
                case,
                "review",
                answer=version.id,
                decision=decision,
                reasons=chosen,
                comment=note,
                edited_version=standing.id if standing.id != version.id else None,
            )
            return int(standing.id)

        return run_write(write)

    def _record(
        self,
        case: Case,
        version: AnswerVersion,
        stage: ReviewStage,
        decision: ReviewDecision,
        reasons: Sequence[ReturnReason],
        comment: str,
    ) -> None:
        Review.create(
            answer=version.id,
            stage=stage,
            reviewer=self.user.employee_id,
            decision=decision,
            reasons=[r.value for r in reasons],
            comment=comment,
            decided_at=case.now,
        )

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
            responsible=version.author_id if assignment is None else assignment.executor_id,
            due=due,
            at={Anchor.RETURNED: case.now},
        )
        self._set_status(case, IncidentStatus.REWORK)

    def set_due(self, incident_id: int, step_id: int, due: dt.datetime) -> None:
        """A deadline the regulation leaves to the curator (the controller): a draft, a part,
        a rework; after an interim answer also his review and the publication (п. 18). Legal
        deadlines — answering, routing, the competence check — are not edited by hand."""
        self.user.require(Action.SET_DEADLINE)

        def write() -> None:
            case = self._case(incident_id)
            self._require_open(case)
            moment = self._curator_due(case, due)
            step = Step.get_or_none((Step.id == step_id) & (Step.incident == incident_id))
            if step is None or step.done_at is not None:
                raise InvalidTransition("Этот шаг уже завершён или не относится к сообщению.")
            interim = bool(open_steps(case.incident, [StepKind.FINAL_AFTER_INTERIM]))
            allowed = CURATOR_SET_AFTER_INTERIM if interim else CURATOR_SET
            if step.kind not in allowed:
                raise InvalidTransition(
                    f"Этот срок установлен Порядком ({step.rule or 'по его пунктам'}) и не "
                    "меняется вручную."
                )
            before = step.due_at
            Step.update(due_at=moment).where(Step.id == step.id).execute()
            self._event(case, "set_due", step=step.id, kind=step.kind, before=before, due=moment)

        run_write(write)


def _competence_confirmed(case: Case, assignment: Assignment | None) -> None:
    """A department that writes instead of returning the message within the competence window
    has accepted it: the check ends when the window did, or now if that is earlier. When the
    curator writes, every department's check ends so."""
    scope: object = ANY if assignment is None else assignment
    for step in open_steps(case.incident, [StepKind.COMPETENCE_CHECK], scope):
        ended = case.now if step.due_at is None else min(case.now, step.due_at)
        Step.update(done_at=ended).where(Step.id == step.id).execute()


def _accepted(expected: frozenset[AnswerKind]) -> frozenset[AnswerKind]:
    """What is due, and a question to the author with it: while a department (or the
    curator) writes anything, it may ask the author first. Nothing is due, nothing goes."""
    return expected | {AnswerKind.CLARIFICATION} if expected else frozenset()


def _not_expected(expected: frozenset[AnswerKind]) -> str:
    if expected == {AnswerKind.PART}:
        return "От отдела ждут часть сводного ответа, а не весь ответ."
    if AnswerKind.FINAL in expected:
        return "Часть сводного ответа сейчас не ожидается: нужен ответ целиком."
    if expected == {AnswerKind.CLARIFICATION}:
        return "На доработке уточняющий вопрос: пришлите его исправленный текст."
    return "Сейчас проект ответа не ожидается."


def _return_reasons(
    decision: ReviewDecision, reasons: Sequence[ReturnReason], comment: str
) -> tuple[list[ReturnReason], str]:
    note = clean_note(comment, "Комментарий")
    if decision is not ReviewDecision.RETURN:
        return [], note
    try:
        chosen = [ReturnReason(r) for r in reasons]
    except ValueError as exc:
        raise ValidationError(f"Нет такой причины возврата: {exc}.") from None
    if not chosen:
        raise ValidationError("Укажите хотя бы одну причину возврата на доработку.")
    if ReturnReason.OTHER in chosen and not note:
        raise ValidationError("Для причины «иное» напишите комментарий.")
    return sorted(set(chosen), key=list(ReturnReason).index), note


def _ground(version: AnswerVersion) -> ExplanationGround | None:
    return ExplanationGround(version.ground) if version.ground else None
