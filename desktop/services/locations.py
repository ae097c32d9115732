"""Places («Территории»): where the problem is — the district, its settlements, a city."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

import peewee

from desktop.models.database import reads, run_write
from desktop.models.entities import Incident, Location
from desktop.models.enums import LocationKind
from desktop.services.audit import append_event
from desktop.services.catalog import (
    Removal,
    check_parent,
    clean_text,
    count_words,
    raw_key,
    remove_or_archive,
    same_name_exists,
    set_active,
    tree_paths,
    update_row,
)
from desktop.services.errors import ValidationError
from desktop.services.permissions import Action
from desktop.services.session import CurrentUser

_WHAT = "Территория"
LOCATION_KIND_TITLES: dict[LocationKind, str] = {
    LocationKind.CITY: "город, районный центр",
    LocationKind.DISTRICT: "район, округ",
    LocationKind.SETTLEMENT: "населённый пункт",
}


@dataclass(frozen=True)
class LocationRow:
    id: int
    name: str
    kind: LocationKind
    parent_id: int | None
    path: str  # «Отрадненский район / ст. Спокойная»
    active: bool
    version: int
    incidents: int = 0


@dataclass(frozen=True)
class LocationInput:
    name: str
    kind: LocationKind = LocationKind.SETTLEMENT
    parent_id: int | None = None


def _usage() -> dict[int, int]:
    query = (
        Incident.select(Incident.location, peewee.fn.COUNT(Incident.id))
        .where(Incident.location.is_null(False))
        .group_by(Incident.location)
        .tuples()
    )
    return {int(key): int(n) for key, n in cast(Iterable[tuple[int, int]], query)}


@reads
def list_locations() -> list[LocationRow]:
    """Every place, archived ones too, each after the place it belongs to, by name."""
    rows = list(Location.select())
    paths = tree_paths((t.id, t.name, raw_key(t, "parent")) for t in rows)
    usage = _usage()
    found = [
        LocationRow(
            id=t.id,
            name=t.name,
            kind=t.kind,
            parent_id=raw_key(t, "parent"),
            path=paths[t.id],
            active=t.active,
            version=t.version,
            incidents=usage.get(t.id, 0),
        )
        for t in rows
    ]
    return sorted(found, key=lambda row: row.path.casefold())


def _checked(data: LocationInput) -> dict[str, object]:
    name = clean_text(data.name, "Название территории", required="Укажите название территории.")
    if "/" in name:
        raise ValidationError("Название территории без «/»: выберите, куда она входит, в списке.")
    return {"name": name, "kind": LocationKind(data.kind), "parent": data.parent_id}


def _refuse_duplicate(name: str, parent_id: int | None, other_than: int | None = None) -> None:
    query = Location.select(Location.name).where(
        Location.parent.is_null() if parent_id is None else Location.parent == parent_id
    )
    if other_than is not None:
        query = query.where(Location.id != other_than)
    if same_name_exists((t.name for t in query), name):
        raise ValidationError(f"Территория «{name}» здесь уже есть (возможно, в архиве).")


def add_location(user: CurrentUser, data: LocationInput) -> int:
    user.require(Action.MANAGE_SETTINGS)
    values = _checked(data)

    def insert() -> int:
        check_parent(Location, None, data.parent_id, _WHAT)
        _refuse_duplicate(str(values["name"]), data.parent_id)
        row = Location.create(**values, updated_by=user.login)
        append_event(
            user.actor,
            entity="location",
            entity_id=row.id,
            action="add",
            after={"name": values["name"], "kind": str(values["kind"]), "parent": data.parent_id},
        )
        return int(row.id)

    return run_write(insert)


def update_location(user: CurrentUser, location_id: int, version: int, data: LocationInput) -> int:
    """Rename a place, change its kind or what it belongs to; returns the new version."""
    user.require(Action.MANAGE_SETTINGS)
    values = _checked(data)

    def write() -> int:
        check_parent(Location, location_id, data.parent_id, _WHAT)
        _refuse_duplicate(str(values["name"]), data.parent_id, other_than=location_id)
        return update_row(user, Location, location_id, version, values, action="edit", what=_WHAT)

    return run_write(write)


def _uses(location: Location) -> list[str]:
    found = []
    incidents = Incident.select().where(Incident.location == location.id).count()
    if incidents:
        found.append(count_words(incidents, "сообщение", "сообщения", "сообщений"))
    children = Location.select().where(Location.parent == location.id).count()
    if children:
        found.append(count_words(children, "территория", "территории", "территорий"))
    return found


def remove_location(user: CurrentUser, location_id: int, version: int) -> Removal:
    """Delete a place nothing refers to; archive one that messages or other places use."""
    user.require(Action.MANAGE_SETTINGS)
    return run_write(
        lambda: remove_or_archive(user, Location, location_id, version, uses=_uses, what=_WHAT)
    )


def set_location_active(user: CurrentUser, location_id: int, version: int, active: bool) -> int:
    user.require(Action.MANAGE_SETTINGS)
    return run_write(lambda: set_active(user, Location, location_id, version, active, what=_WHAT))
