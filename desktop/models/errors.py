"""Database errors, split the qutebrowser way: the environment's or user's fault vs a bug.

A `KnownDatabaseError` has a Russian `user_message` the UI shows as it is (a share that is
down, a file that is not an Otklik database, a race lost to a colleague). Anything else that
comes out of the database layer is a `DatabaseBug`: the UI reports it as an internal error.
"""

from __future__ import annotations

import datetime as dt


class OtklikDatabaseError(Exception):
    """Base of every error the database layer raises on purpose."""

    user_message: str = "Ошибка базы данных."

    def __init__(self, user_message: str | None = None, *, detail: str = "") -> None:
        if user_message is not None:
            self.user_message = user_message
        self.detail = detail
        super().__init__(self.user_message if not detail else f"{self.user_message} ({detail})")


class KnownDatabaseError(OtklikDatabaseError):
    """Caused by the environment or the user; shown as a message, never as a crash."""


class DatabaseUnavailable(KnownDatabaseError):
    """The share is unreachable, the file is locked for too long, or I/O failed."""

    user_message = (
        "База данных недоступна: нет связи с сетевой папкой или файл занят. "
        "Отклик продолжит попытки подключиться."
    )


class DatabaseMissing(KnownDatabaseError):
    """The folder is reachable but the database file is not there."""


class NotAnOtklikDatabase(KnownDatabaseError):
    """The file exists but is not a SQLite database, or is not one of Otklik's."""


class DatabaseReadOnly(KnownDatabaseError):
    """The file or its folder cannot be written to."""


class SchemaTooNew(KnownDatabaseError):
    """The database was migrated by a newer Otklik than this one."""


class UnsupportedDatabaseUrl(KnownDatabaseError):
    """A database URL whose scheme Otklik cannot open (yet)."""


class ConflictError(KnownDatabaseError):
    """An update lost a race: someone else changed the row since it was read."""

    def __init__(
        self,
        *,
        entity: str,
        row_id: int,
        changed_by: str,
        changed_at: dt.datetime | None,
        current_version: int | None,
    ) -> None:
        self.entity = entity
        self.row_id = row_id
        self.changed_by = changed_by
        self.changed_at = changed_at
        self.current_version = current_version
        # The view rewrites this in the office's time zone (services.formatting).
        text = (
            f"Карточку изменил(а) {changed_by} в {changed_at:%d.%m.%Y %H:%M} UTC — обновить?"
            if changed_at
            else f"Карточку только что изменил(а) {changed_by} — обновить?"
        )
        super().__init__(
            text,
            detail=f"{entity}#{row_id} is at version {current_version}",
        )


class RowDeleted(KnownDatabaseError):
    """The row to update was deleted by someone else."""


class DatabaseBug(OtklikDatabaseError):
    """An error that means Otklik itself is wrong (bad SQL, a broken constraint)."""

    user_message = "Внутренняя ошибка Отклика при работе с базой данных."
