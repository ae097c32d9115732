"""Office hours: typed, stored and shown; wrong input is refused with a Russian message."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.services.errors import ValidationError
from desktop.services.office_hours import OfficeHours

T = dt.time


def test_the_default_is_a_forty_hour_week_with_a_lunch_hour() -> None:
    hours = OfficeHours.default()
    assert hours.intervals(0) == [(T(9), T(13)), (T(14), T(18))]
    assert hours.intervals(4) == hours.intervals(0)
    assert hours.intervals(5) == hours.intervals(6) == []
    assert hours.weekly_hours() == dt.timedelta(hours=40)
    assert hours.describe() == "Пн–Пт 09:00–13:00, 14:00–18:00"


def test_a_shorter_friday_is_typed_and_shown_in_groups() -> None:
    text = "Пн–Чт 08:00–12:00, 12:48–17:00; Пт 08:00–12:00, 12:48–15:45"
    hours = OfficeHours.parse(text)
    assert hours.intervals(3) == [(T(8), T(12)), (T(12, 48), T(17))]
    assert hours.intervals(4) == [(T(8), T(12)), (T(12, 48), T(15, 45))]
    assert hours.describe() == text
    assert hours.weekly_hours() == dt.timedelta(hours=39, minutes=45)


@pytest.mark.parametrize(
    "text",
    [
        "пн-пт 9:00-13:00 14:00-18:00",
        "Пн–Пт 09:00 – 13:00, 14:00 – 18:00",
        "mon-fri 09:00-13:00,14:00-18:00",
        "Пн, Вт, Ср, Чт, Пт 09:00–13:00, 14:00–18:00",
        "Пн-Ср 09:00-13:00, 14:00-18:00; Чт-Пт 09:00-13:00, 14:00-18:00;",
        "Понедельник–пятница 09:00:00–13:00:00, 14:00–18:00",
    ],
)
def test_spellings_a_person_types(text: str) -> None:
    assert OfficeHours.parse(text) == OfficeHours.default()


def test_weekdays_by_name_and_times_as_text() -> None:
    week = {"пн": [("09:00", "13:00"), ("14:00", "18:00")], "Tuesday": [("09:00", "18:00")]}
    hours = OfficeHours(week)
    assert hours.intervals(0) == [(T(9), T(13)), (T(14), T(18))]
    assert hours.intervals(1) == [(T(9), T(18))]
    assert OfficeHours({"Пятница": [("08:00", "15:45")]}).intervals(4) == [(T(8), T(15, 45))]


def test_seconds_are_shown_and_read_back() -> None:
    hours = OfficeHours({0: [(T(9, 0, 30), T(13))]})
    assert hours.describe() == "Пн 09:00:30–13:00"
    assert OfficeHours.parse(hours.describe()) == hours


def test_intervals_are_kept_in_order() -> None:
    hours = OfficeHours({0: [(T(14), T(18)), (T(9), T(13))]})
    assert hours.intervals(0) == [(T(9), T(13)), (T(14), T(18))]


@pytest.mark.parametrize(
    ("week", "complaint"),
    [
        ({0: [(T(13), T(9))]}, "раньше конца"),
        ({0: [(T(9), T(9))]}, "раньше конца"),
        ({0: [(T(9), T(13)), (T(12), T(18))]}, "пересекаются"),
        ({7: [(T(9), T(13))]}, "от 0"),
        ({5: [(T(9), T(13))]}, "хотя бы для одного дня"),
        ({}, "хотя бы для одного дня"),
        ({0: [(9, 13)]}, "парой времён"),
        ({0: [("9 утра", "13:00")]}, "парой времён"),
        ({0: [(T(9), T(13), T(14))]}, "парой времён"),
        ({"пн": [(T(9), T(13))], 0: [(T(14), T(18))]}, "дважды"),
        ({"someday": [(T(9), T(13))]}, "от 0"),
        ({0: [(T(9, tzinfo=dt.UTC), T(13))]}, "без часового пояса"),
    ],
)
def test_impossible_hours_are_refused(week: dict[int, list[object]], complaint: str) -> None:
    with pytest.raises(ValidationError, match=complaint):
        OfficeHours(week)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("", "Укажите"),
        ("Пн–Пт", "Не понимаю"),
        ("Пн–Пт 9-13", "интервалы"),
        ("Пн–Пт 25:00–26:00", "Нет такого времени"),
        ("Пз 09:00–18:00", "дни недели"),
        ("Пт–Пн 09:00–18:00", "дни недели"),
        ("Пн–Пт 09:00–18:00; Пт 09:00–16:00", "дважды"),
    ],
)
def test_text_that_cannot_be_read_is_refused(text: str, complaint: str) -> None:
    with pytest.raises(ValidationError, match=complaint):
        OfficeHours.parse(text)


def test_stored_form_is_json_of_strings() -> None:
    hours = OfficeHours.parse("Пн–Пт 09:00–18:00; Сб 10:00–14:00")
    stored = hours.to_json()
    assert stored["0"] == [["09:00:00", "18:00:00"]]
    assert stored["5"] == [["10:00:00", "14:00:00"]]
    assert "6" not in stored
    assert OfficeHours.from_json(stored) == hours


@pytest.mark.parametrize(
    "stored", [[], {"0": "09:00"}, {"x": [["09:00", "18:00"]]}, {"0": [["9", "x"]]}]
)
def test_a_damaged_stored_form_is_refused(stored: object) -> None:
    with pytest.raises(ValidationError, match="формате"):
        OfficeHours.from_json(stored)
