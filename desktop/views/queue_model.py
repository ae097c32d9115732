"""The incident queue as a Qt table model over `QueueRow`s, with countdowns ticking from memory.

Each row's running step becomes a working-time `Track` once (when the row arrives); `tick()`
takes "now" once and, per row, the countdown is one subtraction. A tick emits `dataChanged`
for the countdown column only when the minute shown changes, and reports rows whose level
crossed into "under 25 %" or "overdue" through two heaps — never a pass over every row.

The model sorts itself (the proxy only filters): a QSortFilterProxyModel sorting ten thousand
rows calls the Python `data()` some 260,000 times. As time passes every countdown shrinks by
the same working time, so their order holds and a tick never re-sorts.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import IntEnum
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPixmap

from desktop.services.countdown import (
    SOON_SHARE,
    US_PER_MINUTE,
    Countdowns,
    Level,
    Now,
    Track,
    describe_left,
    format_working,
)
from desktop.services.formatting import format_moment
from desktop.services.queue import QueueRow
from desktop.services.queue_filter import Me, QueueFilter
from desktop.services.titles import (
    IMPORTANCE_TITLES,
    NETWORK_TITLES,
    STATUS_TITLES,
    STEP_KIND_TITLES,
)
from desktop.services.workcalendar import WorkCalendar

Index = QModelIndex | QPersistentModelIndex

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
INCIDENT_ID_ROLE = Qt.ItemDataRole.UserRole + 2
LEVEL_ROLE = Qt.ItemDataRole.UserRole + 3
ROW_ROLE = Qt.ItemDataRole.UserRole + 4

BRUSHES = {
    Level.OVERDUE: QBrush(QColor("#f8d7da")),
    Level.SOON: QBrush(QColor("#fff3cd")),
}
TEXT_COLOURS = {Level.OVERDUE: QBrush(QColor("#842029")), Level.SOON: QBrush(QColor("#664d03"))}


class Column(IntEnum):
    NUMBER = 0
    NETWORK = 1
    AUTHOR = 2
    TEXT = 3
    TOPIC = 4
    LOCATION = 5
    DEPARTMENTS = 6
    STATUS = 7
    STEP = 8
    LEFT = 9
    DUE = 10


# Roles a tick changes: never the sort role, so no view or proxy re-sorts on a tick.
_COUNTDOWN_TEXT = [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole]
_LOOKS = [
    LEVEL_ROLE,  # tells the proxy to re-test its filter; a tick's repaint does not
    Qt.ItemDataRole.BackgroundRole,
    Qt.ItemDataRole.ForegroundRole,
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.ToolTipRole,
]

HEADERS = {
    Column.NUMBER: "№",
    Column.NETWORK: "",
    Column.AUTHOR: "Автор",
    Column.TEXT: "Сообщение",
    Column.TOPIC: "Тема",
    Column.LOCATION: "Территория",
    Column.DEPARTMENTS: "Отдел(ы)",
    Column.STATUS: "Состояние",
    Column.STEP: "Шаг",
    Column.LEFT: "Осталось",
    Column.DUE: "Ответить до",
}

_FAR = 2**62  # sorts after every real position
_FAR_FUTURE = dt.datetime.max.replace(tzinfo=dt.UTC)
_icons: dict[str, QIcon] = {}
_NETWORK_BADGES = {  # (label, colour): drawn at runtime, no icon files or emoji fonts needed
    "vk": ("VK", "#0077ff"),
    "ok": ("OK", "#ee8208"),
    "telegram": ("TG", "#27a6e5"),
    "max": ("M", "#7b3fe4"),
    "whatsapp": ("WA", "#25d366"),
    "instagram": ("IG", "#c13584"),
    "facebook": ("f", "#1877f2"),
    "x": ("X", "#14171a"),
    "incident_manager": ("ИМ", "#6c757d"),
    "pos": ("ПОС", "#0d6efd"),
    "email": ("@", "#6c757d"),
    "other": ("…", "#adb5bd"),
}


def high_importance_icon() -> QIcon:
    """A red dot drawn at runtime."""
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


def network_icon(network: str) -> QIcon:
    """A small coloured badge with the network's letters."""
    key = f"network:{network}"
    if key not in _icons:
        label, colour = _NETWORK_BADGES.get(network, _NETWORK_BADGES["other"])
        pixmap = QPixmap(28, 16)
        pixmap.fill(QColor(0, 0, 0, 0))
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(QColor(colour))
        painter.setPen(QColor(colour))
        painter.drawRoundedRect(0, 0, 27, 15, 4, 4)
        font = QFont()
        font.setPixelSize(9)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, label)
        painter.end()
        _icons[key] = QIcon(pixmap)
    return _icons[key]


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _step_of(row: QueueRow) -> tuple[object, object, object]:
    return row.step, row.step_started_at, row.step_due_at


@dataclass(frozen=True)
class Crossing:
    """A row's countdown reached a level: under a quarter left, or overdue."""

    incident_id: int
    level: Level
    row: QueueRow


class QueueModel(QAbstractTableModel):
    """Open incidents; `tick()` once a second keeps the countdowns current."""

    crossed = Signal(object)  # list[Crossing]

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
        self._countdowns: Countdowns | None = None
        self._tracks: dict[int, Track | None] = {}
        self._tick: Now | None = None
        self._minute = -1
        self._sort_column = Column.LEFT
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._soon: list[tuple[int, int, int]] = []  # (position, incident id, generation)
        self._overdue: list[tuple[float, int, int]] = []  # (timestamp, incident id, generation)
        self._generation: dict[int, int] = {}

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
        if role == ROW_ROLE:
            return row
        if role == LEVEL_ROLE:
            return int(self.level(row.incident_id))
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.DecorationRole:
            if column is Column.NUMBER and row.is_high:
                return high_importance_icon()
            if column is Column.NETWORK:
                return network_icon(row.network.value)
            return None
        if role == Qt.ItemDataRole.FontRole and row.is_high:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole:
            return BRUSHES.get(self.level(row.incident_id))
        if role == Qt.ItemDataRole.ForegroundRole and column is Column.LEFT:
            return TEXT_COLOURS.get(self.level(row.incident_id))
        return None

    # --- content ------------------------------------------------------------------------
    def _display(self, row: QueueRow, column: Column) -> str:
        match column:
            case Column.NUMBER:
                return str(row.number)
            case Column.NETWORK:
                return ""  # the badge says it; the name is in the tooltip
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
            case Column.STEP:
                return "" if row.step is None else STEP_KIND_TITLES[row.step]
            case Column.LEFT:
                left = self.remaining(row.incident_id)
                return "" if left is None else format_working(left)
            case Column.DUE:
                return format_moment(row.answer_due_at, self._zone)

    def _sort_key(self, row: QueueRow, column: Column) -> Any:
        if column is Column.NUMBER:
            return row.number
        if column is Column.LEFT:
            left = self.remaining(row.incident_id)
            return _FAR if left is None else left
        if column is Column.DUE:
            return (row.answer_due_at or _FAR_FUTURE).timestamp()
        if column is Column.NETWORK:
            return NETWORK_TITLES[row.network]
        return self._display(row, column).casefold()

    def _tooltip(self, row: QueueRow, column: Column) -> str | None:
        if column is Column.NETWORK:
            return NETWORK_TITLES[row.network]
        if column is Column.TEXT:
            return row.summary
        if column is Column.NUMBER:
            return f"Важность: {IMPORTANCE_TITLES[row.importance]}"
        if column in (Column.STEP, Column.LEFT) and row.step is not None:
            left = self.remaining(row.incident_id)
            due = format_moment(row.step_due_at, self._zone) if row.step_due_at else "без срока"
            parts = [f"{STEP_KIND_TITLES[row.step]}: срок {due}"]
            if left is not None:
                parts.append(describe_left(left))
            if row.step_rule:
                parts.append(f"Основание: {row.step_rule}")
            return "\n".join(parts)
        if column is Column.DUE and row.answer_due_at is not None:
            return "Срок ответа на сообщение"
        return None

    # --- countdowns ---------------------------------------------------------------------
    def set_calendar(self, calendar: WorkCalendar, zone: ZoneInfo) -> None:
        """The office's working calendar: every countdown is recounted with it."""
        self._zone = zone
        self._countdowns = Countdowns(calendar, zone, self._now())
        self._retrack_all()

    def _retrack_all(self) -> None:
        self._tracks.clear()
        self._soon.clear()
        self._overdue.clear()
        for row in self._rows:
            self._retrack(row)
        self._tick = None
        self.tick(report=False)
        self._resort()
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(Column) - 1), _LOOKS
            )

    def _retrack(self, row: QueueRow) -> None:
        generation = self._generation.get(row.incident_id, 0) + 1
        self._generation[row.incident_id] = generation
        track = None
        if self._countdowns is not None and row.step_due_at is not None:
            track = self._countdowns.track(row.step_started_at, row.step_due_at)
        self._tracks[row.incident_id] = track
        if track is not None:
            soon = track.due - int(track.total * SOON_SHARE)
            heapq.heappush(self._soon, (soon, row.incident_id, generation))
            heapq.heappush(self._overdue, (track.due_at.timestamp(), row.incident_id, generation))

    def remaining(self, incident_id: int) -> int | None:
        track = self._tracks.get(incident_id)
        if track is None or self._tick is None:
            return None
        return Countdowns.remaining(track, self._tick)

    def level(self, incident_id: int) -> Level:
        if self._tick is None:
            return Level.NONE
        return Countdowns.level(self._tracks.get(incident_id), self._tick)

    def tick(self, *, report: bool = True) -> list[Crossing]:
        """Advance the countdowns to now: repaint them when the minute shown changed, and
        report the rows that crossed a level since the last tick."""
        if self._countdowns is None:
            return []
        now = self._now()
        if not self._countdowns.covers(now):  # a new year began: positions are rebuilt
            self._countdowns = Countdowns(self._countdowns.calendar, self._zone, now)
            self._retrack_all()
            return []
        self._tick = self._countdowns.tick(now)
        crossings = self._pop_crossings(self._tick)
        minute = self._tick.position // US_PER_MINUTE
        if minute != self._minute and self._rows:
            self._minute = minute
            last = len(self._rows) - 1
            self.dataChanged.emit(
                self.index(0, Column.LEFT), self.index(last, Column.LEFT), _COUNTDOWN_TEXT
            )
        for crossing in crossings:
            position = self._row_of[crossing.incident_id]
            self.dataChanged.emit(
                self.index(position, 0), self.index(position, len(Column) - 1), _LOOKS
            )
        if report and crossings:
            self.crossed.emit(crossings)
        return crossings

    def _pop_crossings(self, now: Now) -> list[Crossing]:
        found: dict[int, Level] = {}
        timestamp = now.at.timestamp()
        while self._overdue and self._overdue[0][0] < timestamp:
            _, incident_id, generation = heapq.heappop(self._overdue)
            if self._generation.get(incident_id) == generation and incident_id in self._row_of:
                found[incident_id] = Level.OVERDUE
        while self._soon and self._soon[0][0] <= now.position:
            _, incident_id, generation = heapq.heappop(self._soon)
            if (
                self._generation.get(incident_id) == generation
                and incident_id in self._row_of
                and incident_id not in found
                and self.level(incident_id) is Level.SOON
            ):
                found[incident_id] = Level.SOON
        return [Crossing(i, level, self._rows[self._row_of[i]]) for i, level in found.items()]

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
        self._tracks.clear()
        self._soon.clear()
        self._overdue.clear()
        for row in self._rows:
            self._retrack(row)
        self._tick = None
        self.tick(report=False)
        self._rows.sort(key=self._order_key, reverse=self._descending)
        self._reindex()
        self.endResetModel()

    # --- sorting ------------------------------------------------------------------------
    @property
    def _descending(self) -> bool:
        return self._sort_order is Qt.SortOrder.DescendingOrder

    def _order_key(self, row: QueueRow) -> tuple[Any, int]:
        return self._sort_key(row, self._sort_column), row.number

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(Column):
            return
        self._sort_column, self._sort_order = Column(column), order
        self._resort()

    def _resort(self) -> None:
        """Put the rows in order; selections and the current row follow their incidents."""
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        held = [(self._rows[i.row()].incident_id, i.column()) for i in before]
        self._rows.sort(key=self._order_key, reverse=self._descending)
        self._reindex()
        self.changePersistentIndexList(
            before, [self.index(self._row_of[incident], column) for incident, column in held]
        )
        self.layoutChanged.emit()

    def apply(self, fresh: Mapping[int, QueueRow | None]) -> None:
        """Update, insert or remove only the given incidents, each moved to its place in the
        order; selection and scroll survive."""
        for incident_id, row in fresh.items():
            position = self._row_of.get(incident_id)
            if row is None:
                if position is not None:
                    self.beginRemoveRows(QModelIndex(), position, position)
                    del self._rows[position]
                    self._tracks.pop(incident_id, None)
                    self._generation[incident_id] = self._generation.get(incident_id, 0) + 1
                    self._reindex()
                    self.endRemoveRows()
                continue
            if position is None or _step_of(self._rows[position]) != _step_of(row):
                # An unchanged step keeps its countdown, and the levels it already reached
                # stay reached: a colleague's note must not re-announce an overdue step.
                self._retrack(row)
            if position is None:
                place = self._place_of(row)
                self.beginInsertRows(QModelIndex(), place, place)
                self._rows.insert(place, row)
                self._reindex()
                self.endInsertRows()
                continue
            del self._rows[position]
            place = self._place_of(row)
            self._rows.insert(position, row)
            if place != position:
                # Qt's destination is the row before which it lands, counted before the move.
                destination = place if place < position else place + 1
                self.beginMoveRows(QModelIndex(), position, position, QModelIndex(), destination)
                del self._rows[position]
                self._rows.insert(place, row)
                self._reindex()
                self.endMoveRows()
            self.dataChanged.emit(self.index(place, 0), self.index(place, len(Column) - 1))

    def _place_of(self, row: QueueRow) -> int:
        """Where `row` goes among the rows in order (binary search: keys of a few rows only)."""
        key = self._order_key(row)
        low, high = 0, len(self._rows)
        while low < high:
            middle = (low + high) // 2
            other = self._order_key(self._rows[middle])
            if (other > key) if self._descending else (other < key):
                low = middle + 1
            else:
                high = middle
        return low

    def position_of(self, incident_id: int) -> int | None:
        return self._row_of.get(incident_id)

    def row_for(self, incident_id: int) -> QueueRow | None:
        position = self._row_of.get(incident_id)
        return None if position is None else self._rows[position]

    def row_at(self, position: int) -> QueueRow:
        return self._rows[position]

    def incident_at(self, position: int) -> int:
        return self._rows[position].incident_id

    def incident_ids(self) -> list[int]:
        return [row.incident_id for row in self._rows]

    def _reindex(self) -> None:
        self._row_of = {row.incident_id: i for i, row in enumerate(self._rows)}


class QueueProxyModel(QSortFilterProxyModel):
    """Filters the queue; sorting is the source model's own (see the module's docstring).

    Not dynamic: Qt would re-test every row whenever the countdown column repaints, calling
    Python ten thousand times a minute. Rows are tested when they arrive; all are re-tested
    when the filter changes, and when a row's content or level changes (`LEVEL_ROLE` among
    the changed roles, or all roles) while a filter is on — so «overdue only» follows the
    countdowns without a timer of its own.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setDynamicSortFilter(False)
        self.queue_filter = QueueFilter()
        self.me = Me(None)
        # Many rows change at once (a tick's crossings, a batch from another workstation):
        # one re-test after them, not one per row.
        self._retest = QTimer(self)
        self._retest.setSingleShot(True)
        self._retest.setInterval(0)
        self._retest.timeout.connect(self._retest_rows)

    def setSourceModel(self, model: Any) -> None:
        previous = self.sourceModel()
        if previous is not None:
            previous.dataChanged.disconnect(self._source_changed)
        super().setSourceModel(model)
        if model is not None:
            model.dataChanged.connect(self._source_changed)

    def _source_changed(self, _first: Any, _last: Any, roles: list[int] | None = None) -> None:
        if self.queue_filter.active and (not roles or LEVEL_ROLE in roles):
            self._retest.start()

    def _retest_rows(self) -> None:
        if self.queue_filter.active:
            self.beginFilterChange()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_filter(self, queue_filter: QueueFilter) -> None:
        if (
            queue_filter == self.queue_filter
            and queue_filter.matching is self.queue_filter.matching
        ):
            return
        self.beginFilterChange()
        self.queue_filter = queue_filter
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_me(self, me: Me) -> None:
        self.beginFilterChange()
        self.me = me
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Any) -> bool:
        if not self.queue_filter.active:
            return True
        model = self.sourceModel()
        assert isinstance(model, QueueModel)
        row = model.row_at(source_row)
        return self.queue_filter.accepts(row, model.level(row.incident_id), self.me)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if source is not None:
            source.sort(column, order)
