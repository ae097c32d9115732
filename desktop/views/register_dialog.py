"""Registering a message by keyboard: paste the link, paste the text, Ctrl+Enter.

The link fills the network; the most used fields come first in the Tab order (link, text,
author, topic, place, importance); files are dropped anywhere on the dialog. The dialog only
collects `NewIncident`; the main window runs the registration and reports the outcome back
(`show_error`, or `accept`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.services.directory import Choice, Directory
from desktop.services.errors import ValidationError
from desktop.services.formatting import DATE_TIME_FORMAT, parse_moment
from desktop.services.incidents import NewIncident
from desktop.services.links import network_of
from desktop.services.titles import NETWORK_TITLES
from desktop.services.vocabulary import Importance, IncidentSource, Network

MOMENT_MASK = "00.00.0000 00:00;_"


def choice_box(choices: tuple[Choice, ...], parent: QWidget, *, empty: str = "—") -> QComboBox:
    """A combo box to type into: a few letters of a topic or place find it."""
    box = QComboBox(parent)
    box.setEditable(True)
    box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    box.addItem(empty, None)
    for choice in choices:
        box.addItem(choice.name, choice.id)
    completer = QCompleter([c.name for c in choices], box)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    box.setCompleter(completer)
    box.setCurrentIndex(0)
    return box


def chosen_id(box: QComboBox, field: str) -> int | None:
    """The id of what the box shows; text that names nothing is an error, not a guess."""
    text = box.currentText().strip()
    if not text or text == box.itemText(0):
        return None
    found = box.findText(text, Qt.MatchFlag.MatchFixedString)
    if found <= 0:
        raise ValidationError(f"{field}: нет такого значения «{text}»; выберите из списка.")
    value = box.itemData(found)
    return None if value is None else int(value)


class RegisterDialog(QDialog):
    """Collects a new message; `submitted` carries the `NewIncident`."""

    submitted = Signal(object)

    def __init__(
        self,
        directory: Directory,
        zone: ZoneInfo,
        now: dt.datetime,
        *,
        upstream: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Новое сообщение")
        self.setAcceptDrops(True)
        self.setMinimumWidth(620)
        self._zone = zone
        self._directory = directory
        self._upstream = upstream

        self.link = QLineEdit(self)
        self.link.setPlaceholderText("https://vk.com/wall-… — вставьте ссылку (Ctrl+V)")
        self.network = QComboBox(self)
        for network in Network:
            self.network.addItem(NETWORK_TITLES[network], network.value)
        self.network.setCurrentIndex(-1)
        self.account = QComboBox(self)
        self.text = QPlainTextEdit(self)
        self.text.setTabChangesFocus(True)
        self.text.setPlaceholderText("Текст сообщения — вставьте из браузера")
        self.author = QLineEdit(self)
        self.author.setPlaceholderText("Имя или ник")
        self.author_url = QLineEdit(self)
        self.author_url.setPlaceholderText("Ссылка на страницу автора")
        self.topic = choice_box(directory.topics, self)
        self.location = choice_box(directory.locations, self)
        self.high = QCheckBox("&Повышенная важность (социально значимое)", self)
        self.posted = QLineEdit(self)
        self.posted.setInputMask(MOMENT_MASK)
        self.detected = QLineEdit(self)
        self.detected.setInputMask(MOMENT_MASK)
        self.detected.setText(now.astimezone(zone).strftime(DATE_TIME_FORMAT))
        self.external_number = QLineEdit(self)
        self.external_deadline = QLineEdit(self)
        self.external_deadline.setInputMask(MOMENT_MASK)
        self.files = QListWidget(self)
        self.files.setMaximumHeight(70)
        add_files = QPushButton("Добавить файлы…", self)
        add_files.clicked.connect(self._choose_files)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b02a37")
        self.error.hide()

        form = QFormLayout()
        form.addRow("&Ссылка:", self.link)
        form.addRow("&Текст:", self.text)
        form.addRow("&Автор:", self.author)
        form.addRow("Т&ема:", self.topic)
        form.addRow("Те&рритория:", self.location)
        form.addRow("", self.high)
        form.addRow("Соц&сеть:", self.network)
        form.addRow("А&ккаунт:", self.account)
        form.addRow("Страница автора:", self.author_url)
        form.addRow("Размещено:", self.posted)
        form.addRow("Выявлено:", self.detected)
        form.addRow("№ в системе &мониторинга:", self.external_number)
        if upstream:
            form.addRow("Срок системы мониторинга:", self.external_deadline)
        else:
            self.external_deadline.hide()  # only regulations with an upstream system set one
        files_row = QHBoxLayout()
        files_row.addWidget(self.files, 1)
        files_row.addWidget(add_files, 0, Qt.AlignmentFlag.AlignTop)
        form.addRow("Вложения:", files_row)
        self.buttons = QDialogButtonBox(self)
        self.register_button = self.buttons.addButton(
            "Зарегистрировать (Ctrl+Enter)", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton("Отмена", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        for sequence in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(sequence), self, activated=self._submit)
        self.link.textChanged.connect(self._link_changed)
        self.network.currentIndexChanged.connect(self._fill_accounts)
        self.setTabOrder(self.link, self.text)
        self.setTabOrder(self.text, self.author)
        self.setTabOrder(self.author, self.topic)
        self.setTabOrder(self.topic, self.location)
        self.setTabOrder(self.location, self.high)
        self.link.setFocus()
        self._fill_accounts()

    # --- filling -------------------------------------------------------------------------
    def _link_changed(self, text: str) -> None:
        network = network_of(text) if text.strip() else None
        if network is not None:
            self.network.setCurrentIndex(self.network.findData(network.value))

    def _fill_accounts(self) -> None:
        network = self.network.currentData()
        self.account.clear()
        self.account.addItem("— не официальная страница", None)
        for account in self._directory.accounts:
            if network is None or account.network.value == network:
                self.account.addItem(account.name, account.id)

    def _choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Фото и видео к сообщению")
        for path in paths:
            self.add_file(Path(path))

    def add_file(self, path: Path) -> None:
        if path.is_file() and not self.files.findItems(str(path), Qt.MatchFlag.MatchExactly):
            self.files.addItem(str(path))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        for url in event.mimeData().urls():
            if url.isLocalFile():
                self.add_file(Path(url.toLocalFile()))
        event.acceptProposedAction()

    # --- the outcome ---------------------------------------------------------------------
    def collect(self) -> NewIncident:
        """The message as typed; raises `ValidationError` for what cannot be read."""
        network = self.network.currentData()
        detected = parse_moment(self.detected.text(), self._zone, "Выявлено")
        if detected is None:
            raise ValidationError("Укажите, когда сообщение выявлено.")
        external_number = self.external_number.text().strip()
        source = IncidentSource.OWN_SEARCH
        if self._upstream:
            source = IncidentSource.UPSTREAM
        elif external_number:
            source = IncidentSource.MONITORING
        return NewIncident(
            text=self.text.toPlainText(),
            detected_at=detected,
            network=None if network is None else Network(network),
            link=self.link.text(),
            author_name=self.author.text(),
            author_url=self.author_url.text(),
            posted_at=parse_moment(self.posted.text(), self._zone, "Размещено"),
            importance=Importance.HIGH if self.high.isChecked() else Importance.NORMAL,
            topic_id=chosen_id(self.topic, "Тема"),
            location_id=chosen_id(self.location, "Территория"),
            source=source,
            external_number=external_number,
            external_deadline=parse_moment(
                self.external_deadline.text(), self._zone, "Срок системы мониторинга"
            )
            if self._upstream
            else None,
            account_id=self.account.currentData(),
            attachments=tuple(Path(self.files.item(i).text()) for i in range(self.files.count())),
        )

    def _submit(self) -> None:
        if not self.register_button.isEnabled():  # sent already: Ctrl+Enter twice is one
            return
        try:
            new = self.collect()
        except ValidationError as exc:
            self.show_error(str(exc))
            return
        self.register_button.setEnabled(False)
        self.submitted.emit(new)

    def show_error(self, text: str) -> None:
        self.register_button.setEnabled(True)
        self.error.setText(text)
        self.error.show()

    def keyPressEvent(self, event: Any) -> None:
        # Enter in a line field must not register half a message; Ctrl+Enter does.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
            event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.focusNextChild()
            return
        super().keyPressEvent(event)
