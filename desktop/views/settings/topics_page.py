"""«Темы»: what messages are about, in groups («Дороги / Ямочный ремонт»)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit

from desktop.services.catalog import Removal
from desktop.services.topics import (
    TopicInput,
    TopicRow,
    add_topic,
    list_topics,
    remove_topic,
    set_topic_active,
    update_topic,
)
from desktop.views.settings.record_page import RecordPage
from desktop.views.settings.table_model import Column, state_text
from desktop.views.settings.widgets import fill_combo, select_data

TOP_LEVEL = "— верхний уровень (группа тем) —"


class TopicsPage(RecordPage):
    title = "Темы"
    form_title = "Тема"
    added_text = "Тема добавлена."
    widths = (520, 110)
    columns = (
        Column("Тема", lambda t: t.path),
        Column("Сообщений", lambda t: str(t.incidents), numeric=True),
        Column("Состояние", state_text),
    )

    def build_form(self, form: QFormLayout) -> None:
        self.name = QLineEdit(self.form_box)
        self.name.setPlaceholderText("Ямочный ремонт")
        self.parent_box = QComboBox(self.form_box)
        form.addRow("Название:", self.name)
        form.addRow("Входит в группу:", self.parent_box)

    def load(self) -> list[Any]:
        return list_topics()

    def reload_choices(self) -> None:
        groups = [(row.path, row.id) for row in self._all_rows if row.active]
        fill_combo(self.parent_box, [(TOP_LEVEL, None), *groups])

    def fill_form(self, row: TopicRow | None) -> None:
        self.name.setText("" if row is None else row.name)
        select_data(self.parent_box, None if row is None else row.parent_id)

    def _input(self) -> TopicInput:
        return TopicInput(self.name.text(), self.parent_box.currentData())

    def add_record(self) -> object:
        return add_topic(self.user, self._input())

    def save_record(self, row: TopicRow) -> object:
        return update_topic(self.user, row.id, row.version, self._input())

    def set_record_active(self, row: TopicRow, active: bool) -> object:
        return set_topic_active(self.user, row.id, row.version, active)

    def remove_record(self, row: TopicRow) -> Removal:
        return remove_topic(self.user, row.id, row.version)
