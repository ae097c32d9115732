"""«Изменить карточку»: the fields an operator or curator may correct after registration."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
)

from desktop.services.directory import Directory
from desktop.services.errors import ValidationError
from desktop.services.incident_card import IncidentCard
from desktop.services.vocabulary import Importance
from desktop.views.register_dialog import choice_box, chosen_id


def _show_current(box: QComboBox, row_id: int | None, name: str) -> None:
    """Select the card's value; one archived since is offered as it is, never lost."""
    if row_id is not None and box.findData(row_id) < 0:
        box.addItem(f"{name} (в архиве)", row_id)
    box.setCurrentIndex(max(0, box.findData(row_id)))


class EditDialog(QDialog):
    """Emits `submitted(changes, version)`: only the fields the user changed, and the card
    version they were changed from (a newer one on the share is a conflict to ask about)."""

    submitted = Signal(object, int)

    def __init__(self, card: IncidentCard, directory: Directory, parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Изменить карточку № {card.number}")
        self.base = card
        self.busy = False
        self.link = QLineEdit(card.link, self)
        self.text = QPlainTextEdit(card.text, self)
        self.text.setTabChangesFocus(True)
        self.author = QLineEdit(card.author_name, self)
        self.author_url = QLineEdit(card.author_url, self)
        self.topic = choice_box(directory.topics, self)
        _show_current(self.topic, card.topic_id, card.topic)
        self.location = choice_box(directory.locations, self)
        _show_current(self.location, card.location_id, card.location)
        self.high = QCheckBox("Повышенная важность (срок ответа пересчитается)", self)
        self.high.setChecked(card.importance is Importance.HIGH)
        self.note = QPlainTextEdit(card.note, self)
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(60)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b02a37")
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save.setText("Сохранить (Ctrl+Enter)")
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        for sequence in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(sequence), self, activated=self._submit)
        form = QFormLayout()
        form.addRow("Ссылка:", self.link)
        form.addRow("Текст:", self.text)
        form.addRow("Автор:", self.author)
        form.addRow("Страница автора:", self.author_url)
        form.addRow("Тема:", self.topic)
        form.addRow("Территория:", self.location)
        form.addRow("", self.high)
        form.addRow("Примечание:", self.note)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(560, 460)

    def rebase(self, card: IncidentCard) -> None:
        """After the user chose to look at another workstation's change: the fields they
        edited keep their text, the untouched ones show the fresh card, and both count
        from it."""
        try:
            touched = set(self.changes())
        except ValidationError:  # a half-typed topic or place: leave every field as it is
            touched = {"link", "text", "author_name", "author_url", "topic", "location"}
            touched |= {"importance", "note"}
        self.base = card
        if "link" not in touched:
            self.link.setText(card.link)
        if "text" not in touched:
            self.text.setPlainText(card.text)
        if "author_name" not in touched:
            self.author.setText(card.author_name)
        if "author_url" not in touched:
            self.author_url.setText(card.author_url)
        if "topic" not in touched:
            _show_current(self.topic, card.topic_id, card.topic)
        if "location" not in touched:
            _show_current(self.location, card.location_id, card.location)
        if "importance" not in touched:
            self.high.setChecked(card.importance is Importance.HIGH)
        if "note" not in touched:
            self.note.setPlainText(card.note)

    def changes(self) -> dict[str, Any]:
        card = self.base
        now: dict[str, Any] = {
            "link": self.link.text().strip(),
            "text": self.text.toPlainText(),
            "author_name": self.author.text().strip(),
            "author_url": self.author_url.text().strip(),
            "topic": chosen_id(self.topic, "Тема"),
            "location": chosen_id(self.location, "Территория"),
            "importance": Importance.HIGH if self.high.isChecked() else Importance.NORMAL,
            "note": self.note.toPlainText(),
        }
        before: dict[str, Any] = {
            "link": card.link,
            "text": card.text,
            "author_name": card.author_name,
            "author_url": card.author_url,
            "topic": card.topic_id,
            "location": card.location_id,
            "importance": card.importance,
            "note": card.note,
        }
        return {name: value for name, value in now.items() if value != before[name]}

    def set_busy(self, busy: bool) -> None:
        self.busy = busy

    def _submit(self) -> None:
        if self.busy:  # sent, waiting for the answer: a second Ctrl+Enter would save twice
            return
        try:
            changed = self.changes()
        except ValidationError as exc:
            self.show_error(str(exc))
            return
        if not changed:
            self.reject()
            return
        self.busy = True
        self.submitted.emit(changed, self.base.version)

    def show_error(self, text: str) -> None:
        self.busy = False
        self.error.setText(text)
        self.error.show()
