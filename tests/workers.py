"""Child processes for the concurrency and crash tests: each is another workstation.

Run as `python tests/workers.py COMMAND ...`; results go to files the test reads.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desktop.models.database import bound_database, run_write
from desktop.models.entities import Department
from desktop.services.config import DatabaseTarget, TargetOrigin
from desktop.services.errors import ConflictError
from desktop.services.incidents import IncidentService
from desktop.services.office import open_office
from desktop.services.session import identify

START_TIMEOUT_S = 60.0


def _open(db: str) -> None:
    open_office(DatabaseTarget(db, TargetOrigin.COMMAND_LINE))


def _wait_for(path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while not path.exists():
        if time.monotonic() > deadline:
            raise SystemExit(f"start signal {path} never came")
        time.sleep(0.005)


def _append_durably(path: Path, line: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def edit(db: str, login: str, ids: str, count: str, start: str, result: str) -> None:
    """`count` successful edits of random incidents; lost races are counted and retried."""
    _open(db)
    service = IncidentService(identify(login))
    incident_ids = [int(i) for i in ids.split(",")]
    rng = random.Random(login)
    done = conflicts = 0
    winners: list[list[str]] = []
    _wait_for(Path(start))
    while done < int(count):
        incident = rng.choice(incident_ids)
        version = IncidentService.version_of(incident)
        time.sleep(rng.uniform(0, 0.002))  # a person reads the card before saving
        try:
            service.edit(incident, version, {"note": f"{login}:{done}"})
        except ConflictError as exc:
            conflicts += 1
            stamp = exc.changed_at.isoformat() if exc.changed_at else ""
            if len(winners) < 20:
                winners.append([exc.changed_by, stamp])
            continue
        done += 1
    Path(result).write_text(
        json.dumps({"done": done, "conflicts": conflicts, "winners": winners}), encoding="utf-8"
    )


BULK_ROWS = 1500


def crash_writer(db: str, login: str, incident: str, committed: str, inside: str) -> None:
    """Alternate small edits and a large transaction, logging each commit durably."""
    _open(db)
    service = IncidentService(identify(login))
    log = Path(committed)
    round_no = 0
    while True:
        round_no += 1
        version = IncidentService.version_of(int(incident))
        new_version = service.edit(int(incident), version, {"note": f"edit {round_no}"})
        _append_durably(log, f"edit {new_version}")
        tag = f"bulk-{os.getpid()}-{round_no}"

        def bulk(tag: str = tag) -> None:
            for i in range(BULK_ROWS):
                Department.create(name=f"{tag}-{i}")
                if i == BULK_ROWS // 3:
                    # The journal exists and rows are written: a kill now is mid-transaction.
                    _append_durably(Path(inside), tag)

        run_write(bulk)
        _append_durably(log, f"bulk {tag}")


def integrity(db: str) -> None:
    _open(db)
    print(bound_database().execute_sql("PRAGMA integrity_check").fetchone()[0])


COMMANDS = {"edit": edit, "crash-writer": crash_writer, "integrity": integrity}

if __name__ == "__main__":
    COMMANDS[sys.argv[1]](*sys.argv[2:])
    sys.exit(0)
