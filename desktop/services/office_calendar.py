"""The office's working calendar as stored in its database: office hours and overrides.

The administrator sets the office hours (setting ``office_hours``) and marks single days as
working, a day off or shortened (table ``calendar_override``); both apply over the shipped
production calendar. `office_time()` is what deadlines and countdowns use: the office's
calendar in its time zone, for the UTC moments the database stores.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from desktop.models.database import reads, run_write
from desktop.models.entities import CalendarOverride as OverrideRow
from desktop.models.enums import CalendarOverrideKind
from desktop.services.audit import append_event
from desktop.services.errors import ValidationError
from desktop.services.office_hours import OfficeHours
from desktop.services.permissions import Action
from desktop.services.session import CurrentUser
from desktop.services.settings import get_value, office_settings, put_value
from desktop.services.workcalendar import CalendarOverride, Clock, WorkCalendar

OFFICE_HOURS_KEY = "office_hours"
OVERRIDE_TITLES: dict[CalendarOverrideKind, str] = {
    CalendarOverrideKind.WORKING: "рабочий день",
    CalendarOverrideKind.DAY_OFF: "выходной",
    CalendarOverrideKind.SHORTENED: "сокращённый день",
}
_NOTE_LIMIT = 200


def parse_override_kind(text: str) -> CalendarOverrideKind:
    """`day_off` or «выходной», `working` or «рабочий», `shortened` or «сокращённый»."""
    word = text.strip().casefold().replace("ё", "е")
    for kind, title in OVERRIDE_TITLES.items():
        if word in (kind.value, title.replace("ё", "е"), title.split()[0].replace("ё", "е")):
            return kind
    known = ", ".join(f"{k.value} ({t})" for k, t in OVERRIDE_TITLES.items())
    raise ValidationError(f"Неизвестный вид дня «{text}». Можно: {known}.")


@dataclass(frozen=True)
class MonthSummary:
    month: int
    working_days: int
    working_time: dt.timedelta


@dataclass(frozen=True)
class DayNote:
    day: dt.date
    text: str


@dataclass(frozen=True)
class YearSummary:
    """A year of the office's calendar as the administrator checks it against the decree."""

    year: int
    source: str
    shipped: bool
    hours: str
    months: tuple[MonthSummary, ...]
    days_off: tuple[DayNote, ...]
    working_weekend_days: tuple[DayNote, ...]
    shortened: tuple[DayNote, ...]
    overrides: tuple[DayNote, ...]

    @property
    def working_days(self) -> int:
        return sum(m.working_days for m in self.months)

    @property
    def working_time(self) -> dt.timedelta:
        return sum((m.working_time for m in self.months), dt.timedelta(0))


def summarize_year(calendar: WorkCalendar, year: int) -> YearSummary:
    production = calendar.year_calendar(year)
    months = []
    for month in range(1, 13):
        first = dt.date(year, month, 1)
        after = dt.date(year + month // 12, month % 12 + 1, 1)
        days = [dt.date.fromordinal(n) for n in range(first.toordinal(), after.toordinal())]
        months.append(
            MonthSummary(
                month=month,
                working_days=sum(calendar.is_working_day(d) for d in days),
                working_time=calendar.elapsed(
                    dt.datetime.combine(first, dt.time()), dt.datetime.combine(after, dt.time())
                ),
            )
        )
    overrides = sorted(
        (o for o in calendar.overrides.values() if o.day.year == year), key=lambda o: o.day
    )
    return YearSummary(
        year=year,
        source=production.source,
        shipped=production.shipped,
        hours=calendar.hours.describe(),
        months=tuple(months),
        days_off=tuple(DayNote(d, t) for d, t in sorted(production.days_off.items())),
        working_weekend_days=tuple(
            DayNote(d, w.note) for d, w in sorted(production.working_weekend_days.items())
        ),
        shortened=tuple(DayNote(d, t) for d, t in sorted(production.shortened.items())),
        overrides=tuple(
            DayNote(o.day, " — ".join(filter(None, (OVERRIDE_TITLES[o.kind], o.note))))
            for o in overrides
        ),
    )


@dataclass(frozen=True)
class _Cached:
    key: tuple[object, ...]
    calendar: WorkCalendar


_cache: _Cached | None = None
_cache_lock = threading.Lock()


def _stored_hours(value: object) -> OfficeHours:
    return OfficeHours.default() if value in (None, "", {}) else OfficeHours.from_json(value)


@reads
def office_hours() -> OfficeHours:
    return _stored_hours(get_value(OFFICE_HOURS_KEY))


@reads
def list_overrides(year: int | None = None) -> list[CalendarOverride]:
    query = OverrideRow.select().order_by(OverrideRow.day)
    if year is not None:
        query = query.where(OverrideRow.day.between(dt.date(year, 1, 1), dt.date(year, 12, 31)))
    return [CalendarOverride(row.day, row.kind, row.note) for row in query]


@reads
def office_work_calendar() -> WorkCalendar:
    """The office's calendar; the same object while hours and overrides stay the same, so its
    timeline (built on first use) is reused by every caller."""
    global _cache
    hours = office_hours()
    overrides = tuple(list_overrides())
    key = (hours, overrides)
    with _cache_lock:
        if _cache is None or _cache.key != key:
            _cache = _Cached(key, WorkCalendar(hours=hours, overrides=overrides))
        return _cache.calendar


@dataclass(frozen=True)
class OfficeTime:
    """The working calendar in the office's time zone, for moments stored in UTC.

    The engine counts in naive local office time; this converts on the way in and out, so a
    Sakhalin office's «30 минут рабочего времени» run in Sakhalin's office hours.
    """

    calendar: WorkCalendar
    zone: ZoneInfo

    def local(self, moment: dt.datetime) -> dt.datetime:
        if moment.tzinfo is None:
            raise ValueError("stored moments are aware UTC; got a naive datetime")
        return moment.astimezone(self.zone).replace(tzinfo=None)

    def utc(self, local: dt.datetime) -> dt.datetime:
        return local.replace(tzinfo=self.zone).astimezone(dt.UTC)

    def add(
        self, start: dt.datetime, amount: dt.timedelta | int, clock: Clock = Clock.WORKING_HOURS
    ) -> dt.datetime:
        return self.utc(self.calendar.add(self.local(start), amount, clock))

    def elapsed(
        self, start: dt.datetime, end: dt.datetime, clock: Clock = Clock.WORKING_HOURS
    ) -> dt.timedelta:
        return self.calendar.elapsed(self.local(start), self.local(end), clock)


@reads
def office_time() -> OfficeTime:
    return OfficeTime(office_work_calendar(), office_settings().zone)


def set_office_hours(user: CurrentUser, hours: OfficeHours) -> None:
    user.require(Action.MANAGE_SETTINGS)

    def write() -> None:
        before = get_value(OFFICE_HOURS_KEY)
        after = hours.to_json()
        put_value(OFFICE_HOURS_KEY, after)
        append_event(
            user.actor,
            entity="setting",
            entity_id=0,
            action="set_office_hours",
            before={"office_hours": before},
            after={"office_hours": after, "text": hours.describe()},
        )

    run_write(write)


def set_override(
    user: CurrentUser, day: dt.date, kind: CalendarOverrideKind, note: str = ""
) -> None:
    """Mark `day` as working, a day off or shortened; replaces an earlier mark of that day."""
    user.require(Action.MANAGE_SETTINGS)
    kind = CalendarOverrideKind(kind)
    note = " ".join(note.split())
    if len(note) > _NOTE_LIMIT:
        raise ValidationError(f"Примечание длиннее {_NOTE_LIMIT} символов.")
    # The production calendar of that year must exist, or the mark could never apply.
    WorkCalendar(overrides=[CalendarOverride(day, kind, note)]).day_intervals(day)

    def write() -> None:
        row = OverrideRow.get_or_none(OverrideRow.day == day)
        before = None if row is None else {"kind": row.kind.value, "note": row.note}
        if row is None:
            row = OverrideRow.create(day=day, kind=kind, note=note, updated_by=user.login)
        else:
            OverrideRow.update(
                kind=kind, note=note, version=OverrideRow.version + 1, updated_by=user.login
            ).where(OverrideRow.id == row.id).execute()
        append_event(
            user.actor,
            entity="calendar_override",
            entity_id=row.id,
            action="set_calendar_override",
            before=before,
            after={"day": day.isoformat(), "kind": kind.value, "note": note},
        )

    run_write(write)


def remove_override(user: CurrentUser, day: dt.date) -> None:
    user.require(Action.MANAGE_SETTINGS)

    def write() -> None:
        row = OverrideRow.get_or_none(OverrideRow.day == day)
        if row is None:
            raise ValidationError(f"День {day:%d.%m.%Y} не изменён в календаре офиса.")
        append_event(
            user.actor,
            entity="calendar_override",
            entity_id=row.id,
            action="remove_calendar_override",
            before={"day": day.isoformat(), "kind": row.kind.value, "note": row.note},
        )
        row.delete_instance()

    run_write(write)
