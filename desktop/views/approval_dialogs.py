"""The two dialogs of the approval panel: the curator's own edit of a draft (with the word
difference of the edit shown before it is confirmed) and a return with reasons.

Both stay open until the panel's controller says the decision was taken (`accept`) or shows
the service's error in them; OK is only a convenience, the service checks everything again.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QDateTime, QTime, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.services.approvals import Change, Piece, ReturnReason
from desktop.services.formatting import plural
from desktop.services.titles import RETURN_REASON_TITLES
from desktop.services.word_diff import word_diff

INSERTED_STYLE = "background-color:#c7eed2; color:#0f5132; text-decoration:underline;"
DELETED_STYLE = "background-color:#f8d7da; color:#842029; text-decoration:line-through;"
PREVIEW_DELAY_MS = 150


def _escaped(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def diff_html(pieces: Iterable[Piece]) -> str:
    """The new text with insertions underlined on green and deletions struck through on red,
    in place; a `<span class="ins|del">` marks each changed piece."""
    parts = []
    for piece in pieces:
        text = _escaped(piece.text)
        if piece.change is Change.INSERTED:
            parts.append(f'<span class="ins" style="{INSERTED_STYLE}">{text}</span>')
        elif piece.change is Change.DELETED:
            parts.append(f'<span class="del" style="{DELETED_STYLE}">{text}</span>')
        else:
            parts.append(text)
    return "".join(parts)


def length_text(length: int, limit: int | None) -> str:
    """«120 знаков», «120 знаков из 280»; past the network's limit, in red."""
    words = f"{length} {plural(length, 'знак', 'знака', 'знаков')}"
    if limit is None:
        return words
    if length > limit:
        return f"<span style='color:#b02a37'>{words} из {limit}: длиннее, чем позволяет сеть</span>"
    return f"{words} из {limit}"


class _DecisionDialog(QDialog):
    """Busy between the click and the answer, so a second click cannot decide twice."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.busy = False
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b02a37")
        self.error.hide()

    def set_busy(self, busy: bool) -> None:
        self.busy = busy

    def show_error(self, text: str) -> None:
        self.busy = False
        self.error.setText(text)
        self.error.show()

    def _confirm_keys(self, target: Any) -> None:
        for sequence in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(sequence), self, activated=target)


class EditDraftDialog(_DecisionDialog):
    """The draft's text to correct; below it, what the correction changes. `given(str)`."""

    given = Signal(str)

    def __init__(
        self, number: int, original: str, limit: int | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Согласовать с правкой: сообщение № {number}")
        self.original = original
        self._limit = limit
        self.editor = QPlainTextEdit(self)
        self.editor.setPlainText(original)
        self.editor.setTabChangesFocus(True)
        self.length = QLabel(self)
        self.preview = QTextBrowser(self)
        self.preview.setMinimumHeight(90)
        self.preview_pieces: list[Piece] = []
        self.preview_html = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.update_preview)
        self.editor.textChanged.connect(self._timer.start)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.ok = QPushButton("Согласовать с правкой (Ctrl+Enter)", self)
        self.buttons.addButton(self.ok, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        self._confirm_keys(self._accept)
        changes = QGroupBox("Что меняет правка", self)
        changes_layout = QVBoxLayout(changes)
        changes_layout.addWidget(self.preview)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Исправьте текст; исполнитель увидит новую редакцию.", self))
        layout.addWidget(self.editor, 3)
        layout.addWidget(self.length)
        layout.addWidget(changes, 2)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(620, 480)
        self.update_preview()

    @property
    def text(self) -> str:
        return self.editor.toPlainText()

    def update_preview(self) -> None:
        self._timer.stop()
        edited = self.text
        self.length.setText(length_text(len(edited.strip()), self._limit))
        changed = edited.strip() != self.original.strip()
        self.ok.setEnabled(bool(edited.strip()) and changed)
        if not changed:
            self.preview_pieces = []
            self.preview_html = ""
            self.preview.setHtml("<i style='color:#666'>Текст пока не изменён.</i>")
            return
        self.preview_pieces = word_diff(self.original, edited)
        self.preview_html = diff_html(self.preview_pieces)
        self.preview.setHtml(self.preview_html)

    def _accept(self) -> None:
        self.update_preview()
        if self.busy or not self.ok.isEnabled():
            return
        self.busy = True
        self.given.emit(self.text)


class ReturnDialog(_DecisionDialog):
    """Reasons (Отрадненский п. 14, and «другое» with a comment), a comment, and where the
    regulation leaves it to the curator (Барнаул п. 6) a rework deadline.
    `given(list[ReturnReason], str, datetime | None)`."""

    given = Signal(object, str, object)

    def __init__(
        self,
        number: int,
        *,
        rework_due_is_manual: bool,
        zone: ZoneInfo,
        now: dt.datetime,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Вернуть на доработку: сообщение № {number}")
        self._zone = zone
        self._manual = rework_due_is_manual
        reasons = QGroupBox("Причины возврата", self)
        reasons_layout = QVBoxLayout(reasons)
        self.reasons: dict[ReturnReason, QCheckBox] = {}
        for reason in ReturnReason:
            box = QCheckBox(RETURN_REASON_TITLES[reason], reasons)
            box.toggled.connect(self._update)
            reasons_layout.addWidget(box)
            self.reasons[reason] = box
        self.comment_label = QLabel("Комментарий исполнителю:", self)
        self.comment = QPlainTextEdit(self)
        self.comment.setTabChangesFocus(True)
        self.comment.textChanged.connect(self._update)
        self.set_due = QCheckBox("Установить срок доработки:", self)
        local = now.astimezone(zone) + dt.timedelta(hours=1)
        self.due = QDateTimeEdit(
            QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute)),
            self,
        )
        self.due.setDisplayFormat("dd.MM.yyyy HH:mm")
        self.due.setCalendarPopup(True)
        self.due.setEnabled(False)
        self.set_due.toggled.connect(self.due.setEnabled)
        due_row = QHBoxLayout()
        due_row.addWidget(self.set_due)
        due_row.addWidget(self.due, 1)
        self.set_due.setVisible(rework_due_is_manual)
        self.due.setVisible(rework_due_is_manual)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.ok = QPushButton("Вернуть на доработку (Ctrl+Enter)", self)
        self.buttons.addButton(self.ok, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        self._confirm_keys(self._accept)
        layout = QVBoxLayout(self)
        layout.addWidget(reasons)
        layout.addWidget(self.comment_label)
        layout.addWidget(self.comment, 1)
        layout.addLayout(due_row)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(480, 420)
        self._update()

    def chosen(self) -> list[ReturnReason]:
        return [reason for reason, box in self.reasons.items() if box.isChecked()]

    def _update(self) -> None:
        chosen = self.chosen()
        needs_comment = ReturnReason.OTHER in chosen
        self.comment_label.setText(
            "Комментарий исполнителю (обязателен для «другое»):"
            if needs_comment
            else "Комментарий исполнителю:"
        )
        self.ok.setEnabled(
            bool(chosen) and (not needs_comment or bool(self.comment.toPlainText().strip()))
        )

    def rework_due(self) -> dt.datetime | None:
        if not (self._manual and self.set_due.isChecked()):
            return None
        moment = self.due.dateTime()
        day, time = moment.date(), moment.time()
        local = dt.datetime(
            day.year(), day.month(), day.day(), time.hour(), time.minute(), tzinfo=self._zone
        )
        return local.astimezone(dt.UTC)

    def _accept(self) -> None:
        if self.busy or not self.ok.isEnabled():
            return
        self.busy = True
        self.given.emit(self.chosen(), self.comment.toPlainText().strip(), self.rework_due())
