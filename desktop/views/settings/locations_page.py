"""«Территории»: the district, its settlements and the city, where the problem is."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit

from desktop.services.catalog import Removal
from desktop.services.locations import (
    LOCATION_KIND_TITLES,
    LocationInput,
    LocationRow,
    add_location,
    list_locations,
    remove_location,
    set_location_active,
    update_location,
)
from desktop.services.vocabulary import LocationKind
from desktop.views.settings.record_page import RecordPage
from desktop.views.settings.table_model import Column, state_text
from desktop.views.settings.widgets import fill_combo, select_data

TOP_LEVEL = "— никуда не входит —"


class LocationsPage(RecordPage):
    title = "Территории"
    form_title = "Территория"
    added_text = "Территория добавлена."
    widths = (420, 190, 110)
    columns = (
        Column("Территория", lambda p: p.path),
        Column("Вид", lambda p: LOCATION_KIND_TITLES[p.kind]),
        Column("Сообщений", lambda p: str(p.incidents), numeric=True),
        Column("Состояние", state_text),
    )

    def build_form(self, form: QFormLayout) -> None:
        self.name = QLineEdit(self.form_box)
        self.name.setPlaceholderText("ст. Спокойная")
        self.kind = QComboBox(self.form_box)
        for kind, title in LOCATION_KIND_TITLES.items():
            self.kind.addItem(title, kind)
        self.parent_box = QComboBox(self.form_box)
        form.addRow("Название:", self.name)
        form.addRow("Вид:", self.kind)
        form.addRow("Входит в:", self.parent_box)

    def load(self) -> list[Any]:
        return list_locations()

    def reload_choices(self) -> None:
        places = [(row.path, row.id) for row in self._all_rows if row.active]
        fill_combo(self.parent_box, [(TOP_LEVEL, None), *places])

    def fill_form(self, row: LocationRow | None) -> None:
        self.name.setText("" if row is None else row.name)
        select_data(self.kind, LocationKind.SETTLEMENT if row is None else row.kind)
        select_data(self.parent_box, None if row is None else row.parent_id)

    def _input(self) -> LocationInput:
        return LocationInput(
            self.name.text(), LocationKind(self.kind.currentData()), self.parent_box.currentData()
        )

    def add_record(self) -> object:
        return add_location(self.user, self._input())

    def save_record(self, row: LocationRow) -> object:
        return update_location(self.user, row.id, row.version, self._input())

    def set_record_active(self, row: LocationRow, active: bool) -> object:
        return set_location_active(self.user, row.id, row.version, active)

    def remove_record(self, row: LocationRow) -> Removal:
        return remove_location(self.user, row.id, row.version)
