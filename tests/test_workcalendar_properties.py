"""Invariants of the working-time engine, for any office hours, start and duration."""

from __future__ import annotations

import datetime as dt
import functools

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.services.workcalendar import (
    CalendarOverride,
    CalendarOverrideKind,
    Clock,
    OfficeHours,
    WorkCalendar,
)

FIRST = dt.datetime(2019, 1, 1)
LAST = dt.datetime(2027, 10, 31)  # with the longest duration, still inside the shipped data
DURATION_CLOCKS = [Clock.WORKING_HOURS, Clock.WORKDAY_CALENDAR_HOURS, Clock.CALENDAR]
ONE_DAY = dt.timedelta(days=1)

settings.register_profile("otklik", deadline=None, max_examples=150)
settings.load_profile("otklik")

moments = st.datetimes(min_value=FIRST, max_value=LAST)
durations = st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(hours=300))
# Whole minutes as well: deadlines of the regulations are minutes and hours.
round_durations = st.integers(min_value=0, max_value=300 * 60).map(
    lambda m: dt.timedelta(minutes=m)
)
any_duration = st.one_of(durations, round_durations)


@st.composite
def office_hours(draw: st.DrawFn) -> OfficeHours:
    """One to three intervals on each open weekday, at whole minutes; Saturday sometimes."""
    week: dict[int, list[tuple[dt.time, dt.time]]] = {}
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
    return OfficeHours(week)


@functools.cache
def calendar_for(hours: OfficeHours, overrides: tuple[CalendarOverride, ...] = ()) -> WorkCalendar:
    return WorkCalendar(hours=hours, overrides=overrides)


DEFAULT = WorkCalendar()
OVERRIDDEN = WorkCalendar(
    overrides=[
        CalendarOverride(dt.date(2025, 3, 12), CalendarOverrideKind.DAY_OFF),
        CalendarOverride(dt.date(2025, 3, 15), CalendarOverrideKind.WORKING),
        CalendarOverride(dt.date(2025, 3, 11), CalendarOverrideKind.SHORTENED),
        CalendarOverride(dt.date(2025, 6, 12), CalendarOverrideKind.WORKING),
    ]
)
calendars = st.one_of(
    st.just(DEFAULT), st.just(OVERRIDDEN), office_hours().map(lambda h: calendar_for(h))
)


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
def test_elapsed_is_zero_unless_the_end_is_later(
    cal: WorkCalendar, a: dt.datetime, b: dt.datetime, clock: Clock
) -> None:
    forward = cal.elapsed(a, b, clock)
    if a >= b:
        assert forward == dt.timedelta(0)
    else:
        assert forward >= dt.timedelta(0)
        assert cal.elapsed(b, a, clock) == dt.timedelta(0)


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


@given(hours=office_hours())
def test_office_hours_survive_storage_and_text(hours: OfficeHours) -> None:
    assert OfficeHours.from_json(hours.to_json()) == hours
    assert OfficeHours.parse(hours.describe()) == hours
