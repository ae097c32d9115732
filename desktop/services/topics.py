"""Topics («Темы»): what messages are about, in groups («Дороги / Ямочный ремонт»)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

import peewee

from desktop.models.database import reads, run_write
from desktop.models.entities import Incident, Topic
from desktop.services.audit import append_event
from desktop.services.catalog import (
    Removal,
    check_parent,
    clean_text,
    count_words,
    remove_or_archive,
    same_name_exists,
    set_active,
    tree_paths,
    update_row,
)
from desktop.services.errors import ValidationError
from desktop.services.permissions import Action
from desktop.services.session import CurrentUser

_WHAT = "Тема"


@dataclass(frozen=True)
class TopicRow:
    id: int
    name: str
    parent_id: int | None
    path: str  # «Дороги / Ямочный ремонт»
    active: bool
    version: int
    incidents: int = 0


@dataclass(frozen=True)
class TopicInput:
    name: str
    parent_id: int | None = None


def _usage() -> dict[int, int]:
    query = (
        Incident.select(Incident.topic, peewee.fn.COUNT(Incident.id))
        .where(Incident.topic.is_null(False))
        .group_by(Incident.topic)
        .tuples()
    )
    return {int(key): int(n) for key, n in cast(Iterable[tuple[int, int]], query)}


@reads
def list_topics() -> list[TopicRow]:
    """Every topic, archived ones too, a group before its topics, by name."""
    rows = list(Topic.select())
    paths = tree_paths((t.id, t.name, t.parent_id) for t in rows)
    usage = _usage()
    found = [
        TopicRow(
            id=t.id,
            name=t.name,
            parent_id=t.parent_id,
            path=paths[t.id],
            active=t.active,
            version=t.version,
            incidents=usage.get(t.id, 0),
        )
        for t in rows
    ]
    return sorted(found, key=lambda row: row.path.casefold())


def _checked(data: TopicInput) -> dict[str, object]:
    name = clean_text(data.name, "Название темы", required="Укажите название темы.")
    if "/" in name:
        raise ValidationError("Название темы без «/»: группу выберите в поле «Входит в группу».")
    return {"name": name, "parent": data.parent_id}


def _refuse_duplicate(name: str, parent_id: int | None, other_than: int | None = None) -> None:
    query = Topic.select(Topic.name).where(
        Topic.parent.is_null() if parent_id is None else Topic.parent == parent_id
    )
    if other_than is not None:
        query = query.where(Topic.id != other_than)
    if same_name_exists((t.name for t in query), name):
        raise ValidationError(f"Тема «{name}» в этой группе уже есть (возможно, в архиве).")


def add_topic(user: CurrentUser, data: TopicInput) -> int:
    user.require(Action.MANAGE_SETTINGS)
    values = _checked(data)

    def insert() -> int:
        check_parent(Topic, None, data.parent_id, _WHAT)
        _refuse_duplicate(str(values["name"]), data.parent_id)
        row = Topic.create(**values, updated_by=user.login)
        append_event(
            user.actor,
            entity="topic",
            entity_id=row.id,
            action="add",
            after={"name": values["name"], "parent": data.parent_id},
        )
        return int(row.id)

    return run_write(insert)


def update_topic(user: CurrentUser, topic_id: int, version: int, data: TopicInput) -> int:
    """Rename a topic or move it to another group; returns the new version."""
    user.require(Action.MANAGE_SETTINGS)
    values = _checked(data)

    def write() -> int:
        check_parent(Topic, topic_id, data.parent_id, _WHAT)
        _refuse_duplicate(str(values["name"]), data.parent_id, other_than=topic_id)
        return update_row(user, Topic, topic_id, version, values, action="edit", what=_WHAT)

    return run_write(write)


def _uses(topic: Topic) -> list[str]:
    found = []
    incidents = Incident.select().where(Incident.topic == topic.id).count()
    if incidents:
        found.append(count_words(incidents, "сообщение", "сообщения", "сообщений"))
    children = Topic.select().where(Topic.parent == topic.id).count()
    if children:
        found.append(count_words(children, "тема группы", "темы группы", "тем группы"))
    return found


def remove_topic(user: CurrentUser, topic_id: int, version: int) -> Removal:
    """Delete a topic nothing refers to; archive one that messages or other topics use."""
    user.require(Action.MANAGE_SETTINGS)
    return run_write(
        lambda: remove_or_archive(user, Topic, topic_id, version, uses=_uses, what=_WHAT)
    )


def set_topic_active(user: CurrentUser, topic_id: int, version: int, active: bool) -> int:
    user.require(Action.MANAGE_SETTINGS)
    return run_write(lambda: set_active(user, Topic, topic_id, version, active, what=_WHAT))
