"""Online backups with the sqlite3 backup API, once a day, keeping the last N; and restore.

A backup copies `PAGES_PER_STEP` pages at a time. Between two steps it holds no lock, so a
colleague's write waits for one step at most. A write by another connection makes SQLite
start the copy over; after `MAX_RESTARTS` restarts the rest is copied in one step, which
holds the shared lock for the whole copy but is sure to finish. The copy is written under a
temporary name, checked with `PRAGMA integrity_check`, then renamed to
``otklik-YYYYMMDD-HHMMSS.db`` in the office's time zone (`setting.timezone`): the date in
the name is the office's date, the one the daily claim is made for.

"Once a day by the first workstation that starts": the day is claimed in a short
BEGIN IMMEDIATE transaction (setting ``last_backup_day``), so of all workstations starting
that morning exactly one wins; the copy itself runs outside any transaction, and a copy
that fails gives the day back.

Restore validates the offered file before touching anything, copies the current database
aside with the backup API, then copies the file into the live database with the backup API
as well: the change is one SQLite transaction, so other connections see the old or the new
database, never half of each.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from desktop.models import database
from desktop.models.database import BUSY_TIMEOUT_MS, run_write
from desktop.models.migrate import VERSION_TABLE
from desktop.models.migrations import LATEST_VERSION
from desktop.services.config import DatabaseTarget
from desktop.services.errors import (
    DatabaseMissing,
    DatabaseUnavailable,
    KnownDatabaseError,
    NotAnOtklikDatabase,
    SchemaTooNew,
)
from desktop.services.office import SQLITE_HEADER, Office, check_reachable
from desktop.services.settings import OfficeSettings, get_value, office_settings, put_value

log = logging.getLogger(__name__)

# 256 pages of 4 KiB: 1 MiB per step, a few milliseconds on a local disk and some tens of
# milliseconds over a LAN share; a writer waits at most that long.
PAGES_PER_STEP = 256
# Writes by other workstations restart a stepped copy; after this many it is done in one go.
MAX_RESTARTS = 3
# How long a copy or a restore waits for a lock another connection holds before giving up.
LOCK_WAIT_SECONDS = 60.0
# A temporary file this old is left over from a crashed backup and may be deleted.
STALE_PARTIAL_SECONDS = 24 * 60 * 60
_BUSY_PAUSE_SECONDS = 0.05

BACKUP_PATTERN = re.compile(r"^otklik-(?P<stamp>\d{8}-\d{6})(?:-(?P<n>[1-9]\d{0,3}))?\.db$")
_PARTIAL_PATTERN = re.compile(
    r"^otklik-\d{8}-\d{6}(?:-[1-9]\d{0,3})?\.db\.[0-9a-f]{8}\.part(?:-journal)?$"
)
_STAMP = "%Y%m%d-%H%M%S"
_LAST_DAY_KEY = "last_backup_day"
# Tables every schema version has; a file without them is not an Otklik database.
_REQUIRED_TABLES = frozenset({VERSION_TABLE, "setting", "employee", "audit_event"})
_VERSION_COLUMNS = frozenset({"version", "description", "applied_at", "app_version"})
_ROLLBACK_JOURNAL_FORMAT = b"\x01\x01"  # header bytes 18-19; b"\x02\x02" means WAL

Progress = Callable[[int, int], None]
"""Called between copy steps with (pages copied, pages in all)."""


class BackupError(KnownDatabaseError):
    """A backup or restore failed for a reason outside Otklik: the folder, the disk."""

    user_message = "Не удалось сделать резервную копию базы данных."


@dataclass(frozen=True)
class BackupFile:
    path: Path
    created_at: dt.datetime  # aware, UTC; read from the name, which is in office time
    size: int


class _LockTimeout(Exception):
    """Another connection held a lock for longer than `LOCK_WAIT_SECONDS`."""


class _TooManyRestarts(Exception):
    """Other workstations kept writing; the stepped copy gives way to a one-step copy."""


class _CopyDamaged(Exception):
    """The fresh copy failed `PRAGMA integrity_check`."""


# --- the copy ------------------------------------------------------------------------------


def _lock_timeout() -> float:
    return min(BUSY_TIMEOUT_MS / 1000, LOCK_WAIT_SECONDS)


def _online_copy(
    source: sqlite3.Connection,
    destination: sqlite3.Connection,
    *,
    pages: int,
    max_restarts: int | None,
    on_progress: Progress | None,
) -> None:
    """`source.backup(destination)`, bounded: no endless wait for a lock, no endless restarts."""
    last_remaining: int | None = None
    restarts = 0
    moved_at = time.monotonic()

    def progress(status: int, remaining: int, total: int) -> None:
        nonlocal last_remaining, restarts, moved_at
        now = time.monotonic()
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            # Python retries a busy step forever; a hung workstation must not hang us.
            if now - moved_at > LOCK_WAIT_SECONDS:
                raise _LockTimeout
            return
        moved_at = now
        # After a restart SQLite copies from page 1 again, so no fewer pages are left.
        restarted = last_remaining is not None and remaining >= last_remaining
        if status == sqlite3.SQLITE_OK and restarted:
            restarts += 1
            if max_restarts is not None and restarts > max_restarts:
                raise _TooManyRestarts
        last_remaining = remaining
        if on_progress is not None:
            on_progress(total - remaining, total)

    source.backup(destination, pages=pages, progress=progress, sleep=_BUSY_PAUSE_SECONDS)


def _verify(copy: sqlite3.Connection) -> None:
    try:
        rows = copy.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as exc:
        if database.is_retryable(exc):
            raise
        raise _CopyDamaged(str(exc)) from exc  # "database disk image is malformed"
    if [row[0] for row in rows] != ["ok"]:
        raise _CopyDamaged("; ".join(str(row[0]) for row in rows[:5])[:500])


def _copy_database(
    source_path: Path, destination: Path, *, verify: bool, on_progress: Progress | None = None
) -> None:
    """Online copy of `source_path` into `destination`; raises sqlite3/OS errors as they come.

    Plain paths, not `file:` URIs: SQLite's URI parser cannot express a UNC path.
    """
    source = sqlite3.connect(str(source_path), timeout=_lock_timeout())
    try:
        target = sqlite3.connect(str(destination), timeout=_lock_timeout())
        try:
            try:
                _online_copy(
                    source,
                    target,
                    pages=PAGES_PER_STEP,
                    max_restarts=MAX_RESTARTS,
                    on_progress=on_progress,
                )
            except _TooManyRestarts:
                log.info("%s keeps changing; copying the rest in one step", source_path)
                _online_copy(source, target, pages=-1, max_restarts=None, on_progress=on_progress)
            if verify:
                _verify(target)
        finally:
            target.close()
    finally:
        source.close()


def _remove_quietly(*paths: Path) -> None:
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:  # e.g. held open by an antivirus scanner on Windows
            log.warning("could not delete %s: %s", path, exc)


def _journal_of(path: Path) -> Path:
    return path.with_name(path.name + "-journal")


# --- names, listing, pruning ---------------------------------------------------------------


def _moment_of(name: str, zone: ZoneInfo) -> tuple[dt.datetime, int] | None:
    """(creation moment in UTC, collision number) for one of our names, else None."""
    match = BACKUP_PATTERN.match(name)
    if match is None:
        return None
    try:
        local = dt.datetime.strptime(match["stamp"], _STAMP)
    except ValueError:  # matches the digits but is no date, e.g. otklik-20261399-...
        return None
    return local.replace(tzinfo=zone).astimezone(dt.UTC), int(match["n"] or 0)


def _backups_in(folder: Path, zone: ZoneInfo) -> list[BackupFile]:
    """Otklik's own backups in `folder`, newest first; every other file is ignored."""
    found: list[tuple[int, BackupFile]] = []
    try:
        if not folder.is_dir():
            return []
        paths = list(folder.iterdir())
    except OSError as exc:
        raise BackupError(f"Папка резервных копий недоступна: {folder}.", detail=str(exc)) from exc
    for path in paths:
        parsed = _moment_of(path.name, zone)
        if parsed is None:
            continue
        try:
            if not path.is_file():
                continue
            size = path.stat().st_size
        except OSError:  # deleted meanwhile by another workstation's pruning
            continue
        found.append((parsed[1], BackupFile(path, parsed[0], size)))
    found.sort(key=lambda item: (item[1].created_at, item[0]), reverse=True)
    return [backup for _, backup in found]


def _free_name(folder: Path, now: dt.datetime) -> Path:
    base = f"otklik-{now.strftime(_STAMP)}"
    candidate = folder / f"{base}.db"
    n = 1
    while candidate.exists():
        candidate = folder / f"{base}-{n}.db"
        n += 1
    return candidate


def _prune(folder: Path, keep: int, fresh: Path, zone: ZoneInfo) -> list[Path]:
    """Keep `fresh` and the newest `keep - 1` other backups; delete the rest of ours only.

    Never fails: the copy is made, and a file another program holds open is tried again
    after the next backup.
    """
    try:
        others = [b.path for b in _backups_in(folder, zone) if b.path != fresh]
    except BackupError as exc:
        log.warning("pruning skipped: %s", exc)
        return []
    doomed = others[max(keep, 1) - 1 :]
    # Temporary files of copies that crashed long ago (never one still being written).
    cutoff = time.time() - STALE_PARTIAL_SECONDS
    try:
        for path in folder.iterdir():
            if _PARTIAL_PATTERN.match(path.name) and path.stat().st_mtime < cutoff:
                doomed.append(path)
    except OSError as exc:
        log.warning("could not look for stale temporary files in %s: %s", folder, exc)
    _remove_quietly(*doomed)
    return doomed


def _folder_of(office: Office, settings: OfficeSettings) -> Path:
    configured = settings.backup_dir.strip()
    base = office.path.parent
    return base / configured if configured else base / "backups"


def _zone_of(settings: OfficeSettings) -> ZoneInfo:
    try:
        return settings.zone
    except (LookupError, ValueError) as exc:  # ZoneInfoNotFoundError is a KeyError
        log.warning("office time zone unusable (%s); backup names use UTC", exc)
        return ZoneInfo("UTC")


def backup_folder(office: Office) -> Path:
    """`setting.backup_dir`, else ``backups`` beside the database.

    A relative setting is resolved against the database's folder, not the working directory,
    so every workstation writes to the same place.
    """
    return _folder_of(office, office_settings())


def list_backups(office: Office) -> list[BackupFile]:
    """The office's backups in its backup folder, newest first (for the administrator's view)."""
    settings = office_settings()
    return _backups_in(_folder_of(office, settings), _zone_of(settings))


# --- backup --------------------------------------------------------------------------------


def backup_now(
    office: Office,
    folder: Path | None = None,
    keep: int | None = None,
    *,
    on_progress: Progress | None = None,
) -> Path:
    """Copy the database into `folder` (the configured one by default), prune, return the copy.

    Raises `DatabaseUnavailable` when the database itself cannot be read (share gone, a lock
    held too long) and `BackupError` when the copy cannot be written or is not intact.
    """
    source = office.path
    settings = office_settings()
    folder = _folder_of(office, settings) if folder is None else folder
    keep = settings.backup_keep if keep is None else keep
    zone = _zone_of(settings)
    # sqlite3.connect creates a missing file: a vanished share must not become a backup.
    check_reachable(source)
    if not source.is_file():
        raise DatabaseUnavailable(f"Файл базы данных недоступен: {source}")
    try:
        # Never parents=True: on a vanished share that would build the path on a local disk.
        folder.mkdir(exist_ok=True)
        final = _free_name(folder, dt.datetime.now(zone))
        partial = final.with_name(f"{final.name}.{secrets.token_hex(4)}.part")
        try:
            _copy_database(source, partial, verify=True, on_progress=on_progress)
            partial.replace(final)
        except BaseException:
            _remove_quietly(partial, _journal_of(partial))
            raise
    except _LockTimeout as exc:
        raise DatabaseUnavailable(
            "Резервная копия не сделана: база данных слишком долго занята другим рабочим "
            "местом. Повторите позже.",
            detail=f"lock held for more than {LOCK_WAIT_SECONDS:.0f} s",
        ) from exc
    except _CopyDamaged as exc:
        raise BackupError(
            "Резервная копия не прошла проверку целостности и удалена. Возможно, база данных "
            "повреждена: проверьте её командой otklik-cli verify.",
            detail=str(exc),
        ) from exc
    except (OSError, sqlite3.Error) as exc:
        if not source.is_file():
            raise DatabaseUnavailable(
                f"Файл базы данных стал недоступен во время резервного копирования: {source}",
                detail=str(exc),
            ) from exc
        raise BackupError(
            f"Не удалось сделать резервную копию в папку {folder}. Проверьте, что папка "
            "доступна для записи и на диске есть место.",
            detail=str(exc),
        ) from exc
    deleted = _prune(folder, keep, final, zone)
    log.info("backup written to %s; %d old copies deleted", final, len(deleted))
    return final


def _day_value(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _claim_day(today: dt.date) -> tuple[bool, object]:
    """Mark `today` as taken, atomically across workstations; (claimed, previous value).

    A day more than one day ahead was written by a workstation with a wrong clock; it is
    overridden rather than allowed to stop backups until that date.
    """

    def claim() -> tuple[bool, object]:
        previous = get_value(_LAST_DAY_KEY)
        day = _day_value(previous)
        if day is not None and today <= day <= today + dt.timedelta(days=1):
            return False, previous
        put_value(_LAST_DAY_KEY, today.isoformat())
        return True, previous

    return run_write(claim)


def _release_day(today: dt.date, previous: object) -> None:
    """Give the day back, unless someone has since written another day."""

    def release() -> None:
        if get_value(_LAST_DAY_KEY) == today.isoformat():
            put_value(_LAST_DAY_KEY, previous)

    try:
        run_write(release)
    except KnownDatabaseError as exc:  # probably the same outage that broke the copy
        log.warning("could not give back the backup day %s: %s", today, exc)


def daily_backup_if_due(office: Office, today: dt.date | None = None) -> Path | None:
    """The first workstation to call this on an office day makes the copy; the others get None.

    `today` is the office's date (setting.timezone) unless given. A failed copy gives the day
    back so the next workstation that starts tries again, and raises a `KnownDatabaseError`.
    """
    if today is None:
        today = dt.datetime.now(_zone_of(office_settings())).date()
    claimed, previous = _claim_day(today)
    if not claimed:
        return None
    try:
        return backup_now(office)
    except BaseException:
        _release_day(today, previous)
        raise


# --- restore -------------------------------------------------------------------------------


def _read_header(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(100)
    except OSError as exc:
        raise DatabaseUnavailable(f"Не удалось прочитать файл {path}.", detail=str(exc)) from exc


def _not_ours(file: Path, detail: str = "") -> NotAnOtklikDatabase:
    return NotAnOtklikDatabase(
        f"Файл {file} не является резервной копией базы Отклика. Восстановление отменено, "
        "база данных не изменена.",
        detail=detail,
    )


def _damaged(file: Path, detail: str) -> NotAnOtklikDatabase:
    return NotAnOtklikDatabase(
        f"Файл {file} повреждён: проверка целостности не пройдена. Восстановление отменено, "
        "база данных не изменена.",
        detail=detail,
    )


def _tables(connection: sqlite3.Connection) -> set[str]:
    rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {str(row[0]) for row in rows}


def check_backup_file(file: Path) -> int:
    """Validate a file offered for restore without changing it; returns its schema version."""
    try:
        is_file = file.is_file()
    except OSError as exc:
        raise DatabaseUnavailable(f"Файл {file} недоступен.", detail=str(exc)) from exc
    if not is_file:
        raise DatabaseMissing(f"Файл резервной копии не найден: {file}")
    header = _read_header(file)
    if not header.startswith(SQLITE_HEADER):
        raise _not_ours(file, f"header {header[:16]!r}")
    if header[18:20] != _ROLLBACK_JOURNAL_FORMAT:
        # The backup API would carry the WAL flag into the live file: WAL breaks on a share.
        raise NotAnOtklikDatabase(
            f"Файл {file} сохранён в режиме WAL, который не работает на сетевой папке. "
            "Восстановление отменено, база данных не изменена.",
            detail=f"format bytes {header[18:20]!r}",
        )
    try:
        connection = sqlite3.connect(str(file), timeout=_lock_timeout())
    except sqlite3.Error as exc:
        raise DatabaseUnavailable(f"Не удалось открыть файл {file}.", detail=str(exc)) from exc
    try:
        connection.execute("PRAGMA query_only = 1")
        rows = connection.execute("PRAGMA integrity_check").fetchall()
        if [row[0] for row in rows] != ["ok"]:
            raise _damaged(file, "; ".join(str(row[0]) for row in rows[:5])[:500])
        tables = _tables(connection)
        if not tables.issuperset(_REQUIRED_TABLES):
            raise _not_ours(file, f"missing tables {sorted(_REQUIRED_TABLES - tables)}")
        columns = {
            str(row[1]) for row in connection.execute(f'PRAGMA table_info("{VERSION_TABLE}")')
        }
        if not columns.issuperset(_VERSION_COLUMNS):
            raise _not_ours(file, f"{VERSION_TABLE} columns {sorted(columns)}")
        row = connection.execute(f'SELECT max("version") FROM "{VERSION_TABLE}"').fetchone()
        version = int(row[0] or 0)
    except sqlite3.DatabaseError as exc:  # "file is not a database", "malformed", ...
        if database.is_retryable(exc):  # busy, or the share went away
            raise DatabaseUnavailable(f"Файл {file} недоступен.", detail=str(exc)) from exc
        if getattr(exc, "sqlite_errorcode", 0) & 0xFF == sqlite3.SQLITE_CORRUPT:
            raise _damaged(file, str(exc)) from exc
        raise _not_ours(file, str(exc)) from exc
    finally:
        connection.close()
    if version < 1:
        raise _not_ours(file, f"schema version {version}")
    if version > LATEST_VERSION:
        raise SchemaTooNew(
            f"Копия {file} сделана более новой версией Отклика (схема {version}, эта "
            f"программа знает схему до {LATEST_VERSION}). Обновите Отклик перед "
            "восстановлением; база данных не изменена.",
            detail=f"schema {version} > {LATEST_VERSION}",
        )
    return version


def _check_live(live: Path, location: str) -> None:
    """The file to be replaced exists and is not another program's database."""
    check_reachable(live)
    if not live.is_file():
        raise DatabaseMissing(
            f"Файл базы данных не найден: {location}. Восстанавливать некуда: проверьте путь "
            "или скопируйте файл резервной копии на место базы вручную."
        )
    header = _read_header(live)
    if header and not header.startswith(SQLITE_HEADER):
        raise NotAnOtklikDatabase(
            f"Файл {live} не является базой данных Отклика; восстановление в него отменено, "
            "файл не изменён.",
            detail=f"header {header[:16]!r}",
        )
    try:
        connection = sqlite3.connect(str(live), timeout=_lock_timeout())
        try:
            tables = _tables(connection)
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        if database.is_retryable(exc):
            raise DatabaseUnavailable(detail=str(exc)) from exc
        # A damaged Otklik database is what restore is for; it is kept aside, then replaced.
        log.warning("restoring over %s, whose schema cannot be read: %s", live, exc)
        return
    if tables - {"sqlite_sequence"} and VERSION_TABLE not in tables:
        raise NotAnOtklikDatabase(
            f"Файл {live} содержит базу данных другой программы; восстановление в него "
            "отменено, файл не изменён.",
            detail=f"tables: {sorted(tables)[:5]}",
        )


def _aside_name(live: Path) -> Path:
    # UTC, like the migration runner's copies beside it (otklik.db.v1-<UTC>.bak).
    stamp = dt.datetime.now(dt.UTC).strftime(_STAMP)
    candidate = live.with_name(f"{live.name}.before-restore-{stamp}.bak")
    n = 1
    while candidate.exists():
        candidate = live.with_name(f"{live.name}.before-restore-{stamp}-{n}.bak")
        n += 1
    return candidate


def restore(target: DatabaseTarget, file: Path) -> Path:
    """Replace the database's content with `file`; returns where the previous content went.

    Nothing is written unless `file` is an intact Otklik database no newer than this program.
    Works whether or not the models are bound to `target`. The restored file keeps its own
    schema version; the next `open_office` migrates it if it is older.
    """
    check_backup_file(file)
    live = target.path
    try:
        if file.resolve() == live.resolve():
            raise KnownDatabaseError(
                f"Файл {file} и есть текущая база данных; восстанавливать нечего."
            )
    except OSError as exc:
        raise DatabaseUnavailable(detail=str(exc)) from exc
    _check_live(live, target.location)
    aside = _aside_name(live)
    try:
        _copy_database(live, aside, verify=False)
    except _LockTimeout as exc:
        _remove_quietly(aside, _journal_of(aside))
        raise DatabaseUnavailable(
            "Восстановление отменено: база данных слишком долго занята другим рабочим местом. "
            "Закройте Отклик на всех рабочих местах и повторите; база данных не изменена.",
            detail=f"lock held for more than {LOCK_WAIT_SECONDS:.0f} s",
        ) from exc
    except (OSError, sqlite3.Error) as exc:
        _remove_quietly(aside, _journal_of(aside))
        if isinstance(exc, sqlite3.Error) and not database.is_retryable(exc):
            raise BackupError(
                f"Текущая база {live} повреждена так, что её нельзя скопировать. Закройте "
                "Отклик на всех рабочих местах, переименуйте этот файл и скопируйте файл "
                f"резервной копии {file} на его место вручную.",
                detail=str(exc),
            ) from exc
        raise BackupError(
            f"Не удалось сохранить копию текущей базы перед восстановлением ({aside}). "
            "Восстановление отменено, база данных не изменена.",
            detail=str(exc),
        ) from exc
    try:
        source = sqlite3.connect(str(file), timeout=_lock_timeout())
        try:
            destination = sqlite3.connect(str(live), timeout=_lock_timeout())
            try:
                # One step, one transaction on the live file: all of it or nothing.
                _online_copy(source, destination, pages=-1, max_restarts=None, on_progress=None)
            finally:
                destination.close()
        finally:
            source.close()
    except _LockTimeout as exc:
        # SQLite rolled the unfinished copy back: the live file is as it was.
        _remove_quietly(aside)
        raise DatabaseUnavailable(
            "Восстановление отменено: базу данных используют другие рабочие места. Закройте "
            "Отклик на всех рабочих местах и повторите; база данных не изменена.",
            detail=f"lock held for more than {LOCK_WAIT_SECONDS:.0f} s",
        ) from exc
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(
            f"Не удалось восстановить базу из {file}. Прежнее содержимое базы сохранено в {aside}.",
            detail=str(exc),
        ) from exc
    log.info("restored %s from %s; previous content in %s", live, file, aside)
    return aside
