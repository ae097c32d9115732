"""«Аккаунты»: the office's official pages in the networks, and whose they are."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit

from desktop.services.accounts import (
    ACCOUNT_OWNER_TITLES,
    AccountInput,
    AccountRow,
    add_account,
    list_accounts,
    remove_account,
    set_account_active,
    update_account,
)
from desktop.services.catalog import Removal
from desktop.services.departments import list_departments
from desktop.services.links import network_of
from desktop.services.titles import NETWORK_TITLES
from desktop.services.vocabulary import AccountOwner, Network
from desktop.views.settings.record_page import RecordPage
from desktop.views.settings.table_model import Column, state_text
from desktop.views.settings.widgets import fill_combo, select_data

NO_DEPARTMENT = "— нет —"


class AccountsPage(RecordPage):
    title = "Аккаунты"
    form_title = "Аккаунт"
    added_text = "Аккаунт добавлен."
    widths = (110, 0, 220, 100, 170, 90)
    stretch = 1
    columns = (
        Column("Соцсеть", lambda a: NETWORK_TITLES[a.network]),
        Column("Название", lambda a: a.name),
        Column("Ссылка", lambda a: a.url, tooltip=lambda a: a.url),
        Column("Чья страница", lambda a: ACCOUNT_OWNER_TITLES[a.owner]),
        Column("Отдел", lambda a: a.department),
        Column("Сообщений", lambda a: str(a.incidents), numeric=True),
        Column("Состояние", state_text),
    )

    def build_form(self, form: QFormLayout) -> None:
        box = self.form_box
        self.url = QLineEdit(box)
        self.url.setPlaceholderText("https://vk.com/… — соцсеть определится по ссылке")
        self.url.textEdited.connect(self._network_from_link)
        self.network = QComboBox(box)
        for network, title in NETWORK_TITLES.items():
            self.network.addItem(title, network)
        self.name = QLineEdit(box)
        self.name.setPlaceholderText("Администрация Отрадненского района")
        self.owner = QComboBox(box)
        for owner, title in ACCOUNT_OWNER_TITLES.items():
            self.owner.addItem(title, owner)
        self.department = QComboBox(box)
        form.addRow("Ссылка:", self.url)
        form.addRow("Соцсеть:", self.network)
        form.addRow("Название:", self.name)
        form.addRow("Чья страница:", self.owner)
        form.addRow("Отдел:", self.department)

    def _network_from_link(self, text: str) -> None:
        found = network_of(text)
        if found is not None:
            select_data(self.network, found)

    def load(self) -> list[Any]:
        return list_accounts()

    def reload_choices(self) -> None:
        departments = [(d.name, d.id) for d in list_departments() if d.active]
        fill_combo(self.department, [(NO_DEPARTMENT, None), *departments])

    def fill_form(self, row: AccountRow | None) -> None:
        self.url.setText("" if row is None else row.url)
        select_data(self.network, Network.VK if row is None else row.network)
        self.name.setText("" if row is None else row.name)
        select_data(self.owner, AccountOwner.ADMINISTRATION if row is None else row.owner)
        if row is not None and row.department_id is not None:
            if self.department.findData(row.department_id) < 0:  # an archived department
                self.department.addItem(f"{row.department} (в архиве)", row.department_id)
            select_data(self.department, row.department_id)
        else:
            select_data(self.department, None)

    def _input(self) -> AccountInput:
        return AccountInput(
            network=Network(self.network.currentData()),
            name=self.name.text(),
            url=self.url.text(),
            owner=AccountOwner(self.owner.currentData()),
            department_id=self.department.currentData(),
        )

    def add_record(self) -> object:
        return add_account(self.user, self._input())

    def save_record(self, row: AccountRow) -> object:
        return update_account(self.user, row.id, row.version, self._input())

    def set_record_active(self, row: AccountRow, active: bool) -> object:
        return set_account_active(self.user, row.id, row.version, active)

    def remove_record(self, row: AccountRow) -> Removal:
        return remove_account(self.user, row.id, row.version)
