"""Service calls run in the database thread, with callbacks back in the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject

from desktop.views.database_worker import DatabaseThread

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class Jobs(QObject):
    """`jobs.run(work, on_done, on_failed)`: `work` must only call services."""

    def __init__(self, database: DatabaseThread, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._database = database
        self._waiting: dict[int, tuple[Done, Failed | None]] = {}
        database.signals.job_done.connect(self._done)
        database.signals.job_failed.connect(self._failed)

    def run(self, work: Callable[[], Any], on_done: Done, on_failed: Failed | None = None) -> int:
        number = self._database.submit(work)
        self._waiting[number] = (on_done, on_failed)
        return number

    @property
    def busy(self) -> bool:
        return bool(self._waiting)

    def _done(self, number: int, result: Any) -> None:
        callbacks = self._waiting.pop(number, None)
        if callbacks is not None:
            callbacks[0](result)

    def _failed(self, number: int, error: BaseException) -> None:
        callbacks = self._waiting.pop(number, None)
        if callbacks is not None and callbacks[1] is not None:
            callbacks[1](error)
