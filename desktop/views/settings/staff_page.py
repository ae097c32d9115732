"""«Сотрудники»: cards, roles and departments; absences and substitutes of the one selected."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.services.absences import (
    ABSENCE_KIND_TITLES,
    AbsenceInput,
    AbsenceRow,
    add_absence,
    list_absences,
    remove_absence,
)
from desktop.services.departments import list_departments
from desktop.services.permissions import ROLE_TITLES, Action
from desktop.services.staff import (
    EmployeeInput,
    StaffMember,
    add_staff_member,
    list_staff,
    update_staff_member,
)
from desktop.services.vocabulary import AbsenceKind
from desktop.views.settings.page import PageContext, make_table, set_widths
from desktop.views.settings.record_page import RecordPage
from desktop.views.settings.table_model import Column, RecordTableModel
from desktop.views.settings.widgets import date_edit, fill_combo, select_data, to_date

NO_DEPARTMENT = "— без отдела —"
NOBODY = "— никто —"


def roles_text(member: StaffMember) -> str:
    return ", ".join(title for role, title in ROLE_TITLES.items() if role in member.roles)


ABSENCE_COLUMNS = (
    Column("С", lambda a: f"{a.starts_on:%d.%m.%Y}"),
    Column("По", lambda a: f"{a.ends_on:%d.%m.%Y}"),
    Column("Причина", lambda a: ABSENCE_KIND_TITLES[a.kind]),
    Column("Замещает", lambda a: a.substitute),
    Column("Примечание", lambda a: a.note),
)


class StaffPage(RecordPage):
    title = "Сотрудники"
    form_title = "Сотрудник"
    action = Action.MANAGE_STAFF
    archivable = False
    added_text = "Сотрудник добавлен. Отсутствия — справа, после выбора сотрудника в списке."
    widths = (240, 110, 200, 200, 200)
    stretch = 2
    columns = (
        Column("ФИО", lambda m: m.full_name),
        Column("Логин", lambda m: m.os_login),
        Column("Должность", lambda m: m.position),
        Column("Отдел", lambda m: m.department),
        Column("Роли", roles_text),
        Column("Состояние", lambda m: "действует" if m.active else "отключён"),
    )

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)

    # --- layout -------------------------------------------------------------------------
    def arrange(self) -> None:
        self.absences_box = self._build_absences()
        lower = QHBoxLayout()
        lower.addWidget(self.form_box, 1)
        lower.addWidget(self.absences_box, 1)
        self.layout_.addWidget(self.table, 1)
        self.layout_.addLayout(lower)
        self.layout_.addLayout(self.buttons)

    def build_form(self, form: QFormLayout) -> None:
        box = self.form_box
        self.full_name = QLineEdit(box)
        self.full_name.setPlaceholderText("Иванова Анна Петровна")
        self.login = QLineEdit(box)
        self.login.setPlaceholderText("имя входа в Windows, например ivanova")
        self.position = QLineEdit(box)
        self.department = QComboBox(box)
        self.email = QLineEdit(box)
        self.phones = QLineEdit(box)
        roles = QWidget(box)
        grid = QGridLayout(roles)
        grid.setContentsMargins(0, 0, 0, 0)
        self.role_boxes: dict[Any, QCheckBox] = {}
        for i, (role, title) in enumerate(ROLE_TITLES.items()):
            check = QCheckBox(title, roles)
            self.role_boxes[role] = check
            grid.addWidget(check, i // 3, i % 3)
        self.active = QCheckBox("действует (снимите, если сотрудник уволился)", box)
        self.active.setChecked(True)
        form.addRow("ФИО:", self.full_name)
        form.addRow("Логин Windows:", self.login)
        form.addRow("Должность:", self.position)
        form.addRow("Отдел:", self.department)
        form.addRow("Эл. почта:", self.email)
        form.addRow("Телефоны:", self.phones)
        form.addRow("Роли:", roles)
        form.addRow("", self.active)

    def _build_absences(self) -> QGroupBox:
        box = QGroupBox("Отсутствия сотрудника", self)
        self.absence_model = RecordTableModel(ABSENCE_COLUMNS, self)
        self.absence_table = make_table(box)
        self.absence_table.setModel(self.absence_model)
        self.absence_table.setMaximumHeight(150)
        set_widths(self.absence_table, (80, 80, 90, 0, 90), stretch=3)
        self.absence_table.selectionModel().selectionChanged.connect(
            lambda *_: self._update_absence_buttons()
        )
        self.absence_from = date_edit(box)
        self.absence_to = date_edit(box)
        self.absence_kind = QComboBox(box)
        for kind, title in ABSENCE_KIND_TITLES.items():
            self.absence_kind.addItem(title, kind)
        self.substitute = QComboBox(box)
        self.absence_note = QLineEdit(box)
        self.add_absence_button = QPushButton("Добавить отсутствие", box)
        self.remove_absence_button = QPushButton("Удалить отсутствие", box)
        self.add_absence_button.clicked.connect(self.add_absence)
        self.remove_absence_button.clicked.connect(self.remove_absence)
        dates = QHBoxLayout()
        dates.addWidget(self.absence_from)
        dates.addWidget(self.absence_to)
        form = QFormLayout()
        form.addRow("С … по:", dates)
        form.addRow("Причина:", self.absence_kind)
        form.addRow("Замещает:", self.substitute)
        form.addRow("Примечание:", self.absence_note)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.remove_absence_button)
        buttons.addWidget(self.add_absence_button)
        layout = QVBoxLayout(box)
        layout.addWidget(self.absence_table, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        return box

    # --- the staff list -----------------------------------------------------------------
    def load(self) -> list[Any]:
        return list_staff()

    def reload_choices(self) -> None:
        departments = [(NO_DEPARTMENT, None)]
        departments += [(d.name, d.id) for d in list_departments() if d.active]
        fill_combo(self.department, departments)

    def key_of(self, row: StaffMember) -> int:
        return row.employee_id

    def current_row(self) -> StaffMember | None:
        row = super().current_row()
        return row if isinstance(row, StaffMember) else None

    def refresh(self, *, reload_form: bool = False) -> None:
        super().refresh(reload_form=reload_form)
        self._load_absences()

    def fill_form(self, row: StaffMember | None) -> None:
        self.full_name.setText("" if row is None else row.full_name)
        self.login.setText("" if row is None else row.os_login)
        self.position.setText("" if row is None else row.position)
        if row is not None and row.department_id is not None:
            if self.department.findData(row.department_id) < 0:  # an archived department
                self.department.addItem(f"{row.department} (в архиве)", row.department_id)
            select_data(self.department, row.department_id)
        else:
            select_data(self.department, None)
        self.email.setText("" if row is None else row.email)
        self.phones.setText("" if row is None else row.phones)
        for role, check in self.role_boxes.items():
            check.setChecked(row is not None and role in row.roles)
        self.active.setChecked(row is None or row.active)
        self._load_absences()

    def _input(self) -> EmployeeInput:
        return EmployeeInput(
            full_name=self.full_name.text(),
            os_login=self.login.text(),
            roles=frozenset(role for role, check in self.role_boxes.items() if check.isChecked()),
            position=self.position.text(),
            department_id=self.department.currentData(),
            email=self.email.text(),
            phones=self.phones.text(),
            active=self.active.isChecked(),
        )

    def add_record(self) -> object:
        return add_staff_member(self.user, self._input())

    def save_record(self, row: StaffMember) -> object:
        return update_staff_member(self.user, row.employee_id, row.version, self._input())

    def start_new(self) -> None:
        super().start_new()
        self.full_name.setFocus()

    def add(self) -> None:
        super().add()
        self.full_name.setFocus()

    # --- absences -----------------------------------------------------------------------
    def _load_absences(self) -> None:
        row = self.current_row()
        if row is None:
            self.absence_model.set_rows([])
        else:
            loaded = self.attempt(lambda: list_absences(row.employee_id))
            self.absence_model.set_rows(loaded.value or [])
        others = [m for m in self._all_rows if m.active and m is not row]
        fill_combo(
            self.substitute, [(NOBODY, None)] + [(m.full_name, m.employee_id) for m in others]
        )
        self.absences_box.setTitle(
            "Отсутствия сотрудника" if row is None else f"Отсутствия: {row.full_name}"
        )
        self._update_absence_buttons()

    def current_absence(self) -> AbsenceRow | None:
        rows = self.absence_table.selectionModel().selectedRows()
        row = self.absence_model.row_at(rows[0].row()) if rows else None
        return row if isinstance(row, AbsenceRow) else None

    def _update_absence_buttons(self) -> None:
        chosen = self.editable and self.current_row() is not None
        for widget in (
            self.absence_from,
            self.absence_to,
            self.absence_kind,
            self.substitute,
            self.absence_note,
            self.add_absence_button,
        ):
            widget.setEnabled(chosen)
        self.remove_absence_button.setEnabled(chosen and self.current_absence() is not None)

    def add_absence(self) -> None:
        row = self.current_row()
        if row is None:
            return
        data = AbsenceInput(
            employee_id=row.employee_id,
            starts_on=to_date(self.absence_from.date()),
            ends_on=to_date(self.absence_to.date()),
            kind=AbsenceKind(self.absence_kind.currentData()),
            substitute_id=self.substitute.currentData(),
            note=self.absence_note.text(),
        )
        if self.attempt(lambda: add_absence(self.user, data)).ok:
            self.absence_note.clear()
            self._load_absences()
            self.show_done("Отсутствие добавлено.")

    def remove_absence(self) -> None:
        absence = self.current_absence()
        if absence is None or not self.confirm(
            f"Удалить отсутствие {absence.starts_on:%d.%m.%Y}–{absence.ends_on:%d.%m.%Y}?"
        ):
            return
        if self.attempt(lambda: remove_absence(self.user, absence.id, absence.version)).ok:
            self._load_absences()
            self.show_done("Отсутствие удалено.")

    def select_employee(self, employee_id: int) -> None:
        self.select_id(employee_id)
