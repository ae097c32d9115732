"""Countdowns of running steps in working time, ticking from memory.

A step's start and due moments become working positions once (`Countdowns.track`); each tick
takes the position of "now" once (`Countdowns.tick`), and every row's remaining time is one
subtraction — so thousands of countdowns tick every second without touching the database or
walking the calendar. The level a row shows: calm, under a quarter of its time left, overdue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import IntEnum
from zoneinfo import ZoneInfo

from desktop.services.formatting import plural
from desktop.services.workcalendar import WorkCalendar, WorkingPositions

US_PER_MINUTE = 60_000_000
SOON_SHARE = 0.25  # «under 25 % left»


class Level(IntEnum):
    NONE = 0  # no deadline
    CALM = 1
    SOON = 2  # under a quarter of the step's working time left
    OVERDUE = 3


@dataclass(frozen=True)
class Track:
    """A step's start and due moments as working positions (due also as wall-clock UTC)."""

    start: int
    due: int
    due_at: dt.datetime

    @property
    def total(self) -> int:
        return self.due - self.start


@dataclass(frozen=True)
class Now:
    """One tick: the moment and its working position."""

    at: dt.datetime  # aware UTC
    position: int


class Countdowns:
    """Working-time countdowns for one office calendar and time zone."""

    def __init__(self, calendar: WorkCalendar, zone: ZoneInfo, around: dt.datetime) -> None:
        self.calendar = calendar
        self.zone = zone
        year = around.astimezone(zone).year
        self._positions: WorkingPositions = calendar.positions(year - 1, year + 1)

    def _position(self, moment: dt.datetime) -> int:
        return self._positions.position(moment.astimezone(self.zone).replace(tzinfo=None))

    def covers(self, moment: dt.datetime) -> bool:
        """Whether `moment` lies in the years these positions were built for."""
        return self._positions.covers(moment.astimezone(self.zone).replace(tzinfo=None))

    def track(self, started_at: dt.datetime | None, due_at: dt.datetime | None) -> Track | None:
        if due_at is None:
            return None
        due = self._position(due_at)
        start = due if started_at is None else min(self._position(started_at), due)
        return Track(start=start, due=due, due_at=due_at)

    def tick(self, now: dt.datetime) -> Now:
        return Now(at=now, position=self._position(now))

    @staticmethod
    def remaining(track: Track, now: Now) -> int:
        """Working microseconds left (negative: how long overdue, in working time)."""
        if now.at > track.due_at:
            return min(track.due - now.position, 0)
        return max(track.due - now.position, 0)

    @classmethod
    def level(cls, track: Track | None, now: Now) -> Level:
        if track is None:
            return Level.NONE
        if now.at > track.due_at:
            return Level.OVERDUE
        left = cls.remaining(track, now)
        if track.total <= 0 or left <= track.total * SOON_SHARE:
            return Level.SOON
        return Level.CALM


def format_working(us: int) -> str:
    """«2 ч 15 мин раб.», «45 мин раб.», «просрочено на 1 ч 5 мин раб.» (days of 8 hours are
    not folded: a working day's length is the office's)."""
    minutes = abs(us) // US_PER_MINUTE
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        text = f"{hours} ч {rest} мин"
    elif hours:
        text = f"{hours} ч"
    else:
        text = f"{rest} мин"
    return f"просрочено на {text} раб." if us < 0 else f"{text} раб."


def describe_left(us: int) -> str:
    """The same in words for a tooltip or a banner: «до срока 2 часа 15 минут рабочего времени»."""
    minutes = abs(us) // US_PER_MINUTE
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} {plural(hours, 'час', 'часа', 'часов')}")
    if rest or not hours:
        parts.append(f"{rest} {plural(rest, 'минута', 'минуты', 'минут')}")
    words = " ".join(parts)
    if us < 0:
        return f"просрочено на {words} рабочего времени"
    return f"до срока {words} рабочего времени"
