"""Small widget helpers the settings pages share: combo boxes by value, dates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QDateEdit, QWidget


def fill_combo(box: QComboBox, items: list[tuple[str, Any]], keep: Any = None) -> None:
    """Replace a combo box's items, keeping the chosen value if it is still there."""
    current = box.currentData() if keep is None else keep
    box.blockSignals(True)
    box.clear()
    for text, value in items:
        box.addItem(text, value)
    found = box.findData(current)
    box.setCurrentIndex(found if found >= 0 else 0)
    box.blockSignals(False)


def select_data(box: QComboBox, value: Any) -> None:
    found = box.findData(value)
    box.setCurrentIndex(found if found >= 0 else 0)


def to_date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def to_qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


def date_edit(parent: QWidget) -> QDateEdit:
    edit = QDateEdit(parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd.MM.yyyy")
    edit.setDate(to_qdate(dt.date.today()))
    return edit
