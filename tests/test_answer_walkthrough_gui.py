"""One answer from the first word to its publication, through the executor's and the
curator's real windows: write → checks → submit → return with reasons → rework → the diff
shows exactly the changed words → approve → publish."""

from __future__ import annotations

import re

import pytest
from desk import Desk
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from test_card_gui import WindowAs, click_row

from desktop.models.entities import AnswerVersion, Incident, Publication, Review
from desktop.models.enums import AnswerStatus, IncidentStatus, ReturnReason, ReviewDecision
from desktop.services.incident_card import CardAction
from desktop.services.incidents import RouteTarget
from desktop.services.office import Office
from desktop.views.answer_text_edit import AnswerTextEdit
from desktop.views.approval_dialogs import ReturnDialog
from desktop.views.draft_editor import DraftEditor
from desktop.views.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("one_login_per_window")
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def desk(office: Office) -> Desk:
    return Desk(office, "otradnensky-2021")


def spans(html: str, kind: str) -> list[str]:
    return [s.strip() for s in re.findall(rf'<span class="{kind}"[^>]*>(.*?)</span>', html)]


def point_at(edit: AnswerTextEdit, index: int) -> QPoint:
    cursor = QTextCursor(edit.document())
    cursor.setPosition(index)
    rect = edit.cursorRect(cursor)
    return QPoint(rect.x() + 3, rect.center().y())


def open_editor(qtbot: QtBot, window: MainWindow, incident: int) -> DraftEditor:
    click_row(qtbot, window, incident)
    button = window.card.buttons[CardAction.WRITE_DRAFT]
    qtbot.waitUntil(lambda: button.isVisible() and button.isEnabled(), timeout=5_000)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(window.drafts.editors), timeout=5_000)
    [editor] = window.drafts.editors.values()
    return editor


def submit(qtbot: QtBot, editor: DraftEditor) -> None:
    with qtbot.waitSignal(editor.finished, timeout=5_000):
        qtbot.mouseClick(editor.submit, Qt.MouseButton.LeftButton)


def decide(qtbot: QtBot, curator: MainWindow, key: Qt.Key, answer_id: int) -> None:
    panel = curator.approvals.panel
    qtbot.waitUntil(lambda: panel.model.position_of(answer_id) is not None, timeout=5_000)
    panel.select_answer(answer_id)
    qtbot.waitUntil(
        lambda: panel.detail is not None and panel.detail.answer_id == answer_id, timeout=5_000
    )
    qtbot.waitUntil(lambda: not panel.pending, timeout=5_000)
    curator.activateWindow()
    panel.table.setFocus()
    qtbot.waitUntil(panel.table.hasFocus, timeout=5_000)
    qtbot.keyClick(panel.table, key, CTRL_SHIFT)


def test_an_answer_from_the_first_word_to_publication(
    qtbot: QtBot, desk: Desk, window_as: WindowAs
) -> None:
    incident = desk.register(
        "Здравствуйте! У дома 5 на ул. Мира огромная яма. Когда заделаете?",
        author_name="Пётр Иванов",
        author_url="https://vk.com/id555",
    )
    executor_id = desk.executors["ЖКХ"].employee_id
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept("ЖКХ"), executor_id)])
    executor = window_as("executor0")
    curator = window_as("curator")

    # --- the executor writes; the checks speak up at submit ------------------------------
    editor = open_editor(qtbot, executor, incident)
    text = "Пётр, здравствуйте! Яму зделаем завтра. Звоните: +7 918 123-45-67."
    editor.text.setPlainText(text)
    qtbot.mouseClick(editor.submit, Qt.MouseButton.LeftButton)
    summary = editor.question.text()
    assert "зделаем" in summary and "+7 918 123-45-67" in summary
    editor.question.button(QMessageBox.StandardButton.No).click()  # «Исправить»
    # The suggestion from the right-click menu puts the word right.
    menu = editor.text.context_menu_at(point_at(editor.text, text.index("зделаем") + 2))
    [fix] = [a for a in menu.actions() if a.text() == "сделаем"]
    fix.trigger()
    menu.deleteLater()
    cursor = editor.text.textCursor()  # and the phone goes
    cursor.setPosition(text.index(" Звоните"))
    cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
    cursor.removeSelectedText()
    assert editor.text.toPlainText() == "Пётр, здравствуйте! Яму сделаем завтра."
    assert editor.summary_question() == ""
    submit(qtbot, editor)
    [first] = AnswerVersion.select().where(AnswerVersion.status == AnswerStatus.SUBMITTED)

    # --- the curator returns it with reasons ---------------------------------------------
    decide(qtbot, curator, Qt.Key.Key_R, first.id)
    dialog = curator.approvals.controller.dialog
    assert isinstance(dialog, ReturnDialog)
    dialog.reasons[ReturnReason.NOT_MATCHING_QUESTION].setChecked(True)
    dialog.comment.setPlainText("Напишите, когда именно и у какого дома.")
    dialog.ok.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5_000)
    assert Incident.get_by_id(incident).status is IncidentStatus.REWORK

    # --- the executor sees why, reworks from the returned text ---------------------------
    qtbot.waitUntil(
        lambda: (
            executor.card.card is not None and executor.card.card.status is IncidentStatus.REWORK
        ),
        timeout=5_000,
    )
    editor = open_editor(qtbot, executor, incident)
    remarks = editor.context_tabs.currentWidget().toPlainText()  # type: ignore[attr-defined]
    assert "не соответствует сути вопроса" in remarks
    assert "Напишите, когда именно и у какого дома." in remarks
    assert editor.text.toPlainText() == "Пётр, здравствуйте! Яму сделаем завтра."
    editor.text.setPlainText("Пётр, здравствуйте! Яму у дома 5 сделаем завтра до 12:00.")
    submit(qtbot, editor)
    second = AnswerVersion.get(AnswerVersion.status == AnswerStatus.SUBMITTED)

    # --- the curator sees exactly the changed words, and approves ------------------------
    panel = curator.approvals.panel
    qtbot.waitUntil(lambda: panel.model.position_of(second.id) is not None, timeout=5_000)
    panel.select_answer(second.id)
    qtbot.waitUntil(
        lambda: panel.detail is not None and panel.detail.answer_id == second.id, timeout=5_000
    )
    assert spans(panel.diff_html, "ins") == ["у дома 5", "завтра до 12:00."]
    assert spans(panel.diff_html, "del") == ["завтра."]
    assert "Напишите, когда именно" in panel.decisions.toPlainText()
    decide(qtbot, curator, Qt.Key.Key_A, second.id)
    qtbot.waitUntil(
        lambda: AnswerVersion.get_by_id(second.id).status is AnswerStatus.APPROVED, timeout=5_000
    )
    assert [r.decision for r in Review.select().order_by(Review.id)] == [
        ReviewDecision.RETURN,
        ReviewDecision.APPROVE,
    ]

    # --- the executor publishes: one click copies, the link and moment are recorded ------
    click_row(qtbot, executor, incident)
    publish = executor.card.buttons[CardAction.PUBLISH]
    qtbot.waitUntil(lambda: publish.isVisible() and publish.isEnabled(), timeout=5_000)
    qtbot.mouseClick(publish, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: executor.drafts.publish_dialog is not None, timeout=5_000)
    form = executor.drafts.publish_dialog
    assert form is not None
    qtbot.mouseClick(form.copy, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == (
        "[id555|Пётр], здравствуйте! Яму у дома 5 сделаем завтра до 12:00."
    )
    form.url.setText("https://vk.com/wall-1_1?reply=9")
    with qtbot.waitSignal(form.finished, timeout=5_000):
        qtbot.mouseClick(form.ok, Qt.MouseButton.LeftButton)
    [published] = Publication.select()
    assert published.answer_id == second.id and published.url.endswith("reply=9")
    assert Incident.get_by_id(incident).status is IncidentStatus.ANSWERED
