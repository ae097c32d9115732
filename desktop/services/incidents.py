"""Incident actions for issue 2's scope: register, edit with a version check, read.

Each action checks the actor's role, validates input, writes an audit event and runs as one
short BEGIN IMMEDIATE transaction. The full workflow (routing, drafts, reviews) builds on it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from desktop.models.base import update_versioned
from desktop.models.database import reads, run_write
from desktop.models.entities import Employee, Incident
from desktop.models.enums import Importance, IncidentSource, IncidentStatus, Network
from desktop.services.audit import append_event
from desktop.services.errors import RowDeleted, ValidationError
from desktop.services.links import link_key, network_of
from desktop.services.permissions import Action
from desktop.services.session import CurrentUser

MAX_TEXT_LENGTH = 50_000
EDITABLE_FIELDS = frozenset(
    {"author_name", "author_url", "text", "importance", "topic", "location", "note", "link"}
)


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


def _clean_text(text: str) -> str:
    cleaned = "".join(ch for ch in text if ch in "\n\t" or ch.isprintable()).strip()
    if not cleaned:
        raise ValidationError("Текст сообщения пуст.")
    if len(cleaned) > MAX_TEXT_LENGTH:
        raise ValidationError(f"Текст сообщения длиннее {MAX_TEXT_LENGTH} символов; сократите его.")
    return cleaned


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


class IncidentService:
    def __init__(self, user: CurrentUser) -> None:
        self.user = user

    def register(self, new: NewIncident) -> int:
        self.user.require(Action.REGISTER)
        text = _clean_text(new.text)
        network = new.network or network_of(new.link)
        if network is None:
            raise ValidationError("Не удалось определить соцсеть по ссылке; выберите её вручную.")
        if new.detected_at.tzinfo is None:
            raise ValidationError("Момент выявления без часового пояса.")
        if new.posted_at is not None and new.posted_at > new.detected_at:
            raise ValidationError("Сообщение не может быть размещено позже, чем выявлено.")

        def insert() -> int:
            last = Incident.select(Incident.number).order_by(Incident.number.desc()).first()
            incident = Incident.create(
                number=(last.number if last else 0) + 1,
                source=new.source,
                external_number=new.external_number.strip(),
                network=network,
                link=new.link.strip(),
                link_key=link_key(new.link),
                author_name=new.author_name.strip(),
                author_url=new.author_url.strip(),
                text=text,
                posted_at=new.posted_at,
                detected_at=new.detected_at,
                importance=new.importance,
                topic=new.topic_id,
                location=new.location_id,
                status=IncidentStatus.NEW,
                registered_by=self.user.employee_id,
                updated_by=self.user.login,
            )
            append_event(
                self.user.actor,
                entity="incident",
                entity_id=incident.id,
                incident_id=incident.id,
                action="register",
                after={"number": incident.number, "network": network.value, "text": text},
            )
            return int(incident.id)

        return run_write(insert)

    def edit(self, incident_id: int, expected_version: int, changes: dict[str, Any]) -> int:
        """Change card fields if nobody else did since `expected_version`; return the new version.

        Raises `ConflictError` naming who changed the card first.
        """
        self.user.require(Action.EDIT_INCIDENT)
        unknown = set(changes) - EDITABLE_FIELDS
        if unknown:
            raise ValidationError(f"Эти поля нельзя менять здесь: {', '.join(sorted(unknown))}")
        if "text" in changes:
            changes = {**changes, "text": _clean_text(str(changes["text"]))}
        if "link" in changes:
            changes = {**changes, "link_key": link_key(str(changes["link"]))}

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

    @staticmethod
    @reads
    def version_of(incident_id: int) -> int:
        return int(_existing(incident_id).version)
