"""Opening a database: migrations, and bad input that must be refused without a byte written."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
from pathlib import Path

import peewee
import pytest

from desktop.models import database
from desktop.models.entities import (
    ALL_MODELS,
    SEARCH_COLUMNS,
    SEARCH_TABLE,
    AuditEvent,
    Incident,
    Step,
)
from desktop.models.migrate import VERSION_TABLE
from desktop.models.migrations import LATEST_VERSION
from desktop.services.audit import verify_chain
from desktop.services.config import DatabaseTarget, TargetOrigin
from desktop.services.errors import (
    DatabaseMissing,
    DatabaseReadOnly,
    DatabaseUnavailable,
    NotAnOtklikDatabase,
    SchemaTooNew,
)
from desktop.services.office import Office, open_office

FIXTURES = Path(__file__).parent / "fixtures"


def target(path: Path) -> DatabaseTarget:
    return DatabaseTarget(str(path), TargetOrigin.COMMAND_LINE)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def virtual_tables(db: peewee.Database) -> set[str]:
    """Virtual tables and their shadow tables: SQL made, not models (the search index)."""
    rows = db.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'"
    ).fetchall()
    virtual = {str(name) for (name,) in rows}
    return {
        table
        for table in db.get_tables()
        if table in virtual or any(table.startswith(f"{v}_") for v in virtual)
    }


def columns_by_table(db: peewee.Database) -> dict[str, list[tuple[str, str, bool]]]:
    result = {}
    skipped = {VERSION_TABLE, "sqlite_sequence", *virtual_tables(db)}
    for table in db.get_tables():
        if table in skipped:
            continue
        info = db.execute_sql(f'PRAGMA table_info("{table}")').fetchall()
        result[table] = [(row[1], row[2], bool(row[3])) for row in info]
    return result


def schema(db: peewee.Database) -> set[tuple[str, str, str, str | None]]:
    """Everything the schema holds, triggers and the virtual search table included."""
    rows = db.execute_sql("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    return {(str(kind), str(name), str(table), sql) for kind, name, table, sql in rows}


def new_database_schema(folder: Path) -> set[tuple[str, str, str, str | None]]:
    folder.mkdir()
    fresh = open_office(target(folder / "new.db"), create=True)
    try:
        return schema(fresh.db)
    finally:
        database.bind(None)


def test_migrated_schema_matches_the_models(office: Office) -> None:
    reference = peewee.SqliteDatabase(":memory:")
    with reference.bind_ctx(ALL_MODELS):
        reference.create_tables(ALL_MODELS)
        expected = columns_by_table(reference)
    assert columns_by_table(office.db) == expected
    # The models do not describe the search index: migration 3 is the only thing making it.
    assert virtual_tables(office.db) >= {SEARCH_TABLE}
    info = office.db.execute_sql(f'PRAGMA table_info("{SEARCH_TABLE}")').fetchall()
    assert tuple(row[1] for row in info) == SEARCH_COLUMNS


def test_new_database_is_at_the_latest_version(office: Office) -> None:
    assert office.migration.from_version == 0
    assert office.migration.to_version == LATEST_VERSION
    assert office.migration.backup_path is None


def test_reopening_does_not_migrate_again(office: Office) -> None:
    database.bind(None)
    again = open_office(target(office.path))
    assert again.migration.from_version == again.migration.to_version == LATEST_VERSION


@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURES.glob("otklik-v*.db")))
def test_every_old_version_migrates_to_the_latest(fixture: str, tmp_path: Path) -> None:
    copy = tmp_path / fixture
    shutil.copy(FIXTURES / fixture, copy)
    expected_schema = new_database_schema(tmp_path / "new")
    opened = open_office(target(copy))
    try:
        assert opened.migration.to_version == LATEST_VERSION
        # Tables, indexes, change-log and search triggers, the search index: as if new.
        assert schema(opened.db) == expected_schema
        reference = peewee.SqliteDatabase(":memory:")
        with reference.bind_ctx(ALL_MODELS):
            reference.create_tables(ALL_MODELS)
            assert columns_by_table(opened.db) == columns_by_table(reference)
        assert verify_chain().ok
        old_version = int(fixture.removeprefix("otklik-v").removesuffix(".db"))
        if old_version < LATEST_VERSION:
            assert opened.migration.backup_path is not None
            assert opened.migration.backup_path.exists()
    finally:
        database.bind(None)


def test_fixtures_cover_every_schema_version() -> None:
    versions = {int(p.stem.removeprefix("otklik-v")) for p in FIXTURES.glob("otklik-v*.db")}
    assert versions == set(range(1, LATEST_VERSION + 1))


def test_a_newer_database_is_refused_untouched(office: Office) -> None:
    office.db.execute_sql(
        f'INSERT INTO "{VERSION_TABLE}" VALUES (?, ?, ?, ?)',
        (LATEST_VERSION + 1, "from the future", "2030-01-01", "9.9"),
    )
    database.bind(None)
    before = digest(office.path)
    with pytest.raises(SchemaTooNew) as caught:
        open_office(target(office.path))
    assert "более новой версией Отклика" in caught.value.user_message
    assert digest(office.path) == before


def test_a_text_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("это не база данных\n" * 50, encoding="utf-8")
    before = digest(path)
    with pytest.raises(NotAnOtklikDatabase) as caught:
        open_office(target(path))
    assert "не является базой данных Отклика" in caught.value.user_message
    assert digest(path) == before
    assert not Path(str(path) + "-journal").exists()


def test_another_programs_sqlite_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE contacts (name TEXT)")
    other.commit()
    other.close()
    before = digest(path)
    with pytest.raises(NotAnOtklikDatabase) as caught:
        open_office(target(path))
    assert "другой программы" in caught.value.user_message
    assert digest(path) == before


@pytest.mark.parametrize("read_only", ["file", "folder"])
def test_a_read_only_file_or_folder_is_refused_untouched(
    office: Office, monkeypatch: pytest.MonkeyPatch, read_only: str
) -> None:
    # os.access answers as a share with read-only rights would; chmod is no use as root (CI).
    database.bind(None)
    denied = office.path if read_only == "file" else office.path.parent
    real_access = os.access

    def access(path: object, mode: int) -> bool:
        if mode == os.W_OK and Path(str(path)) == denied:
            return False
        return real_access(path, mode)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", access)
    before = digest(office.path)
    with pytest.raises(DatabaseReadOnly) as caught:
        open_office(target(office.path))
    assert "только для чтения" in caught.value.user_message
    assert digest(office.path) == before


def test_an_unreachable_share_is_reported_as_unavailable(tmp_path: Path) -> None:
    with pytest.raises(DatabaseUnavailable) as caught:
        open_office(target(tmp_path / "no-such-share" / "otklik.db"))
    assert "недоступна" in caught.value.user_message
    assert not (tmp_path / "no-such-share").exists()


def test_a_missing_file_is_not_silently_created(tmp_path: Path) -> None:
    path = tmp_path / "otklik.db"
    with pytest.raises(DatabaseMissing) as caught:
        open_office(target(path))
    assert "не найден" in caught.value.user_message
    assert not path.exists()


def test_version_one_incidents_get_their_registration_moment(tmp_path: Path) -> None:
    copy = tmp_path / "otklik-v1.db"
    shutil.copy(FIXTURES / "otklik-v1.db", copy)
    open_office(target(copy))
    try:
        registered = {
            e.entity_id: e.at
            for e in AuditEvent.select().where(
                (AuditEvent.entity == "incident") & (AuditEvent.action == "register")
            )
        }
        incidents = list(Incident.select())
        assert incidents
        assert {i.id: i.registered_at for i in incidents} == registered
        assert not Step.select().where(Step.cancelled).exists()
    finally:
        database.bind(None)
