"""«Отделы»: departments and territorial offices, in the order the forms offer them."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QPushButton, QWidget

from desktop.services.catalog import Removal
from desktop.services.departments import (
    DEPARTMENT_KIND_TITLES,
    DepartmentInput,
    DepartmentRow,
    add_department,
    list_departments,
    move_department,
    remove_department,
    set_department_active,
    update_department,
)
from desktop.services.vocabulary import DepartmentKind
from desktop.views.settings.page import PageContext
from desktop.views.settings.record_page import RecordPage
from desktop.views.settings.table_model import Column, state_text
from desktop.views.settings.widgets import select_data


class DepartmentsPage(RecordPage):
    title = "Отделы"
    form_title = "Отдел"
    added_text = "Отдел добавлен."
    widths = (300, 130, 200, 230, 95)
    columns = (
        Column("Название", lambda d: d.name, tooltip=lambda d: d.email),
        Column("Краткое", lambda d: d.short_name),
        Column("Вид", lambda d: DEPARTMENT_KIND_TITLES[d.kind]),
        Column("Руководитель органа", lambda d: d.heads),
        Column("Сотрудников", lambda d: str(d.staff_count), numeric=True),
        Column("Состояние", state_text),
    )

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.up_button = QPushButton("▲ Выше", self)
        self.down_button = QPushButton("▼ Ниже", self)
        self.up_button.setToolTip("Поднять отдел в списках выбора")
        self.down_button.setToolTip("Опустить отдел в списках выбора")
        self.up_button.clicked.connect(lambda: self.move(-1))
        self.down_button.clicked.connect(lambda: self.move(1))
        self.buttons.insertWidget(1, self.up_button)
        self.buttons.insertWidget(2, self.down_button)
        self._update_buttons()

    def build_form(self, form: QFormLayout) -> None:
        self.name = QLineEdit(self.form_box)
        self.name.setPlaceholderText("Управление ЖКХ, транспорта и связи")
        self.short_name = QLineEdit(self.form_box)
        self.short_name.setPlaceholderText("ЖКХ — для узких колонок очереди")
        self.kind = QComboBox(self.form_box)
        for kind, title in DEPARTMENT_KIND_TITLES.items():
            self.kind.addItem(title, kind)
        self.email = QLineEdit(self.form_box)
        self.phone = QLineEdit(self.form_box)
        form.addRow("Название:", self.name)
        form.addRow("Краткое название:", self.short_name)
        form.addRow("Вид:", self.kind)
        form.addRow("Эл. почта:", self.email)
        form.addRow("Телефон:", self.phone)

    def _update_buttons(self) -> None:
        super()._update_buttons()
        if hasattr(self, "up_button"):
            chosen = self.editable and self.current_row() is not None
            self.up_button.setEnabled(chosen)
            self.down_button.setEnabled(chosen)

    def load(self) -> list[Any]:
        return list_departments()

    def fill_form(self, row: DepartmentRow | None) -> None:
        self.name.setText("" if row is None else row.name)
        self.short_name.setText("" if row is None else row.short_name)
        select_data(self.kind, None if row is None else row.kind)
        self.email.setText("" if row is None else row.email)
        self.phone.setText("" if row is None else row.phone)

    def _input(self) -> DepartmentInput:
        return DepartmentInput(
            name=self.name.text(),
            short_name=self.short_name.text(),
            kind=DepartmentKind(self.kind.currentData()),
            email=self.email.text(),
            phone=self.phone.text(),
        )

    def add_record(self) -> object:
        return add_department(self.user, self._input())

    def save_record(self, row: DepartmentRow) -> object:
        return update_department(self.user, row.id, row.version, self._input())

    def set_record_active(self, row: DepartmentRow, active: bool) -> object:
        return set_department_active(self.user, row.id, row.version, active)

    def remove_record(self, row: DepartmentRow) -> Removal:
        return remove_department(self.user, row.id, row.version)

    def move(self, step: int) -> None:
        row = self.current_row()
        if (
            row is not None
            and self.attempt(lambda: move_department(self.user, row.id, row.version, step)).ok
        ):
            self.refresh()
