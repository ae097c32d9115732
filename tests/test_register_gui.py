"""Registering a message in the real window, by keyboard only, as an operator does."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.models.entities import Attachment, Incident, Topic
from desktop.models.enums import Importance, Network, Role
from desktop.services.office import Office
from desktop.services.session import CurrentUser
from desktop.views.main_window import ConnectionState, MainWindow
from desktop.views.queue_model import Column
from desktop.views.register_dialog import RegisterDialog

MakeUser = Callable[..., CurrentUser]
OpenWindow = Callable[[Path], MainWindow]
CTRL = Qt.KeyboardModifier.ControlModifier


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@pytest.fixture
def window(
    qtbot: QtBot, office: Office, make_user: MakeUser, open_window: OpenWindow
) -> MainWindow:
    make_user("tester", Role.OPERATOR, Role.CURATOR, full_name="Оператор О. О.")
    Topic.create(name="Дороги", updated_by="test")
    opened = open_window(office.path)
    qtbot.waitUntil(lambda: opened.state == ConnectionState.ONLINE, timeout=10_000)
    return opened


def open_dialog(qtbot: QtBot, window: MainWindow) -> RegisterDialog:
    window.open_register()
    dialog = window.register_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.link.hasFocus)  # the window manager has activated it
    return dialog


def paste(qtbot: QtBot, widget: object, text: str) -> None:
    QApplication.clipboard().setText(text)
    qtbot.keyClick(widget, Qt.Key.Key_V, CTRL)  # type: ignore[arg-type]


def test_a_message_is_registered_with_five_keystrokes(qtbot: QtBot, window: MainWindow) -> None:
    keystrokes = 0

    def press(
        widget: object, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    ) -> None:
        nonlocal keystrokes
        keystrokes += 1
        qtbot.keyClick(widget, key, modifier)  # type: ignore[arg-type]

    press(window, Qt.Key.Key_N, CTRL)
    dialog = window.register_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(dialog.link.hasFocus)
    QApplication.clipboard().setText("https://vk.com/wall-1_42")
    press(dialog.link, Qt.Key.Key_V, CTRL)
    assert dialog.network.currentData() == Network.VK.value  # the link told the network
    press(dialog.link, Qt.Key.Key_Tab)
    assert dialog.text.hasFocus()
    QApplication.clipboard().setText("Когда заделают яму на ул. Ленина?\nУже месяц стоит вода")
    press(dialog.text, Qt.Key.Key_V, CTRL)
    press(dialog.text, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=5_000)
    assert keystrokes == 5
    assert not dialog.isVisible()
    incident = Incident.get()
    assert (incident.network, incident.link) == (Network.VK, "https://vk.com/wall-1_42")
    assert incident.text.startswith("Когда заделают яму")
    current = window.table.currentIndex()
    assert current.isValid() and window.proxy.data(current.siblingAtColumn(Column.NUMBER)) == "1"


def test_the_most_used_fields_come_first_in_the_tab_order(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    dialog = open_dialog(qtbot, window)
    paste(qtbot, dialog.link, "https://ok.ru/group/1/topic/2")
    qtbot.keyClick(dialog.link, Qt.Key.Key_Tab)
    paste(qtbot, dialog.text, "Нет света")
    qtbot.keyClick(dialog.text, Qt.Key.Key_Tab)
    assert dialog.author.hasFocus()
    paste(qtbot, dialog.author, "Житель")
    qtbot.keyClick(dialog.author, Qt.Key.Key_Tab)
    assert dialog.topic.hasFocus()
    dialog.topic.setEditText("Дороги")
    qtbot.keyClick(dialog.topic, Qt.Key.Key_Tab)
    assert dialog.location.hasFocus()
    qtbot.keyClick(dialog.location, Qt.Key.Key_Tab)
    assert dialog.high.hasFocus()
    qtbot.keyClick(dialog.high, Qt.Key.Key_Space)
    photo = tmp_path / "фото.jpg"
    photo.write_bytes(b"\xff\xd8" + b"x" * 100)
    dialog.add_file(photo)  # what a drop of a file does
    qtbot.keyClick(dialog.high, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=5_000)
    incident = Incident.get()
    assert (incident.network, incident.author_name) == (Network.OK, "Житель")
    assert incident.importance is Importance.HIGH
    assert Topic.get_by_id(incident.topic_id).name == "Дороги"
    assert [a.file_name for a in Attachment.select()] == ["фото.jpg"]


def test_mistakes_are_shown_in_the_dialog(qtbot: QtBot, window: MainWindow) -> None:
    dialog = open_dialog(qtbot, window)
    paste(qtbot, dialog.link, "https://vk.com/wall-1_1")
    qtbot.keyClick(dialog.link, Qt.Key.Key_Return)  # Enter moves on, it does not register
    assert dialog.isVisible() and Incident.select().count() == 0
    qtbot.keyClick(dialog.link, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=5_000)
    assert "пуст" in dialog.error.text()
    dialog.topic.setEditText("Нет такой темы")
    dialog.text.setPlainText("Вопрос")
    qtbot.keyClick(dialog.link, Qt.Key.Key_Return, CTRL)
    assert "нет такого значения" in dialog.error.text()
    assert dialog.isVisible() and Incident.select().count() == 0


def test_a_duplicate_link_opens_the_existing_card(qtbot: QtBot, window: MainWindow) -> None:
    for attempt in range(2):
        dialog = open_dialog(qtbot, window)
        paste(qtbot, dialog.link, "https://t.me/channel/7")
        dialog.text.setPlainText(f"Вопрос {attempt}")
        qtbot.keyClick(dialog.link, Qt.Key.Key_Return, CTRL)
        qtbot.waitUntil(lambda dialog=dialog: not dialog.isVisible(), timeout=5_000)
    assert Incident.select().count() == 1
    assert "уже зарегистрировано: № 1" in window.notice_banner.label.text()
    current = window.table.currentIndex()
    assert window.proxy.data(current.siblingAtColumn(Column.NUMBER)) == "1"
    qtbot.waitUntil(lambda: window.card.incident_id == Incident.get().id, timeout=5_000)


def test_a_duplicate_of_a_closed_message_opens_its_card(qtbot: QtBot, window: MainWindow) -> None:
    from desktop.services.incidents import IncidentService, NewIncident
    from desktop.services.session import identify

    service = IncidentService(identify("tester"))
    closed = service.register(
        NewIncident(text="Старый вопрос", link="https://vk.com/wall-5_5", detected_at=utc_now())
    )
    service.close_not_to_answer(closed, "Оскорбления")
    dialog = open_dialog(qtbot, window)
    paste(qtbot, dialog.link, "https://vk.com/wall-5_5")
    dialog.text.setPlainText("Тот же вопрос")
    qtbot.keyClick(dialog.link, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: window.card.incident_id == closed, timeout=5_000)
    assert "Не подлежит ответу" in window.card.title.text()
    assert window.model.row_for(closed) is None  # not in the queue, yet its card is open
