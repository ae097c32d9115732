"""What waits for the signed-in user's decision, and everything needed to decide on one draft.

The approval panel asks here, never the database: `waiting_for` lists the drafts waiting for
*this* user — for a curator (`Action.REVIEW`) every draft whose review step runs, for a
department head (`Action.APPROVE_DEPARTMENT`, Барнаул п. 5) the drafts of their own department
waiting for the supervising deputy — soonest deadline first. `approval_detail` reads one
draft with its message, the version the reviewer last returned on the same line (the same
incident, assignment and kind) and the word difference against it, and the decisions taken on
that line so far. The decisions themselves are `IncidentService.review` and
`approve_department`; the views re-check nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from desktop.models.database import reads
from desktop.models.entities import (
    Account,
    AnswerVersion,
    Assignment,
    Attachment,
    Department,
    Employee,
    Incident,
    Location,
    Review,
    Step,
    Topic,
)
from desktop.models.enums import (
    AnswerKind,
    AnswerStatus,
    ExplanationGround,
    Importance,
    Network,
    ReturnReason,
    ReviewDecision,
    ReviewStage,
    StepKind,
)
from desktop.services.answer_style import LENGTH_LIMITS
from desktop.services.errors import AccessDenied, ValidationError
from desktop.services.formatting import format_moment
from desktop.services.incident_base import substitute_for
from desktop.services.office_regulation import office_regulation, regulation_by_slug
from desktop.services.permissions import Action
from desktop.services.regulations import StepName
from desktop.services.session import CurrentUser
from desktop.services.titles import (
    ANSWER_KIND_TITLES,
    EXPLANATION_GROUND_TITLES,
    NETWORK_TITLES,
    RETURN_REASON_TITLES,
    REVIEW_DECISION_TITLES,
)
from desktop.services.word_diff import Change, Piece, word_diff

__all__ = [
    "STAGE_TITLES",
    "ApprovalDetail",
    "Change",
    "DraftAttachment",
    "PastDecision",
    "Piece",
    "ReturnReason",
    "ReviewDecision",
    "ReviewStage",
    "WaitingDraft",
    "approval_detail",
    "waiting_for",
]

STAGE_TITLES: dict[ReviewStage, str] = {
    ReviewStage.DEPARTMENT: "руководитель органа",
    ReviewStage.CURATOR: "куратор",
}
_STEP_OF_STAGE = {
    ReviewStage.DEPARTMENT: StepKind.DEPARTMENT_APPROVAL,
    ReviewStage.CURATOR: StepKind.REVIEW,
}


@dataclass(frozen=True)
class WaitingDraft:
    """One draft waiting for the user's decision, with its step's deadline."""

    incident_id: int
    number: int  # the incident's number
    answer_id: int
    version_number: int
    kind: AnswerKind
    kind_title: str  # «ответ», «промежуточный ответ», …
    department: str  # «» when the curator wrote it himself
    author: str
    submitted_at: dt.datetime | None  # aware UTC
    submitted: str  # the same as the office reads it: dd.mm.yyyy HH:MM
    stage: ReviewStage
    step_started_at: dt.datetime  # the review (approval) step, for its countdown
    step_due_at: dt.datetime | None
    step_rule: str
    importance: Importance
    network: Network


@dataclass(frozen=True)
class DraftAttachment:
    attachment_id: int
    file_name: str
    size: int
    sha256: str
    mime_type: str


@dataclass(frozen=True)
class PastDecision:
    """A decision on a version of the same line: who, when, what and why."""

    answer_id: int
    version_number: int
    stage: ReviewStage
    stage_title: str
    reviewer: str
    decided_at: dt.datetime
    decided: str  # dd.mm.yyyy HH:MM
    decision: ReviewDecision
    decision_title: str  # «вернул(а) на доработку»
    reasons: tuple[ReturnReason, ...]
    reason_titles: tuple[str, ...]
    comment: str


@dataclass(frozen=True)
class ApprovalDetail:
    # the message
    incident_id: int
    number: int
    message_text: str
    message_author: str
    network: Network
    network_title: str
    link: str
    topic: str
    location: str
    importance: Importance
    answer_due_at: dt.datetime | None  # the regulation's answer deadline
    answer_due: str
    # the draft
    answer_id: int
    version_number: int
    kind: AnswerKind
    kind_title: str
    ground: str  # an explanation's ground, in words
    text: str
    author: str
    department: str
    submitted_at: dt.datetime | None
    submitted: str
    attachments: tuple[DraftAttachment, ...]
    # what the reviewer compares it with
    previous_answer_id: int | None  # the version last returned on this line; None: first
    previous_version_number: int | None
    previous_text: str | None
    diff: tuple[Piece, ...]  # word_diff(previous, current); empty for a first version
    decisions: tuple[PastDecision, ...]  # oldest first
    # what the decision needs
    stage: ReviewStage | None  # who decides now; None: it waits for nobody any more
    step_due_at: dt.datetime | None
    length_limit: int | None  # of the network's message or comment
    rework_due_is_manual: bool  # the regulation leaves the rework deadline to the curator
    offered: frozenset[ReviewDecision]  # what this user may decide on it now

    @property
    def waiting(self) -> bool:
        return self.stage is not None

    @property
    def first_version(self) -> bool:
        return self.previous_answer_id is None

    def may(self, decision: ReviewDecision) -> bool:
        return decision in self.offered

    @property
    def too_long(self) -> bool:
        return self.length_limit is not None and len(self.text) > self.length_limit


def _stages_of(user: CurrentUser) -> list[ReviewStage]:
    stages = []
    if user.may(Action.APPROVE_DEPARTMENT):
        stages.append(ReviewStage.DEPARTMENT)
    if user.may(Action.REVIEW):
        stages.append(ReviewStage.CURATOR)
    return stages


def _people(ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    query = Employee.select(Employee.id, Employee.full_name).where(Employee.id.in_(wanted))
    return {row.id: row.full_name for row in query}


def _departments(ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    query = Department.select(Department.id, Department.name).where(Department.id.in_(wanted))
    return {row.id: row.name for row in query}


def _same_assignment(field: object, assignment_id: int | None) -> object:
    return field.is_null() if assignment_id is None else field == assignment_id  # type: ignore[attr-defined]


class _Mine:
    """Whether a department approval is this user's: their department, or the department of
    an executor they stand in for today (what `approve_department` accepts)."""

    def __init__(self, user: CurrentUser, zone: ZoneInfo, now: dt.datetime) -> None:
        self.employee_id = user.employee_id
        employee = (
            None
            if user.employee_id is None
            else Employee.get_or_none(Employee.id == user.employee_id)
        )
        self.department_id = None if employee is None else employee.department_id
        self.today = now.astimezone(zone).date()

    def __call__(self, assignment: Assignment | None) -> bool:
        if assignment is None or self.employee_id is None:
            return False
        if assignment.department_id == self.department_id:
            return True
        executor = assignment.executor_id
        return executor is not None and substitute_for(executor, self.today) == self.employee_id


@reads
def waiting_for(
    user: CurrentUser, zone: ZoneInfo, *, now: dt.datetime | None = None
) -> list[WaitingDraft]:
    """The drafts waiting for this user's decision, soonest step deadline first."""
    stages = _stages_of(user)
    if not stages:
        return []
    kinds = [_STEP_OF_STAGE[stage] for stage in stages]
    steps = list(
        Step.select()
        .where(Step.done_at.is_null() & Step.kind.in_([k.value for k in kinds]))
        .order_by(Step.id)
    )
    if not steps:
        return []
    incident_ids = {step.incident_id for step in steps}
    versions: dict[tuple[int, int | None], AnswerVersion] = {}
    for submitted in AnswerVersion.select().where(
        (AnswerVersion.status == AnswerStatus.SUBMITTED) & AnswerVersion.incident.in_(incident_ids)
    ):
        versions[(submitted.incident_id, submitted.assignment_id)] = submitted
    assignments = {
        a.id: a for a in Assignment.select().where(Assignment.incident.in_(incident_ids))
    }
    incidents = {i.id: i for i in Incident.select().where(Incident.id.in_(incident_ids))}
    mine = _Mine(user, zone, now or dt.datetime.now(dt.UTC))
    found: list[tuple[Step, AnswerVersion]] = []
    for step in steps:
        version = versions.get((step.incident_id, step.assignment_id))
        if version is None:
            continue
        if step.kind is StepKind.DEPARTMENT_APPROVAL and not mine(
            assignments.get(step.assignment_id) if step.assignment_id is not None else None
        ):
            continue
        found.append((step, version))
    people = _people(v.author_id for _, v in found)
    departments = _departments(
        (
            assignments[v.assignment_id].department_id
            for _, v in found
            if v.assignment_id in assignments
        ),
    )
    waiting = []
    for step, version in found:
        incident = incidents[step.incident_id]
        assignment = assignments.get(version.assignment_id) if version.assignment_id else None
        waiting.append(
            WaitingDraft(
                incident_id=incident.id,
                number=incident.number,
                answer_id=version.id,
                version_number=version.number,
                kind=version.kind,
                kind_title=ANSWER_KIND_TITLES[version.kind],
                department=""
                if assignment is None
                else departments.get(assignment.department_id, ""),
                author=people.get(version.author_id, "") if version.author_id else "",
                submitted_at=version.submitted_at,
                submitted=format_moment(version.submitted_at, zone),
                stage=(
                    ReviewStage.DEPARTMENT
                    if step.kind is StepKind.DEPARTMENT_APPROVAL
                    else ReviewStage.CURATOR
                ),
                step_started_at=step.started_at,
                step_due_at=step.due_at,
                step_rule=step.rule,
                importance=incident.importance,
                network=incident.network,
            )
        )
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    waiting.sort(key=lambda w: (w.step_due_at or far, w.number, w.answer_id))
    return waiting


@reads
def approval_detail(
    user: CurrentUser, answer_id: int, zone: ZoneInfo, *, now: dt.datetime | None = None
) -> ApprovalDetail:
    """One draft as the reviewer decides on it (a handful of reads)."""
    if not _stages_of(user):
        raise AccessDenied(
            "Проекты ответов просматривают для согласования куратор и руководитель органа."
        )
    version = AnswerVersion.get_or_none(AnswerVersion.id == answer_id)
    if version is None:
        raise ValidationError("Проект ответа удалён или не найден.")
    if version.status is AnswerStatus.DRAFT:  # a working copy is its writer's, not yet a draft
        raise AccessDenied("Черновик ещё не направлен на согласование.")
    incident = Incident.get_by_id(version.incident_id)
    assignment = (
        None
        if version.assignment_id is None
        else Assignment.get_or_none(Assignment.id == version.assignment_id)
    )
    if not user.may(Action.REVIEW) and not _Mine(user, zone, now or dt.datetime.now(dt.UTC))(
        assignment
    ):
        raise AccessDenied("Руководитель органа согласует проекты своего органа.")
    line = list(
        AnswerVersion.select()
        .where(
            (AnswerVersion.incident == incident.id)
            & _same_assignment(AnswerVersion.assignment, version.assignment_id)
            & (AnswerVersion.kind == version.kind)
        )
        .order_by(AnswerVersion.id)
    )
    previous = next(
        (v for v in reversed(line) if v.id < version.id and v.status is AnswerStatus.RETURNED),
        None,
    )
    numbers = {v.id: v.number for v in line}
    reviews = list(
        Review.select()
        .where(Review.answer.in_(list(numbers)))
        .order_by(Review.decided_at, Review.id)
    )
    people = _people([version.author_id, *(r.reviewer_id for r in reviews)])
    stage, step = _waiting_stage(version)
    regulation = regulation_by_slug(incident.regulation or office_regulation().slug)
    owner = None
    if incident.account_id is not None:
        account = Account.get_or_none(Account.id == incident.account_id)
        owner = None if account is None else account.owner
    rework = regulation.rule(
        StepName.REWORK,
        importance=incident.importance,
        profile=regulation.profile(incident.network, owner),
    )
    return ApprovalDetail(
        incident_id=incident.id,
        number=incident.number,
        message_text=incident.text,
        message_author=incident.author_name,
        network=incident.network,
        network_title=NETWORK_TITLES[incident.network],
        link=incident.link,
        topic=_name(Topic, incident.topic_id),
        location=_name(Location, incident.location_id),
        importance=incident.importance,
        answer_due_at=incident.answer_due_at,
        answer_due=format_moment(incident.answer_due_at, zone),
        answer_id=version.id,
        version_number=version.number,
        kind=version.kind,
        kind_title=ANSWER_KIND_TITLES[version.kind],
        ground=EXPLANATION_GROUND_TITLES[ExplanationGround(version.ground)]
        if version.ground
        else "",
        text=version.text,
        author=people.get(version.author_id, "") if version.author_id else "",
        department=(
            ""
            if assignment is None
            else _departments([assignment.department_id]).get(assignment.department_id, "")
        ),
        submitted_at=version.submitted_at,
        submitted=format_moment(version.submitted_at, zone),
        attachments=tuple(
            DraftAttachment(a.id, a.file_name, a.size, a.sha256, a.mime_type)
            for a in Attachment.select()
            .where(Attachment.answer == version.id)
            .order_by(Attachment.id)
        ),
        previous_answer_id=None if previous is None else previous.id,
        previous_version_number=None if previous is None else previous.number,
        previous_text=None if previous is None else previous.text,
        diff=() if previous is None else tuple(word_diff(previous.text, version.text)),
        decisions=tuple(
            PastDecision(
                answer_id=r.answer_id,
                version_number=numbers[r.answer_id],
                stage=r.stage,
                stage_title=STAGE_TITLES[r.stage],
                reviewer=people.get(r.reviewer_id, "") if r.reviewer_id else "",
                decided_at=r.decided_at,
                decided=format_moment(r.decided_at, zone),
                decision=r.decision,
                decision_title=REVIEW_DECISION_TITLES[r.decision],
                reasons=tuple(ReturnReason(value) for value in r.reasons or ()),
                reason_titles=tuple(
                    RETURN_REASON_TITLES[ReturnReason(value)] for value in r.reasons or ()
                ),
                comment=r.comment,
            )
            for r in reviews
        ),
        stage=stage,
        step_due_at=None if step is None else step.due_at,
        length_limit=LENGTH_LIMITS.get(incident.network),
        rework_due_is_manual=rework is not None and rework.manual,
        offered=_offered(
            user, stage, assignment, _Mine(user, zone, now or dt.datetime.now(dt.UTC))
        ),
    )


def _offered(
    user: CurrentUser, stage: ReviewStage | None, assignment: Assignment | None, mine: _Mine
) -> frozenset[ReviewDecision]:
    """The curator approves, approves with his own edits or returns; the department head
    approves or returns his department's draft (Барнаул п. 5)."""
    if stage is ReviewStage.CURATOR and user.may(Action.REVIEW):
        return frozenset(ReviewDecision)
    if stage is ReviewStage.DEPARTMENT and user.may(Action.APPROVE_DEPARTMENT) and mine(assignment):
        return frozenset({ReviewDecision.APPROVE, ReviewDecision.RETURN})
    return frozenset()


def _waiting_stage(version: AnswerVersion) -> tuple[ReviewStage | None, Step | None]:
    """Who decides on the version now: the department head while the department approval
    runs, then the curator while the review runs; nobody once it is decided."""
    if version.status is not AnswerStatus.SUBMITTED:
        return None, None
    steps = {
        step.kind: step
        for step in Step.select().where(
            (Step.incident == version.incident_id)
            & Step.done_at.is_null()
            & _same_assignment(Step.assignment, version.assignment_id)
            & Step.kind.in_([StepKind.DEPARTMENT_APPROVAL.value, StepKind.REVIEW.value])
        )
    }
    for stage in (ReviewStage.DEPARTMENT, ReviewStage.CURATOR):
        step = steps.get(_STEP_OF_STAGE[stage])
        if step is not None:
            return stage, step
    return None, None


def _name(model: type[Topic] | type[Location], row_id: int | None) -> str:
    if row_id is None:
        return ""
    row = model.get_or_none(model.id == row_id)
    return "" if row is None else str(row.name)
