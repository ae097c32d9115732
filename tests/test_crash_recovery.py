"""A workstation killed mid-transaction (power cut, task manager) must not hurt the file."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop.models import database
from desktop.models.entities import Department, Incident
from desktop.models.enums import Role
from desktop.services.audit import verify_chain
from desktop.services.config import DatabaseTarget, TargetOrigin
from desktop.services.incidents import IncidentService, NewIncident
from desktop.services.office import Office, open_office
from desktop.services.session import CurrentUser

ROUNDS = 20
WORKER_SCRIPT = Path(__file__).parent / "workers.py"
WAIT_S = 60.0


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def wait_until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.002)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_mid_transaction_twenty_times(
    office: Office, make_user: Callable[..., CurrentUser], tmp_path: Path
) -> None:
    make_user("writer", Role.OPERATOR, full_name="Писарева П. П.")
    incident = IncidentService(identify_writer()).register(
        NewIncident(text="Свет", link="https://vk.com/w1", detected_at=dt.datetime.now(dt.UTC))
    )
    database.bind(None)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    journal = Path(f"{office.path}-journal")
    hot_journals = 0
    committed_edits: list[int] = []
    committed_bulks: set[str] = set()
    started_bulks: set[str] = set()

    for round_no in range(ROUNDS):
        committed, inside = tmp_path / f"committed-{round_no}", tmp_path / f"inside-{round_no}"
        errors = (tmp_path / f"stderr-{round_no}").open("wb")
        writer = subprocess.Popen(
            [
                sys.executable,
                str(WORKER_SCRIPT),
                "crash-writer",
                str(office.path),
                "writer",
                str(incident),
                str(committed),
                str(inside),
            ],
            env=env,
            stderr=errors,
        )
        try:
            if round_no % 2 == 0:  # inside the large transaction, rows written, not committed
                wait_until(lambda inside=inside: inside.exists(), "the bulk transaction")
            else:  # somewhere among small commits
                wanted = 1 + round_no % 5
                wait_until(lambda c=committed, w=wanted: len(lines(c)) >= w, "commits")
            writer.send_signal(signal.SIGKILL)
            writer.wait(30)
        finally:
            if writer.poll() is None:
                writer.kill()
        errors.close()
        log = tmp_path / f"stderr-{round_no}"
        assert writer.returncode == -signal.SIGKILL, log.read_text(encoding="utf-8")
        if journal.exists() and journal.stat().st_size > 0:
            hot_journals += 1
        for line in lines(committed):
            kind, value = line.split()
            if kind == "edit":
                committed_edits.append(int(value))
            else:
                committed_bulks.add(value)
        started_bulks |= set(lines(inside))

        check = sqlite3.connect(office.path)  # the next workstation to open the file
        try:
            assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            check.close()

    reopened = open_office(DatabaseTarget(str(office.path), TargetOrigin.COMMAND_LINE))
    assert reopened.db.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert hot_journals >= 1, "no kill landed inside a transaction"
    assert Incident.get_by_id(incident).version >= max(committed_edits)
    for tag in started_bulks:
        rows = Department.select().where(Department.name.startswith(f"{tag}-")).count()
        if tag in committed_bulks:
            assert rows == 1500, f"committed transaction {tag} lost rows"
        else:
            assert rows in (0, 1500), f"transaction {tag} left {rows} partial rows"
    assert verify_chain().ok
    print(
        f"\n{ROUNDS} kills, {hot_journals} inside a transaction, "
        f"{len(committed_edits)} committed edits all present"
    )


def identify_writer() -> CurrentUser:
    from desktop.services.session import identify

    return identify("writer")
