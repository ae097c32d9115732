"""Online backups with the sqlite3 backup API, once a day, keeping the last N; and restore.

A backup copies pages in small steps so other workstations are never blocked for long; the
copy is written under a temporary name, checked with `PRAGMA integrity_check`, then renamed.
The day is claimed in a BEGIN IMMEDIATE transaction, so of all workstations starting that
morning exactly one makes the copy.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from desktop.models.database import run_write
from desktop.models.migrate import VERSION_TABLE
from desktop.models.migrations import LATEST_VERSION
from desktop.services.config import DatabaseTarget
from desktop.services.errors import (
    DatabaseMissing,
    DatabaseUnavailable,
    NotAnOtklikDatabase,
    SchemaTooNew,
)
from desktop.services.office import SQLITE_HEADER, Office
from desktop.services.settings import get_value, office_settings, put_value

log = logging.getLogger(__name__)

PAGES_PER_STEP = 256
BACKUP_PATTERN = re.compile(r"^otklik-(\d{8})-(\d{6})(?:-\d+)?\.db$")
_STAMP = "%Y%m%d-%H%M%S"


@dataclass(frozen=True)
class BackupFile:
    path: Path
    created_at: dt.datetime  # UTC, from the name
    size: int


def backup_folder(office: Office) -> Path:
    configured = office_settings().backup_dir.strip()
    return Path(configured) if configured else office.path.parent / "backups"


def _copy(source_path: Path, destination: Path) -> None:
    """Online copy of `source_path` into a new file `destination` (sqlite3 backup API)."""
    # sqlite3.connect creates a missing file: a vanished share must not become an empty copy.
    if not source_path.is_file():
        raise DatabaseUnavailable(f"Файл базы данных недоступен: {source_path}")
    source = sqlite3.connect(str(source_path), timeout=30)
    try:
        target = sqlite3.connect(str(destination))
        try:
            source.backup(target, pages=PAGES_PER_STEP)
            result = target.execute("PRAGMA integrity_check").fetchone()[0]
            if result != "ok":
                raise DatabaseUnavailable(
                    "Резервная копия не прошла проверку целостности.", detail=str(result)
                )
        finally:
            target.close()
    finally:
        source.close()


def _free_name(folder: Path, now: dt.datetime) -> Path:
    base = f"otklik-{now.strftime(_STAMP)}"
    candidate = folder / f"{base}.db"
    n = 1
    while candidate.exists():
        candidate = folder / f"{base}-{n}.db"
        n += 1
    return candidate


def list_backups(folder: Path) -> list[BackupFile]:
    """Otklik's own backups in `folder`, newest first; other files are ignored."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = BACKUP_PATTERN.match(path.name)
        if match and path.is_file():
            created = dt.datetime.strptime(f"{match[1]}-{match[2]}", _STAMP).replace(tzinfo=dt.UTC)
            found.append(BackupFile(path, created, path.stat().st_size))
    return sorted(found, key=lambda b: (b.created_at, b.path.name), reverse=True)


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` of Otklik's backups; returns what was deleted."""
    doomed = [b.path for b in list_backups(folder)[max(keep, 1) :]]
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


def backup_now(office: Office, folder: Path | None = None, keep: int | None = None) -> Path:
    """Copy the database into `folder` (the configured one by default) and prune old copies."""
    folder = folder or backup_folder(office)
    keep = keep if keep is not None else office_settings().backup_keep
    now = dt.datetime.now(dt.UTC)
    try:
        # Never parents=True: on a vanished share that would build the path on a local disk.
        folder.mkdir(exist_ok=True)
        final = _free_name(folder, now)
        partial = final.with_name(final.name + ".part")
        _copy(office.path, partial)
        partial.replace(final)
    except (OSError, sqlite3.Error) as exc:
        raise DatabaseUnavailable(
            f"Не удалось сделать резервную копию в папку {folder}.", detail=str(exc)
        ) from exc
    prune(folder, keep)
    log.info("backup written to %s", final)
    return final


def _claim_day(today: dt.date) -> str | None:
    """Mark `today` as taken; None if another workstation already did, else the old value."""

    def claim() -> str | None:
        previous = str(get_value("last_backup_day") or "")
        if previous >= today.isoformat():
            return None
        put_value("last_backup_day", today.isoformat())
        return previous

    return run_write(claim)


def daily_backup_if_due(office: Office, today: dt.date | None = None) -> Path | None:
    """The first workstation to start each day makes the copy; the others get None."""
    today = today or dt.datetime.now(office_settings().zone).date()
    previous = _claim_day(today)
    if previous is None:
        return None
    try:
        return backup_now(office)
    except Exception:
        # Give the day back so the next workstation that starts can try again.
        run_write(lambda: put_value("last_backup_day", previous))
        raise


def _schema_version_of(path: Path) -> int:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        if connection.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise NotAnOtklikDatabase(f"Файл {path} повреждён: проверка целостности не пройдена.")
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        if VERSION_TABLE not in tables:
            raise NotAnOtklikDatabase(f"Файл {path} не является резервной копией Отклика.")
        row = connection.execute(f'SELECT max("version") FROM "{VERSION_TABLE}"').fetchone()
        return int(row[0] or 0)
    except sqlite3.DatabaseError as exc:
        raise NotAnOtklikDatabase(
            f"Файл {path} не является резервной копией Отклика.", detail=str(exc)
        ) from exc
    finally:
        connection.close()


def check_backup_file(file: Path) -> int:
    """Validate a file offered for restore, touching nothing; returns its schema version."""
    if not file.is_file():
        raise DatabaseMissing(f"Файл резервной копии не найден: {file}")
    with file.open("rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise NotAnOtklikDatabase(f"Файл {file} не является резервной копией Отклика.")
    version = _schema_version_of(file)
    if version > LATEST_VERSION:
        raise SchemaTooNew(
            f"Копия {file} сделана более новой версией Отклика (схема {version}); "
            "обновите Отклик перед восстановлением. База данных не изменена."
        )
    return version


def restore(target: DatabaseTarget, file: Path) -> Path:
    """Replace the database's content with `file`; the current content is kept aside first."""
    check_backup_file(file)
    live = target.path
    if not live.exists():
        raise DatabaseMissing(f"Файл базы данных не найден: {target.location}")
    stamp = dt.datetime.now(dt.UTC).strftime(_STAMP)
    aside = live.with_name(f"{live.name}.before-restore-{stamp}.bak")
    try:
        _copy(live, aside)
        source = sqlite3.connect(str(file))
        try:
            destination = sqlite3.connect(str(live), timeout=30)
            try:
                # Into the live file through SQLite: other connections see either the old
                # or the new database, never a half-copied file.
                source.backup(destination)
            finally:
                destination.close()
        finally:
            source.close()
    except (OSError, sqlite3.Error) as exc:
        raise DatabaseUnavailable(
            f"Не удалось восстановить базу из {file}: {exc}. Прежняя база не изменена.",
            detail=str(exc),
        ) from exc
    log.info("restored %s from %s; previous content in %s", live, file, aside)
    return aside
