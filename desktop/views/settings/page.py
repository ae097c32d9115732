"""What every settings page shares: who is looking, a line for outcomes and errors, and
the rule that a user without the right sees the page with its editing controls disabled."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.services.errors import (
    AccessDenied,
    ConflictError,
    KnownDatabaseError,
    RowDeleted,
    ValidationError,
    WorkCalendarError,
)
from desktop.services.formatting import conflict_question
from desktop.services.permissions import Action
from desktop.services.session import CurrentUser

T = TypeVar("T")
ERROR_STYLE = "color: #b02a37"
DONE_STYLE = "color: #1e7e34"
HINT_STYLE = "color: #555"


@dataclass(frozen=True)
class PageContext:
    user: CurrentUser
    zone: ZoneInfo


@dataclass(frozen=True)
class Outcome(Generic[T]):
    ok: bool
    value: T | None = None


def make_table(parent: QWidget) -> QTableView:
    table = QTableView(parent)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    table.horizontalHeader().setHighlightSections(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return table


def set_widths(table: QTableView, widths: tuple[int, ...], stretch: int | None = None) -> None:
    """Column widths in pixels; the `stretch` column takes the room that is left."""
    for column, width in enumerate(widths):
        table.setColumnWidth(column, width)
    if stretch is not None:
        table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)


def hint_label(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setStyleSheet(HINT_STYLE)
    return label


class SettingsPage(QWidget):
    """A page of the settings dialog. `action` is the right that allows editing it."""

    title = ""
    action = Action.MANAGE_SETTINGS

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.user = context.user
        self.editable = context.user.may(self.action)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.read_only_hint = hint_label(
            "Только просмотр: менять эти настройки может администратор.", self
        )
        self.read_only_hint.setVisible(not self.editable)
        self.layout_.addWidget(self.read_only_hint)
        self.error = QLabel(self)  # what went wrong, in red
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.status = QLabel(self)  # what was done, in green
        self.status.setWordWrap(True)
        self.status.setStyleSheet(DONE_STYLE)
        self.reload_button = QPushButton("Обновить", self)
        self.reload_button.hide()
        self.reload_button.clicked.connect(self._reload_after_conflict)
        self.message_row = QHBoxLayout()
        self.message_row.addWidget(self.error, 1)
        self.message_row.addWidget(self.status, 1)
        self.message_row.addWidget(self.reload_button)
        self.error.hide()
        self.status.hide()

    def finish_layout(self) -> None:
        """Subclasses call this after adding their widgets: the message line goes last."""
        self.layout_.addLayout(self.message_row)

    # --- outcomes -----------------------------------------------------------------------
    def show_done(self, text: str) -> None:
        self.reload_button.hide()
        self.error.clear()
        self.error.hide()
        self.status.setText(text)
        self.status.show()

    def show_error(self, text: str) -> None:
        self.status.clear()
        self.status.hide()
        self.error.setText(text)
        self.error.show()

    def clear_message(self) -> None:
        self.reload_button.hide()
        for label in (self.error, self.status):
            label.clear()
            label.hide()

    def confirm(self, question: str) -> bool:
        """Ask before a deletion; «Нет» is the default."""
        answer = QMessageBox.question(
            self,
            "Настройки",
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def attempt(self, work: Callable[[], T]) -> Outcome[T]:
        """Run one service call; a problem the user can act on becomes the message line."""
        try:
            value = work()
        except ConflictError as exc:
            self.show_error(conflict_question(exc.changed_by, exc.changed_at, self.context.zone))
            self.reload_button.show()
            return Outcome(False)
        except RowDeleted as exc:
            self.show_error(exc.user_message)
            self.refresh()
            return Outcome(False)
        except KnownDatabaseError as exc:
            self.show_error(exc.user_message)
            return Outcome(False)
        except (ValidationError, AccessDenied, WorkCalendarError) as exc:
            self.show_error(str(exc))
            return Outcome(False)
        self.reload_button.hide()
        return Outcome(True, value)

    def _reload_after_conflict(self) -> None:
        self.clear_message()
        self.refresh(reload_form=True)

    # --- for subclasses -----------------------------------------------------------------
    def refresh(self, *, reload_form: bool = False) -> None:
        """Read the page's data again; `reload_form` also refills the edit form."""
        raise NotImplementedError
