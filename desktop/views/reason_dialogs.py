"""Small dialogs that ask for what an action needs: a reason, an appeal's number and date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
)


class AskDialog(QDialog):
    """Stays open until the window says the action succeeded (`accept`) or shows the error."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b02a37")
        self.error.hide()

        self.busy = False  # sent, waiting for the answer: a second OK would act twice

    def set_busy(self, busy: bool) -> None:
        self.busy = busy

    def show_error(self, text: str) -> None:
        self.busy = False
        self.error.setText(text)
        self.error.show()


class ReasonDialog(AskDialog):
    """Asks for a reason; `given(str)` on OK with a non-empty text."""

    given = Signal(str)

    def __init__(self, title: str, prompt: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.prompt = QLabel(prompt, self)
        self.prompt.setWordWrap(True)
        self.reason = QPlainTextEdit(self)
        self.reason.setTabChangesFocus(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setEnabled(False)
        self.reason.textChanged.connect(
            lambda: self.ok.setEnabled(bool(self.reason.toPlainText().strip()))
        )
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addWidget(self.reason)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(440, 220)

    def _accept(self) -> None:
        text = self.reason.toPlainText().strip()
        if text and not self.busy:
            self.busy = True
            self.given.emit(text)


class AppealDialog(AskDialog):
    """The 59-ФЗ registration: number, date, and the author's consent (Охинский 3.8)."""

    given = Signal(str, object, bool)  # number, date, consent

    def __init__(self, today: dt.date, parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Передать как обращение по 59-ФЗ")
        self.number = QLineEdit(self)
        self.date = QDateEdit(QDate(today.year, today.month, today.day), self)
        self.date.setDisplayFormat("dd.MM.yyyy")
        self.date.setCalendarPopup(True)
        self.consent = QCheckBox("Автор согласен на регистрацию обращения", self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Регистрационный номер:", self.number)
        form.addRow("Дата регистрации:", self.date)
        form.addRow("", self.consent)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _accept(self) -> None:
        if self.busy:
            return
        self.busy = True
        picked = self.date.date()
        day = dt.date(picked.year(), picked.month(), picked.day())
        self.given.emit(self.number.text(), day, self.consent.isChecked())
