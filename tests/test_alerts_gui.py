"""Alerts in the real window: a banner (and a tray message where there is a tray) when a
high-importance message arrives, a step runs low or goes overdue; the report in one click."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from desk import MOSCOW, Desk
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.models.entities import Incident
from desktop.models.enums import Importance
from desktop.services.countdown import Level
from desktop.services.office import Office
from desktop.views import main_window
from desktop.views.main_window import ConnectionState, MainWindow
from desktop.views.queue_model import BRUSHES, Column

OpenWindow = Callable[[Path], MainWindow]


class Clock:
    def __init__(self) -> None:
        self.moment = dt.datetime(2025, 3, 12, 10, 0, tzinfo=MOSCOW)  # a Wednesday

    def __call__(self) -> dt.datetime:
        return self.moment.astimezone(dt.UTC)

    def set(self, day: int, hour: int, minute: int) -> None:
        self.moment = dt.datetime(2025, 3, day, hour, minute, tzinfo=MOSCOW)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(main_window, "utcnow", fake)
    return fake


@pytest.fixture
def desk(office: Office) -> Desk:
    return Desk(office, "otradnensky-2021")


@pytest.fixture
def window(
    qtbot: QtBot,
    desk: Desk,
    clock: Clock,
    open_window: OpenWindow,
    monkeypatch: pytest.MonkeyPatch,
) -> MainWindow:
    monkeypatch.setenv("OTKLIK_USER", "curator")
    opened = open_window(desk.office.path)
    qtbot.waitUntil(lambda: opened.state == ConnectionState.ONLINE, timeout=10_000)
    return opened


def test_a_high_importance_message_from_another_workstation_alerts_and_reports_in_one_click(
    qtbot: QtBot, desk: Desk, window: MainWindow
) -> None:
    incident = desk.register("Прорыв теплотрассы на ул. Мира", importance=Importance.HIGH)
    banner = window.alert_banner
    qtbot.waitUntil(banner.isVisible, timeout=3_000)
    assert "Повышенная важность: № 1" in banner.label.text()
    assert "Прорыв теплотрассы" in banner.label.text()
    assert banner.button.text() == "Доложить руководству"
    QApplication.clipboard().clear()
    qtbot.mouseClick(banner.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Прорыв теплотрассы" in QApplication.clipboard().text(), timeout=3_000)
    assert Incident.get_by_id(incident).manager_notified_at is not None
    qtbot.waitUntil(lambda: window.card.incident_id == incident)  # the card opens on it
    desk.register("Обычный вопрос")
    qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=3_000)
    assert len(window.alerts.shown) == 1  # a normal message raises no alert


def test_the_countdown_changes_colour_and_alerts_at_a_quarter_and_when_overdue(
    qtbot: QtBot, desk: Desk, window: MainWindow, clock: Clock
) -> None:
    incident = desk.register("Яма")  # routing due in 30 working minutes: 10:30
    qtbot.waitUntil(lambda: window.model.row_for(incident) is not None, timeout=3_000)
    position = window.model.position_of(incident)
    assert position is not None
    left = window.model.index(position, Column.LEFT)
    assert left.data() == "30 мин раб."
    assert left.data(Qt.ItemDataRole.BackgroundRole) is None
    clock.set(12, 10, 23)
    qtbot.waitUntil(lambda: window.model.level(incident) is Level.SOON, timeout=3_000)
    qtbot.waitUntil(lambda: "Меньше четверти срока: № 1" in window.alert_banner.label.text())
    assert left.data(Qt.ItemDataRole.BackgroundRole) == BRUSHES[Level.SOON]
    assert left.data() == "7 мин раб."
    clock.set(12, 10, 45)
    qtbot.waitUntil(lambda: "Просрочено: № 1" in window.alert_banner.label.text())
    assert left.data(Qt.ItemDataRole.BackgroundRole) == BRUSHES[Level.OVERDUE]
    assert left.data() == "просрочено на 15 мин раб."
    assert [a.kind.value for a in window.alerts.shown] == ["quarter_left", "overdue"]


def test_an_alert_due_at_night_waits_for_the_morning(
    qtbot: QtBot, desk: Desk, window: MainWindow, clock: Clock
) -> None:
    desk.at(12, 17, 30)
    clock.set(12, 17, 30)
    incident = desk.register("Нет воды")  # routing due at the close, 18:00
    qtbot.waitUntil(lambda: window.model.row_for(incident) is not None, timeout=3_000)
    clock.set(12, 18, 30)  # overdue since 18:00, but the office has gone home
    window.model.tick()
    assert window.model.level(incident) is Level.OVERDUE
    assert window.alerts.shown == [] and not window.alert_banner.isVisible()
    clock.set(13, 8, 59)
    window.alerts.tick()
    assert window.alerts.shown == []
    clock.set(13, 9, 0)  # the office opens: said once, now
    qtbot.waitUntil(lambda: "Просрочено: № 1" in window.alert_banner.label.text(), timeout=3_000)
    assert [a.kind.value for a in window.alerts.shown] == ["overdue"]
