"""Everything the incident card shows, and the actions the signed-in user may take on it.

The card asks here which buttons to enable, so a button is enabled exactly when the
service would accept the action now: the role allows it *and* the incident's state does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
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
    Step,
    Topic,
)
from desktop.models.enums import (
    AnswerStatus,
    AssignmentStatus,
    Importance,
    IncidentStatus,
    Network,
    Role,
    RoutingMode,
    StepKind,
)
from desktop.services.directory import (
    Choice,
    department_scores,
    directory,
    suggested_executors,
)
from desktop.services.incident_base import ServiceBase, live_assignments
from desktop.services.incident_history import HistoryEntry, column_map, incident_history
from desktop.services.permissions import Action
from desktop.services.queue import summary_of
from desktop.services.regulations import Consolidator, StepName
from desktop.services.steps import Case

RELATED_LIMIT = 12
RELATED_WINDOW = dt.timedelta(days=90)


class CardAction(StrEnum):
    ROUTE = "route"
    ACCEPT = "accept"
    RETURN_NOT_COMPETENT = "return_not_competent"
    WRITE_DRAFT = "write_draft"
    APPROVE_DEPARTMENT = "approve_department"
    REVIEW = "review"
    PUBLISH = "publish"
    NOTIFY_MANAGER = "notify_manager"
    EDIT = "edit"  # the card's fields
    ATTACH = "attach"  # add photos or video to the message
    MARK_REPEAT = "mark_repeat"
    CLOSE_NOT_TO_ANSWER = "close_not_to_answer"
    OFFICIAL_APPEAL = "official_appeal"
    RETURN_UPSTREAM = "return_upstream"


@dataclass(frozen=True)
class CardStep:
    kind: StepKind
    department: str
    responsible: str
    started_at: dt.datetime
    due_at: dt.datetime | None
    done_at: dt.datetime | None
    cancelled: bool
    rule: str

    @property
    def late(self) -> bool:
        """Done after its deadline (an open step's lateness depends on the clock: the view)."""
        return self.done_at is not None and self.due_at is not None and self.done_at > self.due_at


@dataclass(frozen=True)
class CardAssignment:
    assignment_id: int
    department_id: int
    department: str
    executor: str
    status: AssignmentStatus
    is_consolidator: bool
    return_reason: str


@dataclass(frozen=True)
class CardAttachment:
    attachment_id: int
    file_name: str
    size: int
    sha256: str
    mime_type: str


@dataclass(frozen=True)
class RelatedIncident:
    incident_id: int
    number: int
    summary: str
    status: IncidentStatus
    detected_at: dt.datetime
    relation: str  # «повтор этого сообщения», «тот же автор», …
    may_be_earlier: bool  # detected before this one: could be marked as its original


@dataclass(frozen=True)
class RoutingOffer:
    """What the routing form needs: the regulation's mode, who consolidates, a draft deadline
    the curator must set."""

    mode: RoutingMode
    consolidator: Consolidator
    draft_due_is_manual: bool
    rerouting: bool
    departments: tuple[Choice, ...] = ()  # best fit for the topic and place first
    recommended: tuple[int, ...] = ()  # departments that kept such messages before
    executors: Mapping[int, tuple[Choice, ...]] = field(default_factory=dict)
    taken: frozenset[int] = frozenset()  # departments that have it now


@dataclass(frozen=True)
class IncidentCard:
    incident_id: int
    number: int
    version: int
    network: Network
    account: str
    link: str
    author_name: str
    author_url: str
    text: str
    posted_at: dt.datetime | None
    detected_at: dt.datetime
    registered_at: dt.datetime | None
    importance: Importance
    topic: str
    location: str
    topic_id: int | None
    location_id: int | None
    status: IncidentStatus
    regulation_title: str
    answer_due_at: dt.datetime | None
    external_number: str
    external_deadline: dt.datetime | None
    note: str
    closure_note: str
    repeat_of: RelatedIncident | None
    assignments: tuple[CardAssignment, ...]
    steps: tuple[CardStep, ...]
    history: tuple[HistoryEntry, ...]
    attachments: tuple[CardAttachment, ...]
    related: tuple[RelatedIncident, ...]
    actions: frozenset[CardAction]
    routing: RoutingOffer

    def may(self, action: CardAction) -> bool:
        return action in self.actions


class CardReading(ServiceBase):
    """Reads the card for the signed-in user (part of `IncidentService`)."""

    @reads
    def card(self, incident_id: int, zone: ZoneInfo) -> IncidentCard:
        case = self._case(incident_id)
        incident = case.incident
        departments = column_map(Department.id, Department.name)
        people = column_map(Employee.id, Employee.full_name)
        draft_rule = case.regulation.rule(StepName.DRAFT, profile=case.profile)
        actions = self.available_actions(incident_id)
        return IncidentCard(
            incident_id=incident.id,
            number=incident.number,
            version=incident.version,
            network=incident.network,
            account=_name_of(Account, incident.account_id),
            link=incident.link,
            author_name=incident.author_name,
            author_url=incident.author_url,
            text=incident.text,
            posted_at=incident.posted_at,
            detected_at=incident.detected_at,
            registered_at=incident.registered_at,
            importance=incident.importance,
            topic=_name_of(Topic, incident.topic_id),
            location=_name_of(Location, incident.location_id),
            topic_id=incident.topic_id,
            location_id=incident.location_id,
            status=incident.status,
            regulation_title=case.regulation.title,
            answer_due_at=incident.answer_due_at,
            external_number=incident.external_number,
            external_deadline=incident.external_deadline,
            note=incident.note,
            closure_note=incident.closure_note,
            repeat_of=_repeat_of(incident),
            assignments=tuple(
                CardAssignment(
                    assignment_id=a.id,
                    department_id=a.department_id,
                    department=departments.get(a.department_id, ""),
                    executor=people.get(a.executor_id, "") if a.executor_id else "",
                    status=a.status,
                    is_consolidator=a.is_consolidator,
                    return_reason=a.return_reason,
                )
                for a in Assignment.select()
                .where(Assignment.incident == incident_id)
                .order_by(Assignment.position, Assignment.id)
            ),
            steps=tuple(
                CardStep(
                    kind=s.kind,
                    department=departments.get(s.department_id, "") if s.department_id else "",
                    responsible=people.get(s.responsible_id, "") if s.responsible_id else "",
                    started_at=s.started_at,
                    due_at=s.due_at,
                    done_at=s.done_at,
                    cancelled=s.cancelled,
                    rule=s.rule,
                )
                for s in Step.select()
                .where(Step.incident == incident_id)
                .order_by(Step.started_at, Step.id)
            ),
            history=tuple(incident_history(incident_id, zone)),
            attachments=tuple(
                CardAttachment(a.id, a.file_name, a.size, a.sha256, a.mime_type)
                for a in Attachment.select()
                .where((Attachment.incident == incident_id) & Attachment.answer.is_null())
                .order_by(Attachment.id)
            ),
            related=tuple(related_incidents(incident)),
            actions=actions,
            routing=_routing_offer(
                case.incident,
                case.regulation.routing_mode,
                case.regulation.consolidator,
                draft_due_is_manual=draft_rule is not None and draft_rule.manual,
                full=CardAction.ROUTE in actions,
            ),
        )

    @reads
    def available_actions(self, incident_id: int) -> frozenset[CardAction]:
        """The actions the service would accept from this user on this incident now."""
        if self.user.read_only:
            return frozenset()
        case = self._case(incident_id)
        incident = case.incident
        if not incident.status.is_open:
            return frozenset()
        may = self.user.may
        found: set[CardAction] = set()
        if may(Action.ROUTE) and (
            incident.status is IncidentStatus.NEW or _open(incident_id, StepKind.REROUTE)
        ):
            found.add(CardAction.ROUTE)
        # The service acts on the one assignment in work that is the user's own (a curator
        # does not accept or return for a department); with none or two, it would refuse.
        mine = [
            a
            for a in live_assignments(incident_id)
            if a.status is AssignmentStatus.IN_WORK and self._works_for(case, a)
        ]
        if may(Action.RETURN_NOT_COMPETENT) and len(mine) == 1:
            if any(_open(incident_id, StepKind.COMPETENCE_CHECK, a.id) for a in mine):
                found.add(CardAction.ACCEPT)
            if any(not _written(a.id) for a in mine):
                found.add(CardAction.RETURN_NOT_COMPETENT)
        writing = (StepKind.DRAFT, StepKind.PART, StepKind.REWORK, StepKind.CLARIFICATION)
        if may(Action.WRITE_DRAFT) and any(
            _open(incident_id, kind, a.id) for a in mine for kind in writing
        ):
            found.add(CardAction.WRITE_DRAFT)
        if may(Action.APPROVE_DEPARTMENT) and _open(incident_id, StepKind.DEPARTMENT_APPROVAL):
            found.add(CardAction.APPROVE_DEPARTMENT)
        if may(Action.REVIEW) and _open(incident_id, StepKind.REVIEW):
            found.add(CardAction.REVIEW)
        if may(Action.PUBLISH) and self._publishes(case):
            found.add(CardAction.PUBLISH)
        if may(Action.NOTIFY_MANAGER) and _open(incident_id, StepKind.REPORT):
            found.add(CardAction.NOTIFY_MANAGER)
        if may(Action.EDIT_INCIDENT):
            found |= {CardAction.EDIT, CardAction.ATTACH}
            if incident.repeat_of_id is None:
                found.add(CardAction.MARK_REPEAT)
        if may(Action.CLOSE):
            found |= {CardAction.CLOSE_NOT_TO_ANSWER, CardAction.OFFICIAL_APPEAL}
            if case.regulation.upstream:
                found.add(CardAction.RETURN_UPSTREAM)
        return frozenset(found)

    def _publishes(self, case: Case) -> bool:
        """The publication waits and it is this user's: the curator's where the regulation
        says so (or nobody's department wrote), else the writing department's."""
        step = (
            Step.select()
            .where(
                (Step.incident == case.incident.id)
                & (Step.kind == StepKind.PUBLISH)
                & Step.done_at.is_null()
            )
            .first()
        )
        if step is None:
            return False
        curator = Role.CURATOR in self.user.roles
        if case.regulation.curator_publishes or step.assignment_id is None:
            return curator
        assignment = Assignment.get_or_none(Assignment.id == step.assignment_id)
        return curator or (assignment is not None and self._works_for(case, assignment))


def _routing_offer(
    incident: Incident,
    mode: RoutingMode,
    consolidator: Consolidator,
    *,
    draft_due_is_manual: bool,
    full: bool,
) -> RoutingOffer:
    """The routing form's data; the lists only when the user may route now."""
    every = list(Assignment.select().where(Assignment.incident == incident.id))
    offer = RoutingOffer(
        mode=incident.routing_mode if every else mode,
        consolidator=consolidator,
        draft_due_is_manual=draft_due_is_manual,
        rerouting=_open(incident.id, StepKind.REROUTE),
        taken=frozenset(a.department_id for a in live_assignments(incident.id)),
    )
    if not full:
        return offer
    topic, location = incident.topic_id, incident.location_id
    scores = department_scores(topic, location)
    known = directory()
    ranked = sorted(known.departments, key=lambda d: -scores[d.id])
    departments = tuple(d for d in ranked if d.id not in offer.taken)
    return replace(
        offer,
        departments=departments,
        recommended=tuple(d.id for d in departments if scores[d.id] > 0)[:3],
        executors={
            d.id: tuple(suggested_executors(d.id, topic, location, known=known))
            for d in departments
        },
    )


def _name_of(model: type[Account] | type[Topic] | type[Location], row_id: int | None) -> str:
    if row_id is None:
        return ""
    row = model.get_or_none(model.id == row_id)
    return "" if row is None else str(row.name)


def _open(incident_id: int, kind: StepKind, assignment_id: int | None = None) -> bool:
    query = Step.select().where(
        (Step.incident == incident_id) & (Step.kind == kind) & Step.done_at.is_null()
    )
    if assignment_id is not None:
        query = query.where((Step.assignment == assignment_id) | Step.assignment.is_null())
    return bool(query.exists())


def _written(assignment_id: int) -> bool:
    return bool(
        AnswerVersion.select()
        .where(
            (AnswerVersion.assignment == assignment_id)
            & (AnswerVersion.status != AnswerStatus.DRAFT)
        )
        .exists()
    )


def _related(incident: Incident, relation: str, of: Incident) -> RelatedIncident:
    return RelatedIncident(
        incident_id=incident.id,
        number=incident.number,
        summary=summary_of(incident.text),
        status=incident.status,
        detected_at=incident.detected_at,
        relation=relation,
        may_be_earlier=incident.detected_at < of.detected_at,
    )


def _repeat_of(incident: Incident) -> RelatedIncident | None:
    if incident.repeat_of_id is None:
        return None
    earlier = Incident.get_or_none(Incident.id == incident.repeat_of_id)
    return None if earlier is None else _related(earlier, "исходное сообщение", incident)


@reads
def related_incidents(incident: Incident) -> list[RelatedIncident]:
    """Repeats of this message, then messages by the same author, then recent ones on the
    same topic at the same place: what a curator checks before routing or marking a repeat."""
    found: dict[int, RelatedIncident] = {}

    def add(query: object, relation: str) -> None:
        for other in query:  # type: ignore[attr-defined]
            if other.id != incident.id and other.id not in found and len(found) < RELATED_LIMIT:
                found[other.id] = _related(other, relation, incident)

    add(
        Incident.select().where(Incident.repeat_of == incident.id).order_by(Incident.detected_at),
        "повторное к этому",
    )
    if incident.repeat_of_id is not None:
        add(
            Incident.select().where(Incident.repeat_of == incident.repeat_of_id),
            "повтор того же сообщения",
        )
    author = incident.author_url or incident.author_name
    if author:
        same_author = (
            Incident.author_url == incident.author_url
            if incident.author_url
            else Incident.author_name == incident.author_name
        )
        add(
            Incident.select().where(same_author).order_by(Incident.detected_at.desc()).limit(20),
            "тот же автор",
        )
    if incident.topic_id is not None and incident.location_id is not None:
        since = incident.detected_at - RELATED_WINDOW
        add(
            Incident.select()
            .where(
                (Incident.topic == incident.topic_id)
                & (Incident.location == incident.location_id)
                & (Incident.detected_at >= since)
            )
            .order_by(Incident.detected_at.desc())
            .limit(20),
            "та же тема и территория",
        )
    return list(found.values())
