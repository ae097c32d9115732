"""Russian spell checking (desktop/services/spelling.py) with the shipped Hunspell ru_RU."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.models.entities import AuditEvent
from desktop.models.enums import Role
from desktop.services import spelling
from desktop.services.audit import verify_chain
from desktop.services.errors import AccessDenied, SpellingUnavailable, ValidationError
from desktop.services.office import Office
from desktop.services.paths import resources_dir
from desktop.services.session import CurrentUser
from desktop.services.settings import get_value
from desktop.services.spelling import (
    Misspelling,
    OfficeWords,
    Speller,
    add_office_word,
    office_word_list,
    office_words,
    remove_office_word,
)

MakeUser = Callable[..., CurrentUser]
SPELLING = Path(__file__).resolve().parent.parent / "resources" / "spelling"

ANSWER = (
    "Уважаемая Анна Сергеевна! Благодарим вас за обращение. По информации управления ЖКХ "
    "администрации района, работы по ремонту уличного освещения на ул. Советской в ст. "
    "Отрадной завершены 12.03.2025, а светильники заменены на светодиодные. Дополнительно "
    "сообщаем, что вывоз крупногабаритного мусора с контейнерной площадки по адресу: "
    "ул. Ленина, д. 5, будет выполнен до конца текущей недели. Ещё раз приносим извинения за "
    "доставленные неудобства; если что-то повторится, сообщите нам еще раз. Подробнее — на "
    "сайте https://otradnaya.ru/news?id=15 и по телефону 8 (86144) 3-35-35, а также в МФЦ. "
    "Вопросы можно направить на e-mail admin@otradnaya.ru или в сообщения группы "
    "@otradnaya_adm. #Отрадная #благоустройство"
)


@pytest.fixture(scope="module")
def speller() -> Speller:
    return Speller()


def findings(speller: Speller, text: str, words: OfficeWords | None = None) -> list[str]:
    return [m.word for m in speller.misspelled(text, words)]


# --- the dictionary ------------------------------------------------------------------------


def test_the_dictionary_is_shipped_with_its_license_and_origin() -> None:
    assert resources_dir() / "spelling" == SPELLING
    aff, dic = SPELLING / "ru_RU.aff", SPELLING / "ru_RU.dic"
    assert spelling.aff_encoding(aff) == "UTF-8"
    lines = dic.read_text(encoding="utf-8").splitlines()
    assert int(lines[0]) == len(lines) - 1 > 140_000
    license_text = (SPELLING / "LICENSE-ru_RU.txt").read_text(encoding="utf-8")
    assert "Alexander I. Lebedev" in license_text
    assert "Modified versions must be clearly marked as such" in license_text
    readme = (SPELLING / "README.md").read_text(encoding="utf-8")
    for fact in ("hunspell-ru", "7.5.0", "Lebedev", "LICENSE-ru_RU.txt", "SET UTF-8"):
        assert fact in readme


def test_a_dictionary_in_koi8_r_is_read_in_its_own_encoding(tmp_path: Path) -> None:
    (tmp_path / "ru_TEST.aff").write_bytes("SET KOI8-R\nSFX A Y 1\nSFX A 0 ы .\n".encode("koi8-r"))
    (tmp_path / "ru_TEST.dic").write_bytes("2\nслон/A\nёж\n".encode("koi8-r"))

    koi8 = Speller(tmp_path, "ru_TEST")

    assert koi8.encoding == "KOI8-R"
    assert findings(koi8, "слон, слоны, ёж; слонв") == ["слонв"]
    assert findings(koi8, "слонї") == ["слонї"]  # a letter KOI8-R has not got


def test_a_missing_dictionary_is_reported_in_russian(tmp_path: Path) -> None:
    with pytest.raises(SpellingUnavailable, match="нет файла словаря"):
        Speller(tmp_path)


def test_a_non_ascii_path_on_windows_goes_to_hunspell_as_utf8() -> None:
    profile = Path("/Users/Иванова/Otklik")
    assert spelling._path_encoding(profile, "posix") is None
    assert spelling._path_encoding(profile, "nt") == "UTF-8"
    assert spelling._path_encoding(Path("/Program Files/Otklik"), "nt") is None


# --- misspellings --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typo", "correction"),
    [
        ("приветсвую", "приветствую"),
        ("зделаем", "сделаем"),
        ("пожалусто", "пожалуйста"),
        ("администарции", "администрации"),
        ("благоустройсво", "благоустройство"),
        ("отвественный", "ответственный"),
        ("придомавой", "придомовой"),
        ("осфальт", "асфальт"),
        ("коментарий", "комментарий"),
        ("расмотрено", "рассмотрено"),
        ("извените", "извините"),
        ("вобщем", "в общем"),
    ],
)
def test_a_known_misspelling_is_found_with_the_right_first_suggestion(
    speller: Speller, typo: str, correction: str
) -> None:
    text = f"Добрый день! Мы {typo} всё, что нужно."

    [found] = speller.misspelled(text)

    start = text.index(typo)
    assert found == Misspelling(start, start + len(typo), typo)
    assert speller.suggestions(found.word)[0] == correction


def test_suggestions_keep_the_case_and_respect_the_limit(speller: Speller) -> None:
    assert speller.suggestions("Приветсвую")[0] == "Приветствую"
    assert speller.suggestions("ПРИВЕТСВУЮ")[0] == "ПРИВЕТСТВУЮ"
    assert speller.suggestions("Масква")[0] == "Москва"
    assert len(speller.suggestions("зделаем", limit=2)) == 2
    assert speller.suggestions("зделаем", limit=6) == ["сделаем", "делаем", "вделаем", "заделаем"]


def test_a_realistic_answer_has_no_findings(speller: Speller) -> None:
    assert speller.misspelled(ANSWER) == []


def test_yo_written_as_ye_is_not_an_error(speller: Speller) -> None:
    text = "Еще раз: ещё, её и ее, пришел и пришёл, зеленого и зелёного, Семен и Семён, ЕЩЕ."
    assert findings(speller, text) == []


def test_abbreviations_in_capitals_pass_up_to_five_letters(speller: Speller) -> None:
    assert findings(speller, "ЖКХ, МФЦ, ГИБДД, МКД, СНТ, ТКО и ИЖС") == []
    assert findings(speller, "ЗДРАВСТВУЙТЕ, ЖИТЕЛИ! ЗДРАВСТВУЙЕТ") == ["ЗДРАВСТВУЙЕТ"]
    assert findings(speller, "ГИБДДД") == ["ГИБДДД"]  # six letters: checked


def test_hyphenated_words(speller: Speller) -> None:
    text = (
        "Что-то из-за погоды, кое-как, во-первых, по-русски; Ростов-на-Дону и Санкт-Петербург; "
        "жилищно-коммунального; ЖКХ-службы и IT-отдел; пресс-служба — ответ"
    )
    assert findings(speller, text) == []
    text = "Он что-тто сказал"
    assert speller.misspelled(text) == [Misspelling(3, 10, "что-тто")]


def test_links_addresses_numbers_mentions_and_latin_are_skipped(speller: Speller) -> None:
    text = (
        "См. https://vk.com/wall-123_456?w=абвгд, www.otradnaya.ru/зщшк и госуслуги.рф/жкхщ; "
        "пишите на ivanov.ii@mail.ru или @ivanov_ii, #хештегщщ #ЖКХ2025. "
        "5-го числа, 2024г, 10км, COVID-19, № 123, 3-35-35. WhatsApp и Telegram, e-mail."
    )
    assert findings(speller, text) == []


def test_initials_and_abbreviations_with_a_full_stop(speller: Speller) -> None:
    text = "Иванов И. И., г. Отрадная, мкр. Северный, пгт. Южный, обл., т. е., и т. д., р-н"
    assert findings(speller, text) == []


def test_capitals_at_the_start_and_proper_names(speller: Speller) -> None:
    assert findings(speller, "Спасибо. Благодарим. Мы в Москве.") == []
    assert findings(speller, "мы в москве") == ["москве"]
    assert speller.suggestions("москве")[0] == "Москве"


def test_latin_letters_inside_a_russian_word_are_an_error(speller: Speller) -> None:
    text = "Cпасибо за обращениe"  # Latin C and Latin e
    assert findings(speller, text) == ["Cпасибо", "обращениe"]
    assert speller.suggestions("Cпасибо")[0] == "Спасибо"
    assert speller.suggestions("обращениe")[0] == "обращение"


def test_stress_marks_and_soft_hyphens_do_not_split_a_word(speller: Speller) -> None:
    assert findings(speller, "за\u0301мок и обра\u00adщение") == []


def test_grammar_is_not_spelling(speller: Speller) -> None:
    assert findings(speller, "в течении недели") == []  # «в течение» is grammar, not spelling


def test_a_recheck_after_an_edit_looks_up_only_the_new_word(
    speller: Speller, monkeypatch: pytest.MonkeyPatch
) -> None:
    speller.misspelled(ANSWER)
    looked_up: list[str] = []
    original = speller._lookup

    def counting(word: str) -> bool:
        looked_up.append(word)
        return original(word)

    monkeypatch.setattr(speller, "_lookup", counting)
    edited = ANSWER.replace("неудобства", "неудобствва")

    assert findings(speller, edited) == ["неудобствва"]
    assert looked_up == ["неудобствва"]


def test_the_speller_loads_once_in_the_background(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("_loaded", "_failed", "_loader"):
        monkeypatch.setattr(spelling, name, None)
    assert spelling.ready_speller() is None

    spelling.start_loading()
    spelling.start_loading()  # once
    assert spelling._loader is not None
    spelling._loader.join(timeout=30)

    loaded = spelling.ready_speller()
    assert loaded is not None
    assert spelling.speller() is loaded
    assert loaded.load_seconds < 5


def test_a_failed_load_is_reported_every_time(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ("_loaded", "_failed", "_loader"):
        monkeypatch.setattr(spelling, name, None)
    monkeypatch.setattr(spelling, "resources_dir", lambda: tmp_path)

    for _ in range(2):
        with pytest.raises(SpellingUnavailable):
            spelling.speller()
    assert spelling.ready_speller() is None


# --- the office's words --------------------------------------------------------------------


def test_office_words_cover_their_case_forms() -> None:
    words = OfficeWords(["Отрадная", "Спокойненское", "Подгорная", "Иванов", "Кубань", "Ейск"])
    for form in (
        "Отрадной",
        "ОТРАДНУЮ",
        "отрадная",
        "Спокойненского",
        "Спокойненском",
        "Подгорной",
        "Иванова",
        "Ивановым",
        "Кубанью",
        "Ейска",
    ):
        assert form in words, form
    for other in ("Отрадн", "Отрадненский", "Спокойный", "Ива", "Кубинка"):
        assert other not in words, other


_LETTERS = st.text(alphabet="абвгдежзийклмнопрстуфхцчшщъыьэюя -", max_size=12)


@given(_LETTERS, _LETTERS)
def test_the_quick_bound_never_exceeds_the_distance(a: str, b: str) -> None:
    assert spelling._at_least(a, Counter(a), b, Counter(b)) <= spelling.distance(a, b)


def test_near_office_words_are_suggested_from_a_long_list() -> None:
    lines = (SPELLING / "ru_RU.dic").read_text(encoding="utf-8").splitlines()[1:5001]
    words = OfficeWords([*(line.split("/")[0] for line in lines), "Спокойненское"])
    assert words.near("Спокойненскае") == ["Спокойненское"]
    assert words.near("Cпокойненское") == ["Спокойненское"]  # a Latin C


def test_an_added_word_is_not_flagged_and_a_removed_one_is_again(
    office: Office, make_user: MakeUser, speller: Speller
) -> None:
    executor = make_user("petrova", Role.EXECUTOR)
    text = "Жители Отрадненского района и станицы Спокойненской обратились к нам."
    assert findings(speller, text, office_word_list()) == ["Отрадненского", "Спокойненской"]

    assert add_office_word(executor, " Отрадненский ")
    assert add_office_word(executor, "Спокойненская")
    assert not add_office_word(executor, "ОТРАДНЕНСКИЙ")  # there already

    assert office_words() == ["Отрадненский", "Спокойненская"]
    assert get_value(spelling.WORDS_KEY) == ["Отрадненский", "Спокойненская"]
    assert findings(speller, text, office_word_list()) == []
    assert speller.suggestions("Отрадненскый", words=office_word_list())[0] == "Отрадненский"

    assert remove_office_word(executor, "отрадненский")
    assert not remove_office_word(executor, "отрадненский")
    assert office_words() == ["Спокойненская"]
    assert findings(speller, text, office_word_list()) == ["Отрадненского"]

    events = [
        (e.action, e.before, e.after, e.actor_login)
        for e in AuditEvent.select().where(AuditEvent.entity == "setting").order_by(AuditEvent.id)
    ]
    assert events == [
        ("add_spelling_word", None, {"spelling.words": "Отрадненский"}, "petrova"),
        ("add_spelling_word", None, {"spelling.words": "Спокойненская"}, "petrova"),
        ("remove_spelling_word", {"spelling.words": "Отрадненский"}, None, "petrova"),
    ]
    assert verify_chain().ok


@pytest.mark.parametrize("role", [Role.EXECUTOR, Role.CURATOR, Role.ADMINISTRATOR])
def test_who_writes_answers_and_the_administrator_keep_the_list(
    office: Office, make_user: MakeUser, role: Role
) -> None:
    user = make_user("someone", role)
    assert add_office_word(user, "Подгорная")
    assert remove_office_word(user, "Подгорная")


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.DEPARTMENT_HEAD, Role.MANAGER])
def test_others_may_not_change_the_list(office: Office, make_user: MakeUser, role: Role) -> None:
    writer = make_user("writer", Role.CURATOR)
    add_office_word(writer, "Подгорная")
    other = make_user("other", role)

    with pytest.raises(AccessDenied, match="словарь"):
        add_office_word(other, "Отрадная")
    with pytest.raises(AccessDenied):
        remove_office_word(other, "Подгорная")
    assert office_words() == ["Подгорная"]


@pytest.mark.parametrize(
    "word",
    ["", "   ", "два слова", "5-й", "Отрадная!", "Cпасибо", "ул.", "а" * 61, "под_горная"],
)
def test_only_single_words_go_into_the_list(office: Office, make_user: MakeUser, word: str) -> None:
    user = make_user("writer", Role.CURATOR)
    with pytest.raises(ValidationError):
        add_office_word(user, word)
    assert office_words() == []


def test_the_list_of_a_new_office_is_empty(office: Office) -> None:
    assert office_words() == []
    assert len(office_word_list()) == 0
