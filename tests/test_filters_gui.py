"""Filters and search over the queue in the real window, and a second workstation's changes
arriving while the user works."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from desk import Desk
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.models.entities import Topic
from desktop.models.enums import Importance, Network
from desktop.services.incidents import RouteTarget
from desktop.services.office import Office
from desktop.views.main_window import MainWindow
from desktop.views.queue_model import Column

WindowAs = Callable[[str], MainWindow]
WORKERS = Path(__file__).parent / "workers.py"


@pytest.fixture
def desk(office: Office) -> Desk:
    return Desk(office, "otradnensky-2021")


def shown(window: MainWindow) -> list[str]:
    proxy = window.proxy
    return sorted(proxy.index(r, Column.NUMBER).data() for r in range(proxy.rowCount()))


def test_filters_narrow_the_queue_and_reset_brings_it_back(
    qtbot: QtBot, desk: Desk, window_as: WindowAs, monkeypatch: pytest.MonkeyPatch
) -> None:
    roads = Topic.create(name="Дороги", updated_by="t")
    first = desk.register("Яма", topic_id=roads.id)
    second = desk.register("Свет", importance=Importance.HIGH, network=Network.OK)
    desk.register("Вода")
    desk.svc(desk.curator).route(first, [RouteTarget(desk.dept("ЖКХ"))])
    desk.svc(desk.curator).route(second, [RouteTarget(desk.dept("Дороги"))])
    window = window_as("curator")
    bar = window.filters
    qtbot.waitUntil(lambda: bar.department.count() == 4)
    bar.department.setCurrentIndex(bar.department.findText("ЖКХ"))
    assert shown(window) == ["1"]
    assert window.count_label.text() == "Показано: 1 из 3"
    bar.reset.click()
    assert shown(window) == ["1", "2", "3"]
    qtbot.mouseClick(bar.high, Qt.MouseButton.LeftButton)
    assert shown(window) == ["2"]
    bar.high.setChecked(False)
    bar.network.setCurrentIndex(bar.network.findData(Network.VK.value))
    assert shown(window) == ["1", "3"]
    bar.topic.setCurrentIndex(bar.topic.findText("Дороги"))
    assert shown(window) == ["1"]
    bar.clear()
    bar.status.setCurrentIndex(bar.status.findText("Новое"))
    assert shown(window) == ["3"]
    assert window.count_label.text() == "Показано: 1 из 3"


def test_mine_shows_an_executor_what_is_with_their_department(
    qtbot: QtBot, desk: Desk, window_as: WindowAs, monkeypatch: pytest.MonkeyPatch
) -> None:
    ours = desk.register("Яма")
    theirs = desk.register("Свет")
    desk.register("Вода")
    desk.svc(desk.curator).route(ours, [RouteTarget(desk.dept("ЖКХ"))])
    desk.svc(desk.curator).route(theirs, [RouteTarget(desk.dept("Дороги"))])
    window = window_as("executor0")
    qtbot.mouseClick(window.filters.mine, Qt.MouseButton.LeftButton)
    assert shown(window) == ["1"]


def test_search_finds_russian_word_forms_and_parts_of_words(
    qtbot: QtBot, desk: Desk, window_as: WindowAs, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk.register("Не работает уличное освещение на ул. Ленина")
    desk.register("Когда починят освещения во дворе?", author_name="Ёлкина")
    desk.register("Яма на дороге")
    window = window_as("curator")
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(window.filters.query.hasFocus)
    window.filters.query.insert("освещ")  # QTest cannot type Cyrillic letters
    qtbot.waitUntil(lambda: shown(window) == ["1", "2"], timeout=3_000)
    window.filters.query.setText("елкина")  # ё typed as е
    qtbot.waitUntil(lambda: shown(window) == ["2"], timeout=3_000)
    window.filters.query.setText("ЛЕНИНА освещение")
    qtbot.waitUntil(lambda: shown(window) == ["1"], timeout=3_000)
    window.filters.query.clear()
    qtbot.waitUntil(lambda: shown(window) == ["1", "2", "3"], timeout=3_000)


def test_a_second_workstation_registers_while_the_user_types_and_nothing_is_lost(
    qtbot: QtBot,
    desk: Desk,
    window_as: WindowAs,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    first = desk.register("Нет света на ул. Мира")
    desk.register("Яма у школы")
    window = window_as("curator")
    window.select_incident(first)
    qtbot.waitUntil(lambda: window.card.incident_id == first, timeout=5_000)
    window.filters.query.setText("свет")
    qtbot.waitUntil(lambda: shown(window) == ["1"], timeout=3_000)
    window.filters.query.setFocus()
    window.filters.query.setCursorPosition(2)
    window.card.routing.tick(desk.dept("ЖКХ"))
    scroll = window.table.verticalScrollBar().value()

    result = tmp_path / "registered.txt"
    subprocess.run(
        [
            sys.executable,
            str(WORKERS),
            "register",
            str(desk.office.path),
            "operator",
            "Свет погас во всём квартале",
            str(result),
        ],
        check=True,
        timeout=60,
    )
    new_id = int(result.read_text().strip())
    qtbot.waitUntil(lambda: window.model.row_for(new_id) is not None, timeout=2_000)
    qtbot.waitUntil(lambda: shown(window) == ["1", "3"], timeout=3_000)  # the search is redone
    assert window.filters.query.text() == "свет" and window.filters.query.cursorPosition() == 2
    assert window.card.incident_id == first
    assert window.card.routing.chosen_departments() == [desk.dept("ЖКХ")]
    current = window.table.currentIndex()
    assert window.proxy.data(current.siblingAtColumn(Column.NUMBER)) == "1"
    assert window.table.verticalScrollBar().value() == scroll


def test_mine_for_a_department_head_is_the_departments_messages(
    qtbot: QtBot, desk: Desk, window_as: WindowAs, monkeypatch: pytest.MonkeyPatch
) -> None:
    ours = desk.register("Яма")
    desk.register("Свет")
    desk.svc(desk.curator).route(ours, [RouteTarget(desk.dept("ЖКХ"))])
    window = window_as("head0")
    qtbot.mouseClick(window.filters.mine, Qt.MouseButton.LeftButton)
    assert shown(window) == ["1"]
