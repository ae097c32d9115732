"""«Сотрудники»: the settings dialog opened at its staff page.

Kept for callers of the former stand-alone dialog; its fields are the page's
(`full_name`, `login`, `role_boxes`, `add_button`, `error`, `model`).
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from desktop.services.session import CurrentUser
from desktop.views.settings.staff_page import StaffPage
from desktop.views.settings_dialog import SettingsDialog


class StaffDialog(SettingsDialog):
    def __init__(self, user: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(user, parent, start="staff")
        page = self.page("staff")
        assert isinstance(page, StaffPage)
        self.staff = page
        self.full_name = page.full_name
        self.login = page.login
        self.role_boxes = page.role_boxes
        self.add_button = page.add_button
        self.error = page.error
        self.model = page.model
