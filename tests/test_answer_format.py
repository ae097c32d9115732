"""The answer as it is pasted into the network: addressed to the author, tidied, never cut."""

from __future__ import annotations

import pytest

from desktop.models.enums import Network
from desktop.services.answer_format import (
    answer_for_network,
    tidy,
    username_of,
    vk_mention_target,
)

N = Network
BODY = "Здравствуйте! Яму заделаем до пятницы."

CASES = [
    # network, author name, author link, text, expected
    (
        N.VK,
        "Анна",
        "https://vk.com/id123",
        BODY,
        "[id123|Анна], здравствуйте! Яму заделаем до пятницы.",
    ),
    (
        N.VK,
        "Анна Петрова",
        "vk.com/anna.petrova",
        BODY,
        "[anna.petrova|Анна Петрова], здравствуйте! Яму заделаем до пятницы.",
    ),
    (N.VK, "Анна", "https://m.vk.com/id7", "Яму заделаем.", "[id7|Анна], Яму заделаем."),
    (N.VK, "ТСЖ «Лесная»", "https://vk.com/club55", "Спасибо!", "[club55|ТСЖ «Лесная»], спасибо!"),
    (
        N.VK,
        "Паблик",
        "https://vk.ru/public9",
        BODY,
        "[public9|Паблик], здравствуйте! Яму заделаем до пятницы.",
    ),
    (N.VK, "Анна [модератор]", "https://vk.com/id1", "Ок", "[id1|Анна (модератор)], Ок"),
    # a link that is not a person's page: addressed by name
    (N.VK, "Анна", "https://vk.com/wall-1_5", BODY, "Анна, здравствуйте! Яму заделаем до пятницы."),
    (N.VK, "Анна", "", BODY, "Анна, здравствуйте! Яму заделаем до пятницы."),
    # the template already opens with the name: it becomes the mention, not a second address
    (N.VK, "Анна", "https://vk.com/id123", "Анна, здравствуйте!", "[id123|Анна], здравствуйте!"),
    (N.VK, "Анна", "https://vk.com/id123", "анна! Спасибо.", "[id123|Анна]! Спасибо."),
    # Only the given name in the greeting: it becomes the mention, shown as written.
    (N.VK, "Пётр Иванов", "https://vk.com/id5", "Пётр, добрый день!", "[id5|Пётр], добрый день!"),
    (N.TELEGRAM, "Пётр Иванов", "https://t.me/petr_iv", "Пётр, да.", "@petr_iv, да."),
    (
        N.VK,
        "Пётр Иванов",
        "https://vk.com/id5",
        "Петрович, да.",
        "[id5|Пётр Иванов], Петрович, да.",
    ),
    (N.VK, "Анна", "https://vk.com/id123", "Аннаграмма", "[id123|Анна], Аннаграмма"),
    (N.VK, "Анна", "https://vk.com/id123", "[id123|Анна], уже есть", "[id123|Анна], уже есть"),
    (
        N.TELEGRAM,
        "Анна",
        "https://t.me/anna_petrova",
        BODY,
        "@anna_petrova Здравствуйте! Яму заделаем до пятницы.",
    ),
    (
        N.TELEGRAM,
        "Анна",
        "https://t.me/anna_petrova",
        "Анна, добрый день",
        "@anna_petrova, добрый день",
    ),
    (
        N.TELEGRAM,
        "Анна",
        "https://t.me/c/12345/67",
        BODY,
        "Анна, здравствуйте! Яму заделаем до пятницы.",
    ),
    (N.TELEGRAM, "Анна", "https://t.me/+AbCdEf", "Ок", "Анна, Ок"),
    (N.TELEGRAM, "Анна", "https://t.me/ann", "Ок", "Анна, Ок"),  # too short for a username
    (N.X, "Anna", "https://x.com/anna_p", BODY, "@anna_p Здравствуйте! Яму заделаем до пятницы."),
    (N.X, "Anna", "https://twitter.com/anna_p/status/1", "Ок", "@anna_p Ок"),
    (N.X, "Anna", "https://x.com/search?q=1", "Ок", "Anna, Ок"),
    (N.OK, "Анна", "https://ok.ru/profile/5", BODY, "Анна, здравствуйте! Яму заделаем до пятницы."),
    (N.MAX, "Анна", "", "Спасибо за сообщение", "Анна, спасибо за сообщение"),
    (N.EMAIL, "Анна", "anna@example.ru", "ГИБДД проверит", "Анна, ГИБДД проверит"),
    # no name: no addressing
    (N.VK, "", "https://vk.com/id123", BODY, BODY),
    (N.TELEGRAM, "  ", "https://t.me/anna_petrova", BODY, BODY),
    # tidying: line endings, trailing spaces, blank lines
    (N.OK, "", "", "  \r\nПервый.  \r\n\r\n\r\n\r\nВторой.\r\n\r\n", "Первый.\n\nВторой."),
    (N.VK, "Анна", "https://vk.com/id1", "   ", ""),
]


@pytest.mark.parametrize(("network", "name", "url", "text", "expected"), CASES)
def test_answer_for_network(
    network: Network, name: str, url: str, text: str, expected: str
) -> None:
    assert answer_for_network(text, network, name, url) == expected


def test_x_is_never_cut_to_its_limit() -> None:
    long = "Очень длинный ответ. " * 40
    assert len(answer_for_network(long, N.X, "", "")) == len(long.strip()) > 280


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("https://vk.com/id123", "id123"),
        ("http://www.vk.com/id123/", "id123"),
        ("vk.com/event77", "club77"),
        ("https://vk.com/durov", "durov"),
        ("https://vk.com/feed", None),
        ("https://vk.com/photo1_2", None),
        ("https://vk.com/id123/photos", None),
        ("https://vk.com/12345", None),
        ("https://ok.ru/profile/1", None),
        ("", None),
    ],
)
def test_vk_mention_targets(url: str, target: str | None) -> None:
    assert vk_mention_target(url) == target


@pytest.mark.parametrize(
    ("url", "network", "username"),
    [
        ("t.me/anna_petrova", N.TELEGRAM, "anna_petrova"),
        ("https://telegram.me/Anna_P", N.TELEGRAM, "Anna_P"),
        ("https://t.me/joinchat/abc", N.TELEGRAM, None),
        ("https://t.me/1anna", N.TELEGRAM, None),
        ("https://x.com/@anna", N.X, "anna"),
        ("https://x.com/anna", N.TELEGRAM, None),  # the link and the network disagree
        ("https://t.me/anna_petrova", N.X, None),
    ],
)
def test_usernames(url: str, network: Network, username: str | None) -> None:
    assert username_of(url, network) == username


def test_tidy_keeps_one_empty_line_between_paragraphs() -> None:
    assert tidy("А\r\rБ\n\n\n\nВ  ") == "А\n\nБ\n\nВ"
