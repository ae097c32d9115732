"""Online backups, once a day across workstations, pruning, and restore."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import multiprocessing
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from desktop import cli
from desktop.models import database
from desktop.models.entities import Department
from desktop.models.migrate import VERSION_TABLE
from desktop.models.migrations import LATEST_VERSION
from desktop.services import backup
from desktop.services.config import DatabaseTarget, TargetOrigin
from desktop.services.errors import (
    DatabaseMissing,
    DatabaseUnavailable,
    KnownDatabaseError,
    NotAnOtklikDatabase,
    SchemaTooNew,
)
from desktop.services.office import Office, open_office
from desktop.services.settings import get_value, set_values

DAY = dt.date(2026, 11, 23)
WAIT_S = 30.0  # the longest a test waits for another thread or process; never reached
MAX_LOAD_COMMITS = 5000  # a writer thread stops by itself, so no bug can make a test hang
WRITER_GAP_S = 0.001
WORKSTATIONS = 4
RACE_WINDOW_S = 0.3


# --- helpers -------------------------------------------------------------------------------


def departments_in(path: Path) -> set[str]:
    connection = sqlite3.connect(path)
    try:
        return {row[0] for row in connection.execute("SELECT name FROM department")}
    finally:
        connection.close()


def setting_keys_in(path: Path, prefix: str) -> set[str]:
    connection = sqlite3.connect(path)
    try:
        rows = connection.execute("SELECT key FROM setting WHERE key LIKE ?", (prefix + "%",))
        return {row[0] for row in rows}
    finally:
        connection.close()


def integrity(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return [row[0] for row in connection.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:  # too damaged even to list the damage
        return [str(exc)]
    finally:
        connection.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def target_of(office: Office) -> DatabaseTarget:
    return DatabaseTarget(str(office.path), TargetOrigin.COMMAND_LINE)


@contextmanager
def other_connection(path: Path) -> Iterator[sqlite3.Connection]:
    """Another workstation's connection: autocommit, explicit transactions."""
    connection = sqlite3.connect(path, isolation_level=None, timeout=5, check_same_thread=False)
    try:
        yield connection
    finally:
        connection.close()


def put_setting(connection: sqlite3.Connection, key: str, value: str = '"x"') -> None:
    connection.execute("BEGIN IMMEDIATE")
    connection.execute("INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)", (key, value))
    connection.execute("COMMIT")


def damage_an_index(path: Path) -> None:
    """Overwrite cell pointers of the department name index: integrity_check fails."""
    connection = sqlite3.connect(path)
    try:
        (page,) = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'department_name'"
        ).fetchone()
        (page_size,) = connection.execute("PRAGMA page_size").fetchone()
    finally:
        connection.close()
    with path.open("r+b") as handle:
        handle.seek((page - 1) * page_size + 8)
        handle.write(b"\xff" * 64)


def our_backups(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if backup.BACKUP_PATTERN.match(p.name))


# --- backup_now ----------------------------------------------------------------------------


def test_a_backup_is_an_intact_copy_of_committed_rows_while_others_read_and_write(
    office: Office,
) -> None:
    Department.create(name="Отдел ЖКХ")
    with other_connection(office.path) as reader, other_connection(office.path) as writer:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM department").fetchone()  # holds SHARED
        writer.execute("BEGIN IMMEDIATE")  # holds RESERVED with a change not yet committed
        writer.execute("INSERT INTO setting (key, value) VALUES ('uncommitted', '1')")
        try:
            copy = backup.backup_now(office)
        finally:
            writer.execute("ROLLBACK")
            reader.execute("COMMIT")
    assert copy.parent == office.path.parent / "backups"
    assert backup.BACKUP_PATTERN.match(copy.name)
    assert integrity(copy) == ["ok"]
    assert departments_in(copy) == {"Отдел ЖКХ"}
    assert setting_keys_in(copy, "uncommitted") == set()
    assert our_backups(copy.parent) == [copy]  # no temporary file left beside it
    assert sorted(p.name for p in copy.parent.iterdir()) == [copy.name]


def test_writes_between_steps_restart_the_copy_which_then_holds_them(
    office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backup, "PAGES_PER_STEP", 1)
    written: list[str] = []
    seen: list[tuple[int, int]] = []
    with other_connection(office.path) as writer:

        def write_twice(done: int, total: int) -> None:
            seen.append((done, total))
            if len(written) < 2:  # between two steps: the copy holds no lock now
                written.append(f"mid-{len(written)}")
                put_setting(writer, written[-1])

        copy = backup.backup_now(office, on_progress=write_twice)
    assert written == ["mid-0", "mid-1"]
    assert setting_keys_in(copy, "mid-") == {"mid-0", "mid-1"}  # the newest state
    assert integrity(copy) == ["ok"]
    assert seen[-1][0] == seen[-1][1]  # it finished
    assert any(later[0] <= earlier[0] for earlier, later in itertools.pairwise(seen))


def test_a_copy_restarted_too_often_finishes_in_one_step(
    office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backup, "PAGES_PER_STEP", 1)
    written: list[str] = []
    with other_connection(office.path) as writer:

        def write_always(done: int, total: int) -> None:
            if len(written) < 50:  # bounded, so a copy that never gives way fails, not hangs
                written.append(f"w-{len(written):03d}")
                put_setting(writer, written[-1])

        copy = backup.backup_now(office, on_progress=write_always)
    # Each write restarts the stepped copy; after MAX_RESTARTS the one-step copy runs, and
    # the write in its final progress call comes after it.
    assert len(written) == backup.MAX_RESTARTS + 2
    assert setting_keys_in(copy, "w-") == set(written[:-1])
    assert setting_keys_in(office.path, "w-") == set(written)
    assert integrity(copy) == ["ok"]


def test_a_backup_completes_and_is_consistent_while_another_thread_keeps_writing(
    office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A colleague commits all the time; after every step of the copy at least once more.

    Each write adds `load-N` and sets `count` to N in one transaction: a copy that mixed two
    moments of the file would break that.
    """
    monkeypatch.setattr(backup, "PAGES_PER_STEP", 4)
    stop = threading.Event()
    commits = 0
    changed = threading.Condition()
    failures: list[BaseException] = []

    def keep_writing() -> None:
        nonlocal commits
        try:
            with other_connection(office.path) as writer:
                while not stop.is_set() and commits < MAX_LOAD_COMMITS:
                    n = commits + 1
                    writer.execute("BEGIN IMMEDIATE")
                    writer.execute("INSERT INTO setting VALUES (?, ?)", (f"load-{n:05d}", "1"))
                    writer.execute("INSERT OR REPLACE INTO setting VALUES ('count', ?)", (n,))
                    writer.execute("COMMIT")
                    with changed:
                        commits = n
                        changed.notify_all()
                    # A workstation's pace, not synchronisation: with no gap at all between
                    # one writer's transactions every reader starves, a backup or not.
                    time.sleep(WRITER_GAP_S)
        except BaseException as exc:
            failures.append(exc)
            with changed:
                changed.notify_all()

    steps_overlapped = 0

    def after_each_step(done: int, total: int) -> None:
        nonlocal steps_overlapped
        if done == total:
            return
        with changed:  # the copy holds no lock now; it goes on after the next commit
            seen = commits
            assert changed.wait_for(lambda: commits > seen or failures, WAIT_S)
        steps_overlapped += 1

    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        with changed:
            assert changed.wait_for(lambda: commits > 0 or failures, WAIT_S)
            before = commits
        copy = backup.backup_now(office, on_progress=after_each_step)
        after = commits
    finally:
        stop.set()
        thread.join(WAIT_S)
    assert not failures
    assert steps_overlapped > backup.MAX_RESTARTS  # so the one-step fallback ran as well
    assert integrity(copy) == ["ok"]
    connection = sqlite3.connect(copy)
    try:
        (loads,) = connection.execute("SELECT count(*) FROM setting WHERE key LIKE 'load-%'")
        (count,) = connection.execute("SELECT value FROM setting WHERE key = 'count'")
    finally:
        connection.close()
    assert loads[0] == int(count[0])
    assert before + steps_overlapped <= loads[0] <= after


def test_a_lock_held_too_long_gives_up_with_a_russian_message(
    office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backup, "PAGES_PER_STEP", 1)
    monkeypatch.setattr(backup, "LOCK_WAIT_SECONDS", 0.2)
    folder = office.path.parent / "backups"
    with other_connection(office.path) as hog:

        def lock_everyone_out(done: int, total: int) -> None:
            if not hog.in_transaction:  # a colleague's transaction that never ends
                hog.execute("BEGIN EXCLUSIVE")

        try:
            with pytest.raises(DatabaseUnavailable, match="слишком долго занята"):
                backup.backup_now(office, folder, on_progress=lock_everyone_out)
        finally:
            hog.execute("ROLLBACK")
    assert list(folder.iterdir()) == []


def test_a_copy_that_fails_the_integrity_check_is_not_kept(office: Office) -> None:
    for n in range(20):
        Department.create(name=f"Отдел {n}")
    database.bind(None)
    damage_an_index(office.path)
    database.bind(database.make_sqlite_database(str(office.path)))
    folder = office.path.parent / "backups"
    with pytest.raises(backup.BackupError, match="проверку целостности"):
        backup.backup_now(office, folder)
    assert list(folder.iterdir()) == []


def test_an_unwritable_backup_folder_is_a_known_error(office: Office, tmp_path: Path) -> None:
    missing_parent = tmp_path / "no-such-share" / "backups"
    with pytest.raises(backup.BackupError, match="Не удалось сделать резервную копию") as info:
        backup.backup_now(office, missing_parent)
    assert isinstance(info.value, KnownDatabaseError)
    assert not missing_parent.parent.exists()  # never built on the local disk


def test_a_vanished_share_is_not_recreated_by_the_backup(office: Office) -> None:
    share = office.path.parent
    folder = share / "backups"
    share.rename(share.with_name("unplugged"))
    with pytest.raises(DatabaseUnavailable):
        backup.backup_now(office, folder)
    assert not share.exists()


def test_the_backup_folder_comes_from_the_settings(office: Office, tmp_path: Path) -> None:
    assert backup.backup_folder(office) == office.path.parent / "backups"
    set_values({"backup_dir": "копии"})  # relative: beside the database, on every workstation
    assert backup.backup_folder(office) == office.path.parent / "копии"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    set_values({"backup_dir": str(elsewhere)})
    assert backup.backup_folder(office) == elsewhere
    assert backup.backup_now(office).parent == elsewhere


def test_names_are_in_office_time_and_listed_newest_first(office: Office) -> None:
    zone = ZoneInfo("Asia/Vladivostok")
    set_values({"timezone": "Asia/Vladivostok", "backup_keep": 10})
    before = dt.datetime.now(zone).replace(microsecond=0)
    made = backup.backup_now(office)
    after = dt.datetime.now(zone)
    stamp = dt.datetime.strptime(made.name, "otklik-%Y%m%d-%H%M%S.db").replace(tzinfo=zone)
    assert before <= stamp <= after

    folder = backup.backup_folder(office)
    (folder / "otklik-20261101-090000.db").write_bytes(b"1")
    (folder / "otklik-20261101-090000-1.db").write_bytes(b"22")  # same second, made later
    (folder / "otklik-20261031-235959.db").write_bytes(b"333")
    (folder / "notes.txt").write_bytes(b"4444")
    listed = backup.list_backups(office)
    assert [b.path.name for b in listed] == [
        made.name,
        "otklik-20261101-090000-1.db",
        "otklik-20261101-090000.db",
        "otklik-20261031-235959.db",
    ]
    assert listed[1].created_at == dt.datetime(2026, 11, 1, 9, 0, tzinfo=zone)
    assert listed[1].created_at.tzinfo is dt.UTC
    assert listed[1].created_at.hour == 23  # 09:00 in Vladivostok is 23:00 UTC the day before
    assert [b.size for b in listed[1:]] == [2, 1, 3]
    assert listed[0].size == made.stat().st_size


def test_pruning_keeps_the_newest_n_of_ours_and_nothing_else_is_touched(
    office: Office, tmp_path: Path
) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    ours = [f"otklik-202611{day:02d}-090000.db" for day in range(1, 6)]
    for name in ours:
        (folder / name).write_bytes(b"old copy")
    foreign = [
        "notes.txt",
        "otklik.db",
        "otklik-20261101-090000.db.bak",
        "otklik-20261399-090000.db",  # looks like ours, but is no date
        "OTKLIK-20261101-090000.DB",
        "otklik-20261101-0900.db",
    ]
    for name in foreign:
        (folder / name).write_bytes(b"not ours")
    (folder / "otklik-20261001-090000.db").mkdir()  # a folder is never deleted
    stale = folder / "otklik-20261001-090000.db.0123abcd.part"
    stale.write_bytes(b"crashed")
    os.utime(stale, (0, 0))
    running = folder / "otklik-20261124-090000.db.89abcdef.part"  # another one in progress
    running.write_bytes(b"in progress")

    made = backup.backup_now(office, folder, keep=3)

    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [made.name, ours[4], ours[3], *foreign, "otklik-20261001-090000.db", running.name]
    )
    latest = backup.backup_now(office, folder, keep=1)
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [latest.name, *foreign, "otklik-20261001-090000.db", running.name]
    )


# --- daily_backup_if_due -------------------------------------------------------------------


def test_once_a_day(office: Office) -> None:
    first = backup.daily_backup_if_due(office, DAY)
    assert first is not None and first.exists()
    assert get_value("last_backup_day") == DAY.isoformat()
    assert backup.daily_backup_if_due(office, DAY) is None
    assert backup.daily_backup_if_due(office, DAY + dt.timedelta(days=1)) is not None
    assert len(backup.list_backups(office)) == 2


def test_a_day_written_by_a_wrong_clock_does_not_stop_backups(office: Office) -> None:
    set_values({"last_backup_day": "2031-01-01"})
    assert backup.daily_backup_if_due(office, DAY) is not None
    # A colleague whose clock is already past midnight: that is not a wrong clock.
    set_values({"last_backup_day": (DAY + dt.timedelta(days=1)).isoformat()})
    assert backup.daily_backup_if_due(office, DAY) is None
    set_values({"last_backup_day": "garbage"})
    assert backup.daily_backup_if_due(office, DAY) is not None


def test_a_failed_copy_gives_the_day_back(office: Office, tmp_path: Path) -> None:
    set_values({"last_backup_day": "2026-11-20"})
    set_values({"backup_dir": str(tmp_path / "unplugged" / "backups")})
    with pytest.raises(KnownDatabaseError) as info:
        backup.daily_backup_if_due(office, DAY)
    assert "резервную копию" in info.value.user_message
    assert get_value("last_backup_day") == "2026-11-20"
    set_values({"backup_dir": ""})
    made = backup.daily_backup_if_due(office, DAY)  # the next workstation that starts
    assert made is not None
    assert get_value("last_backup_day") == DAY.isoformat()


def _start_workstation(
    path: str, home: str, go: Any, read: Any, counted: Any, results: Any
) -> None:
    """A workstation process: open the office, wait for the common start, try the backup.

    Between reading `last_backup_day` and claiming it, each one lingers until every
    workstation has read it too (or RACE_WINDOW_S passes): a claim that is not one
    BEGIN IMMEDIATE transaction would let all of them through. With the real claim the
    others cannot even read until the first one commits, so the window just runs out.
    """
    os.environ["OTKLIK_DATA_DIR"] = home
    os.environ["OTKLIK_CONFIG_DIR"] = home
    office = open_office(DatabaseTarget(path, TargetOrigin.COMMAND_LINE))

    def get_value_slowly(key: str) -> Any:
        value = get_value(key)
        if key == "last_backup_day" and value != DAY.isoformat():
            with counted:
                read.value += 1
                counted.notify_all()
                counted.wait_for(lambda: read.value >= WORKSTATIONS, RACE_WINDOW_S)
        return value

    vars(backup)["get_value"] = get_value_slowly  # this process only
    assert go.wait(WAIT_S)
    made = backup.daily_backup_if_due(office, DAY)
    results.put(None if made is None else str(made))


def test_workstations_starting_together_make_one_backup(office: Office, tmp_path: Path) -> None:
    database.bind(None)
    context = multiprocessing.get_context("spawn")
    go = context.Event()
    read = context.Value("i", 0, lock=False)
    counted = context.Condition()
    results = context.Queue()
    workers = [
        context.Process(
            target=_start_workstation,
            args=(str(office.path), str(tmp_path), go, read, counted, results),
        )
        for _ in range(WORKSTATIONS)
    ]
    for worker in workers:
        worker.start()
    go.set()
    outcomes = [results.get(timeout=WAIT_S) for _ in workers]
    for worker in workers:
        worker.join(WAIT_S)
        assert worker.exitcode == 0
    made = [outcome for outcome in outcomes if outcome is not None]
    assert len(made) == 1
    assert our_backups(office.path.parent / "backups") == [Path(made[0])]
    assert read.value == 1  # the others never saw the day unclaimed


# --- restore -------------------------------------------------------------------------------


def test_restore_round_trip_with_the_models_unbound(office: Office) -> None:
    Department.create(name="Было")
    copy = backup.backup_now(office)
    Department.create(name="Добавлено после копии")
    database.bind(None)
    aside = backup.restore(target_of(office), copy)
    assert departments_in(office.path) == {"Было"}
    assert departments_in(aside) == {"Было", "Добавлено после копии"}
    assert aside.parent == office.path.parent
    assert aside.name.startswith("otklik.db.before-restore-") and aside.suffix == ".bak"
    assert integrity(office.path) == ["ok"]


def test_restore_while_the_models_are_bound_to_the_database(office: Office) -> None:
    Department.create(name="Было")
    copy = backup.backup_now(office)
    Department.create(name="Добавлено после копии")
    assert {d.name for d in Department.select()} == {"Было", "Добавлено после копии"}
    backup.restore(target_of(office), copy)
    assert {d.name for d in Department.select()} == {"Было"}  # the bound models see it


def test_restore_over_a_damaged_database(office: Office) -> None:
    Department.create(name="Было")
    copy = backup.backup_now(office)
    for n in range(20):
        Department.create(name=f"Отдел {n}")
    database.bind(None)
    damage_an_index(office.path)
    aside = backup.restore(target_of(office), copy)
    assert integrity(aside) != ["ok"]  # what was there, damage and all
    connection = sqlite3.connect(aside)
    try:
        rows = connection.execute("SELECT name FROM department NOT INDEXED").fetchall()
    finally:
        connection.close()
    assert len(rows) == 21
    assert integrity(office.path) == ["ok"]
    assert departments_in(office.path) == {"Было"}


def _newer_schema(office: Office, tmp_path: Path) -> Path:
    copy = backup.backup_now(office, tmp_path / "b")
    connection = sqlite3.connect(copy)
    connection.execute(
        f'INSERT INTO "{VERSION_TABLE}" VALUES (?, ?, ?, ?)',
        (LATEST_VERSION + 1, "future", "2030-01-01", "9"),
    )
    connection.commit()
    connection.close()
    return copy


def _foreign_sqlite(office: Office, tmp_path: Path) -> Path:
    path = tmp_path / "other.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE t (x)")
    connection.commit()
    connection.close()
    return path


def _foreign_with_schema_version(office: Office, tmp_path: Path) -> Path:
    path = tmp_path / "other-app.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE schema_version (version INTEGER)")
    connection.execute("INSERT INTO schema_version VALUES (1)")
    connection.commit()
    connection.close()
    return path


def _empty_sqlite(office: Office, tmp_path: Path) -> Path:
    path = tmp_path / "empty.db"
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA user_version = 1")  # writes the header, no tables
    connection.close()
    return path


def _text_file(office: Office, tmp_path: Path) -> Path:
    path = tmp_path / "otklik-20261101-000000.db"
    path.write_text("не база", encoding="utf-8")
    return path


def _damaged_copy(office: Office, tmp_path: Path) -> Path:
    for n in range(20):
        Department.create(name=f"Отдел {n}")
    copy = backup.backup_now(office, tmp_path / "b")
    damage_an_index(copy)
    return copy


def _unreadable_copy(office: Office, tmp_path: Path) -> Path:
    copy = backup.backup_now(office, tmp_path / "b")
    with copy.open("r+b") as handle:  # the cell pointers of the schema table itself
        handle.seek(100 + 12)
        handle.write(b"\xff" * 32)
    return copy


def _only_a_version_table(office: Office, tmp_path: Path) -> Path:
    path = tmp_path / "half.db"
    connection = sqlite3.connect(path)
    connection.execute(
        f'CREATE TABLE "{VERSION_TABLE}" (version INTEGER PRIMARY KEY, description TEXT, '
        "applied_at TEXT, app_version TEXT)"
    )
    connection.execute(f'INSERT INTO "{VERSION_TABLE}" VALUES (1, "initial", "", "0.1")')
    connection.commit()
    connection.close()
    return path


def _wal_copy(office: Office, tmp_path: Path) -> Path:
    copy = backup.backup_now(office, tmp_path / "b")
    connection = sqlite3.connect(copy)
    connection.execute("PRAGMA journal_mode = wal")
    connection.close()
    return copy


def _missing(office: Office, tmp_path: Path) -> Path:
    return tmp_path / "no-such-copy.db"


@pytest.mark.parametrize(
    ("make", "error", "words"),
    [
        (_newer_schema, SchemaTooNew, "более новой версией"),
        (_foreign_sqlite, NotAnOtklikDatabase, "не является резервной копией"),
        (_foreign_with_schema_version, NotAnOtklikDatabase, "не является резервной копией"),
        (_empty_sqlite, NotAnOtklikDatabase, "не является резервной копией"),
        (_text_file, NotAnOtklikDatabase, "не является резервной копией"),
        (_only_a_version_table, NotAnOtklikDatabase, "не является резервной копией"),
        (_damaged_copy, NotAnOtklikDatabase, "повреждён"),
        (_unreadable_copy, NotAnOtklikDatabase, "повреждён"),
        (_wal_copy, NotAnOtklikDatabase, "WAL"),
        (_missing, DatabaseMissing, "не найден"),
    ],
)
def test_restore_refuses_bad_files_and_touches_nothing(
    office: Office,
    tmp_path: Path,
    make: Callable[[Office, Path], Path],
    error: type[KnownDatabaseError],
    words: str,
) -> None:
    bad = make(office, tmp_path)
    database.bind(None)
    before = digest(office.path)
    offered = digest(bad) if bad.exists() else None
    with pytest.raises(error) as info:
        backup.restore(target_of(office), bad)
    assert words in info.value.user_message
    assert digest(office.path) == before
    assert (digest(bad) if bad.exists() else None) == offered
    assert [p.name for p in office.path.parent.iterdir()] == ["otklik.db"]  # no copy aside


def test_restore_never_overwrites_another_programs_file(office: Office, tmp_path: Path) -> None:
    copy = backup.backup_now(office)
    database.bind(None)
    foreign = _foreign_sqlite(office, tmp_path)
    before = digest(foreign)
    with pytest.raises(NotAnOtklikDatabase, match="другой программы"):
        backup.restore(DatabaseTarget(str(foreign), TargetOrigin.COMMAND_LINE), copy)
    assert digest(foreign) == before
    assert not list(tmp_path.glob("*.before-restore-*"))


def test_restore_waits_for_others_then_gives_up_with_the_database_unchanged(
    office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    Department.create(name="Было")
    copy = backup.backup_now(office)
    Department.create(name="Новое")
    database.bind(None)
    monkeypatch.setattr(backup, "LOCK_WAIT_SECONDS", 0.2)
    before = digest(office.path)
    with other_connection(office.path) as reader:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM department").fetchone()  # a colleague reading
        try:
            with pytest.raises(DatabaseUnavailable, match="Закройте Отклик"):
                backup.restore(target_of(office), copy)
        finally:
            reader.execute("COMMIT")
    assert digest(office.path) == before
    assert not list(office.path.parent.glob("*.before-restore-*"))


def test_restore_from_a_path_with_spaces_and_cyrillic(office: Office, tmp_path: Path) -> None:
    Department.create(name="Было")
    folder = tmp_path / "копии #1 50%"
    folder.mkdir()
    copy = backup.backup_now(office, folder)
    Department.create(name="Новое")
    database.bind(None)
    backup.restore(target_of(office), copy)
    assert departments_in(office.path) == {"Было"}


# --- the command line ----------------------------------------------------------------------


def test_cli_backup_and_guarded_restore(
    office: Office, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Department.create(name="Было")
    db = ["--db", str(office.path)]
    assert cli.main([*db, "backup", "--to", str(tmp_path / "copies")]) == cli.EXIT_OK
    (copy,) = (tmp_path / "copies").glob("otklik-*.db")
    assert str(copy) in capsys.readouterr().out
    Department.create(name="Новое")
    database.bind(None)
    before = digest(office.path)

    assert cli.main([*db, "restore", str(copy)]) == cli.EXIT_REFUSED
    assert "--yes" in capsys.readouterr().out
    assert digest(office.path) == before

    text = tmp_path / "not-a-backup.db"
    text.write_text("не база", encoding="utf-8")
    assert cli.main([*db, "restore", str(text), "--yes"]) == cli.EXIT_REFUSED
    assert "не является резервной копией" in capsys.readouterr().err
    assert digest(office.path) == before

    assert cli.main([*db, "restore", str(copy), "--yes"]) == cli.EXIT_OK
    out = capsys.readouterr().out
    assert "before-restore" in out
    assert departments_in(office.path) == {"Было"}
