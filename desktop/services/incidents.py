"""The incident workflow: one method per action, exactly as the office's regulation says.

Every action checks the actor's role (`AccessDenied`, a `PermissionError`), validates its input
(`ValidationError`), then runs as one short BEGIN IMMEDIATE transaction that writes the rows,
ends and starts the steps with their deadlines (`steps.py`) and appends an audit event. An
action that does not fit the incident's state raises `InvalidTransition` and changes nothing.
Moments are aware UTC; the clock is injectable (`now=`), so tests walk incidents through days.

The actions live by theme: registering and the card (`incident_register.py`), routing and
competence (`incident_routing.py`), drafts and decisions (`incident_drafts.py`), publication
and closing (`incident_closing.py`); the shared helpers in `incident_base.py`.
"""

from __future__ import annotations

from desktop.models.database import reads
from desktop.models.entities import Step
from desktop.models.enums import Importance, StepKind
from desktop.services.incident_base import (
    InvalidTransition,
    describe_login,
    existing_incident,
    substitute_for,
)
from desktop.services.incident_card import CardReading
from desktop.services.incident_closing import Closing
from desktop.services.incident_drafts import Drafting
from desktop.services.incident_register import DuplicateLink, NewIncident, Registration
from desktop.services.incident_routing import RouteTarget, Routing
from desktop.services.office_regulation import regulation_by_slug
from desktop.services.publishing import Publishing
from desktop.services.working_drafts import WorkingDraft, WorkingDrafts

__all__ = [
    "DuplicateLink",
    "IncidentService",
    "InvalidTransition",
    "NewIncident",
    "RouteTarget",
    "WorkingDraft",
    "answer_requirements",
    "describe_login",
    "substitute_for",
]


class IncidentService(
    Registration, Routing, Drafting, Closing, CardReading, WorkingDrafts, Publishing
):
    """The actions on incidents for one signed-in user."""

    @staticmethod
    @reads
    def version_of(incident_id: int) -> int:
        return int(existing_incident(incident_id).version)


@reads
def answer_requirements(incident_id: int) -> list[str]:
    """What the regulation asks of this incident's answer, for the draft editor to show."""
    incident = existing_incident(incident_id)
    regulation = regulation_by_slug(incident.regulation)
    found: list[str] = []
    if incident.repeat_of_id is not None and regulation.repeat_requires_measures:
        found.append(
            "Повторное сообщение: ответ должен содержать информацию о принятых мерах или о ходе "
            "решения вопроса."
        )
    if incident.importance is Importance.HIGH:
        report = Step.select().where(
            (Step.incident == incident_id) & (Step.kind == StepKind.REPORT) & Step.done_at.is_null()
        )
        if report.exists():
            found.append(
                f"Инцидент повышенной важности: доложите незамедлительно ({regulation.report_to})."
            )
    return found
