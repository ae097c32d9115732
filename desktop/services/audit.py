"""The hash-chained audit log: every change of an incident appends an event.

Each event's hash covers its own fields and the previous event's hash, so editing or
deleting a stored event breaks the chain at that point; `verify_chain` finds the first
break. Appending happens inside the caller's BEGIN IMMEDIATE transaction, which serialises
the chain across workstations.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from desktop.models.database import reads
from desktop.models.entities import AuditEvent
from desktop.models.fields import utcnow

GENESIS_HASH = "0" * 64
_BATCH = 2000


@dataclass(frozen=True)
class Actor:
    login: str
    employee_id: int | None


def event_hash(
    *,
    event_id: int,
    at: str,
    actor_login: str,
    entity: str,
    entity_id: int,
    incident_id: int | None,
    action: str,
    before: str | None,
    after: str | None,
    prev_hash: str,
) -> str:
    """SHA-256 over the stored (text) form of the event, so verification needs no decoding."""
    payload = json.dumps(
        [
            event_id,
            at,
            actor_login,
            entity,
            entity_id,
            incident_id,
            action,
            before,
            after,
            prev_hash,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _json_text(value: Any) -> str | None:
    text: str | None = AuditEvent.before.db_value(value)
    return text


@dataclass(frozen=True)
class ChainHead:
    """The last event of the chain: the next one links to it."""

    event_id: int
    hash: str


def chain_head() -> ChainHead:
    last = AuditEvent.select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).first()
    return ChainHead(0, GENESIS_HASH) if last is None else ChainHead(last.id, last.hash)


def chained_event(
    head: ChainHead,
    actor: Actor,
    *,
    entity: str,
    entity_id: int,
    action: str,
    incident_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> dict[str, Any]:
    """The column values of the event that follows `head`, its hash computed."""
    event_id = head.event_id + 1
    moment = at or utcnow()
    digest = event_hash(
        event_id=event_id,
        at=str(AuditEvent.at.db_value(moment)),
        actor_login=actor.login,
        entity=entity,
        entity_id=entity_id,
        incident_id=incident_id,
        action=action,
        before=_json_text(before),
        after=_json_text(after),
        prev_hash=head.hash,
    )
    return {
        "id": event_id,
        "at": moment,
        "actor_login": actor.login,
        "actor": actor.employee_id,
        "entity": entity,
        "entity_id": entity_id,
        "incident_id": incident_id,
        "action": action,
        "before": before,
        "after": after,
        "prev_hash": head.hash,
        "hash": digest,
    }


def append_event(
    actor: Actor,
    *,
    entity: str,
    entity_id: int,
    action: str,
    incident_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> AuditEvent:
    """Append one event; call inside a write transaction (the chain head is read, then written)."""
    values = chained_event(
        chain_head(),
        actor,
        entity=entity,
        entity_id=entity_id,
        action=action,
        incident_id=incident_id,
        before=before,
        after=after,
        at=at,
    )
    return AuditEvent.create(**values)


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_bad_id: int | None
    problem: str

    @property
    def ok(self) -> bool:
        return self.first_bad_id is None


def _stored_rows() -> Iterator[tuple[Any, ...]]:
    cursor = AuditEvent._meta.database.execute_sql(
        'SELECT "id", "at", "actor_login", "entity", "entity_id", "incident_id", "action", '
        '"before", "after", "prev_hash", "hash" FROM "audit_event" ORDER BY "id"'
    )
    while rows := cursor.fetchmany(_BATCH):
        yield from rows


@reads
def verify_chain() -> ChainReport:
    """Walk the chain in order and report the first event that was edited, removed or forged."""
    expected_prev = GENESIS_HASH
    expected_id = 1
    checked = 0
    for row in _stored_rows():
        (
            event_id,
            at,
            login,
            entity,
            entity_id,
            incident_id,
            action,
            before,
            after,
            prev_hash,
            stored_hash,
        ) = row
        if event_id != expected_id:
            return ChainReport(checked, expected_id, f"событие №{expected_id} удалено")
        if prev_hash != expected_prev:
            return ChainReport(checked, event_id, "нарушена связь с предыдущим событием")
        recomputed = event_hash(
            event_id=event_id,
            at=at,
            actor_login=login,
            entity=entity,
            entity_id=entity_id,
            incident_id=incident_id,
            action=action,
            before=before,
            after=after,
            prev_hash=prev_hash,
        )
        if recomputed != stored_hash:
            return ChainReport(checked, event_id, "содержимое события изменено")
        checked += 1
        expected_prev = stored_hash
        expected_id += 1
    return ChainReport(checked, None, "")
