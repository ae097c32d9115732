"""The migration runner with a pretend version 2: copied aside first, each step atomic."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import peewee
import pytest

from desktop.models import database, migrate
from desktop.models.entities import Department
from desktop.models.migrations import MIGRATIONS, Migration
from desktop.services.config import DatabaseTarget, TargetOrigin
from desktop.services.office import Office, open_office


def add_column(db: peewee.Database) -> None:
    db.execute_sql('ALTER TABLE "department" ADD COLUMN "phone2" TEXT NOT NULL DEFAULT \'\'')


def half_done_then_fail(db: peewee.Database) -> None:
    add_column(db)
    raise RuntimeError("a bug in migration 2")


def reopen(path: Path) -> Office:
    return open_office(DatabaseTarget(str(path), TargetOrigin.COMMAND_LINE))


def columns(office: Office) -> list[str]:
    return [row[1] for row in office.db.execute_sql('PRAGMA table_info("department")')]


@pytest.fixture
def version_one_database(office: Office) -> Path:
    Department.create(name="Отдел ЖКХ")
    database.bind(None)
    return office.path


def test_an_upgrade_copies_the_file_aside_first(
    version_one_database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(migrate, "MIGRATIONS", (*MIGRATIONS, Migration(2, "phone2", add_column)))
    monkeypatch.setattr(migrate, "LATEST_VERSION", 2)
    upgraded = reopen(version_one_database)
    assert (upgraded.migration.from_version, upgraded.migration.to_version) == (1, 2)
    assert "phone2" in columns(upgraded)
    backup = upgraded.migration.backup_path
    assert backup is not None
    assert backup.name.startswith("otklik.db.v1-")
    aside = sqlite3.connect(backup)  # the untouched version-1 file, read without migrating
    try:
        assert aside.execute('SELECT max("version") FROM "schema_version"').fetchone() == (1,)
        names = [row[1] for row in aside.execute('PRAGMA table_info("department")')]
        assert "phone2" not in names
        assert aside.execute('SELECT name FROM "department"').fetchall() == [("Отдел ЖКХ",)]
    finally:
        aside.close()


def test_a_failing_step_changes_nothing(
    version_one_database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        migrate, "MIGRATIONS", (*MIGRATIONS, Migration(2, "broken", half_done_then_fail))
    )
    monkeypatch.setattr(migrate, "LATEST_VERSION", 2)
    with pytest.raises(RuntimeError, match="migration 2"):
        reopen(version_one_database)
    monkeypatch.undo()
    again = reopen(version_one_database)
    assert again.migration.to_version == 1
    assert "phone2" not in columns(again)
    assert [d.name for d in Department.select()] == ["Отдел ЖКХ"]
