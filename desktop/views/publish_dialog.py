"""Recording the publication of an approved answer: where (the link, the way) and when; the
answer copied to the clipboard in the network's format with one click."""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDateTime, QTimeZone, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
)

from desktop.services.draft_context import CuratorEdit
from desktop.services.publishing import PublicationOffer
from desktop.services.titles import ANSWER_KIND_TITLES, NETWORK_TITLES, PUBLICATION_MODE_TITLES
from desktop.services.vocabulary import PublicationMode
from desktop.views.approval_dialogs import diff_html
from desktop.views.reason_dialogs import AskDialog

COPY_KEYS = "Ctrl+Shift+C"
NO_LINK_NEEDED = frozenset({PublicationMode.PRIVATE_MESSAGE, PublicationMode.UPSTREAM})


class PublishDialog(AskDialog):
    """`given(url, mode, moment, also_on_site)`; the moment is aware UTC."""

    given = Signal(str, object, object, bool)

    def __init__(
        self,
        offer: PublicationOffer,
        pasted_text: str,
        zone: ZoneInfo,
        now: dt.datetime,
        parent: Any = None,
        *,
        edit: CuratorEdit | None = None,
    ) -> None:
        super().__init__(parent)
        self.offer = offer
        self.pasted_text = pasted_text
        self._zone = zone
        network = NETWORK_TITLES[offer.network]
        self.setWindowTitle(f"Размещение ответа: сообщение № {offer.number}")
        kind = ANSWER_KIND_TITLES[offer.kind]
        self.heading = QLabel(
            f"Согласованный {kind} для публикации ({network}). Скопируйте его, разместите "
            "в соцсети и отметьте здесь ссылку и время размещения.",
            self,
        )
        self.heading.setWordWrap(True)
        self.answer = QPlainTextEdit(pasted_text, self)
        self.answer.setReadOnly(True)
        # Approved with the curator's edits: the executor sees what was changed.
        self.edit = edit
        self.edits = QTextBrowser(self)
        self.edits.setMaximumHeight(110)
        self.edits.setVisible(edit is not None)
        if edit is not None:
            self.edits.setHtml(
                f"<b>Правки куратора</b> ({escape(edit.edited_by)}, "
                f"{escape(edit.edited_at_text)}):<br>{diff_html(edit.diff)}"
            )
        self.copy = QPushButton(f"Скопировать для «{network}» ({COPY_KEYS})", self)
        self.copy.setToolTip("Текст ответа с обращением к автору, как его вставляют в соцсеть")
        self.copy.clicked.connect(self.copy_answer)
        QShortcut(QKeySequence(COPY_KEYS), self, self.copy_answer)
        self.copied = QLabel("", self)
        self.url = QLineEdit(self)
        self.url.setPlaceholderText("https://… — ссылка на размещённый ответ")
        self.mode = QComboBox(self)
        for mode in offer.modes:
            self.mode.addItem(PUBLICATION_MODE_TITLES[mode], mode)
        self.mode.setEnabled(len(offer.modes) > 1)
        self.mode.currentIndexChanged.connect(self._update_ok)
        self.moment = QDateTimeEdit(self)
        self.moment.setDisplayFormat("dd.MM.yyyy HH:mm")
        self.moment.setCalendarPopup(True)
        self.moment.setTimeZone(QTimeZone(zone.key.encode()))
        self.moment.setDateTime(QDateTime.fromSecsSinceEpoch(int(now.timestamp())))
        self.on_site = QCheckBox("Также размещено на сайте (информационное сообщение)", self)
        self.on_site.setVisible(offer.site_allowed)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.ok = self.buttons.addButton(
            "Отметить размещение", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.ok.setToolTip("Ctrl+Enter")
        QShortcut(QKeySequence("Ctrl+Return"), self, self._accept)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        self.url.textChanged.connect(self._update_ok)

        copy_row = QHBoxLayout()
        copy_row.addWidget(self.copy)
        copy_row.addWidget(self.copied, 1)
        form = QFormLayout()
        form.addRow("Ссылка на ответ:", self.url)
        form.addRow("Способ:", self.mode)
        form.addRow("Размещён:", self.moment)
        form.addRow("", self.on_site)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.edits)
        layout.addWidget(self.answer, 1)
        layout.addLayout(copy_row)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(560, 460)
        self._update_ok()

    def chosen_mode(self) -> PublicationMode:
        return PublicationMode(self.mode.currentData())

    def copy_answer(self) -> None:
        QGuiApplication.clipboard().setText(self.pasted_text)
        self.copied.setText("Скопировано — вставьте в соцсеть.")

    def chosen_moment(self) -> dt.datetime:
        seconds = self.moment.dateTime().toSecsSinceEpoch()
        return dt.datetime.fromtimestamp(seconds, dt.UTC)

    def _update_ok(self) -> None:
        needs_link = self.chosen_mode() not in NO_LINK_NEEDED
        self.ok.setEnabled(bool(self.url.text().strip()) or not needs_link)

    def _accept(self) -> None:
        if self.busy or not self.ok.isEnabled():
            return
        self.busy = True
        self.given.emit(
            self.url.text().strip(),
            self.chosen_mode(),
            self.chosen_moment(),
            self.on_site.isChecked() and self.offer.site_allowed,
        )
