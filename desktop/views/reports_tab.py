"""«Отчёты»: the report of a month, an ISO week or any period, on screen; a number opens the
messages behind it; «Сохранить в Excel…» writes the same report as a file.

The tab computes nothing: a `ReportSource` (the report service, `desktop/views/report_source.py`)
builds the `Report`, names the incidents behind a `Cell` and writes the file; every call that
reads or writes runs in the database thread through `Jobs`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QStandardPaths, Qt, Signal
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.services.errors import KnownDatabaseError
from desktop.services.formatting import format_moment
from desktop.services.queue import QueueRow
from desktop.services.regulations import PRESETS
from desktop.services.report_model import (
    SUMMARY_LABELS,
    Cell,
    Dimension,
    Measure,
    Period,
    PeriodKind,
    Report,
    ReportQuery,
    heading,
    summary_values,
)
from desktop.services.titles import MONTH_NAMES
from desktop.services.workspace import Workspace
from desktop.views.jobs import Jobs
from desktop.views.report_charts import DepartmentChart, ReportChart, TopicChart, TrendChart
from desktop.views.report_models import (
    DynamicsModel,
    GroupModel,
    IncidentListModel,
    ReasonModel,
    TableModel,
    TimingModel,
    ViolationModel,
    format_number,
    format_share,
)

DEFAULT_ZONE = ZoneInfo("Europe/Moscow")
ALL_REGULATIONS = "Все порядки"
COUNTING = "Считаю…"
UNAVAILABLE = "Отчёты недоступны в этой сборке программы."
OFFLINE = "Нет связи с базой данных: отчёт посчитается, когда она появится."

# «Сводка» in `SUMMARY_LABELS` order: which incidents each figure counts (None: a share).
SUMMARY_MEASURES: tuple[Measure | None, ...] = (
    Measure.TOTAL,
    Measure.ANSWERED,
    Measure.ON_TIME,
    Measure.OVERDUE,
    None,
    Measure.REWORKED,
    Measure.NOT_TO_ANSWER,
    Measure.OFFICIAL_APPEAL,
)
assert len(SUMMARY_MEASURES) == len(SUMMARY_LABELS)

# The tables under the charts: (title, name column, dimension, the report's rows).
GROUP_TABLES: tuple[tuple[str, str, Dimension, str], ...] = (
    ("По темам", "Тема", Dimension.TOPIC, "by_topic"),
    ("По отделам", "Отдел", Dimension.DEPARTMENT, "by_department"),
    ("По территориям", "Территория", Dimension.LOCATION, "by_location"),
    ("По соцсетям", "Соцсеть", Dimension.NETWORK, "by_network"),
    ("По исполнителям", "Исполнитель", Dimension.EXECUTOR, "by_executor"),
    ("По шагам", "Шаг", Dimension.STEP, "by_step"),
    ("По важности", "Важность", Dimension.IMPORTANCE, "by_importance"),
    ("По видам ответа", "Вид ответа", Dimension.ANSWER_KIND, "by_answer_kind"),
)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class ReportPeriods(Protocol):
    """Periods as the report service counts them (`reports.month_period`, …)."""

    def month(self, year: int, month: int) -> Period: ...

    def week(self, text: str) -> Period: ...  # «2026-W44»

    def custom(self, start: dt.date, end_inclusive: dt.date) -> Period: ...


class ReportSource(Protocol):
    """What the tab needs from the services. `build`, `behind`, `rows` and `export` run in the
    database thread; `periods` and `file_name` compute without the database."""

    @property
    def periods(self) -> ReportPeriods: ...

    def build(self, query: ReportQuery) -> Report: ...

    def behind(self, query: ReportQuery, cell: Cell) -> list[int]: ...

    def rows(self, incident_ids: Sequence[int]) -> dict[int, QueueRow | None]: ...

    def export(self, report: Report, path: Path) -> None: ...

    def file_name(self, report: Report) -> str: ...


def describe_failure(error: BaseException) -> str:
    if isinstance(error, KnownDatabaseError):
        return error.user_message
    if isinstance(error, ValueError | PermissionError | OSError):
        return str(error)
    return f"Внутренняя ошибка: {type(error).__name__}. Подробности в журнале программы."


def previous_month(today: dt.date) -> tuple[int, int]:
    return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)


def weeks_in(year: int) -> int:
    return dt.date(year, 12, 28).isocalendar().week


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


class PeriodPicker(QWidget):
    """«Месяц» (month and year), «Неделя» (ISO week) or «Период» (two dates, both included)."""

    changed = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.kind = QComboBox(self)
        for title, kind in (("Месяц", PeriodKind.MONTH), ("Неделя", PeriodKind.WEEK)):
            self.kind.addItem(title, kind)
        self.kind.addItem("Период", PeriodKind.CUSTOM)
        self.kind.setAccessibleName("Вид периода")
        self.pages = QStackedWidget(self)

        month_page = QWidget(self.pages)
        self.month = QComboBox(month_page)
        self.month.addItems(list(MONTH_NAMES))
        self.month.setAccessibleName("Месяц")
        self.month_year = self._year_box(month_page)
        self._row(month_page, self.month, self.month_year)

        week_page = QWidget(self.pages)
        self.week_year = self._year_box(week_page)
        self.week = QSpinBox(week_page)
        self.week.setRange(1, 53)
        self.week.setPrefix("неделя ")
        self.week.setKeyboardTracking(False)
        self.week.setAccessibleName("Неделя года")
        self.week_dates = QLabel(week_page)
        self._row(week_page, self.week_year, self.week, self.week_dates)

        custom_page = QWidget(self.pages)
        self.start = self._date_box(custom_page)
        self.end = self._date_box(custom_page)
        self._row(
            custom_page, QLabel("с", custom_page), self.start, QLabel("по", custom_page), self.end
        )

        for page in (month_page, week_page, custom_page):
            self.pages.addWidget(page)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.kind)
        layout.addWidget(self.pages)

        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.month.currentIndexChanged.connect(self.changed)
        self.month_year.valueChanged.connect(self.changed)
        self.week_year.valueChanged.connect(self._week_changed)
        self.week.valueChanged.connect(self._week_changed)
        self.start.dateChanged.connect(self.changed)
        self.end.dateChanged.connect(self.changed)

    @staticmethod
    def _row(page: QWidget, *widgets: QWidget) -> None:
        row = QHBoxLayout(page)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in widgets:
            row.addWidget(widget)

    @staticmethod
    def _year_box(parent: QWidget) -> QSpinBox:
        box = QSpinBox(parent)
        box.setRange(2000, 2099)
        box.setKeyboardTracking(False)  # typing «2026» asks for one report, not four
        box.setSuffix(" г.")
        box.setAccessibleName("Год")
        return box

    @staticmethod
    def _date_box(parent: QWidget) -> QDateEdit:
        box = QDateEdit(parent)
        box.setDisplayFormat("dd.MM.yyyy")
        box.setCalendarPopup(True)
        box.setKeyboardTracking(False)
        return box

    def set_defaults(self, today: dt.date) -> None:
        """The previous month; the week and the period pages start on what preceded `today`."""
        year, month = previous_month(today)
        last_week = today - dt.timedelta(days=7)
        iso = last_week.isocalendar()
        first = dt.date(year, month, 1)
        last = dt.date(today.year, today.month, 1) - dt.timedelta(days=1)
        widgets = (self.kind, self.month, self.month_year, self.week_year, self.week)
        for widget in (*widgets, self.start, self.end):
            widget.blockSignals(True)
        self.kind.setCurrentIndex(0)
        self.pages.setCurrentIndex(0)
        self.month.setCurrentIndex(month - 1)
        self.month_year.setValue(year)
        self.week_year.setValue(iso.year)
        self.week.setMaximum(weeks_in(iso.year))
        self.week.setValue(iso.week)
        self.start.setDate(to_qdate(first))
        self.end.setDate(to_qdate(last))
        for widget in (*widgets, self.start, self.end):
            widget.blockSignals(False)
        self._show_week_dates()

    def current_kind(self) -> PeriodKind:
        return PeriodKind(self.kind.currentData())

    def week_text(self) -> str:
        return f"{self.week_year.value()}-W{self.week.value():02d}"

    def period(self, periods: ReportPeriods) -> Period:
        kind = self.current_kind()
        if kind is PeriodKind.MONTH:
            return periods.month(self.month_year.value(), self.month.currentIndex() + 1)
        if kind is PeriodKind.WEEK:
            return periods.week(self.week_text())
        return periods.custom(from_qdate(self.start.date()), from_qdate(self.end.date()))

    def _kind_changed(self, position: int) -> None:
        self.pages.setCurrentIndex(position)
        self.changed.emit()

    def _week_changed(self) -> None:
        self.week.blockSignals(True)
        self.week.setMaximum(weeks_in(self.week_year.value()))
        self.week.blockSignals(False)
        self._show_week_dates()
        self.changed.emit()

    def _show_week_dates(self) -> None:
        monday = dt.date.fromisocalendar(self.week_year.value(), self.week.value(), 1)
        sunday = monday + dt.timedelta(days=6)
        self.week_dates.setText(f"{monday:%d.%m.%Y} – {sunday:%d.%m.%Y}")


class FigureButton(QPushButton):
    """One figure of «Сводка»: the number big, its label under it; a click opens its messages."""

    def __init__(self, label: str, measure: Measure | None, parent: Any = None) -> None:
        super().__init__(parent)
        self.label = label
        self.measure = measure
        self.value = QLabel("—", self)
        self.caption = QLabel(label, self)
        font = QFont(self.font())
        font.setPointSize(22)
        font.setBold(True)
        self.value.setFont(font)
        self.caption.setWordWrap(True)
        for label_widget in (self.value, self.caption):
            label_widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label_widget.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(2)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)
        self.setMinimumSize(150, 96)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(label)
        hover = "QPushButton:hover { border-color: #0b5cad; }" if measure is not None else ""
        self.setStyleSheet(
            "QPushButton { background: palette(base); border: 1px solid #c9d1d9; "
            f"border-radius: 6px; }} {hover}"
        )
        if measure is not None:
            self.setToolTip("Нажмите, чтобы увидеть эти сообщения")
        else:
            self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def show_value(self, value: float | None, *, share: bool, alarm: bool = False) -> None:
        self.value.setText(format_share(value) if share else format_number(value))
        colour = "#b02a37" if alarm else "palette(text)"
        self.value.setStyleSheet(f"color: {colour};")


class IncidentsDialog(QDialog):
    """The messages behind a number, with «Открыть» for the selected one."""

    open_requested = Signal(int)

    def __init__(self, title: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Сообщения отчёта")
        self.resize(820, 460)
        self.heading = QLabel(title, self)
        self.heading.setWordWrap(True)
        font = QFont(self.heading.font())
        font.setBold(True)
        self.heading.setFont(font)
        self.status = QLabel("Ищу сообщения…", self)
        self.model = IncidentListModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        _tidy(self.table, stretch=3)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.buttons = QDialogButtonBox(self)
        self.open_button = self.buttons.addButton("Открыть", QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.setEnabled(False)
        self.open_button.setDefault(True)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        self.open_button.clicked.connect(self.open_selected)
        self.table.activated.connect(lambda index: self._open_row(index.row()))
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)

    def show_incidents(self, ids: Sequence[int], rows: dict[int, QueueRow | None]) -> None:
        self.model.set_incidents(ids, rows)
        count = len(ids)
        self.status.setText("Сообщений нет." if not count else f"Сообщений: {count}.")
        self.open_button.setEnabled(bool(count))
        if count:
            self.table.selectRow(0)
            self.table.setFocus()

    def show_error(self, text: str) -> None:
        self.status.setText(f"<span style='color:#b02a37'>{text}</span>")

    def open_selected(self) -> None:
        index = self.table.currentIndex()
        self._open_row(index.row() if index.isValid() else 0)

    def _open_row(self, row: int) -> None:
        incident = self.model.incident_at(row)
        if incident is not None:
            self.open_requested.emit(incident)


def _tidy(table: QTableView, *, stretch: int = 0) -> None:
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    header.setMinimumSectionSize(60)


class ReportsTab(QWidget):
    """The Reports tab. `source` is None where the report service is missing."""

    open_incident = Signal(int)
    report_shown = Signal(object)  # Report
    failed = Signal(str)

    def __init__(
        self,
        jobs: Jobs,
        workspace: Callable[[], Workspace | None],
        source: ReportSource | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._jobs = jobs
        self._workspace = workspace
        self.source = source
        self.report: Report | None = None
        self.query: ReportQuery | None = None
        self.dialog: IncidentsDialog | None = None
        self._serial = 0  # only the latest request's report is shown
        self._stale = True
        self._folder = Path(
            QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
            or Path.home()
        )
        self._build()
        self.picker.set_defaults(self._today())
        self.set_source(source)

    # --- construction -------------------------------------------------------------------
    def _build(self) -> None:
        self.picker = PeriodPicker(self)
        self.regulation = QComboBox(self)
        self.regulation.setAccessibleName("Порядок")
        self.regulation.addItem(ALL_REGULATIONS, None)
        self.regulation.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.show_button = QPushButton("Показать", self)
        self.export_button = QPushButton("Сохранить в Excel…", self)
        self.export_button.setEnabled(False)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Отчёт за", self))
        bar.addWidget(self.picker)
        bar.addSpacing(12)
        bar.addWidget(QLabel("Порядок:", self))
        bar.addWidget(self.regulation)
        bar.addWidget(self.show_button)
        bar.addStretch(1)
        bar.addWidget(self.export_button)
        self.status = QLabel(self)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)

        self.title = QLabel(self)
        font = QFont(self.title.font())
        font.setPointSize(font.pointSize() + 4)
        font.setBold(True)
        self.title.setFont(font)
        self.subtitle = QLabel(self)
        self.subtitle.setStyleSheet("color: #555;")

        self.figures = [
            FigureButton(label, measure, self)
            for label, measure in zip(SUMMARY_LABELS, SUMMARY_MEASURES, strict=True)
        ]
        figures = QHBoxLayout()
        for button in self.figures:
            figures.addWidget(button)
            if button.measure is not None:
                measure = button.measure
                button.clicked.connect(
                    lambda _=False, m=measure, text=button.label: self.show_incidents(
                        Cell(Dimension.ALL, "", m), text
                    )
                )

        self.topic_chart = TopicChart(self)
        self.department_chart = DepartmentChart(self)
        self.trend_chart = TrendChart(self)
        self.charts: list[ReportChart] = [self.topic_chart, self.department_chart, self.trend_chart]
        charts = QHBoxLayout()
        for chart in self.charts:
            chart.setMinimumHeight(270)
            charts.addWidget(chart)
        self.topic_chart.cell_clicked.connect(
            lambda cell: self.show_incidents(cell, self._describe(cell))
        )
        self.department_chart.cell_clicked.connect(
            lambda cell: self.show_incidents(cell, self._describe(cell))
        )

        self.tables = QTabWidget(self)
        self.group_models: dict[Dimension, GroupModel] = {}
        self.group_views: dict[Dimension, QTableView] = {}
        for title, header, dimension, _ in GROUP_TABLES:
            model = GroupModel(dimension, header, self)
            view = self._table(model)
            view.activated.connect(lambda index, m=model: self._group_activated(m, index))
            self.group_models[dimension] = model
            self.group_views[dimension] = view
            self.tables.addTab(view, title)
        self.violations = ViolationModel(self)
        self.violations_view = self._table(self.violations, stretch=1)
        self.violations_view.activated.connect(self._violation_activated)
        self.violations_view.setToolTip("Дважды щёлкните, чтобы открыть сообщение")
        # Violations right after the steps: the extra groupings may scroll off the tab bar.
        self.tables.insertTab(
            self.tables.indexOf(self.group_views[Dimension.STEP]) + 1,
            self.violations_view,
            "Нарушения сроков",
        )

        self.dynamics = DynamicsModel(self)
        self.timings = TimingModel(self)
        self.reasons = ReasonModel(self)
        side = QVBoxLayout()
        self.side_views: dict[str, QTableView] = {}
        parts: tuple[tuple[str, TableModel, int], ...] = (
            ("Динамика: сейчас, прошлый период, год назад", self.dynamics, 8),
            ("Сроки (рабочее время от регистрации)", self.timings, 3),
            ("Причины возвратов на доработку", self.reasons, 4),
        )
        for title, part, rows in parts:
            box = QGroupBox(title, self)
            inner = QVBoxLayout(box)
            inner.setContentsMargins(4, 2, 4, 4)
            view = self._table(part)
            view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            height = view.horizontalHeader().sizeHint().height()
            view.setFixedHeight(height + rows * view.verticalHeader().defaultSectionSize() + 4)
            inner.addWidget(view)
            side.addWidget(box)
            self.side_views[title] = view
        side.addStretch(1)

        lower = QHBoxLayout()
        lower.addWidget(self.tables, 3)
        lower.addLayout(side, 2)

        content = QWidget(self)
        body = QVBoxLayout(content)
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.title)
        body.addWidget(self.subtitle)
        body.addLayout(figures)
        body.addLayout(charts)
        body.addLayout(lower, 1)
        self.content = content
        self.scroller = QScrollArea(self)
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setWidget(content)
        content.setMinimumSize(1100, 860)

        self.unavailable = QLabel(UNAVAILABLE, self)
        self.unavailable.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.scroller)
        self.pages.addWidget(self.unavailable)
        self.controls = QWidget(self)
        self.controls.setLayout(bar)
        bar.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.addWidget(self.controls)
        layout.addWidget(self.status)
        layout.addWidget(self.pages, 1)

        self.picker.changed.connect(self.show_report)
        self.regulation.currentIndexChanged.connect(self.show_report)
        self.show_button.clicked.connect(self.show_report)
        self.export_button.clicked.connect(self.export)

    def _table(self, model: TableModel, *, stretch: int = 0) -> QTableView:
        view = QTableView(self)
        view.setModel(model)
        _tidy(view, stretch=stretch)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        return view

    # --- state --------------------------------------------------------------------------
    def set_source(self, source: ReportSource | None) -> None:
        self.source = source
        self.controls.setEnabled(source is not None)
        self.pages.setCurrentWidget(self.scroller if source is not None else self.unavailable)

    def use(self, workspace: Workspace | None = None) -> None:
        """A database opened or its settings changed: the regulations offered, and the report
        read again when it is on screen."""
        self._offer_regulations(workspace or self._workspace())
        self._stale = True
        if self.isVisible():
            self.show_report()

    def forget(self) -> None:
        """Another database: nothing of the old report stays."""
        self._serial += 1
        self.report = None
        self.query = None
        self._stale = True
        self._clear()
        self._set_status("")
        if self.dialog is not None:
            self.dialog.close()
            self.dialog = None

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale and self.source is not None and self._workspace() is not None:
            self.show_report()

    def _today(self) -> dt.date:
        workspace = self._workspace()
        zone = DEFAULT_ZONE if workspace is None else workspace.zone
        return utcnow().astimezone(zone).date()

    def _offer_regulations(self, workspace: Workspace | None) -> None:
        chosen = self.regulation.currentData()
        offered: list[tuple[str, str]] = []
        if workspace is not None:
            offered.append((workspace.regulation.slug, workspace.regulation.title))
        offered += [
            (slug, regulation.title)
            for slug, regulation in PRESETS.items()
            if slug not in {s for s, _ in offered}
        ]
        self.regulation.blockSignals(True)
        self.regulation.clear()
        self.regulation.addItem(ALL_REGULATIONS, None)
        for slug, title in offered:
            self.regulation.addItem(title, slug)
            self.regulation.setItemData(
                self.regulation.count() - 1, title, Qt.ItemDataRole.ToolTipRole
            )
        position = self.regulation.findData(chosen)
        self.regulation.setCurrentIndex(max(0, position))
        self.regulation.blockSignals(False)

    def current_query(self) -> ReportQuery:
        """The query the picker and the regulation box describe (ValueError when invalid)."""
        if self.source is None:
            raise ValueError(UNAVAILABLE)
        return ReportQuery(self.picker.period(self.source.periods), self.regulation.currentData())

    def _set_status(self, text: str, colour: str = "palette(text)") -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {colour};")
        self.status.setVisible(bool(text))

    def _fail(self, text: str) -> None:
        self._set_status(text, "#b02a37")
        self.failed.emit(text)

    # --- the report -----------------------------------------------------------------------
    def show_report(self) -> None:
        source = self.source
        if source is None:
            return
        if self._workspace() is None:
            self._set_status(OFFLINE, "#8a6d3b")
            return
        try:
            query = self.current_query()
        except ValueError as exc:
            self._fail(str(exc))
            return
        self._serial += 1
        serial = self._serial
        self._stale = False
        self._set_status(COUNTING, "#555")
        self.show_button.setEnabled(False)
        self.export_button.setEnabled(False)

        def done(report: Report) -> None:
            if serial != self._serial:  # the user asked for another period meanwhile
                return
            self.show_button.setEnabled(True)
            self._set_status("")
            self.present(report)

        def failed(error: BaseException) -> None:
            if serial != self._serial:
                return
            self.show_button.setEnabled(True)
            self.export_button.setEnabled(self.report is not None)
            self._stale = True
            self._fail(f"Отчёт не посчитан: {describe_failure(error)}")

        self._jobs.run(lambda: source.build(query), done, failed)

    def present(self, report: Report) -> None:
        """Show `report` in every part of the tab."""
        self.report = report
        self.query = report.query
        zone = ZoneInfo(report.zone)
        self.title.setText(heading(report.query.period))
        self.subtitle.setText(
            f"{report.office_name} · {report.regulation_title} · сформирован "
            f"{format_moment(report.generated_at, zone)} · открыто сейчас: "
            f"{format_number(report.summary.open_now)}"
        )
        values = summary_values(report.summary)
        for button, value in zip(self.figures, values, strict=True):
            alarm = button.measure is Measure.OVERDUE and bool(value)
            button.show_value(value, share=button.measure is None, alarm=alarm)
        for _, _, dimension, attribute in GROUP_TABLES:
            self.group_models[dimension].set_rows(getattr(report, attribute))
        self.violations.set_violations(report.violations, zone)
        self.tables.setTabText(
            self.tables.indexOf(self.violations_view),
            f"Нарушения сроков ({len(report.violations)})",
        )
        self.dynamics.set_rows(report.dynamics)
        self.timings.set_rows(report.timings)
        self.reasons.set_rows(report.rework_reasons)
        for chart in self.charts:
            chart.show_report(report)
        self.export_button.setEnabled(True)
        self.report_shown.emit(report)

    def _clear(self) -> None:
        self.title.clear()
        self.subtitle.clear()
        for button in self.figures:
            button.show_value(None, share=button.measure is None)
        models: list[TableModel] = [*self.group_models.values(), self.dynamics, self.timings]
        for model in (*models, self.reasons):
            model.set_rows(())
        self.violations.set_rows(())
        for chart in self.charts:
            chart.clear()
        self.export_button.setEnabled(False)

    # --- the messages behind a number -------------------------------------------------------
    def _group_activated(self, model: GroupModel, index: Any) -> None:
        cell = model.cell_at(index)
        if cell is None:
            return
        row = model.row_at(index.row())
        header = model.headerData(index.column(), Qt.Orientation.Horizontal)
        title = self.tables.tabText(self.tables.currentIndex())
        self.show_incidents(cell, f"{title}: {row.name} — {str(header).lower()}")

    def _describe(self, cell: Cell) -> str:
        if self.report is None:
            return ""
        rows = {
            Dimension.TOPIC: self.report.by_topic,
            Dimension.DEPARTMENT: self.report.by_department,
        }.get(cell.dimension, ())
        name = next((row.name for row in rows if row.key == cell.key), cell.key)
        measure = {
            Measure.TOTAL: "всего",
            Measure.ON_TIME: "в срок",
            Measure.OVERDUE: "с нарушением",
        }.get(cell.measure, cell.measure.value)
        return f"{name} — {measure}"

    def show_incidents(self, cell: Cell, title: str) -> None:
        """Ask the source for the incidents behind `cell` and list them in a dialog."""
        source, query = self.source, self.query
        if source is None or query is None:
            return
        period = query.period.title
        if self.dialog is not None:
            self.dialog.close()
        dialog = IncidentsDialog(f"{title} · {period}", self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open_requested.connect(self.open_incident)
        dialog.destroyed.connect(lambda *_: self._dialog_gone(dialog))
        self.dialog = dialog
        dialog.show()

        def work() -> tuple[list[int], dict[int, QueueRow | None]]:
            ids = source.behind(query, cell)
            return ids, source.rows(ids)

        def done(result: tuple[list[int], dict[int, QueueRow | None]]) -> None:
            if self.dialog is dialog:
                dialog.show_incidents(*result)

        def failed(error: BaseException) -> None:
            if self.dialog is dialog:
                dialog.show_error(f"Сообщения не найдены: {describe_failure(error)}")

        self._jobs.run(work, done, failed)

    def _dialog_gone(self, dialog: IncidentsDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def _violation_activated(self, index: Any) -> None:
        incident = self.violations.incident_at(index.row())
        if incident is not None:
            self.open_incident.emit(incident)

    # --- Excel ------------------------------------------------------------------------------
    def export(self) -> None:
        source, report = self.source, self.report
        if source is None or report is None:
            return
        suggested = self._folder / source.file_name(report)
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Сохранить отчёт", str(suggested), "Книга Excel (*.xlsx)"
        )
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() != ".xlsx":
            path = path.with_name(path.name + ".xlsx")
        self._folder = path.parent
        self.export_button.setEnabled(False)
        self._set_status(f"Сохраняю {path.name}…", "#555")

        def done(_: object) -> None:
            self.export_button.setEnabled(self.report is not None)
            self._set_status(f"Отчёт сохранён: {path}", "#1e7e34")

        def failed(error: BaseException) -> None:
            self.export_button.setEnabled(self.report is not None)
            self._fail(f"Файл не сохранён: {describe_failure(error)}")

        self._jobs.run(lambda: source.export(report, path), done, failed)
