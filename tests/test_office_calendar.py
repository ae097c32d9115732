"""The office's own calendar in its database: hours and overrides, kept by an administrator."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from desktop import cli
from desktop.models.entities import AuditEvent
from desktop.models.enums import CalendarOverrideKind, Role
from desktop.services.audit import verify_chain
from desktop.services.errors import AccessDenied, CalendarDataMissing, ValidationError
from desktop.services.office import Office
from desktop.services.office_calendar import (
    list_overrides,
    office_hours,
    office_time,
    office_work_calendar,
    parse_override_kind,
    remove_override,
    set_office_hours,
    set_override,
    summarize_year,
)
from desktop.services.office_hours import OfficeHours
from desktop.services.session import CurrentUser, identify
from desktop.services.settings import set_values
from desktop.services.workcalendar import CalendarOverride

MakeUser = Callable[..., CurrentUser]
WEDNESDAY = dt.date(2025, 3, 12)


@pytest.fixture
def admin(office: Office) -> CurrentUser:
    return identify()  # the first login on an empty database becomes its administrator


def test_a_new_office_works_the_default_hours_on_the_russian_calendar(office: Office) -> None:
    assert office_hours() == OfficeHours.default()
    assert list_overrides() == []
    cal = office_work_calendar()
    assert cal.elapsed(dt.datetime(2024, 1, 1), dt.datetime(2025, 1, 1)) == dt.timedelta(hours=1979)


def test_overrides_are_stored_applied_and_audited(admin: CurrentUser) -> None:
    set_override(admin, WEDNESDAY, CalendarOverrideKind.DAY_OFF, "  региональный   праздник ")
    set_override(admin, dt.date(2025, 6, 12), CalendarOverrideKind.WORKING)
    assert list_overrides(2025) == [
        CalendarOverride(WEDNESDAY, CalendarOverrideKind.DAY_OFF, "региональный праздник"),
        CalendarOverride(dt.date(2025, 6, 12), CalendarOverrideKind.WORKING, ""),
    ]
    assert list_overrides(2024) == []
    cal = office_work_calendar()
    assert not cal.is_working_day(WEDNESDAY)
    assert cal.is_working_day(dt.date(2025, 6, 12))
    # Marking the same day again replaces the mark, and the log keeps both.
    set_override(admin, WEDNESDAY, CalendarOverrideKind.SHORTENED)
    assert office_work_calendar().is_shortened(WEDNESDAY)
    remove_override(admin, WEDNESDAY)
    assert office_work_calendar().day_intervals(WEDNESDAY) == OfficeHours.default().intervals(2)
    actions = [e.action for e in AuditEvent.select().order_by(AuditEvent.id)]
    assert actions[-4:] == [
        "set_calendar_override",
        "set_calendar_override",
        "set_calendar_override",
        "remove_calendar_override",
    ]
    last_set = AuditEvent.select().where(AuditEvent.action == "set_calendar_override")
    assert [e.before for e in last_set.order_by(AuditEvent.id)][-1] == {
        "kind": "day_off",
        "note": "региональный праздник",
    }
    assert verify_chain().ok


def test_office_hours_are_stored_and_used(admin: CurrentUser) -> None:
    hours = OfficeHours.parse("Пн–Чт 08:00–12:00, 12:48–17:00; Пт 08:00–12:00, 12:48–15:45")
    set_office_hours(admin, hours)
    assert office_hours() == hours
    cal = office_work_calendar()
    assert cal.hours == hours
    assert cal.add(dt.datetime(2025, 3, 14, 15, 30), dt.timedelta(minutes=30)) == dt.datetime(
        2025, 3, 17, 8, 15
    )
    event = AuditEvent.select().where(AuditEvent.action == "set_office_hours").get()
    assert event.after["text"] == hours.describe()


def test_the_calendar_object_is_reused_until_something_changes(admin: CurrentUser) -> None:
    first = office_work_calendar()
    assert office_work_calendar() is first
    set_override(admin, WEDNESDAY, CalendarOverrideKind.DAY_OFF)
    assert office_work_calendar() is not first


def test_deadlines_of_stored_utc_moments_run_in_the_office_time_zone(
    admin: CurrentUser,
) -> None:
    set_values({"timezone": "Asia/Sakhalin"})  # UTC+11: Охинский
    clock = office_time()
    # 12:50 in Okha is 01:50 UTC; 30 working minutes run over the lunch break to 14:20.
    start = dt.datetime(2025, 3, 12, 1, 50, tzinfo=dt.UTC)
    assert clock.add(start, dt.timedelta(minutes=30)) == dt.datetime(
        2025, 3, 12, 3, 20, tzinfo=dt.UTC
    )
    assert clock.elapsed(start, dt.datetime(2025, 3, 12, 3, 20, tzinfo=dt.UTC)) == dt.timedelta(
        minutes=30
    )
    # Friday 18:30 in Okha is still Friday in Moscow's office hours, not in Okha's.
    friday_evening = dt.datetime(2025, 3, 14, 7, 30, tzinfo=dt.UTC)
    assert clock.add(friday_evening, dt.timedelta(hours=1)) == dt.datetime(
        2025, 3, 16, 23, 0, tzinfo=dt.UTC
    )
    with pytest.raises(ValueError, match="naive"):
        clock.add(dt.datetime(2025, 3, 12, 12, 0), dt.timedelta(hours=1))


def test_only_an_administrator_changes_the_calendar(office: Office, make_user: MakeUser) -> None:
    identify()  # the administrator
    curator = make_user("curator", Role.CURATOR)
    with pytest.raises(AccessDenied):
        set_override(curator, WEDNESDAY, CalendarOverrideKind.DAY_OFF)
    with pytest.raises(AccessDenied):
        set_office_hours(curator, OfficeHours.default())
    with pytest.raises(AccessDenied):
        remove_override(curator, WEDNESDAY)
    assert list_overrides() == []


def test_bad_marks_are_refused_and_change_nothing(admin: CurrentUser) -> None:
    with pytest.raises(ValidationError, match="не изменён"):
        remove_override(admin, WEDNESDAY)
    with pytest.raises(ValidationError, match="длиннее"):
        set_override(admin, WEDNESDAY, CalendarOverrideKind.DAY_OFF, "x" * 201)
    with pytest.raises(CalendarDataMissing, match="1900"):
        set_override(admin, dt.date(1900, 1, 1), CalendarOverrideKind.DAY_OFF)
    assert list_overrides() == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("выходной", CalendarOverrideKind.DAY_OFF),
        ("day_off", CalendarOverrideKind.DAY_OFF),
        ("Рабочий", CalendarOverrideKind.WORKING),
        ("сокращенный", CalendarOverrideKind.SHORTENED),
        ("сокращённый день", CalendarOverrideKind.SHORTENED),
    ],
)
def test_kinds_in_russian_or_english(text: str, kind: CalendarOverrideKind) -> None:
    assert parse_override_kind(text) is kind


def test_an_unknown_kind_lists_the_known_ones() -> None:
    with pytest.raises(ValidationError, match="day_off"):
        parse_override_kind("праздник")


def test_the_year_summary_shows_norms_and_reasons(admin: CurrentUser) -> None:
    set_override(admin, WEDNESDAY, CalendarOverrideKind.DAY_OFF, "региональный праздник")
    summary = summarize_year(office_work_calendar(), 2025)
    assert summary.shipped
    assert "№ 1335" in summary.source
    assert summary.working_days == 246  # 247 of the calendar less the regional holiday
    assert summary.working_time == dt.timedelta(hours=1972 - 8)
    assert summary.months[2].working_days == 20
    assert [n.day for n in summary.working_weekend_days] == [dt.date(2025, 11, 1)]
    assert [n.day for n in summary.shortened] == [
        dt.date(2025, 3, 7),
        dt.date(2025, 4, 30),
        dt.date(2025, 6, 11),
        dt.date(2025, 11, 1),
    ]
    assert [n.text for n in summary.overrides] == ["выходной — региональный праздник"]


def test_cli_marks_days_and_prints_the_year(
    office: Office, admin: CurrentUser, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", str(office.path)]
    assert cli.main([*db, "calendar-set", "12.03.2025", "выходной", "--note", "праздник"]) == 0
    assert cli.main([*db, "office-hours", "Пн–Пт 09:00–18:00"]) == 0
    assert cli.main([*db, "calendar", "2025"]) == 0
    out = capsys.readouterr().out
    assert "№ 1335" in out
    assert "12.03.2025  выходной — праздник" in out
    assert "Рабочие часы офиса: Пн–Пт 09:00–18:00" in out
    assert "Итого" in out
    assert "2210" in out  # 246 nine-hour days, four of them an hour shorter
    assert cli.main([*db, "calendar-unset", "2025-03-12"]) == 0
    assert list_overrides() == []


def test_cli_refuses_bad_input_in_russian(
    office: Office, admin: CurrentUser, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", str(office.path)]
    assert cli.main([*db, "calendar-set", "31.02.2025", "выходной"]) == cli.EXIT_REFUSED
    assert "Не понимаю дату" in capsys.readouterr().err
    assert cli.main([*db, "office-hours", "Пн–Пт 18:00–09:00"]) == cli.EXIT_REFUSED
    assert "раньше конца" in capsys.readouterr().err
    assert cli.main([*db, "calendar", "1900"]) == cli.EXIT_REFUSED
    assert "1900" in capsys.readouterr().err
