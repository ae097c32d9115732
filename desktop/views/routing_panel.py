"""The card's routing form: one click on a recommended department, or several with executors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.services.errors import ValidationError
from desktop.services.formatting import parse_moment
from desktop.services.incident_card import RoutingOffer
from desktop.services.incidents import RouteTarget
from desktop.services.regulations import Consolidator
from desktop.services.titles import ROUTING_MODE_TITLES
from desktop.services.vocabulary import RoutingMode

MOMENT_MASK = "00.00.0000 00:00;_"
NO_EXECUTOR = "— назначит отдел"
MAX_QUICK = 3


@dataclass(frozen=True)
class RouteRequest:
    targets: tuple[RouteTarget, ...]
    mode: RoutingMode | None
    consolidator_department_id: int | None
    draft_due: dt.datetime | None


class RoutingPanel(QGroupBox):
    """Emits `route_requested(RouteRequest)`; the window runs the service and reports back."""

    route_requested = Signal(object)

    def __init__(self, parent: Any = None) -> None:
        super().__init__("Направить в отдел", parent)
        self._offer: RoutingOffer | None = None
        self._zone = ZoneInfo("Europe/Moscow")
        self.quick_label = QLabel("Рекомендуется — направить одним щелчком:", self)
        self.quick_row = QVBoxLayout()
        self.quick_buttons: list[QPushButton] = []
        self.table = QTableWidget(0, 2, self)
        self.table.setHorizontalHeaderLabels(["Отдел", "Исполнитель"])
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemChanged.connect(self._checks_changed)
        self.mode = QComboBox(self)
        for mode in RoutingMode:
            self.mode.addItem(ROUTING_MODE_TITLES[mode], mode.value)
        self.mode.currentIndexChanged.connect(self._checks_changed)
        self.consolidator = QComboBox(self)
        self.draft_due = QLineEdit(self)
        self.draft_due.setInputMask(MOMENT_MASK)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b02a37")
        self.error.hide()
        self.route_button = QPushButton("Направить (Ctrl+Enter)", self)
        self.route_button.clicked.connect(self.submit)
        for sequence in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(sequence), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.submit)
        # Alt+1…3 route to a recommended department from anywhere in the window, the queue
        # included: arrows to the message, Alt+1, done.
        for number in range(1, MAX_QUICK + 1):
            quick_key = QShortcut(QKeySequence(f"Alt+{number}"), self)
            quick_key.activated.connect(lambda n=number: self._quick_key(n))

        quick = QVBoxLayout()
        quick.addWidget(self.quick_label)
        quick.addLayout(self.quick_row)
        self.options = QFormLayout()
        self.options.addRow("Порядок работы:", self.mode)
        self.options.addRow("Сводный ответ готовит:", self.consolidator)
        self.options.addRow("Срок проекта ответа:", self.draft_due)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.route_button)
        layout = QVBoxLayout(self)
        layout.addLayout(quick)
        layout.addWidget(self.table, 1)
        layout.addLayout(self.options)
        layout.addWidget(self.error)
        layout.addLayout(buttons)

    # --- filling ----------------------------------------------------------------------------
    def set_offer(self, offer: RoutingOffer, zone: ZoneInfo, *, keep_choices: bool) -> None:
        """Show the departments; on a refresh of the same card keep what the user ticked."""
        ticked = self.chosen_departments() if keep_choices else []
        executors = self._chosen_executors() if keep_choices else {}
        self._offer, self._zone = offer, zone
        self.setTitle("Направить заново" if offer.rerouting else "Направить в отдел")
        self._fill_quick(offer)
        self.table.blockSignals(True)
        self.table.setRowCount(len(offer.departments))
        for row, department in enumerate(offer.departments):
            star = "★ " if department.id in offer.recommended else ""
            item = QTableWidgetItem(star + department.name)
            item.setData(Qt.ItemDataRole.UserRole, department.id)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            checked = department.id in ticked
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.table.setItem(row, 0, item)
            combo = QComboBox(self.table)
            combo.addItem(NO_EXECUTOR, None)
            for person in offer.executors.get(department.id, ()):
                combo.addItem(person.name, person.id)
            wanted = executors.get(department.id)
            if wanted is not None:
                combo.setCurrentIndex(max(0, combo.findData(wanted)))
            self.table.setCellWidget(row, 1, combo)
        self.table.blockSignals(False)
        if not keep_choices:
            self.mode.setCurrentIndex(max(0, self.mode.findData(offer.mode.value)))
            self.draft_due.clear()
            self.error.hide()
        for position in range(self.mode.count()):  # «(регламент)» on this offer's mode only
            mode = RoutingMode(self.mode.itemData(position))
            suffix = " (регламент)" if mode is offer.mode else ""
            self.mode.setItemText(position, ROUTING_MODE_TITLES[mode] + suffix)
        self._checks_changed()

    def _fill_quick(self, offer: RoutingOffer) -> None:
        for button in self.quick_buttons:
            self.quick_row.removeWidget(button)
            button.deleteLater()
        self.quick_buttons = []
        names = {d.id: d.name for d in offer.departments}
        for department_id in offer.recommended[:MAX_QUICK]:
            number = len(self.quick_buttons) + 1
            button = QPushButton(f"→ {names[department_id]}    Alt+{number}", self)
            button.setStyleSheet("text-align: left; padding: 3px 8px")
            button.setToolTip("Направить сразу в этот отдел: он вёл такие сообщения раньше")
            button.clicked.connect(lambda _=False, d=department_id: self._route_quick(d))
            self.quick_row.addWidget(button)
            self.quick_buttons.append(button)
        visible = bool(self.quick_buttons) and not offer.draft_due_is_manual
        self.quick_label.setVisible(visible)
        for button in self.quick_buttons:
            button.setVisible(visible)

    def _checks_changed(self, *_: object) -> None:
        chosen = self.chosen_departments()
        offer = self._offer
        several = len(chosen) + (len(offer.taken) if offer else 0) > 1
        self._set_row_visible(self.mode, several and not (offer and offer.taken))
        mode = RoutingMode(self.mode.currentData())
        picks = offer is not None and offer.consolidator is Consolidator.CURATOR_PICKS
        self._set_row_visible(
            self.consolidator,
            several and picks and mode is not RoutingMode.CONTROLLER_CONSOLIDATES,
        )
        self._set_row_visible(self.draft_due, offer is not None and offer.draft_due_is_manual)
        current = self.consolidator.currentData()
        self.consolidator.clear()
        self.consolidator.addItem("— решу, когда придут все части", None)
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item.data(Qt.ItemDataRole.UserRole) in chosen:
                self.consolidator.addItem(
                    item.text().removeprefix("★ "), item.data(Qt.ItemDataRole.UserRole)
                )
        self.consolidator.setCurrentIndex(max(0, self.consolidator.findData(current)))
        self.route_button.setEnabled(bool(chosen))

    def _set_row_visible(self, field: QWidget, visible: bool) -> None:
        self.options.setRowVisible(field, visible)

    # --- reading ---------------------------------------------------------------------------
    def chosen_departments(self) -> list[int]:
        chosen = []
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.checkState() == Qt.CheckState.Checked:
                chosen.append(int(item.data(Qt.ItemDataRole.UserRole)))
        return chosen

    def _chosen_executors(self) -> dict[int, int | None]:
        found: dict[int, int | None] = {}
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            combo = self.table.cellWidget(row, 1)
            if item is not None and isinstance(combo, QComboBox):
                found[int(item.data(Qt.ItemDataRole.UserRole))] = combo.currentData()
        return found

    def tick(self, department_id: int, executor_id: int | None = None) -> None:
        """Tick a department (and pick its executor), as a click in the table does."""
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item.data(Qt.ItemDataRole.UserRole) == department_id:
                item.setCheckState(Qt.CheckState.Checked)
                combo = self.table.cellWidget(row, 1)
                if executor_id is not None and isinstance(combo, QComboBox):
                    combo.setCurrentIndex(max(0, combo.findData(executor_id)))
                return
        raise KeyError(department_id)

    def request(self) -> RouteRequest:
        chosen = self.chosen_departments()
        if not chosen:
            raise ValidationError("Отметьте хотя бы один отдел.")
        executors = self._chosen_executors()
        shown = self.options.isRowVisible
        mode = RoutingMode(self.mode.currentData()) if shown(self.mode) else None
        consolidator = self.consolidator.currentData() if shown(self.consolidator) else None
        due = None
        if shown(self.draft_due):
            due = parse_moment(self.draft_due.text(), self._zone, "Срок проекта ответа")
        return RouteRequest(
            targets=tuple(RouteTarget(d, executors.get(d)) for d in chosen),
            mode=mode,
            consolidator_department_id=consolidator,
            draft_due=due,
        )

    # --- acting ----------------------------------------------------------------------------
    def submit(self) -> None:
        try:
            request = self.request()
        except ValidationError as exc:
            self.show_error(str(exc))
            return
        self.error.hide()
        self.route_requested.emit(request)

    def _quick_key(self, number: int) -> None:
        if self.isEnabled() and number <= len(self.quick_buttons):
            button = self.quick_buttons[number - 1]
            if button.isVisible():
                button.click()

    def _route_quick(self, department_id: int) -> None:
        self.error.hide()
        self.route_requested.emit(RouteRequest((RouteTarget(department_id),), None, None, None))

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
