"""«Настройки»: the office's departments, staff, topics, places, accounts, working time,
regulation and answer templates, one page each (`desktop/views/settings/`).

`SettingsDialog(user, parent).open_page("staff")` opens it at a page. Pages are built when
first shown and read their data again each time they are shown, so a department added on
one page is offered on the next. A user without the right to change a page sees it with the
editing controls disabled; the services check the right again.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListWidget,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.services.errors import KnownDatabaseError
from desktop.services.session import CurrentUser
from desktop.services.settings import office_settings
from desktop.views.settings.accounts_page import AccountsPage
from desktop.views.settings.departments_page import DepartmentsPage
from desktop.views.settings.hours_page import HoursPage
from desktop.views.settings.locations_page import LocationsPage
from desktop.views.settings.page import PageContext, SettingsPage
from desktop.views.settings.regulation_page import RegulationPage
from desktop.views.settings.staff_page import StaffPage
from desktop.views.settings.templates_page import TemplatesPage
from desktop.views.settings.topics_page import TopicsPage

PAGES: dict[str, type[SettingsPage]] = {
    "departments": DepartmentsPage,
    "staff": StaffPage,
    "topics": TopicsPage,
    "locations": LocationsPage,
    "accounts": AccountsPage,
    "hours": HoursPage,
    "regulation": RegulationPage,
    "templates": TemplatesPage,
}
FALLBACK_ZONE = "Europe/Moscow"


def office_zone() -> ZoneInfo:
    try:
        return office_settings().zone
    except KnownDatabaseError:  # the pages say what is wrong when they read
        return ZoneInfo(FALLBACK_ZONE)


class SettingsDialog(QDialog):
    def __init__(
        self, user: CurrentUser, parent: QWidget | None = None, *, start: str = "departments"
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Настройки")
        self.context = PageContext(user, office_zone())
        self._pages: dict[str, SettingsPage] = {}
        self._names = list(PAGES)
        self.nav = QListWidget(self)
        self.nav.setObjectName("settingsNav")
        for name in self._names:
            self.nav.addItem(PAGES[name].title)
        self.nav.setFixedWidth(170)
        self.stack = QStackedWidget(self)
        for _ in self._names:  # placeholders until a page is first shown
            self.stack.addWidget(QWidget(self.stack))
        self.nav.currentRowChanged.connect(self._show_row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Закрыть")
        body = QHBoxLayout()
        body.addWidget(self.nav)
        body.addWidget(self.stack, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(buttons)
        self.resize(1240, 700)
        self.open_page(start)

    @property
    def user(self) -> CurrentUser:
        return self.context.user

    def page(self, name: str) -> SettingsPage:
        """The page called `name` ("departments", "staff", "topics", "locations", "accounts",
        "hours", "regulation", "templates"), built on first use."""
        if name not in PAGES:
            raise KeyError(f"no settings page {name!r}; pages: {', '.join(PAGES)}")
        page = self._pages.get(name)
        if page is None:
            position = self._names.index(name)
            page = PAGES[name](self.context, self.stack)
            placeholder = self.stack.widget(position)
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
            self.stack.insertWidget(position, page)
            self._pages[name] = page
            page.refresh()
        return page

    def open_page(self, name: str) -> SettingsPage:
        """Show the page called `name` (see `page`) with its data read afresh."""
        page = self.page(name)
        position = self._names.index(name)
        if self.nav.currentRow() != position:
            self.nav.setCurrentRow(position)  # shows and refreshes it
        else:
            self._show_row(position)
        return page

    def current_page_name(self) -> str:
        return self._names[self.stack.currentIndex()]

    def _show_row(self, row: int) -> None:
        if not 0 <= row < len(self._names):
            return
        name = self._names[row]
        fresh = name not in self._pages
        page = self.page(name)
        self.stack.setCurrentWidget(page)
        if not fresh:
            page.refresh()
        self.setWindowTitle(f"Настройки — {page.title}")
