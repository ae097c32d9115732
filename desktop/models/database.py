"""The SQLite connection for a file on a network share, and the retry loop around it.

Rules that keep five to thirty workstations on one file safe (see docs/ARCHITECTURE.md):
- rollback journal (DELETE), never WAL: WAL's shared memory does not work over SMB;
- busy_timeout first, before any other pragma, so even the pragmas wait for locks;
- synchronous=FULL and foreign_keys=ON;
- every write transaction starts with BEGIN IMMEDIATE: a deferred transaction that reads
  before it writes cannot be rescued by busy_timeout and fails at once with "locked";
- "database is locked" and transient I/O errors are retried here with backoff, so the
  layers above see either a result or a `KnownDatabaseError`, never a raw sqlite error.
"""

from __future__ import annotations

import functools
import logging
import random
import sqlite3
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import peewee

from desktop.models.errors import (
    DatabaseBug,
    DatabaseReadOnly,
    DatabaseUnavailable,
    KnownDatabaseError,
    NotAnOtklikDatabase,
    OtklikDatabaseError,
)

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

BUSY_TIMEOUT_MS = 5000
RETRY_BUDGET_SECONDS = 30.0
_FIRST_BACKOFF_SECONDS = 0.02
_MAX_BACKOFF_SECONDS = 1.0

database_proxy = peewee.DatabaseProxy()

_RETRYABLE_CODES = frozenset(
    {
        sqlite3.SQLITE_BUSY,
        sqlite3.SQLITE_LOCKED,
        sqlite3.SQLITE_IOERR,
        sqlite3.SQLITE_PROTOCOL,
        sqlite3.SQLITE_CANTOPEN,
    }
)


def sqlite_pragmas() -> list[tuple[str, object]]:
    # Order matters: busy_timeout must be in force before journal_mode touches the file.
    return [
        ("busy_timeout", BUSY_TIMEOUT_MS),
        ("journal_mode", "delete"),
        ("synchronous", "full"),
        ("foreign_keys", 1),
        ("temp_store", "memory"),
        ("cache_size", -16000),
    ]


def make_sqlite_database(path: str) -> peewee.SqliteDatabase:
    """An unconnected peewee database for `path` (a local, mapped-drive or UNC path)."""
    return peewee.SqliteDatabase(
        path,
        pragmas=sqlite_pragmas(),
        lock_type="IMMEDIATE",
        timeout=BUSY_TIMEOUT_MS / 1000,
        check_same_thread=False,
    )


def bind(db: peewee.Database | None) -> None:
    """Point every model at `db` (None unbinds, e.g. when going offline)."""
    if database_proxy.obj is not None and database_proxy.obj is not db:
        database_proxy.obj.close()
    database_proxy.initialize(db)


def bound_database() -> peewee.Database:
    db = database_proxy.obj
    if db is None:
        raise DatabaseUnavailable(detail="no database is bound")
    return db  # type: ignore[no-any-return]


def sqlite_error_of(exc: BaseException) -> sqlite3.Error | None:
    """The sqlite3 error behind a peewee error (peewee keeps it as `orig`)."""
    if isinstance(exc, sqlite3.Error):
        return exc
    orig = getattr(exc, "orig", None)
    if isinstance(orig, sqlite3.Error):
        return orig
    for arg in getattr(exc, "args", ()):
        if isinstance(arg, sqlite3.Error):
            return arg
    return None


def _sqlite_errors(exc: BaseException) -> list[sqlite3.Error]:
    """The sqlite3 errors along the exception's context chain, outermost first.

    A COMMIT that fails with an I/O error makes SQLite roll back by itself; peewee's own
    ROLLBACK then fails with "no transaction is active", which hides the real cause in its
    context. The chain is walked so the cause decides.
    """
    found: list[sqlite3.Error] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen and len(seen) < 10:
        seen.add(id(current))
        error = sqlite_error_of(current)
        if error is not None and all(error is not f for f in found):
            found.append(error)
        current = current.__cause__ or current.__context__
    return found


def _primary_code(error: sqlite3.Error) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def _is_retryable_error(error: sqlite3.Error) -> bool:
    code = _primary_code(error)
    if code is not None:
        return code in _RETRYABLE_CODES
    text = str(error).lower()
    return "locked" in text or "disk i/o" in text or "unable to open" in text


def is_retryable(exc: BaseException) -> bool:
    return any(_is_retryable_error(error) for error in _sqlite_errors(exc))


def classify(exc: BaseException) -> OtklikDatabaseError:
    """Turn a raw database exception into Otklik's split of known errors vs bugs."""
    if isinstance(exc, OtklikDatabaseError):
        return exc
    errors = _sqlite_errors(exc)
    retryable = next((e for e in errors if _is_retryable_error(e)), None)
    if retryable is not None:
        return DatabaseUnavailable(detail=str(retryable))
    error = errors[0] if errors else None
    detail = str(error if error is not None else exc)
    code = _primary_code(error) if error is not None else None
    if code == sqlite3.SQLITE_READONLY:
        return DatabaseReadOnly(
            "Файл базы данных доступен только для чтения: изменения не сохраняются. "
            "Проверьте права на файл и папку.",
            detail=detail,
        )
    if code in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT):
        return NotAnOtklikDatabase(
            "Выбранный файл не является базой данных Отклика или повреждён.", detail=detail
        )
    if code == sqlite3.SQLITE_FULL:
        return DatabaseUnavailable("На диске с базой данных нет места.", detail=detail)
    return DatabaseBug(detail=detail)


def _reset_connection(db: peewee.Database) -> None:
    # After an I/O error the connection may point at a dead SMB handle; reopen next time.
    try:
        if not db.is_closed():
            db.close()
    except (peewee.PeeweeException, sqlite3.Error) as exc:  # closing a broken handle
        log.debug("closing a broken connection failed: %s", exc)


class _WriteCounter:
    """Counts this process's committed writes, so change polling can skip a query."""

    value = 0


def local_write_count() -> int:
    return _WriteCounter.value


def _retrying(action: Callable[[], T], what: str) -> T:
    deadline = time.monotonic() + RETRY_BUDGET_SECONDS
    delay = _FIRST_BACKOFF_SECONDS
    attempt = 0
    while True:
        attempt += 1
        try:
            return action()
        except KnownDatabaseError:
            raise
        except (peewee.PeeweeException, sqlite3.Error) as exc:
            if not is_retryable(exc):
                raise classify(exc) from exc
            if time.monotonic() + delay > deadline:
                log.warning("%s gave up after %d attempts: %s", what, attempt, exc)
                raise classify(exc) from exc
            log.info("%s: %s, retry %d in %.2fs", what, exc, attempt, delay)
            if any("i/o" in str(e).lower() for e in _sqlite_errors(exc)):
                _reset_connection(bound_database())
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, _MAX_BACKOFF_SECONDS)


def run_write(fn: Callable[[], T]) -> T:
    """Run `fn` in one short BEGIN IMMEDIATE transaction; retry all of it on busy/I-O errors.

    Nested calls join the outer transaction: only the outermost one retries.
    """
    db = bound_database()
    if db.in_transaction():
        return fn()

    def attempt() -> T:
        with db.atomic():
            result = fn()
        _WriteCounter.value += 1
        return result

    return _retrying(attempt, "write transaction")


def run_read(fn: Callable[[], T]) -> T:
    """Run a read; retry on busy/I-O errors. Reads inside a write join its transaction."""
    db = bound_database()
    if db.in_transaction():
        return fn()
    return _retrying(fn, "read")


def writes(method: Callable[P, T]) -> Callable[P, T]:
    """Decorator: the whole method is one retried write transaction."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        return run_write(lambda: method(*args, **kwargs))

    return wrapper


def reads(method: Callable[P, T]) -> Callable[P, T]:
    """Decorator: the method only reads; busy and I/O errors are retried."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        return run_read(lambda: method(*args, **kwargs))

    return wrapper
