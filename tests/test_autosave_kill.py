"""Killing the program while an answer is typed loses nothing typed more than a few seconds
before: a real workstation process types into the editor and is killed (SIGKILL)."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from desk import Desk

from desktop.services.draft_autosave import replay_journal
from desktop.services.draft_journal import DraftJournal
from desktop.services.incidents import RouteTarget
from desktop.services.office import Office
from desktop.views.autosaver import AUTOSAVE_MS

ROOT = Path(__file__).resolve().parent.parent
CHILD = Path(__file__).with_name("typing_child.py")
WORDS_BEFORE_KILL = 24  # 6 s of typing at one word every 0.25 s: several autosaves


def lines_of(process: subprocess.Popen[str]) -> tuple[queue.Queue[str], threading.Thread]:
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line.strip())

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    return lines, reader


@pytest.fixture
def desk(office: Office) -> Desk:
    return Desk(office, "otradnensky-2021")


def test_a_killed_workstation_loses_nothing_typed_before_the_last_autosave(
    desk: Desk, tmp_path: Path
) -> None:
    incident = desk.register()
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept("ЖКХ"))])
    env = {
        **os.environ,
        "OTKLIK_USER": "executor0",
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": str(ROOT),
    }
    child = subprocess.Popen(
        [sys.executable, str(CHILD), str(desk.office.path), str(incident)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    typed_at: dict[int, float] = {}
    lines, reader = lines_of(child)
    try:
        while len(typed_at) < WORDS_BEFORE_KILL:
            line = lines.get(timeout=60)
            if line.startswith("typed "):
                _, number, stamp = line.split()
                typed_at[int(number)] = float(stamp)
    finally:
        killed_at = time.time()
        child.kill()  # SIGKILL: no handler, no flush, no goodbye
        child.wait(timeout=30)
        reader.join(timeout=30)  # the pipe's end
        assert child.stdout is not None
        child.stdout.close()

    # Everything typed before the last autosave could have run must be kept somewhere: in the
    # local journal (the share write may have been on its way) or on the share.
    safe = killed_at - AUTOSAVE_MS / 1000 - 0.5
    must_survive = [n for n, stamp in typed_at.items() if stamp <= safe]
    assert len(must_survive) >= 8, "the child typed too slowly to test anything"
    writer = desk.svc(desk.executors["ЖКХ"])
    replay_journal(writer, desk.office, DraftJournal())  # what the next start does
    kept = writer.working_draft(incident)
    assert kept is not None
    for number in must_survive:
        assert f"слово{number} " in kept.text + " "
    assert DraftJournal().pending(str(desk.office.path)) == []
