"""The main window shell driven as a user would, on real temporary databases."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.models import database
from desktop.models.enums import Importance, Role
from desktop.services.incidents import IncidentService, NewIncident
from desktop.services.office import Office
from desktop.services.session import CurrentUser
from desktop.views.main_window import ConnectionState, MainWindow
from desktop.views.queue_model import INCIDENT_ID_ROLE, Column, QueueModel

MakeUser = Callable[..., CurrentUser]
OpenWindow = Callable[[Path], MainWindow]


@pytest.fixture
def curator(office: Office, make_user: MakeUser) -> IncidentService:
    return IncidentService(
        make_user("tester", Role.CURATOR, Role.OPERATOR, full_name="Тестова Т. Т.")
    )


def register(service: IncidentService, n: int, importance: Importance = Importance.NORMAL) -> int:
    return service.register(
        NewIncident(
            text=f"Не вывозят мусор, двор {n}\nвторая строка",
            link=f"https://vk.com/wall-100_{n}",
            author_name=f"Житель {n}",
            detected_at=dt.datetime(2026, 11, 2, 9, n, tzinfo=dt.UTC),
            importance=importance,
        )
    )


def wait_state(qtbot: QtBot, window: MainWindow, state: str, timeout: int = 10_000) -> None:
    qtbot.waitUntil(lambda: window.state == state, timeout=timeout)


def test_opens_on_a_database_and_shows_the_queue(
    qtbot: QtBot, office: Office, curator: IncidentService, open_window: OpenWindow
) -> None:
    for n in range(3):
        register(curator, n, Importance.HIGH if n == 1 else Importance.NORMAL)
    window = open_window(office.path)
    wait_state(qtbot, window, ConnectionState.ONLINE)
    assert window.model.rowCount() == 3
    assert str(office.path) in window.location_label.text()
    assert "Тестова Т. Т." in window.user_label.text()
    assert "куратор" in window.user_label.text()
    assert "в сети" in window.state_label.text()
    assert not window.connection_banner.isVisible()
    texts = {window.proxy.index(r, Column.TEXT).data() for r in range(3)}
    assert "Не вывозят мусор, двор 0" in texts
    marked = {
        window.proxy.index(r, Column.NUMBER).data()
        for r in range(3)
        if window.proxy.index(r, Column.NUMBER).data(Qt.ItemDataRole.DecorationRole) is not None
    }
    assert marked == {"2"}


def test_an_unreachable_share_leaves_the_window_up_offline(
    qtbot: QtBot, tmp_path: Path, open_window: OpenWindow
) -> None:
    window = open_window(tmp_path / "gone" / "otklik.db")
    wait_state(qtbot, window, ConnectionState.OFFLINE)
    assert window.connection_banner.isVisible()
    assert "недоступна" in window.connection_banner.label.text()
    assert "нет связи" in window.state_label.text()
    assert window.isVisible()


def test_a_foreign_file_is_shown_as_a_problem_with_a_way_out(
    qtbot: QtBot, tmp_path: Path, open_window: OpenWindow
) -> None:
    path = tmp_path / "report.db"
    path.write_bytes(b"PK\x03\x04 an Excel file renamed")
    window = open_window(path)
    wait_state(qtbot, window, ConnectionState.FAILED)
    assert "не является базой данных Отклика" in window.connection_banner.label.text()
    assert window.connection_banner.button.isVisible()
    assert path.read_bytes() == b"PK\x03\x04 an Excel file renamed"


def test_a_change_on_another_workstation_arrives_within_two_seconds(
    qtbot: QtBot, office: Office, curator: IncidentService, open_window: OpenWindow
) -> None:
    first, second = register(curator, 1), register(curator, 2)
    window = open_window(office.path)
    wait_state(qtbot, window, ConnectionState.ONLINE)
    window.table.selectRow(0)
    selected = window.table.currentIndex().data(INCIDENT_ID_ROLE)

    other = sqlite3.connect(office.path)  # another PC: its own connection, no Otklik code
    other.execute(
        "UPDATE incident SET author_name = 'Изменено', version = version + 1 WHERE id = ?",
        (second,),
    )
    other.commit()
    other.close()

    def updated() -> bool:
        row = window.model.row_for(second)
        return row is not None and row.author == "Изменено"

    qtbot.waitUntil(updated, timeout=2000)
    assert window.table.currentIndex().data(INCIDENT_ID_ROLE) == selected
    assert window.model.rowCount() == 2
    assert {first, second} == set(window.model.incident_ids())


def test_a_new_incident_elsewhere_appears_and_a_closed_one_leaves(
    qtbot: QtBot, office: Office, curator: IncidentService, open_window: OpenWindow
) -> None:
    first = register(curator, 1)
    window = open_window(office.path)
    wait_state(qtbot, window, ConnectionState.ONLINE)
    third = register(curator, 3)
    qtbot.waitUntil(lambda: window.model.row_for(third) is not None, timeout=2000)
    database.run_write(
        lambda: database.bound_database().execute_sql(
            "UPDATE incident SET status = 'answered' WHERE id = ?", (first,)
        )
    )
    qtbot.waitUntil(lambda: window.model.row_for(first) is None, timeout=2000)
    assert window.model.rowCount() == 1


def test_the_share_disappears_and_comes_back(
    qtbot: QtBot, office: Office, curator: IncidentService, open_window: OpenWindow
) -> None:
    register(curator, 1)
    window = open_window(office.path)
    wait_state(qtbot, window, ConnectionState.ONLINE)
    share = office.path.parent
    hidden = share.with_name("share-unplugged")
    share.rename(hidden)
    try:
        wait_state(qtbot, window, ConnectionState.OFFLINE, timeout=5000)
        assert window.model.rowCount() == 1, "the stale queue stays visible"
        assert "устаревшей" in window.connection_banner.label.text()
    finally:
        hidden.rename(share)
    wait_state(qtbot, window, ConnectionState.ONLINE, timeout=5000)
    assert not window.connection_banner.isVisible()


def test_queue_model_passes_qt_model_tester(
    qtmodeltester: object, office: Office, curator: IncidentService
) -> None:
    from zoneinfo import ZoneInfo

    from desktop.services.queue import open_queue, queue_rows

    ids = [register(curator, n) for n in range(5)]
    model = QueueModel(ZoneInfo("Europe/Moscow"))
    model.set_rows(open_queue())
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    model.apply({ids[0]: None, ids[1]: queue_rows([ids[1]])[ids[1]]})
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.rowCount() == 4


def test_the_first_administrator_registers_staff_in_the_dialog(
    qtbot: QtBot, office: Office, open_window: OpenWindow, qtmodeltester: object
) -> None:
    from desktop.services.session import identify
    from desktop.views.staff_dialog import StaffDialog

    window = open_window(office.path)
    wait_state(qtbot, window, ConnectionState.ONLINE)
    assert window.workspace is not None
    assert window.workspace.user.must_register_staff
    assert "Сотрудники" in window.notice_banner.label.text()
    assert window.staff_action.isEnabled() and window.settings_action.isEnabled()

    window.staff_action.trigger()
    opened = window.settings_dialog
    assert opened is not None and opened.isVisible()
    assert opened.current_page_name() == "staff"
    opened.close()
    dialog = StaffDialog(window.workspace.user, window)
    qtbot.addWidget(dialog)
    # QTest can only type ASCII; Cyrillic goes in the way an input method would deliver it.
    dialog.full_name.insert("Кузьмина Елена Викторовна")
    qtbot.keyClicks(dialog.login, "kuzmina")
    dialog.role_boxes[Role.CURATOR].setChecked(True)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.error.text() == ""
    assert dialog.model.rowCount() == 2
    qtmodeltester.check(dialog.model)  # type: ignore[attr-defined]
    assert identify("kuzmina").roles == frozenset({Role.CURATOR})

    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert "ФИО" in dialog.error.text()


def test_qt_dialogs_speak_russian(qapp: object) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    from desktop.app import _qt_application

    _qt_application()
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert buttons.buttons()[0].text() == "Отмена"
