"""The SQLite connection rules for a network share, retries, and optimistic concurrency."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
import time
from pathlib import Path

import peewee
import pytest

from desktop.models import database
from desktop.models.base import update_versioned
from desktop.models.entities import Department, Incident
from desktop.models.enums import Network
from desktop.models.errors import (
    ConflictError,
    DatabaseBug,
    DatabaseReadOnly,
    DatabaseUnavailable,
    NotAnOtklikDatabase,
)
from desktop.models.fields import UtcDateTimeField
from desktop.services.office import Office


def pragma(office: Office, name: str) -> object:
    return office.db.execute_sql(f"PRAGMA {name}").fetchone()[0]


def test_pragmas_for_a_network_share(office: Office) -> None:
    assert pragma(office, "journal_mode") == "delete"
    assert pragma(office, "synchronous") == 2  # FULL
    assert pragma(office, "foreign_keys") == 1
    assert pragma(office, "busy_timeout") == database.BUSY_TIMEOUT_MS


def test_busy_timeout_is_the_first_pragma() -> None:
    names = [name for name, _ in database.sqlite_pragmas()]
    assert names[0] == "busy_timeout"
    assert names.index("journal_mode") > 0


def test_write_transactions_begin_immediate(office: Office) -> None:
    statements: list[str] = []
    office.db.connection().set_trace_callback(statements.append)
    try:
        database.run_write(lambda: Department.create(name="Отдел ЖКХ"))
    finally:
        office.db.connection().set_trace_callback(None)
    assert statements[0] == "BEGIN IMMEDIATE"
    assert statements[-1] == "COMMIT"


def test_nested_writes_join_the_outer_transaction(office: Office) -> None:
    def outer() -> None:
        Department.create(name="А")
        database.run_write(lambda: Department.create(name="Б"))
        raise RuntimeError("roll everything back")

    with pytest.raises(RuntimeError):
        database.run_write(outer)
    assert Department.select().count() == 0


def _hold_write_lock(path: Path, release: threading.Event, locked: threading.Event) -> None:
    other = sqlite3.connect(str(path), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute(
        "INSERT INTO department (version, updated_at, updated_by, name, short_name, kind,"
        " email, phone, active, sort_order) VALUES (1, '2026-01-01 00:00:00.000000', '',"
        " 'Чужой', '', 'sectoral', '', '', 1, 0)"
    )
    locked.set()
    release.wait(10)
    other.execute("COMMIT")
    other.close()


def test_a_locked_database_is_waited_for_not_reported(office: Office) -> None:
    # A tiny busy_timeout: SQLite alone would give up after 10 ms, so succeeding after the
    # other workstation held the lock for half a second proves the retry loop did the work.
    office.db.execute_sql("PRAGMA busy_timeout = 10")
    release, locked = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(office.path, release, locked))
    holder.start()
    assert locked.wait(5)
    releaser = threading.Timer(0.5, release.set)
    releaser.start()
    started = time.monotonic()
    database.run_write(lambda: Department.create(name="Наш"))
    waited = time.monotonic() - started
    holder.join(5)
    assert waited >= 0.4
    assert {d.name for d in Department.select()} == {"Чужой", "Наш"}


def test_a_lock_held_too_long_becomes_a_known_error(
    office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    office.db.execute_sql("PRAGMA busy_timeout = 10")
    monkeypatch.setattr(database, "RETRY_BUDGET_SECONDS", 0.3)
    release, locked = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(office.path, release, locked))
    holder.start()
    assert locked.wait(5)
    try:
        with pytest.raises(DatabaseUnavailable) as caught:
            database.run_write(lambda: Department.create(name="Наш"))
    finally:
        release.set()
        holder.join(5)
    assert "недоступна" in caught.value.user_message
    assert Department.select().where(Department.name == "Наш").count() == 0


def test_bugs_are_not_retried_and_are_classified(office: Office) -> None:
    calls: list[int] = []

    def broken() -> None:
        calls.append(1)
        office.db.execute_sql("SELECT * FROM no_such_table")

    with pytest.raises(DatabaseBug):
        database.run_write(broken)
    assert calls == [1]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (sqlite3.SQLITE_BUSY, DatabaseUnavailable),
        (sqlite3.SQLITE_IOERR, DatabaseUnavailable),
        (sqlite3.SQLITE_READONLY, DatabaseReadOnly),
        (sqlite3.SQLITE_NOTADB, NotAnOtklikDatabase),
        (sqlite3.SQLITE_CONSTRAINT, DatabaseBug),
    ],
)
def test_classify_by_sqlite_code(code: int, expected: type[Exception]) -> None:
    error = sqlite3.OperationalError("boom")
    error.sqlite_errorcode = code
    wrapped = peewee.OperationalError(error, "boom")
    assert isinstance(database.classify(wrapped), expected)


def test_utc_field_refuses_naive_datetimes() -> None:
    field = UtcDateTimeField()
    field.name = "detected_at"
    with pytest.raises(ValueError, match="naive"):
        field.db_value(dt.datetime(2026, 1, 1, 12, 0))
    moscow = dt.timezone(dt.timedelta(hours=3))
    stored = field.db_value(dt.datetime(2026, 1, 1, 12, 0, tzinfo=moscow))
    assert stored == "2026-01-01 09:00:00.000000"
    assert field.python_value(stored) == dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.UTC)


def _incident() -> Incident:
    return Incident.create(
        number=1, network=Network.VK, text="Нет света", detected_at=dt.datetime.now(dt.UTC)
    )


def test_versioned_update_raises_conflict_naming_the_winner(office: Office) -> None:
    incident = _incident()
    assert update_versioned(Incident, incident.id, 1, {"note": "первый"}, "petrova") == 2
    with pytest.raises(ConflictError) as caught:
        update_versioned(
            Incident,
            incident.id,
            1,
            {"note": "второй"},
            "sidorov",
            describe_actor=lambda login: {"petrova": "Петрова Анна"}[login],
        )
    error = caught.value
    assert error.changed_by == "Петрова Анна"
    assert error.current_version == 2
    assert error.changed_at is not None
    assert error.user_message.startswith("Карточку изменил(а) Петрова Анна в ")
    assert error.user_message.endswith("— обновить?")
    assert Incident.get_by_id(incident.id).note == "первый"


def test_a_failed_commit_is_classified_by_its_cause_not_the_failed_rollback() -> None:
    io_error = sqlite3.OperationalError("disk I/O error")
    io_error.sqlite_errorcode = sqlite3.SQLITE_IOERR
    rollback_error = sqlite3.OperationalError("cannot rollback - no transaction is active")
    rollback_error.sqlite_errorcode = sqlite3.SQLITE_ERROR
    try:
        try:
            raise peewee.OperationalError(io_error, "disk I/O error")
        except peewee.OperationalError:
            raise peewee.OperationalError(rollback_error, str(rollback_error)) from None
    except peewee.OperationalError as raised:
        # `from None` hides the context from tracebacks but keeps __context__ set.
        assert database.is_retryable(raised)
        assert isinstance(database.classify(raised), DatabaseUnavailable)
