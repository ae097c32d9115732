"""Table models of the incident card: its steps and its history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from desktop.services.formatting import format_moment
from desktop.services.incident_card import CardStep
from desktop.services.incident_history import HistoryEntry
from desktop.services.titles import STEP_KIND_TITLES

Index = QModelIndex | QPersistentModelIndex
LATE = QColor("#b02a37")
CANCELLED = QColor("#777777")


class _ReadOnlyTable(QAbstractTableModel):
    """A flat, read-only list of records under fixed headers."""

    HEADERS: tuple[str, ...] = ()

    def __init__(self, zone: ZoneInfo, parent: Any = None) -> None:
        super().__init__(parent)
        self._zone = zone
        self._records: list[Any] = []

    def _replace(self, records: Sequence[Any], zone: ZoneInfo) -> None:
        self.beginResetModel()
        self._records, self._zone = list(records), zone
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section] if 0 <= section < len(self.HEADERS) else None
        return None


class StepsModel(_ReadOnlyTable):
    """Every step with its start, due and done moments; late ones in red."""

    HEADERS = ("Шаг", "Срок", "Выполнен", "Отдел", "Ответственный", "Начат")

    def __init__(self, zone: ZoneInfo, parent: Any = None) -> None:
        super().__init__(zone, parent)
        self._now = dt.datetime.now(dt.UTC)

    def set_steps(self, steps: Sequence[CardStep], zone: ZoneInfo, now: dt.datetime) -> None:
        self._now = now
        self._replace(steps, zone)

    def _late(self, step: CardStep) -> bool:
        if step.due_at is None or step.cancelled:
            return False
        return (step.done_at or self._now) > step.due_at

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        step: CardStep = self._records[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            done = "отменён" if step.cancelled else format_moment(step.done_at, self._zone)
            values = (
                STEP_KIND_TITLES[step.kind],
                format_moment(step.due_at, self._zone) or "—",
                done,
                step.department,
                step.responsible,
                format_moment(step.started_at, self._zone),
            )
            return values[index.column()] if 0 <= index.column() < len(values) else None
        if role == Qt.ItemDataRole.ForegroundRole:
            if step.cancelled:
                return QBrush(CANCELLED)
            if self._late(step):
                return QBrush(LATE)
        if role == Qt.ItemDataRole.ToolTipRole and step.rule:
            return f"Срок по регламенту: {step.rule}"
        return None


class HistoryModel(_ReadOnlyTable):
    """The audit log as a timeline: when, who, what."""

    HEADERS = ("Когда", "Кто", "Что")

    def set_entries(self, entries: Sequence[HistoryEntry], zone: ZoneInfo) -> None:
        self._replace(entries, zone)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        entry: HistoryEntry = self._records[index.row()]
        values = (format_moment(entry.at, self._zone), entry.who, entry.text)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return values[index.column()] if 0 <= index.column() < len(values) else None
        return None
