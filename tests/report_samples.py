"""Report objects built by hand, for tests, the Excel benchmark and the render tool.

The numbers are made from a seeded list of synthetic incidents and aggregated the way the
report service counts them, so every dimension agrees with «Сводка» (each incident has one
topic, territory and network; a few go to two departments, as in life).

    sample_report()                      # October 2026, ~400 messages, 10 topics, 8 departments,
                                         # 6 territories, 5 networks, 40 violations
    sample_report(PeriodKind.WEEK)       # week 2026-W44
    large_report()                       # 300 topics, 5,000 violations (the benchmark)
    empty_report()                       # a period without a single message
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass

from desktop.services.report_model import (
    SUMMARY_LABELS,
    DynamicsRow,
    GroupRow,
    MonthShare,
    Period,
    PeriodKind,
    ReasonCount,
    Report,
    ReportQuery,
    Summary,
    Timing,
    Violation,
    summary_values,
)
from desktop.services.titles import MONTH_NAMES

OFFICE_NAME = "Администрация муниципального образования Отрадненский район"
REGULATION = "Отрадненский район (пост. № 547 от 06.09.2021)"
ZONE = "Europe/Moscow"
GENERATED_AT = dt.datetime(2026, 11, 2, 6, 15, tzinfo=dt.UTC)  # 02.11.2026 09:15 in Moscow

TOPICS = (
    "Дороги и тротуары",
    "Водоснабжение и водоотведение",
    "Благоустройство дворов и парков",
    "Уличное освещение",
    "Вывоз мусора",
    "Общественный транспорт",
    "Образование: школы и детские сады",
    "Здравоохранение",
    "Социальная защита",
    "Без темы",
)
DEPARTMENTS = (
    "Отдел ЖКХ",
    "Управление образования",
    "Отдел транспорта и связи",
    "Отдел благоустройства",
    "Управление социальной защиты населения",
    "Отдел архитектуры и градостроительства",
    "Отдел по делам ГО и ЧС",
    "Финансовое управление",
)
LOCATIONS = (
    "ст. Отрадная",
    "ст. Передовая",
    "ст. Спокойная",
    "ст. Удобная",
    "х. Малотенгинский",
    "Без территории",
)
NETWORKS = ("ВКонтакте", "Одноклассники", "Telegram", "Max", "Инцидент Менеджмент")
PEOPLE = (
    "Иванова Мария Сергеевна",
    "Петров Алексей Викторович",
    "Сидоренко Ольга Николаевна",
    "Кузнецов Дмитрий Андреевич",
    "Григорьева Анна Павловна",
    "Ткаченко Игорь Владимирович",
    "Белоусова Екатерина Олеговна",
    "Мельник Сергей Иванович",
)
STEPS = (
    "Срок ответа",
    "Направить в отдел",
    "Проект ответа",
    "Согласование куратором",
    "Доработка",
    "Разместить ответ",
)
REASONS = (
    "не соответствует сути вопроса",
    "не соответствует требованиям к ответу",
    "орфографические и пунктуационные ошибки",
    "переадресация в другой орган",
)


def month_period(year: int = 2026, month: int = 10) -> Period:
    start = dt.date(year, month, 1)
    end = dt.date(year + month // 12, month % 12 + 1, 1)
    return Period(PeriodKind.MONTH, start, end, f"{MONTH_NAMES[month - 1]} {year}")


def week_period(year: int = 2026, week: int = 44) -> Period:
    start = dt.date.fromisocalendar(year, week, 1)
    end = start + dt.timedelta(days=7)
    last = end - dt.timedelta(days=1)
    title = f"неделя {year}-W{week:02d} ({start:%d.%m.%Y} – {last:%d.%m.%Y})"
    return Period(PeriodKind.WEEK, start, end, title)


@dataclass(frozen=True)
class _Incident:
    topic: int
    departments: tuple[int, ...]
    location: int
    network: int
    answered: bool
    on_time: bool


def _incidents(rng: random.Random, count: int, topics: int) -> list[_Incident]:
    # Weighted so the table has a clear leader and a long tail, as real months do.
    topic_weights = [1.0 / (1 + i) for i in range(topics)]
    made = []
    for _ in range(count):
        first = rng.randrange(len(DEPARTMENTS))
        departments: tuple[int, ...] = (first,)
        if rng.random() < 0.08:
            departments = (first, (first + 1 + rng.randrange(len(DEPARTMENTS) - 1)) % 8)
        answered = rng.random() < 0.9
        made.append(
            _Incident(
                topic=rng.choices(range(topics), topic_weights)[0],
                departments=departments,
                location=rng.choices(range(len(LOCATIONS)), (8, 4, 3, 3, 1, 2))[0],
                network=rng.choices(range(len(NETWORKS)), (10, 4, 5, 2, 3))[0],
                answered=answered,
                on_time=answered and rng.random() < 0.87,
            )
        )
    return made


def _group(
    incidents: Sequence[_Incident], names: Sequence[str], keys_of: str, prefix: str
) -> tuple[GroupRow, ...]:
    counts = [[0, 0, 0, 0] for _ in names]
    for incident in incidents:
        value = getattr(incident, keys_of)
        for index in value if isinstance(value, tuple) else (value,):
            row = counts[index]
            row[0] += 1
            row[1] += incident.answered
            row[2] += incident.on_time
            row[3] += incident.answered and not incident.on_time
    rows = [
        GroupRow(f"{prefix}{i}", names[i], total, answered, on_time, overdue)
        for i, (total, answered, on_time, overdue) in enumerate(counts)
        if total
    ]
    rows.sort(key=lambda row: (-row.total, row.name))  # the service's order: most first
    return tuple(rows)


def _violations(
    rng: random.Random, count: int, period: Period, generated_at: dt.datetime
) -> tuple[Violation, ...]:
    days = (period.end - period.start).days
    start = dt.datetime.combine(period.start, dt.time(6, 0), tzinfo=dt.UTC)  # 09:00 Moscow
    made = []
    for i in range(count):
        # Deadlines fall in office hours, 09:00-18:00 Moscow.
        due = start + dt.timedelta(days=rng.randrange(days), minutes=rng.randrange(9 * 60))
        late = rng.choice((5, 17, 45, 70, 95, 130, 240, 480, 615, 1_380))
        not_done = i % 9 == 4
        made.append(
            Violation(
                incident_id=10_000 + i,
                number=1_000 + rng.randrange(9_000),
                step=rng.choices(STEPS, (6, 3, 4, 2, 2, 2))[0],
                department=rng.choice(DEPARTMENTS),
                responsible=rng.choice(PEOPLE),
                due_at=due,
                done_at=None if not_done else due + dt.timedelta(minutes=late),
                late_minutes=late,
            )
        )
    made.sort(key=lambda v: v.due_at, reverse=True)  # the latest deadline first
    return tuple(made)


def _summary(incidents: Sequence[_Incident], rng: random.Random) -> Summary:
    answered = sum(i.answered for i in incidents)
    on_time = sum(i.on_time for i in incidents)
    reworked = round(answered * 0.11)
    return Summary(
        total=len(incidents),
        answered=answered,
        on_time=on_time,
        overdue=answered - on_time,
        reworked=reworked,
        returns=reworked + reworked // 4,
        not_to_answer=round(len(incidents) * 0.03),
        official_appeals=round(len(incidents) * 0.015),
        repeats=round(len(incidents) * 0.05),
        open_now=len(incidents) - answered - round(len(incidents) * 0.03) - rng.randrange(3),
    )


def _dynamics(summary: Summary, rng: random.Random) -> tuple[DynamicsRow, ...]:
    rows = []
    for label, value in zip(SUMMARY_LABELS, summary_values(summary), strict=True):
        if value is None:
            rows.append(DynamicsRow(label, None, None, None))
            continue
        factor_prev, factor_year = rng.uniform(0.8, 1.15), rng.uniform(0.6, 1.0)
        if label == "Доля ответов в срок, %":
            rows.append(DynamicsRow(label, value, min(100.0, value - 3.4), value - 9.1))
        elif label == "Передано как обращение (59-ФЗ)":
            rows.append(DynamicsRow(label, value, round(value * factor_prev), None))
        else:
            rows.append(
                DynamicsRow(label, value, round(value * factor_prev), round(value * factor_year))
            )
    return tuple(rows)


def _last_12_months(period: Period, rng: random.Random) -> tuple[MonthShare, ...]:
    months = []
    year, month = period.start.year, period.start.month
    for back in range(11, -1, -1):
        index = year * 12 + month - 1 - back
        first = dt.date(index // 12, index % 12 + 1, 1)
        answered = rng.randrange(280, 460)
        months.append(MonthShare(first, answered, round(rng.uniform(78.0, 93.0), 1)))
    return tuple(months)


def build_report(
    period: Period,
    *,
    incidents: int,
    topics: int = len(TOPICS),
    violations: int = 40,
    seed: int = 7,
) -> Report:
    rng = random.Random(seed)
    topic_names = list(TOPICS[:topics]) + [
        f"{TOPICS[i % (len(TOPICS) - 1)]}, подтема {i // (len(TOPICS) - 1)}"
        for i in range(len(TOPICS), topics)
    ]
    made = _incidents(rng, incidents, topics)
    summary = _summary(made, rng)
    answered = summary.answered
    return Report(
        query=ReportQuery(period),
        office_name=OFFICE_NAME,
        regulation_title=REGULATION,
        generated_at=GENERATED_AT,
        zone=ZONE,
        summary=summary,
        by_topic=_group(made, topic_names, "topic", "t"),
        by_department=_group(made, DEPARTMENTS, "departments", "d"),
        by_location=_group(made, LOCATIONS, "location", "l"),
        by_network=_group(made, NETWORKS, "network", "n"),
        by_importance=(),
        by_answer_kind=(),
        by_executor=(),
        by_step=(),
        timings=(
            Timing("до направления в отдел", summary.total, 18.0, 52.5),
            Timing("до первого ответа", answered, 214.0, 431.0),
            Timing("до публикации", answered, 262.5, 509.0),
        ),
        rework_reasons=tuple(
            ReasonCount(reason, n)
            for reason, n in zip(REASONS, (max(0, summary.returns - 9), 5, 3, 1), strict=True)
        ),
        violations=_violations(rng, violations, period, GENERATED_AT),
        dynamics=_dynamics(summary, rng),
        last_12_months=_last_12_months(period, rng),
    )


def sample_report(kind: PeriodKind = PeriodKind.MONTH, *, seed: int = 7) -> Report:
    """A realistic report: October 2026 (or week 2026-W44) of a district office."""
    if kind is PeriodKind.WEEK:
        return build_report(week_period(), incidents=97, violations=12, seed=seed)
    if kind is PeriodKind.MONTH:
        return build_report(month_period(), incidents=412, violations=40, seed=seed)
    raise ValueError(f"no sample for {kind}")


def large_report(*, topics: int = 300, violations: int = 5_000) -> Report:
    """A year's worth of a large city's messages in one report, for the benchmark."""
    return build_report(month_period(), incidents=60_000, topics=topics, violations=violations)


def empty_report(kind: PeriodKind = PeriodKind.MONTH) -> Report:
    """A period without messages: no rows, every share None, nothing before it either."""
    period = month_period() if kind is PeriodKind.MONTH else week_period()
    summary = Summary(0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    return Report(
        query=ReportQuery(period),
        office_name=OFFICE_NAME,
        regulation_title="все порядки",
        generated_at=GENERATED_AT,
        zone=ZONE,
        summary=summary,
        by_topic=(),
        by_department=(),
        by_location=(),
        by_network=(),
        by_importance=(),
        by_answer_kind=(),
        by_executor=(),
        by_step=(),
        timings=(Timing("до первого ответа", 0, None, None),),
        rework_reasons=(),
        violations=(),
        dynamics=tuple(
            DynamicsRow(label, value, None, None)
            for label, value in zip(SUMMARY_LABELS, summary_values(summary), strict=True)
        ),
        last_12_months=(),
    )
