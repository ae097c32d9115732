"""Online backups, once a day across workstations, pruning, and restore."""

from __future__ import annotations

import datetime as dt
import hashlib
import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from desktop import cli
from desktop.models import database
from desktop.models.entities import Department
from desktop.models.migrate import VERSION_TABLE
from desktop.models.migrations import LATEST_VERSION
from desktop.services import backup
from desktop.services.config import DatabaseTarget, TargetOrigin
from desktop.services.errors import DatabaseUnavailable, NotAnOtklikDatabase, SchemaTooNew
from desktop.services.office import Office, open_office

DAY = dt.date(2026, 11, 23)


def departments_in(path: Path) -> set[str]:
    connection = sqlite3.connect(path)
    try:
        return {row[0] for row in connection.execute("SELECT name FROM department")}
    finally:
        connection.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_backup_is_a_consistent_copy_taken_while_others_read(office: Office) -> None:
    Department.create(name="Отдел ЖКХ")
    reader = sqlite3.connect(office.path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM incident").fetchone()  # holds a SHARED lock
    try:
        copy = backup.backup_now(office)
    finally:
        reader.execute("COMMIT")
        reader.close()
    assert copy.parent == office.path.parent / "backups"
    assert backup.BACKUP_PATTERN.match(copy.name)
    assert departments_in(copy) == {"Отдел ЖКХ"}
    assert not list(copy.parent.glob("*.part"))


def test_pruning_keeps_the_newest_and_ignores_other_files(office: Office, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    for day in range(1, 6):
        (folder / f"otklik-202611{day:02d}-090000.db").write_bytes(b"x")
    (folder / "notes.txt").write_text("не трогать", encoding="utf-8")
    (folder / "otklik.db").write_bytes(b"not ours by name")
    made = backup.backup_now(office, folder, keep=3)
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(
        [
            made.name,
            "otklik-20261105-090000.db",
            "otklik-20261104-090000.db",
            "notes.txt",
            "otklik.db",
        ]
    )


def test_once_a_day(office: Office) -> None:
    assert backup.daily_backup_if_due(office, DAY) is not None
    assert backup.daily_backup_if_due(office, DAY) is None
    assert backup.daily_backup_if_due(office, DAY + dt.timedelta(days=1)) is not None
    assert len(backup.list_backups(backup.backup_folder(office))) == 2


def test_a_failed_copy_gives_the_day_back(office: Office, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: object) -> None:
        raise OSError("share full")

    monkeypatch.setattr(backup, "_copy", broken)
    with pytest.raises(DatabaseUnavailable, match="резервную копию"):
        backup.daily_backup_if_due(office, DAY)
    monkeypatch.undo()
    assert backup.daily_backup_if_due(office, DAY) is not None


def _race(path: str, data_dir: str, results: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    import os

    os.environ["OTKLIK_DATA_DIR"] = data_dir
    os.environ["OTKLIK_CONFIG_DIR"] = data_dir
    office = open_office(DatabaseTarget(path, TargetOrigin.COMMAND_LINE))
    made = backup.daily_backup_if_due(office, DAY)
    results.put(None if made is None else str(made))


def test_workstations_starting_together_make_one_backup(office: Office, tmp_path: Path) -> None:
    database.bind(None)
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    workers = [
        context.Process(target=_race, args=(str(office.path), str(tmp_path), results))
        for _ in range(4)
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=60) for _ in workers]
    for worker in workers:
        worker.join(30)
        assert worker.exitcode == 0
    assert sum(outcome is not None for outcome in outcomes) == 1
    assert len(list((office.path.parent / "backups").glob("otklik-*.db"))) == 1


def test_restore_round_trip(office: Office) -> None:
    Department.create(name="Было")
    copy = backup.backup_now(office)
    Department.create(name="Добавлено после копии")
    database.bind(None)
    aside = backup.restore(DatabaseTarget(str(office.path), TargetOrigin.COMMAND_LINE), copy)
    assert departments_in(office.path) == {"Было"}
    assert departments_in(aside) == {"Было", "Добавлено после копии"}


def _newer_copy(office: Office, tmp_path: Path) -> Path:
    copy = backup.backup_now(office, tmp_path / "b")
    connection = sqlite3.connect(copy)
    connection.execute(
        f'INSERT INTO "{VERSION_TABLE}" VALUES (?, ?, ?, ?)',
        (LATEST_VERSION + 1, "future", "2030-01-01", "9"),
    )
    connection.commit()
    connection.close()
    return copy


def _foreign_file(office: Office, tmp_path: Path) -> Path:
    path = tmp_path / "other.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE t (x)")
    connection.commit()
    connection.close()
    return path


def _text_file(office: Office, tmp_path: Path) -> Path:
    path = tmp_path / "otklik-20261101-000000.db"
    path.write_text("не база", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (_newer_copy, SchemaTooNew),
        (_foreign_file, NotAnOtklikDatabase),
        (_text_file, NotAnOtklikDatabase),
    ],
)
def test_restore_refuses_bad_files_and_touches_nothing(
    office: Office, tmp_path: Path, make: object, error: type[Exception]
) -> None:
    bad = make(office, tmp_path)  # type: ignore[operator]
    database.bind(None)
    before = digest(office.path)
    with pytest.raises(error):
        backup.restore(DatabaseTarget(str(office.path), TargetOrigin.COMMAND_LINE), bad)
    assert digest(office.path) == before
    assert not list(office.path.parent.glob("*.before-restore-*"))


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
    assert cli.main([*db, "restore", str(copy), "--yes"]) == cli.EXIT_OK
    assert departments_in(office.path) == {"Было"}


def test_a_vanished_share_is_not_recreated_by_the_backup(office: Office, tmp_path: Path) -> None:
    share = office.path.parent
    unplugged = share.with_name("unplugged")
    share.rename(unplugged)
    with pytest.raises(DatabaseUnavailable):
        backup.backup_now(office)
    assert not share.exists()
