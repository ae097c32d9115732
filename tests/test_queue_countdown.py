"""Countdowns of running steps: working time left, colours at 25 % and overdue, from memory."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from desktop.models.enums import Importance, IncidentStatus, Network, StepKind
from desktop.services.countdown import Countdowns, Level, describe_left, format_working
from desktop.services.queue import QueueRow, RunningStep, running_step
from desktop.services.workcalendar import WorkCalendar
from desktop.views.queue_model import (
    BRUSHES,
    LEVEL_ROLE,
    Column,
    Crossing,
    QueueModel,
    QueueProxyModel,
)

MOSCOW = ZoneInfo("Europe/Moscow")
MINUTE = 60_000_000


def moscow(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2025, 3, day, hour, minute, tzinfo=MOSCOW).astimezone(dt.UTC)


def row(
    incident_id: int, started: dt.datetime, due: dt.datetime | None, **extra: object
) -> QueueRow:
    values: dict[str, object] = {
        "incident_id": incident_id,
        "number": incident_id,
        "network": Network.VK,
        "author": "Житель",
        "summary": "Яма на дороге",
        "topic": "Дороги",
        "location": "ст. Отрадная",
        "departments": "ЖКХ",
        "status": IncidentStatus.ROUTED,
        "importance": Importance.NORMAL,
        "detected_at": started,
        "answer_due_at": due,
        "version": 1,
        "step": StepKind.DRAFT,
        "step_started_at": started,
        "step_due_at": due,
        "step_rule": "п. 12",
        **extra,
    }
    return QueueRow(**values)  # type: ignore[arg-type]


class Clock:
    def __init__(self, moment: dt.datetime) -> None:
        self.moment = moment

    def __call__(self) -> dt.datetime:
        return self.moment


@pytest.fixture
def clock() -> Clock:
    return Clock(moscow(12, 10, 0))


@pytest.fixture
def model(clock: Clock, qtbot: QtBot) -> QueueModel:
    queue = QueueModel(MOSCOW, now=clock)
    queue.set_calendar(WorkCalendar(), MOSCOW)
    return queue


def text(model: QueueModel, position: int, column: Column) -> str:
    return str(model.data(model.index(position, column)))


# --- the service part ----------------------------------------------------------------------


def test_words_for_working_time_left() -> None:
    assert format_working(135 * MINUTE) == "2 ч 15 мин раб."
    assert format_working(45 * MINUTE) == "45 мин раб."
    assert format_working(120 * MINUTE) == "2 ч раб."
    assert format_working(-65 * MINUTE) == "просрочено на 1 ч 5 мин раб."
    assert describe_left(121 * MINUTE) == "до срока 2 часа 1 минута рабочего времени"
    assert describe_left(-5 * 60 * MINUTE) == "просрочено на 5 часов рабочего времени"


def test_the_running_step_is_the_one_due_soonest() -> None:
    at = moscow(12, 10, 0)
    answer = RunningStep(StepKind.ANSWER, at, moscow(13, 10, 0), "п. 9")
    draft = RunningStep(StepKind.DRAFT, at, moscow(12, 16, 0), "п. 12")
    check = RunningStep(StepKind.COMPETENCE_CHECK, at, moscow(12, 10, 30), "п. 11")
    report = RunningStep(StepKind.REPORT, at, None, "")
    assert running_step([answer, draft, check, report]) == check
    assert running_step([answer, report]) == report  # work without a deadline beats none
    assert running_step([answer]) == answer
    assert running_step([]) is None


def test_countdowns_count_working_time_only() -> None:
    countdowns = Countdowns(WorkCalendar(), MOSCOW, moscow(12, 10, 0))
    track = countdowns.track(moscow(12, 12, 0), moscow(12, 15, 0))
    assert track is not None and track.total == 2 * 60 * MINUTE  # lunch out
    assert Countdowns.remaining(track, countdowns.tick(moscow(12, 12, 40))) == 80 * MINUTE
    assert Countdowns.remaining(track, countdowns.tick(moscow(12, 13, 30))) == 60 * MINUTE
    assert Countdowns.level(track, countdowns.tick(moscow(12, 14, 29))) is Level.CALM
    assert Countdowns.level(track, countdowns.tick(moscow(12, 14, 30))) is Level.SOON
    late = countdowns.tick(moscow(12, 16, 10))
    assert Countdowns.level(track, late) is Level.OVERDUE
    assert Countdowns.remaining(track, late) == -70 * MINUTE
    assert Countdowns.level(None, late) is Level.NONE


# --- the model -------------------------------------------------------------------------------


def test_the_countdown_changes_colour_with_the_clock(
    model: QueueModel, clock: Clock, qtbot: QtBot
) -> None:
    model.set_rows([row(1, moscow(12, 10, 0), moscow(12, 16, 0))])  # 5 working hours
    assert text(model, 0, Column.LEFT) == "5 ч раб."
    assert text(model, 0, Column.STEP) == "Проект ответа"
    index = model.index(0, Column.AUTHOR)
    assert model.data(index, Qt.ItemDataRole.BackgroundRole) is None
    clock.moment = moscow(12, 14, 45)  # 1 h 15 min of 5 h left: exactly a quarter
    with qtbot.waitSignal(model.crossed) as crossed:
        model.tick()
    assert crossed.args[0] == [Crossing(1, Level.SOON, model.row_for(1))]
    assert model.data(index, Qt.ItemDataRole.BackgroundRole) == BRUSHES[Level.SOON]
    assert text(model, 0, Column.LEFT) == "1 ч 15 мин раб."
    clock.moment = moscow(12, 15, 0)
    assert model.tick() == []  # each level is reported once
    clock.moment = moscow(12, 16, 30)
    assert [c.level for c in model.tick()] == [Level.OVERDUE]
    assert model.data(index, Qt.ItemDataRole.BackgroundRole) == BRUSHES[Level.OVERDUE]
    assert text(model, 0, Column.LEFT) == "просрочено на 30 мин раб."
    assert model.data(index, LEVEL_ROLE) == Level.OVERDUE
    tooltip = str(model.data(model.index(0, Column.LEFT), Qt.ItemDataRole.ToolTipRole))
    assert "Проект ответа: срок 12.03.2025 16:00" in tooltip
    assert "просрочено на 30 минут рабочего времени" in tooltip
    assert "Основание: п. 12" in tooltip


def test_a_tick_repaints_the_countdowns_only_when_the_minute_changes(
    model: QueueModel, clock: Clock, qtbot: QtBot
) -> None:
    model.set_rows([row(n, moscow(12, 10, 0), moscow(12, 17, n)) for n in range(1, 50)])
    changed: list[tuple[int, int, int, int]] = []
    model.dataChanged.connect(
        lambda a, b, *_: changed.append((a.row(), a.column(), b.row(), b.column()))
    )
    clock.moment = moscow(12, 10, 0) + dt.timedelta(seconds=20)
    model.tick()
    assert changed == []
    clock.moment = moscow(12, 10, 1)
    model.tick()
    assert changed == [(0, Column.LEFT, 48, Column.LEFT)]
    changed.clear()
    clock.moment = moscow(12, 13, 10)  # lunch: working time stands still
    model.tick()
    clock.moment = moscow(12, 13, 50)
    model.tick()
    assert len(changed) == 1


def test_outside_working_hours_the_countdown_stands_still(model: QueueModel, clock: Clock) -> None:
    model.set_rows([row(1, moscow(12, 10, 0), moscow(13, 10, 0))])  # 8 working hours
    clock.moment = moscow(12, 20, 0)
    model.tick()
    assert text(model, 0, Column.LEFT) == "1 ч раб."
    clock.moment = moscow(13, 8, 0)
    model.tick()
    assert text(model, 0, Column.LEFT) == "1 ч раб."


def test_sorting_puts_what_burns_first(model: QueueModel, clock: Clock, qtbot: QtBot) -> None:
    proxy = QueueProxyModel()
    proxy.setSourceModel(model)
    model.set_rows(
        [
            row(1, moscow(12, 9, 0), moscow(12, 17, 0)),
            row(2, moscow(11, 9, 0), moscow(11, 17, 0)),  # overdue since yesterday
            row(3, moscow(12, 9, 0), moscow(12, 11, 0)),
            row(4, moscow(12, 9, 0), None, step=StepKind.REPORT),
        ]
    )
    proxy.sort(Column.LEFT, Qt.SortOrder.AscendingOrder)
    order = [proxy.data(proxy.index(r, Column.NUMBER)) for r in range(4)]
    assert order == ["2", "3", "1", "4"]


def test_rows_from_other_workstations_keep_their_countdowns(
    model: QueueModel, clock: Clock
) -> None:
    model.set_rows([row(1, moscow(12, 10, 0), moscow(12, 16, 0))])
    model.apply(
        {
            1: row(1, moscow(12, 10, 0), moscow(12, 12, 0)),
            2: row(2, moscow(12, 10, 0), moscow(12, 11, 0)),
        }
    )
    assert [text(model, n, Column.NUMBER) for n in range(2)] == ["2", "1"]  # soonest first
    assert text(model, 0, Column.LEFT) == "1 ч раб."
    assert text(model, 1, Column.LEFT) == "2 ч раб."
    clock.moment = moscow(12, 12, 30)
    found = {c.incident_id: c.level for c in model.tick()}
    assert found == {1: Level.OVERDUE, 2: Level.OVERDUE}  # the old 16:00 deadline is forgotten
    model.apply({2: None})
    assert model.rowCount() == 1


def test_the_model_passes_qtmodeltester(
    model: QueueModel, clock: Clock, qtmodeltester: ModelTester
) -> None:
    model.set_rows(
        [
            row(1, moscow(12, 9, 0), moscow(12, 17, 0)),
            row(2, moscow(12, 9, 0), None, step=None, importance=Importance.HIGH),
        ]
    )
    qtmodeltester.check(model)
    proxy = QueueProxyModel()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.columnCount(QModelIndex()) == len(Column)


def test_changes_move_rows_into_order_under_the_model_tester(
    model: QueueModel, clock: Clock, qtmodeltester: ModelTester
) -> None:
    model.set_rows([row(n, moscow(12, 9, 0), moscow(12, 12 + n % 5, n)) for n in range(1, 30)])
    qtmodeltester.check(model)  # stays attached: every change below is checked too
    selected = model.index(model._row_of[7], Column.AUTHOR)
    from PySide6.QtCore import QPersistentModelIndex

    held = QPersistentModelIndex(selected)
    model.apply({7: row(7, moscow(12, 9, 0), moscow(12, 9, 30))})  # now due first
    assert model.data(model.index(0, Column.NUMBER)) == "7"
    assert held.row() == 0  # the selection follows its incident
    model.apply({100: row(100, moscow(12, 9, 0), moscow(12, 9, 40)), 3: None})
    assert [model.data(model.index(n, Column.NUMBER)) for n in range(2)] == ["7", "100"]
    model.sort(Column.NUMBER, Qt.SortOrder.DescendingOrder)
    assert model.data(model.index(0, Column.NUMBER)) == "100"
    assert model.data(held.sibling(held.row(), Column.NUMBER)) == "7"
    model.apply({50: row(50, moscow(12, 9, 0), moscow(12, 15, 0))})
    numbers = [int(model.data(model.index(n, Column.NUMBER))) for n in range(model.rowCount())]
    assert numbers == sorted(numbers, reverse=True)


def test_overdue_only_takes_rows_in_as_their_steps_go_overdue(
    model: QueueModel, clock: Clock, qtbot: QtBot
) -> None:
    from desktop.services.queue_filter import QueueFilter

    proxy = QueueProxyModel()
    proxy.setSourceModel(model)
    model.set_rows(
        [
            row(1, moscow(12, 9, 0), moscow(12, 11, 0)),
            row(2, moscow(12, 9, 0), moscow(12, 17, 0)),
            row(3, moscow(12, 9, 0), None),
        ]
    )
    proxy.set_filter(QueueFilter(overdue_only=True))
    assert proxy.rowCount() == 0
    clock.moment = moscow(12, 11, 1)
    model.tick()
    qtbot.waitUntil(lambda: proxy.rowCount() == 1)
    assert proxy.index(0, Column.NUMBER).data() == "1"
    clock.moment = moscow(12, 17, 1)
    model.tick()
    qtbot.waitUntil(lambda: proxy.rowCount() == 2)
    proxy.set_filter(QueueFilter())
    assert proxy.rowCount() == 3


def test_a_tick_repaints_the_countdowns_without_re_filtering_every_row(
    model: QueueModel, clock: Clock, qtbot: QtBot
) -> None:
    from desktop.services.queue_filter import QueueFilter

    tested: list[int] = []

    class Counting(QueueFilter):
        def accepts(self, row: QueueRow, level: Level, me: object) -> bool:  # type: ignore[override]
            tested.append(row.incident_id)
            return True

    proxy = QueueProxyModel()
    proxy.setSourceModel(model)
    model.set_rows([row(i, moscow(12, 9, 0), moscow(12, 17, 0)) for i in range(1, 51)])
    proxy.set_filter(Counting(high_only=False, matching=frozenset(range(1, 51))))
    tested.clear()
    for minute in range(1, 6):
        clock.moment = moscow(12, 10, minute)
        model.tick()  # the countdown column changes every minute
    assert tested == []
    clock.moment = moscow(12, 17, 1)  # every row goes overdue: one re-test of all, after
    model.tick()
    qtbot.waitUntil(lambda: len(tested) >= 50)
    assert sorted(tested) == list(range(1, 51))  # fifty crossings made one re-test
    assert not proxy._retest.isActive()
