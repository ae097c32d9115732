"""Personal data an answer must not publish: what is found, what is not, and which kind wins."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable

import pytest
from PySide6.QtGui import QTextCursor, QTextDocument

from desktop.services.personal_data import (
    RULES,
    Finding,
    PersonalDataKind,
    find_personal_data,
    is_valid_inn,
    is_valid_snils,
    passes_luhn,
    utf16_offset,
)

K = PersonalDataKind


def found(text: str, allowed: Iterable[str] = ()) -> list[tuple[PersonalDataKind, str]]:
    return [(f.kind, f.matched) for f in find_personal_data(text, allowed)]


POSITIVES: list[tuple[PersonalDataKind, str, str]] = [
    # Phones: +7 and 8, brackets, spaces, dashes, no-break characters, area codes of 3-5
    # digits; a mobile number's shape without the prefix; short city numbers after «тел.».
    (K.PHONE, "Позвоните мне: 8 (861) 234-56-78, пожалуйста", "8 (861) 234-56-78"),
    (K.PHONE, "мой номер +7 918 123 45 67, жду звонка", "+7 918 123 45 67"),
    (K.PHONE, "Иван, 89181234567 — это ваш номер?", "89181234567"),
    (K.PHONE, "звоните 8-918-123-45-67 после обеда", "8-918-123-45-67"),
    (K.PHONE, "WhatsApp +7(918)123-45-67.", "+7(918)123-45-67"),
    (K.PHONE, "сельсовет: 8 (86148) 3-45-67", "8 (86148) 3-45-67"),
    (K.PHONE, "Барнаул +7 (3852) 12-34-56", "+7 (3852) 12-34-56"),
    (K.PHONE, "сын оставил номер (918) 123-45-67", "(918) 123-45-67"),
    (K.PHONE, "его номер 918 123 45 67", "918 123 45 67"),
    (K.PHONE, "тел. 2-34-56", "2-34-56"),
    (K.PHONE, "по телефону 23-45-67 после 18:00", "23-45-67"),
    (K.PHONE, "Телефон: 234567", "234567"),
    (K.PHONE, "моб. 4951234567", "4951234567"),
    (K.PHONE, "сотовый 23-45-67", "23-45-67"),
    (K.PHONE, "тел 8 918 123 45 67 (Иван)", "8 918 123 45 67"),
    (K.PHONE, "приёмная (8-861) 234-56-78", "(8-861) 234-56-78"),
    (K.PHONE, "соседка (861) 234-56-78", "(861) 234-56-78"),
    (K.PHONE, "номер 8\u00a0918\u00a0123\u201145\u201167", "8\u00a0918\u00a0123\u201145\u201167"),
    # E-mails, Cyrillic domains included; a trailing full stop is not part of the address.
    (K.EMAIL, "пишите на ivan.petrov@mail.ru", "ivan.petrov@mail.ru"),
    (K.EMAIL, "почта@мэрия.рф", "почта@мэрия.рф"),
    (K.EMAIL, "Ответ придёт на Ivan_Petrov-1980@yandex.ru.", "Ivan_Petrov-1980@yandex.ru"),
    (K.EMAIL, "mailto:ivan@mail.ru", "ivan@mail.ru"),
    (K.EMAIL, "(petrov+news@gmail.com)", "petrov+news@gmail.com"),
    (K.EMAIL, "адрес: иванов@почта.рус", "иванов@почта.рус"),
    (K.EMAIL, "IVAN@MAIL.RU", "IVAN@MAIL.RU"),
    (K.EMAIL, "user@sub.domain.co.uk, ответ", "user@sub.domain.co.uk"),
    (K.EMAIL, "форма https://site.ru/f?email=ivan@mail.ru", "ivan@mail.ru"),
    # СНИЛС: any grouping with a valid check number, or anything after the word «СНИЛС».
    (K.SNILS, "СНИЛС 123-456-789 64", "123-456-789 64"),
    (K.SNILS, "номер 112-233-445 95 указан", "112-233-445 95"),
    (K.SNILS, "112 233 445 95", "112 233 445 95"),
    (K.SNILS, "112-233-445-95", "112-233-445-95"),
    (K.SNILS, "страховой номер 11223344595", "11223344595"),
    (K.SNILS, "СНИЛС: 123-456-789 00", "123-456-789 00"),
    (K.SNILS, "снилс 12345678964", "12345678964"),
    (K.SNILS, "старый номер 001-001-998 12", "001-001-998 12"),
    (K.SNILS, "987-654-321 83.", "987-654-321 83"),
    # ИНН: a person's 12 digits with valid check digits, or 10/12 digits after «ИНН».
    (K.INN, "ИНН 231234567867", "231234567867"),
    (K.INN, "заявитель 231234567867 просит", "231234567867"),
    (K.INN, "ИНН: 500123456750", "500123456750"),
    (K.INN, "ИНН 7707083893", "7707083893"),
    (K.INN, "ИНН 231234567800", "231234567800"),
    (K.INN, "ИНН № 770708389324", "770708389324"),
    (K.INN, "инн — 401234567831", "401234567831"),
    (K.INN, "номер ИНН 891812345666", "891812345666"),
    # Passports: 2-2-6 and 4-6 groups, or any spelling after «паспорт» / «серия».
    (K.PASSPORT, "паспорт серии 45 12 № 345678", "45 12 № 345678"),
    (K.PASSPORT, "данные 45 12 345678 проверены", "45 12 345678"),
    (K.PASSPORT, "4512 345678", "4512 345678"),
    (K.PASSPORT, "паспорт 4512345678", "4512345678"),
    (K.PASSPORT, "серия 4512 номер 345678", "4512 номер 345678"),
    (K.PASSPORT, "Паспорт: 45 12, 345678", "45 12, 345678"),
    (K.PASSPORT, "паспорт гражданина РФ 0304 123456", "0304 123456"),
    (K.PASSPORT, "паспортные данные: 45 12 № 345678", "45 12 № 345678"),
    (K.PASSPORT, "4512 № 345678", "4512 № 345678"),
    # Dates of birth: a date (or a year) next to words that say it is one.
    (K.BIRTH_DATE, "родился 01.02.1980", "01.02.1980"),
    (K.BIRTH_DATE, "родилась 1 февраля 1980 года", "1 февраля 1980"),
    (K.BIRTH_DATE, "Иванов И. И., 01.02.1980 г.р., обратился", "01.02.1980"),
    (K.BIRTH_DATE, "Петрова, 1.2.80 г.р.", "1.2.80"),
    (K.BIRTH_DATE, "дата рождения: 01.02.1980", "01.02.1980"),
    (K.BIRTH_DATE, "д.р. 01/02/1980", "01/02/1980"),
    (K.BIRTH_DATE, "Петров, 1980 г. р.", "1980"),
    (K.BIRTH_DATE, "1 февраля 1980 года рождения", "1 февраля 1980"),
    (K.BIRTH_DATE, "родился в 1980 году", "1980"),
    (K.BIRTH_DATE, "Дата рождения — 1 Февраля 1980", "1 Февраля 1980"),
    (K.BIRTH_DATE, "родилась в Барнауле 01.02.1980", "01.02.1980"),
    (K.BIRTH_DATE, "Сидоров 01.02.1980г.р.", "01.02.1980"),
    # Home addresses: an apartment makes a street and house someone's home, and so do words
    # saying someone lives there.
    (K.HOME_ADDRESS, "ул. Ленина, д. 5, кв. 12", "ул. Ленина, д. 5, кв. 12"),
    (K.HOME_ADDRESS, "живу Ленина 5-12, третий год", "Ленина 5-12"),
    (K.HOME_ADDRESS, "пер. Школьный 3 кв 7", "пер. Школьный 3 кв 7"),
    (K.HOME_ADDRESS, "проживаю на ул. Мира д.3 кв.45", "ул. Мира д.3 кв.45"),
    (
        K.HOME_ADDRESS,
        "улица Советская, дом 10а, квартира 7",
        "улица Советская, дом 10а, квартира 7",
    ),
    (K.HOME_ADDRESS, "пр-т Ленина 12/1 кв. 3", "пр-т Ленина 12/1 кв. 3"),
    (K.HOME_ADDRESS, "затопило д. 5, кв. 12", "д. 5, кв. 12"),
    (K.HOME_ADDRESS, "в кв. 12 в доме 5 по ул. Ленина", "кв. 12 в доме 5 по ул. Ленина"),
    (K.HOME_ADDRESS, "проживает по адресу: ул. Садовая, д. 14", "ул. Садовая, д. 14"),
    (K.HOME_ADDRESS, "ул. 50 лет Октября, д. 3, кв. 8", "ул. 50 лет Октября, д. 3, кв. 8"),
    (K.HOME_ADDRESS, "ул. Мира 3-7", "ул. Мира 3-7"),
    (K.HOME_ADDRESS, "Гагарина, 5, кв. 12", "Гагарина, 5, кв. 12"),
    (K.HOME_ADDRESS, "общежитие на ул. Ленина, 5, комн. 305", "ул. Ленина, 5, комн. 305"),
    (
        K.HOME_ADDRESS,
        "Красноармейский проспект, д. 5, кв. 1",
        "Красноармейский проспект, д. 5, кв. 1",
    ),
    (K.HOME_ADDRESS, "Ленинский пр-т 12-45", "Ленинский пр-т 12-45"),
    (K.HOME_ADDRESS, "ул.Ленина,д.5,кв.12", "ул.Ленина,д.5,кв.12"),
    (K.HOME_ADDRESS, "ул. Ленина, дом № 5, кв. 12", "ул. Ленина, дом № 5, кв. 12"),
    # Bank cards: 16-19 digits with a valid Luhn digit, grouped in fours or not.
    (K.BANK_CARD, "переведите на 4276 3800 1234 5679", "4276 3800 1234 5679"),
    (K.BANK_CARD, "карта 4276380012345679", "4276380012345679"),
    (K.BANK_CARD, "2202-2012-3456-7895", "2202-2012-3456-7895"),
    (K.BANK_CARD, "карта Мир 2200 1234 5678 9019.", "2200 1234 5678 9019"),
    (K.BANK_CARD, "5536 9123 4567 8906", "5536 9123 4567 8906"),
    (K.BANK_CARD, "2200123456789012341", "2200123456789012341"),
    (K.BANK_CARD, "4276\u00a03800\u00a01234\u00a05679", "4276\u00a03800\u00a01234\u00a05679"),
    (K.BANK_CARD, "2200 1234 5678 9012 341", "2200 1234 5678 9012 341"),
]


@pytest.mark.parametrize(("kind", "text", "matched"), POSITIVES)
def test_personal_data_is_found_with_its_exact_span(
    kind: PersonalDataKind, text: str, matched: str
) -> None:
    findings = find_personal_data(text)
    assert [(f.kind, f.matched) for f in findings] == [(kind, matched)]
    (finding,) = findings
    assert text[finding.start : finding.end] == matched
    assert finding.start == text.index(matched)


NEGATIVES: list[tuple[PersonalDataKind, str]] = [
    # A short number without «тел.» is anything; the office's hotlines are public.
    (K.PHONE, "Заявке присвоен код 2-34-56"),
    (K.PHONE, "Горячая линия 8-800-100-20-30 работает круглосуточно"),
    (K.PHONE, "телефон доверия 8 800 200-01-22"),
    (K.PHONE, "на ремонт выделено 89 123 456 789 руб."),
    (K.PHONE, "стоимость 8 918 123 45 67 руб."),
    (K.PHONE, "приём с 8 до 17 часов, 12.03.2025"),
    (K.PHONE, "ваше обращение № 1234 от 12.03.2025"),
    (K.PHONE, "Телефонограмма от 12.03.2025 № 15"),
    (K.PHONE, "в 2025 году выделено 8 млн рублей, 1 500 руб. на жителя"),
    (K.PHONE, "номер 8 918 123"),
    (K.PHONE, "рост на 8 9181234567 %"),
    (K.PHONE, "участки по 6 сот. 250000 руб. за каждый"),
    (K.PHONE, "Телефон диспетчерской ЕДДС 112"),
    # E-mails need a local part and a domain with a dot and letters.
    (K.EMAIL, "наш канал @otradnaya_adm"),
    (K.EMAIL, "https://medium.com/@ivanov/post"),
    (K.EMAIL, "ivan@localhost"),
    (K.EMAIL, "счёт 5@10.5"),
    (K.EMAIL, "адрес электронной почты не указан"),
    (K.EMAIL, "user@ mail.ru"),
    (K.EMAIL, "ivan(at)mail.ru"),
    (K.EMAIL, "собака @ в адресе"),
    # СНИЛС: a wrong check number without the word, or digits that are part of more.
    (K.SNILS, "123-456-789 01"),
    (K.SNILS, "12345678901"),
    (K.SNILS, "протокол 112-233-445"),
    (K.SNILS, "11223344595123"),
    (K.SNILS, "код 112:233:445:95"),
    (K.SNILS, "112-233-445 95 12"),
    (K.SNILS, "СНИЛС не требуется, приём 12.03.2025"),
    (K.SNILS, "СНИЛС 1234567"),
    # ИНН: bare 10 digits, wrong check digits without the word, longer runs.
    (K.INN, "231234567800"),
    (K.INN, "7707083893"),
    (K.INN, "счёт 40817810231234567867"),
    (K.INN, "ИНН 12345"),
    (K.INN, "ИНН 2312345678671"),
    (K.INN, "ИНН организации не нужен, приём 12.03.2025"),
    (K.INN, "ОГРН 1022301234567"),
    (K.INN, "ИННОВАЦИИ 2025"),
    # Passports: other groupings, other numbers.
    (K.PASSPORT, "паспорт готов, приходите 12.03.2025"),
    (K.PASSPORT, "номер 4512345678"),
    (K.PASSPORT, "45 12 34567"),
    (K.PASSPORT, "с 2024 по 2025 год"),
    (K.PASSPORT, "1 500 000 руб."),
    (K.PASSPORT, "паспорт объекта № 12"),
    (K.PASSPORT, "код 4512-345678"),
    (K.PASSPORT, "в 2024 году 345678 жителей"),
    (K.PASSPORT, "выделено 2025 123456 руб."),
    # Dates of birth: dates of works, acts and holidays; words that are not about birth.
    (K.BIRTH_DATE, "12.03.2025 отремонтируем"),
    (K.BIRTH_DATE, "постановление № 547 от 06.09.2021"),
    (K.BIRTH_DATE, "в день рождения города 12.06.2025 пройдёт праздник"),
    (K.BIRTH_DATE, "рожденные в 2024 году дети получат выплату 01.02.2025"),
    (K.BIRTH_DATE, "Он родился и вырос здесь, а с 12.03.2025 работает у нас"),
    (K.BIRTH_DATE, "Дом построен в 1980 году"),
    (K.BIRTH_DATE, "1 февраля 2025 года начнётся ремонт"),
    (K.BIRTH_DATE, "родился 32.13.1980"),
    (K.BIRTH_DATE, "рождаемость выросла в 2024 году"),
    (K.BIRTH_DATE, "родился проект в 2024, запуск 12.03.2025"),
    (K.BIRTH_DATE, "приём в 10:30 12.03.2025"),
    (K.BIRTH_DATE, "в 2025 г. р.п. Южный получит новую школу"),
    # Home addresses: a street and a house alone name a place, not a home; ranges of houses.
    (K.HOME_ADDRESS, "яму на ул. Ленина у дома 5 заделаем"),
    (K.HOME_ADDRESS, "ул. Ленина, д. 5"),
    (K.HOME_ADDRESS, "по адресу ул. Ленина, 5 выполнен ремонт"),
    (K.HOME_ADDRESS, "дома 5-12 по ул. Ленина"),
    (K.HOME_ADDRESS, "отключение: ул. Ленина, 1-15"),
    (K.HOME_ADDRESS, "ул. Ленина 5–12"),
    (K.HOME_ADDRESS, "площадь квартиры 50 кв. м"),
    (K.HOME_ADDRESS, "Итоги 2 кв. 2025 года"),
    (K.HOME_ADDRESS, "Приём: Пт 9-18"),
    (K.HOME_ADDRESS, "Классы 5-11"),
    (K.HOME_ADDRESS, "дом 5, 50 кв. м"),
    (K.HOME_ADDRESS, "дом 5 по ул. Мира"),
    # Bank cards: a wrong Luhn digit, accounts, amounts, shorter groupings.
    (K.BANK_CARD, "4276 3800 1234 5678"),
    (K.BANK_CARD, "счёт 40817810099910004312"),
    (K.BANK_CARD, "счёт 4081 7810 0999 1000 4312"),
    (K.BANK_CARD, "1234 5678 9012 3456"),
    (K.BANK_CARD, "сумма 4 276 380 012 345 руб."),
    (K.BANK_CARD, "2202 2012 3456"),
    (K.BANK_CARD, "2202 2012 3456 7895 1234 5678"),
    (K.BANK_CARD, "ОКТМО 01701000001"),
]


@pytest.mark.parametrize(("kind", "text"), NEGATIVES)
def test_numbers_that_are_not_personal_data_are_left_alone(
    kind: PersonalDataKind, text: str
) -> None:
    assert found(text) == []


@pytest.mark.parametrize("kind", list(PersonalDataKind))
def test_every_kind_has_enough_positives_and_negatives(kind: PersonalDataKind) -> None:
    assert sum(1 for k, _, _ in POSITIVES if k is kind) >= 8
    assert sum(1 for k, _ in NEGATIVES if k is kind) >= 8


@pytest.mark.parametrize(
    "text",
    [
        "кадастровый номер 23:22:0501001:123",
        "https://vk.com/id89181234567",
        "vk.com/wall-12345678901_234",
        "время 12:30, температура -5, 15%",
        "версия 2.1.80, 1.2.80 отчёт",
    ],
)
def test_cadastral_numbers_links_and_times_are_not_personal(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize("text", ["", "   \n\t", "Спасибо за обращение!"])
def test_text_without_numbers_finds_nothing(text: str) -> None:
    assert found(text) == []


def test_the_shorthand_cannot_tell_a_range_of_houses_without_a_comma() -> None:
    # A known limit: «Пушкина 10-15» may be houses 10 to 15 of an outage notice, but reads
    # exactly like house 10, apartment 15. Flagging asks the writer to look; a comma or an
    # en dash («ул. Пушкина, 10-15», «10–15») says it is a range.
    assert found("отключение: Пушкина 10-15") == [(K.HOME_ADDRESS, "Пушкина 10-15")]
    assert found("отключение: ул. Пушкина, 10-15; ул. Мира 10–15") == []


# --- which kind wins ------------------------------------------------------------------


def test_a_phone_in_an_email_is_the_email() -> None:
    assert found("89181234567@mail.ru") == [(K.EMAIL, "89181234567@mail.ru")]


def test_the_word_snils_beats_a_phone_shape() -> None:
    assert found("СНИЛС 89181234532") == [(K.SNILS, "89181234532")]


def test_a_phone_shape_beats_a_bare_snils_check_number() -> None:
    assert is_valid_snils("89181234532")
    assert found("89181234532") == [(K.PHONE, "89181234532")]


def test_the_word_inn_beats_a_mobile_number() -> None:
    assert is_valid_inn("9181234565")
    assert found("ИНН 9181234565") == [(K.INN, "9181234565")]
    assert found("9181234565") == [(K.PHONE, "9181234565")]


def test_the_word_passport_beats_a_mobile_number() -> None:
    assert found("паспорт 9812345678") == [(K.PASSPORT, "9812345678")]


def test_no_inn_inside_a_longer_run_of_digits() -> None:
    assert is_valid_inn("231234567867")
    assert found("40817810231234567867") == []
    assert found("2312345678671239") == [(K.BANK_CARD, "2312345678671239")]
    assert found("2312345678671") == []


def test_an_email_in_a_link_is_found_but_the_link_digits_are_not() -> None:
    text = "https://vk.com/id89181234567?write=ivan@mail.ru"
    assert found(text) == [(K.EMAIL, "ivan@mail.ru")]


def test_findings_are_sorted_and_do_not_overlap() -> None:
    text = (
        "Иванов И. И., 01.02.1980 г.р., проживает: ул. Ленина, д. 5, кв. 12, тел. 2-34-56, "
        "+7 918 123 45 67, ivan@mail.ru, СНИЛС 112-233-445 95, ИНН 231234567867, "
        "паспорт 45 12 № 345678, карта 4276 3800 1234 5679. Яму у дома 7 заделаем 12.03.2025."
    )
    findings = find_personal_data(text)
    assert [f.kind for f in findings] == [
        K.BIRTH_DATE,
        K.HOME_ADDRESS,
        K.PHONE,
        K.PHONE,
        K.EMAIL,
        K.SNILS,
        K.INN,
        K.PASSPORT,
        K.BANK_CARD,
    ]
    for before, after in itertools.pairwise(findings):
        assert before.end <= after.start
    assert all(text[f.start : f.end] == f.matched for f in findings)


# --- the office's own contacts ----------------------------------------------------------

OFFICE = ("8 (86144) 3-42-17", "Priemnaya@Admin-Otradnaya.ru", "@otradnaya.gov.ru")


@pytest.mark.parametrize(
    "text",
    [
        "звоните в приёмную: 8 (86144) 3-42-17",
        "звоните в приёмную: +7 861 443 42 17",
        "звоните в приёмную: 88614434217",
        "тел. 3-42-17",
        "пишите на priemnaya@admin-otradnaya.ru",
        "пишите на PRIEMNAYA@ADMIN-OTRADNAYA.RU",
        "пишите на zhkh@otradnaya.gov.ru",
        "звоните 8 800 100-20-30",
    ],
)
def test_the_office_published_contacts_are_allowed(text: str) -> None:
    assert found(text, OFFICE) == []


def test_other_contacts_are_still_found_next_to_allowed_ones() -> None:
    text = "Приёмная 8 (86144) 3-42-17, мастер 8 918 123-45-67, ivan@otradnaya.ru"
    assert found(text, OFFICE) == [(K.PHONE, "8 918 123-45-67"), (K.EMAIL, "ivan@otradnaya.ru")]


def test_the_allow_list_may_be_any_iterable() -> None:
    assert found("тел. 3-42-17", iter(OFFICE)) == []


def test_a_single_string_is_refused_as_the_allow_list() -> None:
    with pytest.raises(TypeError, match="not one string"):
        find_personal_data("тел. 3-42-17", "3-42-17")


def test_toll_free_numbers_are_public_without_the_allow_list() -> None:
    assert found("8-800-100-20-30, +7 800 100 20 30, тел. 88001002030") == []


# --- offsets, rules, speed ----------------------------------------------------------------


def test_offsets_count_characters_not_bytes_among_cyrillic_and_emoji() -> None:
    text = "Здравствуйте 👋🏻! Звоните 😀 8 (861) 234-56-78 или 📧 пишите: иван@почта.рф 🙏"
    findings = find_personal_data(text)
    assert [(f.kind, f.matched) for f in findings] == [
        (K.PHONE, "8 (861) 234-56-78"),
        (K.EMAIL, "иван@почта.рф"),
    ]
    for finding in findings:
        assert text[finding.start : finding.end] == finding.matched


def test_utf16_offsets_select_the_finding_in_a_qt_document() -> None:
    text = "👋🏻 Привет 😀 тел. 2-34-56 🙏, ул. Мира 3-7 🏠"
    document = QTextDocument(text)
    for finding in find_personal_data(text):
        cursor = QTextCursor(document)
        cursor.setPosition(utf16_offset(text, finding.start))
        cursor.setPosition(utf16_offset(text, finding.end), QTextCursor.MoveMode.KeepAnchor)
        assert cursor.selectedText() == finding.matched
    assert utf16_offset(text, 2) == 4  # 👋 and 🏻 are outside the BMP: two units each


def test_every_finding_carries_its_rule() -> None:
    (finding,) = find_personal_data("тел. 2-34-56")
    assert finding == Finding(5, 12, K.PHONE, "2-34-56", RULES[K.PHONE])
    assert finding.rule.startswith("Номер телефона: ")
    for kind in PersonalDataKind:
        assert "персональные данные" in RULES[kind]


def test_check_digit_helpers() -> None:
    assert is_valid_snils("112-233-445 95")
    assert not is_valid_snils("112-233-445 96")
    assert is_valid_snils("001-001-998 00")  # no check number at or below 001-001-998
    assert not is_valid_snils("1234")
    assert is_valid_inn("7707083893")
    assert not is_valid_inn("7707083894")
    assert not is_valid_inn("77070838")
    assert passes_luhn("4276 3800 1234 5679")
    assert not passes_luhn("4276 3800 1234 5678")


ADVERSARIAL = [
    "8 " * 1000,
    "1-" * 1000,
    "Ленина " * 285,
    "ул. " * 500,
    "кв. 1 " * 330,
    "a" * 2000,
    "a." * 1000 + "@",
    "родился " * 250,
    "(9" * 1000,
    "тел. " + "1 " * 997,
    "А. " * 660,
    "Ленина-" * 285,
    "д. " * 660 + "кв",
    "1 2 3 4 5 6 7 8 9 " * 110,
    "8-" * 1000,
    "ул. Ленина, д. 5, кв. 12 " * 80,
]


@pytest.mark.parametrize("text", ADVERSARIAL, ids=range(len(ADVERSARIAL)))
def test_no_input_makes_the_patterns_backtrack_for_long(text: str) -> None:
    started = time.perf_counter()
    find_personal_data(text)
    # Typical answers take about a millisecond; a pattern that backtracks takes seconds.
    assert time.perf_counter() - started < 0.2
