"""The answer's text box: marks, tooltips, corrections and the office's words, in a real widget."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QHelpEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot

from desktop.services.draft_checks import AnswerChecks, IssueKind
from desktop.services.spelling import OfficeWords, Speller, speller
from desktop.services.vocabulary import Network
from desktop.views import answer_text_edit
from desktop.views.answer_text_edit import (
    CHECK_DELAY_MS,
    AnswerTextEdit,
    _SpellerWatch,
    _Utf16Map,
)

SPELL = QTextCharFormat.UnderlineStyle.SpellCheckUnderline
DOTTED = QTextCharFormat.UnderlineStyle.DotLine
NO_UNDERLINE = QTextCharFormat.UnderlineStyle.NoUnderline
PERSONAL_BACKGROUND = "#ffd8a8"
OVERFLOW_BACKGROUND = "#ffe3e3"


@pytest.fixture(scope="module")
def loaded() -> Speller:
    return speller()  # about a second, once: the widgets then find it ready


@pytest.fixture
def edit(qtbot: QtBot, loaded: Speller) -> Iterator[AnswerTextEdit]:
    widget = AnswerTextEdit(network=Network.VK)
    qtbot.addWidget(widget)
    widget.resize(640, 320)
    widget.show()
    yield widget


def put(qtbot: QtBot, edit: AnswerTextEdit, text: str) -> AnswerChecks:
    """Replace the text and wait for the check after the pause in typing."""
    with qtbot.waitSignal(edit.checks_changed, timeout=3000) as blocker:
        edit.setPlainText(text)
    checks = blocker.args[0]
    assert isinstance(checks, AnswerChecks) and checks.text == text
    return checks


def utf16(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2


def format_at(edit: AnswerTextEdit, position: int) -> QTextCharFormat:
    """The highlighter's format of the character at a document position (UTF-16)."""
    block = edit.document().findBlock(position)
    inside = position - block.position()
    ranges = block.layout().formats()
    for each in ranges:
        if each.start <= inside < each.start + each.length:
            return QTextCharFormat(each.format)  # a copy: the range's own dies with the list
    return QTextCharFormat()


def underlines(edit: AnswerTextEdit, text: str, start: int, end: int) -> set[object]:
    """The underline styles over text[start:end] (code points)."""
    return {
        format_at(edit, position).underlineStyle()
        for position in range(utf16(text, start), utf16(text, end))
    }


def point_at(edit: AnswerTextEdit, text: str, index: int) -> QPoint:
    """A viewport point over the character at `index` (code points)."""
    cursor = QTextCursor(edit.document())
    cursor.setPosition(utf16(text, index))
    rect = edit.cursorRect(cursor)
    return QPoint(rect.x() + 3, rect.center().y())


def action_texts(edit: AnswerTextEdit, pos: QPoint) -> list[str]:
    menu = edit.context_menu_at(pos)
    try:
        return [action.text() for action in menu.actions()]
    finally:
        menu.deleteLater()


def trigger(edit: AnswerTextEdit, pos: QPoint, text: str) -> None:
    menu = edit.context_menu_at(pos)
    [action] = [action for action in menu.actions() if action.text() == text]
    assert action.isEnabled()
    action.trigger()
    menu.deleteLater()


# --- spelling --------------------------------------------------------------------------------


def test_a_misspelt_word_is_underlined_after_a_pause(qtbot: QtBot, edit: AnswerTextEdit) -> None:
    text = "Превет! Мы всё сделаем до пятницы."
    edit.setPlainText(text)
    assert edit.checks().text == "" and underlines(edit, text, 0, 6) == {NO_UNDERLINE}
    with qtbot.waitSignal(edit.checks_changed, timeout=3000) as blocker:
        pass
    assert [i.text for i in blocker.args[0].of_kind(IssueKind.SPELLING)] == ["Превет"]
    assert underlines(edit, text, 0, 6) == {SPELL}
    assert format_at(edit, 0).underlineColor().name() == "#d32f2f"
    assert underlines(edit, text, 6, len(text)) == {NO_UNDERLINE}
    # Painting the marks is no edit: the check does not start itself again.
    with qtbot.assertNotEmitted(edit.checks_changed, wait=CHECK_DELAY_MS * 2):
        pass


def test_the_menu_offers_the_correction_and_it_replaces_the_word_in_one_undo_step(
    qtbot: QtBot, edit: AnswerTextEdit
) -> None:
    text = "Спасибо, мы зделаем ремонт."
    put(qtbot, edit, text)
    at = point_at(edit, text, text.index("зделаем") + 2)
    texts = action_texts(edit, at)
    assert texts[0] == "сделаем"
    assert "Добавить «зделаем» в словарь офиса" in texts
    assert any("Ctrl+C" in t for t in texts)  # the standard entries stay below
    assert "Слова «зделаем» нет в словаре" in edit.tooltip_at(at)

    with qtbot.waitSignal(edit.checks_changed, timeout=1000) as blocker:
        trigger(edit, at, "сделаем")
    assert edit.toPlainText() == "Спасибо, мы сделаем ремонт."
    assert blocker.args[0].issues == ()
    assert underlines(edit, edit.toPlainText(), 0, len(edit.toPlainText())) == {NO_UNDERLINE}
    assert edit.textCursor().position() == len("Спасибо, мы сделаем")

    edit.undo()
    assert edit.toPlainText() == text


def test_a_correct_word_has_no_corrections_in_its_menu(qtbot: QtBot, edit: AnswerTextEdit) -> None:
    text = "Спасибо, мы зделаем ремонт."
    put(qtbot, edit, text)
    texts = action_texts(edit, point_at(edit, text, 2))
    assert not any("словарь" in t for t in texts) and "сделаем" not in texts


def test_a_word_in_the_offices_list_is_not_underlined(qtbot: QtBot, edit: AnswerTextEdit) -> None:
    text = "Ремонт в станице Спокойненской закончен."
    start = text.index("Спокойненской")
    put(qtbot, edit, text)
    assert underlines(edit, text, start, start + len("Спокойненской")) == {SPELL}

    with qtbot.waitSignal(edit.checks_changed, timeout=1000) as blocker:
        edit.set_office_words(OfficeWords(["Спокойненская"]))
    assert blocker.args[0].issues == ()
    assert underlines(edit, text, 0, len(text)) == {NO_UNDERLINE}


def test_add_word_asks_the_owner_with_the_word(qtbot: QtBot, edit: AnswerTextEdit) -> None:
    text = "Ремонт в станице Спокойненской закончен."
    put(qtbot, edit, text)
    at = point_at(edit, text, text.index("Спокойненской") + 4)
    with qtbot.waitSignal(edit.add_word_requested, timeout=1000) as blocker:
        trigger(edit, at, "Добавить «Спокойненской» в словарь офиса")
    assert blocker.args == ["Спокойненской"]
    assert edit.toPlainText() == text  # the view itself changes nothing

    edit.set_word_adding_enabled(False)
    menu = edit.context_menu_at(at)
    [add] = [a for a in menu.actions() if a.text().startswith("Добавить")]
    assert not add.isEnabled()
    menu.deleteLater()


# --- personal data, style, length ------------------------------------------------------------


def test_a_phone_is_marked_and_its_tooltip_names_the_rule(
    qtbot: QtBot, edit: AnswerTextEdit
) -> None:
    text = "Позвоните мастеру: +7 918 123-45-67, он подъедет."
    start, end = text.index("+7"), text.index(", он")
    put(qtbot, edit, text)
    for position in range(start, end):
        marked = format_at(edit, position)
        assert marked.background().color().name() == PERSONAL_BACKGROUND
        assert marked.underlineStyle() == QTextCharFormat.UnderlineStyle.SingleUnderline
    assert format_at(edit, end).background().color().name() != PERSONAL_BACKGROUND

    at = point_at(edit, text, start + 5)
    tip = edit.tooltip_at(at)
    assert tip.startswith("Номер телефона:") and "152-ФЗ" in tip
    QApplication.sendEvent(
        edit.viewport(), QHelpEvent(QEvent.Type.ToolTip, at, edit.viewport().mapToGlobal(at))
    )
    qtbot.waitUntil(lambda: QToolTip.text() == tip, timeout=2000)
    QToolTip.hideText()

    with qtbot.waitSignal(edit.checks_changed, timeout=1000) as blocker:
        edit.set_allowed(["8 (918) 123-45-67"])  # the office's own line
    assert blocker.args[0].issues == ()
    assert format_at(edit, start).background().color().name() != PERSONAL_BACKGROUND
    assert edit.tooltip_at(at) == ""


def test_no_tooltip_off_the_text(qtbot: QtBot, edit: AnswerTextEdit) -> None:
    text = "Превет"
    put(qtbot, edit, text)
    assert edit.tooltip_at(point_at(edit, text, 1)) != ""
    assert edit.tooltip_at(QPoint(600, 300)) == ""  # below the only line
    right_of_the_end = point_at(edit, text, len(text))
    assert edit.tooltip_at(QPoint(right_of_the_end.x() + 40, right_of_the_end.y())) == ""


def test_style_hints_and_the_length_past_the_limit(qtbot: QtBot, edit: AnswerTextEdit) -> None:
    text = "В настоящее время ремонт идёт. " + "Работы ведутся. " * 20
    put(qtbot, edit, text)
    assert underlines(edit, text, 0, len("В настоящее время")) == {DOTTED}
    assert format_at(edit, 0).underlineColor().name() == "#1c7ed6"
    assert format_at(edit, 300).background().color().name() != OVERFLOW_BACKGROUND

    with qtbot.waitSignal(edit.checks_changed, timeout=1000) as blocker:
        edit.set_network(Network.X)
    [over] = blocker.args[0].of_kind(IssueKind.LENGTH)
    assert (over.start, over.end) == (280, len(text))
    assert format_at(edit, 279).background().color().name() != OVERFLOW_BACKGROUND
    assert format_at(edit, 280).background().color().name() == OVERFLOW_BACKGROUND
    assert "X (Twitter) принимает не больше 280 знаков" in edit.tooltip_at(
        point_at(edit, text, 300)
    )


def test_an_address_over_two_lines_is_marked_in_both(qtbot: QtBot, edit: AnswerTextEdit) -> None:
    text = "Заявитель проживает: ул. Ленина,\nд. 5, кв. 12. Спасибо."
    put(qtbot, edit, text)
    [issue] = edit.checks().of_kind(IssueKind.PERSONAL_DATA)
    assert issue.text == "ул. Ленина,\nд. 5, кв. 12"
    first_line_end = text.index("\n")
    for position in [*range(issue.start, first_line_end), *range(first_line_end + 1, issue.end)]:
        assert format_at(edit, position).background().color().name() == PERSONAL_BACKGROUND
    assert edit.document().blockCount() == 2


# --- emoji, edits, loading ---------------------------------------------------------------------


def test_emoji_before_a_misspelling_do_not_shift_the_underline(
    qtbot: QtBot, edit: AnswerTextEdit
) -> None:
    text = "👍🏻😀 Спасибо!\n👨‍👩‍👧 Превет, звоните +7 918 123-45-67"
    start = text.index("Превет")
    put(qtbot, edit, text)
    first = utf16(text, start)
    assert first == start + 6  # six code points outside the BMP before it (ZWJ is inside)
    assert {format_at(edit, p).underlineStyle() for p in range(first, first + 6)} == {SPELL}
    assert format_at(edit, first - 1).underlineStyle() == NO_UNDERLINE
    assert format_at(edit, first + 6).underlineStyle() == NO_UNDERLINE
    phone = utf16(text, text.index("+7"))
    assert format_at(edit, phone).background().color().name() == PERSONAL_BACKGROUND
    assert format_at(edit, phone - 1).background().color().name() != PERSONAL_BACKGROUND

    at = point_at(edit, text, start + 1)
    assert edit.tooltip_at(at).startswith("Слова «Превет» нет в словаре")
    trigger(edit, at, "Привет")
    assert edit.toPlainText() == text.replace("Превет", "Привет")


def test_marks_move_with_the_text_before_the_next_check(qtbot: QtBot, edit: AnswerTextEdit) -> None:
    text = "Спасибо! Превет и зделаем."
    put(qtbot, edit, text)
    cursor = QTextCursor(edit.document())
    cursor.insertText("Да. ")  # at the start, as typing would
    moved = "Да. " + text
    assert edit.checks().text == text  # not checked yet
    start = moved.index("Превет")
    assert underlines(edit, moved, start, start + 6) == {SPELL}
    assert underlines(edit, moved, start - 4, start) == {NO_UNDERLINE}

    cursor.setPosition(moved.index("зделаем") + 3)
    cursor.insertText("л")  # inside the word: the mark widens until the check
    edited = edit.toPlainText()
    start = edited.index("зделлаем")
    assert underlines(edit, edited, start, start + 8) == {SPELL}
    with qtbot.waitSignal(edit.checks_changed, timeout=3000) as blocker:
        pass
    assert [i.text for i in blocker.args[0].of_kind(IssueKind.SPELLING)] == [
        "Превет",
        "зделлаем",
    ]


def test_while_the_speller_loads_the_rest_is_checked_then_spelling(
    qtbot: QtBot, loaded: Speller, monkeypatch: pytest.MonkeyPatch
) -> None:
    watch = _SpellerWatch()  # not started: the test says when the speller is ready
    monkeypatch.setattr(answer_text_edit, "_watch", watch)
    monkeypatch.setattr(answer_text_edit, "ready_speller", lambda: None)
    edit = AnswerTextEdit()
    qtbot.addWidget(edit)
    text = "Превет, звоните +7 918 123-45-67"
    checks = put(qtbot, edit, text)
    assert checks.spelling_pending and checks.of_kind(IssueKind.SPELLING) == ()
    assert [i.kind for i in checks.issues] == [IssueKind.PERSONAL_DATA]
    assert underlines(edit, text, 0, 6) == {NO_UNDERLINE}

    with qtbot.waitSignal(edit.checks_changed, timeout=1000) as blocker:
        watch.loaded.emit(loaded)
    assert not blocker.args[0].spelling_pending
    assert underlines(edit, text, 0, 6) == {SPELL}


def test_a_speller_that_cannot_load_is_reported(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    watch = _SpellerWatch()
    monkeypatch.setattr(answer_text_edit, "_watch", watch)
    monkeypatch.setattr(answer_text_edit, "ready_speller", lambda: None)
    edit = AnswerTextEdit()
    qtbot.addWidget(edit)
    put(qtbot, edit, "Превет")
    why = "Проверка орфографии недоступна: не установлен пакет chunspell."
    with qtbot.waitSignal(edit.checks_changed, timeout=1000) as blocker:
        watch.failed.emit(why)
    assert blocker.args[0].summary() == [why]
    assert edit.context_menu_at(point_at(edit, "Превет", 1)).actions()[0].text() != "Привет"


@pytest.mark.parametrize(
    "text", ["", "abc", "😀", "a😀b", "😀😀x😀", "👨‍👩‍👧 y", "\U0001f600\n\U0001f600z"]
)
def test_utf16_map_round_trips(text: str) -> None:
    mapping = _Utf16Map(text)
    for index in range(len(text) + 1):
        position = mapping.to_utf16(index)
        assert position == utf16(text, index)
        assert mapping.to_index(position) == index
        if index < len(text) and ord(text[index]) > 0xFFFF:
            assert mapping.to_index(position + 1) == index  # inside the pair


def test_the_watcher_thread_reports_the_loaded_speller_to_the_gui_thread(
    qtbot: QtBot, loaded: Speller, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(answer_text_edit, "_watch", None)  # a real watcher thread starts
    monkeypatch.setattr(answer_text_edit, "ready_speller", lambda: None)
    edit = AnswerTextEdit()
    qtbot.addWidget(edit)
    edit.setPlainText("Превет")
    qtbot.waitUntil(
        lambda: [i.text for i in edit.checks().of_kind(IssueKind.SPELLING)] == ["Превет"],
        timeout=3000,
    )
    assert not edit.checks().spelling_pending
