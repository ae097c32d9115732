"""Word-level diffs of answer versions: exactly the changed words, the rest untouched."""

from __future__ import annotations

from desktop.services.word_diff import Change, Piece, changed_words, word_diff


def test_a_replaced_word_is_deleted_and_inserted_in_place() -> None:
    pieces = word_diff("Заделаем яму завтра.", "Заделаем яму сегодня.")
    assert pieces == [
        Piece(Change.SAME, "Заделаем яму "),
        Piece(Change.DELETED, "завтра."),
        Piece(Change.SAME, " "),
        Piece(Change.INSERTED, "сегодня."),
    ]


def test_insertions_and_deletions_in_a_longer_answer() -> None:
    old = "Добрый день! Яму у дома заделаем в течение недели. С уважением, администрация."
    new = "Добрый день, Пётр! Яму у дома 5 заделаем сегодня. С уважением, администрация."
    deleted, inserted = changed_words(old, new)
    assert deleted == ["день!", "в", "течение", "недели."]
    assert inserted == ["день,", "Пётр!", "5", "сегодня."]
    rebuilt = "".join(p.text for p in word_diff(old, new) if p.change is not Change.DELETED)
    assert rebuilt.split() == new.split()


def test_the_same_text_has_no_changes_and_whitespace_is_not_a_change() -> None:
    text = "Ответ готов.\nСпасибо за обращение."
    assert word_diff(text, text) == [Piece(Change.SAME, text)]
    assert changed_words("Ответ  готов.", "Ответ готов.") == ([], [])


def test_from_nothing_everything_is_inserted() -> None:
    assert word_diff("", "Новый ответ") == [Piece(Change.INSERTED, "Новый ответ")]
    assert word_diff("Старый ответ", "") == [Piece(Change.DELETED, "Старый ответ")]
