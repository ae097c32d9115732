"""The incident card: a panel beside the queue with the message, its steps, history, related
messages, and the buttons for what the signed-in user may do now."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.services.formatting import format_moment
from desktop.services.incident_card import CardAction, CardAttachment, IncidentCard
from desktop.services.titles import ASSIGNMENT_STATUS_TITLES, NETWORK_TITLES, STATUS_TITLES
from desktop.views.card_models import HistoryModel, StepsModel
from desktop.views.routing_panel import RoutingPanel

# The buttons this window offers, in the order they appear; drafting and review open the
# draft editor and the approval panel, which are not part of the card.
BUTTON_TITLES: dict[CardAction, str] = {
    CardAction.ACCEPT: "Принять в работу",
    CardAction.WRITE_DRAFT: "Написать ответ…",
    CardAction.REVIEW: "Согласовать…",
    CardAction.APPROVE_DEPARTMENT: "Согласовать в органе…",
    CardAction.PUBLISH: "Отметить размещение…",
    CardAction.EDIT: "Изменить…",
    CardAction.ATTACH: "Добавить файлы…",
    CardAction.RETURN_NOT_COMPETENT: "Не наша компетенция…",
    CardAction.NOTIFY_MANAGER: "Доложить руководству",
    CardAction.CLOSE_NOT_TO_ANSWER: "Не подлежит ответу…",
    CardAction.OFFICIAL_APPEAL: "Обращение по 59-ФЗ…",
    CardAction.RETURN_UPSTREAM: "Вернуть куратору города…",
}


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} Б"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} КБ"
    return f"{size / 1024 / 1024:.1f} МБ"


def _table(model: Any, parent: QWidget) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.verticalHeader().hide()
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setWordWrap(False)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return view


class IncidentCardPanel(QWidget):
    """Shows one `IncidentCard`; every button emits a request the main window carries out."""

    action_requested = Signal(object)  # CardAction
    mark_repeat_requested = Signal(int)  # the earlier incident's id
    open_incident = Signal(int)
    open_attachment = Signal(object)  # CardAttachment

    def __init__(self, zone: ZoneInfo, parent: Any = None) -> None:
        super().__init__(parent)
        self.card: IncidentCard | None = None
        self._zone = zone
        self._online = True
        self.pending = False  # another message is selected; its card is being read
        self.placeholder = QLabel("Выберите сообщение в очереди.", self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setStyleSheet("color: #666")

        self.body = QWidget(self)
        self.title = QLabel(self.body)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.title.setOpenExternalLinks(True)
        self.facts = QLabel(self.body)
        self.facts.setTextFormat(Qt.TextFormat.RichText)
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.facts.setOpenExternalLinks(True)
        self.text = QTextBrowser(self.body)
        self.text.setOpenExternalLinks(True)
        self.text.setMinimumHeight(70)
        self.text.setMaximumHeight(160)
        self.attachments = QListWidget(self.body)
        self.attachments.setMaximumHeight(64)
        self.attachments.setFlow(QListWidget.Flow.LeftToRight)
        self.attachments.itemActivated.connect(self._attachment_activated)
        self.departments = QLabel(self.body)
        self.departments.setWordWrap(True)

        self.buttons: dict[CardAction, QPushButton] = {}
        self.actions_grid = QGridLayout()
        for action, title in BUTTON_TITLES.items():
            button = QPushButton(title, self.body)
            button.clicked.connect(lambda _=False, a=action: self.action_requested.emit(a))
            self.buttons[action] = button
        self.routing = RoutingPanel(self.body)

        self.steps_model = StepsModel(zone, self)
        self.history_model = HistoryModel(zone, self)
        self.steps = _table(self.steps_model, self.body)
        self.history = _table(self.history_model, self.body)
        self.history.setWordWrap(True)
        self.related = QListWidget(self.body)
        self.related.itemActivated.connect(self._related_activated)
        self.related.currentItemChanged.connect(self._related_selected)
        self.mark_repeat = QPushButton("Это повтор выбранного сообщения", self.body)
        self.mark_repeat.clicked.connect(self._mark_repeat)
        related_page = QWidget(self.body)
        related_layout = QVBoxLayout(related_page)
        related_layout.setContentsMargins(0, 0, 0, 0)
        related_layout.addWidget(self.related, 1)
        related_row = QHBoxLayout()
        related_row.addStretch(1)
        related_row.addWidget(self.mark_repeat)
        related_layout.addLayout(related_row)
        self.tabs = QTabWidget(self.body)
        self.tabs.addTab(self.steps, "Ход работы")
        self.tabs.addTab(self.history, "История")
        self.tabs.addTab(related_page, "Связанные")

        inner = QVBoxLayout(self.body)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(self.title)
        inner.addWidget(self.facts)
        inner.addWidget(self.text, 1)
        inner.addWidget(self.attachments)
        inner.addWidget(self.departments)
        inner.addLayout(self.actions_grid)
        inner.addWidget(self.routing, 3)
        inner.addWidget(self.tabs, 3)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.body)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        layout.addWidget(self.placeholder)
        layout.addWidget(scroll, 1)
        self._scroll = scroll
        self.clear()

    # --- showing ----------------------------------------------------------------------------
    def clear(self, text: str = "Выберите сообщение в очереди.") -> None:
        self.card = None
        self.pending = False
        self.placeholder.setText(text)
        self.placeholder.show()
        self._scroll.hide()

    @property
    def incident_id(self) -> int | None:
        return None if self.card is None else self.card.incident_id

    def show_card(self, card: IncidentCard, zone: ZoneInfo, now: dt.datetime) -> None:
        same = self.card is not None and self.card.incident_id == card.incident_id
        self.card, self._zone = card, zone
        self.pending = False
        self.placeholder.hide()
        self._scroll.show()
        self.title.setText(self._title_html(card))
        self.facts.setText(self._facts_html(card))
        if not same or self.text.toPlainText() != card.text:
            self.text.setPlainText(card.text)
        self.attachments.clear()
        for attachment in card.attachments:
            item = QListWidgetItem(f"{attachment.file_name} ({_size(attachment.size)})")
            item.setData(Qt.ItemDataRole.UserRole, attachment)
            item.setToolTip("Открыть (двойной щелчок или Enter)")
            self.attachments.addItem(item)
        self.attachments.setVisible(bool(card.attachments))
        self.departments.setText(self._departments_text(card))
        self.departments.setVisible(bool(card.assignments))
        self.steps_model.set_steps(card.steps, zone, now)
        history_scroll = self.history.verticalScrollBar().value()
        self.history_model.set_entries(card.history, zone)
        if same:
            self.history.verticalScrollBar().setValue(history_scroll)
        else:
            self.history.scrollToBottom()
        picked = self.related.currentItem()
        picked_id = None if picked is None else picked.data(Qt.ItemDataRole.UserRole).incident_id
        self._fill_related(card)
        if same and picked_id is not None:
            for row in range(self.related.count()):
                if self.related.item(row).data(Qt.ItemDataRole.UserRole).incident_id == picked_id:
                    self.related.setCurrentRow(row)
        self.routing.set_offer(card.routing, zone, keep_choices=same)
        self._apply_actions()

    def set_pending(self, pending: bool) -> None:
        """The selection moved: until the new card arrives nothing here acts."""
        self.pending = pending
        self._apply_actions()

    def set_online(self, online: bool) -> None:
        """Offline the card stays readable; nothing can be changed."""
        self._online = online
        self._apply_actions()

    def _apply_actions(self) -> None:
        card = self.card
        idle = card is None or not self._online or self.pending
        allowed = frozenset() if idle or card is None else card.actions
        for button in self.buttons.values():
            self.actions_grid.removeWidget(button)
        shown = [b for a, b in self.buttons.items() if card is not None and a in card.actions]
        for position, button in enumerate(shown):  # two a row, no gaps for hidden ones
            self.actions_grid.addWidget(button, position // 2, position % 2)
        for action, button in self.buttons.items():
            button.setVisible(button in shown)
            button.setEnabled(action in allowed)
        self.routing.setVisible(card is not None and CardAction.ROUTE in card.actions)
        self.routing.setEnabled(CardAction.ROUTE in allowed)
        self._related_selected()

    def _title_html(self, card: IncidentCard) -> str:
        high = (
            " <span style='color:#b02a37'>● повышенная важность</span>"
            if card.importance.value == "high"
            else ""
        )
        link = f" · <a href='{html.escape(card.link)}'>открыть в соцсети</a>" if card.link else ""
        return (
            f"<b style='font-size:13pt'>№ {card.number}</b> · {NETWORK_TITLES[card.network]}"
            f"{link}{high}<br><b>{STATUS_TITLES[card.status]}</b>"
        )

    def _facts_html(self, card: IncidentCard) -> str:
        zone = self._zone
        author = html.escape(card.author_name or "автор не указан")
        if card.author_url:
            author = f"<a href='{html.escape(card.author_url)}'>{author}</a>"
        rows = [
            ("Автор", author),
            ("Тема", html.escape(card.topic or "—")),
            ("Территория", html.escape(card.location or "—")),
            ("Выявлено", format_moment(card.detected_at, zone)),
            ("Размещено", format_moment(card.posted_at, zone) or "—"),
            ("Срок ответа", format_moment(card.answer_due_at, zone) or "—"),
        ]
        if card.account:
            rows.append(("Аккаунт", html.escape(card.account)))
        if card.external_number:
            rows.append(("№ в системе мониторинга", html.escape(card.external_number)))
        if card.repeat_of is not None:
            rows.append(("Повторное к", f"№ {card.repeat_of.number}"))
        if card.closure_note:
            rows.append(("Основание", html.escape(card.closure_note)))
        cells = "".join(
            f"<tr><td style='color:#555;padding-right:8px'>{label}:</td><td>{value}</td></tr>"
            for label, value in rows
        )
        return f"<table>{cells}</table>"

    @staticmethod
    def _departments_text(card: IncidentCard) -> str:
        parts = []
        for a in card.assignments:
            who = f", {a.executor}" if a.executor else ""
            lead = " — готовит сводный ответ" if a.is_consolidator else ""
            reason = f" («{a.return_reason}»)" if a.return_reason else ""
            parts.append(f"{a.department}{who}: {ASSIGNMENT_STATUS_TITLES[a.status]}{reason}{lead}")
        return "Отделы: " + "; ".join(parts)

    def _fill_related(self, card: IncidentCard) -> None:
        self.related.clear()
        shown = ([card.repeat_of] if card.repeat_of else []) + list(card.related)
        for other in shown:
            item = QListWidgetItem(
                f"№ {other.number} · {format_moment(other.detected_at, self._zone)} · "
                f"{other.relation} · {STATUS_TITLES[other.status]} — {other.summary}"
            )
            item.setData(Qt.ItemDataRole.UserRole, other)
            self.related.addItem(item)
        self.tabs.setTabText(2, f"Связанные ({len(shown)})" if shown else "Связанные")

    # --- reacting ---------------------------------------------------------------------------
    def _attachment_activated(self, item: QListWidgetItem) -> None:
        attachment = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(attachment, CardAttachment):
            self.open_attachment.emit(attachment)

    def _related_activated(self, item: QListWidgetItem) -> None:
        other = item.data(Qt.ItemDataRole.UserRole)
        self.open_incident.emit(other.incident_id)

    def _related_selected(self, *_: object) -> None:
        card = self.card
        item = self.related.currentItem()
        other = None if item is None else item.data(Qt.ItemDataRole.UserRole)
        may = (
            card is not None
            and self._online
            and not self.pending
            and CardAction.MARK_REPEAT in card.actions
        )
        self.mark_repeat.setVisible(card is not None and CardAction.MARK_REPEAT in card.actions)
        self.mark_repeat.setEnabled(may and other is not None and other.may_be_earlier)

    def _mark_repeat(self) -> None:
        item = self.related.currentItem()
        if item is not None:
            self.mark_repeat_requested.emit(item.data(Qt.ItemDataRole.UserRole).incident_id)
