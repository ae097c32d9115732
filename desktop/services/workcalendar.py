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
from types import MappingProxyType

from desktop.models.enums import CalendarOverrideKind
from desktop.services.errors import MixedDatetimeError, ValidationError, WorkCalendarError
from desktop.services.office_hours import (
    US_PER_SECOND,
    Interval,
    MicroInterval,
    OfficeHours,
    us_to_time,
)
from desktop.services.production_calendar import (
    SATURDAY,
    ProductionCalendar,
    YearCalendar,
    russia,
)

__all__ = [
    "CalendarOverride",
    "CalendarOverrideKind",
    "Clock",
    "OfficeHours",
    "WorkCalendar",
]

DAY_US = 86_400 * US_PER_SECOND
PRE_HOLIDAY_CUT_US = 3_600 * US_PER_SECOND  # art. 95 of the Labour Code: one hour shorter
# A timeline grows to take in years near it; a far-off year gets a timeline of its own
# rather than every year in between.
_MAX_GAP_YEARS = 2
_KEPT_TIMELINES = 4


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

    def __post_init__(self) -> None:
        if not isinstance(self.day, dt.date) or isinstance(self.day, dt.datetime):
            raise ValidationError(f"Изменение календаря относится к дате, получено {self.day!r}.")
        try:
            kind = CalendarOverrideKind(self.kind)
        except ValueError:
            kinds = ", ".join(kind.value for kind in CalendarOverrideKind)
            raise ValidationError(
                f"Неизвестный вид дня {self.kind!r} для {self.day:%d.%m.%Y}; можно: {kinds}."
            ) from None
        object.__setattr__(self, "kind", kind)  # "day_off" becomes the enum: `is` compares it
        object.__setattr__(self, "note", str(self.note))


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


class _YearDays:
    """One year's days as the engine uses them: working intervals and midnights."""

    __slots__ = ("intervals", "midnights")

    def __init__(self, calendar: WorkCalendar, year: int) -> None:
        first = dt.date(year, 1, 1).toordinal()
        days = [dt.date.fromordinal(n) for n in range(first, dt.date(year, 12, 31).toordinal() + 1)]
        self.intervals = [calendar._micro_intervals(day) for day in days]
        self.midnights = [dt.datetime(day.year, day.month, day.day) for day in days]


class _Timeline:
    """Cumulative working time over consecutive whole years; immutable once built."""

    def __init__(self, years: list[_YearDays], first_year: int) -> None:
        self.first_year = first_year
        self.last_year = first_year + len(years) - 1
        self.first_ordinal = dt.date(first_year, 1, 1).toordinal()
        self.intervals = [day for year in years for day in year.intervals]
        self.midnights = [midnight for year in years for midnight in year.midnights]
        self.work_before = [0]  # microseconds of working time before each day (and after all)
        self.working_days_before = [0]
        work = days = 0
        for intervals in self.intervals:
            for start, end in intervals:
                work += end - start
            days += bool(intervals)
            self.work_before.append(work)
            self.working_days_before.append(days)
        self.total_work = work
        self.total_working_days = days

    def covers(self, first_year: int, last_year: int) -> bool:
        return self.first_year <= first_year and last_year <= self.last_year

    def index(self, moment: dt.datetime | dt.date) -> int:
        return moment.toordinal() - self.first_ordinal

    def moment_at(self, position: int, first_day: int = 0) -> dt.datetime:
        """The moment at a working position (> 0): inside or at the end of an interval.

        `first_day` is a day index known to be at or before the answer, to shorten the search.
        """
        j = bisect.bisect_left(self.work_before, position, first_day) - 1
        left = position - self.work_before[j]
        for begin, end in self.intervals[j]:
            if left <= end - begin:
                return self.midnights[j] + dt.timedelta(0, 0, begin + left)
            left -= end - begin
        raise AssertionError("the cumulative sums and the intervals disagree")  # pragma: no cover

    def working_position(self, moment: dt.datetime) -> int:
        """Working microseconds from the timeline's start to `moment`."""
        i = moment.toordinal() - self.first_ordinal
        now = _us_of_day(moment)
        position = self.work_before[i]
        if not now:  # midnight, also the one that ends the timeline
            return position
        for start, end in self.intervals[i]:
            if now <= start:
                break
            position += (now if now < end else end) - start
        return position

    def workday_position(self, moment: dt.datetime) -> int:
        """Wall-clock microseconds from the timeline's start, non-working days left out."""
        i = moment.toordinal() - self.first_ordinal
        position = self.working_days_before[i] * DAY_US
        now = _us_of_day(moment)
        return position + now if now and self.intervals[i] else position

    def completed_working_days(self, moment: dt.datetime) -> int:
        """Working days whose office hours are over at `moment`."""
        i = moment.toordinal() - self.first_ordinal
        now = _us_of_day(moment)
        if not now:  # no office hours are over yet at midnight
            return self.working_days_before[i]
        done = self.working_days_before[i + 1]
        intervals = self.intervals[i]
        if intervals and now < intervals[-1][1]:
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
        self._hours = OfficeHours.default() if hours is None else hours
        found: dict[dt.date, CalendarOverride] = {}
        for given in overrides:
            override = _override_of(given)
            if override.day in found:
                raise ValidationError(f"День {override.day:%d.%m.%Y} изменён в календаре дважды.")
            found[override.day] = override
        # Read-only: the timelines are built from these, so they must not change under them.
        self._overrides: Mapping[dt.date, CalendarOverride] = MappingProxyType(found)
        self._production = russia() if production is None else production
        self._years: dict[int, _YearDays] = {}
        self._timelines: list[_Timeline] = []  # the most recently used first
        self._timeline: _Timeline | None = None  # the same as _timelines[0], for the hot path
        self._lock = threading.Lock()

    @property
    def hours(self) -> OfficeHours:
        return self._hours

    @property
    def overrides(self) -> Mapping[dt.date, CalendarOverride]:
        return self._overrides

    @property
    def production(self) -> ProductionCalendar:
        return self._production

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

    def positions(self, first_year: int, last_year: int) -> WorkingPositions:
        """Working time as numbers over these years, for countdowns of many deadlines: a
        deadline's position is computed once, and each tick is one subtraction per row."""
        return WorkingPositions(self._covering(first_year, last_year))

    def year_calendar(self, year: int) -> YearCalendar:
        """The production calendar of `year` (the shipped file or the package's fallback)."""
        return self.production.year(year)

    def _micro_intervals(self, day: dt.date) -> tuple[MicroInterval, ...]:
        year = self._production.year(day.year)
        override = self._overrides.get(day)
        if override is None:
            if not year.is_working_day(day):
                return ()
            if day.weekday() < SATURDAY:
                hours = self._hours.micro_intervals(day.weekday())  # a closed weekday stays closed
            else:
                hours = self._weekend_work_hours(day, year)
            shortened = day in year.shortened
        elif override.kind is CalendarOverrideKind.DAY_OFF:
            return ()
        else:
            hours = self._hours.micro_intervals(day.weekday()) or self._weekend_work_hours(
                day, year
            )
            shortened = override.kind is CalendarOverrideKind.SHORTENED
        return _shortened(hours) if shortened else hours

    def _weekend_work_hours(self, day: dt.date, year: YearCalendar) -> tuple[MicroInterval, ...]:
        """The hours of a day worked by decree or override that has none of its own: those of
        the weekday it stands in for, else of the first weekday that has hours."""
        own = self._hours.micro_intervals(day.weekday())
        if own:
            return own
        stands_for = year.working_weekend_days.get(day)
        if stands_for is not None and stands_for.instead_of is not None:
            instead = self._hours.micro_intervals(stands_for.instead_of.weekday())
            if instead:
                return instead
        return next(d for w in range(SATURDAY) if (d := self._hours.micro_intervals(w)))

    # --- the timeline --------------------------------------------------------------------

    def _covering(self, first_year: int, last_year: int) -> _Timeline:
        timeline = self._timeline
        if timeline is not None and timeline.covers(first_year, last_year):
            return timeline
        return self._extended(first_year, last_year)

    def _extended(self, first_year: int, last_year: int) -> _Timeline:
        """A timeline covering the years: a kept one, one grown to take them in, or a new one.

        A few timelines are kept so that far-apart years asked in turn (an old report and
        today's countdowns) do not rebuild each other; a year's days are computed once.
        """
        with self._lock:
            near: _Timeline | None = None  # a timeline the new one grows from, and replaces
            for timeline in self._timelines:
                if timeline.covers(first_year, last_year):
                    break
            else:
                near = next(
                    (
                        t
                        for t in self._timelines
                        if first_year - _MAX_GAP_YEARS <= t.last_year
                        and t.first_year <= last_year + _MAX_GAP_YEARS
                    ),
                    None,
                )
                if near is not None:
                    first_year = min(first_year, near.first_year)
                    last_year = max(last_year, near.last_year)
                years = [self._year_days(year) for year in range(first_year, last_year + 1)]
                timeline = _Timeline(years, first_year)
            kept = [t for t in self._timelines if t is not timeline and t is not near]
            self._timelines = [timeline, *kept][:_KEPT_TIMELINES]
            self._timeline = timeline
            return timeline

    def _year_days(self, year: int) -> _YearDays:
        found = self._years.get(year)
        if found is None:
            found = self._years[year] = _YearDays(self, year)  # a year without data fails here
        return found

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
        clock = _clock_of(clock)
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
        clock = _clock_of(clock)
        if start >= end:
            return dt.timedelta(0)
        if clock is Clock.CALENDAR:
            return end - start
        # The midnight that starts a year ends the one before: that year's data is not needed.
        new_year = end.month == 1 and end.day == 1 and not _us_of_day(end)
        timeline = self._covering(start.year, end.year - 1 if new_year else end.year)
        if clock is Clock.WORKING_HOURS:
            micro = timeline.working_position(end) - timeline.working_position(start)
            return dt.timedelta(0, 0, micro)
        if clock is Clock.WORKDAY_CALENDAR_HOURS:
            micro = timeline.workday_position(end) - timeline.workday_position(start)
            return dt.timedelta(0, 0, micro)
        first_counted = timeline.working_days_before[timeline.index(start) + 1]
        days = timeline.completed_working_days(end) - first_counted
        return dt.timedelta(days=max(days, 0))

    def subtract(
        self,
        end: dt.datetime,
        amount: dt.timedelta,
        clock: Clock = Clock.WORKING_HOURS,
    ) -> dt.datetime:
        """The moment `amount` of `clock` time before `end`: «не позднее чем за 3 часа рабочего
        времени до истечения срока». `elapsed(subtract(e, d), e) == d`; the result is inside or
        at the end of a working interval (3 hours before 11:00 is 17:00 the day before), so a
        zero amount returns `end` itself only when `end` is working time."""
        _check_moment(end)
        clock = _clock_of(clock)
        micro = _duration_us(amount)
        if clock is Clock.CALENDAR:
            return end - dt.timedelta(0, 0, micro)
        if clock is Clock.WORKING_DAYS:
            raise WorkCalendarError("Отсчёт рабочих дней назад от срока не предусмотрен.")
        if micro == 0:
            return end
        workday = clock is Clock.WORKDAY_CALENDAR_HOURS
        timeline = self._covering(end.year, end.year)
        while True:
            position = timeline.workday_position(end) if workday else timeline.working_position(end)
            target = position - micro
            if target > 0:
                break
            timeline = self._covering(timeline.first_year - 1, end.year)
        if workday:
            whole, left = divmod(target, DAY_US)
            if left == 0:
                whole, left = whole - 1, DAY_US
            j = bisect.bisect_left(timeline.working_days_before, whole + 1)
            return timeline.midnights[j - 1] + dt.timedelta(0, 0, left)
        return timeline.moment_at(target)

    def _add_working_time(self, start: dt.datetime, micro: int) -> dt.datetime:
        timeline = self._timeline  # the covering check inline: this is the countdowns' path
        year = start.year
        if timeline is None or not timeline.first_year <= year <= timeline.last_year:
            timeline = self._extended(year, year)
        target = timeline.working_position(start) + micro
        while target > timeline.total_work:  # the deadline is in a later year
            timeline = self._covering(start.year, timeline.last_year + 1)
            target = timeline.working_position(start) + micro
        return timeline.moment_at(target, timeline.index(start) + 1)

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


def _clock_of(clock: Clock | str) -> Clock:
    return clock if type(clock) is Clock else Clock(clock)  # a stored value such as "calendar"


def _override_of(given: object) -> CalendarOverride:
    """A `CalendarOverride`, or a tuple (date, kind[, note]), the kind an enum or its value."""
    if isinstance(given, CalendarOverride):
        return given
    if isinstance(given, tuple | list) and len(given) in (2, 3):
        return CalendarOverride(*given)
    raise ValidationError(
        "Изменение календаря должно быть CalendarOverride или парой (дата, вид), "
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


class WorkingPositions:
    """Moments as working microseconds from the start of a fixed span of years.

    `position(m2) - position(m1)` is `elapsed(m1, m2)` in microseconds for m1 <= m2 inside
    the span; moments outside it are clamped to its ends (`covers` tells).
    """

    __slots__ = ("_timeline", "first", "last")

    def __init__(self, timeline: _Timeline) -> None:
        self._timeline = timeline
        self.first = dt.datetime(timeline.first_year, 1, 1)
        self.last = dt.datetime(timeline.last_year + 1, 1, 1)

    def covers(self, moment: dt.datetime) -> bool:
        return self.first <= moment < self.last

    def position(self, moment: dt.datetime) -> int:
        """Working microseconds from the span's start to `moment` (naive local time)."""
        if moment < self.first:
            return 0
        if moment >= self.last:
            return self._timeline.total_work
        return self._timeline.working_position(moment)
