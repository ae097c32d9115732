"""The main window: the incident queue, banners for problems, and a status bar."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import replace
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QItemSelectionModel, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop import APP_NAME, __version__
from desktop.services.config import DatabaseTarget, save_user_location
from desktop.services.errors import KnownDatabaseError
from desktop.services.incidents import DuplicateLink, IncidentService, NewIncident
from desktop.services.permissions import Action
from desktop.services.queue import QueueRow, queue_rows
from desktop.services.queue_filter import Me
from desktop.services.search import search_incidents
from desktop.services.workspace import Workspace
from desktop.views.alert_center import AlertCenter
from desktop.views.approval_panel import ApprovalDock
from desktop.views.banner import Banner, BannerKind
from desktop.views.card_controller import CardController
from desktop.views.database_worker import DatabaseThread
from desktop.views.draft_controller import DraftController
from desktop.views.filter_bar import FilterBar
from desktop.views.import_dialog import ImportDialog
from desktop.views.incident_card import IncidentCardPanel
from desktop.views.jobs import Jobs
from desktop.views.queue_model import Column, QueueModel, QueueProxyModel
from desktop.views.register_dialog import RegisterDialog
from desktop.views.report_source import default_source
from desktop.views.reports_tab import ReportSource, ReportsTab
from desktop.views.settings_dialog import SettingsDialog

log = logging.getLogger(__name__)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def report_source() -> ReportSource | None:
    """The report service behind «Отчёты» (tests put a fake here; None shows «Отчёты
    недоступны»)."""
    return default_source()


def regulation_is_upstream(workspace: Workspace) -> bool:
    return workspace.regulation.upstream


DEFAULT_ZONE = ZoneInfo("Europe/Moscow")
TICK_MS = 1000  # countdowns tick once a second, from memory


VISUAL_ORDER = (
    Column.NUMBER,
    Column.NETWORK,
    Column.LEFT,
    Column.STEP,
    Column.TEXT,
    Column.AUTHOR,
    Column.TOPIC,
    Column.LOCATION,
    Column.DEPARTMENTS,
    Column.STATUS,
    Column.DUE,
)


class ConnectionState:
    CONNECTING = "подключение…"
    ONLINE = "в сети"
    OFFLINE = "нет связи"
    FAILED = "база не открыта"


class MainWindow(QMainWindow):
    """Shows the queue of the office database; every database call goes through services."""

    state_changed = Signal(str)

    def __init__(
        self, target: DatabaseTarget, *, retry_interval_s: float = 5.0, parent: Any = None
    ) -> None:
        super().__init__(parent)
        self.target = target
        self.workspace: Workspace | None = None
        self.state = ConnectionState.CONNECTING
        self.setWindowTitle(APP_NAME)
        self.resize(1280, 760)

        self.model = QueueModel(DEFAULT_ZONE, now=lambda: utcnow(), parent=self)
        self.proxy = QueueProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self._build_central()
        self._build_menu()
        self._build_status_bar()
        self._restore_window_state()

        self.database = DatabaseThread(self, retry_interval_s=retry_interval_s)
        self.jobs = Jobs(self.database, self)
        self.register_dialog: RegisterDialog | None = None
        self.settings_dialog: SettingsDialog | None = None
        self.import_dialog: ImportDialog | None = None
        worker = self.database.signals
        worker.opened.connect(self._on_opened)
        worker.open_failed.connect(self._on_open_failed)
        worker.rows_changed.connect(self._on_rows_changed)
        worker.reloaded.connect(self._on_reloaded)
        worker.went_offline.connect(self._on_offline)
        worker.back_online.connect(self._on_back_online)
        worker.settings_changed.connect(self._on_settings_changed)
        self.ticker = QTimer(self)
        self.ticker.setInterval(TICK_MS)
        self.ticker.timeout.connect(self.model.tick)
        self.cards = CardController(self.card, self.jobs, lambda: self.workspace, self)
        self.cards.rows_fresh.connect(self.model.apply)
        self.cards.notice.connect(self.notice_banner.show_message)
        self.card.open_incident.connect(self.open_incident)
        self.drafts = DraftController(
            self.jobs, lambda: self.workspace, lambda: self.state == ConnectionState.ONLINE, self
        )
        self.drafts.rows_fresh.connect(self.model.apply)
        self.drafts.notice.connect(self.notice_banner.show_message)
        self.drafts.card_changed.connect(lambda incident: self.cards.refresh({incident}))
        self.cards.write_requested.connect(self.drafts.open_editor)
        self.cards.publish_requested.connect(self.drafts.open_publish)
        self.alerts = AlertCenter(
            self.alert_banner,
            now=lambda: utcnow(),
            still_relevant=lambda alert: alert.still_holds(self.model.row_for(alert.incident_id)),
            window=self,
        )
        self.model.crossed.connect(self.alerts.crossed)
        self.ticker.timeout.connect(self.alerts.tick)
        self.alerts.open_requested.connect(self.open_incident)
        self.alerts.report_requested.connect(self._report)
        self._build_approvals()
        self._build_reports()
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self._matching: frozenset[int] | None = None
        self.filters.changed.connect(self._filters_changed)
        self.filters.search.connect(self.search)
        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        self.proxy.modelReset.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)
        self._connect()

    # --- construction -------------------------------------------------------------------
    def _build_central(self) -> None:
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        self.connection_banner = Banner(central)
        self.connection_banner.button.clicked.connect(self.choose_database)
        self.notice_banner = Banner(central)
        self.notice_banner.set_closable(True)
        self.alert_banner = Banner(central)
        self.tabs = QTabWidget(central)
        self.tabs.setDocumentMode(True)
        queue_page = QWidget(self.tabs)
        self.filters = FilterBar(queue_page)
        self.table = QTableView(queue_page)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.LEFT, Qt.SortOrder.AscendingOrder)  # soonest first
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        # What burns next comes first on screen; the model keeps the columns in spec order.
        for visual, column in enumerate(VISUAL_ORDER):
            header.moveSection(header.visualIndex(column), visual)
        for column, width in (
            (Column.NUMBER, 64),
            (Column.TEXT, 260),
            (Column.NETWORK, 34),
            (Column.AUTHOR, 150),
            (Column.TOPIC, 150),
            (Column.LOCATION, 140),
            (Column.DEPARTMENTS, 180),
            (Column.STATUS, 200),
            (Column.STEP, 170),
            (Column.LEFT, 175),
            (Column.DUE, 135),
        ):
            self.table.setColumnWidth(column, width)
        self.card = IncidentCardPanel(DEFAULT_ZONE, queue_page)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, queue_page)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.card)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        layout.addWidget(self.connection_banner)
        layout.addWidget(self.alert_banner)
        layout.addWidget(self.notice_banner)
        queue_layout = QVBoxLayout(queue_page)
        queue_layout.setContentsMargins(0, 4, 0, 0)
        queue_layout.addWidget(self.filters)
        queue_layout.addWidget(self.splitter, 1)
        self.tabs.addTab(queue_page, "Очередь")
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

    def _build_menu(self) -> None:
        file_menu = self.menuBar().addMenu("&Файл")
        self.register_action = QAction("Новое сообщение…", self)
        self.register_action.setShortcut(QKeySequence.StandardKey.New)
        self.register_action.setEnabled(False)
        self.register_action.triggered.connect(self.open_register)
        file_menu.addAction(self.register_action)
        self.import_action = QAction("Импортировать журнал…", self)
        self.import_action.setEnabled(False)
        self.import_action.triggered.connect(self.open_import)
        file_menu.addAction(self.import_action)
        file_menu.addSeparator()
        choose = QAction("Выбрать файл базы данных…", self)
        choose.triggered.connect(self.choose_database)
        file_menu.addAction(choose)
        find = QAction("Найти…", self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(self._focus_search)
        file_menu.addAction(find)
        reconnect = QAction("Переподключиться", self)
        reconnect.setShortcut(QKeySequence(Qt.Key.Key_F5))
        reconnect.triggered.connect(self._connect)
        file_menu.addAction(reconnect)
        file_menu.addSeparator()
        quit_action = QAction("Выход", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        self.view_menu = self.menuBar().addMenu("&Вид")
        settings_menu = self.menuBar().addMenu("&Настройки")
        self.settings_action = QAction("Настройки офиса…", self)
        self.settings_action.setShortcut(QKeySequence.StandardKey.Preferences)
        self.settings_action.setEnabled(False)
        self.settings_action.triggered.connect(lambda: self.open_settings())
        settings_menu.addAction(self.settings_action)
        self.staff_action = QAction("Сотрудники…", self)
        self.staff_action.setEnabled(False)
        self.staff_action.triggered.connect(self.open_staff)
        settings_menu.addAction(self.staff_action)
        help_menu = self.menuBar().addMenu("&Справка")
        about = QAction("О программе", self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _build_approvals(self) -> None:
        """«Согласование»: drafts waiting for this user's decision, in a dock on the right."""
        self.approvals = ApprovalDock(self.jobs, lambda: self.workspace, self)
        self.approvals.hide()  # shown once the signed-in user turns out to decide on drafts
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.approvals)
        self.resizeDocks([self.approvals], [440], Qt.Orientation.Horizontal)
        toggle = self.approvals.toggleViewAction()
        self.view_menu.addAction(toggle)
        self.view_menu.menuAction().setVisible(False)  # nothing in it for this user yet
        self.approvals.controller.rows_fresh.connect(self.model.apply)
        self.cards.approval_requested.connect(self.approvals.open_incident)
        self.approvals.controller.decided.connect(lambda incident: self.cards.refresh({incident}))
        worker = self.database.signals
        worker.opened.connect(self.approvals.use)
        worker.settings_changed.connect(self.approvals.use)
        worker.rows_changed.connect(self.approvals.refresh)
        worker.reloaded.connect(self.approvals.refresh)
        worker.back_online.connect(self.approvals.refresh)

    def _build_reports(self) -> None:
        """«Отчёты»: a tab beside the queue for those who may see reports (Ctrl+1 / Ctrl+2)."""
        self.reports = ReportsTab(self.jobs, lambda: self.workspace, report_source(), self.tabs)
        self.reports_index = self.tabs.addTab(self.reports, "Отчёты")
        self.reports.open_incident.connect(self._open_from_report)
        self.queue_tab_action = QAction("Очередь", self)
        self.queue_tab_action.setShortcut(QKeySequence("Ctrl+1"))
        self.queue_tab_action.triggered.connect(lambda: self.tabs.setCurrentIndex(0))
        self.reports_tab_action = QAction("Отчёты", self)
        self.reports_tab_action.setShortcut(QKeySequence("Ctrl+2"))
        self.reports_tab_action.triggered.connect(self.show_reports)
        toggle = self.approvals.toggleViewAction()
        self.view_menu.insertActions(toggle, [self.queue_tab_action, self.reports_tab_action])
        self.view_menu.insertSeparator(toggle)
        for action in (self.queue_tab_action, self.reports_tab_action):
            self.addAction(action)  # the shortcuts work while the menu is hidden, too
        toggle.changed.connect(self._update_view_menu)
        self._use_reports(None)

    def _use_reports(self, workspace: Workspace | None) -> None:
        """The tab only for users with `VIEW_REPORTS`; the tab bar only when there are two."""
        allowed = workspace is not None and workspace.user.may(Action.VIEW_REPORTS)
        if not allowed and self.tabs.currentIndex() == self.reports_index:
            self.tabs.setCurrentIndex(0)
        self.tabs.setTabVisible(self.reports_index, allowed)
        self.tabs.tabBar().setVisible(allowed)
        self.queue_tab_action.setEnabled(allowed)
        self.reports_tab_action.setEnabled(allowed)
        if allowed:
            self.reports.use(workspace)
        self._update_view_menu()

    def _update_view_menu(self) -> None:
        approvals = self.approvals.toggleViewAction().isVisible()
        self.view_menu.menuAction().setVisible(self.reports_tab_action.isEnabled() or approvals)

    def show_reports(self) -> None:
        if self.tabs.isTabVisible(self.reports_index):
            self.tabs.setCurrentIndex(self.reports_index)

    def _open_from_report(self, incident_id: int) -> None:
        self.tabs.setCurrentIndex(0)
        self.open_incident(incident_id)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.location_label = QLabel(self)
        self.user_label = QLabel(self)
        self.count_label = QLabel(self)
        self.state_label = QLabel(self)
        bar.addWidget(self.location_label, 1)
        bar.addPermanentWidget(self.count_label)
        bar.addPermanentWidget(self.user_label)
        bar.addPermanentWidget(self.state_label)
        self.location_label.setText(f"База: {self.target.location}")
        self.model.modelReset.connect(self._update_count)
        self.model.rowsInserted.connect(self._update_count)
        self.model.rowsRemoved.connect(self._update_count)

    # --- connection ---------------------------------------------------------------------
    def _connect(self) -> None:
        self._set_state(ConnectionState.CONNECTING)
        self.location_label.setText(f"База: {self.target.location}")
        self.database.request_open(self.target)

    def _set_state(self, state: str) -> None:
        self.state = state
        may_register = self.workspace is not None and self.workspace.user.may(Action.REGISTER)
        online = state == ConnectionState.ONLINE
        self.register_action.setEnabled(online and may_register)
        may_import = self.workspace is not None and self.workspace.user.may(Action.IMPORT_HISTORY)
        self.import_action.setEnabled(online and may_import)
        # The settings dialog reads and writes in this thread: not over a share that hangs.
        self.settings_action.setEnabled(online and self.workspace is not None)
        may_staff = self.workspace is not None and self.workspace.user.may(Action.MANAGE_STAFF)
        self.staff_action.setEnabled(online and may_staff)
        colour = {
            ConnectionState.ONLINE: "#1e7e34",
            ConnectionState.OFFLINE: "#b02a37",
            ConnectionState.FAILED: "#b02a37",
        }.get(state, "#555")
        self.state_label.setText(f"<b style='color:{colour}'>● {state}</b>")
        self.table.setEnabled(state != ConnectionState.FAILED)
        self.card.set_online(state == ConnectionState.ONLINE)
        self.state_changed.emit(state)

    def _on_opened(self, workspace: Workspace, rows: list[QueueRow]) -> None:
        self.workspace = workspace
        self.model.set_calendar(workspace.calendar, workspace.zone)  # before the rows: once
        self.model.set_rows(rows)
        self._use_directory(workspace)
        self.ticker.start()
        self.connection_banner.clear()
        suffix = " (демонстрационная база)" if workspace.office.target.is_demo else ""
        self.location_label.setText(f"База: {workspace.location}{suffix}")
        self._show_user(workspace, first=True)
        self._use_reports(workspace)
        self._set_state(ConnectionState.ONLINE)
        if self._matching is not None:  # a search typed before a switch of database
            self.search(self.filters.query.text().strip())
        self.drafts.replay()  # answers typed before a kill or an outage

    def _show_user(self, workspace: Workspace, *, first: bool) -> None:
        """Title, the user's name and roles, their notice; the actions follow `_set_state`."""
        self.setWindowTitle(f"{APP_NAME} — {workspace.settings.office_name}")
        user = workspace.user
        self.user_label.setText(f"{user.full_name} · {user.role_titles}")
        if user.notice:
            kind = BannerKind.WARNING if user.read_only else BannerKind.INFO
            self.notice_banner.show_message(kind, user.notice)
        elif first:
            self.notice_banner.clear()

    def _on_settings_changed(self, workspace: Workspace) -> None:
        """Settings, calendar, staff or roles changed elsewhere (or while offline)."""
        self.workspace = workspace
        self.model.set_calendar(workspace.calendar, workspace.zone)
        self._use_directory(workspace)
        self._show_user(workspace, first=False)
        self._use_reports(workspace)
        self._set_state(self.state)  # the actions this user may take now
        self.cards.refresh()  # the buttons the card offers, for the roles as they are now

    def _use_directory(self, workspace: Workspace) -> None:
        user = workspace.user
        department = (
            None
            if user.employee_id is None
            else workspace.directory.department_of.get(user.employee_id)
        )
        me = Me(user.employee_id, department)
        self.proxy.set_me(me)
        self.filters.set_directory(workspace.directory)
        self.alerts.use(workspace, me)

    def _on_open_failed(self, error: BaseException) -> None:
        if isinstance(error, KnownDatabaseError):
            text = error.user_message
        else:
            text = (
                "Внутренняя ошибка при открытии базы данных. Сообщите администратору; "
                f"подробности в журнале программы. ({type(error).__name__})"
            )
        self.connection_banner.show_message(BannerKind.ERROR, text, "Выбрать другой файл…")
        self._set_state(ConnectionState.FAILED)

    def _on_offline(self, message: str) -> None:
        stale = (
            " Очередь на экране может быть устаревшей; изменения недоступны."
            if (self.model.rowCount() > 0)
            else ""
        )
        self.connection_banner.show_message(BannerKind.WARNING, message + stale)
        self._set_state(ConnectionState.OFFLINE)

    def _on_back_online(self) -> None:
        self.connection_banner.clear()
        self._set_state(ConnectionState.ONLINE)
        self.drafts.replay()

    def _on_rows_changed(self, rows: dict[int, QueueRow | None]) -> None:
        before = {incident_id: self.model.row_for(incident_id) for incident_id in rows}
        self.model.apply(rows)
        self.alerts.rows_arrived(before, rows)
        self.cards.refresh(set(rows))
        if self._matching is not None:  # a new or edited message may match the search now
            self._search_again_among(set(rows))

    # --- filters and search ---------------------------------------------------------------
    def _focus_search(self) -> None:
        self.filters.query.setFocus()
        self.filters.query.selectAll()

    def _filters_changed(self, queue_filter: Any) -> None:
        self.proxy.set_filter(replace(queue_filter, matching=self._matching))
        self._update_count()

    def search(self, text: str) -> None:
        if not text:
            self._matching = None
            self._filters_changed(self.filters.current())
            return

        def found(ids: frozenset[int]) -> None:
            if self.filters.query.text().strip() == text:  # not overtaken by more typing
                self._matching = ids
                self._filters_changed(self.filters.current())

        def failed(error: BaseException) -> None:
            self.notice_banner.show_message(BannerKind.ERROR, f"Поиск не удался: {error}")

        self.jobs.run(lambda: search_incidents(text), found, failed)

    def _search_again_among(self, changed: set[int]) -> None:
        """Only the changed messages are searched again: a short term would otherwise scan
        every message on each change from another workstation."""
        text = self.filters.query.text().strip()

        def found(ids: frozenset[int]) -> None:
            if self._matching is not None and self.filters.query.text().strip() == text:
                self._matching = (self._matching - changed) | ids
                self._filters_changed(self.filters.current())

        self.jobs.run(lambda: search_incidents(text, among=changed), found)

    def _on_reloaded(self, rows: list[QueueRow]) -> None:
        """The whole queue anew (back online, or names changed elsewhere): the selection,
        the scroll, the search and the alerts carry over."""
        selected = self._selected_incident()
        scroll = self.table.verticalScrollBar().value()
        fresh = {row.incident_id: row for row in rows}
        before = {incident_id: self.model.row_for(incident_id) for incident_id in fresh}
        self.model.set_rows(rows)
        if selected is not None and self.model.position_of(selected) is not None:
            index = self.proxy.mapFromSource(
                self.model.index(self.model.position_of(selected) or 0, Column.NUMBER)
            )
            if index.isValid():
                self.table.selectionModel().setCurrentIndex(
                    index,
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
        self.table.verticalScrollBar().setValue(scroll)
        self.alerts.rows_arrived(before, fresh)
        self.cards.refresh()
        if self._matching is not None:
            self.search(self.filters.query.text().strip())

    def _selected_incident(self) -> int | None:
        source = self.proxy.mapToSource(self.table.currentIndex())
        return self.model.incident_at(source.row()) if source.isValid() else None

    def _current_changed(self, current: Any, _previous: Any = None) -> None:
        source = self.proxy.mapToSource(current)
        self.cards.show_incident(self.model.incident_at(source.row()) if source.isValid() else None)

    def _report(self, incident_id: int) -> None:
        self.open_incident(incident_id)
        self.cards.report(incident_id)

    def open_incident(self, incident_id: int) -> None:
        """Select it in the queue if it is there; a closed or filtered-out one opens in the
        card only."""
        self.select_incident(incident_id)
        if self.cards.wanted != incident_id:
            self.cards.show_incident(incident_id)

    def _update_count(self, *_: object) -> None:
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        if self.proxy.queue_filter.active:
            self.count_label.setText(f"Показано: {shown} из {total}")
        else:
            self.count_label.setText(f"Открытых сообщений: {total}")

    # --- actions ------------------------------------------------------------------------
    def choose_database(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Файл базы данных Отклика",
            str(self.target.path.parent),
            "База данных Отклика (*.db *.sqlite);;Все файлы (*)",
        )
        if not path:
            return
        try:
            target = save_user_location(path)
        except KnownDatabaseError as exc:
            QMessageBox.warning(self, APP_NAME, exc.user_message)
            return
        self.switch_database(target)

    def switch_database(self, target: DatabaseTarget) -> None:
        """Open another database: nothing of the old one stays on screen or can be acted on."""
        self.target = target
        self.workspace = None
        self.cards.forget()
        self.drafts.forget()
        self.approvals.forget()
        self.reports.forget()
        self.alerts.reset()
        self.model.set_rows([])
        self._matching = None if not self.filters.query.text().strip() else frozenset()
        self._filters_changed(self.filters.current())
        self._connect()

    # --- registration ---------------------------------------------------------------------
    def open_register(self) -> None:
        workspace = self.workspace
        if workspace is None or not self.register_action.isEnabled():
            return
        upstream = regulation_is_upstream(workspace)
        dialog = RegisterDialog(
            workspace.directory, workspace.zone, utcnow(), upstream=upstream, parent=self
        )
        dialog.submitted.connect(lambda new: self._register(dialog, new))
        self.register_dialog = dialog
        dialog.open()
        dialog.activateWindow()

    def _register(self, dialog: RegisterDialog, new: NewIncident) -> None:
        workspace = self.workspace
        if workspace is None:
            dialog.show_error("Нет связи с базой данных.")
            return
        service = IncidentService(workspace.user, office=workspace.office)

        def work() -> tuple[int, dict[int, QueueRow | None]]:
            incident_id = service.register(new)
            return incident_id, queue_rows([incident_id])

        def done(result: tuple[int, dict[int, QueueRow | None]]) -> None:
            incident_id, rows = result
            self.model.apply(rows)
            dialog.accept()
            self.open_incident(incident_id)  # its card, even when the filters hide the row
            row = rows.get(incident_id)
            if row is not None:
                self.notice_banner.show_message(
                    BannerKind.INFO, f"Зарегистрировано сообщение № {row.number}."
                )

        def failed(error: BaseException) -> None:
            if isinstance(error, DuplicateLink):
                dialog.reject()
                self.open_incident(error.incident_id)  # a closed one opens in the card only
                self.notice_banner.show_message(BannerKind.INFO, str(error))
            elif isinstance(error, KnownDatabaseError):
                dialog.show_error(error.user_message)
            elif isinstance(error, ValueError | PermissionError):
                dialog.show_error(str(error))
            else:
                dialog.show_error(f"Внутренняя ошибка: {type(error).__name__}. См. журнал.")

        self.jobs.run(work, done, failed)

    def select_incident(self, incident_id: int) -> None:
        """Select the incident's row (if the filters show it) and scroll to it."""
        position = self.model.position_of(incident_id)
        if position is None:
            return
        index = self.proxy.mapFromSource(self.model.index(position, Column.NUMBER))
        if index.isValid():
            self.table.setCurrentIndex(index)
            self.table.scrollTo(index)

    def open_import(self) -> None:
        """«Файл → Импортировать журнал…»: the dialog does the work; the queue reloads after."""
        if self.workspace is None or not self.import_action.isEnabled():
            return
        dialog = ImportDialog(self.jobs, self.workspace.user, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.imported.connect(lambda _result, rows: self._on_reloaded(rows))
        self.import_dialog = dialog
        dialog.open()

    def open_staff(self) -> None:
        self.open_settings("staff")

    def open_settings(self, page: str = "departments") -> None:
        """Settings read and write through services in this thread: short admin gestures."""
        if self.workspace is None:
            return
        dialog = SettingsDialog(self.workspace.user, self, start=page)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.settings_dialog = dialog
        dialog.open()

    def _about(self) -> None:
        QMessageBox.about(
            self,
            f"О программе {APP_NAME}",
            f"<b>{APP_NAME}</b> {__version__}<br>Обработка сообщений граждан из социальных "
            "сетей для пресс-служб муниципалитетов.",
        )

    # --- window state -------------------------------------------------------------------
    def _restore_window_state(self) -> None:
        settings = QSettings()
        geometry = settings.value("main_window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        header_state = settings.value("main_window/queue_header")
        if header_state is not None:
            self.table.horizontalHeader().restoreState(header_state)
        splitter_state = settings.value("main_window/splitter")
        if splitter_state is not None:
            self.splitter.restoreState(splitter_state)

    def closeEvent(self, event: QCloseEvent) -> None:
        settings = QSettings()
        settings.setValue("main_window/geometry", self.saveGeometry())
        settings.setValue("main_window/queue_header", self.table.horizontalHeader().saveState())
        settings.setValue("main_window/splitter", self.splitter.saveState())
        self.drafts.forget()  # open editors keep their text (journal, then a last save)
        self.database.shutdown()
        super().closeEvent(event)
