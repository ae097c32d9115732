"""The bar above the queue: a search box and the filters a press office uses every day."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from desktop.services.directory import Directory
from desktop.services.queue_filter import QueueFilter
from desktop.services.titles import NETWORK_TITLES, STATUS_TITLES, STEP_KIND_TITLES
from desktop.services.vocabulary import IncidentStatus, Network, StepKind

SEARCH_DELAY_MS = 250  # search once the user pauses typing, not at every letter


def _combo(parent: QWidget, everything: str, tooltip: str) -> QComboBox:
    combo = QComboBox(parent)
    combo.addItem(everything, None)
    combo.setToolTip(tooltip)
    # Shrinks on a 1366-pixel laptop screen (the list still opens at full width).
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(6)
    combo.setMaximumWidth(220)
    return combo


class FilterBar(QWidget):
    """Emits `changed(QueueFilter)` for the filters and `search(str)` after a typing pause."""

    changed = Signal(object)
    search = Signal(str)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.query = QLineEdit(self)
        self.query.setPlaceholderText("Поиск (Ctrl+F)")
        self.query.setToolTip(
            "Текст, автор, ссылка или № сообщения; находятся и части слов, и любые их формы"
        )
        self.query.setClearButtonEnabled(True)
        self.query.setMinimumWidth(160)
        self.mine = QCheckBox("Мои", self)
        self.mine.setToolTip(
            "Сообщения, где вы исполнитель, куратор или отвечаете за шаг, и сообщения вашего отдела"
        )
        self.department = _combo(self, "Все отделы", "Отдел, которому направлено сообщение")
        self.status = _combo(self, "Все состояния", "Состояние сообщения")
        for status in IncidentStatus:
            if status.is_open:  # the queue holds open messages only
                self.status.addItem(STATUS_TITLES[status], status.value)
        self.step = _combo(self, "Все шаги", "Шаг, который идёт сейчас")
        for kind in StepKind:
            self.step.addItem(STEP_KIND_TITLES[kind], kind.value)
        self.network = _combo(self, "Все соцсети", "Соцсеть")
        for network in Network:
            self.network.addItem(NETWORK_TITLES[network], network.value)
        self.topic = _combo(self, "Все темы", "Тема сообщения")
        self.high = QCheckBox("Важные", self)
        self.high.setToolTip("Только сообщения повышенной важности")
        self.overdue = QCheckBox("Просроченные", self)
        self.overdue.setToolTip("Только сообщения с просроченным шагом")
        self.reset = QPushButton("Сбросить", self)
        self.reset.setToolTip("Показать всю очередь")
        self.reset.clicked.connect(self.clear)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.query, 2)
        for widget in (
            self.mine,
            self.department,
            self.status,
            self.step,
            self.network,
            self.topic,
            self.high,
            self.overdue,
            self.reset,
        ):
            layout.addWidget(widget)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(lambda: self.search.emit(self.query.text().strip()))
        self.query.textChanged.connect(lambda _: self._timer.start())
        self.query.textChanged.connect(self._update_reset)
        for box in (self.mine, self.high, self.overdue):
            box.toggled.connect(self._emit)
        for combo in (self.department, self.status, self.step, self.network, self.topic):
            combo.currentIndexChanged.connect(self._emit)
        self._update_reset()

    def set_directory(self, directory: Directory) -> None:
        """Departments and topics of the office; the current choice survives a refresh."""
        for combo, choices in (
            (self.department, directory.departments),
            (self.topic, directory.topics),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for choice in choices:
                combo.addItem(choice.name, choice.id)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)
        self._emit()

    def current(self) -> QueueFilter:
        def data(combo: QComboBox) -> Any:
            return combo.currentData()

        status, step, network = data(self.status), data(self.step), data(self.network)
        return QueueFilter(
            mine=self.mine.isChecked(),
            department_id=data(self.department),
            status=None if status is None else IncidentStatus(status),
            step=None if step is None else StepKind(step),
            high_only=self.high.isChecked(),
            network=None if network is None else Network(network),
            topic_id=data(self.topic),
            overdue_only=self.overdue.isChecked(),
        )

    def clear(self) -> None:
        for box in (self.mine, self.high, self.overdue):
            box.blockSignals(True)
            box.setChecked(False)
            box.blockSignals(False)
        for combo in (self.department, self.status, self.step, self.network, self.topic):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.query.clear()
        self._timer.stop()
        self.search.emit("")
        self._emit()

    def _emit(self, *_: object) -> None:
        self._update_reset()
        self.changed.emit(self.current())

    def _update_reset(self, *_: object) -> None:
        self.reset.setEnabled(self.current() != QueueFilter() or bool(self.query.text()))
