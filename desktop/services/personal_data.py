"""Personal data in an answer before it is published: phones, e-mails, СНИЛС, ИНН, passports,
dates of birth, home addresses and bank cards.

Barnaul's Положение (p. 9) keeps citizens' personal data out of a published answer, all but
the author's name or nickname, and 152-ФЗ (art. 7) forbids spreading it anywhere. Answers are
full of legitimate numbers (dates of works, money, acts, incident and house numbers), so a
number is flagged only when its shape, a check digit or a word before it says what it is.

`find_personal_data(text)` runs as the user types: each kind is a few precompiled regular
expressions over the text, then one pass keeps the strongest of overlapping candidates.

Precedence, when two candidates share characters (`_resolve`):
1. the stronger evidence wins: a keyword that names the data («ИНН», «СНИЛС», «паспорт»,
   «тел.», «родился», the @ of an e-mail) over a shape of its own (+7/8 and an area code,
   3-3-3 2 groups with a valid check number, 2-2-6 passport groups) over a bare run of
   digits that only passes a checksum;
2. then the longer span (a phone inside an e-mail's local part is part of the e-mail);
3. then the order of `PersonalDataKind`, the more specific kind first.
A run of digits is never searched inside a longer run: an ИНН within a 20-digit account number
or a card number is not an ИНН.

Offsets are Python string indices (code points). A QTextEdit counts UTF-16 code units, which
differ after any character outside the BMP (emoji): views convert with `utf16_offset`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import IntEnum, StrEnum


class PersonalDataKind(StrEnum):
    """What was found. The order is the precedence among candidates of equal evidence."""

    EMAIL = "email"
    HOME_ADDRESS = "home_address"
    BIRTH_DATE = "birth_date"
    PASSPORT = "passport"
    SNILS = "snils"
    INN = "inn"
    # Not in the list: citizens asking for a payment or a refund write their card's
    # number, which is personal data (152-ФЗ) and an invitation to fraud once published. The
    # Luhn check digit keeps other 16-19-digit numbers out.
    BANK_CARD = "bank_card"
    PHONE = "phone"


_LABELS: dict[PersonalDataKind, str] = {
    PersonalDataKind.EMAIL: "Адрес электронной почты",
    PersonalDataKind.HOME_ADDRESS: "Домашний адрес",
    PersonalDataKind.BIRTH_DATE: "Дата рождения",
    PersonalDataKind.PASSPORT: "Серия и номер паспорта",
    PersonalDataKind.SNILS: "СНИЛС",
    PersonalDataKind.INN: "ИНН",
    PersonalDataKind.BANK_CARD: "Номер банковской карты",
    PersonalDataKind.PHONE: "Номер телефона",
}

# Every preset office is bound by 152-ФЗ; only Barnaul's act has its own paragraph on it.
_WHY = "в ответе нельзя публиковать персональные данные граждан (ст. 7 закона № 152-ФЗ)"

RULES: dict[PersonalDataKind, str] = {kind: f"{label}: {_WHY}" for kind, label in _LABELS.items()}


@dataclass(frozen=True)
class Finding:
    start: int  # index into the checked text (code points; see `utf16_offset`)
    end: int
    kind: PersonalDataKind
    matched: str
    rule: str  # a short Russian explanation for a tooltip or the summary at submit


class _Evidence(IntEnum):
    CHECKSUM = 1  # a bare run of digits whose check digits fit
    SHAPE = 2  # a format of its own: +7 (918) …, 123-456-789 01, 45 12 345678, ул. … кв. …
    NAMED = 3  # a word says what it is: «ИНН», «СНИЛС», «паспорт», «тел.», «родился», @


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    kind: PersonalDataKind
    evidence: _Evidence


# --- shared pieces of the patterns -------------------------------------------------------

# Editors and typists put no-break and thin spaces and several dashes between digit groups.
_SPACE = r"[ \t\u00a0\u2009\u202f]"
_DASH = r"[\-\u2010-\u2014\u2212]"
_SEP = rf"(?:{_SPACE}?{_DASH}{_SPACE}?|{_SPACE})"  # one separator between two digit groups
# Not the tail of a longer number: no word character or + before, and no digit followed by
# a dash, dot, comma, slash or colon (dates, decimals, cadastral numbers 23:22:0501001:123).
_START = r"(?<![\w+])(?<!\d[\-\u2010-\u2014\u2212.,/:])"
# The same, and no digit and space either: a grouped format must not be cut from a longer
# grouped number (a card's groups inside a 20-digit account written in fours).
_START_GROUPED = rf"{_START}(?<!\d[ \t\u00a0\u2009\u202f])"
_END = rf"(?!\w)(?!(?:{_DASH}|[.,/:])\d)"
_END_GROUPED = rf"{_END}(?!{_SPACE}\d)"
# Between a keyword and its value: «ИНН: 2312…», «СНИЛС № 123…», «тел. — 2-34-56».
_LABEL_GAP = r"[\s:.#№\-\u2013\u2014]*(?:(?i:номер)[\s:.#№\-\u2013\u2014]*)?"


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


# --- check digits ---------------------------------------------------------------------


def _weighted_check(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11 % 10


_INN10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def is_valid_inn(number: str) -> bool:
    """An ИНН's check digits: one for an organisation's 10 digits, two for a person's 12."""
    if not number.isdigit():
        return False
    if len(number) == 10:
        return _weighted_check(number, _INN10) == int(number[9])
    if len(number) == 12:
        return _weighted_check(number, _INN11) == int(number[10]) and _weighted_check(
            number, _INN12
        ) == int(number[11])
    return False


# The Pension Fund's rule: check numbers are computed only above 001-001-998.
_SNILS_UNCHECKED_UP_TO = 1_001_998


def is_valid_snils(number: str) -> bool:
    """A СНИЛС's check number: the digits weighted 9…1, summed, modulo 101, 100 as 00."""
    digits = _digits(number)
    if len(digits) != 11:
        return False
    if int(digits[:9]) <= _SNILS_UNCHECKED_UP_TO:
        return True
    total = sum(int(d) * w for d, w in zip(digits[:9], range(9, 0, -1), strict=True))
    return total % 101 % 100 == int(digits[9:])


def passes_luhn(number: str) -> bool:
    digits = _digits(number)
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return bool(digits) and total % 10 == 0


# --- phones ---------------------------------------------------------------------------


def _after_code(count: int) -> str:
    """`count` more digits, any single separator before each (234-56-78, 2 34 56 78, 2345678)."""
    return rf"{_SEP}?\d(?:{_SEP}?\d){{{count - 1}}}"


# Russian geographic and mobile codes begin with 3, 4, 8 or 9 (2, 5, 6, 7 are not used).
_CODE_IN_BRACKETS = r"\({_S}?{trunk}[3489]\d{{{n}}}{_S}?\)"
# The old spelling puts the trunk 8 inside the brackets: (8-861) 234-56-78.
_TRUNK_IN_BRACKETS = rf"(?:8{_SEP}?)?"


def _code_in_brackets_then_rest(trunk: str) -> list[str]:
    """A 3-, 4- or 5-digit code in brackets and the rest of the ten digits."""
    return [
        _CODE_IN_BRACKETS.format(_S=_SPACE, trunk=trunk, n=code - 1) + _after_code(10 - code)
        for code in (3, 4, 5)
    ]


_TEN_DIGITS_AFTER_PREFIX = (
    "(?:" + "|".join([*_code_in_brackets_then_rest(trunk=""), rf"[3489](?:{_SEP}?\d){{9}}"]) + ")"
)
_PHONE_WITH_PREFIX = re.compile(
    rf"(?<![\w+])(?<!\d{_DASH})(?:\+{_SPACE}?7|8){_SEP}?{_TEN_DIGITS_AFTER_PREFIX}{_END}"
)
# Without +7/8 a code in brackets is distinctive enough, and so is a mobile number's shape:
# (861) 234-56-78, (918) 123-45-67, 918 123 45 67, or ten digits starting with 9.
_PHONE_WITHOUT_PREFIX = re.compile(
    rf"{_START}(?:"
    + "|".join(_code_in_brackets_then_rest(trunk=_TRUNK_IN_BRACKETS))
    + rf"|9\d\d{_SEP}?\d{{3}}{_SEP}?(?:\d\d{_SEP}?\d\d|\d{{4}})"
    + rf"){_END}"
)
# After «тел.», «телефон», «моб.», «сотовый» any run of 5-7, 10 or 11 digits is a phone,
# the short city numbers (2-34-56, 23-45-67) included. Not after «сот.»: that is also
# «соток» of land.
_PHONE_NAMED = re.compile(
    r"(?i:\b(?:тел|телефон[а-я]*|моб|мобильн[а-я]*|сотов[а-я]*)\b)"
    + _LABEL_GAP
    + rf"(?P<number>\+?\(?\d(?:\d|\((?=\d)|\){_SPACE}?(?=\d)|{_SEP}(?=\(?\d)){{4,24}}){_END}"
)
# Money and other thousands-grouped numbers: 89 123 456 789 руб. is not a phone.
_AMOUNT_WORD = re.compile(rf"{_SPACE}*(?:руб|р\.|₽|тыс|млн|млрд|коп|%|USD|EUR|\$|€)", re.IGNORECASE)
_DIGIT_GROUPS = re.compile(r"\d+")
_THOUSANDS = 3  # digits in each group of an amount; fewer groups than that is no amount
_LOCAL_PHONE_LENGTHS = (5, 6, 7)
_FULL_PHONE_LENGTH = 10  # after the country code


def _is_amount(text: str, start: int, end: int) -> bool:
    """Thousands in groups of three (89 123 456 789) or a currency or unit right after."""
    span = text[start:end]
    groups = _DIGIT_GROUPS.findall(span)
    in_thousands = (
        len(groups) >= _THOUSANDS
        and all(len(group) == _THOUSANDS for group in groups[1:])
        and all(ch.isdigit() or ch.isspace() for ch in span)
    )
    return in_thousands or bool(_AMOUNT_WORD.match(text, end))


def _phone_significant_digits(number: str) -> str:
    """The ten digits after +7 or 8, or a short city number as it is."""
    digits = _digits(number)
    if len(digits) == _FULL_PHONE_LENGTH + 1 and digits[0] in "78":
        return digits[1:]
    return digits


def _is_phone_length(number: str) -> bool:
    digits = _digits(number)
    return (
        len(digits) in _LOCAL_PHONE_LENGTHS
        or len(digits) == _FULL_PHONE_LENGTH
        or (len(digits) == _FULL_PHONE_LENGTH + 1 and digits[0] in "78")
    )


def _phones(text: str) -> Iterator[_Candidate]:
    for match in _PHONE_WITH_PREFIX.finditer(text):
        if not _is_amount(text, match.start(), match.end()):
            yield _Candidate(match.start(), match.end(), PersonalDataKind.PHONE, _Evidence.SHAPE)
    for match in _PHONE_WITHOUT_PREFIX.finditer(text):
        if _is_amount(text, match.start(), match.end()):
            continue
        bare = match.group().isdigit()
        evidence = _Evidence.CHECKSUM if bare else _Evidence.SHAPE
        yield _Candidate(match.start(), match.end(), PersonalDataKind.PHONE, evidence)
    for match in _PHONE_NAMED.finditer(text):
        start, end = match.span("number")
        if _is_phone_length(match.group("number")):
            yield _Candidate(start, end, PersonalDataKind.PHONE, _Evidence.NAMED)


# --- e-mails and links ----------------------------------------------------------------

# \w is Unicode: почта@мэрия.рф and иванов@mail.ru are addresses too. The local part starts
# only where a token starts, so a long word without @ is read once, not once per letter.
_EMAIL = re.compile(
    r"(?<![\w.+\-])\w[\w.+\-]*@(?:[^\W_][\w\-]*\.)+(?:[^\W\d_]{2,}|xn--[\w\-]+)(?![\w\-])"
)
_URL = re.compile(
    r"(?i:https?://|www\.)[^\s<>«»\"]+"
    r"|(?<![\w@.\-])(?:[^\W_][\w\-]*\.)+(?i:[a-z]{2,}|рф)/[^\s<>«»\"]*"
)


def _emails(text: str) -> Iterator[_Candidate]:
    for match in _EMAIL.finditer(text):
        yield _Candidate(match.start(), match.end(), PersonalDataKind.EMAIL, _Evidence.NAMED)


def _url_spans(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in _URL.finditer(text)]


# --- СНИЛС, ИНН, bank cards: runs of digits with check digits ------------------------

_SNILS_GROUPED = re.compile(
    rf"{_START_GROUPED}\d{{3}}(?P<sep>{_DASH}|{_SPACE})\d{{3}}(?P=sep)\d{{3}}"
    rf"(?:{_SPACE}|{_DASH})\d\d{_END_GROUPED}"
)
_SNILS_NAMED = re.compile(
    r"(?i:\bСНИЛС\b)"
    + _LABEL_GAP
    + rf"(?P<number>\d{{3}}{_SEP}?\d{{3}}{_SEP}?\d{{3}}{_SEP}?\d\d){_END_GROUPED}"
)
_INN_NAMED = re.compile(r"(?i:\bИНН\b)" + _LABEL_GAP + rf"(?P<number>\d{{12}}|\d{{10}}){_END}")
_CARD_GROUPED = re.compile(
    rf"{_START_GROUPED}[2-6]\d{{3}}(?P<sep>{_DASH}|{_SPACE})\d{{4}}(?P=sep)\d{{4}}(?P=sep)\d{{4}}"
    rf"(?:(?P=sep)\d{{1,3}})?{_END_GROUPED}"
)
_BARE_DIGITS = re.compile(rf"{_START}\d{{11,19}}{_END}")
_SNILS_LENGTH = 11
_INN_PERSON_LENGTH = 12
_CARD_LENGTHS = range(16, 20)


def _snils(text: str) -> Iterator[_Candidate]:
    for match in _SNILS_GROUPED.finditer(text):
        if is_valid_snils(match.group()):
            yield _Candidate(match.start(), match.end(), PersonalDataKind.SNILS, _Evidence.SHAPE)
    # After the word «СНИЛС» the number is one even with a wrong check number: a typo in a
    # person's СНИЛС is still their СНИЛС, nearly.
    for match in _SNILS_NAMED.finditer(text):
        start, end = match.span("number")
        yield _Candidate(start, end, PersonalDataKind.SNILS, _Evidence.NAMED)


def _inns(text: str) -> Iterator[_Candidate]:
    # The word «ИНН» settles it whatever the check digits say (a mistyped ИНН is still one),
    # for a 10-digit organisation's number too: an answer seldom needs one, and the
    # highlight only asks the writer to look.
    for match in _INN_NAMED.finditer(text):
        start, end = match.span("number")
        yield _Candidate(start, end, PersonalDataKind.INN, _Evidence.NAMED)


def _bare_digit_runs(text: str) -> Iterator[_Candidate]:
    """11-19 digits in one piece: a СНИЛС, a person's ИНН or a card if the check digits fit.

    A bare 10-digit run is left alone: one check digit passes every tenth number, and a
    10-digit ИНН belongs to an organisation, not a person.
    """
    for match in _BARE_DIGITS.finditer(text):
        number = match.group()
        kind: PersonalDataKind | None = None
        if len(number) == _SNILS_LENGTH and is_valid_snils(number):
            kind = PersonalDataKind.SNILS
        elif len(number) == _INN_PERSON_LENGTH and is_valid_inn(number):
            kind = PersonalDataKind.INN
        elif len(number) in _CARD_LENGTHS and number[0] in "23456" and passes_luhn(number):
            kind = PersonalDataKind.BANK_CARD
        if kind is not None:
            yield _Candidate(match.start(), match.end(), kind, _Evidence.CHECKSUM)


def _cards(text: str) -> Iterator[_Candidate]:
    for match in _CARD_GROUPED.finditer(text):
        if passes_luhn(match.group()):
            yield _Candidate(
                match.start(), match.end(), PersonalDataKind.BANK_CARD, _Evidence.SHAPE
            )


# --- passports ------------------------------------------------------------------------

_SERIES_TO_NUMBER = rf"(?:{_SPACE}|,|№|N|(?i:номер|ном\.)){{0,6}}"
_PASSPORT_NAMED = re.compile(
    r"(?i:\bпаспорт[а-я]*(?:\s+гражданина(?:\s+(?:РФ|России|Российской\s+Федерации))?)?"
    r"(?:\s+данные)?|\bсери[яиюей]\b)"
    + r"[\s:,.\-\u2013\u2014]*(?:(?i:сери[яиюей]|сер\.)\s*)?"
    + rf"(?P<number>\d\d{_SPACE}?\d\d{_SERIES_TO_NUMBER}\d{{6}}){_END}"
)
# Without the word: 45 12 345678 and 4512 345678 (a driving licence looks the same and is
# personal data as well), with an optional № before the number.
_PASSPORT_GROUPED = re.compile(
    rf"{_START_GROUPED}(?:\d\d{_SPACE}\d\d|\d{{4}}){_SPACE}(?:№{_SPACE}?)?\d{{6}}{_END_GROUPED}"
)


def _passports(text: str) -> Iterator[_Candidate]:
    for match in _PASSPORT_NAMED.finditer(text):
        start, end = match.span("number")
        yield _Candidate(start, end, PersonalDataKind.PASSPORT, _Evidence.NAMED)
    for match in _PASSPORT_GROUPED.finditer(text):
        if not _is_amount(text, match.start(), match.end()):
            yield _Candidate(match.start(), match.end(), PersonalDataKind.PASSPORT, _Evidence.SHAPE)


# --- dates of birth -------------------------------------------------------------------

_MONTHS_GENITIVE = (
    "января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"
)
_DATE = re.compile(
    rf"(?<![\w.,/:\-])(?:"
    rf"(?P<day>\d{{1,2}})(?P<sep>[./\-])(?P<month>\d{{1,2}})(?P=sep)(?P<year>\d{{4}}|\d\d)"
    rf"|(?P<vday>\d{{1,2}}){_SPACE}+(?i:{_MONTHS_GENITIVE}){_SPACE}+(?P<vyear>\d{{4}})"
    rf"|(?P<lone_year>(?:19|20)\d\d)"
    rf")(?!\d)(?![.,/\-]\d)"
)
# A date is a date of birth only next to words that say so. Before it: «родился», «дата
# рождения:», «д.р.» with a short gap of words, no digits and no sentence or clause break
# («родился и вырос в Барнауле, с 12.03.2025 работает» is not a date of birth).
_BIRTH_BEFORE = re.compile(
    r"(?i:\b(?:родил(?:ся|ась|ись)|рожд[её]н[аы]?|дат[аыу]\s+рождения|д/р)\b|\bд\.\s?р\.)"
    r"[^\n.,!?;\d]{0,20}\Z"
)
# After it: «г.р.», «г. р.», «гр.», «года рождения»
# («2025 г. р.п. Южный» is a year and a рабочий посёлок.)
_BIRTH_AFTER = re.compile(
    rf"{_SPACE}*(?i:г\.?{_SPACE}*р\.(?!{_SPACE}?п\.)|гр\.|(?:г\.|года?){_SPACE}*рожд)"
)
# A year alone counts after «родился» only as a year: «родился в 1980 году».
_YEAR_WORD = re.compile(rf"{_SPACE}*(?i:г\.|году\b)")
_BIRTH_LOOKBEHIND = 40
_MONTHS_IN_YEAR = 12
_DAYS_IN_MONTH_AT_MOST = 31


def _is_plausible_day(match: re.Match[str]) -> bool:
    day, month = match.group("day"), match.group("month")
    if day is None or month is None:
        return True
    return 1 <= int(day) <= _DAYS_IN_MONTH_AT_MOST and 1 <= int(month) <= _MONTHS_IN_YEAR


def _said_to_be_born(text: str, match: re.Match[str]) -> bool:
    start, end = match.span()
    if _BIRTH_AFTER.match(text, end):
        return True
    if not _BIRTH_BEFORE.search(text, max(0, start - _BIRTH_LOOKBEHIND), start):
        return False
    return match.group("lone_year") is None or bool(_YEAR_WORD.match(text, end))


def _birth_dates(text: str) -> Iterator[_Candidate]:
    for match in _DATE.finditer(text):
        if _is_plausible_day(match) and _said_to_be_born(text, match):
            yield _Candidate(
                match.start(), match.end(), PersonalDataKind.BIRTH_DATE, _Evidence.NAMED
            )


# --- home addresses -------------------------------------------------------------------

_STREET_TYPE = (
    r"(?i:ул\.?|улиц[аеыу]|пер\.?|переул(?:ок|ка|ке)|пр-к?т|просп\.?|проспект[аеу]?|пр\."
    r"|б-р|бул\.?|бульвар[аеу]?|ш\.|шоссе|пл\.|площад[иь]|наб\.?|набережн(?:ая|ой|ую)"
    r"|туп\.?|тупик[аеу]?|мкр\.?|мкрн\.?|микрорайон[аеу]?|пр-д|проезд[аеу]?|алле[яие]"
    r"|лини[яие])"
)
_NAME_WORD = r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁа-яё][а-яё]+)*"
# «1-я Заводская», «50 лет Октября», «Н. Островского», «Льва Толстого», «Ленина».
_STREET_NAME = (
    rf"(?:\d{{1,3}}-?(?:я|й|ая|ый|ой|го)\s+|\d{{1,3}}\s+лет\s+)?(?:[А-ЯЁ]\.\s?)*"
    rf"(?:{_NAME_WORD}\s+)?{_NAME_WORD}"
)
# «ул. Ленина» and «Школьный пер.», «Красноармейский проспект».
_STREET_TYPED = rf"(?:\b{_STREET_TYPE}\s*{_STREET_NAME}|\b{_STREET_NAME}\s+{_STREET_TYPE}(?!\w))"
# Without «ул.» a street is one capitalised word; in the «Ленина 5-12» shorthand it must also
# read like a street: a surname in the genitive, an adjective or a well-known name.
_STREET_LIKE_WORD = (
    r"[А-ЯЁ][а-яё]*(?:ина|ына|ова|ёва|ева|ого|его|ая|яя|ий|ый|ой)"
    r"|Мира|Победы|Труда|Свободы|Революции|Коммуны|Октября|Дружбы|Гоголя"
)
_HOUSE_WORD = r"(?i:(?:д\.|д(?=\s*\d)|дом[аеу]?\b)\s*№?|№)"
_HOUSE_NUMBER = (
    r"\d{1,4}(?:\s?[абвгдежАБВГДЕЖ](?![а-яА-Я]))?(?:\s?/\s?\d{1,3}[а-я]?)?"
    r"(?:\s?(?i:корп(?:ус)?\.?|к\.?|стр(?:оение)?\.?)\s?\d{1,3})?"
)
# «2 кв. 2025 г.» is a quarter of a year, not an apartment.
_APARTMENT = (
    r"(?i:кв(?:артир[аеуы]|\.|(?=\s))|комн(?:ат[аеуы]|\.))\s*№?\s*\d{1,4}(?:[а-я](?![а-я]))?"
    r"(?!\d)(?!\s*(?i:г\.|год))"
)
# Forward order: a street (optional), a house and an apartment. Without a street the house
# needs its word («д. 5, кв. 12»): a bare «5, кв. 12» might be anything.
# Every address starts a word; `(?<!\w)` skips the inside of words cheaply.
_ADDRESS_WITH_APARTMENT = re.compile(
    rf"(?<!\w)(?:(?P<street>{_STREET_TYPED}|\b[А-ЯЁ][а-яё]{{2,}}(?:-[А-ЯЁ][а-яё]+)?),?\s*)?"
    rf"(?P<house_word>{_HOUSE_WORD}\s*)?{_HOUSE_NUMBER},?\s*{_APARTMENT}"
)
# Reverse order: «кв. 12 в доме 5 по ул. Ленина».
_APARTMENT_THEN_HOUSE = re.compile(
    rf"{_APARTMENT}\s+(?:в\s+)?{_HOUSE_WORD}\s*{_HOUSE_NUMBER}(?!\d)"
    rf"(?:,?\s+(?:по|на)\s+{_STREET_TYPED})?"
)
# «Ленина 5-12», «ул. Мира 3-7»: house-apartment, no comma, a plain hyphen. «ул. Ленина,
# 1-15» and «5–12» with an en dash are ranges of houses, as in outage notices.
_HOUSE_APARTMENT_SHORTHAND = re.compile(
    rf"(?<!\w)(?:{_STREET_TYPED}|\b(?:{_STREET_LIKE_WORD})){_SPACE}+\d{{1,3}}[а-я]?[\-\u2011]"
    rf"\d{{1,4}}(?!\w)(?![\-\u2010-\u2014/.,]\d)"
)
# A street and a house are someone's home when the answer says they live there.
_RESIDENCE = re.compile(
    r"(?i:прожива\w*|зарегистрирован\w*|мест[оау]\s+жительства|адрес\w*\s+проживания)"
    r"(?:\s+по\s+адресу)?[\s:,]*"
    rf"(?P<address>(?:{_STREET_TYPED}),?\s*(?:{_HOUSE_WORD}\s*)?{_HOUSE_NUMBER})(?!\d)"
)


# The address patterns are the costliest to try at every character, so they run only in a
# window around what they cannot do without: an apartment word, or a digit-hyphen-digit.
_APARTMENT_WORD = re.compile(r"(?i:кв|комн)")
_HYPHENATED_DIGITS = re.compile(r"\d[\-\u2011]\d")
_STREET_AND_HOUSE_AT_MOST = 120  # characters before the apartment word or the hyphen
_APARTMENT_NUMBER_AT_MOST = 40  # characters after them, lookaheads included


def _near(pattern: re.Pattern[str], text: str, anchor: re.Pattern[str]) -> Iterator[re.Match[str]]:
    """`pattern`'s matches in windows around `anchor`'s, overlapping windows merged.

    Lookbehinds still see the text before a window; lookaheads stop at its end, hence the
    margin after the anchor.
    """
    for window_start, window_end in _merged_windows(text, anchor):
        yield from pattern.finditer(text, window_start, window_end)


def _merged_windows(text: str, anchor: re.Pattern[str]) -> Iterator[tuple[int, int]]:
    current: tuple[int, int] | None = None
    for hit in anchor.finditer(text):
        start = max(0, hit.start() - _STREET_AND_HOUSE_AT_MOST)
        end = min(len(text), hit.end() + _APARTMENT_NUMBER_AT_MOST)
        if current is not None and start <= current[1]:
            current = (current[0], end)
            continue
        if current is not None:
            yield current
        current = (start, end)
    if current is not None:
        yield current


def _home_addresses(text: str) -> Iterator[_Candidate]:
    for match in _near(_ADDRESS_WITH_APARTMENT, text, _APARTMENT_WORD):
        if match.group("street") or match.group("house_word"):
            yield _address(match.start(), match.end())
    for match in _APARTMENT_THEN_HOUSE.finditer(text):
        yield _address(match.start(), match.end())
    for match in _near(_HOUSE_APARTMENT_SHORTHAND, text, _HYPHENATED_DIGITS):
        yield _address(match.start(), match.end())
    for match in _RESIDENCE.finditer(text):
        yield _address(*match.span("address"))


def _address(start: int, end: int) -> _Candidate:
    return _Candidate(start, end, PersonalDataKind.HOME_ADDRESS, _Evidence.SHAPE)


# --- the office's own contacts ----------------------------------------------------------

_TOLL_FREE_CODE = "800"  # 8-800: free federal lines of agencies and services, public by design


@dataclass(frozen=True)
class _AllowList:
    phones: frozenset[str]  # significant digits (see `_phone_significant_digits`)
    emails: frozenset[str]  # case-folded
    domains: frozenset[str]  # «@admin.ru» allows every address there

    @classmethod
    def of(cls, entries: Iterable[str]) -> _AllowList:
        phones: set[str] = set()
        emails: set[str] = set()
        domains: set[str] = set()
        for entry in entries:
            cleaned = entry.strip().casefold()
            if cleaned.startswith("@"):
                domains.add(cleaned[1:])
            elif "@" in cleaned:
                emails.add(cleaned)
            elif _digits(cleaned):
                phones.add(_phone_significant_digits(cleaned))
        return cls(frozenset(phones), frozenset(emails), frozenset(domains))

    def permits(self, kind: PersonalDataKind, matched: str) -> bool:
        if kind is PersonalDataKind.PHONE:
            return self._permits_phone(_phone_significant_digits(matched))
        if kind is PersonalDataKind.EMAIL:
            address = matched.casefold()
            return address in self.emails or address.rpartition("@")[2] in self.domains
        return False

    def _permits_phone(self, digits: str) -> bool:
        if len(digits) == _FULL_PHONE_LENGTH and digits.startswith(_TOLL_FREE_CODE):
            return True
        # A short city number is the office's when one of its full numbers ends with it.
        return digits in self.phones or (
            len(digits) < _FULL_PHONE_LENGTH
            and any(phone.endswith(digits) for phone in self.phones)
        )


# --- putting it together ----------------------------------------------------------------

_FINDERS: tuple[Callable[[str], Iterator[_Candidate]], ...] = (
    _emails,
    _home_addresses,
    _birth_dates,
    _passports,
    _snils,
    _inns,
    _cards,
    _bare_digit_runs,
    _phones,
)
_KIND_ORDER = {kind: position for position, kind in enumerate(PersonalDataKind)}


def find_personal_data(text: str, allowed: Iterable[str] = ()) -> list[Finding]:
    """Personal data in `text`, sorted by start, none overlapping another.

    `allowed` lists the office's published phones and e-mails (any spelling: «8 (861)
    234-56-78» allows «+7 861 2345678» and a short «2-34-56»; «@admin.ru» allows a whole
    domain); 8-800 numbers are always allowed. Digits inside a link are not flagged (ids in
    vk.com/id…); an e-mail is, wherever it is.
    """
    if isinstance(allowed, str):
        # A lone string would be read one character at a time.
        raise TypeError("allowed is a collection of phones and e-mails, not one string")
    candidates = [c for finder in _FINDERS for c in finder(text)]
    links = _url_spans(text)
    candidates = [
        c for c in candidates if c.kind is PersonalDataKind.EMAIL or not _inside(c, links)
    ]
    allow_list = _AllowList.of(allowed)
    findings: list[Finding] = []
    for candidate in _resolve(candidates):
        matched = text[candidate.start : candidate.end]
        if not allow_list.permits(candidate.kind, matched):
            findings.append(
                Finding(
                    candidate.start, candidate.end, candidate.kind, matched, RULES[candidate.kind]
                )
            )
    return findings


def _inside(candidate: _Candidate, spans: list[tuple[int, int]]) -> bool:
    return any(start < candidate.end and candidate.start < end for start, end in spans)


def _resolve(candidates: list[_Candidate]) -> list[_Candidate]:
    """The strongest candidates that do not overlap, in text order (see the module's doc).

    An allowed phone keeps its place here and is dropped only afterwards, so no weaker
    reading of the same digits takes its span.
    """
    ranked = sorted(
        set(candidates),
        key=lambda c: (-c.evidence, c.start - c.end, _KIND_ORDER[c.kind], c.start),
    )
    kept: list[_Candidate] = []  # in text order, none overlapping
    starts: list[int] = []
    for candidate in ranked:
        place = bisect.bisect(starts, candidate.start)
        overlaps_previous = place > 0 and kept[place - 1].end > candidate.start
        overlaps_next = place < len(kept) and kept[place].start < candidate.end
        if not (overlaps_previous or overlaps_next):
            kept.insert(place, candidate)
            starts.insert(place, candidate.start)
    return kept


def utf16_offset(text: str, index: int) -> int:
    """`index` into `text` as a QTextEdit's position: UTF-16 units, two for an emoji."""
    return len(text[:index].encode("utf-16-le")) // 2
