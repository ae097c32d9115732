"""«Сотрудники»: the administrator registers staff and their roles."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.services.errors import KnownDatabaseError, ValidationError
from desktop.services.permissions import ROLE_TITLES, Action
from desktop.services.session import CurrentUser
from desktop.services.staff import StaffMember, add_employee, list_staff

Index = QModelIndex | QPersistentModelIndex
HEADERS = ("ФИО", "Логин", "Должность", "Отдел", "Роли")


class StaffModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._members: list[StaffMember] = []

    def set_members(self, members: list[StaffMember]) -> None:
        self.beginResetModel()
        self._members = members
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._members)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section] if 0 <= section < len(HEADERS) else None
        return super().headerData(section, orientation, role)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        if not 0 <= index.row() < len(self._members):
            return None
        m = self._members[index.row()]
        roles = ", ".join(ROLE_TITLES[r] for r in ROLE_TITLES if r in m.roles)
        values = (m.full_name, m.os_login, m.position, m.department, roles)
        return values[index.column()] if 0 <= index.column() < len(values) else None


class StaffDialog(QDialog):
    def __init__(self, user: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.user = user
        self.setWindowTitle("Сотрудники")
        self.resize(900, 560)
        self.model = StaffModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)

        form_box = QGroupBox("Новый сотрудник", self)
        form = QFormLayout(form_box)
        self.full_name = QLineEdit(form_box)
        self.full_name.setPlaceholderText("Иванова Анна Петровна")
        self.login = QLineEdit(form_box)
        self.login.setPlaceholderText("имя входа в Windows, например ivanova")
        self.position = QLineEdit(form_box)
        form.addRow("ФИО:", self.full_name)
        form.addRow("Логин Windows:", self.login)
        form.addRow("Должность:", self.position)
        roles_widget = QWidget(form_box)
        grid = QGridLayout(roles_widget)
        grid.setContentsMargins(0, 0, 0, 0)
        self.role_boxes = {}
        for i, (role, title) in enumerate(ROLE_TITLES.items()):
            box = QCheckBox(title, roles_widget)
            self.role_boxes[role] = box
            grid.addWidget(box, i // 3, i % 3)
        form.addRow("Роли:", roles_widget)
        self.error = QLabel(form_box)
        self.error.setStyleSheet("color: #b02a37")
        self.error.setWordWrap(True)
        form.addRow(self.error)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Добавить", form_box)
        self.add_button.setDefault(True)
        self.add_button.clicked.connect(self.add)
        close = QPushButton("Закрыть", self)
        close.clicked.connect(self.accept)
        buttons.addStretch(1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(form_box)
        layout.addLayout(buttons)
        form_box.setEnabled(user.may(Action.MANAGE_STAFF))
        self.refresh()

    def refresh(self) -> None:
        self.model.set_members(list_staff())

    def add(self) -> None:
        roles = [role for role, box in self.role_boxes.items() if box.isChecked()]
        try:
            add_employee(
                self.user,
                full_name=self.full_name.text(),
                os_login=self.login.text(),
                roles=roles,
                position=self.position.text(),
            )
        except (ValidationError, PermissionError) as exc:
            self.error.setText(str(exc))
            return
        except KnownDatabaseError as exc:
            self.error.setText(exc.user_message)
            return
        self.error.clear()
        for field in (self.full_name, self.login, self.position):
            field.clear()
        for box in self.role_boxes.values():
            box.setChecked(False)
        self.full_name.setFocus()
        self.refresh()
