"""One background thread that opens the database and watches it for other workstations' changes.

All reads that could hang on a dead SMB share happen here, never in the GUI thread. It is a
plain Python thread, not a QThread: peewee keeps one connection per Python thread, and
`PRAGMA data_version` polling needs that one connection to live between polls (PySide may
drop Python's thread state between two slot calls of a QThread, and the connection with it).
Outcomes reach the GUI thread as queued Qt signals.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal

from desktop.services.changes import ChangeFeed
from desktop.services.config import DatabaseTarget
from desktop.services.errors import DatabaseUnavailable, KnownDatabaseError
from desktop.services.queue import (
    incidents_of_answers,
    incidents_of_assignments,
    incidents_of_attachments,
    incidents_of_steps,
    open_queue,
    queue_rows,
)
from desktop.services.workspace import (
    Workspace,
    open_workspace,
    probe,
    refreshed,
    run_daily_maintenance,
)

log = logging.getLogger(__name__)

POLL_INTERVAL_S = 1.0
# Changes to these reload the workspace: settings, calendar, the forms' choices, roles.
_WORKSPACE_TABLES = (
    "setting",
    "calendar_override",
    "department",
    "topic",
    "location",
    "account",
    "employee",
    "employee_role",
    "absence",
)
RETRY_INTERVAL_S = 5.0
_STOP = object()


@dataclass(frozen=True)
class _Job:
    number: int
    work: Callable[[], Any]


class DatabaseSignals(QObject):
    """Lives in the GUI thread; the worker thread emits, Qt queues to the receivers."""

    opened = Signal(object, object)  # Workspace, list[QueueRow]
    open_failed = Signal(object)  # the exception: KnownDatabaseError or a bug
    rows_changed = Signal(object)  # dict[int, QueueRow | None]
    reloaded = Signal(object)  # list[QueueRow]
    went_offline = Signal(str)  # the user's message
    back_online = Signal()
    settings_changed = Signal(object)  # Workspace with fresh settings and calendar
    job_done = Signal(int, object)  # job number, its result
    job_failed = Signal(int, object)  # job number, the exception


class DatabaseThread:
    """Owns the worker thread; `request_open` and `shutdown` are called from the GUI thread."""

    def __init__(self, parent: Any = None, retry_interval_s: float = RETRY_INTERVAL_S) -> None:
        self.signals = DatabaseSignals(parent)
        self._commands: queue.Queue[object] = queue.Queue()
        self._retry_interval_s = retry_interval_s
        self._target: DatabaseTarget | None = None
        self._workspace: Workspace | None = None
        self._feed: ChangeFeed | None = None
        self._online = False
        self._maintenance: threading.Thread | None = None
        self._jobs = 0
        self._thread = threading.Thread(target=self._run, name="otklik-database", daemon=True)
        self._thread.start()

    def request_open(self, target: DatabaseTarget) -> None:
        self._commands.put(target)

    def submit(self, work: Callable[[], Any]) -> int:
        """Run `work` (a service call) in the database thread; its outcome arrives as
        `job_done` or `job_failed` with the number returned here."""
        self._jobs += 1
        self._commands.put(_Job(self._jobs, work))
        return self._jobs

    def shutdown(self) -> None:
        if self._thread.is_alive():
            self._commands.put(_STOP)
            self._thread.join(10)
        if self._maintenance is not None:
            self._maintenance.join(30)  # a backup in progress finishes (or fails) cleanly

    # --- the worker thread ----------------------------------------------------------------
    def _run(self) -> None:
        next_tick = time.monotonic()
        while True:
            timeout = max(0.0, next_tick - time.monotonic())
            try:
                command = self._commands.get(timeout=timeout)
            except queue.Empty:
                command = None
            if command is _STOP:
                self._close()
                return
            try:
                if isinstance(command, _Job):
                    self._do(command)
                elif isinstance(command, DatabaseTarget):
                    self._open(command)
                elif command is None:
                    if self._online:
                        self._poll()
                    elif self._target is not None:
                        self._retry()
            except Exception as exc:  # the thread must outlive any bug; the user is told
                log.exception("database thread: unexpected error")
                self._online = False
                self.signals.went_offline.emit(
                    "Внутренняя ошибка при обмене с базой данных; Отклик переподключится. "
                    f"Подробности в журнале программы ({type(exc).__name__})."
                )
            interval = POLL_INTERVAL_S if self._online else self._retry_interval_s
            if command is None or isinstance(command, DatabaseTarget):
                next_tick = time.monotonic() + interval

    def _do(self, job: _Job) -> None:
        try:
            result = job.work()
        except Exception as exc:  # the user's mistake, a lost race, an outage or a bug: shown
            if not isinstance(exc, KnownDatabaseError | ValueError | PermissionError):
                log.exception("a job failed")
            self.signals.job_failed.emit(job.number, exc)
            return
        self.signals.job_done.emit(job.number, result)

    def _open(self, target: DatabaseTarget) -> None:
        self._target = target
        self._workspace = None
        self._online = False
        try:
            workspace = open_workspace(target)
            rows = open_queue()
            self._feed = ChangeFeed()
        except DatabaseUnavailable as exc:
            self.signals.went_offline.emit(exc.user_message)
            return
        except Exception as exc:  # a known problem or a bug: the window shows it and stays up
            log.exception("opening %s failed", target.location)
            self._target = None  # needs the user's action, not an automatic retry
            self.signals.open_failed.emit(exc)
            return
        self._workspace = workspace
        self._online = True
        self.signals.opened.emit(workspace, rows)
        # A backup of a large file over SMB takes a while; polling must not wait for it.
        self._maintenance = threading.Thread(
            target=run_daily_maintenance, args=(workspace,), name="otklik-maintenance", daemon=True
        )
        self._maintenance.start()

    def _poll(self) -> None:
        assert self._feed is not None and self._target is not None
        try:
            # An open handle can outlive a vanished share; ask the file system as well.
            probe(self._target)
            changes = self._feed.poll()
            if not changes:
                return
            if changes.everything or any(changes.ids(table) for table in _WORKSPACE_TABLES):
                assert self._workspace is not None
                self._workspace = refreshed(self._workspace)
                self.signals.settings_changed.emit(self._workspace)
            if (
                changes.everything
                or changes.ids("topic")
                or changes.ids("location")
                or (changes.ids("department"))
            ):
                self.signals.reloaded.emit(open_queue())
                return
            touched = set(changes.ids("incident"))
            assignments = changes.ids("assignment")
            if assignments:
                touched |= incidents_of_assignments(assignments)
            steps = changes.ids("step")
            if steps:
                touched |= incidents_of_steps(steps)
            # A file or a draft changes no queue column, but the open card shows them.
            attachments = changes.ids("attachment")
            if attachments:
                touched |= incidents_of_attachments(attachments)
            answers = changes.ids("answer_version")
            if answers:
                touched |= incidents_of_answers(answers)
            if touched:
                self.signals.rows_changed.emit(queue_rows(touched))
        except KnownDatabaseError as exc:
            self._online = False
            self.signals.went_offline.emit(exc.user_message)

    def _retry(self) -> None:
        assert self._target is not None
        try:
            probe(self._target)
        except DatabaseUnavailable:
            return
        if self._workspace is None:
            self._open(self._target)
            return
        try:
            # What changed during the outage is not in the new feed: read it all again.
            workspace = refreshed(self._workspace)
            rows = open_queue()
            self._feed = ChangeFeed()
        except KnownDatabaseError:
            return
        self._workspace = workspace
        self._online = True
        self.signals.back_online.emit()
        self.signals.settings_changed.emit(workspace)
        self.signals.reloaded.emit(rows)

    def _close(self) -> None:
        if self._workspace is not None:
            self._workspace.office.db.close()  # this thread's connection only
