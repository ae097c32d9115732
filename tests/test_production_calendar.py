"""The shipped production calendar against the official norms, the package and the rule."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest

from desktop.services.errors import CalendarDataMissing, ProductionCalendarError
from desktop.services.production_calendar import (
    Norm,
    ProductionCalendar,
    calendar_folder,
    parse_year_file,
    year_from_package,
)
from desktop.services.workcalendar import WorkCalendar

SHIPPED_YEARS = list(range(2019, 2028))

# The official yearly norms for a 40-hour week, written here independently of the data files.
OFFICIAL_YEAR_NORMS = {
    2019: Norm(247, 1970),
    2020: Norm(248, 1979),
    2021: Norm(247, 1972),
    2022: Norm(247, 1973),
    2023: Norm(247, 1973),
    2024: Norm(248, 1979),
    2025: Norm(247, 1972),
    2026: Norm(247, 1972),
    2027: Norm(247, 1972),
}


@pytest.fixture(scope="module")
def production() -> ProductionCalendar:
    return ProductionCalendar()


@pytest.fixture(scope="module")
def cal(production: ProductionCalendar) -> WorkCalendar:
    """An eight-hour day, Monday to Friday: the week the official norms are counted for."""
    return WorkCalendar(production=production)


def _month_start(year: int, month: int) -> dt.datetime:
    return dt.datetime(year + month // 13, (month - 1) % 12 + 1, 1)


def _working_days(cal: WorkCalendar, first: dt.date, after_last: dt.date) -> int:
    return sum(
        cal.is_working_day(dt.date.fromordinal(n))
        for n in range(first.toordinal(), after_last.toordinal())
    )


def test_every_year_from_2019_to_2027_is_shipped(production: ProductionCalendar) -> None:
    assert production.shipped_years() == SHIPPED_YEARS
    for year in SHIPPED_YEARS:
        shipped = production.year(year)
        assert shipped.shipped
        assert shipped.source.startswith("Постановление Правительства РФ от ")
        assert f"в {year} году" in shipped.source


@pytest.mark.parametrize("year", SHIPPED_YEARS)
def test_the_year_sums_to_the_official_norm(cal: WorkCalendar, year: int) -> None:
    hours = cal.elapsed(dt.datetime(year, 1, 1), dt.datetime(year + 1, 1, 1))
    days = _working_days(cal, dt.date(year, 1, 1), dt.date(year + 1, 1, 1))
    assert Norm(days, int(hours / dt.timedelta(hours=1))) == OFFICIAL_YEAR_NORMS[year]
    assert cal.year_calendar(year).year_norm == OFFICIAL_YEAR_NORMS[year]


@pytest.mark.parametrize("year", SHIPPED_YEARS)
def test_every_month_sums_to_the_published_norm(cal: WorkCalendar, year: int) -> None:
    published = cal.year_calendar(year).month_norms
    assert sorted(published) == list(range(1, 13))
    counted = {}
    for month in range(1, 13):
        start, end = _month_start(year, month), _month_start(year, month + 1)
        hours = cal.elapsed(start, end) / dt.timedelta(hours=1)
        counted[month] = Norm(_working_days(cal, start.date(), end.date()), int(hours))
    assert counted == dict(published)
    assert sum(n.days for n in published.values()) == OFFICIAL_YEAR_NORMS[year].days
    assert sum(n.hours for n in published.values()) == OFFICIAL_YEAR_NORMS[year].hours


@pytest.mark.parametrize("year", SHIPPED_YEARS)
def test_the_package_and_the_rule_agree_with_the_shipped_data(
    production: ProductionCalendar, year: int
) -> None:
    shipped = production.year(year)
    derived = year_from_package(year)
    assert set(derived.days_off) == set(shipped.days_off)
    assert {d: w.instead_of for d, w in derived.working_weekend_days.items()} == {
        d: w.instead_of for d, w in shipped.working_weekend_days.items()
    }
    assert set(derived.shortened) == set(shipped.shortened)


def test_the_subtle_shortened_days(production: ProductionCalendar) -> None:
    assert dt.date(2024, 11, 2) in production.year(2024).shortened  # a working Saturday
    assert dt.date(2025, 11, 1) in production.year(2025).shortened  # a working Saturday
    assert dt.date(2021, 2, 20) in production.year(2021).shortened  # a working Saturday
    assert dt.date(2024, 12, 28) not in production.year(2024).shortened  # a working Saturday
    assert dt.date(2024, 4, 27) not in production.year(2024).shortened  # a working Saturday
    assert dt.date(2025, 5, 7) not in production.year(2025).shortened  # eve of a moved day off
    assert dt.date(2019, 12, 31) in production.year(2019).shortened  # eve of 1 January


def test_presidential_non_working_days_are_not_in_the_calendar(cal: WorkCalendar) -> None:
    # Указ № 206 (2020) and № 242 (2021) did not change the production calendar.
    assert cal.is_working_day(dt.date(2020, 4, 1))
    assert cal.is_working_day(dt.date(2021, 5, 5))


def test_a_year_without_a_file_falls_back_to_the_package_and_says_so(
    caplog: pytest.LogCaptureFixture,
) -> None:
    production = ProductionCalendar()
    with caplog.at_level(logging.WARNING, logger="desktop.services.production_calendar"):
        fallback = production.year(2028)
        production.year(2028)
    assert not fallback.shipped
    assert "holidays" in fallback.source
    warnings = [r.getMessage() for r in caplog.records if "2028" in r.getMessage()]
    assert len(warnings) == 1
    assert "2028.toml" in warnings[0]
    # 01.01.2028 is a Saturday; the decree for 2028 is unknown to this package, but the fixed
    # holidays and the rule still hold: 07.03.2028 (Tue) is the eve of 8 March.
    assert dt.date(2028, 1, 3) in fallback.days_off
    assert dt.date(2028, 3, 8) in fallback.days_off
    assert dt.date(2028, 3, 7) in fallback.shortened


@pytest.mark.parametrize(
    ("holiday", "day_off"),
    [
        (dt.date(2028, 11, 4), dt.date(2028, 11, 6)),  # Unity Day on a Saturday
        (dt.date(2029, 11, 4), dt.date(2029, 11, 5)),  # on a Sunday
        (dt.date(2030, 2, 23), dt.date(2030, 2, 25)),
        (dt.date(2031, 3, 8), dt.date(2031, 3, 10)),
        (dt.date(2032, 5, 1), dt.date(2032, 5, 3)),
        (dt.date(2032, 5, 9), dt.date(2032, 5, 10)),
    ],
)
def test_a_fallback_year_moves_weekend_holidays_to_monday_by_art_112(
    holiday: dt.date, day_off: dt.date
) -> None:
    year = year_from_package(holiday.year)
    assert holiday.weekday() >= 5
    assert day_off in year.days_off
    assert "ст. 112" in year.days_off[day_off]
    assert not WorkCalendar().is_working_day(day_off)


def test_the_january_holidays_on_a_weekend_wait_for_a_decree() -> None:
    # 01–02.01.2028 fall on the weekend; where their days off go only a decree says.
    assert dt.date(2028, 1, 10) not in year_from_package(2028).days_off


def test_years_before_the_package_have_no_data() -> None:
    with pytest.raises(CalendarDataMissing, match="1985"):
        ProductionCalendar().year(1985)


# --- the file format -----------------------------------------------------------------------


def _write(folder: Path, year: int, body: str) -> Path:
    path = folder / f"{year}.toml"
    path.write_text(body, encoding="utf-8")
    return path


GOOD = """
year = 2030
decree = "Постановление Правительства РФ от 01.09.2029 № 1 «О переносе выходных дней в 2030 году»"
[days_off]
2030-01-01 = "Новогодние каникулы"
[working_days]
2030-01-05 = { instead_of = 2030-01-10, note = "Рабочая суббота" }
[shortened_days]
2030-01-05 = "Канун"
[norms]
year = [1, 7]
01 = [1, 7]
"""


def test_a_file_in_another_folder_is_read_over_the_package(tmp_path: Path) -> None:
    _write(tmp_path, 2030, GOOD)
    production = ProductionCalendar(folder=tmp_path)
    year = production.year(2030)
    assert year.shipped
    assert year.days_off == {dt.date(2030, 1, 1): "Новогодние каникулы"}
    assert year.working_weekend_days[dt.date(2030, 1, 5)].instead_of == dt.date(2030, 1, 10)
    assert year.month_norms == {1: Norm(1, 7)}
    cal = WorkCalendar(production=production)
    assert cal.day_intervals(dt.date(2030, 1, 5)) == [
        (dt.time(9), dt.time(13)),
        (dt.time(14), dt.time(17)),
    ]


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (("year = 2030", "year = 2031"), "не совпадает с именем файла"),
        (('decree = "Пост', 'decree_ = "Пост'), "decree"),
        (('2030-01-01 = "Новогодние', '2030-01-06 = "Новогодние'), "суббота или воскресенье"),
        (('2030-01-01 = "Новогодние', '2031-01-01 = "Новогодние'), "не из 2030 года"),
        (('2030-01-01 = "Новогодние', '2030-13-01 = "Новогодние'), "не дата"),
        (("2030-01-05 = { instead_of", "2030-01-07 = { instead_of"), "не суббота"),
        (('2030-01-05 = "Канун"', '2030-01-01 = "Канун"'), "не рабочий"),
        (("01 = [1, 7]", "13 = [1, 7]"), "неизвестный месяц"),
        (("01 = [1, 7]", "01 = [1]"), "парой"),
        (('[days_off]\n2030-01-01 = "Новогодние каникулы"', "days_off = 3"), "таблицей"),
        (("year = [1, 7]", "year = [1, 7"), "повреждён"),
    ],
)
def test_a_malformed_file_is_refused_with_its_name(
    tmp_path: Path, change: tuple[str, str], complaint: str
) -> None:
    path = _write(tmp_path, 2030, GOOD.replace(*change))
    with pytest.raises(ProductionCalendarError, match=complaint) as raised:
        parse_year_file(path)
    assert str(path) in str(raised.value)


def test_the_shipped_files_are_in_the_resources_folder() -> None:
    assert calendar_folder().parts[-3:] == ("resources", "calendar", "ru")
    assert all(parse_year_file(calendar_folder() / f"{y}.toml") for y in SHIPPED_YEARS)
