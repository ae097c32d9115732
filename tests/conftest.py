"""Every test runs against its own temporary database and user folders; nothing touches $HOME."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis.configuration import set_hypothesis_home_dir
from pytestqt.qtbot import QtBot

from desktop.models import database
from desktop.models.entities import Employee, EmployeeRole
from desktop.models.enums import Role
from desktop.services.config import DatabaseTarget, TargetOrigin
from desktop.services.office import Office, open_office
from desktop.services.session import CurrentUser, identify
from desktop.services.workspace import Workspace, refreshed
from desktop.views import database_worker
from desktop.views.main_window import ConnectionState, MainWindow
from desktop.views.window_state import configure_settings_storage

_HYPOTHESIS_HOME = Path(tempfile.mkdtemp(prefix="otklik-hypothesis-"))


def pytest_configure(config: pytest.Config) -> None:
    # Hypothesis keeps its storage in ./.hypothesis by default: tests write nothing into the
    # repository tree, so it goes to a temporary folder removed at the end of the run.
    set_hypothesis_home_dir(_HYPOTHESIS_HOME)


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_HYPOTHESIS_HOME, ignore_errors=True)


@pytest.fixture(autouse=True)
def isolated_environment(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("OTKLIK_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("OTKLIK_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("OTKLIK_USER", "tester")
    monkeypatch.delenv("OTKLIK_DB", raising=False)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "share" / "otklik.db"


@pytest.fixture
def office(db_path: Path) -> Iterator[Office]:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    opened = open_office(DatabaseTarget(str(db_path), TargetOrigin.COMMAND_LINE), create=True)
    yield opened
    database.bind(None)


@pytest.fixture
def open_window(qtbot: QtBot) -> Iterator[Callable[[Path], MainWindow]]:
    configure_settings_storage()
    windows: list[MainWindow] = []

    def open_(path: Path) -> MainWindow:
        window = MainWindow(
            DatabaseTarget(str(path), TargetOrigin.COMMAND_LINE), retry_interval_s=0.2
        )
        qtbot.addWidget(window)
        window.show()
        windows.append(window)
        return window

    yield open_
    for window in windows:
        window.close()


WindowAs = Callable[[str], MainWindow]


@pytest.fixture
def window_as(
    qtbot: QtBot,
    office: Office,
    open_window: Callable[[Path], MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> WindowAs:
    """`window_as("curator")`: the main window on the test office, signed in as that login,
    online."""

    def open_as(login: str) -> MainWindow:
        monkeypatch.setenv("OTKLIK_USER", login)
        window = open_window(office.path)
        qtbot.waitUntil(lambda: window.state == ConnectionState.ONLINE, timeout=10_000)
        return window

    return open_as


@pytest.fixture
def one_login_per_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two windows in one test share the process's OTKLIK_USER; a workspace read again (after
    a backup wrote its setting, say) keeps the login its window signed in with, as on a
    workstation."""

    def again(workspace: Workspace) -> Workspace:
        return replace(refreshed(workspace), user=identify(workspace.user.login))

    monkeypatch.setattr(database_worker, "refreshed", again)


@pytest.fixture
def make_user(office: Office) -> Callable[..., CurrentUser]:
    """`make_user("petrov", Role.CURATOR, ...)` registers an employee and returns the session."""

    def make(login: str, *roles: Role, full_name: str | None = None) -> CurrentUser:
        employee = Employee.create(full_name=full_name or login.title(), os_login=login)
        for role in roles:
            EmployeeRole.create(employee=employee, role=role)
        return identify(login)

    return make
