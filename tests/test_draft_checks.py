"""All checks of an answer in one call (desktop/services/draft_checks.py)."""

from __future__ import annotations

import pytest

from desktop.models.enums import Network
from desktop.services.draft_checks import (
    SPELLING_PENDING,
    AnswerChecks,
    Issue,
    IssueKind,
    Severity,
    check_answer,
    plural,
    thousands,
)
from desktop.services.spelling import NO_WORDS, OfficeWords, Speller, speller

NBSP = "\u00a0"


@pytest.fixture(scope="module")
def loaded() -> Speller:
    return speller()


def check(
    text: str,
    loaded: Speller,
    network: Network | None = Network.VK,
    words: OfficeWords = NO_WORDS,
    allowed: tuple[str, ...] = (),
) -> AnswerChecks:
    return check_answer(text, network, speller=loaded, words=words, allowed=allowed)


def spans(checks: AnswerChecks, kind: IssueKind) -> list[str]:
    return [checks.text[i.start : i.end] for i in checks.of_kind(kind)]


# --- each kind -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Превет! Ремонт закончим в мае.", ["Превет"]),
        ("Мы зделаем это и приветсвую вас.", ["зделаем", "приветсвую"]),
        ("Благодарим за обращение.", []),
        ("Яму на ул. Советской заделаем до 5-го числа, МФЦ откроется.", []),
        ("Пишите на admin@otradnaya.ru или https://otradnaya.ru/news", []),
    ],
)
def test_spelling_issues_are_warnings_at_the_words(
    loaded: Speller, text: str, words: list[str]
) -> None:
    checks = check(text, loaded)
    assert spans(checks, IssueKind.SPELLING) == words
    for issue in checks.of_kind(IssueKind.SPELLING):
        assert issue.severity is Severity.WARNING
        assert issue.text in issue.rule and "словарь офиса" in issue.rule


def test_office_words_are_not_misspellings_in_any_case_form(loaded: Speller) -> None:
    text = "Ремонт в станице Спокойненской закончен."
    assert spans(check(text, loaded), IssueKind.SPELLING) == ["Спокойненской"]
    words = OfficeWords(["Спокойненская"])
    assert check(text, loaded, words=words).of_kind(IssueKind.SPELLING) == ()


@pytest.mark.parametrize(
    ("text", "found", "detail"),
    [
        ("Позвоните мне: +7 918 123-45-67.", "+7 918 123-45-67", "phone"),
        ("Ответ пришлём на ivan.petrov@mail.ru", "ivan.petrov@mail.ru", "email"),
        ("Заявитель проживает по ул. Ленина, д. 5, кв. 12.", "ул. Ленина, д. 5, кв. 12", None),
        ("СНИЛС 112-233-445 95 указан в заявлении.", "112-233-445 95", "snils"),
    ],
)
def test_personal_data_asks_for_confirmation(
    loaded: Speller, text: str, found: str, detail: str | None
) -> None:
    checks = check(text, loaded)
    [issue] = checks.of_kind(IssueKind.PERSONAL_DATA)
    assert issue.text == found == text[issue.start : issue.end]
    assert issue.severity is Severity.CONFIRM and checks.needs_confirmation
    assert "152-ФЗ" in issue.rule
    assert detail is None or issue.detail == detail


def test_the_offices_own_contacts_are_allowed(loaded: Speller) -> None:
    text = "Звоните в приёмную: 8 (86144) 3-35-35 или пишите admin@otradnaya.ru."
    assert check(text, loaded).of_kind(IssueKind.PERSONAL_DATA) != ()
    allowed = ("+7 86144 33535", "@otradnaya.ru")
    checks = check(text, loaded, allowed=allowed)
    assert checks.of_kind(IssueKind.PERSONAL_DATA) == () and not checks.needs_confirmation


@pytest.mark.parametrize(
    ("text", "phrase", "detail"),
    [
        ("В настоящее время ремонт идёт.", "В настоящее время", "officialese"),
        ("Вывоз осуществляется по графику.", "осуществляется", "officialese"),
        ("Ваше обращение рассмотрено.", "Ваше обращение рассмотрено", "non_answer"),
    ],
)
def test_style_hints_are_gentle(loaded: Speller, text: str, phrase: str, detail: str) -> None:
    checks = check(text, loaded)
    [issue] = checks.of_kind(IssueKind.STYLE)
    assert (issue.text, issue.detail, issue.severity) == (phrase, detail, Severity.HINT)
    assert f"«{phrase}»" in issue.rule
    assert checks.worst is Severity.HINT and not checks.needs_confirmation


@pytest.mark.parametrize(
    ("length", "network", "over"),
    [
        (4096, Network.TELEGRAM, False),
        (4097, Network.TELEGRAM, True),
        (2201, Network.INSTAGRAM, True),
        (281, Network.X, True),
        (20_000, Network.VK, False),
        (20_000, None, False),
    ],
)
def test_length_past_the_networks_limit(
    loaded: Speller, length: int, network: Network | None, over: bool
) -> None:
    text = ("ремонт " * 3000)[:length]
    checks = check(text, loaded, network=network)
    issues = checks.of_kind(IssueKind.LENGTH)
    assert bool(issues) == over
    if over:
        assert network is not None
        [issue] = issues
        assert (issue.end, issue.severity) == (length, Severity.WARNING)
        assert issue.start == checks.limit and issue.text == text[issue.start :]


# --- together --------------------------------------------------------------------------------

COMBINED = (
    "Превет! В настоящее время ремонт осуществляется. Звоните: +7 918 123-45-67 "
    "или пишите ivan@mail.ru, зделаем."
)


def test_all_kinds_in_text_order(loaded: Speller) -> None:
    checks = check(COMBINED, loaded)
    assert [(i.kind, i.text) for i in checks.issues] == [
        (IssueKind.SPELLING, "Превет"),
        (IssueKind.STYLE, "В настоящее время"),
        (IssueKind.STYLE, "осуществляется"),
        (IssueKind.PERSONAL_DATA, "+7 918 123-45-67"),
        (IssueKind.PERSONAL_DATA, "ivan@mail.ru"),
        (IssueKind.SPELLING, "зделаем"),
    ]
    assert all(COMBINED[i.start : i.end] == i.text for i in checks.issues)
    assert checks.worst is Severity.CONFIRM and checks.needs_confirmation


def test_the_summary_lists_the_gravest_first(loaded: Speller) -> None:
    text = COMBINED + " Превет ещё раз. " + "ремонт " * 600
    checks = check(text, loaded, network=Network.TELEGRAM)
    assert checks.summary() == [
        "Персональные данные: телефон +7 918 123-45-67; e-mail ivan@mail.ru",
        "2 слова с ошибками: Превет, зделаем",
        f"Длина 4{NBSP}{len(text) - 4000} знаков при пределе Telegram 4{NBSP}096",
        "Канцелярит: в настоящее время, осуществляется",
    ]
    assert checks.brief() == (
        f"Персональные данные: 2 · Ошибки: 3 · Стиль: 2 · Длина: 4{NBSP}"
        f"{len(text) - 4000} из 4{NBSP}096"
    )


def test_the_summary_names_non_answers_and_counts_many_words(loaded: Speller) -> None:
    typos = ["превет", "зделаем", "приветсвую", "пожалуста", "отвественный", "абвгдеж"]
    typos += ["ёжзийк", "вгджзк", "ааааааааааааааааааааааааааааааааааааа", "клмнпрст"]
    text = "Ваше обращение рассмотрено. " + " ".join(typos * 2)
    summary = check(text, loaded).summary()
    assert "Отписка: ваше обращение рассмотрено" in summary
    [words] = [line for line in summary if "с ошибками" in line]
    assert words == (
        "10 слов с ошибками: превет, зделаем, приветсвую, пожалуста, отвественный, "
        "абвгдеж, ёжзийк, вгджзк и ещё 2"
    )
    [long] = [i.text for i in check(typos[8], loaded).issues]
    assert check(long, loaded).summary() == [f"1 слово с ошибкой: {'а' * 29}…"]


def test_a_clean_answer_has_nothing_to_say(loaded: Speller) -> None:
    checks = check("Здравствуйте! Яму заделаем до пятницы.", loaded)
    assert checks.issues == () and checks.summary() == [] and checks.worst is None
    assert checks.brief() == "Замечаний нет"


def test_while_the_speller_loads_the_rest_is_checked(loaded: Speller) -> None:
    checks = check_answer(COMBINED, Network.VK, speller=None, words=NO_WORDS)
    assert checks.spelling_pending and checks.of_kind(IssueKind.SPELLING) == ()
    assert len(checks.of_kind(IssueKind.PERSONAL_DATA)) == 2
    assert checks.summary()[-1] == SPELLING_PENDING
    assert checks.brief().endswith("орфография загружается")


def test_an_unavailable_speller_is_said_once(loaded: Speller) -> None:
    why = "Проверка орфографии недоступна: нет файла словаря."
    checks = check_answer(
        "Превет", Network.VK, speller=None, words=NO_WORDS, spelling_unavailable=why
    )
    assert not checks.spelling_pending and checks.summary() == [why]


def test_emoji_do_not_shift_the_offsets(loaded: Speller) -> None:
    text = "👍🏻 Спасибо! 😀 Превет, звоните +7 918 123-45-67 👨‍👩‍👧 в настоящее время"
    checks = check(text, loaded)
    assert [(i.kind, text[i.start : i.end]) for i in checks.issues] == [
        (IssueKind.SPELLING, "Превет"),
        (IssueKind.PERSONAL_DATA, "+7 918 123-45-67"),
        (IssueKind.STYLE, "в настоящее время"),
    ]
    assert checks.at(text.index("Превет") + 2) == checks.issues[:1]
    assert checks.at(text.index("😀")) == ()


def test_at_lists_every_issue_over_a_character(loaded: Speller) -> None:
    text = "Данныйй вопрос"  # a typo inside nothing else, then a phrase next to it
    checks = check(text, loaded)
    first = checks.at(0)
    assert [i.kind for i in first] == [IssueKind.SPELLING]
    assert isinstance(first[0], Issue) and checks.at(len(text)) == ()


@pytest.mark.parametrize(
    ("count", "form"),
    [(1, "слово"), (2, "слова"), (4, "слова"), (5, "слов"), (11, "слов"), (12, "слов"),
     (21, "слово"), (22, "слова"), (111, "слов"), (101, "слово")],
)  # fmt: skip
def test_plural(count: int, form: str) -> None:
    assert plural(count, "слово", "слова", "слов") == form


def test_thousands() -> None:
    assert (thousands(96), thousands(4096), thousands(1_234_567)) == (
        "96",
        f"4{NBSP}096",
        f"1{NBSP}234{NBSP}567",
    )
