"""The incident card beside the queue, driven through the real widgets by each role."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from desk import Desk
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from desktop.models.entities import Assignment, Incident, Topic
from desktop.models.enums import Importance, IncidentStatus, RoutingMode
from desktop.services.incident_card import CardAction
from desktop.services.incidents import RouteTarget
from desktop.services.office import Office
from desktop.views.card_models import HistoryModel, StepsModel
from desktop.views.main_window import ConnectionState, MainWindow
from desktop.views.queue_model import Column
from desktop.views.reason_dialogs import ReasonDialog

WindowAs = Callable[[str], MainWindow]


@pytest.fixture
def desk(office: Office) -> Desk:
    return Desk(office, "otradnensky-2021")


def click_row(qtbot: QtBot, window: MainWindow, incident_id: int) -> None:
    position = window.model.position_of(incident_id)
    assert position is not None
    index = window.proxy.mapFromSource(window.model.index(position, Column.TEXT))
    rect = window.table.visualRect(index)
    qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: window.card.incident_id == incident_id, timeout=5_000)


def test_the_card_shows_the_message_its_steps_and_history(
    qtbot: QtBot, desk: Desk, window_as: WindowAs, monkeypatch: pytest.MonkeyPatch
) -> None:
    incident = desk.register("Яма на ул. Ленина\nглубокая", author_name="Пётр")
    window = window_as("curator")
    click_row(qtbot, window, incident)
    card = window.card
    assert "№ 1" in card.title.text() and "Новое" in card.title.text()
    assert card.text.toPlainText() == "Яма на ул. Ленина\nглубокая"
    assert "Пётр" in card.facts.text()
    steps = [card.steps_model.index(r, 0).data() for r in range(card.steps_model.rowCount())]
    assert steps == ["Срок ответа", "Направить в отдел"]
    assert card.history_model.rowCount() == 1
    assert card.history_model.index(0, 1).data() == "Operator Тест"
    assert card.history_model.index(0, 2).data().startswith("Зарегистрировано (№ 1")


def test_each_role_sees_only_what_it_may_do(
    qtbot: QtBot, desk: Desk, window_as: WindowAs, monkeypatch: pytest.MonkeyPatch
) -> None:
    incident = desk.register(importance=Importance.HIGH)
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept("ЖКХ"))])
    window = window_as("executor0")
    click_row(qtbot, window, incident)
    shown = {a for a, b in window.card.buttons.items() if b.isVisible() and b.isEnabled()}
    assert shown == {CardAction.ACCEPT, CardAction.RETURN_NOT_COMPETENT, CardAction.WRITE_DRAFT}
    assert not window.card.routing.isVisible()
    assert not window.card.mark_repeat.isVisible()
    qtbot.mouseClick(window.card.buttons[CardAction.ACCEPT], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.card.buttons[CardAction.ACCEPT].isVisible())
    assert "принято в работу" in window.notice_banner.label.text()
    assert Assignment.get().executor_id == desk.executors["ЖКХ"].employee_id


def test_the_curator_routes_in_two_clicks_to_a_recommended_department(
    qtbot: QtBot, desk: Desk, window_as: WindowAs, monkeypatch: pytest.MonkeyPatch
) -> None:
    topic = Topic.create(name="Дороги", updated_by="t")
    earlier = desk.register("Яма", topic_id=topic.id)
    desk.svc(desk.curator).route(earlier, [RouteTarget(desk.dept("Дороги"))])
    incident = desk.register("Ещё яма", topic_id=topic.id)
    window = window_as("curator")
    clicks = 1
    click_row(qtbot, window, incident)
    routing = window.card.routing
    assert routing.isVisible()
    assert [b.text() for b in routing.quick_buttons] == ["→ Дороги    Alt+1"]
    clicks += 1
    qtbot.mouseClick(routing.quick_buttons[0], Qt.MouseButton.LeftButton)

    def routed() -> bool:
        row = window.model.row_for(incident)
        return row is not None and row.status is IncidentStatus.ROUTED

    qtbot.waitUntil(routed, timeout=5_000)
    assert clicks == 2
    row = window.model.row_for(incident)
    assert row is not None and row.departments == "Дороги"
    qtbot.waitUntil(lambda: not window.card.routing.isVisible(), timeout=5_000)
    assert "В работе у отдела" in window.card.title.text()
    assert "направлено: Дороги" in window.notice_banner.label.text()


def test_keyboard_only_routing_arrows_to_the_message_then_alt_1(
    qtbot: QtBot, desk: Desk, window_as: WindowAs, monkeypatch: pytest.MonkeyPatch
) -> None:
    topic = Topic.create(name="Дороги", updated_by="t")
    earlier = desk.register("Яма", topic_id=topic.id)
    desk.svc(desk.curator).route(earlier, [RouteTarget(desk.dept("Дороги"))])
    incident = desk.register("Ещё яма", topic_id=topic.id)
    window = window_as("curator")
    window.activateWindow()
    window.table.setFocus()
    qtbot.waitUntil(window.table.hasFocus)
    keys = 0
    while window.card.incident_id != incident:
        keys += 1
        qtbot.keyClick(window.table, Qt.Key.Key_Down)
        current = window.proxy.mapToSource(window.table.currentIndex()).row()
        on_row = window.model.incident_at(current)
        qtbot.waitUntil(lambda on_row=on_row: window.card.incident_id == on_row, timeout=5_000)
        assert keys < 3
    qtbot.waitUntil(lambda: window.card.routing.isVisible(), timeout=5_000)
    keys += 1
    qtbot.keyClick(window.table, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: Incident.get_by_id(incident).status is IncidentStatus.ROUTED)
    assert Assignment.get(Assignment.incident == incident).department_id == desk.dept("Дороги")
    assert keys <= 2


def test_several_departments_with_an_executor_and_an_order(
    qtbot: QtBot, desk: Desk, window_as: WindowAs, monkeypatch: pytest.MonkeyPatch
) -> None:
    incident = desk.register()
    window = window_as("curator")
    click_row(qtbot, window, incident)
    routing = window.card.routing
    assert not routing.options.isRowVisible(routing.mode)  # one department: no order to pick
    routing.tick(desk.dept("Образование"), desk.executors["Образование"].employee_id)
    routing.tick(desk.dept("ЖКХ"))
    assert routing.options.isRowVisible(routing.mode)
    assert routing.mode.currentData() == RoutingMode.PARALLEL.value  # the regulation's
    routing.mode.setCurrentIndex(routing.mode.findData(RoutingMode.SEQUENTIAL.value))
    window.activateWindow()
    routing.table.setFocus()
    qtbot.waitUntil(routing.table.hasFocus)
    qtbot.keyClick(routing.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: Assignment.select().count() == 2, timeout=5_000)
    rows = [
        (a.department.name, a.executor_id, a.status.value)
        for a in Assignment.select().order_by(Assignment.position)
    ]
    executor = desk.executors["Образование"].employee_id
    assert rows == [("ЖКХ", None, "in_work"), ("Образование", executor, "assigned")]
    assert Incident.get_by_id(incident).routing_mode is RoutingMode.SEQUENTIAL


def test_a_department_returns_a_message_with_a_reason_and_the_curator_sees_it(
    qtbot: QtBot, desk: Desk, window_as: WindowAs, monkeypatch: pytest.MonkeyPatch
) -> None:
    incident = desk.register()
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept("ЖКХ"))])
    window = window_as("executor0")
    click_row(qtbot, window, incident)
    button = window.card.buttons[CardAction.RETURN_NOT_COMPETENT]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = window.cards.dialog
    assert isinstance(dialog, ReasonDialog) and not dialog.ok.isEnabled()
    dialog.reason.setPlainText("Это дорожное хозяйство")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5_000)
    assert Incident.get_by_id(incident).status is IncidentStatus.RETURNED
    assert "Это дорожное хозяйство" in window.card.departments.text()


def test_the_report_to_the_manager_is_one_click_and_lands_in_the_clipboard(
    qtbot: QtBot, desk: Desk, window_as: WindowAs, monkeypatch: pytest.MonkeyPatch
) -> None:
    incident = desk.register("Прорыв трубы на ул. Мира", importance=Importance.HIGH)
    window = window_as("operator")
    click_row(qtbot, window, incident)
    QApplication.clipboard().clear()
    qtbot.mouseClick(window.card.buttons[CardAction.NOTIFY_MANAGER], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Прорыв трубы" in QApplication.clipboard().text(), timeout=5_000)
    text = QApplication.clipboard().text()
    assert text.startswith("Инцидент повышенной важности № 1 (ВКонтакте)")
    assert "https://vk.com/wall-1_1" in text and "Срок ответа:" in text
    assert Incident.get_by_id(incident).manager_notified_at is not None


def test_routing_a_card_changed_elsewhere_asks_to_reload(
    qtbot: QtBot, desk: Desk, window_as: WindowAs, monkeypatch: pytest.MonkeyPatch
) -> None:
    incident = desk.register()
    window = window_as("curator")
    click_row(qtbot, window, incident)
    seen = window.card.card
    assert seen is not None
    # Another workstation changes the card before this one's poll has shown it.
    desk.svc(desk.operator).edit(incident, seen.version, {"importance": Importance.HIGH})
    window.card.routing.tick(desk.dept("ЖКХ"))
    qtbot.mouseClick(window.card.routing.route_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.cards.question is not None, timeout=5_000)
    question = window.cards.question
    assert question is not None and "Operator Тест" in question.text()
    assert Incident.get_by_id(incident).status is IncidentStatus.NEW
    question.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(
        lambda: window.card.card is not None and window.card.card.version == seen.version + 1,
        timeout=5_000,
    )
    assert "повышенная важность" in window.card.title.text()
    assert window.card.routing.chosen_departments() == [desk.dept("ЖКХ")]  # the ticks stay


def test_card_models_pass_the_model_tester(qtbot: QtBot, desk: Desk, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    from zoneinfo import ZoneInfo

    incident = desk.register()
    card = desk.svc(desk.curator).card(incident, ZoneInfo("Europe/Moscow"))
    steps = StepsModel(ZoneInfo("Europe/Moscow"))
    steps.set_steps(card.steps, ZoneInfo("Europe/Moscow"), desk.now())
    qtmodeltester.check(steps)
    history = HistoryModel(ZoneInfo("Europe/Moscow"))
    history.set_entries(card.history, ZoneInfo("Europe/Moscow"))
    qtmodeltester.check(history)


def test_offline_the_card_stays_readable_and_nothing_can_be_changed(
    qtbot: QtBot, desk: Desk, window_as: WindowAs, monkeypatch: pytest.MonkeyPatch
) -> None:
    incident = desk.register(importance=Importance.HIGH)
    window = window_as("curator")
    click_row(qtbot, window, incident)
    report = window.card.buttons[CardAction.NOTIFY_MANAGER]
    assert report.isEnabled() and window.card.routing.isEnabled()
    share = desk.office.path.parent
    hidden = share.with_name("share-unplugged")
    share.rename(hidden)
    try:
        qtbot.waitUntil(lambda: window.state == ConnectionState.OFFLINE, timeout=5_000)
        assert window.card.incident_id == incident and "№ 1" in window.card.title.text()
        assert report.isVisible() and not report.isEnabled()
        assert not window.card.routing.isEnabled()
        assert not window.register_action.isEnabled()
    finally:
        hidden.rename(share)
    qtbot.waitUntil(lambda: window.state == ConnectionState.ONLINE, timeout=5_000)
    assert report.isEnabled() and window.card.routing.isEnabled()


def test_editing_the_card_and_a_conflict_asks_then_keeps_the_users_edits(
    qtbot: QtBot, desk: Desk, window_as: WindowAs, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.views.edit_dialog import EditDialog

    roads = Topic.create(name="Дороги", updated_by="t")
    incident = desk.register("Яма на ул. Мира")
    window = window_as("operator")
    click_row(qtbot, window, incident)
    qtbot.mouseClick(window.card.buttons[CardAction.EDIT], Qt.MouseButton.LeftButton)
    editor = window.cards.dialog
    assert isinstance(editor, EditDialog)
    editor.topic.setCurrentIndex(editor.topic.findData(roads.id))
    editor.text.setPlainText("Яма на ул. Мира, д. 5")
    # Meanwhile a curator elsewhere marks it as important.
    seen = window.card.card
    assert seen is not None
    desk.svc(desk.curator).edit(incident, seen.version, {"importance": Importance.HIGH})
    qtbot.mouseClick(editor.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.cards.question is not None, timeout=5_000)
    question = window.cards.question
    assert question is not None and "Curator Тест" in question.text()
    assert Incident.get_by_id(incident).text == "Яма на ул. Мира"  # nothing overwritten
    question.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: editor.base.version > seen.version, timeout=5_000)
    assert editor.text.toPlainText() == "Яма на ул. Мира, д. 5"  # the typing survived
    assert editor.high.isChecked()  # the other's change shows in what the user left alone
    assert set(editor.changes()) == {"text", "topic"}
    qtbot.mouseClick(editor.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not editor.isVisible(), timeout=5_000)
    saved = Incident.get_by_id(incident)
    assert (saved.text, saved.topic_id, saved.importance) == (
        "Яма на ул. Мира, д. 5",
        roads.id,
        Importance.HIGH,
    )
    assert "Дороги" in window.card.facts.text()


def test_files_are_added_to_the_card(
    qtbot: QtBot,
    desk: Desk,
    window_as: WindowAs,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    incident = desk.register()
    window = window_as("operator")
    click_row(qtbot, window, incident)
    assert not window.card.attachments.isVisible()
    photo = tmp_path / "яма.jpg"
    photo.write_bytes(b"\xff\xd8" * 600)
    window.cards.attach_files(incident, [photo])  # what «Добавить файлы…» hands on
    qtbot.waitUntil(lambda: window.card.attachments.count() == 1, timeout=5_000)
    assert window.card.attachments.item(0).text() == "яма.jpg (1 КБ)"
    assert window.card.history_model.index(1, 2).data() == "Добавлен файл: яма.jpg"
