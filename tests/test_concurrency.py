"""Eight workstations editing the same incidents at once on one file."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
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
WORKER_SCRIPT = Path(__file__).parent / "workers.py"
NAMES = [
    "Иванова А. П.",
    "Петров Б. С.",
    "Сидорова В. Г.",
    "Кузнецов Д. Е.",
    "Смирнова Е. Ж.",
    "Попов З. И.",
    "Волкова К. Л.",
    "Соколов М. Н.",
]


@pytest.mark.slow
def test_eight_processes_lose_no_update(
    office: Office, make_user: Callable[..., CurrentUser], tmp_path: Path
) -> None:
    logins = [f"editor{n}" for n in range(WORKERS)]
    for login, name in zip(logins, NAMES, strict=True):
        make_user(login, Role.OPERATOR, full_name=name)
    registrar = IncidentService(make_user("registrar", Role.OPERATOR))
    ids = [
        registrar.register(
            NewIncident(
                text=f"Сообщение {n}",
                link=f"https://vk.com/w{n}",
                detected_at=dt.datetime.now(dt.UTC),
            )
        )
        for n in range(INCIDENTS)
    ]
    events_before = AuditEvent.select().count()
    database.bind(None)

    start = tmp_path / "start"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                str(WORKER_SCRIPT),
                "edit",
                str(office.path),
                login,
                ",".join(map(str, ids)),
                str(EDITS_EACH),
                str(start),
                str(tmp_path / f"{login}.json"),
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for login in logins
    ]
    began = time.monotonic()
    start.touch()
    outputs = [p.communicate(timeout=600) for p in processes]
    elapsed = time.monotonic() - began
    for process, (_, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err
    results = [
        json.loads((tmp_path / f"{login}.json").read_text(encoding="utf-8")) for login in logins
    ]

    reopened = open_office(DatabaseTarget(str(office.path), TargetOrigin.COMMAND_LINE))
    total = WORKERS * EDITS_EACH
    assert sum(r["done"] for r in results) == total
    assert sum(i.version - 1 for i in Incident.select()) == total
    assert AuditEvent.select().count() == events_before + total
    assert AuditEvent.select().where(AuditEvent.action == "edit").count() == total
    assert verify_chain().ok
    integrity = reopened.db.execute_sql("PRAGMA integrity_check").fetchone()[0]
    assert integrity == "ok"
    conflicts = sum(r["conflicts"] for r in results)
    assert conflicts > 0, "the editors never raced: the test proves nothing"
    winners = [w for r in results for w in r["winners"]]
    assert all(name in NAMES and stamp for name, stamp in winners)
    print(f"\n{WORKERS}×{EDITS_EACH} edits in {elapsed:.1f} s, {conflicts} conflicts surfaced")
