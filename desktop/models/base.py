"""Base classes of all tables, and the optimistic-concurrency update."""

from __future__ import annotations

from typing import Any, TypeVar

import peewee

from desktop.models.database import database_proxy
from desktop.models.errors import ConflictError, RowDeleted
from desktop.models.fields import UtcDateTimeField, utcnow


class BaseModel(peewee.Model):
    id = peewee.AutoField()

    class Meta:
        database = database_proxy
        legacy_table_names = False


class VersionedModel(BaseModel):
    """An editable row. `version` grows by one on every update; see `update_versioned`."""

    version = peewee.IntegerField(default=1)
    updated_at = UtcDateTimeField(default=utcnow)
    updated_by = peewee.CharField(default="")  # OS login of the last writer


M = TypeVar("M", bound=VersionedModel)


def update_versioned(
    model: type[M],
    row_id: int,
    expected_version: int,
    changes: dict[str, Any],
    actor_login: str,
    describe_actor: Any = None,
) -> int:
    """Apply `changes` only if the row is still at `expected_version`; return the new version.

    Lost races raise `ConflictError` naming who changed the row and when: never a silent
    overwrite. `describe_actor(login) -> str` turns the last writer's login into a name.
    """
    fields = {getattr(model, name): value for name, value in changes.items()}
    fields[model.version] = model.version + 1
    fields[model.updated_at] = utcnow()
    fields[model.updated_by] = actor_login
    updated = (
        model.update(fields)
        .where((model.id == row_id) & (model.version == expected_version))
        .execute()
    )
    if updated == 1:
        return expected_version + 1
    current = model.get_or_none(model.id == row_id)
    if current is None:
        raise RowDeleted(
            "Карточку удалили, пока вы её редактировали.", detail=f"{model.__name__}#{row_id}"
        )
    who = describe_actor(current.updated_by) if describe_actor else current.updated_by
    raise ConflictError(
        entity=model._meta.table_name,
        row_id=row_id,
        changed_by=who or "другой пользователь",
        changed_at=current.updated_at,
        current_version=current.version,
    )
