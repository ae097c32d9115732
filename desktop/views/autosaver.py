"""Saves the answer being typed every few seconds and whenever the editor loses focus.

Each save is first a line in the local journal (in the GUI thread: a small append to the
workstation's own disk, so a kill right after it loses nothing), then a job in the database
thread writes it to the share. Offline, only the journal is written; the main window replays
it when the share returns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, QTimer, Signal
from shiboken6 import isValid

from desktop.services.draft_autosave import keep_locally, send_to_share
from desktop.services.draft_journal import DraftJournal, DraftKey, JournalEntry
from desktop.services.errors import ConflictError, KnownDatabaseError
from desktop.services.formatting import format_moment
from desktop.services.incidents import IncidentService, WorkingDraft
from desktop.services.office import Office
from desktop.services.vocabulary import AnswerKind, ExplanationGround

Typed = tuple[str, AnswerKind, ExplanationGround | None]  # text, kind, an explanation's ground
AUTOSAVE_MS = 2_000  # «every few seconds»: a kill loses at most the last two seconds of typing


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Autosaver(QObject):
    saved = Signal(str)  # a Russian status line: «Сохранено в 14:02»
    kept_locally = Signal(str)  # the share did not take it: the text is on this computer
    conflict = Signal(object)  # ConflictError: a colleague saved a newer copy
    failed = Signal(str)  # the share refused the text for good (a closed message, …)

    def __init__(
        self,
        *,
        run_job: Callable[..., object],
        journal: DraftJournal,
        service: Callable[[], IncidentService | None],
        office: Office,
        key: DraftKey,
        zone: ZoneInfo,
        online: Callable[[], bool],
        base_version: int | None,
        base_text: str,
        base_kind: AnswerKind = AnswerKind.FINAL,
        base_ground: ExplanationGround | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._run_job = run_job
        self._journal = journal
        self._service = service
        self._office = office
        self.key = key
        self._zone = zone
        self._online = online
        self.base_version = base_version
        self._kept: Typed = (base_text, base_kind, base_ground)  # what the journal has
        self._newest: JournalEntry | None = None  # kept locally, not yet on the share
        self._in_flight = False
        self._sending_seq = 0
        self._stopped = False
        self._paused = False  # the text is being submitted: nothing more goes to the share
        self.diverged = False  # the user kept their text over a colleague's: journal only
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MS)
        self._timer.timeout.connect(self.save_now)
        self._text: Callable[[], Typed] = lambda: self._kept

    def follow(self, text: Callable[[], Typed]) -> None:
        """Where the current text, kind and ground come from (the editor)."""
        self._text = text

    def changed(self) -> None:
        """The text changed: save within AUTOSAVE_MS, however fast the user keeps typing."""
        if not self._timer.isActive() and not self._stopped:
            self._timer.start()

    def save_now(self) -> None:
        """Keep the text locally now and send it to the share (focus left, dialog closing)."""
        if self._stopped or self._paused:
            return
        self._timer.stop()
        typed = self._text()
        if typed != self._kept:
            text, kind, ground = typed
            self._newest = keep_locally(
                self._journal, self.key, text, kind, self.base_version, ground
            )
            self._kept = typed
        self._send()

    def share_returned(self) -> None:
        self._send()

    def pause(self) -> None:
        """The text is on its way as the submitted version: a save now would come after the
        submit and bring the working copy back."""
        self._paused = True
        self._timer.stop()

    def resume(self) -> None:
        """The submit failed: autosave goes on."""
        self._paused = False
        self.save_now()

    def keep_apart(self) -> None:
        """The user keeps their text but not over a colleague's copy: the journal holds it,
        the share is not written until they decide otherwise."""
        self.diverged = True

    def stop(self) -> None:
        """The draft was submitted or abandoned: no more saves from this editor."""
        self._stopped = True
        self._timer.stop()

    def rebase(self, version: int | None, text: str) -> None:
        """The user chose to continue from the share's copy (after a conflict)."""
        self.base_version = version
        self._kept = (text, AnswerKind.FINAL, None)
        self._newest = None
        self.diverged = False

    def _send(self) -> None:
        entry = self._newest
        if entry is None or self._in_flight or self._paused:
            return
        if self.diverged:
            self.kept_locally.emit(
                "Ваш текст сохранён только на этом компьютере: в общей папке — редакция коллеги."
            )
            return
        if not self._online():
            self.kept_locally.emit(
                "Нет связи с общей папкой: текст сохранён на этом компьютере и будет записан, "
                "когда связь вернётся."
            )
            return
        service = self._service()
        if service is None:
            return
        # Typed over the version the journal entry names, which is the one we know now.
        entry = replace(entry, base_version=self.base_version)
        office, journal = self._office, self._journal
        self._in_flight = True
        self._sending_seq = entry.seq
        self._run_job(
            lambda: send_to_share(service, office, journal, entry), self._sent, self._lost
        )

    def _sent(self, draft: WorkingDraft) -> None:
        if not isValid(self):  # the editor closed while its last save was on its way
            return
        self._in_flight = False
        self.base_version = draft.version
        if self._newest is not None and self._newest.seq <= self._sending_seq:
            self._newest = None
        self.saved.emit(f"Сохранено в {format_moment(_now(), self._zone)[-5:]}")
        if self._newest is not None:  # typed more while this one was on its way
            self._send()

    def _lost(self, error: BaseException) -> None:
        if not isValid(self):  # closed meanwhile: the journal keeps the text for the replay
            return
        self._in_flight = False
        if isinstance(error, ConflictError):
            self.conflict.emit(error)
        elif isinstance(error, KnownDatabaseError):
            self.kept_locally.emit(
                f"{error.user_message} Текст сохранён на этом компьютере и будет записан, когда "
                "связь вернётся."
            )
        else:
            self.failed.emit(str(error))
