"""What the publication form needs: the approved answer, the ways the regulation allows to
publish it, and its text ready to paste into the network."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.models.database import reads
from desktop.models.enums import AnswerKind, Network, PublicationMode
from desktop.services.incident_base import ServiceBase
from desktop.services.incident_closing import approved_answer


@dataclass(frozen=True)
class PublicationOffer:
    incident_id: int
    number: int
    answer_id: int
    assignment_id: int | None  # the line the answer was written on
    kind: AnswerKind
    text: str
    network: Network
    author_name: str
    author_url: str
    link: str  # the message's own link: the answer goes under it
    modes: tuple[PublicationMode, ...]  # the regulation's, the first is the usual one
    site_allowed: bool  # «also on the site» (Охинский 3.5)


class Publishing(ServiceBase):
    """Part of `IncidentService`: reads for the publication form."""

    @reads
    def publication_offer(self, incident_id: int) -> PublicationOffer:
        case = self._case(incident_id)
        incident = case.incident
        version = approved_answer(incident_id)
        modes = case.regulation.publication_modes
        return PublicationOffer(
            incident_id=incident.id,
            number=incident.number,
            answer_id=version.id,
            assignment_id=version.assignment_id,
            kind=version.kind,
            text=version.text,
            network=incident.network,
            author_name=incident.author_name,
            author_url=incident.author_url,
            link=incident.link,
            modes=tuple(m for m in modes if m is not PublicationMode.SITE),
            site_allowed=PublicationMode.SITE in modes,
        )
