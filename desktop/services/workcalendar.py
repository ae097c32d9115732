"""Working time: every deadline and countdown of Otklik, on the office's hours and calendar.

Four clocks (`Clock`): the office's working intervals; whole working days; wall-clock hours
with non-working days skipped whole; plain wall-clock time. Datetimes are naive local office
time; the service layer converts from UTC with the office's time zone.

How it stays fast: a timeline holds, for each day of the years in use, the day's working
intervals in microseconds since midnight and the working time and working days before the
day. A moment's position on a clock is one lookup plus a walk over the day's two or three
intervals; `add` finds the day by binary search. Nothing loops over minutes or days, so
countdowns for thousands of incidents are recomputed every second. Integer microseconds
keep `elapsed(s, add(s, d)) == d` exact.
"""

from __future__ import annotations

import bisect
import datetime as dt
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from desktop.models.enums import CalendarOverrideKind
from desktop.services.errors import MixedDatetimeError, ValidationError, WorkCalendarError
from desktop.services.office_hours import (
    US_PER_SECOND,
    Interval,
    MicroInterval,
    OfficeHours,
    us_to_time,
)
from desktop.services.production_calendar import ProductionCalendar, YearCalendar, russia

__all__ = [
    "CalendarOverride",
    "CalendarOverrideKind",
    "Clock",
    "OfficeHours",
    "WorkCalendar",
]

DAY_US = 86_400 * US_PER_SECOND
PRE_HOLIDAY_CUT_US = 3_600 * US_PER_SECOND  # art. 95 of the Labour Code: one hour shorter
SATURDAY = 5
# A timeline grows to take in years near it; a far-off year gets a timeline of its own
# rather than every year in between.
_MAX_GAP_YEARS = 2


class Clock(StrEnum):
    """What a duration of a regulation is counted in."""

    WORKING_HOURS = "working_hours"  # «8 рабочих часов», «30 минут рабочего времени»
    WORKING_DAYS = "working_days"  # «в течение 7 рабочих дней»: the end of the N-th working day
    WORKDAY_CALENDAR_HOURS = "workday_calendar_hours"  # «24 часа, выходные не учитываются»
    CALENDAR = "calendar"  # plain wall-clock time


@dataclass(frozen=True)
class CalendarOverride:
    """The office's own change to one day: a regional holiday, a local decree."""

    day: dt.date
    kind: CalendarOverrideKind
    note: str = ""


def _us(delta: dt.timedelta) -> int:
    return (delta.days * 86_400 + delta.seconds) * US_PER_SECOND + delta.microseconds


def _us_of_day(moment: dt.datetime) -> int:
    # Spelt out rather than time_to_us(moment.time()): this runs for every countdown, every second.
    seconds = (moment.hour * 60 + moment.minute) * 60 + moment.second
    return seconds * US_PER_SECOND + moment.microsecond


def _shortened(intervals: tuple[MicroInterval, ...]) -> tuple[MicroInterval, ...]:
    """The day one hour shorter at its end, across intervals if the last is under an hour."""
    if sum(end - start for start, end in intervals) <= PRE_HOLIDAY_CUT_US:
        return intervals  # a day this short has no hour to give
    cut = PRE_HOLIDAY_CUT_US
    kept = list(intervals)
    while cut:
        start, end = kept.pop()
        if end - start > cut:
            kept.append((start, end - cut))
            cut = 0
        else:
            cut -= end - start
    return tuple(kept)


class _Timeline:
    """Cumulative working time over whole years; immutable once built."""

    def __init__(self, calendar: WorkCalendar, first_year: int, last_year: int) -> None:
        self.first_year = first_year
        self.last_year = last_year
        first = dt.date(first_year, 1, 1)
        self.first_ordinal = first.toordinal()
        count = dt.date(last_year, 12, 31).toordinal() - self.first_ordinal + 1
        self.intervals: list[tuple[MicroInterval, ...]] = []
        self.midnights: list[dt.datetime] = []
        self.work_before = [0]  # microseconds of working time before each day (and after all)
        self.working_days_before = [0]
        work = days = 0
        for offset in range(count):
            day = dt.date.fromordinal(self.first_ordinal + offset)
            intervals = calendar._micro_intervals(day)
            self.intervals.append(intervals)
            self.midnights.append(dt.datetime(day.year, day.month, day.day))
            work += sum(end - start for start, end in intervals)
            days += bool(intervals)
            self.work_before.append(work)
            self.working_days_before.append(days)

        self.total_work = work
        self.total_working_days = days

    def index(self, moment: dt.datetime | dt.date) -> int:
        return moment.toordinal() - self.first_ordinal

    def working_position(self, moment: dt.datetime) -> int:
        """Working microseconds from the timeline's start to `moment`."""
        i = moment.toordinal() - self.first_ordinal
        now = _us_of_day(moment)
        position = self.work_before[i]
        for start, end in self.intervals[i]:
            if now <= start:
                break
            position += (now if now < end else end) - start
        return position

    def workday_position(self, moment: dt.datetime) -> int:
        """Wall-clock microseconds from the timeline's start, non-working days left out."""
        i = moment.toordinal() - self.first_ordinal
        position = self.working_days_before[i] * DAY_US
        return position + _us_of_day(moment) if self.intervals[i] else position

    def completed_working_days(self, moment: dt.datetime) -> int:
        """Working days whose office hours are over at `moment`."""
        i = moment.toordinal() - self.first_ordinal
        done = self.working_days_before[i + 1]
        intervals = self.intervals[i]
        if intervals and _us_of_day(moment) < intervals[-1][1]:
            done -= 1
        return done


class WorkCalendar:
    """The office's working time: office hours on the production calendar with overrides.

    `production` is the Russian calendar unless given (tests and benchmarks pass their own).
    """

    def __init__(
        self,
        hours: OfficeHours | None = None,
        overrides: Iterable[CalendarOverride | tuple[dt.date, CalendarOverrideKind | str]] = (),
        *,
        production: ProductionCalendar | None = None,
    ) -> None:
        self.hours = OfficeHours.default() if hours is None else hours
        found: dict[dt.date, CalendarOverride] = {}
        for given in overrides:
            override = _override_of(given)
            if override.day in found:
                raise ValidationError(f"День {override.day:%d.%m.%Y} изменён в календаре дважды.")
            found[override.day] = override
        self.overrides: Mapping[dt.date, CalendarOverride] = found
        self.production = russia() if production is None else production
        self._timeline: _Timeline | None = None
        self._lock = threading.Lock()

    # --- days ----------------------------------------------------------------------------

    def day_intervals(self, day: dt.date) -> list[Interval]:
        """The day's working intervals; [] on a day off; a shortened day ends an hour early."""
        return [(us_to_time(a), us_to_time(b)) for a, b in self._micro_intervals(_day_of(day))]

    def is_working_day(self, day: dt.date) -> bool:
        return bool(self._micro_intervals(_day_of(day)))

    def is_shortened(self, day: dt.date) -> bool:
        day = _day_of(day)
        override = self.overrides.get(day)
        if override is not None:
            return override.kind is CalendarOverrideKind.SHORTENED
        return day in self.production.year(day.year).shortened

    def is_working_time(self, moment: dt.datetime) -> bool:
        """Inside a working interval: from its start (included) to its end (excluded)."""
        _check_moment(moment)
        now = _us_of_day(moment)
        return any(a <= now < b for a, b in self._micro_intervals(moment.date()))

    def year_calendar(self, year: int) -> YearCalendar:
        """The production calendar of `year` (the shipped file or the package's fallback)."""
        return self.production.year(year)

    def _micro_intervals(self, day: dt.date) -> tuple[MicroInterval, ...]:
        year = self.production.year(day.year)
        override = self.overrides.get(day)
        if override is not None:
            if override.kind is CalendarOverrideKind.DAY_OFF:
                return ()
            hours = self._hours_of_working_day(day, year)
            shortened = override.kind is CalendarOverrideKind.SHORTENED
        else:
            if not year.is_working_day(day):
                return ()
            hours = self._hours_of_working_day(day, year)
            shortened = day in year.shortened
        return _shortened(hours) if shortened else hours

    def _hours_of_working_day(self, day: dt.date, year: YearCalendar) -> tuple[MicroInterval, ...]:
        """A weekday's own hours; a working Saturday or Sunday without hours of its own works
        the hours of the weekday it stands in for, else the first weekday that has hours."""
        own = self.hours.micro_intervals(day.weekday())
        if own:
            return own
        stands_for = year.working_weekend_days.get(day)
        if stands_for is not None and stands_for.instead_of is not None:
            instead = self.hours.micro_intervals(stands_for.instead_of.weekday())
            if instead:
                return instead
        return next(d for w in range(SATURDAY) if (d := self.hours.micro_intervals(w)))

    # --- the timeline --------------------------------------------------------------------

    def _covering(self, first_year: int, last_year: int) -> _Timeline:
        timeline = self._timeline
        if (
            timeline is not None
            and timeline.first_year <= first_year
            and last_year <= timeline.last_year
        ):
            return timeline
        return self._extended(first_year, last_year)

    def _extended(self, first_year: int, last_year: int) -> _Timeline:
        # A year without data fails here, naming the year asked for.
        self.production.year(first_year)
        self.production.year(last_year)
        with self._lock:
            timeline = self._timeline
            if timeline is not None and (
                first_year - _MAX_GAP_YEARS <= timeline.last_year
                and timeline.first_year <= last_year + _MAX_GAP_YEARS
            ):
                first_year = min(first_year, timeline.first_year)
                last_year = max(last_year, timeline.last_year)
                if timeline.first_year == first_year and timeline.last_year == last_year:
                    return timeline
            timeline = _Timeline(self, first_year, last_year)
            self._timeline = timeline
            return timeline

    # --- arithmetic ----------------------------------------------------------------------

    def add(
        self,
        start: dt.datetime,
        amount: dt.timedelta | int,
        clock: Clock = Clock.WORKING_HOURS,
    ) -> dt.datetime:
        """The moment `amount` of `clock` time after `start`.

        A start outside working time starts the clock at the next opening; a result that
        lands exactly on the end of an interval stays there. A zero amount returns `start`.
        `amount` is a timedelta, or a number of days for `Clock.WORKING_DAYS`.
        """
        _check_moment(start)
        if type(clock) is not Clock:
            clock = Clock(clock)
        if clock is Clock.WORKING_DAYS:
            days = _whole_days(amount)
            return start if days == 0 else self._add_working_days(start, days)
        micro = _duration_us(amount)
        if micro == 0:
            return start
        if clock is Clock.CALENDAR:
            return start + dt.timedelta(microseconds=micro)
        if clock is Clock.WORKING_HOURS:
            return self._add_working_time(start, micro)
        return self._add_workday_time(start, micro)

    def elapsed(
        self,
        start: dt.datetime,
        end: dt.datetime,
        clock: Clock = Clock.WORKING_HOURS,
    ) -> dt.timedelta:
        """`clock` time from `start` to `end`; zero when `start >= end`.

        For `Clock.WORKING_DAYS` the result is whole days: the working days after the day
        of `start` whose office hours were over by `end`.
        """
        _check_pair(start, end)
        if type(clock) is not Clock:
            clock = Clock(clock)
        if start >= end:
            return dt.timedelta(0)
        if clock is Clock.CALENDAR:
            return end - start
        timeline = self._covering(start.year, end.year)
        if clock is Clock.WORKING_HOURS:
            micro = timeline.working_position(end) - timeline.working_position(start)
            return dt.timedelta(0, 0, micro)
        if clock is Clock.WORKDAY_CALENDAR_HOURS:
            micro = timeline.workday_position(end) - timeline.workday_position(start)
            return dt.timedelta(0, 0, micro)
        first_counted = timeline.working_days_before[timeline.index(start) + 1]
        days = timeline.completed_working_days(end) - first_counted
        return dt.timedelta(days=max(days, 0))

    def _add_working_time(self, start: dt.datetime, micro: int) -> dt.datetime:
        timeline = self._timeline  # the covering check inline: this is the countdowns' path
        year = start.year
        if timeline is None or not timeline.first_year <= year <= timeline.last_year:
            timeline = self._extended(year, year)
        target = timeline.working_position(start) + micro
        while target > timeline.total_work:  # the deadline is in a later year
            timeline = self._covering(start.year, timeline.last_year + 1)
            target = timeline.working_position(start) + micro
        i = timeline.index(start)
        j = bisect.bisect_left(timeline.work_before, target, i + 1) - 1
        left = target - timeline.work_before[j]
        for begin, end in timeline.intervals[j]:
            if left <= end - begin:
                return timeline.midnights[j] + dt.timedelta(0, 0, begin + left)
            left -= end - begin
        raise AssertionError("the cumulative sums and the intervals disagree")  # pragma: no cover

    def _add_workday_time(self, start: dt.datetime, micro: int) -> dt.datetime:
        timeline = self._covering(start.year, start.year)
        target = timeline.workday_position(start) + micro
        while target > timeline.total_working_days * DAY_US:
            timeline = self._covering(start.year, timeline.last_year + 1)
            target = timeline.workday_position(start) + micro
        whole, left = divmod(target, DAY_US)
        if left == 0:  # the end of a working day: midnight after it, not the next one's start
            whole, left = whole - 1, DAY_US
        # the (whole + 1)-th working day of the timeline
        j = bisect.bisect_left(timeline.working_days_before, whole + 1, timeline.index(start) + 1)
        return timeline.midnights[j - 1] + dt.timedelta(microseconds=left)

    def _add_working_days(self, start: dt.datetime, days: int) -> dt.datetime:
        timeline = self._covering(start.year, start.year)
        while True:
            i = timeline.index(start)
            target = timeline.working_days_before[i + 1] + days
            if target <= timeline.total_working_days:
                break
            timeline = self._covering(start.year, timeline.last_year + 1)
        j = bisect.bisect_left(timeline.working_days_before, target, i + 1) - 1
        return timeline.midnights[j] + dt.timedelta(microseconds=timeline.intervals[j][-1][1])


# --- input checks ------------------------------------------------------------------------


def _day_of(day: dt.date) -> dt.date:
    if isinstance(day, dt.datetime):
        _check_moment(day)
        return day.date()
    if not isinstance(day, dt.date):
        raise TypeError(f"ожидается дата, получено {type(day).__name__}")
    return day


def _override_of(given: object) -> CalendarOverride:
    """A `CalendarOverride`, or a pair (date, kind) with the kind as the enum or its value."""
    if isinstance(given, CalendarOverride):
        return given
    if isinstance(given, tuple | list) and len(given) in (2, 3):
        day, kind, *note = given
        if isinstance(day, dt.date) and not isinstance(day, dt.datetime):
            try:
                return CalendarOverride(day, CalendarOverrideKind(kind), *map(str, note))
            except ValueError:
                pass
    kinds = ", ".join(kind.value for kind in CalendarOverrideKind)
    raise ValidationError(
        f"Изменение календаря должно быть CalendarOverride или парой (дата, вид: {kinds}), "
        f"получено {given!r}."
    )


def _check_moment(moment: dt.datetime) -> None:
    if not isinstance(moment, dt.datetime):
        raise TypeError(f"ожидается datetime, получено {type(moment).__name__}")
    if moment.tzinfo is not None:
        raise MixedDatetimeError(
            f"Рабочее время считается в местном времени офиса без часового пояса, а получено "
            f"{moment.isoformat()}: переведите момент в часовой пояс офиса и уберите tzinfo."
        )


def _check_pair(start: dt.datetime, end: dt.datetime) -> None:
    for moment in (start, end):
        if not isinstance(moment, dt.datetime):
            raise TypeError(f"ожидается datetime, получено {type(moment).__name__}")
    if start.tzinfo is None and end.tzinfo is None:
        return
    if (start.tzinfo is None) != (end.tzinfo is None):
        raise MixedDatetimeError(
            f"Нельзя сравнивать момент с часовым поясом и без него: {start.isoformat()} и "
            f"{end.isoformat()}. Рабочее время считается в местном времени офиса без пояса."
        )
    _check_moment(start)


def _duration_us(amount: dt.timedelta | int) -> int:
    if not isinstance(amount, dt.timedelta):
        raise TypeError(
            f"длительность должна быть timedelta, получено {type(amount).__name__} "
            "(целое число дней — только для Clock.WORKING_DAYS)"
        )
    if amount.days < 0:  # a negative timedelta always has negative days
        raise WorkCalendarError(f"Длительность не может быть отрицательной: {amount}.")
    return _us(amount)


def _whole_days(amount: dt.timedelta | int) -> int:
    if isinstance(amount, dt.timedelta):
        if amount.seconds or amount.microseconds:
            raise WorkCalendarError(f"Рабочие дни считаются целыми днями, получено {amount}.")
        days = amount.days
    elif isinstance(amount, int) and not isinstance(amount, bool):
        days = amount
    else:
        raise TypeError(f"число рабочих дней должно быть целым, получено {type(amount).__name__}")
    if days < 0:
        raise WorkCalendarError(f"Число рабочих дней не может быть отрицательным: {days}.")
    return days
