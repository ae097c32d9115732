"""The working-time engine against pandas CustomBusinessHour and businesstimedelta.

The same seeded random (start, duration) cases over 2024-2026, one 09:00-18:00 interval on
Monday to Friday and the same holidays for all three. The answers are checked against each
other first, then each library is timed on the same cases in the same run, and the engine's
speed-up over the faster of the two is printed against the target of 20 times.

Where the semantics differ the answers are normalised, never dropped:
- an addition that ends exactly at a day's close: the engine and businesstimedelta give that
  close (17:00 + 1 h = 18:00 the same day), pandas gives the next opening (09:00 of the next
  working day). The same working moment: the engine's 18:00 is compared with pandas as the
  next opening. The engine and businesstimedelta are compared as they are.
- pandas' CustomBusinessHour adds whole hours only (n is an integer), so the main cases have
  whole-hour durations; a second set with durations in minutes is checked against
  businesstimedelta alone.
- a zero duration: the engine gives the start unchanged, both libraries roll it to the next
  opening; the cases have no zero duration.

Run from the repository root, after installing the benchmark's own dependencies
(see benchmarks/README.md):

    .venv/bin/python benchmarks/workcalendar_bench.py

Exit status: 0 when every answer agrees, 1 when any disagrees (or the comparison calendar
could not be made equal to the libraries'), 2 when a dependency or the engine is missing.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import importlib.metadata
import os
import platform
import random
import sys
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from time import perf_counter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop.services.workcalendar import Clock, WorkCalendar

REPO = Path(__file__).resolve().parent.parent
DEPS = REPO / "benchmarks" / ".deps"
ENGINE = "desktop.services.workcalendar"
INSTALL_COMMAND = (
    ".venv/bin/python -m pip install --target benchmarks/.deps"
    " -r benchmarks/requirements-workcalendar.txt"
)

OPEN, CLOSE = time(9), time(18)
FULL_DAY = [(OPEN, CLOSE)]
WEEKDAYS = [0, 1, 2, 3, 4]
# Starts are drawn from these three years...
FIRST_DAY, LAST_DAY = date(2024, 1, 1), date(2026, 12, 31)
# ...and the holidays reach to the end of 2027: an addition started late in 2026 ends in
# January 2027, and businesstimedelta's HolidayRule fails (datetime.combine(None, ...)) when it
# finds no holiday at all within five years of a date it is asked about.
MARGIN_END = date(2027, 12, 31)
MAX_HOURS = 40
MAX_MINUTES = MAX_HOURS * 60
ON_THE_HOUR = 0.25  # the share of starts put on a whole hour, so that results land on 18:00 too
TARGET = 20.0
EXAMPLES = 5
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Case:
    start: datetime
    duration: timedelta


@dataclass(frozen=True)
class Libraries:
    pd: Any  # pandas
    btd: Any  # businesstimedelta
    versions: str


@dataclass(frozen=True)
class Calendars:
    engine: WorkCalendar  # the default calendar made equal to the libraries' with overrides
    holidays: list[date]  # the Monday-to-Friday days off, FIRST_DAY..MARGIN_END
    off: frozenset[date]  # the same as a set
    clock: Clock  # Clock.WORKING_HOURS

    def working(self, day: date) -> bool:
        """A working day as pandas and businesstimedelta see it."""
        return day.weekday() < 5 and day not in self.off


def days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += ONE_DAY


def load_libraries() -> Libraries | None:
    """pandas and businesstimedelta from benchmarks/.deps (or wherever they are installed).

    .deps goes to the end of sys.path, so the project's own packages (holidays,
    python-dateutil, six) still come from .venv: pip --target copies them into .deps too.
    """
    if DEPS.is_dir() and str(DEPS) not in sys.path:
        sys.path.append(str(DEPS))
    try:
        pd = importlib.import_module("pandas")
        btd = importlib.import_module("businesstimedelta")
    except ImportError as exc:
        print(f"missing benchmark dependency: {exc.name or exc}", file=sys.stderr)
        print("install the benchmark's own dependencies (not the project's) with", file=sys.stderr)
        print(f"    {INSTALL_COMMAND}", file=sys.stderr)
        return None
    numpy = importlib.import_module("numpy")
    where = Path(str(pd.__file__)).parent.parent
    versions = (
        f"pandas {pd.__version__} (numpy {numpy.__version__}) from {where},"
        f" businesstimedelta {importlib.metadata.version('businesstimedelta')}"
    )
    return Libraries(pd=pd, btd=btd, versions=versions)


def intervals(calendar: WorkCalendar, day: date) -> list[tuple[time, time]]:
    return [(start, end) for start, end in calendar.day_intervals(day)]


def by_year(listed: Sequence[date]) -> Iterator[str]:
    for year in range(FIRST_DAY.year, MARGIN_END.year + 1):
        shown = ", ".join(day.strftime("%m-%d") for day in listed if day.year == year)
        yield f"    {year}: {shown or 'none'}"


def build_calendars() -> Calendars | None:
    """The holidays for the libraries, read off the engine's default calendar, and the engine's
    calendar made equal to theirs: working weekend days become DAY_OFF, shortened days WORKING."""
    from desktop.models.enums import CalendarOverrideKind
    from desktop.services.workcalendar import CalendarOverride, Clock, OfficeHours, WorkCalendar

    hours = OfficeHours({weekday: list(FULL_DAY) for weekday in WEEKDAYS})
    default = WorkCalendar(hours=hours)
    holidays: list[date] = []
    working_weekend: list[date] = []
    shortened: dict[date, list[tuple[time, time]]] = {}
    for day in days(FIRST_DAY, MARGIN_END):
        working = default.is_working_day(day)
        if day.weekday() < 5 and not working:
            holidays.append(day)
        elif day.weekday() >= 5 and working:
            working_weekend.append(day)
        elif working and intervals(default, day) != FULL_DAY:
            shortened[day] = intervals(default, day)

    overrides = [CalendarOverride(day, CalendarOverrideKind.DAY_OFF) for day in working_weekend]
    overrides += [CalendarOverride(day, CalendarOverrideKind.WORKING) for day in shortened]
    engine = WorkCalendar(hours=hours, overrides=overrides)

    in_years = sum(day <= LAST_DAY for day in holidays)
    print("calendar: 09:00-18:00 Monday to Friday; the holidays are the weekdays that the")
    print("  default WorkCalendar(hours=...) calls days off")
    print(
        f"  holidays for pandas and businesstimedelta: {len(holidays)}"
        f" ({in_years} in {FIRST_DAY.year}-{LAST_DAY.year},"
        f" {len(holidays) - in_years} more up to {MARGIN_END})"
    )
    print(*by_year(holidays), sep="\n")
    print(
        f"  working weekend days made DAY_OFF ({len(working_weekend)}): "
        + (", ".join(map(str, working_weekend)) or "none")
    )
    print(f"  shortened days made WORKING, a full day ({len(shortened)}):")
    print(*by_year(list(shortened)), sep="\n")
    for day, odd in shortened.items():
        if odd != [(OPEN, time(17))]:
            print(f"  note: {day} is shortened to {odd}, not to 09:00-17:00")

    calendars = Calendars(engine, holidays, frozenset(holidays), Clock.WORKING_HOURS)
    mismatches = []
    for day in days(FIRST_DAY, MARGIN_END):
        expected = FULL_DAY if calendars.working(day) else []
        if intervals(engine, day) != expected:
            mismatches.append((day, intervals(engine, day), expected))
    if mismatches:
        print(f"the comparison calendar differs from the libraries' on {len(mismatches)} days:")
        for day, got, expected in mismatches[:EXAMPLES]:
            print(f"  {day}: engine {got}, libraries {expected}")
        return None
    print(
        f"  checked: with the overrides every day {FIRST_DAY}..{MARGIN_END} is 09:00-18:00"
        " or a day off, as the libraries see it"
    )
    return calendars


def make_cases(count: int, seed: int, unit: timedelta, most: int) -> list[Case]:
    """Starts at random minutes of FIRST_DAY..LAST_DAY, some put on a whole hour; durations of
    1..most units."""
    rng = random.Random(seed)
    origin = datetime.combine(FIRST_DAY, time())
    minutes = ((LAST_DAY - FIRST_DAY).days + 1) * 24 * 60
    cases = []
    for _ in range(count):
        minute = rng.randrange(minutes)
        if rng.random() < ON_THE_HOUR:
            minute -= minute % 60
        cases.append(Case(origin + timedelta(minutes=minute), unit * rng.randint(1, most)))
    return cases


def describe_starts(cases: Sequence[Case], calendars: Calendars) -> None:
    off = [case for case in cases if not calendars.working(case.start.date())]
    on = [case.start.time() for case in cases if calendars.working(case.start.date())]
    before, after = sum(t < OPEN for t in on), sum(t >= CLOSE for t in on)
    print(
        f"  starts outside working time: {len(off) + before + after} (on days off {len(off)},"
        f" before 09:00 {before}, at or after 18:00 {after}, of these exactly 18:00"
        f" {sum(t == CLOSE for t in on)}); exactly 09:00 on a working day {on.count(OPEN)}"
    )


def next_opening_for_close(moment: datetime, calendars: Calendars) -> datetime:
    """A moment exactly at a working day's close as the next opening: the same working moment."""
    if moment.time() != CLOSE or not calendars.working(moment.date()):
        return moment
    day = moment.date() + ONE_DAY
    while not calendars.working(day):
        day += ONE_DAY
    return datetime.combine(day, OPEN)


def shown_as(value: object) -> str:
    """Durations as hours and minutes (27 h 05 min), not as timedelta's '1 day, 3:05:00'."""
    if isinstance(value, timedelta):
        minutes, rest = divmod(value, timedelta(minutes=1))
        text = f"{minutes // 60} h {minutes % 60:02d} min" if minutes % 60 else f"{minutes // 60} h"
        return text + (f" + {rest}" if rest else "")
    return str(value)


def agree(
    title: str,
    cases: Sequence[Case],
    got: Sequence[object],
    expected: Sequence[object],
    shown: Mapping[str, Sequence[object]],
) -> bool:
    """Whether got == expected case by case; the first disagreements printed in full."""
    bad = [i for i, (one, other) in enumerate(zip(got, expected, strict=True)) if one != other]
    if not bad:
        print(f"  {title}: the same in all {len(cases)} cases")
        return True
    print(f"  DISAGREE {title}: in {len(bad)} of {len(cases)} cases; the first {EXAMPLES}:")
    for i in bad[:EXAMPLES]:
        given = ", ".join(f"{name} {shown_as(values[i])}" for name, values in shown.items())
        case = cases[i]
        print(f"    #{i}: start {case.start}, duration {shown_as(case.duration)}: {given}")
    return False


def timed(run: Callable[[], object]) -> float:
    """Seconds one run takes, with the garbage collector off."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        began = perf_counter()
        run()
        return perf_counter() - began
    finally:
        if collecting:
            gc.enable()


def best_times(runs: Sequence[Callable[[], object]], repeats: int) -> list[list[float]]:
    """Each run's `repeats` times after one warm-up run of each, taken in rounds (one of each
    run per round) so that a slow spell of the machine falls on all of them alike."""
    for run in runs:
        run()
    times: list[list[float]] = [[] for _ in runs]
    for _ in range(repeats):
        for run, taken in zip(runs, times, strict=True):
            taken.append(timed(run))
    return times


def btd_rule(libs: Libraries, calendars: Calendars) -> Any:
    """businesstimedelta's rule for 09:00-18:00 on Monday to Friday less the holidays.

    HolidayRule tests `day in holidays` for each day up to the next holiday, so it gets a
    frozenset: a list would make it slower still.
    """
    btd = libs.btd
    return btd.Rules(
        [
            btd.WorkDayRule(start_time=OPEN, end_time=CLOSE, working_days=WEEKDAYS),
            btd.HolidayRule(calendars.off),
        ]
    )


class Contenders:
    """The same cases as calls to each library, everything they need made before timing."""

    def __init__(self, cases: Sequence[Case], calendars: Calendars, libs: Libraries) -> None:
        pd, btd = libs.pd, libs.btd
        self.size = len(cases)
        self.pairs = [(case.start, case.duration) for case in cases]
        self.hours = [(case.start, case.duration // timedelta(hours=1)) for case in cases]
        self.calendar, self.clock = calendars.engine, calendars.clock
        counts = sorted({n for _, n in self.hours})
        # pandas: one offset per whole-hour count (making one converts the holidays).
        self.offsets = {
            n: pd.offsets.CustomBusinessHour(
                n=n, start="09:00", end="18:00", holidays=calendars.holidays
            )
            for n in counts
        }
        self.groups = {n: [i for i, (_, h) in enumerate(self.hours) if h == n] for n in counts}
        self.indexes = {
            n: pd.DatetimeIndex([cases[i].start for i in members])
            for n, members in self.groups.items()
        }
        self.rule = btd_rule(libs, calendars)
        self.deltas = {n: btd.BusinessTimeDelta(self.rule, hours=n) for n in counts}
        self.ends: list[tuple[datetime, datetime]] = []

    def engine_add(self) -> list[datetime]:
        add, clock = self.calendar.add, self.clock
        return [add(start, duration, clock=clock) for start, duration in self.pairs]

    def pandas_add(self) -> list[Any]:
        offsets = self.offsets
        return [start + offsets[n] for start, n in self.hours]

    def pandas_add_grouped(self) -> dict[int, Any]:
        offsets = self.offsets
        with warnings.catch_warnings():
            # PerformanceWarning: Non-vectorized DateOffset being applied to Series or
            # DatetimeIndex. pandas applies a CustomBusinessHour one element at a time.
            warnings.simplefilter("ignore")
            return {n: index + offsets[n] for n, index in self.indexes.items()}

    def btd_add(self) -> list[datetime]:
        deltas = self.deltas
        return [start + deltas[n] for start, n in self.hours]

    def engine_elapsed(self) -> list[timedelta]:
        elapsed, clock = self.calendar.elapsed, self.clock
        return [elapsed(start, end, clock=clock) for start, end in self.ends]

    def btd_difference(self) -> list[Any]:
        difference = self.rule.difference
        return [difference(start, end) for start, end in self.ends]

    def pandas_grouped_in_order(self) -> list[datetime]:
        answers: list[datetime] = [datetime.min] * self.size
        for n, result in self.pandas_add_grouped().items():
            for i, stamp in zip(self.groups[n], result, strict=True):
                answers[i] = stamp.to_pydatetime()
        return answers


def check_hours(cases: Sequence[Case], calendars: Calendars, runs: Contenders) -> bool:
    engine = runs.engine_add()
    runs.ends = list(zip((case.start for case in cases), engine, strict=True))
    pandas = [stamp.to_pydatetime() for stamp in runs.pandas_add()]
    btd = [moment.replace(tzinfo=None) for moment in runs.btd_add()]
    shown = {"engine": engine, "pandas": pandas, "businesstimedelta": btd}
    at_close = sum(end.time() == CLOSE for end in engine)
    print("agreement, add (no case excluded):")
    ok = agree("engine vs businesstimedelta, as they are", cases, engine, btd, shown)
    normal = [next_opening_for_close(end, calendars) for end in engine]
    ok &= agree(
        f"engine vs pandas, the engine's {at_close} results at 18:00 taken as the next opening",
        cases,
        normal,
        pandas,
        shown,
    )
    ok &= agree(
        "pandas DatetimeIndex + offset vs pandas one by one",
        cases,
        runs.pandas_grouped_in_order(),
        pandas,
        {"pandas": pandas},
    )
    print("agreement, elapsed(start, the engine's result) == duration:")
    durations = [case.duration for case in cases]
    ok &= agree("engine", cases, runs.engine_elapsed(), durations, {"result": engine})
    spans = [span.timedelta for span in runs.btd_difference()]
    ok &= agree("businesstimedelta", cases, spans, durations, {"result": engine})
    return ok


def check_minutes(cases: Sequence[Case], calendars: Calendars, libs: Libraries) -> bool:
    """Durations in minutes, which pandas' offset cannot add: the engine and businesstimedelta."""
    calendar, clock = calendars.engine, calendars.clock
    rule, delta = btd_rule(libs, calendars), libs.btd.BusinessTimeDelta
    engine = [calendar.add(case.start, case.duration, clock=clock) for case in cases]
    btd = [
        (case.start + delta(rule, timedelta=case.duration)).replace(tzinfo=None) for case in cases
    ]
    at_close = sum(end.time() == CLOSE for end in engine)
    shown = {"engine": engine, "businesstimedelta": btd}
    ok = agree(f"add, engine vs businesstimedelta ({at_close} at 18:00)", cases, engine, btd, shown)
    spans = [
        calendar.elapsed(case.start, end, clock=clock)
        for case, end in zip(cases, engine, strict=True)
    ]
    durations = [case.duration for case in cases]
    return ok & agree("engine elapsed(start, result) == duration", cases, spans, durations, shown)


def time_all(runs: Contenders, repeats: int) -> None:
    print(
        f"timing: {runs.size} calls each; the best of {repeats} passes taken in rounds after a"
        " warm-up, gc off (the slowest pass in brackets)"
    )
    table = {
        "add      engine   cal.add(start, duration, clock=WORKING_HOURS)": runs.engine_add,
        "add      pandas   start + CustomBusinessHour(n), one by one": runs.pandas_add,
        "add      pandas   DatetimeIndex + CustomBusinessHour(n), by n": runs.pandas_add_grouped,
        "add      btd      start + BusinessTimeDelta(rule, hours=n)": runs.btd_add,
        "elapsed  engine   cal.elapsed(start, end, clock=WORKING_HOURS)": runs.engine_elapsed,
        "elapsed  btd      rule.difference(start, end)": runs.btd_difference,
    }
    micros = []
    for label, taken in zip(table, best_times(list(table.values()), repeats), strict=True):
        best, worst = (seconds / runs.size * 1e6 for seconds in (min(taken), max(taken)))
        micros.append(best)
        print(f"  {label:<66} {best:8.2f} µs/call  ({worst:.2f})")
    engine, pandas_one, pandas_grouped, btd, engine_elapsed, btd_difference = micros
    pandas = min(pandas_one, pandas_grouped)
    faster_name, faster = min((("pandas", pandas), ("businesstimedelta", btd)), key=lambda x: x[1])
    print("the engine is faster by:")
    print(f"  add: {pandas / engine:.1f}× than pandas (its faster form),")
    print(f"       {btd / engine:.1f}× than businesstimedelta,")
    print(f"       {faster / engine:.1f}× than the faster of the two ({faster_name})", end="")
    print(f" — target ≥ {TARGET:.0f}×: {'met' if faster / engine >= TARGET else 'not met'}")
    ratio = btd_difference / engine_elapsed
    print(f"  elapsed: {ratio:.1f}× than businesstimedelta (pandas has no business-time")
    print(f"       difference) — target ≥ {TARGET:.0f}×: {'met' if ratio >= TARGET else 'not met'}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000, help="how many cases (10,000)")
    parser.add_argument("--seed", type=int, default=2024, help="the random seed (2024)")
    parser.add_argument("--repeats", type=int, default=5, help="timed passes, the best kept (5)")
    args = parser.parse_args(argv)

    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    libs = load_libraries()
    if libs is None:
        return 2
    try:
        importlib.import_module(ENGINE)
    except ModuleNotFoundError as exc:
        if exc.name != ENGINE:
            raise
        print(f"the engine is missing: no module {ENGINE}", file=sys.stderr)
        return 2
    print("working-time engine vs pandas CustomBusinessHour vs businesstimedelta")
    print(f"python {platform.python_version()}, {libs.versions}")
    if hasattr(os, "getloadavg"):
        load = os.getloadavg()[0]
        print(f"load average {load:.2f} on {os.cpu_count()} cores (other work skews the timing)")
    calendars = build_calendars()
    if calendars is None:
        return 1

    cases = make_cases(args.cases, args.seed, timedelta(hours=1), MAX_HOURS)
    print(
        f"cases: {len(cases)} (seed {args.seed}), starts at random minutes"
        f" {FIRST_DAY}..{LAST_DAY} ({ON_THE_HOUR:.0%} of them on a whole hour),"
        f" durations of 1..{MAX_HOURS} whole hours"
    )
    describe_starts(cases, calendars)
    runs = Contenders(cases, calendars, libs)
    ok = check_hours(cases, calendars, runs)
    time_all(runs, args.repeats)

    minutes = make_cases(args.cases, args.seed + 1, timedelta(minutes=1), MAX_MINUTES)
    print(
        f"extra check: {len(minutes)} other cases, durations of 1..{MAX_MINUTES} minutes,"
        " against businesstimedelta only (pandas adds whole hours)"
    )
    ok &= check_minutes(minutes, calendars, libs)
    if not ok:
        print("FAILED: answers disagree, see DISAGREE above")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
