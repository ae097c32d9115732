"""Applies numbered migrations; refuses databases that are foreign or newer than the app."""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import peewee

from desktop import __version__
from desktop.models.database import run_read, run_write
from desktop.models.errors import NotAnOtklikDatabase, SchemaTooNew
from desktop.models.migrations import LATEST_VERSION, MIGRATIONS

log = logging.getLogger(__name__)

VERSION_TABLE = "schema_version"
_CREATE_VERSION_TABLE = (
    f'CREATE TABLE IF NOT EXISTS "{VERSION_TABLE}" ('
    '"version" INTEGER NOT NULL PRIMARY KEY, "description" TEXT NOT NULL, '
    '"applied_at" TEXT NOT NULL, "app_version" TEXT NOT NULL)'
)


@dataclass(frozen=True)
class MigrationReport:
    from_version: int
    to_version: int
    backup_path: Path | None


def schema_version(db: peewee.Database) -> int:
    """0 for an empty file; raises `NotAnOtklikDatabase` for someone else's SQLite file."""
    tables = set(db.get_tables())
    if VERSION_TABLE not in tables:
        if tables - {"sqlite_sequence"}:
            raise NotAnOtklikDatabase(
                "Файл содержит базу данных другой программы, а не Отклика. "
                "Выберите файл базы Отклика или создайте новый.",
                detail=f"tables: {sorted(tables)[:5]}",
            )
        return 0
    row = db.execute_sql(f'SELECT max("version") FROM "{VERSION_TABLE}"').fetchone()
    return int(row[0] or 0)


def refuse_if_too_new(version: int) -> None:
    if version > LATEST_VERSION:
        raise SchemaTooNew(
            f"База данных создана более новой версией Отклика (схема {version}, "
            f"эта программа знает схему до {LATEST_VERSION}). Обновите Отклик на этом "
            "рабочем месте; база данных не изменена.",
            detail=f"app {__version__}",
        )


def copy_aside(db_path: Path, version: int) -> Path:
    """An online copy of the file (sqlite3 backup API) before its schema changes."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    target = db_path.with_name(f"{db_path.name}.v{version}-{stamp}.bak")
    source = sqlite3.connect(str(db_path), timeout=30)
    try:
        dest = sqlite3.connect(str(target))
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    return target


def migrate(db: peewee.Database, db_path: Path | None) -> MigrationReport:
    """Bring the bound database to `LATEST_VERSION`, one atomic transaction per step.

    Safe when several workstations start a new version at once: each step re-checks the
    version inside its BEGIN IMMEDIATE transaction and is skipped if another one applied it.
    """
    start = run_read(lambda: schema_version(db))
    refuse_if_too_new(start)
    if start == LATEST_VERSION:
        return MigrationReport(start, start, None)
    backup = copy_aside(db_path, start) if start > 0 and db_path is not None else None
    for migration in MIGRATIONS[start:]:

        def apply(migration_version: int = migration.version) -> None:
            current = schema_version(db)
            refuse_if_too_new(current)
            if current >= migration_version:
                return
            step = MIGRATIONS[migration_version - 1]
            db.execute_sql(_CREATE_VERSION_TABLE)
            step.up(db)
            db.execute_sql(
                f'INSERT INTO "{VERSION_TABLE}" VALUES (?, ?, ?, ?)',
                (
                    step.version,
                    step.description,
                    dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    __version__,
                ),
            )
            log.info("migrated schema to version %d (%s)", step.version, step.description)

        run_write(apply)
    return MigrationReport(start, LATEST_VERSION, backup)
