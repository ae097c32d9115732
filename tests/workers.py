"""Child processes for the concurrency and crash-recovery tests: each one is a workstation.

Run as ``python tests/workers.py COMMAND ARG...`` (the path, not ``-m tests.workers``: a
``tests`` package installed by some other distribution could shadow this folder). Each
worker opens the shared file through `open_office`, as the app does, and works through the
service layer. Results go to files the test reads; any unexpected exception escapes, so the
worker exits non-zero with the traceback on stderr.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desktop.models.database import bound_database, run_write
from desktop.services.config import DatabaseTarget, TargetOrigin
from desktop.services.errors import ConflictError
from desktop.services.incidents import IncidentService, NewIncident
from desktop.services.office import open_office
from desktop.services.session import CurrentUser, identify

WAIT_S = 60.0  # the longest a worker waits for a signal from the test
POLL_S = 0.002


def _open(db: str) -> None:
    open_office(DatabaseTarget(db, TargetOrigin.COMMAND_LINE))


def _user(login: str) -> CurrentUser:
    os.environ["OTKLIK_USER"] = login
    user = identify()
    if user.employee_id is None or user.read_only:
        raise SystemExit(f"{login} is not an employee of the test office")
    return user


def _wait_for(path: Path) -> None:
    """Poll for a file the test creates; fail instead of hanging."""
    deadline = time.monotonic() + WAIT_S
    while not path.exists():
        if time.monotonic() > deadline:
            raise SystemExit(f"signal {path} never came")
        time.sleep(POLL_S)


def append_durably(path: Path, line: str) -> None:
    """Append a line and fsync it, so it is on disk before the next step starts."""
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
        handle.flush()
        os.fsync(handle.fileno())


class _RetryCounter(logging.Handler):
    """Counts the database layer's retries ("database is locked", I/O) and give-ups."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.retries = 0
        self.gave_up = 0

    def emit(self, record: logging.LogRecord) -> None:
        if "retry" in record.msg:
            self.retries += 1
        elif "gave up" in record.msg:
            self.gave_up += 1


# --- 8 workstations, 300 edits each --------------------------------------------------------


def edit(db: str, login: str, ids: str, count: str, ready: str, start: str, result: str) -> None:
    """`count` successful edits of the incidents `ids`; lost races are counted and retried.

    Before reporting ready the worker reads the version of the first incident; its first
    edit uses that version after the start signal. Every worker read the same version
    before anyone wrote, so exactly one of them wins and the others lose a race: conflicts
    happen every run, not only when the scheduler happens to interleave the workers.
    """
    counter = _RetryCounter()
    database_log = logging.getLogger("desktop.models.database")
    database_log.addHandler(counter)
    database_log.setLevel(logging.INFO)
    _open(db)
    user = _user(login)
    service = IncidentService(user)
    incident_ids = [int(i) for i in ids.split(",")]
    rng = random.Random(login)
    done = conflicts = 0
    lost_to: list[dict[str, object]] = []

    incident = incident_ids[0]
    version = IncidentService.version_of(incident)
    Path(ready).touch()
    _wait_for(Path(start))
    while done < int(count):
        try:
            service.edit(incident, version, {"note": f"{login}:{done}"})
        except ConflictError as exc:
            conflicts += 1
            if len(lost_to) < 50:
                lost_to.append(
                    {
                        "incident": exc.row_id,
                        "expected": version,
                        "current": exc.current_version,
                        "changed_by": exc.changed_by,
                        "changed_at": exc.changed_at.isoformat() if exc.changed_at else None,
                    }
                )
            version = IncidentService.version_of(incident)  # re-read, then retry the edit
            continue
        done += 1
        incident = rng.choice(incident_ids)
        version = IncidentService.version_of(incident)
        # A person looks at the card before saving; this only widens the race window.
        time.sleep(rng.uniform(0, 0.002))
    Path(result).write_text(
        json.dumps(
            {
                "login": login,
                "full_name": user.full_name,
                "done": done,
                "conflicts": conflicts,
                "retries": counter.retries,
                "gave_up": counter.gave_up,
                "lost_to": lost_to,
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )


# --- a writer killed with SIGKILL ----------------------------------------------------------

BULK_TEXT_CHARS = 1500
# A tiny page cache makes SQLite spill dirty pages into the database file before COMMIT,
# so a kill inside a large transaction leaves a half-written file that only the rollback
# journal can repair: the hardest case for recovery.
SPILL_CACHE_PAGES = 32


def bulk_text(tag: str, n: int) -> str:
    head = f"{tag} #{n} "
    return head + "ж" * (BULK_TEXT_CHARS - len(head))


def crash_writer(
    db: str,
    login: str,
    incident: str,
    mode: str,
    small_edits: str,
    bulk: str,
    log: str,
    inside: str,
) -> None:
    """Make committed changes and log each one durably; the test kills this process.

    `log` gets ``intend edit NOTE`` before and ``commit edit NOTE VERSION`` after each
    committed edit, likewise ``intend bulk TAG`` / ``commit bulk TAG`` around a transaction
    registering `bulk` incidents at once (texts ``TAG #N …``). Notes and tags start with the
    log's name, so they are unique across runs. A kill between a COMMIT and its line leaves
    an intended change that may or may not be there; a logged commit must be there.

    Modes: ``free`` alternates edits and bulk transactions until killed. ``hold-bulk`` and
    ``hold-edit`` first make `small_edits` committed edits, then open one transaction (a
    bulk registration, or one edit), write ``bulk TAG SIZE_BEFORE SIZE_NOW`` or
    ``edit NOTE`` to `inside` and wait inside the open transaction for the kill.
    """
    _open(db)
    bound_database().execute_sql(f"PRAGMA cache_size = {SPILL_CACHE_PAGES}")
    service = IncidentService(_user(login))
    incident_id = int(incident)
    log_path, inside_path = Path(log), Path(inside)
    run = log_path.stem
    step = 0

    def one_edit() -> None:
        nonlocal step
        step += 1
        note = f"{run}-e{step}"
        version = IncidentService.version_of(incident_id)
        append_durably(log_path, f"intend edit {note}")
        new_version = service.edit(incident_id, version, {"note": note})
        append_durably(log_path, f"commit edit {note} {new_version}")

    def register_many(tag: str) -> int:
        size_before = Path(db).stat().st_size  # BEGIN IMMEDIATE holds off other writers
        for n in range(int(bulk)):
            service.register(
                NewIncident(
                    text=bulk_text(tag, n),
                    link=f"https://vk.com/wall-1_{n}?run={tag}",  # a new message each time
                    detected_at=dt.datetime.now(dt.UTC),
                )
            )
        return size_before

    def wait_for_the_kill() -> None:
        # The test never writes to our stdin: read() returns only when the test is gone.
        sys.stdin.buffer.read(1)
        raise SystemExit("the test closed stdin instead of killing the writer")

    if mode == "free":
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            one_edit()
            step += 1
            tag = f"{run}-b{step}"
            append_durably(log_path, f"intend bulk {tag}")
            run_write(lambda tag=tag: register_many(tag))
            append_durably(log_path, f"commit bulk {tag}")
        raise SystemExit("the writer was never killed")

    for _ in range(int(small_edits)):
        one_edit()
    step += 1
    if mode == "hold-bulk":
        tag = f"{run}-b{step}"
        append_durably(log_path, f"intend bulk {tag}")

        def held_bulk() -> None:
            size_before = register_many(tag)
            size_now = Path(db).stat().st_size
            append_durably(inside_path, f"bulk {tag} {size_before} {size_now}")
            wait_for_the_kill()

        run_write(held_bulk)
    elif mode == "hold-edit":
        note = f"{run}-e{step}"
        version = IncidentService.version_of(incident_id)
        append_durably(log_path, f"intend edit {note}")

        def held_edit() -> None:
            service.edit(incident_id, version, {"note": note})  # joins this transaction
            append_durably(inside_path, f"edit {note}")
            wait_for_the_kill()

        run_write(held_edit)
    else:
        raise SystemExit(f"unknown mode {mode}")


# --- one registration from another workstation ----------------------------------------------


def register(db: str, login: str, text: str, result: str) -> None:
    """Register one message as `login` and write its id to `result`."""
    _open(db)
    service = IncidentService(_user(login))
    incident_id = service.register(
        NewIncident(
            text=text,
            link=f"https://vk.com/wall-9_{abs(hash(text)) % 100_000}",
            detected_at=dt.datetime.now(dt.UTC),
        )
    )
    append_durably(Path(result), str(incident_id))


COMMANDS = {"edit": edit, "crash-writer": crash_writer, "register": register}

if __name__ == "__main__":
    COMMANDS[sys.argv[1]](*sys.argv[2:])
