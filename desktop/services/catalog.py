"""What the settings services share: clean names, audited versioned edits, archiving.

Departments, topics, places and accounts are referred to by incidents, so a row that anything
refers to is archived (``active = false``) rather than deleted: old incidents keep their
topic and department, and forms stop offering it. A row nothing refers to (a typo) is
deleted. Every write here runs inside the caller's `run_write` transaction and appends an
audit event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from desktop.models.base import VersionedModel, update_versioned
from desktop.models.errors import ConflictError
from desktop.services.audit import append_event
from desktop.services.errors import RowDeleted, ValidationError
from desktop.services.formatting import plural
from desktop.services.incident_base import describe_login
from desktop.services.session import CurrentUser

NAME_LIMIT = 200
M = TypeVar("M", bound=VersionedModel)


def clean_text(text: str, label: str, *, required: str = "", limit: int = NAME_LIMIT) -> str:
    """`text` with runs of spaces collapsed; `required` is the message when it is empty."""
    value = " ".join(text.split())
    if required and not value:
        raise ValidationError(required)
    if len(value) > limit:
        raise ValidationError(f"{label}: не длиннее {limit} символов.")
    return value


def count_words(n: int, one: str, few: str, many: str) -> str:
    return f"{n} {plural(n, one, few, many)}"


def plain(value: Any) -> Any:
    """A value as the audit log stores it (JSON)."""
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple | frozenset | set):
        return [plain(item) for item in value]
    return value


def raw_key(row: VersionedModel, field: str) -> int | None:
    """A foreign key's stored id, without loading the row it points to."""
    value = row.__data__.get(field)
    return None if value is None else int(value)


def same_name_exists(names: Iterable[str], name: str) -> bool:
    """Names compare without case («ЖКХ» and «жкх» are one department)."""
    wanted = name.casefold()
    return any(other.casefold() == wanted for other in names)


def fetch(model: type[M], row_id: int, what: str) -> M:
    row = model.get_or_none(model.id == row_id)
    if row is None:
        raise RowDeleted(f"{what} удалили, пока вы редактировали настройки.", detail=str(row_id))
    return row


def check_version(model: type[M], row: M, expected_version: int) -> None:
    """Refuse to act on a row someone else changed since the form showed it."""
    if row.version != expected_version:
        raise ConflictError(
            entity=model._meta.table_name,
            row_id=row.id,
            changed_by=describe_login(row.updated_by) or "другой пользователь",
            changed_at=row.updated_at,
            current_version=row.version,
        )


def update_row(
    user: CurrentUser,
    model: type[M],
    row_id: int,
    expected_version: int,
    changes: dict[str, Any],
    *,
    action: str,
    what: str,
) -> int:
    """Apply `changes` to a row still at `expected_version` and record the event.

    Call inside `run_write`. Foreign keys are given as ids under the field's name.
    """
    row = fetch(model, row_id, what)
    before = {name: plain(row.__data__.get(name)) for name in changes}
    version = update_versioned(
        model, row_id, expected_version, changes, user.login, describe_actor=describe_login
    )
    append_event(
        user.actor,
        entity=model._meta.table_name,
        entity_id=row_id,
        action=action,
        before=before,
        after={name: plain(value) for name, value in changes.items()},
    )
    return version


@dataclass(frozen=True)
class Removal:
    """What `remove_or_archive` did: deleted, or archived because of `uses`."""

    archived: bool
    uses: tuple[str, ...] = ()

    def describe(self) -> str:
        """«Запись переведена в архив: на неё ссылаются 3 сообщения.» for the page."""
        if not self.archived:
            return "Запись удалена."
        return f"Запись переведена в архив: на неё ссылаются {', '.join(self.uses)}."


def remove_or_archive(
    user: CurrentUser,
    model: type[M],
    row_id: int,
    expected_version: int,
    *,
    uses: Callable[[M], list[str]],
    what: str,
) -> Removal:
    """Delete a row nothing refers to; archive one that `uses(row)` says is referred to.

    Call inside `run_write`.
    """
    row = fetch(model, row_id, what)
    check_version(model, row, expected_version)
    found = tuple(uses(row))
    entity = model._meta.table_name
    if found:
        if row.__data__.get("active"):
            set_active(user, model, row_id, expected_version, False, what=what)
        return Removal(archived=True, uses=found)
    before = {name: plain(value) for name, value in row.__data__.items()}
    append_event(user.actor, entity=entity, entity_id=row_id, action="delete", before=before)
    model.delete().where(model.id == row_id).execute()
    return Removal(archived=False)


def set_active(
    user: CurrentUser,
    model: type[M],
    row_id: int,
    expected_version: int,
    active: bool,
    *,
    what: str,
) -> int:
    """Archive a row (forms stop offering it) or bring it back. Call inside `run_write`."""
    action = "restore" if active else "archive"
    return update_row(
        user, model, row_id, expected_version, {"active": active}, action=action, what=what
    )


def tree_paths(rows: Iterable[tuple[int, str, int | None]]) -> dict[int, str]:
    """«Дороги / Ямочный ремонт»: each row's name after its parents' names."""
    names = {row_id: (name, parent) for row_id, name, parent in rows}

    def path(row_id: int, seen: frozenset[int]) -> str:
        name, parent = names[row_id]
        if parent is None or parent not in names or parent in seen:
            return name
        return f"{path(parent, seen | {row_id})} / {name}"

    return {row_id: path(row_id, frozenset()) for row_id in names}


def check_parent(model: type[M], row_id: int | None, parent_id: int | None, what: str) -> None:
    """The parent exists and is not the row itself nor one of its descendants."""
    if parent_id is None:
        return
    parents = {row.id: row.__data__.get("parent") for row in model.select()}
    if parent_id not in parents:
        raise ValidationError(f"{what}: выбранной группы больше нет; обновите список.")
    current: int | None = parent_id
    seen: set[int] = set()
    while current is not None and current not in seen:
        if current == row_id:
            raise ValidationError(f"{what}: запись не может входить сама в себя.")
        seen.add(current)
        current = parents.get(current)
