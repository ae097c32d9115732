"""Table models of the Reports tab: each shows one part of a `Report` as it is; a number cell
names the incidents behind it (`cell_at(index)` gives the report's `Cell`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import IntEnum
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from desktop.services.formatting import format_moment
from desktop.services.queue import QueueRow
from desktop.services.report_model import (
    Cell,
    Dimension,
    DynamicsRow,
    GroupRow,
    Measure,
    ReasonCount,
    Timing,
    Violation,
)
from desktop.services.titles import STATUS_TITLES

Index = QModelIndex | QPersistentModelIndex
DISPLAY = Qt.ItemDataRole.DisplayRole
ALIGN_NUMBER = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
GOOD = QColor("#1e7e34")
BAD = QColor("#b02a37")
LINK = QColor("#0b5cad")
DASH = "—"


def format_share(value: float | None) -> str:
    """«87,5 %»; a dash when nothing was decided."""
    return DASH if value is None else f"{value:.1f}".replace(".", ",") + " %"


def format_minutes(minutes: float | None) -> str:
    """Working time: «2 ч 15 мин», «45 мин», «3 ч»; a dash for none."""
    if minutes is None:
        return DASH
    hours, rest = divmod(round(minutes), 60)
    if hours and rest:
        return f"{hours} ч {rest} мин"
    return f"{hours} ч" if hours else f"{rest} мин"


def format_number(value: float | None) -> str:
    if value is None:
        return DASH
    return f"{round(value):,}".replace(",", "\u00a0")  # thousands apart, as in Russian


class TableModel(QAbstractTableModel):
    """Fixed columns over a tuple of frozen rows; read-only."""

    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: tuple[Any, ...] = ()

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = tuple(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if (
            role == DISPLAY
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.HEADERS)
        ):
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        return self.value(self._rows[index.row()], index.column(), role)

    def value(self, row: Any, column: int, role: int) -> Any:
        raise NotImplementedError

    def cell_at(self, index: Index) -> Cell | None:
        """The report's cell under `index` when it is a number of incidents, else None."""
        return None


class GroupColumn(IntEnum):
    NAME = 0
    TOTAL = 1
    ANSWERED = 2
    ON_TIME = 3
    OVERDUE = 4
    SHARE = 5


_GROUP_MEASURES = {
    GroupColumn.TOTAL: Measure.TOTAL,
    GroupColumn.ANSWERED: Measure.ANSWERED,
    GroupColumn.ON_TIME: Measure.ON_TIME,
    GroupColumn.OVERDUE: Measure.OVERDUE,
}


class GroupModel(TableModel):
    """«По темам», «По отделам», …: a line per group; its counts open the incidents.
    For steps (`Dimension.STEP`) «Дан ответ» reads «Выполнено»."""

    def __init__(self, dimension: Dimension, name_header: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.dimension = dimension
        done = "Выполнено" if dimension is Dimension.STEP else "Дан ответ"
        self.HEADERS = (name_header, "Всего", done, "В срок", "С нарушением", "Доля в срок")

    def value(self, row: GroupRow, column: int, role: int) -> Any:
        numbers = (row.total, row.answered, row.on_time, row.overdue)
        if role == DISPLAY:
            if column == GroupColumn.NAME:
                return row.name
            if column == GroupColumn.SHARE:
                return format_share(row.share_on_time)
            return format_number(numbers[column - 1])
        if role == Qt.ItemDataRole.TextAlignmentRole and column != GroupColumn.NAME:
            return ALIGN_NUMBER
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == GroupColumn.OVERDUE and row.overdue:
                return QBrush(BAD)
            if column in _GROUP_MEASURES and numbers[column - 1]:
                return QBrush(LINK)
        if role == Qt.ItemDataRole.ToolTipRole and column in _GROUP_MEASURES:
            return "Дважды щёлкните, чтобы увидеть эти сообщения"
        if role == Qt.ItemDataRole.UserRole:  # the raw value, for sorting and tests
            if column == GroupColumn.NAME:
                return row.name
            if column == GroupColumn.SHARE:
                return row.share_on_time
            return numbers[column - 1]
        return None

    def cell_at(self, index: Index) -> Cell | None:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        measure = _GROUP_MEASURES.get(GroupColumn(index.column()))
        if measure is None:
            return None
        return Cell(self.dimension, self._rows[index.row()].key, measure)


class TimingModel(TableModel):
    HEADERS = ("Этап", "Сообщений", "Медиана", "90-й процентиль")

    def value(self, row: Timing, column: int, role: int) -> Any:
        if role == DISPLAY:
            return (
                row.label,
                format_number(row.count),
                format_minutes(row.median_minutes),
                format_minutes(row.p90_minutes),
            )[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column:
            return ALIGN_NUMBER
        return None


class ReasonModel(TableModel):
    HEADERS = ("Причина возврата", "Раз")

    def value(self, row: ReasonCount, column: int, role: int) -> Any:
        if role == DISPLAY:
            return row.reason if column == 0 else format_number(row.count)
        if role == Qt.ItemDataRole.TextAlignmentRole and column:
            return ALIGN_NUMBER
        return None


# Whether more is better for a line of «Сводка» (None: neither, such as the number of messages).
_MORE_IS_BETTER: dict[str, bool | None] = {
    "Дан ответ": True,
    "Ответ в срок": True,
    "Ответ с нарушением срока": False,
    "Доля ответов в срок, %": True,
    "Возвращено на доработку": False,
}


class DynamicsColumn(IntEnum):
    LABEL = 0
    CURRENT = 1
    PREVIOUS = 2
    YEAR_BEFORE = 3


class DynamicsModel(TableModel):
    """The period against the previous one and the same period a year before: an arrow says
    which way the number moved, green when that is better, red when worse."""

    HEADERS = ("Показатель", "Сейчас", "Прошлый период", "Год назад")

    @staticmethod
    def _text(row: DynamicsRow, value: float | None) -> str:
        return format_share(value) if row.label.endswith("%") else format_number(value)

    @staticmethod
    def _change(row: DynamicsRow, change: float) -> str:
        """How much more (or less) there is now: «+27», «−6», «+3,7» (points of a share)."""
        size = (
            f"{abs(change):.1f}".replace(".", ",")
            if row.label.endswith("%")
            else (format_number(abs(change)))
        )
        return ("+" if change > 0 else "\u2212") + size

    @staticmethod
    def trend(row: DynamicsRow, against: float | None) -> tuple[str, QColor | None]:
        """The arrow before an earlier value (how the current one moved from it) and its colour."""
        if row.current is None or against is None or row.current == against:
            return ("", None)
        rising = row.current > against
        arrow = "▲" if rising else "▼"
        better = _MORE_IS_BETTER.get(row.label)
        if better is None:
            return (arrow, None)
        return (arrow, GOOD if rising == better else BAD)

    def value(self, row: DynamicsRow, column: int, role: int) -> Any:
        against = {
            DynamicsColumn.PREVIOUS: row.previous,
            DynamicsColumn.YEAR_BEFORE: row.year_before,
        }.get(DynamicsColumn(column))
        if role == DISPLAY:
            if column == DynamicsColumn.LABEL:
                return row.label
            if column == DynamicsColumn.CURRENT:
                return self._text(row, row.current)
            arrow, _ = self.trend(row, against)
            text = self._text(row, against)
            if not arrow or row.current is None or against is None:
                return text
            return f"{text}  {arrow} {self._change(row, row.current - against)}"
        if role == Qt.ItemDataRole.ForegroundRole and column >= DynamicsColumn.PREVIOUS:
            _, colour = self.trend(row, against)
            return None if colour is None else QBrush(colour)
        if role == Qt.ItemDataRole.FontRole and column == DynamicsColumn.CURRENT:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and column >= DynamicsColumn.PREVIOUS:
            arrow, _ = self.trend(row, against)
            if arrow == "▲":
                return "Сейчас больше, чем тогда (на столько, сколько после стрелки)"
            if arrow == "▼":
                return "Сейчас меньше, чем тогда (на столько, сколько после стрелки)"
        if role == Qt.ItemDataRole.TextAlignmentRole and column:
            return ALIGN_NUMBER
        return None


class ViolationModel(TableModel):
    """Every missed deadline; a double click opens the message."""

    HEADERS = ("№", "Шаг", "Отдел", "Ответственный", "Срок", "Выполнено", "Опоздание (раб. время)")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.zone = ZoneInfo("Europe/Moscow")

    def set_violations(self, rows: Sequence[Violation], zone: ZoneInfo) -> None:
        self.zone = zone
        self.set_rows(rows)

    def incident_at(self, row: int) -> int | None:
        return self._rows[row].incident_id if 0 <= row < len(self._rows) else None

    def value(self, row: Violation, column: int, role: int) -> Any:
        if role == DISPLAY:
            return (
                str(row.number),
                row.step,
                row.department or DASH,
                row.responsible or DASH,
                format_moment(row.due_at, self.zone),
                "не выполнен" if row.done_at is None else format_moment(row.done_at, self.zone),
                format_minutes(row.late_minutes),
            )[column]
        if role == Qt.ItemDataRole.ForegroundRole and (
            column == 6 or (column == 5 and row.done_at is None)
        ):
            return QBrush(BAD)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (0, 6):
            return ALIGN_NUMBER
        return None


class IncidentListModel(TableModel):
    """The incidents behind a number: №, status, the first line of the text."""

    HEADERS = ("№", "Состояние", "Отдел", "Текст")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._ids: tuple[int, ...] = ()

    def set_incidents(self, ids: Sequence[int], rows: dict[int, QueueRow | None]) -> None:
        self.beginResetModel()
        self._ids = tuple(ids)
        self._rows = tuple(rows.get(incident_id) for incident_id in ids)
        self.endResetModel()

    def incident_at(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def value(self, row: QueueRow | None, column: int, role: int) -> Any:
        if role == DISPLAY:
            if row is None:
                return (DASH, "удалено", DASH, "Сообщения больше нет в базе")[column]
            return (
                str(row.number),
                STATUS_TITLES[row.status],
                row.departments or DASH,
                row.summary,
            )[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 0:
            return ALIGN_NUMBER
        if role == Qt.ItemDataRole.ToolTipRole and column == 3 and row is not None:
            return row.summary
        return None


def local_date(moment: dt.datetime, zone: ZoneInfo) -> dt.date:
    return moment.astimezone(zone).date()
