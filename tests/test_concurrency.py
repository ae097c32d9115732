"""Eight workstations editing the same incidents at once on one file lose no update."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
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

WORKERS = 8
EDITS_EACH = 300
INCIDENTS = 3
WORKER_SCRIPT = Path(__file__).with_name("workers.py")
READY_TIMEOUT_S = 30.0
RUN_TIMEOUT_S = 100.0
NAMES = [
    "Иванова Анна Петровна",
    "Петров Борис Сергеевич",
    "Сидорова Вера Глебовна",
    "Кузнецов Денис Егорович",
    "Смирнова Елена Жоржевна",
    "Попов Захар Ильич",
    "Волкова Ксения Львовна",
    "Соколов Максим Назарович",
]


def _stderr(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")[-4000:]


@pytest.mark.slow
def test_eight_processes_lose_no_update(
    office: Office, make_user: Callable[..., CurrentUser], tmp_path: Path
) -> None:
    logins = [f"editor{n}" for n in range(WORKERS)]
    for login, name in zip(logins, NAMES, strict=True):
        make_user(login, Role.OPERATOR, full_name=name)
    registrar = IncidentService(make_user("registrar", Role.OPERATOR, full_name="Регистратор"))
    ids = [
        registrar.register(
            NewIncident(
                text=f"Сообщение {n}",
                link=f"https://vk.com/wall-1_{n}",
                detected_at=dt.datetime.now(dt.UTC),
            )
        )
        for n in range(INCIDENTS)
    ]
    assert AuditEvent.select().count() == INCIDENTS
    database.bind(None)  # the test process holds no connection while the workers run

    start = tmp_path / "start"
    processes: list[subprocess.Popen[bytes]] = []
    try:
        for login in logins:
            home = tmp_path / "home" / login  # each workstation has its own user folders
            env = {
                **os.environ,
                "PYTHONPATH": str(Path(__file__).resolve().parent.parent),
                "OTKLIK_USER": login,
                "OTKLIK_DATA_DIR": str(home / "data"),
                "OTKLIK_CONFIG_DIR": str(home / "config"),
            }
            with (tmp_path / f"{login}.err").open("wb") as err:
                processes.append(
                    subprocess.Popen(
                        [
                            sys.executable,
                            str(WORKER_SCRIPT),
                            "edit",
                            str(office.path),
                            login,
                            ",".join(map(str, ids)),
                            str(EDITS_EACH),
                            str(tmp_path / f"{login}.ready"),
                            str(start),
                            str(tmp_path / f"{login}.json"),
                        ],
                        env=env,
                        stdin=subprocess.DEVNULL,
                        stdout=err,
                        stderr=err,
                    )
                )

        # Start everyone at once: each worker has opened the file and read its first version.
        deadline = time.monotonic() + READY_TIMEOUT_S
        while not all((tmp_path / f"{login}.ready").exists() for login in logins):
            for login, process in zip(logins, processes, strict=True):
                if process.poll() is not None:
                    pytest.fail(
                        f"{login} died before the start:\n{_stderr(tmp_path / f'{login}.err')}"
                    )
            if time.monotonic() > deadline:
                pytest.fail("the workers did not get ready in time")
            time.sleep(0.005)
        began = time.monotonic()
        start.touch()

        deadline = began + RUN_TIMEOUT_S
        for login, process in zip(logins, processes, strict=True):
            try:
                process.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pytest.fail(f"{login} still running after {RUN_TIMEOUT_S} s")
        elapsed = time.monotonic() - began
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait(10)

    for login, process in zip(logins, processes, strict=True):
        err = _stderr(tmp_path / f"{login}.err")
        assert process.returncode == 0, f"{login} failed:\n{err}"
        assert "locked" not in err, f"{login}:\n{err}"
    results = {
        login: json.loads((tmp_path / f"{login}.json").read_text(encoding="utf-8"))
        for login in logins
    }

    reopened = open_office(DatabaseTarget(str(office.path), TargetOrigin.COMMAND_LINE))
    assert reopened.db.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
    total = WORKERS * EDITS_EACH

    # No lost update: every successful edit moved a version by one and left one audit event.
    assert sum(r["done"] for r in results.values()) == total
    incidents = {i.id: i for i in Incident.select().where(Incident.id.in_(ids))}
    assert sum(i.version - 1 for i in incidents.values()) == total
    assert AuditEvent.select().where(AuditEvent.action == "register").count() == INCIDENTS
    assert AuditEvent.select().where(AuditEvent.action == "edit").count() == total
    assert AuditEvent.select().count() == INCIDENTS + total
    report = verify_chain()
    assert report.ok, report.problem

    # Each worker's notes login:0 … login:299 are all in the log, once each.
    edits = list(AuditEvent.select().where(AuditEvent.action == "edit").order_by(AuditEvent.id))
    notes = Counter(e.after["note"] for e in edits)
    assert set(notes) == {f"{login}:{n}" for login in logins for n in range(EDITS_EACH)}
    assert set(notes.values()) == {1}
    assert Counter(e.actor_login for e in edits) == dict.fromkeys(logins, EDITS_EACH)
    # Per incident the edits form one unbroken line: each saw the previous one's result.
    by_incident: dict[int, list[AuditEvent]] = defaultdict(list)
    for event in edits:
        by_incident[event.entity_id].append(event)
    for incident_id, events in by_incident.items():
        seen = ""
        for event in events:
            assert event.before["note"] == seen, f"incident {incident_id}: an edit was lost"
            seen = event.after["note"]
        assert incidents[incident_id].note == seen
        assert incidents[incident_id].version == 1 + len(events)

    # Races happened and each was surfaced as a ConflictError naming the colleague and time.
    conflicts = sum(r["conflicts"] for r in results.values())
    retries = sum(r["retries"] for r in results.values())
    assert sum(r["gave_up"] for r in results.values()) == 0
    assert conflicts >= WORKERS - 1, "the editors never raced: the test proves nothing"
    window = (dt.datetime.now(dt.UTC) - dt.timedelta(seconds=elapsed + 60), dt.datetime.now(dt.UTC))
    samples = 0
    for result in results.values():
        for lost in result["lost_to"]:
            samples += 1
            assert lost["changed_by"] in NAMES, lost
            assert lost["changed_by"] != result["full_name"], "lost a race to oneself"
            assert lost["current"] > lost["expected"], lost
            changed_at = dt.datetime.fromisoformat(lost["changed_at"])
            assert changed_at.tzinfo is not None
            assert window[0] <= changed_at <= window[1], lost
    assert samples > 0
    print(
        f"\n{WORKERS}×{EDITS_EACH} edits in {elapsed:.1f} s; "
        f"{conflicts} conflicts surfaced as ConflictError "
        f"(per worker: {', '.join(str(r['conflicts']) for r in results.values())}); "
        f"{retries} busy/I-O retries in the database layer"
    )
