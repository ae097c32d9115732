"""The incident queue as a Qt table model over `QueueRow`s from the queue service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from enum import IntEnum
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPixmap

from desktop.services.formatting import format_moment
from desktop.services.queue import QueueRow
from desktop.services.titles import IMPORTANCE_TITLES, NETWORK_TITLES, STATUS_TITLES

Index = QModelIndex | QPersistentModelIndex

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
INCIDENT_ID_ROLE = Qt.ItemDataRole.UserRole + 2

OVERDUE_BRUSH = QBrush(QColor("#f8d7da"))
SOON_BRUSH = QBrush(QColor("#fff3cd"))
SOON = dt.timedelta(hours=1)


class Column(IntEnum):
    NUMBER = 0
    NETWORK = 1
    AUTHOR = 2
    TEXT = 3
    TOPIC = 4
    LOCATION = 5
    DEPARTMENTS = 6
    STATUS = 7
    DUE = 8


HEADERS = {
    Column.NUMBER: "№",
    Column.NETWORK: "Соцсеть",
    Column.AUTHOR: "Автор",
    Column.TEXT: "Сообщение",
    Column.TOPIC: "Тема",
    Column.LOCATION: "Территория",
    Column.DEPARTMENTS: "Отдел(ы)",
    Column.STATUS: "Состояние",
    Column.DUE: "Ответить до",
}

_FAR_FUTURE = dt.datetime.max.replace(tzinfo=dt.UTC)
_icons: dict[str, QIcon] = {}


def high_importance_icon() -> QIcon:
    """A red dot drawn at runtime: no icon file, no emoji font needed."""
    if "high" not in _icons:
        pixmap = QPixmap(12, 12)
        pixmap.fill(QColor(0, 0, 0, 0))
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(QColor("#c82333"))
        painter.setPen(QColor("#c82333"))
        painter.drawEllipse(1, 1, 10, 10)
        painter.end()
        _icons["high"] = QIcon(pixmap)
    return _icons["high"]


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class QueueModel(QAbstractTableModel):
    def __init__(
        self,
        zone: ZoneInfo,
        now: Callable[[], dt.datetime] = _utcnow,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._zone = zone
        self._now = now
        self._rows: list[QueueRow] = []
        self._row_of: dict[int, int] = {}

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
            return self._display(row, column)
        if role == SORT_ROLE:
            return self._sort_key(row, column)
        if role == INCIDENT_ID_ROLE:
            return row.incident_id
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.DecorationRole and column is Column.NUMBER and row.is_high:
            return high_importance_icon()
        if role == Qt.ItemDataRole.FontRole and row.is_high:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._background(row)
        return None

    # --- content ------------------------------------------------------------------------
    def _display(self, row: QueueRow, column: Column) -> str:
        match column:
            case Column.NUMBER:
                return str(row.number)
            case Column.NETWORK:
                return NETWORK_TITLES[row.network]
            case Column.AUTHOR:
                return row.author
            case Column.TEXT:
                return row.summary
            case Column.TOPIC:
                return row.topic
            case Column.LOCATION:
                return row.location
            case Column.DEPARTMENTS:
                return row.departments
            case Column.STATUS:
                return STATUS_TITLES[row.status]
            case Column.DUE:
                return format_moment(row.answer_due_at, self._zone)

    def _sort_key(self, row: QueueRow, column: Column) -> Any:
        if column is Column.NUMBER:
            return row.number
        if column is Column.DUE:
            return (row.answer_due_at or _FAR_FUTURE).timestamp()
        return self._display(row, column).casefold()

    def _tooltip(self, row: QueueRow, column: Column) -> str | None:
        if column is Column.TEXT:
            return row.summary
        if column is Column.NUMBER:
            return f"Важность: {IMPORTANCE_TITLES[row.importance]}"
        if column is Column.DUE and row.answer_due_at is not None:
            return "Срок ответа на сообщение"
        return None

    def _background(self, row: QueueRow) -> QBrush | None:
        if row.answer_due_at is None:
            return None
        left = row.answer_due_at - self._now()
        if left <= dt.timedelta(0):
            return OVERDUE_BRUSH
        return SOON_BRUSH if left <= SOON else None

    # --- updates ------------------------------------------------------------------------
    def set_zone(self, zone: ZoneInfo) -> None:
        self._zone = zone
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(Column) - 1)
            )

    def set_rows(self, rows: Iterable[QueueRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._reindex()
        self.endResetModel()

    def apply(self, fresh: Mapping[int, QueueRow | None]) -> None:
        """Update, insert or remove only the given incidents; selection and scroll survive."""
        for incident_id, row in fresh.items():
            position = self._row_of.get(incident_id)
            if row is None:
                if position is not None:
                    self.beginRemoveRows(QModelIndex(), position, position)
                    del self._rows[position]
                    self._reindex()
                    self.endRemoveRows()
            elif position is None:
                end = len(self._rows)
                self.beginInsertRows(QModelIndex(), end, end)
                self._rows.append(row)
                self._row_of[incident_id] = end
                self.endInsertRows()
            else:
                self._rows[position] = row
                self.dataChanged.emit(
                    self.index(position, 0), self.index(position, len(Column) - 1)
                )

    def row_for(self, incident_id: int) -> QueueRow | None:
        position = self._row_of.get(incident_id)
        return None if position is None else self._rows[position]

    def incident_ids(self) -> list[int]:
        return [row.incident_id for row in self._rows]

    def _reindex(self) -> None:
        self._row_of = {row.incident_id: i for i, row in enumerate(self._rows)}


class QueueProxyModel(QSortFilterProxyModel):
    """Sorts by `SORT_ROLE` (deadlines as moments, numbers as numbers)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)
