"""One table model for every settings list: rows are service dataclasses, columns are
functions of a row. Archived rows are grey."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

Index = QModelIndex | QPersistentModelIndex
ARCHIVED_COLOUR = QColor("#8a8a8a")


@dataclass(frozen=True)
class Column:
    header: str
    text: Callable[[Any], str]
    numeric: bool = False  # right-aligned
    tooltip: Callable[[Any], str] | None = None


def active_of(row: Any) -> bool:
    return bool(getattr(row, "active", True))


class RecordTableModel(QAbstractTableModel):
    """Read-only rows; `row_at(i)` gives the dataclass back to the page."""

    def __init__(
        self,
        columns: Sequence[Column],
        parent: Any = None,
        *,
        is_active: Callable[[Any], bool] = active_of,
        is_bold: Callable[[Any], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self._rows: list[Any] = []
        self._is_active = is_active
        self._is_bold = is_bold

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[Any]:
        return list(self._rows)

    def row_at(self, position: int) -> Any:
        return self._rows[position] if 0 <= position < len(self._rows) else None

    def position_of(self, key: Callable[[Any], bool]) -> int | None:
        return next((i for i, row in enumerate(self._rows) if key(row)), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header if 0 <= section < len(self.columns) else None
        return super().headerData(section, orientation, role)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.row_at(index.row())
        if row is None or not 0 <= index.column() < len(self.columns):
            return None
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(row) or None
        if role == Qt.ItemDataRole.ForegroundRole and not self._is_active(row):
            return QBrush(ARCHIVED_COLOUR)
        if role == Qt.ItemDataRole.FontRole and self._is_bold is not None and self._is_bold(row):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def state_text(row: Any) -> str:
    return "действует" if active_of(row) else "в архиве"
