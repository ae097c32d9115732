"""A workstation killed mid-transaction (power cut, Task Manager) must not hurt the file."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from desktop.models import database
from desktop.models.entities import AuditEvent, Incident
from desktop.models.enums import Role
from desktop.services.audit import verify_chain
from desktop.services.config import DatabaseTarget, TargetOrigin
from desktop.services.incidents import IncidentService, NewIncident
from desktop.services.office import Office, open_office
from desktop.services.session import CurrentUser

ROUNDS = 20
BULK_INCIDENTS = 120  # incidents registered by one large transaction
WORKER_SCRIPT = Path(__file__).with_name("workers.py")
WAIT_S = 30.0
# The first bytes of a rollback journal whose header was synced: SQLite may already have
# written into the database file, and the next opener must play the journal back.
JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def wait_for_lines(path: Path, prefix: str, count: int, writer: subprocess.Popen[bytes]) -> None:
    """Poll until `path` has `count` lines starting with `prefix`; fail if the writer died."""
    deadline = time.monotonic() + WAIT_S
    while sum(line.startswith(prefix) for line in lines(path)) < count:
        if writer.poll() is not None:
            raise AssertionError(f"the writer exited ({writer.returncode}) before {prefix!r}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {count} {prefix!r} lines in {path}")
        time.sleep(0.001)


@dataclass
class Ledger:
    """What the writers said they were about to do, did, and were killed in the middle of."""

    intended_edits: set[str] = field(default_factory=set)
    committed_edits: dict[str, int] = field(default_factory=dict)  # note -> version
    killed_edits: set[str] = field(default_factory=set)
    intended_bulks: set[str] = field(default_factory=set)
    committed_bulks: set[str] = field(default_factory=set)
    killed_bulks: set[str] = field(default_factory=set)

    def read(self, log: Path) -> None:
        for line in lines(log):
            state, kind, name, *rest = line.split()
            if kind == "edit" and state == "intend":
                self.intended_edits.add(name)
            elif kind == "edit":
                self.committed_edits[name] = int(rest[0])
            elif state == "intend":
                self.intended_bulks.add(name)
            else:
                self.committed_bulks.add(name)


def check_file(office_path: Path, incident_id: int, ledger: Ledger) -> None:
    """Open the file as the next workstation would and check it against the ledger."""
    reopened = open_office(DatabaseTarget(str(office_path), TargetOrigin.COMMAND_LINE))
    try:
        assert reopened.db.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
        report = verify_chain()
        assert report.ok, report.problem

        # Edits: the row and the audit log agree, and they hold every committed edit.
        edits = list(
            AuditEvent.select()
            .where((AuditEvent.action == "edit") & (AuditEvent.entity_id == incident_id))
            .order_by(AuditEvent.id)
        )
        notes = [e.after["note"] for e in edits]
        incident = Incident.get_by_id(incident_id)
        assert incident.version == 1 + len(notes)
        assert incident.note == (notes[-1] if notes else "")
        for previous, event in zip(["", *notes], edits, strict=False):
            assert event.before["note"] == previous
        for note, version in ledger.committed_edits.items():
            assert note in notes, f"committed edit {note} is lost"
            assert notes.index(note) + 2 == version, f"edit {note} is not at version {version}"
        assert set(notes) <= ledger.intended_edits, "an edit nobody made appeared"
        assert not set(notes) & ledger.killed_edits, "an uncommitted edit survived"

        # Bulk registrations: all of a transaction or nothing, in the table and in the log.
        rows_of = Counter(
            text.split(" #", 1)[0] for (text,) in Incident.select(Incident.text).tuples()
        )
        registered = AuditEvent.select(AuditEvent.after).where(AuditEvent.action == "register")
        events_of = Counter(e.after["text"].split(" #", 1)[0] for e in registered)
        assert rows_of == events_of, "incident rows and their audit events disagree"
        assert set(rows_of) <= ledger.intended_bulks | {"Свет"}, "rows nobody wrote appeared"
        for tag in ledger.intended_bulks:
            rows = rows_of[tag]
            if tag in ledger.committed_bulks:
                assert rows == BULK_INCIDENTS, f"committed transaction {tag} lost rows"
            elif tag in ledger.killed_bulks:
                assert rows == 0, f"killed transaction {tag} left {rows} rows"
            else:  # killed between COMMIT and its log line, or before COMMIT
                assert rows in (0, BULK_INCIDENTS), f"transaction {tag} left {rows} rows"
    finally:
        reopened.close()


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_mid_transaction_twenty_times(
    office: Office, make_user: Callable[..., CurrentUser], tmp_path: Path
) -> None:
    writer_user = make_user("writer", Role.OPERATOR, full_name="Писарева Полина Павловна")
    incident_id = IncidentService(writer_user).register(
        NewIncident(
            text="Свет", link="https://vk.com/wall-1_1", detected_at=dt.datetime.now(dt.UTC)
        )
    )
    database.bind(None)  # the test process holds no connection while a writer runs
    db_path = office.path
    journal = Path(f"{db_path}-journal")
    env = {
        **os.environ,
        "PYTHONPATH": str(Path(__file__).resolve().parent.parent),
        "OTKLIK_USER": "writer",
        "OTKLIK_DATA_DIR": str(tmp_path / "home" / "data"),
        "OTKLIK_CONFIG_DIR": str(tmp_path / "home" / "config"),
    }
    ledger = Ledger()
    journals_left = hot_journals = spilled = 0
    began = time.monotonic()

    for round_no in range(ROUNDS):
        # Four kinds of moment: inside a large transaction that has already written into
        # the file; inside a one-edit transaction; just after the n-th COMMIT of a
        # free-running writer; 0-92 ms after a free-running writer began a large transaction.
        mode = ("hold-bulk", "free", "hold-edit", "free")[round_no % 4]
        log, inside = tmp_path / f"log-{round_no}", tmp_path / f"inside-{round_no}"
        err_path = tmp_path / f"stderr-{round_no}"
        with err_path.open("wb") as err:
            writer = subprocess.Popen(
                [
                    sys.executable,
                    str(WORKER_SCRIPT),
                    "crash-writer",
                    str(db_path),
                    "writer",
                    str(incident_id),
                    mode,
                    str(round_no % 3),
                    str(BULK_INCIDENTS),
                    str(log),
                    str(inside),
                ],
                env=env,
                stdin=subprocess.PIPE,  # never written: a held writer waits on it
                stdout=err,
                stderr=err,
            )
        try:
            if mode == "free" and round_no % 4 == 1:
                wait_for_lines(log, "commit", 1 + round_no % 7, writer)
            elif mode == "free":
                wait_for_lines(log, "intend bulk", 1 + round_no % 3, writer)
                # Not a synchronisation: this only picks a moment inside the ~100 ms transaction.
                time.sleep((round_no // 4) * 0.023)
            else:
                wait_for_lines(inside, "", 1, writer)
            writer.send_signal(signal.SIGKILL)
            writer.wait(WAIT_S)
        finally:
            if writer.poll() is None:
                writer.kill()
                writer.wait(WAIT_S)
            assert writer.stdin is not None
            writer.stdin.close()
        assert writer.returncode == -signal.SIGKILL, err_path.read_text(encoding="utf-8")

        ledger.read(log)
        held = lines(inside)
        journal_head = journal.read_bytes()[:8] if journal.exists() else b""
        if journal_head:
            journals_left += 1
        if journal_head == JOURNAL_MAGIC:
            hot_journals += 1
        if mode == "hold-bulk":
            _, tag, size_before, size_killed = held[0].split()
            ledger.killed_bulks.add(tag)
            # The kill hit a transaction that had already overwritten the file.
            assert journal_head == JOURNAL_MAGIC, f"round {round_no}: no hot journal"
            assert int(size_killed) > int(size_before), "the transaction never spilled"
            assert db_path.stat().st_size == int(size_killed)
            spilled += 1
        elif mode == "hold-edit":
            ledger.killed_edits.add(held[0].split()[1])
            assert journal_head, f"round {round_no}: no journal of the open transaction"

        check_file(db_path, incident_id, ledger)
        if journal_head == JOURNAL_MAGIC:
            # Played back and deleted. (A journal whose header was never synced is not hot:
            # SQLite ignores it and the next write transaction replaces it.)
            assert not journal.exists(), "the hot journal was not played back"
        if mode == "hold-bulk":
            assert db_path.stat().st_size == int(size_before), "the file was not truncated back"

    elapsed = time.monotonic() - began
    assert hot_journals >= ROUNDS // 4, "no kill landed inside a transaction"
    assert ledger.committed_edits, "the writers committed nothing"
    assert ledger.committed_bulks, "no large transaction was ever committed"
    print(
        f"\n{ROUNDS} kills in {elapsed:.1f} s: {journals_left} left a journal, "
        f"{hot_journals} a hot one that had to be played back ({spilled} of them held "
        f"after spilling into the file); {len(ledger.committed_edits)} committed edits and "
        f"{len(ledger.committed_bulks)} committed {BULK_INCIDENTS}-incident transactions "
        f"all present; {len(ledger.killed_edits) + len(ledger.killed_bulks)} killed "
        "transactions left nothing"
    )
