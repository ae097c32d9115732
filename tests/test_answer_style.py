"""Style hints: officialese and formal non-answers found in their word forms, and length."""

from __future__ import annotations

import pytest

from desktop.models.enums import Network
from desktop.services.answer_style import HintKind, length_problem, style_hints


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("В настоящее время ремонт идёт.", "В настоящее время"),
        ("Вывоз мусора осуществляется по графику.", "осуществляется"),
        ("Ремонт осуществлялся в мае.", "осуществлялся"),
        ("В целях безопасности дорогу закрыли.", "В целях"),
        ("В связи с тем, что подрядчик опоздал", "В связи с тем, что"),
        ("Данная улица в плане.", "Данная"),
        ("Покос травы производится еженедельно.", "производится"),
    ],
)
def test_officialese_is_hinted_in_its_word_forms(text: str, phrase: str) -> None:
    [hint] = style_hints(text)
    assert (hint.kind, hint.phrase) == (HintKind.OFFICIALESE, phrase)
    assert text[hint.start : hint.end] == phrase and hint.advice


@pytest.mark.parametrize(
    "text",
    [
        "Ваше обращение рассмотрено.",
        "Информация принята к сведению.",
        "Вопрос будет рассмотрен в установленном порядке.",
        "Ремонт выполним по мере финансирования.",
        "Вопрос находится на контроле.",
    ],
)
def test_formal_non_answers_are_hinted(text: str) -> None:
    assert [h.kind for h in style_hints(text)] == [HintKind.NON_ANSWER]


@pytest.mark.parametrize(
    "text",
    [
        "Здравствуйте! Яму у дома 5 заделаем до пятницы, 14 марта.",
        "Сейчас бригада чистит ливнёвку; к вечеру вода уйдёт.",
        "Данилов переулок отремонтируют летом.",  # «Данилов» is not «данный»
    ],
)
def test_plain_answers_get_no_hints(text: str) -> None:
    assert style_hints(text) == []


def test_hints_come_in_reading_order_and_do_not_overlap() -> None:
    text = "В настоящее время вопрос находится на контроле, данный ремонт в плане."
    hints = style_hints(text)
    assert [(h.kind, h.phrase) for h in hints] == [
        (HintKind.OFFICIALESE, "В настоящее время"),
        (HintKind.NON_ANSWER, "вопрос находится на контроле"),
        (HintKind.OFFICIALESE, "данный"),
    ]


def test_length_limits_of_networks() -> None:
    assert length_problem("а" * 4096, Network.TELEGRAM) is None
    problem = length_problem("а" * 4097, Network.TELEGRAM)
    assert problem == "Текст длиннее, чем принимает соцсеть: 4097 знаков из 4096 допустимых."
    assert length_problem("а" * 281, Network.X) is not None
    assert length_problem("а" * 20_000, Network.VK) is None
