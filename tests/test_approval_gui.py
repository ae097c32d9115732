"""«Согласование», the approval panel, driven through the real main window by curators, an
executor (through the service) and a Барнаул department head."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from desk import MOSCOW, Desk
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from desktop.models.entities import AnswerVersion, Review, Step
from desktop.models.enums import (
    AnswerStatus,
    IncidentStatus,
    ReviewDecision,
    Role,
    StepKind,
)
from desktop.services.approvals import ReturnReason, waiting_for
from desktop.services.incidents import RouteTarget
from desktop.services.office import Office
from desktop.services.office_calendar import office_work_calendar
from desktop.views import approval_panel
from desktop.views.approval_dialogs import EditDraftDialog, ReturnDialog
from desktop.views.approval_model import ApprovalModel, Column
from desktop.views.approval_panel import FIRST_VERSION, ApprovalPanel
from desktop.views.main_window import MainWindow

WindowAs = Callable[[str], MainWindow]
pytestmark = pytest.mark.usefixtures("one_login_per_window")
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


class Clock:
    """The panel's clock, set from the test (its countdowns tick against it)."""

    def __init__(self) -> None:
        self.now = dt.datetime(2025, 3, 12, 16, 10, tzinfo=MOSCOW).astimezone(dt.UTC)

    def set(self, day: int, hour: int, minute: int) -> None:
        self.now = dt.datetime(2025, 3, day, hour, minute, tzinfo=MOSCOW).astimezone(dt.UTC)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    found = Clock()
    monkeypatch.setattr(approval_panel, "utcnow", lambda: found.now)
    return found


@pytest.fixture
def desk(office: Office) -> Desk:
    return Desk(office, "otradnensky-2021")


def submitted(desk: Desk, text: str = "Заделаем яму завтра утром.") -> tuple[int, int]:
    """A message routed to ЖКХ at 14:00 whose draft came in at 16:00 (review due 16:30)."""
    desk.at(12, 14, 0)
    incident = desk.register("Яма у дома 5 на ул. Мира", author_name="Пётр")
    executor = desk.executors["ЖКХ"]
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept("ЖКХ"), executor.employee_id)])
    desk.at(12, 16, 0)
    return incident, desk.svc(executor).submit_draft(incident, text)


def panel_of(qtbot: QtBot, window: MainWindow, rows: int = 1) -> ApprovalPanel:
    panel = window.approvals.panel
    qtbot.waitUntil(lambda: panel.model.rowCount() == rows, timeout=5_000)
    return panel


def select(qtbot: QtBot, panel: ApprovalPanel, answer_id: int) -> None:
    qtbot.waitUntil(lambda: panel.model.position_of(answer_id) is not None, timeout=5_000)
    panel.select_answer(answer_id)
    qtbot.waitUntil(
        lambda: (
            panel.detail is not None and panel.detail.answer_id == answer_id and not panel.pending
        ),
        timeout=5_000,
    )


def press(qtbot: QtBot, window: MainWindow, panel: ApprovalPanel, key: Qt.Key) -> None:
    window.activateWindow()
    panel.table.setFocus()
    qtbot.waitUntil(panel.table.hasFocus)
    qtbot.keyClick(panel.table, key, CTRL_SHIFT)


def spans(html: str, kind: str) -> list[str]:
    return [s.strip() for s in re.findall(rf'<span class="{kind}"[^>]*>(.*?)</span>', html)]


def test_the_panel_is_offered_to_those_who_decide_on_drafts(
    qtbot: QtBot, desk: Desk, window_as: WindowAs, clock: Clock
) -> None:
    executor = window_as("executor0")
    toggle = executor.approvals.toggleViewAction()
    qtbot.waitUntil(lambda: executor.approvals.allowed is False, timeout=5_000)
    assert not executor.approvals.isVisible() and not toggle.isVisible()
    assert not executor.view_menu.menuAction().isVisible()
    curator = window_as("curator")
    qtbot.waitUntil(curator.approvals.isVisible, timeout=5_000)
    toggle = curator.approvals.toggleViewAction()
    assert toggle in curator.view_menu.actions() and toggle.isVisible()
    assert curator.view_menu.title() == "&Вид" and curator.view_menu.menuAction().isVisible()
    assert curator.dockWidgetArea(curator.approvals) is Qt.DockWidgetArea.RightDockWidgetArea
    assert curator.approvals.windowTitle() == "Согласование"
    toggle.trigger()
    assert not curator.approvals.isVisible()
    toggle.trigger()
    assert curator.approvals.isVisible()
    panel = curator.approvals.panel
    assert panel.empty.isVisible() and panel.model.rowCount() == 0
    assert [b.text() for b in panel.buttons.values()] == [
        "Согласовать\nCtrl+Shift+A",
        "С правкой…\nCtrl+Shift+E",
        "На доработку…\nCtrl+Shift+R",
    ]


def test_a_curator_returns_a_draft_and_then_sees_exactly_the_reworked_words(
    qtbot: QtBot, desk: Desk, window_as: WindowAs, clock: Clock
) -> None:
    incident, first = submitted(desk)
    window = window_as("curator")
    panel = panel_of(qtbot, window)
    model = panel.model
    assert model.index(0, Column.NUMBER).data() == "1"
    assert model.index(0, Column.KIND).data() == "Ответ"
    assert model.index(0, Column.DEPARTMENT).data() == "ЖКХ"
    assert model.index(0, Column.LEFT).data() == "20 мин раб."  # due 16:30, now 16:10
    assert model.index(0, Column.LEFT).data(Qt.ItemDataRole.ForegroundRole) is None
    clock.set(12, 16, 45)  # the countdown ticks by itself, once a second
    qtbot.waitUntil(
        lambda: model.index(0, Column.LEFT).data() == "просрочено на 15 мин раб.", timeout=3_000
    )
    red = model.index(0, Column.LEFT).data(Qt.ItemDataRole.ForegroundRole)
    assert red.color() == QColor("#842029")

    select(qtbot, panel, first)
    assert "Яма у дома 5 на ул. Мира" in panel.message.toPlainText()
    assert "Пётр" in panel.message.toPlainText()
    assert panel.draft.toPlainText() == "Заделаем яму завтра утром."
    assert panel.diff.toPlainText() == FIRST_VERSION
    assert "Замечаний ещё не было" in panel.decisions.toPlainText()

    press(qtbot, window, panel, Qt.Key.Key_R)
    dialog = window.approvals.controller.dialog
    assert isinstance(dialog, ReturnDialog)
    assert not dialog.ok.isEnabled()
    assert not dialog.set_due.isVisibleTo(dialog)  # п. 15 sets the rework time itself
    assert [box.text() for box in dialog.reasons.values()] == [
        "не соответствует сути вопроса",
        "не соответствует требованиям к ответу",
        "переадресация в другой орган",
        "орфографические и пунктуационные ошибки",
        "другое",
    ]
    dialog.reasons[ReturnReason.SPELLING].setChecked(True)
    assert dialog.ok.isEnabled()
    dialog.reasons[ReturnReason.OTHER].setChecked(True)
    assert not dialog.ok.isEnabled()  # «другое» needs a comment
    dialog.comment.setPlainText("Укажите адрес и срок")
    assert dialog.ok.isEnabled()
    dialog.ok.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5_000)
    review = Review.get(Review.answer == first)
    assert review.decision is ReviewDecision.RETURN
    assert review.reasons == ["spelling", "other"] and review.comment == "Укажите адрес и срок"
    row = window.model.row_for(incident)
    assert row is not None and row.status is IncidentStatus.REWORK  # the queue row, at once
    assert model.rowCount() == 0 and panel.detail is None
    assert "возвращён на доработку" in panel.status.text()

    # The executor reworks the draft on another workstation.
    desk.at(12, 16, 50)
    second = desk.svc(desk.executors["ЖКХ"]).submit_draft(
        incident, "Заделаем яму у дома 5 сегодня утром."
    )
    panel_of(qtbot, window)
    select(qtbot, panel, second)
    assert model.index(0, Column.KIND).data() == "Ответ, ред. 2"
    assert spans(panel.diff_html, "del") == ["завтра"]
    assert spans(panel.diff_html, "ins") == ["у дома 5 сегодня"]
    assert "line-through" in panel.diff_html and "underline" in panel.diff_html
    assert "ред. 1" in panel.diff_caption.text()
    notes = panel.decisions.toPlainText()
    assert "вернул(а) на доработку" in notes and "Curator Тест" in notes
    assert "орфографические и пунктуационные ошибки" in notes and "другое" in notes
    assert "Укажите адрес и срок" in notes


def test_approve_with_edits_shows_the_edit_and_makes_a_new_version(
    qtbot: QtBot, desk: Desk, window_as: WindowAs, clock: Clock
) -> None:
    incident, answer = submitted(desk, "Яму заделаем завтра.")
    window = window_as("curator")
    panel = panel_of(qtbot, window)
    select(qtbot, panel, answer)
    press(qtbot, window, panel, Qt.Key.Key_E)
    editor = window.approvals.controller.dialog
    assert isinstance(editor, EditDraftDialog)
    assert editor.text == "Яму заделаем завтра." and not editor.ok.isEnabled()
    editor.editor.setPlainText("Яму у дома 5 заделаем завтра до 12:00.")
    editor.update_preview()
    assert spans(editor.preview_html, "ins") == ["у дома 5", "завтра до 12:00."]
    assert spans(editor.preview_html, "del") == ["завтра."]
    assert editor.ok.isEnabled()
    editor.ok.click()
    qtbot.waitUntil(lambda: not editor.isVisible(), timeout=5_000)
    versions = list(AnswerVersion.select().order_by(AnswerVersion.id))
    assert [(v.number, v.status) for v in versions] == [
        (1, AnswerStatus.SUPERSEDED),
        (2, AnswerStatus.APPROVED),
    ]
    assert versions[1].text == "Яму у дома 5 заделаем завтра до 12:00."
    assert Review.get().decision is ReviewDecision.APPROVE_WITH_EDITS
    row = window.model.row_for(incident)
    assert row is not None and row.status is IncidentStatus.APPROVED
    assert panel.model.rowCount() == 0


def test_two_curators_racing_the_second_is_told_and_nothing_changes(
    qtbot: QtBot, desk: Desk, window_as: WindowAs, clock: Clock
) -> None:
    desk.person("curator2", None, Role.CURATOR)
    incident, answer = submitted(desk)
    first, second = window_as("curator"), window_as("curator2")
    panels = [panel_of(qtbot, w) for w in (first, second)]
    for panel in panels:
        select(qtbot, panel, answer)
    press(qtbot, second, panels[1], Qt.Key.Key_R)
    dialog = second.approvals.controller.dialog
    assert isinstance(dialog, ReturnDialog)
    dialog.reasons[ReturnReason.FORMAT].setChecked(True)
    # Both decide in the same moment: one approves, the other returns.
    panels[0].buttons[ReviewDecision.APPROVE].click()
    dialog.ok.click()
    qtbot.waitUntil(lambda: not (panels[0].busy or panels[1].busy), timeout=5_000)
    [review] = Review.select()
    winner, loser = (0, 1) if review.decision is ReviewDecision.APPROVE else (1, 0)
    names = ("Curator Тест", "Curator2 Тест")
    assert "согласован" in panels[0].status.text() or winner == 1
    told = panels[loser].status.text()
    assert told.startswith(f"Проект уже рассмотрел(а) {names[winner]} в ")
    assert told.endswith("ничего не изменено.")
    assert "color: #b02a37" in panels[loser].status.styleSheet()
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: panels[loser].model.rowCount() == 0, timeout=5_000)
    assert Review.select().count() == 1
    expected = AnswerStatus.APPROVED if winner == 0 else AnswerStatus.RETURNED
    assert AnswerVersion.get_by_id(answer).status is expected
    kinds = [s.kind for s in Step.select().where(Step.incident == incident)]
    assert kinds.count(StepKind.PUBLISH) + kinds.count(StepKind.REWORK) == 1


def test_barnaul_the_department_head_approves_in_the_panel_before_the_curator_sees_it(
    qtbot: QtBot, office: Office, window_as: WindowAs, clock: Clock
) -> None:
    desk = Desk(office, "barnaul-leninsky")
    desk.at(12, 10, 0)
    incident = desk.register(
        source="upstream",
        external_number="ИМ-7",
        external_deadline=dt.datetime(2025, 3, 13, 12, 0, tzinfo=MOSCOW),
    )
    desk.svc(desk.curator).route(
        incident,
        [RouteTarget(desk.dept("ЖКХ"))],
        draft_due=dt.datetime(2025, 3, 12, 16, 0, tzinfo=MOSCOW),
    )
    desk.at(12, 10, 30)
    desk.svc(desk.heads["ЖКХ"]).accept(incident)
    desk.at(12, 15, 0)
    answer = desk.svc(desk.executors["ЖКХ"]).submit_draft(incident, "Ответ отдела")
    curator = window_as("curator")
    head = window_as("head0")
    qtbot.waitUntil(curator.approvals.isVisible, timeout=5_000)
    assert curator.approvals.panel.model.rowCount() == 0  # the deputy agrees first (п. 5)
    panel = panel_of(qtbot, head)
    assert panel.model.index(0, Column.KIND).data() == "Ответ (рук. органа)"
    select(qtbot, panel, answer)
    assert not panel.buttons[ReviewDecision.APPROVE_WITH_EDITS].isVisibleTo(panel)
    assert panel.buttons[ReviewDecision.APPROVE].isEnabled()
    press(qtbot, head, panel, Qt.Key.Key_E)  # no «with edits» for a department head
    assert head.approvals.controller.dialog is None
    press(qtbot, head, panel, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0, timeout=5_000)
    assert Review.get().stage.value == "department"

    curator_panel = panel_of(qtbot, curator)  # the change feed brings it to the curator
    select(qtbot, curator_panel, answer)
    assert "Head0 Тест" in curator_panel.decisions.toPlainText()
    assert "руководитель органа" in curator_panel.decisions.toPlainText()
    press(qtbot, curator, curator_panel, Qt.Key.Key_R)
    dialog = curator.approvals.controller.dialog
    assert isinstance(dialog, ReturnDialog)
    assert dialog.set_due.isVisibleTo(dialog)  # п. 6: «в срок, установленный Контролером»
    dialog.reject()
    curator_panel.buttons[ReviewDecision.APPROVE].click()
    qtbot.waitUntil(lambda: curator_panel.model.rowCount() == 0, timeout=5_000)
    row = curator.model.row_for(incident)
    assert row is not None and row.status is IncidentStatus.APPROVED


def test_the_approval_model_passes_the_model_tester(
    qtbot: QtBot, desk: Desk, clock: Clock, qtmodeltester: Any
) -> None:
    submitted(desk)
    rows = waiting_for(desk.curator, MOSCOW)
    model = ApprovalModel(MOSCOW, now=lambda: clock.now)
    model.set_calendar(office_work_calendar(), MOSCOW)
    model.set_rows(rows)
    qtmodeltester.check(model)
    model.tick()
    qtmodeltester.check(model)


def test_with_the_panel_open_the_window_fits_a_laptop_screen(
    qtbot: QtBot, desk: Desk, window_as: WindowAs
) -> None:
    window = window_as("curator")
    qtbot.waitUntil(window.approvals.isVisible, timeout=5_000)
    assert window.minimumSizeHint().width() <= 1366  # the common 1366×768 office laptop


def test_the_drafts_photo_opens_from_the_panel(
    qtbot: QtBot,
    desk: Desk,
    window_as: WindowAs,
    clock: Clock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from desktop.services.attachments import attach_to_answer

    _, answer = submitted(desk)
    photo = tmp_path / "яма.jpg"
    photo.write_bytes(b"\xff\xd8 photo")
    attach_to_answer(desk.office, desk.executors["ЖКХ"], answer, photo)
    opened: list[str] = []
    monkeypatch.setattr(
        approval_panel.QDesktopServices,
        "openUrl",
        lambda url: opened.append(url.toLocalFile()) or True,
    )
    window = window_as("curator")
    panel = panel_of(qtbot, window)
    select(qtbot, panel, answer)
    assert "яма.jpg" in panel.attachments.text()
    panel.attachments.linkActivated.emit("0")
    [path] = opened
    assert Path(path).read_bytes() == b"\xff\xd8 photo"  # the stored copy on the share
