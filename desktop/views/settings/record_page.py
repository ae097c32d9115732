"""A list with an edit form under it: departments, staff, topics, places, accounts.

Select a row to edit it in the form; «Добавить» adds what the form holds as a new record;
«В архив» hides a record from the forms while old messages keep it; «Удалить» deletes a
record nothing refers to and archives one that is referred to (the services decide).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelection
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QPushButton,
    QWidget,
)

from desktop.services.catalog import Removal
from desktop.views.settings.page import PageContext, SettingsPage, make_table, set_widths
from desktop.views.settings.table_model import Column, RecordTableModel, active_of


class RecordPage(SettingsPage):
    """Subclasses give `columns`, build the form and make the service calls."""

    columns: tuple[Column, ...] = ()
    widths: tuple[int, ...] = ()  # of the columns, in pixels
    stretch: int | None = 0  # the column that takes the room left
    form_title = "Карточка"
    archivable = True  # False: the form's own «Действует» does it (staff)
    added_text = "Запись добавлена."
    saved_text = "Изменения сохранены."

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._all_rows: list[Any] = []
        self.model = RecordTableModel(self.columns, self)
        self.table = make_table(self)
        self.table.setModel(self.model)
        set_widths(self.table, self.widths, self.stretch)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.show_archived = QCheckBox("Показывать архивные", self)
        self.show_archived.setChecked(True)
        self.show_archived.toggled.connect(lambda _: self.refresh())
        self.show_archived.setVisible(self.archivable)

        self.form_box = QGroupBox(self.form_title, self)
        self.form = QFormLayout(self.form_box)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.build_form(self.form)

        self.new_button = QPushButton("Очистить форму", self)
        self.new_button.setToolTip("Снять выбор и очистить форму, чтобы внести новую запись")
        self.add_button = QPushButton("Добавить", self)
        self.save_button = QPushButton("Сохранить изменения", self)
        self.archive_button = QPushButton("В архив", self)
        self.delete_button = QPushButton("Удалить", self)
        self.delete_button.setToolTip(
            "Запись, на которую ничто не ссылается, удаляется; используемая — уходит в архив"
        )
        self.new_button.clicked.connect(self.start_new)
        self.add_button.clicked.connect(self.add)
        self.save_button.clicked.connect(self.save)
        self.archive_button.clicked.connect(self.toggle_archived)
        self.delete_button.clicked.connect(self.delete)
        self.archive_button.setVisible(self.archivable)
        self.delete_button.setVisible(self.archivable)
        self.buttons = QHBoxLayout()
        self.buttons.addWidget(self.show_archived)
        self.buttons.addStretch(1)
        for button in (
            self.new_button,
            self.add_button,
            self.save_button,
            self.archive_button,
            self.delete_button,
        ):
            self.buttons.addWidget(button)
        self.form_box.setEnabled(self.editable)
        self.arrange()
        self.finish_layout()
        self.fill_form(None)
        self._update_buttons()

    def arrange(self) -> None:
        """Where the table, the form and the buttons go; the staff page adds absences."""
        self.layout_.addWidget(self.table, 1)
        self.layout_.addWidget(self.form_box)
        self.layout_.addLayout(self.buttons)

    # --- hooks --------------------------------------------------------------------------
    def load(self) -> list[Any]:
        raise NotImplementedError

    def build_form(self, form: QFormLayout) -> None:
        raise NotImplementedError

    def fill_form(self, row: Any | None) -> None:
        """Show `row` in the form; None clears it for a new record."""
        raise NotImplementedError

    def reload_choices(self) -> None:
        """Read the lists the form's combo boxes offer (departments, groups)."""

    def add_record(self) -> object:
        raise NotImplementedError

    def save_record(self, row: Any) -> object:
        raise NotImplementedError

    def set_record_active(self, row: Any, active: bool) -> object:
        raise NotImplementedError

    def remove_record(self, row: Any) -> Removal:
        raise NotImplementedError

    # --- state --------------------------------------------------------------------------
    def key_of(self, row: Any) -> int:
        return int(row.id)

    def current_row(self) -> Any | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def select_id(self, row_id: int | None) -> None:
        position = (
            None
            if row_id is None
            else self.model.position_of(lambda row: self.key_of(row) == row_id)
        )
        if position is None:
            self.table.clearSelection()
            return
        self.table.selectRow(position)
        self.table.scrollTo(self.model.index(position, 0))

    def refresh(self, *, reload_form: bool = False) -> None:
        current = self.current_row()
        loaded = self.attempt(self.load)
        if not loaded.ok:
            return
        self._all_rows = list(loaded.value or [])
        self.attempt(self.reload_choices)
        shown = [row for row in self._all_rows if self.show_archived.isChecked() or active_of(row)]
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        self.model.set_rows(shown)
        self.select_id(None if current is None else self.key_of(current))
        selection.blockSignals(False)
        now = self.current_row()
        # A half-typed new record survives a refresh; a row someone changed is shown anew.
        moved_on = current is not None and now is not None and now.version != current.version
        if reload_form or (current is None) != (now is None) or moved_on:
            self.fill_form(now)
        self._update_buttons()

    def _selection_changed(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        self.clear_message()
        self.fill_form(self.current_row())
        self._update_buttons()

    def _update_buttons(self) -> None:
        row = self.current_row()
        self.new_button.setEnabled(self.editable)
        self.add_button.setEnabled(self.editable)
        self.save_button.setEnabled(self.editable and row is not None)
        self.delete_button.setEnabled(self.editable and row is not None)
        self.archive_button.setEnabled(self.editable and row is not None)
        archived = row is not None and not active_of(row)
        self.archive_button.setText("Вернуть из архива" if archived else "В архив")

    # --- actions ------------------------------------------------------------------------
    def start_new(self) -> None:
        self.table.clearSelection()
        self.fill_form(None)
        self.clear_message()
        self._update_buttons()

    def add(self) -> None:
        if self.attempt(self.add_record).ok:
            self.table.clearSelection()
            self.refresh()
            self.fill_form(None)
            self.show_done(self.added_text)

    def save(self) -> None:
        row = self.current_row()
        if row is not None and self.attempt(lambda: self.save_record(row)).ok:
            self.refresh(reload_form=True)
            self.show_done(self.saved_text)

    def toggle_archived(self) -> None:
        row = self.current_row()
        if row is None:
            return
        active = not active_of(row)
        if self.attempt(lambda: self.set_record_active(row, active)).ok:
            self.refresh(reload_form=True)
            self.show_done("Запись возвращена из архива." if active else "Запись в архиве.")

    def delete(self) -> None:
        row = self.current_row()
        if row is None or not self.confirm(
            f"Удалить «{self.columns[0].text(row)}»? Если на запись ссылаются сообщения "
            "или другие записи, она не удалится, а уйдёт в архив."
        ):
            return
        outcome = self.attempt(lambda: self.remove_record(row))
        if outcome.ok and outcome.value is not None:
            self.refresh(reload_form=True)
            self.show_done(outcome.value.describe())
