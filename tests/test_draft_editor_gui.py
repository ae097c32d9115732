"""The executor's answer editor in the real window: context, templates, checks at submit,
autosave on focus change and through an outage, and the publication form."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from desk import Desk
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from test_card_gui import WindowAs, click_row

from desktop.models.entities import AnswerVersion, Attachment, Publication
from desktop.models.enums import (
    AnswerKind,
    AnswerStatus,
    ExplanationGround,
    ReviewDecision,
    Role,
)
from desktop.services.draft_autosave import draft_key, keep_locally, pending_for
from desktop.services.draft_journal import DraftJournal
from desktop.services.incident_card import CardAction
from desktop.services.incidents import RouteTarget
from desktop.services.office import Office
from desktop.services.word_diff import Change
from desktop.views import draft_controller
from desktop.views.draft_editor import DraftEditor
from desktop.views.main_window import ConnectionState, MainWindow


@pytest.fixture
def desk(office: Office) -> Desk:
    return Desk(office, "otradnensky-2021")


def routed(desk: Desk, text: str = "Яма на ул. Мира у дома 5, когда заделаете?") -> int:
    incident = desk.register(text, author_name="Пётр Иванов")
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept("ЖКХ"))])
    return incident


def open_editor(qtbot: QtBot, window: MainWindow, incident: int) -> DraftEditor:
    click_row(qtbot, window, incident)
    button = window.card.buttons[CardAction.WRITE_DRAFT]
    assert button.isVisible() and button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(window.drafts.editors), timeout=5_000)
    [editor] = window.drafts.editors.values()
    return editor


def working_text(incident: int) -> str | None:
    row = AnswerVersion.get_or_none(
        (AnswerVersion.incident == incident) & (AnswerVersion.status == AnswerStatus.DRAFT)
    )
    return None if row is None else row.text


def test_the_editor_shows_the_message_and_fills_a_template(
    qtbot: QtBot, desk: Desk, window_as: WindowAs
) -> None:
    incident = routed(desk)
    window = window_as("executor0")
    editor = open_editor(qtbot, window, incident)
    assert editor.windowTitle() == "Ответ на сообщение № 1"
    message = editor.context_tabs.widget(0)
    assert "Яма на ул. Мира" in message.toPlainText()  # type: ignore[attr-defined]
    assert "Пётр Иванов" in message.toPlainText()  # type: ignore[attr-defined]
    kinds = [editor.kind.itemData(i) for i in range(editor.kind.count())]
    assert AnswerKind.FINAL in kinds and AnswerKind.INTERIM in kinds
    actions = editor.templates.menu().actions()
    assert actions, "the template library is offered"
    actions[0].trigger()
    text = editor.text.toPlainText()
    assert text and "{" not in text.split("Пётр")[0]  # the author's field is filled
    assert "Пётр" in text or "№ 1" in text or "ЖКХ" in text


def test_checks_are_summarised_at_submit_and_the_draft_goes_for_approval(
    qtbot: QtBot, desk: Desk, window_as: WindowAs
) -> None:
    incident = routed(desk)
    window = window_as("executor0")
    editor = open_editor(qtbot, window, incident)
    editor.text.setPlainText("Превет! Позвоните мне: +7 918 123-45-67, зделаем яму.")
    qtbot.mouseClick(editor.submit, Qt.MouseButton.LeftButton)
    question = editor.question
    assert question.isVisible()
    summary = question.text()
    assert "Превет" in summary and "зделаем" in summary
    assert "+7 918 123-45-67" in summary
    question.button(QMessageBox.StandardButton.No).click()  # «Исправить»
    assert AnswerVersion.select().where(AnswerVersion.status == AnswerStatus.SUBMITTED).count() == 0
    editor.text.setPlainText("Здравствуйте! Яму на ул. Мира заделаем до 20 марта.")
    with qtbot.waitSignal(editor.finished, timeout=5_000):
        qtbot.keyClick(editor.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    [submitted] = AnswerVersion.select().where(AnswerVersion.status == AnswerStatus.SUBMITTED)
    assert submitted.text == "Здравствуйте! Яму на ул. Мира заделаем до 20 марта."
    assert working_text(incident) is None  # the working copy is replaced by the version
    assert DraftJournal().pending(str(desk.office.path)) == []
    assert not window.drafts.editors
    qtbot.waitUntil(lambda: "отправлен" in window.notice_banner.label.text(), timeout=5_000)


def test_leaving_the_text_saves_it_at_once(qtbot: QtBot, desk: Desk, window_as: WindowAs) -> None:
    incident = routed(desk)
    window = window_as("executor0")
    editor = open_editor(qtbot, window, incident)
    editor.activateWindow()
    editor.text.setFocus()
    qtbot.waitUntil(editor.text.hasFocus, timeout=5_000)
    editor.text.insertPlainText("Здравствуйте! Яму заделаем")
    editor.kind.setFocus()  # the focus moves on: no waiting for the interval
    qtbot.waitUntil(lambda: working_text(incident) == "Здравствуйте! Яму заделаем", timeout=5_000)
    qtbot.waitUntil(lambda: editor.save_state.text().startswith("Сохранено"), timeout=5_000)


def test_typing_through_an_outage_is_kept_and_written_when_the_share_returns(
    qtbot: QtBot, desk: Desk, window_as: WindowAs
) -> None:
    incident = routed(desk)
    window = window_as("executor0")
    editor = open_editor(qtbot, window, incident)
    share = desk.office.path.parent
    hidden = share.with_name("share-unplugged")
    share.rename(hidden)
    try:
        qtbot.waitUntil(lambda: window.state == ConnectionState.OFFLINE, timeout=5_000)
        editor.text.setPlainText("Набрано без связи с общей папкой")
        assert editor.text.isEnabled()  # typing goes on offline
        editor.autosaver.save_now()  # type: ignore[union-attr]
        assert "на этом компьютере" in editor.save_state.text()
        [kept] = DraftJournal().pending(str(desk.office.path))
        assert kept.text == "Набрано без связи с общей папкой"
    finally:
        hidden.rename(share)
    qtbot.waitUntil(lambda: window.state == ConnectionState.ONLINE, timeout=5_000)
    qtbot.waitUntil(
        lambda: working_text(incident) == "Набрано без связи с общей папкой", timeout=5_000
    )
    qtbot.waitUntil(lambda: DraftJournal().pending(str(desk.office.path)) == [], timeout=5_000)


def test_a_closed_editor_reopens_with_the_text(
    qtbot: QtBot, desk: Desk, window_as: WindowAs
) -> None:
    incident = routed(desk)
    window = window_as("executor0")
    editor = open_editor(qtbot, window, incident)
    editor.text.setPlainText("Начало ответа")
    editor.close()
    qtbot.waitUntil(lambda: working_text(incident) == "Начало ответа", timeout=5_000)
    again = open_editor(qtbot, window, incident)
    assert again.text.toPlainText() == "Начало ответа"


def test_the_answer_is_published_with_a_link_and_copied_in_the_networks_format(
    qtbot: QtBot, desk: Desk, window_as: WindowAs
) -> None:
    incident = desk.register(
        "Когда починят фонарь?", author_name="Пётр Иванов", author_url="https://vk.com/id555"
    )
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept("ЖКХ"))])
    executor = desk.svc(desk.executors["ЖКХ"])
    answer = executor.submit_draft(incident, "Фонарь починим до пятницы.")
    desk.svc(desk.curator).review(incident, answer, ReviewDecision.APPROVE)
    window = window_as("executor0")
    click_row(qtbot, window, incident)
    button = window.card.buttons[CardAction.PUBLISH]
    assert button.isVisible() and button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.drafts.publish_dialog is not None, timeout=5_000)
    dialog = window.drafts.publish_dialog
    assert dialog is not None
    qtbot.mouseClick(dialog.copy, Qt.MouseButton.LeftButton)
    pasted = QApplication.clipboard().text()
    assert pasted == "[id555|Пётр Иванов], Фонарь починим до пятницы."
    assert not dialog.ok.isEnabled()  # a public answer needs its link
    dialog.url.setText("https://vk.com/wall-1_1?reply=77")
    with qtbot.waitSignal(dialog.finished, timeout=5_000):
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    [published] = Publication.select().where(Publication.incident == incident)
    assert published.url == "https://vk.com/wall-1_1?reply=77"
    assert AnswerVersion.get_by_id(answer).status is AnswerStatus.PUBLISHED
    assert Attachment.select().count() == 0


def test_photos_chosen_in_the_editor_go_with_the_submitted_answer(
    qtbot: QtBot, desk: Desk, window_as: WindowAs, tmp_path: Path
) -> None:
    incident = routed(desk)
    photo = tmp_path / "яма-заделана.jpg"
    photo.write_bytes(b"\xff\xd8 the photo")
    window = window_as("executor0")
    editor = open_editor(qtbot, window, incident)
    editor.add_files([photo, photo])  # the same file twice is one file
    assert editor.files.isVisibleTo(editor) and editor.chosen_files() == (photo,)
    editor.text.setPlainText("Яму заделали, фото прилагаем.")
    with qtbot.waitSignal(editor.finished, timeout=5_000):
        qtbot.mouseClick(editor.submit, Qt.MouseButton.LeftButton)
    [answer] = AnswerVersion.select().where(AnswerVersion.status == AnswerStatus.SUBMITTED)
    [attached] = Attachment.select()
    assert (attached.answer_id, attached.file_name) == (answer.id, "яма-заделана.jpg")


def test_a_missing_file_stops_the_submit_and_keeps_the_editor(
    qtbot: QtBot, desk: Desk, window_as: WindowAs, tmp_path: Path
) -> None:
    incident = routed(desk)
    window = window_as("executor0")
    editor = open_editor(qtbot, window, incident)
    editor.add_files([tmp_path / "удалён.jpg"])
    editor.text.setPlainText("Яму заделали.")
    qtbot.mouseClick(editor.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not editor.error.isHidden(), timeout=5_000)
    assert AnswerVersion.select().where(AnswerVersion.status == AnswerStatus.SUBMITTED).count() == 0
    assert editor.isVisible() and not editor.busy


def test_the_curators_edits_are_shown_to_the_executor_who_publishes(
    qtbot: QtBot, desk: Desk, window_as: WindowAs
) -> None:
    incident = routed(desk)
    answer = desk.svc(desk.executors["ЖКХ"]).submit_draft(incident, "Яму заделаем завтра.")
    desk.svc(desk.curator).review(
        incident,
        answer,
        ReviewDecision.APPROVE_WITH_EDITS,
        edited_text="Яму у дома 5 заделаем завтра.",
    )
    window = window_as("executor0")
    click_row(qtbot, window, incident)
    qtbot.mouseClick(window.card.buttons[CardAction.PUBLISH], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.drafts.publish_dialog is not None, timeout=5_000)
    dialog = window.drafts.publish_dialog
    assert dialog is not None and dialog.edits.isVisibleTo(dialog)
    shown = dialog.edits.toHtml()
    assert "Правки куратора" in dialog.edits.toPlainText() and "Curator Тест" in shown
    assert dialog.edit is not None
    inserted = [p.text.strip() for p in dialog.edit.diff if p.change is Change.INSERTED]
    assert inserted == ["у дома 5"] and "underline" in shown  # marked in the text shown
    assert dialog.answer.toPlainText().endswith("Яму у дома 5 заделаем завтра.")


def test_a_colleagues_copy_is_not_overwritten_without_asking_and_no_means_no(
    qtbot: QtBot, desk: Desk, window_as: WindowAs
) -> None:
    incident = routed(desk)
    colleague = desk.svc(desk.person("executor9", "ЖКХ", Role.EXECUTOR))
    mine = desk.svc(desk.executors["ЖКХ"]).save_working_draft(incident, "Начало")
    key = draft_key(desk.office, incident, int(desk.assignment(incident, "ЖКХ").id))
    # Typed here without the share; meanwhile a colleague saved over the same copy.
    keep_locally(DraftJournal(), key, "Мой текст, набранный без связи", AnswerKind.FINAL, 1)
    colleague.save_working_draft(incident, "Текст коллеги", expected_version=mine.version)
    window = window_as("executor0")
    editor = open_editor(qtbot, window, incident)
    assert editor.text.toPlainText() == "Мой текст, набранный без связи"  # restored on screen
    qtbot.waitUntil(lambda: window.drafts.question is not None, timeout=5_000)
    question = window.drafts.question
    assert question is not None and "Executor9 Тест" in question.text()
    assert working_text(incident) == "Текст коллеги"  # nothing written before the answer
    question.button(QMessageBox.StandardButton.No).click()
    editor.text.insertPlainText(" и ещё")
    editor.autosaver.save_now()  # type: ignore[union-attr]
    assert window.drafts.question is question  # not asked again on every autosave
    assert "только на этом компьютере" in editor.save_state.text()
    assert working_text(incident) == "Текст коллеги"
    assert pending_for(DraftJournal(), key) is not None  # and the user's text is kept


def test_the_editor_stays_until_its_submit_is_done_and_nothing_comes_back(
    qtbot: QtBot, desk: Desk, window_as: WindowAs, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    incident = routed(desk)
    photo = tmp_path / "видео.mp4"
    photo.write_bytes(b"video")
    release = threading.Event()
    real_store = draft_controller.store_file

    def slow_store(office: Office, path: Path) -> object:
        release.wait(10)  # a big video on a slow share
        return real_store(office, path)

    monkeypatch.setattr(draft_controller, "store_file", slow_store)
    window = window_as("executor0")
    editor = open_editor(qtbot, window, incident)
    editor.add_files([photo])
    editor.text.setPlainText("Яму заделали, видео прилагаем.")
    qtbot.mouseClick(editor.submit, Qt.MouseButton.LeftButton)
    assert editor.busy and editor.text.isReadOnly()
    editor.close()  # Esc, «Закрыть», the window's cross: it waits for the outcome
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert editor.isVisible()
    editor.text.setPlainText("Дописано во время отправки")  # a programmatic change, still
    editor.autosaver.save_now()  # type: ignore[union-attr]
    with qtbot.waitSignal(editor.finished, timeout=10_000):
        release.set()
    qtbot.waitUntil(lambda: "отправлен" in window.notice_banner.label.text(), timeout=5_000)
    assert working_text(incident) is None  # no working copy brought back by a late save
    [answer] = AnswerVersion.select().where(AnswerVersion.status == AnswerStatus.SUBMITTED)
    assert answer.text == "Яму заделали, видео прилагаем."


def test_an_explanations_ground_is_kept_with_the_text(
    qtbot: QtBot, office: Office, window_as: WindowAs
) -> None:
    desk = Desk(office, "okhinsky-2023")
    incident = routed(desk)
    window = window_as("executor0")
    editor = open_editor(qtbot, window, incident)
    editor.kind.setCurrentIndex(editor.kind.findData(AnswerKind.EXPLANATION))
    editor.ground.setCurrentIndex(editor.ground.findData(ExplanationGround.COURT_ACTS))
    editor.text.setPlainText("Решение суда обжалуется в апелляционном порядке.")
    editor.close()
    qtbot.waitUntil(lambda: working_text(incident) is not None, timeout=5_000)
    again = open_editor(qtbot, window, incident)
    assert again.chosen_kind() is AnswerKind.EXPLANATION
    assert again.chosen_ground() is ExplanationGround.COURT_ACTS
    assert again.text.toPlainText() == "Решение суда обжалуется в апелляционном порядке."
