"""Known answers of the working-time engine: the issue's edges and real dates of 2024–2026."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.services import workcalendar
from desktop.services.errors import CalendarDataMissing, MixedDatetimeError, WorkCalendarError
from desktop.services.workcalendar import (
    CalendarOverride,
    CalendarOverrideKind,
    Clock,
    OfficeHours,
    WorkCalendar,
)

D = dt.datetime
T = dt.time
H = dt.timedelta(hours=1)
MIN = dt.timedelta(minutes=1)
FULL_DAY = [(T(9), T(13)), (T(14), T(18))]
SHORT_DAY = [(T(9), T(13)), (T(14), T(17))]


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar()


# --- the edges -----------------------------------------------------------------------


def test_friday_evening_starts_on_monday_morning(cal: WorkCalendar) -> None:
    assert cal.add(D(2025, 3, 14, 19, 0), 30 * MIN) == D(2025, 3, 17, 9, 30)


def test_friday_evening_skips_a_monday_holiday(cal: WorkCalendar) -> None:
    # 23.02.2026 is a Monday, Defender of the Fatherland Day.
    assert cal.add(D(2026, 2, 20, 19, 0), 30 * MIN) == D(2026, 2, 24, 9, 30)


def test_the_lunch_break_is_not_counted(cal: WorkCalendar) -> None:
    assert cal.add(D(2025, 3, 12, 12, 50), 30 * MIN) == D(2025, 3, 12, 14, 20)


def test_a_start_in_the_lunch_break_starts_after_it(cal: WorkCalendar) -> None:
    assert cal.add(D(2025, 3, 12, 13, 20), 30 * MIN) == D(2025, 3, 12, 14, 30)


def test_a_start_before_opening_starts_at_opening(cal: WorkCalendar) -> None:
    assert cal.add(D(2025, 3, 12, 7, 45), 8 * H) == D(2025, 3, 12, 18, 0)


@pytest.mark.parametrize(
    ("start", "amount", "deadline"),
    [
        (D(2025, 3, 12, 12, 0), H, D(2025, 3, 12, 13, 0)),  # end of the morning interval
        (D(2025, 3, 12, 17, 0), H, D(2025, 3, 12, 18, 0)),  # end of the day
        (D(2025, 3, 12, 9, 0), 8 * H, D(2025, 3, 12, 18, 0)),
        (D(2025, 3, 7, 16, 0), H, D(2025, 3, 7, 17, 0)),  # a shortened day ends at 17:00
        (D(2025, 3, 12, 12, 30), 30 * MIN, D(2025, 3, 12, 13, 0)),
    ],
)
def test_a_deadline_on_the_end_of_an_interval_stays_there(
    cal: WorkCalendar, start: dt.datetime, amount: dt.timedelta, deadline: dt.datetime
) -> None:
    assert cal.add(start, amount) == deadline


def test_one_minute_past_the_end_goes_to_the_next_opening(cal: WorkCalendar) -> None:
    assert cal.add(D(2025, 3, 12, 17, 0), H + MIN) == D(2025, 3, 13, 9, 1)
    assert cal.add(D(2025, 3, 12, 12, 0), H + MIN) == D(2025, 3, 12, 14, 1)


def test_zero_returns_the_start_even_outside_working_time(cal: WorkCalendar) -> None:
    assert cal.add(D(2025, 3, 15, 3, 0), dt.timedelta(0)) == D(2025, 3, 15, 3, 0)
    assert cal.add(D(2025, 3, 15, 3, 0), 0, Clock.WORKING_DAYS) == D(2025, 3, 15, 3, 0)


def test_elapsed_is_zero_backwards_and_across_closed_time(cal: WorkCalendar) -> None:
    assert cal.elapsed(D(2025, 3, 12, 15, 0), D(2025, 3, 12, 10, 0)) == dt.timedelta(0)
    assert cal.elapsed(D(2025, 3, 12, 10, 0), D(2025, 3, 12, 10, 0)) == dt.timedelta(0)
    assert cal.elapsed(D(2025, 3, 14, 18, 0), D(2025, 3, 17, 9, 0)) == dt.timedelta(0)
    assert cal.elapsed(D(2025, 3, 12, 13, 0), D(2025, 3, 12, 14, 0)) == dt.timedelta(0)


def test_elapsed_counts_only_working_intervals(cal: WorkCalendar) -> None:
    assert cal.elapsed(D(2025, 3, 12, 12, 50), D(2025, 3, 12, 14, 20)) == 30 * MIN
    assert cal.elapsed(D(2025, 3, 14, 17, 0), D(2025, 3, 17, 10, 0)) == 2 * H
    # 2024 in full: 1979 hours, the official norm of a 40-hour week.
    assert cal.elapsed(D(2024, 1, 1), D(2025, 1, 1)) == 1979 * H


# --- real dates of 2024–2026 ---------------------------------------------------------------


def test_new_year_holidays_2024(cal: WorkCalendar) -> None:
    # 29.12.2023 (Fri) is a full day; 30.12.2023–08.01.2024 are days off.
    assert cal.add(D(2023, 12, 29, 17, 30), H) == D(2024, 1, 9, 9, 30)


def test_the_working_saturdays_of_2024(cal: WorkCalendar) -> None:
    assert cal.is_working_day(dt.date(2024, 4, 27))
    assert cal.add(D(2024, 4, 26, 17, 0), 2 * H) == D(2024, 4, 27, 10, 0)
    # From Saturday 27.04 on: 28.04 Sunday, 29–30.04 moved days off, 01.05 a holiday.
    assert cal.add(D(2024, 4, 27, 17, 0), 2 * H) == D(2024, 5, 2, 10, 0)
    assert cal.add(D(2024, 11, 1, 19, 0), 30 * MIN) == D(2024, 11, 2, 9, 30)


def test_a_working_saturday_can_be_shortened_and_another_not(cal: WorkCalendar) -> None:
    # 02.11.2024 works instead of 30.04, the eve of 1 May: shortened.
    assert cal.day_intervals(dt.date(2024, 11, 2)) == SHORT_DAY
    assert cal.add(D(2024, 11, 2, 16, 0), H) == D(2024, 11, 2, 17, 0)
    # 03.11 is Sunday, 04.11 Unity Day.
    assert cal.add(D(2024, 11, 2, 16, 30), H) == D(2024, 11, 5, 9, 30)
    # 28.12.2024 works instead of 30.12, an ordinary day: full.
    assert cal.day_intervals(dt.date(2024, 12, 28)) == FULL_DAY
    assert cal.add(D(2024, 12, 28, 17, 0), H) == D(2024, 12, 28, 18, 0)
    # 01.11.2025 works instead of 03.11, the eve of 4 November: shortened.
    assert cal.day_intervals(dt.date(2025, 11, 1)) == SHORT_DAY


def test_from_the_last_working_day_of_2024_to_2025(cal: WorkCalendar) -> None:
    assert cal.add(D(2024, 12, 28, 18, 0), MIN) == D(2025, 1, 9, 9, 1)


def test_the_eve_of_a_moved_day_off_is_not_shortened(cal: WorkCalendar) -> None:
    # 08.05.2025 is a day off moved from 23.02; 07.05 is a full day.
    assert not cal.is_working_day(dt.date(2025, 5, 8))
    assert cal.day_intervals(dt.date(2025, 5, 7)) == FULL_DAY
    # 31.12.2025 is a day off moved from 05.01; 30.12 is a full day.
    assert cal.day_intervals(dt.date(2025, 12, 30)) == FULL_DAY
    assert not cal.is_shortened(dt.date(2025, 12, 30))


@pytest.mark.parametrize(
    "day",
    [
        dt.date(2024, 2, 22),
        dt.date(2024, 3, 7),
        dt.date(2024, 5, 8),
        dt.date(2024, 6, 11),
        dt.date(2025, 3, 7),  # 08.03.2025 is a Saturday: the Friday before is still the eve
        dt.date(2025, 4, 30),
        dt.date(2025, 6, 11),
        dt.date(2026, 4, 30),
        dt.date(2026, 5, 8),  # 09.05.2026 is a Saturday
        dt.date(2026, 6, 11),
        dt.date(2026, 11, 3),
    ],
)
def test_shortened_days(cal: WorkCalendar, day: dt.date) -> None:
    assert cal.is_shortened(day)
    assert cal.day_intervals(day) == SHORT_DAY


@pytest.mark.parametrize(
    "day",
    [
        dt.date(2025, 2, 21),  # 22.02 is a plain Saturday, the holiday is on Sunday
        dt.date(2026, 2, 20),  # 23.02.2026 is a Monday: a weekend lies between
        dt.date(2026, 3, 6),  # 08.03.2026 is a Sunday
        dt.date(2026, 12, 30),  # 31.12.2026 is a moved day off
    ],
)
def test_full_days_next_to_holidays(cal: WorkCalendar, day: dt.date) -> None:
    assert not cal.is_shortened(day)
    assert cal.day_intervals(day) == FULL_DAY


def test_the_new_year_holidays_2026(cal: WorkCalendar) -> None:
    assert [cal.is_working_day(dt.date(2026, 1, d)) for d in range(1, 13)] == [False] * 11 + [True]
    assert cal.add(D(2025, 12, 30, 17, 59), 2 * MIN) == D(2026, 1, 12, 9, 1)


def test_holidays_moved_from_weekends_in_2026(cal: WorkCalendar) -> None:
    assert not cal.is_working_day(dt.date(2026, 3, 9))  # for 08.03, a Sunday
    assert not cal.is_working_day(dt.date(2026, 5, 11))  # for 09.05, a Saturday
    assert cal.add(D(2026, 5, 8, 16, 30), H) == D(2026, 5, 12, 9, 30)


def test_day_intervals_of_a_day_off_are_empty(cal: WorkCalendar) -> None:
    assert cal.day_intervals(dt.date(2025, 6, 12)) == []
    assert cal.day_intervals(dt.date(2025, 3, 15)) == []
    assert not cal.is_working_day(dt.date(2025, 3, 15))


def test_is_working_time_includes_the_start_and_excludes_the_end(cal: WorkCalendar) -> None:
    assert cal.is_working_time(D(2025, 3, 12, 9, 0))
    assert cal.is_working_time(D(2025, 3, 12, 12, 59, 59))
    assert not cal.is_working_time(D(2025, 3, 12, 13, 0))
    assert not cal.is_working_time(D(2025, 3, 12, 18, 0))
    assert not cal.is_working_time(D(2025, 3, 7, 17, 30))  # shortened
    assert not cal.is_working_time(D(2025, 6, 12, 10, 0))  # Russia Day


# --- before a deadline -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("deadline", "amount", "latest"),
    [
        (D(2025, 3, 12, 17, 0), 3 * H, D(2025, 3, 12, 13, 0)),  # over lunch: the end of 13:00
        (D(2025, 3, 12, 11, 0), 3 * H, D(2025, 3, 11, 17, 0)),  # into the day before
        (D(2025, 3, 17, 10, 0), 2 * H, D(2025, 3, 14, 17, 0)),  # over a weekend
        (D(2025, 1, 9, 10, 0), 2 * H, D(2024, 12, 28, 17, 0)),  # over new year to a Saturday
        (D(2025, 3, 10, 10, 0), 2 * H, D(2025, 3, 7, 16, 0)),  # a shortened Friday ends 17:00
        (D(2025, 3, 12, 20, 0), 30 * MIN, D(2025, 3, 12, 17, 30)),  # from after closing
    ],
)
def test_the_latest_moment_leaving_an_amount_before_a_deadline(
    cal: WorkCalendar, deadline: dt.datetime, amount: dt.timedelta, latest: dt.datetime
) -> None:
    assert cal.subtract(deadline, amount) == latest
    assert cal.elapsed(latest, deadline) == amount


def test_subtracting_the_other_clocks(cal: WorkCalendar) -> None:
    assert cal.subtract(D(2025, 5, 12, 10, 0), 24 * H, Clock.WORKDAY_CALENDAR_HOURS) == D(
        2025, 5, 7, 10, 0
    )
    assert cal.subtract(D(2025, 5, 9, 1, 0), 2 * H, Clock.CALENDAR) == D(2025, 5, 8, 23, 0)
    assert cal.subtract(D(2025, 3, 12, 10, 0), dt.timedelta(0)) == D(2025, 3, 12, 10, 0)
    with pytest.raises(WorkCalendarError, match="рабочих дней назад"):
        cal.subtract(D(2025, 3, 12, 10, 0), dt.timedelta(days=1), Clock.WORKING_DAYS)
    with pytest.raises(WorkCalendarError, match="отрицательной"):
        cal.subtract(D(2025, 3, 12, 10, 0), -H)


# --- the other clocks ------------------------------------------------------------------------


def test_working_days_end_at_the_close_of_the_nth_working_day(cal: WorkCalendar) -> None:
    # An interim answer on 30.04.2025: the final one within 7 working days (Отрадненский).
    # 01–04.05 off, 05–07 (1–3), 08–11 off, 12–15 (4–7).
    assert cal.add(D(2025, 4, 30, 15, 0), 7, Clock.WORKING_DAYS) == D(2025, 5, 15, 18, 0)
    assert cal.add(D(2025, 4, 30, 15, 0), dt.timedelta(days=7), Clock.WORKING_DAYS) == D(
        2025, 5, 15, 18, 0
    )


def test_the_start_day_is_not_counted_even_before_opening(cal: WorkCalendar) -> None:
    assert cal.add(D(2025, 3, 12, 7, 0), 1, Clock.WORKING_DAYS) == D(2025, 3, 13, 18, 0)
    assert cal.add(D(2025, 3, 15, 12, 0), 1, Clock.WORKING_DAYS) == D(2025, 3, 17, 18, 0)


def test_working_days_end_early_on_a_shortened_day(cal: WorkCalendar) -> None:
    assert cal.add(D(2025, 6, 5, 10, 0), 4, Clock.WORKING_DAYS) == D(2025, 6, 11, 17, 0)


def test_elapsed_working_days(cal: WorkCalendar) -> None:
    start = D(2025, 4, 30, 15, 0)
    assert cal.elapsed(start, D(2025, 5, 15, 17, 59), Clock.WORKING_DAYS) == dt.timedelta(6)
    assert cal.elapsed(start, D(2025, 5, 15, 18, 0), Clock.WORKING_DAYS) == dt.timedelta(7)
    assert cal.elapsed(start, D(2025, 4, 30, 18, 0), Clock.WORKING_DAYS) == dt.timedelta(0)


def test_workday_calendar_hours_skip_days_off_whole(cal: WorkCalendar) -> None:
    # Охинский 3.2: 24 hours, weekends and holidays not counted. 08.05.2025 is a moved day
    # off, 09.05 Victory Day, 10–11.05 the weekend.
    assert cal.add(D(2025, 5, 7, 10, 0), 24 * H, Clock.WORKDAY_CALENDAR_HOURS) == D(
        2025, 5, 12, 10, 0
    )
    # A start on a day off counts from the next working day's midnight.
    assert cal.add(D(2025, 5, 9, 15, 0), 24 * H, Clock.WORKDAY_CALENDAR_HOURS) == D(
        2025, 5, 13, 0, 0
    )
    # Evenings and nights of working days count: they are wall-clock hours.
    assert cal.add(D(2025, 3, 12, 20, 0), 6 * H, Clock.WORKDAY_CALENDAR_HOURS) == D(
        2025, 3, 13, 2, 0
    )


def test_workday_calendar_hours_end_at_the_midnight_ending_a_working_day(
    cal: WorkCalendar,
) -> None:
    # 07.03.2025 is the Friday before 8 March: the deadline is its end, not Monday's start.
    assert cal.add(D(2025, 3, 7, 0, 0), 24 * H, Clock.WORKDAY_CALENDAR_HOURS) == D(2025, 3, 8, 0, 0)
    start = D(2025, 3, 7, 12, 0)
    assert cal.elapsed(start, D(2025, 3, 10, 12, 0), Clock.WORKDAY_CALENDAR_HOURS) == 24 * H


def test_the_calendar_clock_is_wall_clock_time(cal: WorkCalendar) -> None:
    assert cal.add(D(2025, 5, 8, 23, 0), 2 * H, Clock.CALENDAR) == D(2025, 5, 9, 1, 0)
    assert cal.elapsed(D(2025, 5, 8, 23, 0), D(2025, 5, 9, 1, 0), Clock.CALENDAR) == 2 * H


def test_clocks_may_be_given_by_their_stored_value(cal: WorkCalendar) -> None:
    start = D(2025, 3, 12, 12, 50)
    assert cal.add(start, 30 * MIN, "working_hours") == cal.add(start, 30 * MIN)  # type: ignore[arg-type]


# --- office hours and overrides ----------------------------------------------------------


def test_a_weekday_without_office_hours_is_closed() -> None:
    cal = WorkCalendar(hours=OfficeHours.parse("Пн–Чт 09:00–18:00"))
    assert cal.day_intervals(dt.date(2025, 3, 14)) == []
    assert not cal.is_working_day(dt.date(2025, 3, 14))
    assert cal.add(D(2025, 3, 13, 17, 30), H) == D(2025, 3, 17, 9, 30)
    assert cal.add(D(2025, 3, 12, 10, 0), 2, Clock.WORKING_DAYS) == D(2025, 3, 17, 18, 0)
    # ... unless the office marks one as working: then it works Monday's hours.
    opened = WorkCalendar(
        hours=OfficeHours.parse("Пн 08:00–17:00; Вт–Чт 09:00–18:00"),
        overrides=[CalendarOverride(dt.date(2025, 3, 14), CalendarOverrideKind.WORKING)],
    )
    assert opened.day_intervals(dt.date(2025, 3, 14)) == [(T(8), T(17))]


def test_several_intervals_and_a_shorter_friday() -> None:
    hours = OfficeHours.parse("Пн–Чт 08:00–12:00, 12:48–17:00; Пт 08:00–12:00, 12:48–15:45")
    cal = WorkCalendar(hours=hours)
    assert cal.add(D(2025, 3, 12, 11, 50), 20 * MIN) == D(2025, 3, 12, 12, 58)
    assert cal.add(D(2025, 3, 14, 15, 30), 30 * MIN) == D(2025, 3, 17, 8, 15)
    # The pre-holiday hour comes off the end of the day's last interval.
    assert cal.day_intervals(dt.date(2025, 3, 7)) == [(T(8), T(12)), (T(12, 48), T(14, 45))]
    assert cal.day_intervals(dt.date(2025, 4, 30)) == [(T(8), T(12)), (T(12, 48), T(16))]


def test_the_pre_holiday_hour_may_reach_into_the_interval_before() -> None:
    hours = OfficeHours({weekday: [(T(9), T(13)), (T(14), T(14, 30))] for weekday in range(5)})
    cal = WorkCalendar(hours=hours)
    assert cal.day_intervals(dt.date(2025, 3, 7)) == [(T(9), T(12, 30))]


def test_a_working_saturday_works_the_hours_of_the_weekday_it_stands_in_for() -> None:
    hours = OfficeHours.parse("Пн 08:00–17:00; Вт–Пт 09:00–18:00")
    cal = WorkCalendar(hours=hours)
    # 28.12.2024 stands in for Monday 30.12; 02.11.2024 for Tuesday 30.04 (and is shortened).
    assert cal.day_intervals(dt.date(2024, 12, 28)) == [(T(8), T(17))]
    assert cal.day_intervals(dt.date(2024, 11, 2)) == [(T(9), T(17))]


def test_saturday_hours_of_their_own_apply_on_working_saturdays_only() -> None:
    hours = OfficeHours.parse("Пн–Пт 09:00–18:00; Сб 10:00–14:00")
    cal = WorkCalendar(hours=hours)
    assert cal.day_intervals(dt.date(2024, 12, 28)) == [(T(10), T(14))]
    assert cal.day_intervals(dt.date(2024, 12, 21)) == []


def test_overrides_apply_over_the_production_calendar() -> None:
    cal = WorkCalendar(
        overrides=[
            # a regional holiday on a Wednesday, with its eve shortened by the office
            CalendarOverride(dt.date(2025, 3, 12), CalendarOverrideKind.DAY_OFF, "праздник"),
            CalendarOverride(dt.date(2025, 3, 11), CalendarOverrideKind.SHORTENED),
            # the office works on Russia Day and on a shortened day in full
            CalendarOverride(dt.date(2025, 6, 12), CalendarOverrideKind.WORKING),
            CalendarOverride(dt.date(2025, 6, 11), CalendarOverrideKind.WORKING),
            # a Saturday made working (by the Monday hours) and shortened
            CalendarOverride(dt.date(2025, 3, 15), CalendarOverrideKind.SHORTENED),
        ]
    )
    assert not cal.is_working_day(dt.date(2025, 3, 12))
    assert cal.day_intervals(dt.date(2025, 3, 11)) == SHORT_DAY
    assert cal.day_intervals(dt.date(2025, 6, 12)) == FULL_DAY
    assert cal.day_intervals(dt.date(2025, 6, 11)) == FULL_DAY
    assert not cal.is_shortened(dt.date(2025, 6, 11))
    assert cal.day_intervals(dt.date(2025, 3, 15)) == SHORT_DAY
    assert cal.add(D(2025, 3, 11, 16, 30), H) == D(2025, 3, 13, 9, 30)


def test_overrides_may_be_given_as_pairs() -> None:
    cal = WorkCalendar(
        overrides=[(dt.date(2025, 3, 12), "day_off"), (dt.date(2025, 6, 12), "working", "так")]
    )
    assert not cal.is_working_day(dt.date(2025, 3, 12))
    assert cal.overrides[dt.date(2025, 6, 12)].note == "так"
    with pytest.raises(ValueError, match="Неизвестный вид дня 'holiday'"):
        WorkCalendar(overrides=[(dt.date(2025, 3, 12), "holiday")])
    with pytest.raises(ValueError, match="CalendarOverride"):
        WorkCalendar(overrides=[dt.date(2025, 3, 12)])  # type: ignore[list-item]


def test_an_override_built_with_a_text_kind_is_the_same_as_with_the_enum() -> None:
    override = CalendarOverride(dt.date(2025, 3, 12), "day_off")  # type: ignore[arg-type]
    assert override.kind is CalendarOverrideKind.DAY_OFF
    assert not WorkCalendar(overrides=[override]).is_working_day(dt.date(2025, 3, 12))
    with pytest.raises(ValueError, match="к дате"):
        CalendarOverride(D(2025, 3, 12, 10, 0), CalendarOverrideKind.DAY_OFF)


def test_a_calendar_cannot_be_changed_under_its_timeline() -> None:
    cal = WorkCalendar()
    cal.add(D(2025, 3, 11, 10, 0), H)
    with pytest.raises(TypeError):
        cal.overrides[dt.date(2025, 3, 12)] = CalendarOverride(  # type: ignore[index]
            dt.date(2025, 3, 12), CalendarOverrideKind.DAY_OFF
        )
    with pytest.raises(AttributeError):
        cal.hours = OfficeHours.parse("Пн–Пт 10:00–19:00")  # type: ignore[misc]


def test_the_same_day_overridden_twice_is_refused() -> None:
    day = dt.date(2025, 3, 12)
    with pytest.raises(ValueError, match=r"12\.03\.2025"):
        WorkCalendar(
            overrides=[
                CalendarOverride(day, CalendarOverrideKind.DAY_OFF),
                CalendarOverride(day, CalendarOverrideKind.WORKING),
            ]
        )


# --- invalid input -------------------------------------------------------------------------


def test_aware_and_naive_datetimes_mixed_fail_clearly(cal: WorkCalendar) -> None:
    aware = D(2025, 3, 12, 10, 0, tzinfo=dt.UTC)
    naive = D(2025, 3, 12, 12, 0)
    for start, end in ((aware, naive), (naive, aware)):
        with pytest.raises(MixedDatetimeError, match="часовым поясом и без него"):
            cal.elapsed(start, end)
    assert issubclass(MixedDatetimeError, TypeError)


def test_aware_datetimes_are_refused(cal: WorkCalendar) -> None:
    aware = D(2025, 3, 12, 10, 0, tzinfo=dt.UTC)
    with pytest.raises(MixedDatetimeError, match="местном времени офиса"):
        cal.add(aware, H)
    with pytest.raises(MixedDatetimeError):
        cal.elapsed(aware, aware + H)
    with pytest.raises(MixedDatetimeError):
        cal.is_working_time(aware)


@pytest.mark.parametrize(
    "clock", [Clock.WORKING_HOURS, Clock.CALENDAR, Clock.WORKDAY_CALENDAR_HOURS]
)
def test_negative_durations_fail(cal: WorkCalendar, clock: Clock) -> None:
    with pytest.raises(WorkCalendarError, match="отрицательной"):
        cal.add(D(2025, 3, 12, 10, 0), -MIN, clock)


def test_negative_and_fractional_working_days_fail(cal: WorkCalendar) -> None:
    with pytest.raises(ValueError, match="отрицательным"):
        cal.add(D(2025, 3, 12, 10, 0), -1, Clock.WORKING_DAYS)
    with pytest.raises(ValueError, match="целыми днями"):
        cal.add(D(2025, 3, 12, 10, 0), dt.timedelta(days=1, hours=2), Clock.WORKING_DAYS)


def test_wrong_types_fail(cal: WorkCalendar) -> None:
    with pytest.raises(TypeError, match="timedelta"):
        cal.add(D(2025, 3, 12, 10, 0), 3)
    with pytest.raises(TypeError, match="datetime"):
        cal.add(dt.date(2025, 3, 12), H)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        cal.add(D(2025, 3, 12, 10, 0), H, "business_hours")  # type: ignore[arg-type]


@pytest.mark.parametrize("moment", [D(2150, 3, 12, 10, 0), D(1985, 3, 12, 10, 0)])
def test_a_year_without_calendar_data_names_the_year_and_the_way_to_add_it(
    cal: WorkCalendar, moment: dt.datetime
) -> None:
    with pytest.raises(CalendarDataMissing) as raised:
        cal.add(moment, H)
    message = str(raised.value)
    assert str(moment.year) in message
    assert f"resources/calendar/ru/{moment.year}.toml" in message
    assert raised.value.year == moment.year
    with pytest.raises(LookupError):
        cal.is_working_day(moment.date())


def test_far_apart_years_asked_in_turn_are_computed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    computed: list[int] = []
    original = workcalendar._YearDays.__init__

    def counting(self: workcalendar._YearDays, calendar: WorkCalendar, year: int) -> None:
        computed.append(year)
        original(self, calendar, year)

    monkeypatch.setattr(workcalendar._YearDays, "__init__", counting)
    cal = WorkCalendar()
    for _ in range(3):
        assert cal.add(D(2019, 3, 14, 17, 30), H) == D(2019, 3, 15, 9, 30)
        assert cal.add(D(2026, 3, 13, 17, 30), H) == D(2026, 3, 16, 9, 30)
        assert (
            cal.elapsed(D(2019, 12, 31, 16, 0), D(2020, 1, 9, 10, 0)) == 2 * H
        )  # 31.12 ends 17:00
    assert sorted(computed) == [2019, 2020, 2026]


@pytest.mark.parametrize(
    "clock", [Clock.WORKING_HOURS, Clock.WORKDAY_CALENDAR_HOURS, Clock.WORKING_DAYS]
)
def test_a_span_ending_at_new_year_needs_no_data_for_the_new_year(clock: Clock) -> None:
    cal = WorkCalendar()
    start, new_year = D(2099, 12, 1), D(2100, 1, 1)
    december = [dt.date(2099, 12, d) for d in range(1, 32)]
    expected = {
        Clock.WORKING_HOURS: cal.elapsed(start, D(2099, 12, 31, 23, 59)),
        Clock.WORKDAY_CALENDAR_HOURS: 24 * H * sum(map(cal.is_working_day, december)),
        Clock.WORKING_DAYS: dt.timedelta(days=sum(map(cal.is_working_day, december[1:]))),
    }
    assert cal.elapsed(start, new_year, clock) == expected[clock]
    assert cal.elapsed(D(2024, 12, 28, 17, 0), D(2025, 1, 1)) == H


def test_a_deadline_running_into_a_year_without_data_fails_too() -> None:
    cal = WorkCalendar()
    cal.add(D(2099, 12, 30, 10, 0), H)  # 2099 comes from the package
    with pytest.raises(CalendarDataMissing, match="2100"):
        cal.add(D(2099, 12, 30, 10, 0), 40 * H)
