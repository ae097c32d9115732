"""Invariants of the working-time engine, for any office hours, start and duration."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.services.production_calendar import russia
from desktop.services.workcalendar import (
    CalendarOverride,
    CalendarOverrideKind,
    Clock,
    OfficeHours,
    WorkCalendar,
)

FIRST = dt.datetime(2019, 1, 1)
# Past the shipped data into years from the holidays package, with the longest duration still
# short of 2100, where the package ends.
LAST = dt.datetime(2031, 10, 31)
OVERRIDDEN_YEAR = 2025  # random overrides fall in this year; half the moments do too
DURATION_CLOCKS = [Clock.WORKING_HOURS, Clock.WORKDAY_CALENDAR_HOURS, Clock.CALENDAR]
ONE_DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)

# No example database to replay failures from: each run draws afresh (see conftest for where
# Hypothesis keeps the rest of its storage).
settings.register_profile("otklik", deadline=None, max_examples=150, database=None)
settings.load_profile("otklik")

moments = st.one_of(
    st.datetimes(min_value=FIRST, max_value=LAST),
    st.datetimes(
        min_value=dt.datetime(OVERRIDDEN_YEAR, 1, 1), max_value=dt.datetime(OVERRIDDEN_YEAR, 12, 31)
    ),
)
durations = st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(hours=300))
# Whole minutes as well: deadlines of the regulations are minutes and hours.
round_durations = st.integers(min_value=0, max_value=300 * 60).map(
    lambda m: dt.timedelta(minutes=m)
)
any_duration = st.one_of(durations, round_durations)

Week = dict[int, list[tuple[dt.time, dt.time]]]


@dataclass(frozen=True)
class Setup:
    """A calendar and what it was made of, for the reference day model."""

    cal: WorkCalendar
    week: Week
    overrides: dict[dt.date, CalendarOverrideKind]


def _weekday_hours(week: Week) -> dt.timedelta:
    return sum(
        (
            dt.datetime.combine(dt.date.min, b) - dt.datetime.combine(dt.date.min, a)
            for weekday in range(5)
            for a, b in week.get(weekday, [])
        ),
        dt.timedelta(0),
    )


@st.composite
def _any_week(draw: st.DrawFn) -> Week:
    week: Week = {}
    for weekday in range(7):
        if weekday >= 5 and not draw(st.booleans()):
            continue
        count = draw(st.integers(min_value=0 if weekday else 1, max_value=3))
        minutes = sorted(
            draw(st.sets(st.integers(0, 24 * 60 - 1), min_size=2 * count, max_size=2 * count))
        )
        week[weekday] = [
            (dt.time(*divmod(minutes[i], 60)), dt.time(*divmod(minutes[i + 1], 60)))
            for i in range(0, 2 * count, 2)
        ]
    return week


# Up to three intervals on a weekday at whole minutes; Monday open, other weekdays sometimes
# closed, Saturday and Sunday sometimes open. At least four hours a week, so that 300 working
# hours end within the years the calendar has data for.
weeks = _any_week().filter(lambda week: _weekday_hours(week) >= 4 * HOUR)


override_days = st.dates(dt.date(OVERRIDDEN_YEAR, 1, 1), dt.date(OVERRIDDEN_YEAR, 12, 31))


@st.composite
def random_setups(draw: st.DrawFn) -> Setup:
    week = draw(weeks)
    overrides = draw(
        st.dictionaries(override_days, st.sampled_from(list(CalendarOverrideKind)), max_size=40)
    )
    marks = [CalendarOverride(day, kind) for day, kind in overrides.items()]
    return Setup(WorkCalendar(hours=OfficeHours(week), overrides=marks), week, overrides)


DEFAULT_WEEK: Week = {
    weekday: [(dt.time(9), dt.time(13)), (dt.time(14), dt.time(18))] for weekday in range(5)
}
DEFAULT = Setup(WorkCalendar(), DEFAULT_WEEK, {})
setups = st.one_of(st.just(DEFAULT), random_setups())
calendars = setups.map(lambda setup: setup.cal)


# --- the day model, written out again the plain way ----------------------------------------


def expected_intervals(setup: Setup, day: dt.date) -> list[tuple[dt.time, dt.time]]:
    """The rules of docs/ARCHITECTURE.md over the production calendar's data, one by one."""
    year = russia().year(day.year)
    mark = setup.overrides.get(day)
    weekend = day.weekday() >= 5
    if mark is CalendarOverrideKind.DAY_OFF:
        return []
    if mark is None and (
        day in year.days_off or (weekend and day not in year.working_weekend_days)
    ):
        return []
    hours = setup.week.get(day.weekday(), [])
    if not hours and (weekend or mark is not None):
        stands_for = year.working_weekend_days.get(day)
        if stands_for is not None and stands_for.instead_of is not None:
            hours = setup.week.get(stands_for.instead_of.weekday(), [])
        if not hours:
            hours = next(setup.week[w] for w in range(5) if setup.week.get(w))
    shortened = day in year.shortened if mark is None else mark is CalendarOverrideKind.SHORTENED
    spans = [(dt.datetime.combine(day, a), dt.datetime.combine(day, b)) for a, b in hours]
    if shortened and sum((b - a for a, b in spans), dt.timedelta(0)) > HOUR:
        cut = HOUR
        while cut:
            a, b = spans.pop()
            if b - a > cut:
                spans.append((a, b - cut))
                cut = dt.timedelta(0)
            else:
                cut -= b - a
    return [(a.time(), b.time()) for a, b in spans]


@given(setup=setups, day=st.one_of(override_days, st.dates(FIRST.date(), LAST.date())))
def test_day_intervals_follow_the_rules(setup: Setup, day: dt.date) -> None:
    assert setup.cal.day_intervals(day) == expected_intervals(setup, day)
    assert setup.cal.is_working_day(day) == bool(expected_intervals(setup, day))


# --- an independent, slow reference: day by day over `day_intervals` ---------------------


def reference_elapsed(cal: WorkCalendar, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
    total = dt.timedelta(0)
    day = a.date()
    while day <= b.date():
        for begin, end in cal.day_intervals(day):
            low = max(dt.datetime.combine(day, begin), a)
            high = min(dt.datetime.combine(day, end), b)
            total += max(high - low, dt.timedelta(0))
        day += ONE_DAY
    return total


def reference_add(cal: WorkCalendar, start: dt.datetime, amount: dt.timedelta) -> dt.datetime:
    if not amount:
        return start
    left = amount
    day = start.date()
    while True:
        for begin, end in cal.day_intervals(day):
            low = max(dt.datetime.combine(day, begin), start)
            high = dt.datetime.combine(day, end)
            if high <= low:
                continue
            if left <= high - low:
                return low + left
            left -= high - low
        day += ONE_DAY


# --- the invariants --------------------------------------------------------------------------


@given(cal=calendars, start=moments, amount=any_duration, clock=st.sampled_from(DURATION_CLOCKS))
def test_elapsed_from_start_to_add_is_the_amount(
    cal: WorkCalendar, start: dt.datetime, amount: dt.timedelta, clock: Clock
) -> None:
    assert cal.elapsed(start, cal.add(start, amount, clock), clock) == amount


@given(cal=calendars, start=moments, days=st.integers(min_value=0, max_value=60))
def test_elapsed_working_days_to_add_is_the_number_of_days(
    cal: WorkCalendar, start: dt.datetime, days: int
) -> None:
    deadline = cal.add(start, days, Clock.WORKING_DAYS)
    assert cal.elapsed(start, deadline, Clock.WORKING_DAYS) == dt.timedelta(days=days)
    if days:
        assert deadline.date() > start.date()
        assert deadline.time() == cal.day_intervals(deadline.date())[-1][1]


@given(
    cal=calendars,
    a=moments,
    b=moments,
    clock=st.sampled_from([*DURATION_CLOCKS, Clock.WORKING_DAYS]),
)
def test_elapsed_is_zero_backwards_and_at_the_same_moment(
    cal: WorkCalendar, a: dt.datetime, b: dt.datetime, clock: Clock
) -> None:
    early, late = min(a, b), max(a, b)
    assert cal.elapsed(late, early, clock) == dt.timedelta(0)
    assert cal.elapsed(early, early, clock) == dt.timedelta(0)


@given(
    cal=calendars,
    start=moments,
    amounts=st.lists(any_duration, min_size=2, max_size=2),
    clock=st.sampled_from(DURATION_CLOCKS),
)
def test_add_is_monotonic_in_the_amount(
    cal: WorkCalendar, start: dt.datetime, amounts: list[dt.timedelta], clock: Clock
) -> None:
    small, large = sorted(amounts)
    assert start <= cal.add(start, small, clock) <= cal.add(start, large, clock)


@given(
    cal=calendars,
    starts=st.lists(moments, min_size=2, max_size=2),
    amount=any_duration,
    clock=st.sampled_from(DURATION_CLOCKS),
)
def test_add_is_monotonic_in_the_start(
    cal: WorkCalendar, starts: list[dt.datetime], amount: dt.timedelta, clock: Clock
) -> None:
    early, late = sorted(starts)
    assert cal.add(early, amount, clock) <= cal.add(late, amount, clock)


@given(cal=calendars, starts=st.lists(moments, min_size=2, max_size=2), days=st.integers(0, 30))
def test_working_days_are_monotonic_in_the_start(
    cal: WorkCalendar, starts: list[dt.datetime], days: int
) -> None:
    early, late = sorted(starts)
    assert cal.add(early, days, Clock.WORKING_DAYS) <= cal.add(late, days, Clock.WORKING_DAYS)


@given(cal=calendars, start=moments, amount=any_duration.filter(bool))
def test_a_working_deadline_is_inside_or_at_the_end_of_a_working_interval(
    cal: WorkCalendar, start: dt.datetime, amount: dt.timedelta
) -> None:
    deadline = cal.add(start, amount)
    assert deadline > start
    moment = deadline.time()
    assert any(begin < moment <= end for begin, end in cal.day_intervals(deadline.date()))


@given(cal=calendars, start=moments, amount=any_duration.filter(bool))
def test_a_workday_deadline_is_on_a_working_day_or_the_midnight_ending_one(
    cal: WorkCalendar, start: dt.datetime, amount: dt.timedelta
) -> None:
    deadline = cal.add(start, amount, Clock.WORKDAY_CALENDAR_HOURS)
    if deadline.time() == dt.time(0):
        assert cal.is_working_day(deadline.date() - ONE_DAY)
    else:
        assert cal.is_working_day(deadline.date())


@given(
    cal=calendars,
    start=moments,
    first=any_duration,
    second=any_duration,
    clock=st.sampled_from(DURATION_CLOCKS),
)
def test_adding_in_two_steps_is_adding_the_sum(
    cal: WorkCalendar, start: dt.datetime, first: dt.timedelta, second: dt.timedelta, clock: Clock
) -> None:
    assert cal.add(cal.add(start, first, clock), second, clock) == cal.add(
        start, first + second, clock
    )


@given(cal=calendars, start=moments, amount=any_duration)
def test_add_agrees_with_a_day_by_day_walk(
    cal: WorkCalendar, start: dt.datetime, amount: dt.timedelta
) -> None:
    assert cal.add(start, amount) == reference_add(cal, start, amount)


@given(cal=calendars, start=moments, span=st.timedeltas(dt.timedelta(0), dt.timedelta(days=40)))
def test_elapsed_agrees_with_a_day_by_day_sum(
    cal: WorkCalendar, start: dt.datetime, span: dt.timedelta
) -> None:
    assert cal.elapsed(start, start + span) == reference_elapsed(cal, start, start + span)


@given(
    cal=calendars,
    end=moments.filter(lambda m: m >= dt.datetime(2019, 3, 1)),
    amount=any_duration,
    clock=st.sampled_from([Clock.WORKING_HOURS, Clock.WORKDAY_CALENDAR_HOURS]),
)
def test_subtract_leaves_exactly_the_amount_before_the_end(
    cal: WorkCalendar, end: dt.datetime, amount: dt.timedelta, clock: Clock
) -> None:
    latest = cal.subtract(end, amount, clock)
    assert latest <= end
    assert cal.elapsed(latest, end, clock) == amount
    if amount and clock is Clock.WORKING_HOURS:
        moment = latest.time()
        assert any(begin < moment <= end for begin, end in cal.day_intervals(latest.date()))


@given(week=weeks)
def test_office_hours_survive_storage_and_text(week: Week) -> None:
    hours = OfficeHours(week)
    assert OfficeHours.from_json(hours.to_json()) == hours
    assert OfficeHours.parse(hours.describe()) == hours
