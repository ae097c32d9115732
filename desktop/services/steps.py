"""Steps of an incident: started, due, done — computed from the regulation, kept in `step`.

Every workflow action ends some steps and starts others inside its transaction. A step's
due moment comes from the regulation's rule for it, counted in the office's working time
from the moment the rule names (`Anchor`), found on the incident, its assignment or passed
in by the action. Reports read these rows with plain queries; nothing is replayed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from desktop.models.entities import Assignment, Incident, Step
from desktop.models.enums import StepKind
from desktop.services.office_calendar import OfficeTime
from desktop.services.regulations import Anchor, Profile, Regulation, StepName

ANY = object()  # "any assignment" for `open_steps`


@dataclass(frozen=True)
class Case:
    """What an action needs to know about the incident it acts on."""

    incident: Incident
    regulation: Regulation
    profile: Profile
    time: OfficeTime
    now: dt.datetime  # aware UTC

    def anchor_moment(
        self, anchor: Anchor, assignment: Assignment | None = None
    ) -> dt.datetime | None:
        """The moment an anchor stands for, from what the database knows now (aware UTC)."""
        incident = self.incident
        found: dt.datetime | None
        if anchor is Anchor.DETECTED:
            found = incident.detected_at
        elif anchor is Anchor.POSTED:
            found = incident.posted_at or incident.detected_at
        elif anchor is Anchor.REGISTERED:
            found = incident.registered_at or incident.detected_at
        elif anchor is Anchor.RECEIVED:
            found = assignment.routed_at if assignment is not None else self.now
        elif anchor is Anchor.ANSWER_DUE:
            found = incident.answer_due_at
        elif anchor is Anchor.EXTERNAL:
            found = incident.external_deadline
        else:  # submitted, returned, approved, …: the action passes its own moment
            raise ValueError(f"the moment {anchor.value} must be given by the action")
        return found

    def due(
        self,
        name: StepName,
        assignment: Assignment | None = None,
        at: Mapping[Anchor, dt.datetime | None] | None = None,
    ) -> tuple[dt.datetime | None, str]:
        """The due moment (aware UTC) of a step by its rule, and the rule's paragraph."""
        rule = self.regulation.rule(name, importance=self.incident.importance, profile=self.profile)
        if rule is None:
            return None, ""
        if at is not None and rule.anchor in at:
            moment = at[rule.anchor]
        else:
            moment = self.anchor_moment(rule.anchor, assignment)
        if moment is None:
            return None, rule.rule
        local = rule.due(self.time.local(moment), self.time.calendar)
        return (None if local is None else self.time.utc(local)), rule.rule


def start_step(
    case: Case,
    name: StepName,
    *,
    assignment: Assignment | None = None,
    responsible: int | None = None,
    due: dt.datetime | None = None,
    started_at: dt.datetime | None = None,
    at: Mapping[Anchor, dt.datetime | None] | None = None,
) -> Step:
    """Start a step now (or at `started_at`), due by its rule unless `due` is given."""
    planned, rule = case.due(name, assignment, at)
    return Step.create(
        incident=case.incident.id,
        assignment=None if assignment is None else assignment.id,
        kind=name.step_kind,
        started_at=started_at or case.now,
        due_at=due if due is not None else planned,
        responsible=responsible,
        department=None if assignment is None else assignment.department_id,
        rule=rule,
    )


def open_steps(
    incident: Incident, kinds: Iterable[StepKind], assignment: object = ANY
) -> list[Step]:
    query = Step.select().where(
        (Step.incident == incident.id)
        & Step.done_at.is_null()
        & Step.kind.in_([kind.value for kind in kinds])
    )
    if assignment is not ANY:
        query = query.where(
            Step.assignment.is_null() if assignment is None else Step.assignment == assignment.id  # type: ignore[attr-defined]
        )
    return list(query.order_by(Step.id))


def finish_steps(
    case: Case,
    kinds: Iterable[StepKind],
    assignment: object = ANY,
    *,
    cancelled: bool = False,
) -> list[Step]:
    """End the open steps of these kinds now: done, or `cancelled` when they were not done."""
    ended = open_steps(case.incident, kinds, assignment)
    if ended:
        Step.update(done_at=case.now, cancelled=cancelled).where(
            Step.id.in_([step.id for step in ended])
        ).execute()
    return ended


def cancel_all_open(case: Case) -> None:
    """The incident left the working-hours track: every step still running ends unfinished."""
    finish_steps(case, list(StepKind), cancelled=True)
