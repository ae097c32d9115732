"""Opening an office database: checks that never touch a foreign file, then migrations.

Everything here raises `KnownDatabaseError` subclasses with a Russian message for what a
user can meet: an unreachable share, a missing file, a file that is not Otklik's, a
read-only file, a schema newer than the app.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import peewee

from desktop.models import database
from desktop.models.errors import (
    DatabaseMissing,
    DatabaseReadOnly,
    DatabaseUnavailable,
    NotAnOtklikDatabase,
)
from desktop.models.migrate import MigrationReport, migrate
from desktop.services.config import DatabaseTarget

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class Office:
    """An open, migrated office database bound to the models."""

    target: DatabaseTarget
    db: peewee.Database
    migration: MigrationReport

    @property
    def path(self) -> Path:
        return self.target.path

    @property
    def attachments_dir(self) -> Path:
        return self.path.parent / "attachments"

    def close(self) -> None:
        database.bind(None)


def check_reachable(path: Path) -> None:
    """Raise `DatabaseUnavailable` if the share or folder holding `path` cannot be reached."""
    try:
        folder_ok = path.parent.is_dir()
    except OSError as exc:  # e.g. a network name that no longer resolves
        raise DatabaseUnavailable(
            f"Папка с базой данных недоступна: {path.parent}", detail=str(exc)
        ) from exc
    if not folder_ok:
        raise DatabaseUnavailable(
            f"Папка с базой данных недоступна: {path.parent}. Проверьте сетевой диск; "
            "Отклик продолжит попытки подключиться."
        )


def check_existing_file(path: Path) -> None:
    """Refuse, without writing a byte, a file that is not a SQLite database or not writable."""
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except PermissionError as exc:
        raise DatabaseReadOnly(
            f"Нет доступа к файлу базы данных {path}. Проверьте права на файл.", detail=str(exc)
        ) from exc
    except OSError as exc:
        raise DatabaseUnavailable(detail=str(exc)) from exc
    if header and header != SQLITE_HEADER:
        raise NotAnOtklikDatabase(
            f"Файл {path} не является базой данных Отклика. Выберите другой файл; "
            "выбранный файл не изменён.",
            detail=f"header {header[:16]!r}",
        )
    # A rollback journal is created beside the file, so the folder must be writable too.
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
        raise DatabaseReadOnly(
            f"Файл базы данных {path} или его папка доступны только для чтения. "
            "Попросите администратора дать права на запись; файл не изменён."
        )


def connect(path: Path) -> peewee.SqliteDatabase:
    db = database.make_sqlite_database(str(path))
    try:
        db.connect(reuse_if_open=True)
    except (peewee.PeeweeException, OSError) as exc:
        raise database.classify(exc) from exc
    return db


def open_office(
    target: DatabaseTarget,
    *,
    create: bool = False,
    on_created: Callable[[], None] | None = None,
) -> Office:
    """Open (or with `create`, create) the database, bind the models, migrate the schema.

    `on_created` runs once, after migration, when the file was created by this call (the
    demo filler, `otklik-cli init`).
    """
    path = target.path
    check_reachable(path)
    exists = path.exists()
    if exists:
        check_existing_file(path)
    elif not create:
        raise DatabaseMissing(
            f"Файл базы данных не найден: {target.location}. Проверьте путь в настройках "
            "или создайте новую базу (otklik-cli init)."
        )
    db = connect(path)
    database.bind(db)
    try:
        report = migrate(db, path)
        if not exists and on_created is not None:
            on_created()
    except BaseException:
        database.bind(None)
        raise
    log.info("opened %s (schema %d)", target.location, report.to_version)
    return Office(target, db, report)
