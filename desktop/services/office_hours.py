"""The office's working hours: several intervals a day, per weekday.

Kept by the administrator in the office settings as JSON (`to_json`/`from_json`) and shown or
typed as text: «Пн–Чт 08:00–12:00, 12:48–17:00; Пт 08:00–12:00, 12:48–15:45».
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable, Mapping

from desktop.services.errors import ValidationError

Interval = tuple[dt.time, dt.time]
IntervalInput = tuple[dt.time | str, dt.time | str]
# An interval in microseconds since midnight: exact integer arithmetic for the engine.
MicroInterval = tuple[int, int]

US_PER_SECOND = 1_000_000
WEEKDAY_ABBREVIATIONS = ("Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс")
_DAY_WORDS = {
    **{name.casefold(): i for i, name in enumerate(WEEKDAY_ABBREVIATIONS)},
    **{name: i for i, name in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))},
    **{name: i for i, name in enumerate(("пон", "вто", "сре", "чет", "пят", "суб", "вос"))},
}
_DASHES = "-‐‑‒–—"
_TIME = r"(\d{1,2}):(\d{2})(?::(\d{2}))?"
_TIME_RANGE = re.compile(rf"{_TIME}\s*[{_DASHES}]\s*{_TIME}")


def time_to_us(moment: dt.time) -> int:
    seconds = (moment.hour * 60 + moment.minute) * 60 + moment.second
    return seconds * US_PER_SECOND + moment.microsecond


def us_to_time(us: int) -> dt.time:
    seconds, micro = divmod(us, US_PER_SECOND)
    minutes, second = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    return dt.time(hour, minute, second, micro)


def _hhmm(moment: dt.time) -> str:
    text = f"{moment:%H:%M}"
    return text if not (moment.second or moment.microsecond) else f"{moment:%H:%M:%S}"


class OfficeHours:
    """Working intervals per weekday (0 = Monday … 6 = Sunday); a weekday not given is closed.

    Saturday and Sunday hours are used only on weekend days the production calendar (or an
    override) makes working; Otklik follows the five-day week of the official calendar.
    """

    __slots__ = ("_week",)

    def __init__(
        self,
        week: Mapping[int, Iterable[IntervalInput]] | Mapping[str, Iterable[IntervalInput]],
    ) -> None:
        """`week` maps a weekday (0 = Monday, or «пн», "mon") to its intervals, each a pair of
        `time` or of "HH:MM" strings."""
        days: list[tuple[MicroInterval, ...] | None] = [None] * 7
        for key, intervals in week.items():
            weekday = _weekday_of(key)
            if days[weekday] is not None:
                raise ValidationError(f"{WEEKDAY_ABBREVIATIONS[weekday]} указан дважды.")
            days[weekday] = _checked(weekday, intervals)
        week_days = tuple(day or () for day in days)
        if not any(week_days[:5]):
            raise ValidationError(
                "Укажите рабочие часы хотя бы для одного дня с понедельника по пятницу."
            )
        self._week = week_days

    @classmethod
    def default(cls) -> OfficeHours:
        """Monday to Friday, 09:00–13:00 and 14:00–18:00: a 40-hour week with a lunch hour."""
        day = [(dt.time(9), dt.time(13)), (dt.time(14), dt.time(18))]
        return cls({weekday: day for weekday in range(5)})

    def intervals(self, weekday: int) -> list[Interval]:
        return [(us_to_time(start), us_to_time(end)) for start, end in self._week[weekday]]

    def micro_intervals(self, weekday: int) -> tuple[MicroInterval, ...]:
        return self._week[weekday]

    def weekly_hours(self) -> dt.timedelta:
        """Working time of an ordinary Monday-to-Friday week."""
        total = sum(end - start for day in self._week[:5] for start, end in day)
        return dt.timedelta(microseconds=total)

    # --- stored and typed forms ----------------------------------------------------------

    def to_json(self) -> dict[str, list[list[str]]]:
        return {
            str(weekday): [[start.isoformat(), end.isoformat()] for start, end in intervals]
            for weekday in range(7)
            if (intervals := self.intervals(weekday))
        }

    @classmethod
    def from_json(cls, data: object) -> OfficeHours:
        if not isinstance(data, dict):
            raise ValidationError("Рабочие часы сохранены в неверном формате.")
        try:
            return cls(
                {
                    int(key): [
                        (dt.time.fromisoformat(a), dt.time.fromisoformat(b)) for a, b in value
                    ]
                    for key, value in data.items()
                }
            )
        except (TypeError, ValueError) as exc:
            if isinstance(exc, ValidationError):
                raise
            raise ValidationError(f"Рабочие часы сохранены в неверном формате: {exc}") from exc

    def day_text(self, weekday: int) -> str:
        """One weekday's intervals as the settings form shows them: «09:00–13:00, 14:00–18:00»;
        empty for a closed day."""
        return ", ".join(f"{_hhmm(a)}–{_hhmm(b)}" for a, b in self.intervals(weekday))

    @classmethod
    def from_days(cls, days: Mapping[int, str]) -> OfficeHours:
        """Hours typed a weekday at a time (0 = Monday): «09:00–13:00, 14:00–18:00»; a blank
        day, «выходной» or «—» is closed. Errors name the weekday."""
        week: dict[int, list[Interval]] = {}
        for weekday, text in days.items():
            if text.strip().casefold().strip(_DASHES + " .") in ("", "выходной", "нет"):
                continue
            try:
                week[weekday] = _parse_ranges(text)
            except ValidationError as exc:
                name = WEEKDAY_ABBREVIATIONS[_weekday_of(weekday)]
                raise ValidationError(f"{name}: {exc}") from None
        return cls(week)

    def describe(self) -> str:
        """«Пн–Пт 09:00–13:00, 14:00–18:00»; days with the same hours are grouped."""
        groups: list[tuple[list[int], tuple[MicroInterval, ...]]] = []
        for weekday, day in enumerate(self._week):
            if not day:
                continue
            if groups and groups[-1][1] == day and groups[-1][0][-1] == weekday - 1:
                groups[-1][0].append(weekday)
            else:
                groups.append(([weekday], day))
        parts = []
        for weekdays, day in groups:
            names = WEEKDAY_ABBREVIATIONS[weekdays[0]]
            if len(weekdays) == 2:
                names += f", {WEEKDAY_ABBREVIATIONS[weekdays[-1]]}"
            elif len(weekdays) > 2:
                names += f"–{WEEKDAY_ABBREVIATIONS[weekdays[-1]]}"
            times = ", ".join(f"{_hhmm(us_to_time(a))}–{_hhmm(us_to_time(b))}" for a, b in day)
            parts.append(f"{names} {times}")
        return "; ".join(parts)

    @classmethod
    def parse(cls, text: str) -> OfficeHours:
        """Read `describe()`'s form: groups «дни часы» separated by «;»."""
        week: dict[int, list[Interval]] = {}
        for group in filter(None, (part.strip() for part in text.split(";"))):
            found = re.match(r"^(\D+?)\s*(\d.*)$", group)
            if found is None:
                raise ValidationError(f"Не понимаю «{group}»: пишите «Пн–Пт 09:00–18:00».")
            days_text, times_text = found.groups()
            weekdays = _parse_days(days_text)
            intervals = _parse_ranges(times_text)
            for weekday in weekdays:
                if weekday in week:
                    name = WEEKDAY_ABBREVIATIONS[weekday]
                    raise ValidationError(f"{name} указан дважды: «{text}».")
                week[weekday] = intervals
        if not week:
            raise ValidationError(
                "Укажите рабочие часы, например «Пн–Пт 09:00–13:00, 14:00–18:00»."
            )
        return cls(week)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, OfficeHours) and self._week == other._week

    def __hash__(self) -> int:
        return hash(self._week)

    def __repr__(self) -> str:
        return f"OfficeHours.parse({self.describe()!r})"


def _weekday_of(key: int | str) -> int:
    if isinstance(key, int) and not isinstance(key, bool) and 0 <= key <= 6:
        return key
    if isinstance(key, str):
        found = _DAY_WORDS.get(key.strip().casefold().rstrip(".")[:3])
        if found is not None:
            return found
    raise ValidationError(f"День недели должен быть числом от 0 (пн) до 6 (вс): {key!r}.")


def _time_of(value: object) -> dt.time | None:
    if isinstance(value, dt.time):
        return value
    if isinstance(value, str):
        try:
            return dt.time.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _checked(weekday: int, intervals: Iterable[IntervalInput]) -> tuple[MicroInterval, ...]:
    name = WEEKDAY_ABBREVIATIONS[weekday]
    micro: list[MicroInterval] = []
    for interval in intervals:
        try:
            start, end = (_time_of(value) for value in interval)
        except (TypeError, ValueError):
            start = end = None
        if start is None or end is None:
            raise ValidationError(
                f"{name}: интервал должен быть парой времён, получено {interval!r}."
            )
        if start.tzinfo is not None or end.tzinfo is not None:
            raise ValidationError(f"{name}: время работы указывается без часового пояса.")
        if start >= end:
            raise ValidationError(
                f"{name}: начало {_hhmm(start)} должно быть раньше конца {_hhmm(end)}."
            )
        micro.append((time_to_us(start), time_to_us(end)))
    micro.sort()
    for (_, earlier_end), (later_start, _) in itertools.pairwise(micro):
        if later_start < earlier_end:
            raise ValidationError(f"{name}: интервалы рабочего времени пересекаются.")
    return tuple(micro)


def _parse_days(text: str) -> list[int]:
    weekdays: list[int] = []
    for part in filter(None, (p.strip() for p in text.casefold().replace(".", "").split(","))):
        ends = re.split(rf"[{_DASHES}]", part)
        try:
            numbers = [_weekday_of(end) for end in ends]
        except ValidationError:
            raise ValidationError(
                f"Не понимаю дни недели «{text}»: пишите «Пн–Пт» или «Сб»."
            ) from None
        if len(numbers) == 1:
            weekdays.append(numbers[0])
        elif len(numbers) == 2 and numbers[0] <= numbers[1]:
            weekdays.extend(range(numbers[0], numbers[1] + 1))
        else:
            raise ValidationError(f"Не понимаю дни недели «{text}»: пишите «Пн–Пт» или «Сб».")
    return weekdays


def _parse_ranges(text: str) -> list[Interval]:
    ranges: list[Interval] = []
    for found in _TIME_RANGE.finditer(text):
        h1, m1, s1, h2, m2, s2 = (int(part or 0) for part in found.groups())
        try:
            ranges.append((dt.time(h1, m1, s1), dt.time(h2, m2, s2)))
        except ValueError:
            raise ValidationError(f"Нет такого времени в интервале «{found[0]}».") from None
    if not ranges or _TIME_RANGE.sub("", text).strip(", \t"):
        raise ValidationError(f"Не понимаю интервалы «{text}»: пишите «09:00–13:00, 14:00–18:00».")
    return ranges
