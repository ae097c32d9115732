"""The migration runner with a pretend next version: copied aside first, each step atomic."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import peewee
import pytest

from desktop.models import database, migrate
from desktop.models.entities import Department
from desktop.models.migrations import LATEST_VERSION, MIGRATIONS, Migration
from desktop.services.config import DatabaseTarget, TargetOrigin
from desktop.services.office import Office, open_office


def add_column(db: peewee.Database) -> None:
    db.execute_sql('ALTER TABLE "department" ADD COLUMN "phone2" TEXT NOT NULL DEFAULT \'\'')


NEXT = LATEST_VERSION + 1


def half_done_then_fail(db: peewee.Database) -> None:
    add_column(db)
    raise RuntimeError("a bug in the next migration")


def reopen(path: Path) -> Office:
    return open_office(DatabaseTarget(str(path), TargetOrigin.COMMAND_LINE))


def columns(office: Office) -> list[str]:
    return [row[1] for row in office.db.execute_sql('PRAGMA table_info("department")')]


@pytest.fixture
def latest_database(office: Office) -> Path:
    Department.create(name="Отдел ЖКХ")
    database.bind(None)
    return office.path


def test_an_upgrade_copies_the_file_aside_first(
    latest_database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(migrate, "MIGRATIONS", (*MIGRATIONS, Migration(NEXT, "phone2", add_column)))
    monkeypatch.setattr(migrate, "LATEST_VERSION", NEXT)
    upgraded = reopen(latest_database)
    assert (upgraded.migration.from_version, upgraded.migration.to_version) == (
        LATEST_VERSION,
        NEXT,
    )
    assert "phone2" in columns(upgraded)
    backup = upgraded.migration.backup_path
    assert backup is not None
    assert backup.name.startswith(f"otklik.db.v{LATEST_VERSION}-")
    aside = sqlite3.connect(backup)  # the untouched file, read without migrating
    try:
        row = aside.execute('SELECT max("version") FROM "schema_version"').fetchone()
        assert row == (LATEST_VERSION,)
        names = [row[1] for row in aside.execute('PRAGMA table_info("department")')]
        assert "phone2" not in names
        assert aside.execute('SELECT name FROM "department"').fetchall() == [("Отдел ЖКХ",)]
    finally:
        aside.close()


def test_a_failing_step_changes_nothing(
    latest_database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        migrate, "MIGRATIONS", (*MIGRATIONS, Migration(NEXT, "broken", half_done_then_fail))
    )
    monkeypatch.setattr(migrate, "LATEST_VERSION", NEXT)
    with pytest.raises(RuntimeError, match="next migration"):
        reopen(latest_database)
    monkeypatch.undo()
    again = reopen(latest_database)
    assert again.migration.to_version == LATEST_VERSION
    assert "phone2" not in columns(again)
    assert [d.name for d in Department.select()] == ["Отдел ЖКХ"]
