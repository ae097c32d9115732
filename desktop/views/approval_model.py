"""The drafts waiting for the user's decision, as a Qt table model with ticking countdowns.

The rows come in the service's order (soonest deadline first) and keep it: every countdown
shrinks by the same working time, so a tick never reorders. A tick is one working position of
"now" and one subtraction a row (`desktop/services/countdown.py`); the countdown column is
repainted when the minute shown or a row's level changes, as in the queue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from enum import IntEnum
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from desktop.services.approvals import STAGE_TITLES, ReviewStage, WaitingDraft
from desktop.services.countdown import (
    US_PER_MINUTE,
    Countdowns,
    Level,
    Now,
    Track,
    describe_left,
    format_working,
)
from desktop.services.formatting import format_moment
from desktop.services.titles import NETWORK_TITLES
from desktop.services.vocabulary import Importance
from desktop.services.workcalendar import WorkCalendar
from desktop.views.queue_model import BRUSHES, TEXT_COLOURS, high_importance_icon, network_icon

Index = QModelIndex | QPersistentModelIndex

ANSWER_ID_ROLE = Qt.ItemDataRole.UserRole + 1
LEVEL_ROLE = Qt.ItemDataRole.UserRole + 2


class Column(IntEnum):
    NUMBER = 0
    KIND = 1
    DEPARTMENT = 2
    LEFT = 3


HEADERS = {
    Column.NUMBER: "№",
    Column.KIND: "Проект",
    Column.DEPARTMENT: "Отдел",
    Column.LEFT: "Осталось",
}
_COUNTDOWN = [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole]
_LOOKS = [
    LEVEL_ROLE,
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.BackgroundRole,
    Qt.ItemDataRole.ForegroundRole,
]


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class ApprovalModel(QAbstractTableModel):
    """`WaitingDraft` rows; `tick()` once a second keeps their countdowns current."""

    def __init__(
        self,
        zone: ZoneInfo,
        now: Callable[[], dt.datetime] = _utcnow,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._zone = zone
        self._now = now
        self._rows: list[WaitingDraft] = []
        self._countdowns: Countdowns | None = None
        self._tracks: list[Track | None] = []
        self._tick: Now | None = None
        self._minute = -1
        self._levels: list[Level] = []

    # --- Qt model API -------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS.get(Column(section)) if 0 <= section < len(Column) else None
        return super().headerData(section, orientation, role)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(index.row(), row, column)
        if role == ANSWER_ID_ROLE:
            return row.answer_id
        if role == LEVEL_ROLE:
            return int(self.level(index.row()))
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(index.row(), row, column)
        if role == Qt.ItemDataRole.DecorationRole and column is Column.NUMBER:
            return high_importance_icon() if row.importance is Importance.HIGH else None
        if role == Qt.ItemDataRole.DecorationRole and column is Column.KIND:
            return network_icon(row.network.value)
        if role == Qt.ItemDataRole.FontRole and row.importance is Importance.HIGH:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole:
            return BRUSHES.get(self.level(index.row()))
        if role == Qt.ItemDataRole.ForegroundRole and column is Column.LEFT:
            return TEXT_COLOURS.get(self.level(index.row()))
        return None

    def _display(self, position: int, row: WaitingDraft, column: Column) -> str:
        match column:
            case Column.NUMBER:
                return str(row.number)
            case Column.KIND:
                kind = row.kind_title[:1].upper() + row.kind_title[1:]
                suffix = f", ред. {row.version_number}" if row.version_number > 1 else ""
                stage = " (рук. органа)" if row.stage is ReviewStage.DEPARTMENT else ""
                return f"{kind}{suffix}{stage}"
            case Column.DEPARTMENT:
                return row.department or "куратор"
            case Column.LEFT:
                left = self.remaining(position)
                return "без срока" if left is None else format_working(left)

    def _tooltip(self, position: int, row: WaitingDraft, column: Column) -> str:
        if column is Column.NUMBER:
            return f"Сообщение № {row.number}, {NETWORK_TITLES[row.network]}"
        if column is Column.LEFT:
            who = STAGE_TITLES[row.stage]
            due = format_moment(row.step_due_at, self._zone) if row.step_due_at else "без срока"
            parts = [f"Согласует {who}: срок {due}"]
            left = self.remaining(position)
            if left is not None:
                parts.append(describe_left(left))
            if row.step_rule:
                parts.append(f"Основание: {row.step_rule}")
            return "\n".join(parts)
        author = f", автор {row.author}" if row.author else ""
        return f"Направлен {row.submitted}{author}"

    # --- rows and countdowns ---------------------------------------------------------------
    def set_calendar(self, calendar: WorkCalendar, zone: ZoneInfo) -> None:
        self._zone = zone
        self._countdowns = Countdowns(calendar, zone, self._now())
        self._retrack()
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(Column) - 1), _LOOKS
            )

    def set_rows(self, rows: Sequence[WaitingDraft]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._retrack()
        self.endResetModel()

    def _retrack(self) -> None:
        countdowns = self._countdowns
        self._tracks = [
            None if countdowns is None else countdowns.track(r.step_started_at, r.step_due_at)
            for r in self._rows
        ]
        self._tick = None if countdowns is None else countdowns.tick(self._now())
        self._levels = [self.level(i) for i in range(len(self._rows))]

    def tick(self) -> None:
        """Advance the countdowns to now; repaint them when the minute shown or a level
        changed."""
        countdowns = self._countdowns
        if countdowns is None:
            return
        now = self._now()
        if not countdowns.covers(now):  # a new year: positions are rebuilt
            self.set_calendar(countdowns.calendar, self._zone)
            return
        self._tick = countdowns.tick(now)
        if not self._rows:
            return
        levels = [self.level(i) for i in range(len(self._rows))]
        last = len(self._rows) - 1
        if levels != self._levels:
            self._levels = levels
            self._minute = self._tick.position // US_PER_MINUTE
            self.dataChanged.emit(self.index(0, 0), self.index(last, len(Column) - 1), _LOOKS)
            return
        minute = self._tick.position // US_PER_MINUTE
        if minute != self._minute:
            self._minute = minute
            self.dataChanged.emit(
                self.index(0, Column.LEFT), self.index(last, Column.LEFT), _COUNTDOWN
            )

    def remaining(self, position: int) -> int | None:
        track = self._tracks[position] if 0 <= position < len(self._tracks) else None
        if track is None or self._tick is None:
            return None
        return Countdowns.remaining(track, self._tick)

    def level(self, position: int) -> Level:
        if self._tick is None or not 0 <= position < len(self._tracks):
            return Level.NONE
        return Countdowns.level(self._tracks[position], self._tick)

    # --- lookups ------------------------------------------------------------------------
    def draft_at(self, position: int) -> WaitingDraft:
        return self._rows[position]

    def position_of(self, answer_id: int) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.answer_id == answer_id), None)

    def first_of_incident(self, incident_id: int) -> WaitingDraft | None:
        return next((r for r in self._rows if r.incident_id == incident_id), None)

    def row_for(self, answer_id: int | None) -> WaitingDraft | None:
        position = None if answer_id is None else self.position_of(answer_id)
        return None if position is None else self._rows[position]

    def answer_ids(self) -> list[int]:
        return [row.answer_id for row in self._rows]
