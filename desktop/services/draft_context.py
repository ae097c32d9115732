"""What the executor's editor shows beside the text, in one read.

`editor_context(user, incident_id, assignment_id=None, zone=...)` gathers:

* the message (number, network, author, links, text, topic, place, importance, deadline);
* what the regulation asks of the answer (`answer_requirements`);
* the kinds of draft the service would accept from this user now
  (`IncidentService.draft_kinds`: empty when they may not write), the assignment they write
  for, and their working copy;
* the network's length limit (`answer_style.LENGTH_LIMITS`);
* the department's **earlier answers on the same topic and place** — approved or published
  answers (and parts) of the same department on other messages with the same topic and
  location, newest first, one per message, at most `EARLIER_LIMIT`. When the curator writes
  for the whole message (no assignment), those of any department;
* for a consolidated answer, the **parts the other departments sent** (their approved parts);
* for rework, the **last returned version** of this line (this message and assignment) with
  the reviews' reasons, in Russian, and comments;
* when the curator approved with edits, the **original and the edited text** and their
  word diff, so the executor sees what was changed.

Moments stay aware UTC in the dataclasses; `*_text` fields carry them formatted in `zone`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from desktop.models.database import reads
from desktop.models.entities import (
    AnswerVersion,
    Assignment,
    Department,
    Employee,
    Incident,
    Location,
    Publication,
    Review,
    Topic,
)
from desktop.models.enums import (
    AnswerKind,
    AnswerStatus,
    ExplanationGround,
    Importance,
    IncidentStatus,
    Network,
    ReturnReason,
    ReviewDecision,
    ReviewStage,
)
from desktop.models.fields import utcnow
from desktop.services.answer_style import LENGTH_LIMITS
from desktop.services.errors import ValidationError
from desktop.services.formatting import format_moment
from desktop.services.incident_history import column_map
from desktop.services.incidents import IncidentService, answer_requirements
from desktop.services.session import CurrentUser
from desktop.services.titles import NETWORK_TITLES, RETURN_REASON_TITLES
from desktop.services.word_diff import Piece, word_diff
from desktop.services.working_drafts import WORKING_NUMBER, WorkingDraft

EARLIER_LIMIT = 5
EARLIER_KINDS = (AnswerKind.FINAL, AnswerKind.INTERIM, AnswerKind.EXPLANATION, AnswerKind.PART)
EARLIER_STATUSES = (AnswerStatus.APPROVED, AnswerStatus.PUBLISHED)
_SCAN_LIMIT = 200  # versions looked at to find EARLIER_LIMIT distinct messages


@dataclass(frozen=True)
class MessageFacts:
    incident_id: int
    number: int
    network: Network
    network_title: str
    author_name: str
    author_url: str
    link: str
    text: str
    topic: str
    location: str
    importance: Importance
    status: IncidentStatus
    answer_due_at: dt.datetime | None
    answer_due_text: str


@dataclass(frozen=True)
class EarlierAnswer:
    incident_id: int
    number: int
    answer_id: int
    kind: AnswerKind
    text: str
    answered_at: dt.datetime  # published, else submitted
    answered_text: str
    published: bool


@dataclass(frozen=True)
class DepartmentPart:
    answer_id: int
    assignment_id: int
    department: str
    author: str
    text: str
    submitted_at: dt.datetime | None
    submitted_text: str


@dataclass(frozen=True)
class ReviewNote:
    stage: ReviewStage
    reviewer: str
    decided_at: dt.datetime
    decided_text: str
    reasons: tuple[ReturnReason, ...]
    reason_titles: tuple[str, ...]  # Russian, as the curator chose them
    comment: str


@dataclass(frozen=True)
class ReturnedDraft:
    answer_id: int
    number: int
    kind: AnswerKind
    text: str
    reviews: tuple[ReviewNote, ...]
    ground: ExplanationGround | None = None  # an explanation's п. 3.7 ground


@dataclass(frozen=True)
class CuratorEdit:
    original_id: int
    original_text: str
    edited_id: int
    edited_text: str
    edited_by: str
    edited_at: dt.datetime | None
    edited_at_text: str
    diff: tuple[Piece, ...]


@dataclass(frozen=True)
class EditorContext:
    message: MessageFacts
    requirements: tuple[str, ...]
    kinds: frozenset[AnswerKind]  # what the service would accept now; empty: read only
    assignment_id: int | None  # the assignment written for; None: the curator's own line
    department: str
    working_draft: WorkingDraft | None
    length_limit: int | None
    earlier_answers: tuple[EarlierAnswer, ...]
    parts: tuple[DepartmentPart, ...]
    returned: ReturnedDraft | None
    curator_edit: CuratorEdit | None

    @property
    def may_write(self) -> bool:
        return bool(self.kinds)


def _name(model: type[Topic] | type[Location] | type[Department], row_id: int | None) -> str:
    if row_id is None:
        return ""
    row = model.get_or_none(model.id == row_id)
    return "" if row is None else str(row.name)


def _line(incident_id: int, assignment_id: int | None) -> object:
    scope = (
        AnswerVersion.assignment.is_null()
        if assignment_id is None
        else AnswerVersion.assignment == assignment_id
    )
    return (
        (AnswerVersion.incident == incident_id) & scope & (AnswerVersion.number != WORKING_NUMBER)
    )


@reads
def editor_context(
    user: CurrentUser,
    incident_id: int,
    assignment_id: int | None = None,
    *,
    zone: ZoneInfo,
    now: Callable[[], dt.datetime] = utcnow,
) -> EditorContext:
    """Everything the editor shows beside the draft of `user` on the incident (see module)."""
    service = IncidentService(user, now=now)
    incident = Incident.get_or_none(Incident.id == incident_id)
    if incident is None:
        service.version_of(incident_id)  # raises RowDeleted, as every action does
    assert incident is not None
    assignment = _assignment_for(service, incident, assignment_id)
    line_id = None if assignment is None else int(assignment.id)
    kinds = service.draft_kinds(incident_id, line_id)
    working = service.working_draft(incident_id, line_id) if kinds else None
    department = "" if assignment is None else _name(Department, assignment.department_id)
    return EditorContext(
        message=MessageFacts(
            incident_id=incident.id,
            number=incident.number,
            network=incident.network,
            network_title=NETWORK_TITLES[incident.network],
            author_name=incident.author_name,
            author_url=incident.author_url,
            link=incident.link,
            text=incident.text,
            topic=_name(Topic, incident.topic_id),
            location=_name(Location, incident.location_id),
            importance=incident.importance,
            status=incident.status,
            answer_due_at=incident.answer_due_at,
            answer_due_text=format_moment(incident.answer_due_at, zone),
        ),
        requirements=tuple(answer_requirements(incident_id)),
        kinds=kinds,
        assignment_id=line_id,
        department=department,
        working_draft=working,
        length_limit=LENGTH_LIMITS.get(incident.network),
        earlier_answers=tuple(
            earlier_answers(
                incident, None if assignment is None else assignment.department_id, zone
            )
        ),
        parts=tuple(other_parts(incident.id, line_id, zone)),
        returned=last_returned(incident.id, line_id, zone),
        curator_edit=curator_edit(incident.id, line_id, zone),
    )


def _assignment_for(
    service: IncidentService, incident: Incident, assignment_id: int | None
) -> Assignment | None:
    """The assignment named (of this incident), else the one the user writes for: their
    department's in work; None when they write for none (or as the curator, for all)."""
    if assignment_id is not None:
        found = Assignment.get_or_none(
            (Assignment.id == assignment_id) & (Assignment.incident == incident.id)
        )
        if found is None:
            raise ValidationError("Нет такого поручения по этому сообщению.")
        return found
    case = service._case(incident.id)
    try:
        return service._assignment(case, None)
    except ValidationError:  # none of the user's, or two: they pick one in the card
        return None


def earlier_answers(
    incident: Incident, department_id: int | None, zone: ZoneInfo
) -> list[EarlierAnswer]:
    """Approved or published answers of the department on other messages of the same topic
    and place, newest first, one per message (the latest), at most `EARLIER_LIMIT`."""
    if incident.topic_id is None or incident.location_id is None:
        return []
    query = (
        AnswerVersion.select(AnswerVersion, Incident.number.alias("incident_number"))
        .join(Incident, on=AnswerVersion.incident == Incident.id)
        .where(
            (Incident.topic == incident.topic_id)
            & (Incident.location == incident.location_id)
            & (Incident.id != incident.id)
            & AnswerVersion.status.in_(EARLIER_STATUSES)
            & AnswerVersion.kind.in_(EARLIER_KINDS)
        )
    )
    if department_id is not None:
        query = query.join(Assignment, on=AnswerVersion.assignment == Assignment.id).where(
            Assignment.department == department_id
        )
    rows = list(
        query.order_by(AnswerVersion.submitted_at.desc(), AnswerVersion.id.desc())
        .limit(_SCAN_LIMIT)
        .objects()
    )
    published = _published_moments([row.id for row in rows])
    found: dict[int, EarlierAnswer] = {}
    for row in rows:
        if row.incident_id in found:
            continue
        moment = published.get(row.id) or row.submitted_at or row.created_at
        found[row.incident_id] = EarlierAnswer(
            incident_id=row.incident_id,
            number=int(getattr(row, "incident_number")),  # noqa: B009 - a selected alias
            answer_id=row.id,
            kind=row.kind,
            text=row.text,
            answered_at=moment,
            answered_text=format_moment(moment, zone),
            published=row.id in published,
        )
    ordered = sorted(found.values(), key=lambda a: (a.answered_at, a.answer_id), reverse=True)
    return ordered[:EARLIER_LIMIT]


def _published_moments(answer_ids: list[int]) -> dict[int, dt.datetime]:
    if not answer_ids:
        return {}
    moments: dict[int, dt.datetime] = {}
    for publication in Publication.select(Publication.answer, Publication.published_at).where(
        Publication.answer.in_(answer_ids)
    ):
        answer = publication.answer_id
        if answer is not None and (
            answer not in moments or publication.published_at < moments[answer]
        ):
            moments[answer] = publication.published_at
    return moments


def other_parts(
    incident_id: int, assignment_id: int | None, zone: ZoneInfo
) -> list[DepartmentPart]:
    """The approved parts of the consolidated answer from the other departments, in the
    curator's order, the latest of each."""
    rows = list(
        AnswerVersion.select(AnswerVersion, Assignment.department.alias("part_department"))
        .join(Assignment, on=AnswerVersion.assignment == Assignment.id)
        .where(
            (AnswerVersion.incident == incident_id)
            & (AnswerVersion.kind == AnswerKind.PART)
            & AnswerVersion.status.in_(EARLIER_STATUSES)
            & (
                AnswerVersion.assignment != assignment_id
                if assignment_id is not None
                else AnswerVersion.assignment.is_null(False)
            )
        )
        .order_by(Assignment.position, Assignment.id, AnswerVersion.id.desc())
        .objects()
    )
    departments = column_map(Department.id, Department.name)
    people = column_map(Employee.id, Employee.full_name)
    found: dict[int, DepartmentPart] = {}
    for row in rows:
        line = row.assignment_id
        if line is None or line in found:
            continue
        found[line] = DepartmentPart(
            answer_id=row.id,
            assignment_id=line,
            department=departments.get(getattr(row, "part_department"), ""),  # noqa: B009
            author=people.get(row.author_id, "") if row.author_id else "",
            text=row.text,
            submitted_at=row.submitted_at,
            submitted_text=format_moment(row.submitted_at, zone),
        )
    return list(found.values())


def last_returned(
    incident_id: int, assignment_id: int | None, zone: ZoneInfo
) -> ReturnedDraft | None:
    """The version of this line that was returned for rework, when it is the line's latest
    (nothing was submitted since), with every review of it."""
    latest = (
        AnswerVersion.select()
        .where(_line(incident_id, assignment_id))
        .order_by(AnswerVersion.id.desc())
        .first()
    )
    if latest is None or latest.status is not AnswerStatus.RETURNED:
        return None
    people = column_map(Employee.id, Employee.full_name)
    reviews = tuple(
        ReviewNote(
            stage=review.stage,
            reviewer=people.get(review.reviewer_id, "") if review.reviewer_id else "",
            decided_at=review.decided_at,
            decided_text=format_moment(review.decided_at, zone),
            reasons=tuple(ReturnReason(r) for r in review.reasons or ()),
            reason_titles=tuple(
                RETURN_REASON_TITLES[ReturnReason(r)] for r in review.reasons or ()
            ),
            comment=review.comment,
        )
        for review in Review.select()
        .where((Review.answer == latest.id) & (Review.decision == ReviewDecision.RETURN))
        .order_by(Review.id)
    )
    ground = ExplanationGround(latest.ground) if latest.ground else None
    return ReturnedDraft(latest.id, latest.number, latest.kind, latest.text, reviews, ground)


def curator_edit(incident_id: int, assignment_id: int | None, zone: ZoneInfo) -> CuratorEdit | None:
    """The line's latest approval with edits: the version the curator superseded and the
    edited version that followed it (the next of the same kind in the line)."""
    superseded = (
        AnswerVersion.select()
        .where(
            _line(incident_id, assignment_id) & (AnswerVersion.status == AnswerStatus.SUPERSEDED)
        )
        .order_by(AnswerVersion.id.desc())
        .first()
    )
    if superseded is None:
        return None
    edited = (
        AnswerVersion.select()
        .where(
            _line(incident_id, assignment_id)
            & (AnswerVersion.kind == superseded.kind)
            & (AnswerVersion.id > superseded.id)
        )
        .order_by(AnswerVersion.id)
        .first()
    )
    if edited is None:
        return None
    editor = Employee.get_or_none(Employee.id == edited.author_id) if edited.author_id else None
    return CuratorEdit(
        original_id=superseded.id,
        original_text=superseded.text,
        edited_id=edited.id,
        edited_text=edited.text,
        edited_by="" if editor is None else editor.full_name,
        edited_at=edited.submitted_at,
        edited_at_text=format_moment(edited.submitted_at, zone),
        diff=tuple(word_diff(superseded.text, edited.text)),
    )
