"""The window stays truthful while the world changes under it: actions land on the message
they were started for, the card follows the selection, reloads keep the user's place, and
nothing is announced twice or missed."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from desk import MOSCOW, Desk
from pytestqt.qtbot import QtBot

from desktop.models.entities import Attachment, Department, Incident, Topic
from desktop.models.enums import Importance, IncidentStatus
from desktop.services.attachments import attach_to_incident
from desktop.services.config import DatabaseTarget, TargetOrigin
from desktop.services.incident_card import CardAction
from desktop.services.incidents import RouteTarget
from desktop.services.office import Office
from desktop.views import main_window
from desktop.views.edit_dialog import EditDialog
from desktop.views.main_window import ConnectionState, MainWindow
from desktop.views.queue_model import Column
from desktop.views.reason_dialogs import ReasonDialog
from desktop.views.register_dialog import RegisterDialog

WindowAs = Callable[[str], MainWindow]


@pytest.fixture
def desk(office: Office) -> Desk:
    return Desk(office, "otradnensky-2021")


@pytest.fixture
def working_hours(monkeypatch: pytest.MonkeyPatch) -> None:
    """The window's clock at noon of the desk's Wednesday: alerts are not held for morning."""
    noon = dt.datetime(2025, 3, 12, 12, 0, tzinfo=MOSCOW).astimezone(dt.UTC)
    monkeypatch.setattr(main_window, "utcnow", lambda: noon)


def show(qtbot: QtBot, window: MainWindow, incident_id: int) -> None:
    window.select_incident(incident_id)
    qtbot.waitUntil(
        lambda: window.card.incident_id == incident_id and not window.card.pending,
        timeout=5_000,
    )


def test_a_reason_dialog_acts_on_its_own_message_when_the_card_has_moved_on(
    qtbot: QtBot, desk: Desk, window_as: WindowAs, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = desk.register("Яма")
    second = desk.register("Свет")
    window = window_as("curator")
    window.filters.status.setCurrentIndex(window.filters.status.findText("Новое"))
    show(qtbot, window, first)
    window.card.buttons[CardAction.CLOSE_NOT_TO_ANSWER].click()
    dialog = window.cards.dialog
    assert isinstance(dialog, ReasonDialog)
    # Another workstation routes the first: it leaves the «Новое» filter, the card moves on.
    desk.svc(desk.curator).route(first, [RouteTarget(desk.dept("ЖКХ"))])
    qtbot.waitUntil(lambda: window.card.incident_id == second, timeout=5_000)
    dialog.reason.setPlainText("Оскорбления")
    dialog.ok.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5_000)
    assert Incident.get_by_id(first).status is IncidentStatus.NOT_TO_ANSWER
    assert Incident.get_by_id(second).status is IncidentStatus.NEW


def test_a_change_elsewhere_does_not_pull_the_card_back_from_where_the_user_went(
    qtbot: QtBot, desk: Desk, window_as: WindowAs, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = desk.register("Яма")
    second = desk.register("Свет")
    window = window_as("curator")
    show(qtbot, window, first)
    window.select_incident(second)
    window.cards.refresh({first})  # the poll reports the first changed before the card moved
    qtbot.waitUntil(lambda: window.card.incident_id == second, timeout=5_000)
    # And a message closed elsewhere while shown: the card follows the selection away.
    desk.svc(desk.curator).close_not_to_answer(second, "Брань")
    qtbot.waitUntil(lambda: window.model.row_for(second) is None, timeout=5_000)
    qtbot.waitUntil(lambda: window.card.incident_id == first, timeout=5_000)


def test_a_quick_key_right_after_moving_waits_for_the_new_card(
    qtbot: QtBot, desk: Desk, window_as: WindowAs, monkeypatch: pytest.MonkeyPatch
) -> None:
    topic = Topic.create(name="Дороги", updated_by="t")
    earlier = desk.register("Яма", topic_id=topic.id)
    desk.svc(desk.curator).route(earlier, [RouteTarget(desk.dept("Дороги"))])
    first = desk.register("Ещё яма", topic_id=topic.id)
    second = desk.register("Третья яма", topic_id=topic.id)
    window = window_as("curator")
    show(qtbot, window, first)
    window.select_incident(second)  # the card of the first is still on screen …
    assert window.card.pending and not window.card.routing.isEnabled()
    window.card.routing.quick_buttons[0].click()  # … and Alt+1 now does nothing to it
    qtbot.waitUntil(lambda: window.card.incident_id == second and not window.card.pending)
    assert Incident.get_by_id(first).status is IncidentStatus.NEW
    window.card.routing.quick_buttons[0].click()
    qtbot.waitUntil(lambda: Incident.get_by_id(second).status is IncidentStatus.ROUTED)
    assert Incident.get_by_id(first).status is IncidentStatus.NEW


def test_switching_the_database_leaves_nothing_of_the_old_one(
    qtbot: QtBot,
    desk: Desk,
    window_as: WindowAs,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    from desktop.services.office import open_office

    incident = desk.register("Яма", importance=Importance.HIGH)
    window = window_as("curator")
    show(qtbot, window, incident)
    other = tmp_path / "other" / "otklik.db"
    other.parent.mkdir()
    open_office(DatabaseTarget(str(other), TargetOrigin.COMMAND_LINE), create=True)
    window.switch_database(DatabaseTarget(str(other), TargetOrigin.COMMAND_LINE))
    assert window.card.card is None and window.card.placeholder.isVisible()
    qtbot.waitUntil(lambda: window.state == ConnectionState.ONLINE, timeout=10_000)
    assert window.card.card is None and window.model.rowCount() == 0


def test_editing_keeps_an_archived_topic(
    qtbot: QtBot, desk: Desk, window_as: WindowAs, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = Topic.create(name="Старая тема", updated_by="t", active=False)
    incident = desk.register("Яма", topic_id=old.id)
    window = window_as("operator")
    show(qtbot, window, incident)
    window.card.buttons[CardAction.EDIT].click()
    editor = window.cards.dialog
    assert isinstance(editor, EditDialog)
    assert editor.topic.currentText() == "Старая тема (в архиве)"
    editor.text.setPlainText("Яма, уточнено")
    assert set(editor.changes()) == {"text"}
    editor.save.click()
    editor.save.click()  # a second press while the first is on its way saves nothing more
    qtbot.waitUntil(lambda: not editor.isVisible(), timeout=5_000)
    saved = Incident.get_by_id(incident)
    assert (saved.text, saved.topic_id, saved.version) == ("Яма, уточнено", old.id, 2)


def test_ctrl_enter_twice_registers_once(
    qtbot: QtBot, desk: Desk, window_as: WindowAs, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = window_as("operator")
    window.open_register()
    dialog = window.register_dialog
    assert isinstance(dialog, RegisterDialog)
    dialog.text.setPlainText("Вопрос без ссылки")
    dialog.network.setCurrentIndex(0)
    dialog.register_button.click()
    dialog.register_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5_000)
    assert Incident.select().count() == 1


def test_a_registration_the_filters_hide_still_opens_its_card(
    qtbot: QtBot, desk: Desk, window_as: WindowAs, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = window_as("operator")
    window.filters.high.setChecked(True)
    window.open_register()
    dialog = window.register_dialog
    assert isinstance(dialog, RegisterDialog)
    dialog.text.setPlainText("Обычный вопрос")
    dialog.network.setCurrentIndex(0)
    dialog.register_button.click()
    qtbot.waitUntil(lambda: window.card.incident_id is not None, timeout=5_000)
    assert window.proxy.rowCount() == 0
    assert "Зарегистрировано сообщение № 1" in window.notice_banner.label.text()


@pytest.mark.usefixtures("working_hours")
def test_a_reload_keeps_the_selection_and_announces_what_came_with_it(
    qtbot: QtBot, desk: Desk, window_as: WindowAs, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = desk.register("Яма")
    desk.register("Свет")
    window = window_as("curator")
    show(qtbot, window, first)
    # One poll: a department renamed (the queue is read anew) and an important message.
    Department.update(name="ЖКХ и транспорт").where(Department.name == "ЖКХ").execute()
    urgent = desk.register("Прорыв трубы", importance=Importance.HIGH)
    qtbot.waitUntil(lambda: window.model.row_for(urgent) is not None, timeout=5_000)
    current = window.table.currentIndex()
    assert window.proxy.data(current.siblingAtColumn(Column.NUMBER)) == "1"
    assert window.card.incident_id == first
    qtbot.waitUntil(lambda: len(window.alerts.shown) == 1, timeout=3_000)
    assert window.alerts.shown[0].incident_id == urgent


@pytest.mark.usefixtures("working_hours")
def test_an_unrelated_edit_does_not_re_announce_an_overdue_step(
    qtbot: QtBot, desk: Desk, window_as: WindowAs, monkeypatch: pytest.MonkeyPatch
) -> None:
    incident = desk.register("Яма")  # routing was due at 10:30; the window opens at noon
    window = window_as("curator")
    qtbot.waitUntil(lambda: window.model.row_for(incident) is not None)
    version = Incident.get_by_id(incident).version
    desk.svc(desk.operator).edit(incident, version, {"note": "уточнили адрес"})
    qtbot.waitUntil(
        lambda: window.model.row_for(incident).version == version + 1,  # type: ignore[union-attr]
        timeout=3_000,
    )
    window.model.tick()
    assert window.model.level(incident).name == "OVERDUE"
    assert window.alerts.shown == []
    desk.at(12, 12, 0)
    other = desk.register("Свет")  # a step that goes overdue while watched is announced
    qtbot.waitUntil(lambda: window.model.row_for(other) is not None, timeout=3_000)
    window.model.tick()
    assert window.alerts.shown == []
    monkeypatch.setattr(
        main_window,
        "utcnow",
        lambda: dt.datetime(2025, 3, 12, 12, 31, tzinfo=MOSCOW).astimezone(dt.UTC),
    )
    qtbot.waitUntil(lambda: len(window.alerts.shown) == 1, timeout=3_000)
    assert window.alerts.shown[0].incident_id == other


def test_a_file_attached_elsewhere_appears_on_the_open_card(
    qtbot: QtBot,
    desk: Desk,
    window_as: WindowAs,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    incident = desk.register("Яма")
    window = window_as("curator")
    show(qtbot, window, incident)
    photo = tmp_path / "яма.jpg"
    photo.write_bytes(b"\xff\xd8" * 10)
    attach_to_incident(desk.office, desk.operator, incident, photo)
    qtbot.waitUntil(lambda: window.card.attachments.count() == 1, timeout=3_000)
    assert Attachment.select().count() == 1


def test_roles_changed_during_an_outage_apply_when_the_share_returns(
    qtbot: QtBot, desk: Desk, window_as: WindowAs, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk.register("Яма")
    window = window_as("manager")
    assert not window.register_action.isEnabled()
    share = desk.office.path.parent
    hidden = share.with_name("share-unplugged")
    share.rename(hidden)
    try:
        qtbot.waitUntil(lambda: window.state == ConnectionState.OFFLINE, timeout=5_000)
        with closing(sqlite3.connect(hidden / desk.office.path.name)) as other:
            other.execute(
                "INSERT INTO employee_role (employee_id, role) "
                "SELECT id, 'operator' FROM employee WHERE os_login = 'manager'"
            )
            other.commit()
    finally:
        hidden.rename(share)
    qtbot.waitUntil(lambda: window.state == ConnectionState.ONLINE, timeout=5_000)
    qtbot.waitUntil(window.register_action.isEnabled, timeout=3_000)
    assert "оператор" in window.user_label.text()
