"""What a report holds: plain frozen data, computed by `reports.py`, shown by the Reports tab
and written to Excel by `report_excel.py`. No database, no Qt here.

Counting rules (the same for the screen and the file):
- An incident belongs to a period by its **detection moment** in office time
  (`Incident.detected_at`, [start, end)).
- «Дан ответ»: a final answer (or explanation) published — `Incident.answered_at` set; «в срок»
  when `answered_at <= answer_due_at`. Open or closed without an answer counts in neither.
- Step on time / overdue: steps of the period's incidents that are done (`done_at`), not
  cancelled, with a deadline; overdue when `done_at > due_at`. Steps still open past their
  deadline at the report's moment count as overdue too (and appear among the violations with
  «не выполнен»).
- Working time (medians, percentiles, «на сколько опоздал») in minutes of the office's working
  calendar, so a weekend does not make a message look late.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class PeriodKind(StrEnum):
    MONTH = "month"
    WEEK = "week"
    CUSTOM = "custom"


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    start: dt.date  # first day, office time
    end: dt.date  # the day after the last one (exclusive)
    title: str  # «октябрь 2026», «неделя 2026-W44 (26.10.2026 – 01.11.2026)», «01.10 – 15.10.2026»


def heading(period: Period) -> str:
    """«Отчёт за октябрь 2026», «Отчёт за неделю 2026-W44 (…)», «Отчёт за 01.10 – 15.10.2026»:
    a week's title is in the nominative («неделя …»), the heading needs the accusative."""
    if period.kind is PeriodKind.WEEK and period.title.startswith("неделя "):
        return f"Отчёт за неделю {period.title.removeprefix('неделя ')}"
    return f"Отчёт за {period.title}"


class Dimension(StrEnum):
    """What a table row groups by; with `key` it names the incidents behind a number."""

    ALL = "all"
    TOPIC = "topic"
    DEPARTMENT = "department"
    LOCATION = "location"
    NETWORK = "network"
    IMPORTANCE = "importance"
    ANSWER_KIND = "answer_kind"
    EXECUTOR = "executor"
    STEP = "step"


class Measure(StrEnum):
    """Which incidents of a row a number counts (for «click a number to see the incidents»)."""

    TOTAL = "total"
    ANSWERED = "answered"
    ON_TIME = "on_time"
    OVERDUE = "overdue"
    REWORKED = "reworked"
    NOT_TO_ANSWER = "not_to_answer"
    OFFICIAL_APPEAL = "official_appeal"
    REPEAT = "repeat"


@dataclass(frozen=True)
class Cell:
    """A number on screen or in the file: the incidents behind it are
    `incidents_behind(query, cell)`."""

    dimension: Dimension
    key: str  # the row's key: a topic id, a network value, a step kind, … ("" for ALL)
    measure: Measure


@dataclass(frozen=True)
class GroupRow:
    """One line of «По темам», «По отделам», «По территориям», «По соцсетям», …"""

    key: str
    name: str  # «Без темы» / «Без территории» / «Без отдела» for the empty group
    total: int
    answered: int
    on_time: int  # answered by the answer deadline (per step for the STEP dimension)
    overdue: int

    @property
    def share_on_time(self) -> float | None:
        """Percent of the decided ones (on time + overdue), None when there are none."""
        decided = self.on_time + self.overdue
        return None if decided == 0 else 100.0 * self.on_time / decided


@dataclass(frozen=True)
class Timing:
    """Working minutes from registration to a moment, over the incidents that reached it."""

    label: str  # «до направления в отдел», «до первого ответа», «до публикации»
    count: int
    median_minutes: float | None
    p90_minutes: float | None


@dataclass(frozen=True)
class Violation:
    incident_id: int
    number: int
    step: str  # Russian: «Срок ответа», «Направить в отдел», …
    department: str
    responsible: str
    due_at: dt.datetime  # aware UTC
    done_at: dt.datetime | None  # None: still not done at the report's moment
    late_minutes: int  # working minutes past the deadline
    external_number: str = ""  # the monitoring system's (or an imported log's) number


@dataclass(frozen=True)
class ReasonCount:
    reason: str  # Russian (titles.RETURN_REASON_TITLES)
    count: int


@dataclass(frozen=True)
class Summary:
    total: int  # «Всего сообщений»
    answered: int  # «Дан ответ»
    on_time: int  # «Ответ в срок»
    overdue: int  # «Ответ с нарушением срока»
    reworked: int  # «Возвращено на доработку»: incidents with at least one return
    returns: int  # all returns (a draft returned twice counts twice)
    not_to_answer: int  # «Не подлежит ответу»
    official_appeals: int  # «Передано как обращение (59-ФЗ)»
    repeats: int  # repeat messages (repeat_of set)
    open_now: int  # still open at the report's moment

    @property
    def share_on_time(self) -> float | None:
        """«Доля ответов в срок, %»: of the answered ones."""
        decided = self.on_time + self.overdue
        return None if decided == 0 else 100.0 * self.on_time / decided

    @property
    def rework_rate(self) -> float | None:
        """Percent of answered incidents that went back for rework at least once."""
        return None if self.answered == 0 else 100.0 * self.reworked / self.answered


@dataclass(frozen=True)
class DynamicsRow:
    label: str  # the same labels as «Сводка»
    current: float | None
    previous: float | None  # the previous period of the same kind and length
    year_before: float | None  # the same period a year before


@dataclass(frozen=True)
class MonthShare:
    month: dt.date  # the first day
    answered: int
    share_on_time: float | None


@dataclass(frozen=True)
class ReportQuery:
    period: Period
    regulation: str | None = None  # a preset slug, or None for all


@dataclass(frozen=True)
class Report:
    query: ReportQuery
    office_name: str
    regulation_title: str  # «все порядки» when not filtered
    generated_at: dt.datetime  # aware UTC
    zone: str  # the office's time zone key, for showing moments
    summary: Summary
    by_topic: tuple[GroupRow, ...]
    by_department: tuple[GroupRow, ...]
    by_location: tuple[GroupRow, ...]
    by_network: tuple[GroupRow, ...]
    by_importance: tuple[GroupRow, ...]
    by_answer_kind: tuple[GroupRow, ...]
    by_executor: tuple[GroupRow, ...]
    by_step: tuple[GroupRow, ...]  # on time / overdue per step kind (answered = done)
    timings: tuple[Timing, ...]
    rework_reasons: tuple[ReasonCount, ...]
    violations: tuple[Violation, ...]  # every one, the latest deadline first
    dynamics: tuple[DynamicsRow, ...]
    last_12_months: tuple[MonthShare, ...] = field(default=())


# The labels of «Сводка», exactly as the monthly report to the first deputy head names them.
SUMMARY_LABELS = (
    "Всего сообщений",
    "Дан ответ",
    "Ответ в срок",
    "Ответ с нарушением срока",
    "Доля ответов в срок, %",
    "Возвращено на доработку",
    "Не подлежит ответу",
    "Передано как обращение (59-ФЗ)",
)


def summary_values(summary: Summary) -> tuple[float | None, ...]:
    """The values of `SUMMARY_LABELS`, in their order."""
    return (
        summary.total,
        summary.answered,
        summary.on_time,
        summary.overdue,
        summary.share_on_time,
        summary.reworked,
        summary.not_to_answer,
        summary.official_appeals,
    )
