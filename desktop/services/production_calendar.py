"""The Russian production calendar: days off, working weekend days and shortened days.

Shipped data wins: `resources/calendar/ru/YYYY.toml`, one readable file a year, written from
the government's decree on moving days off (named in the file) and checked by the tests
against the official norms of working time it also carries. For a year without a file the
`holidays` package gives the non-working days and the working weekend days, and the rule of
art. 95 of the Labour Code gives the shortened days; the log says so once per year.

The rule, as the official calendars of 2019–2027 apply it:
- a working weekday is shortened when the next day is a non-working public holiday of
  art. 112 (not a day off moved there by a decree: 7 May 2025 is a full day before the
  day off of 8 May);
- a working Saturday or Sunday stands in for the weekday whose day off moved onto it, and is
  shortened when that weekday would have been (2 Nov 2024 stands in for 30 Apr, the eve of
  1 May; 28 Dec 2024 stands in for 30 Dec, an ordinary day).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
import threading
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.services.errors import CalendarDataMissing, ProductionCalendarError
from desktop.services.paths import resources_dir

log = logging.getLogger(__name__)

SATURDAY = 5
_ONE_DAY = dt.timedelta(days=1)
_SUBSTITUTED = re.compile(r"substituted from (\d{2})/(\d{2})/(\d{4})")
PACKAGE_SOURCE = "пакет holidays и правило ст. 95 ТК РФ (данных производственного календаря нет)"


def calendar_folder() -> Path:
    return resources_dir() / "calendar" / "ru"


@dataclass(frozen=True)
class Norm:
    """An official norm of working time for a 40-hour week: working days and hours."""

    days: int
    hours: int


@dataclass(frozen=True)
class WorkingWeekendDay:
    """A Saturday or Sunday worked by decree, with the weekday whose day off moved onto it."""

    instead_of: dt.date | None
    note: str = ""


@dataclass(frozen=True)
class YearCalendar:
    """One year of the production calendar for the five-day week."""

    year: int
    source: str  # the decree, or the package fallback
    shipped: bool
    days_off: Mapping[dt.date, str] = field(default_factory=dict)  # Mon–Fri, with the reason
    working_weekend_days: Mapping[dt.date, WorkingWeekendDay] = field(default_factory=dict)
    shortened: Mapping[dt.date, str] = field(default_factory=dict)
    year_norm: Norm | None = None
    month_norms: Mapping[int, Norm] = field(default_factory=dict)

    def is_working_day(self, day: dt.date) -> bool:
        if day.weekday() >= SATURDAY:
            return day in self.working_weekend_days
        return day not in self.days_off


# --- shipped files -------------------------------------------------------------------------


def _bad(path: Path, what: str) -> ProductionCalendarError:
    return ProductionCalendarError(f"Файл производственного календаря {path} повреждён: {what}.")


def _date_key(path: Path, year: int, key: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(key)
    except ValueError:
        raise _bad(path, f"«{key}» — не дата ГГГГ-ММ-ДД") from None
    if day.year != year:
        raise _bad(path, f"дата {key} не из {year} года")
    return day


def _table(path: Path, data: dict[str, Any], name: str) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise _bad(path, f"[{name}] должен быть таблицей")
    return value


def _norm(path: Path, key: str, value: object) -> Norm:
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int) and v >= 0 for v in value)
    ):
        raise _bad(path, f"норма «{key}» должна быть парой [дней, часов]")
    return Norm(days=value[0], hours=value[1])


def _working_weekend_day(path: Path, day: dt.date, value: object) -> WorkingWeekendDay:
    if day.weekday() < SATURDAY:
        raise _bad(path, f"{day} в [working_days] — не суббота и не воскресенье")
    if isinstance(value, str):
        return WorkingWeekendDay(instead_of=None, note=value)
    if not isinstance(value, dict) or not isinstance(value.get("note", ""), str):
        raise _bad(path, f"{day} в [working_days]: ожидается {{ instead_of = дата, note = … }}")
    instead_of = value.get("instead_of")
    if instead_of is not None and (
        not isinstance(instead_of, dt.date) or instead_of.weekday() >= SATURDAY
    ):
        raise _bad(path, f"{day}: instead_of должен быть датой с понедельника по пятницу")
    return WorkingWeekendDay(instead_of=instead_of, note=value.get("note", ""))


def parse_year_file(path: Path) -> YearCalendar:
    """Read and check one `YYYY.toml`; a malformed file raises `ProductionCalendarError`."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise _bad(path, str(exc)) from exc
    year = data.get("year")
    if not isinstance(year, int) or path.stem != str(year):
        raise _bad(path, "поле year не совпадает с именем файла")
    decree = data.get("decree")
    if not isinstance(decree, str) or not decree.strip():
        raise _bad(path, "не указан документ (decree), по которому составлен календарь")

    days_off: dict[dt.date, str] = {}
    for key, reason in _table(path, data, "days_off").items():
        day = _date_key(path, year, key)
        if day.weekday() >= SATURDAY:
            raise _bad(path, f"{key} в [days_off] — суббота или воскресенье, они и так выходные")
        days_off[day] = str(reason)
    working = {
        day: _working_weekend_day(path, day, value)
        for key, value in _table(path, data, "working_days").items()
        for day in [_date_key(path, year, key)]
    }
    shortened: dict[dt.date, str] = {}
    for key, note in _table(path, data, "shortened_days").items():
        day = _date_key(path, year, key)
        if day in days_off or (day.weekday() >= SATURDAY and day not in working):
            raise _bad(path, f"сокращённый день {key} не рабочий")
        shortened[day] = str(note)

    norms = _table(path, data, "norms")
    year_norm = _norm(path, "year", norms["year"]) if "year" in norms else None
    month_norms: dict[int, Norm] = {}
    for key, value in norms.items():
        if key == "year":
            continue
        if not key.isdigit() or not 1 <= int(key) <= 12:
            raise _bad(path, f"в [norms] неизвестный месяц «{key}»")
        month_norms[int(key)] = _norm(path, key, value)
    return YearCalendar(
        year=year,
        source=decree.strip(),
        shipped=True,
        days_off=days_off,
        working_weekend_days=working,
        shortened=shortened,
        year_norm=year_norm,
        month_norms=month_norms,
    )


# --- the holidays package and the pre-holiday rule -----------------------------------------


def _russia() -> type[Any]:
    """The package's calendar, imported when first needed: importing any country of
    `holidays` imports all of them (0.15 s at every start), and the shipped years need none."""
    from holidays.countries.russia import Russia

    return Russia


def _package_range() -> tuple[int, int]:
    russia_ = _russia()
    return int(russia_.start_year), int(russia_.end_year)


def _missing(year: int) -> CalendarDataMissing:
    first, last = _package_range()
    return CalendarDataMissing(
        year,
        f"Нет данных производственного календаря на {year} год: их нет ни в Отклике, ни в "
        f"пакете holidays (он знает годы {first}–{last}). Добавьте файл "
        f"resources/calendar/ru/{year}.toml по постановлению Правительства РФ о переносе "
        "выходных дней (образец — файлы соседних лет) или обновите Отклик.",
    )


def _weekend_holiday_days_off(
    year: int,
    names: Mapping[dt.date, str],
    holidays: set[dt.date],
    moved: Mapping[dt.date, dt.date],
    taken: set[dt.date],
) -> dict[dt.date, str]:
    """Art. 112 part 2: a holiday on a Saturday or Sunday (but 1–8 January) gives a day off on
    the next working day. The package lists these only for the years its authors entered, so
    the rule fills in the rest; a holiday whose day off a decree moved elsewhere is skipped."""
    given = {
        name.removesuffix(" (observed)")
        for day, name in names.items()
        if day.year == year and name.endswith(" (observed)")
    }
    found: dict[dt.date, str] = {}
    for holiday in sorted(day for day in holidays if day.year == year):
        if holiday.weekday() < SATURDAY or (holiday.month == 1 and holiday.day <= 8):
            continue
        if holiday in moved or names[holiday] in given:
            continue
        day = holiday + _ONE_DAY
        while day.weekday() >= SATURDAY or day in taken or day in found:
            day += _ONE_DAY
        found[day] = f"Выходной за праздник {holiday:%d.%m} (ст. 112 ТК РФ)"
    return found


def _shortened_by_rule(
    calendar: YearCalendar, holidays: set[dt.date], names: Mapping[dt.date, str]
) -> dict[dt.date, str]:
    """Art. 95: the working day before a holiday, or standing in for the weekday before one."""
    found: dict[dt.date, str] = {}
    day = dt.date(calendar.year, 1, 1)
    while day.year == calendar.year:
        if calendar.is_working_day(day):
            weekend = calendar.working_weekend_days.get(day)
            stands_for = day if weekend is None else weekend.instead_of
            eve_of = None if stands_for is None else stands_for + _ONE_DAY
            if eve_of in holidays:
                found[day] = f"Предпраздничный день: {names[eve_of]}"
        day += _ONE_DAY
    return found


def _working_weekend_note(instead_of: dt.date | None) -> str:
    if instead_of is None:
        return "Рабочий выходной день"
    return f"Рабочий день вместо {instead_of:%d.%m.%Y}"


def year_from_package(year: int) -> YearCalendar:
    """The package's days off and working weekend days, with the rules' days off and
    shortened days. It reads the next year too: the eve of 1 January is in December."""
    first, last = _package_range()
    if not first <= year <= last - 1:
        raise _missing(year)
    country = _russia()
    english = country(years=(year, year + 1), language="en_US")  # names the code can read
    russian = country(years=(year, year + 1), language="ru")
    holidays = {
        day for day, name in english.items() if not ("substituted" in name or "observed" in name)
    }
    moved: dict[dt.date, dt.date] = {}  # the day whose rest moved -> the day off it moved to
    for day, name in english.items():
        found = _SUBSTITUTED.search(name)
        if found:
            month, dom, source_year = (int(part) for part in found.groups())
            moved[dt.date(source_year, month, dom)] = day
    days_off = {d: russian[d] for d in english if d.year == year and d.weekday() < SATURDAY}
    days_off.update(
        _weekend_holiday_days_off(year, english, holidays, moved, holidays | days_off.keys())
    )
    calendar = YearCalendar(
        year=year,
        source=PACKAGE_SOURCE,
        shipped=False,
        days_off=days_off,
        working_weekend_days={
            day: WorkingWeekendDay(moved.get(day), _working_weekend_note(moved.get(day)))
            for day in english.weekend_workdays
            if day.year == year
        },
    )
    return dataclasses.replace(calendar, shortened=_shortened_by_rule(calendar, holidays, russian))


# --- both together -------------------------------------------------------------------------


class ProductionCalendar:
    """Year calendars on demand: the shipped file if there is one, else the package."""

    def __init__(self, folder: Path | None = None) -> None:
        self._folder = folder
        self._years: dict[int, YearCalendar] = {}
        self._lock = threading.Lock()

    @property
    def folder(self) -> Path:
        return calendar_folder() if self._folder is None else self._folder

    def shipped_years(self) -> list[int]:
        if not self.folder.is_dir():
            return []
        return sorted(int(p.stem) for p in self.folder.glob("*.toml") if p.stem.isdigit())

    def year(self, year: int) -> YearCalendar:
        found = self._years.get(year)
        if found is None:
            with self._lock:
                found = self._years.get(year)
                if found is None:
                    found = self._load(year)
                    self._years[year] = found
        return found

    def _load(self, year: int) -> YearCalendar:
        path = self.folder / f"{year}.toml"
        if path.is_file():
            return parse_year_file(path)
        loaded = year_from_package(year)
        log.warning(
            "no production calendar shipped for %d (%s): using the holidays package and the "
            "pre-holiday rule of art. 95; transfers decreed after this package was released "
            "are missing — add %s or mark them as calendar overrides",
            year,
            path,
            path.name,
        )
        return loaded


_DEFAULT = ProductionCalendar()


def russia() -> ProductionCalendar:
    """The process-wide production calendar (its years are read once)."""
    return _DEFAULT
