"""A realistic report of a district press office for October 2026, made by hand, and a fake
`ReportSource` over it that records what the Reports tab asks for."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo

from desktop.models.enums import Importance, IncidentStatus, Network
from desktop.services.queue import QueueRow
from desktop.services.report_model import (
    Cell,
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
)
from desktop.services.titles import MONTH_NAMES

MOSCOW = ZoneInfo("Europe/Moscow")


def month_period(year: int, month: int) -> Period:
    end = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
    return Period(
        PeriodKind.MONTH, dt.date(year, month, 1), end, f"{MONTH_NAMES[month - 1]} {year}"
    )


def week_period(text: str) -> Period:
    year, week = text.split("-W")
    monday = dt.date.fromisocalendar(int(year), int(week), 1)
    sunday = monday + dt.timedelta(days=6)
    title = f"неделя {text} ({monday:%d.%m.%Y} – {sunday:%d.%m.%Y})"
    return Period(PeriodKind.WEEK, monday, sunday + dt.timedelta(days=1), title)


def custom_period(start: dt.date, end_inclusive: dt.date) -> Period:
    if end_inclusive < start:
        raise ValueError("Конец периода раньше его начала.")
    title = f"{start:%d.%m} – {end_inclusive:%d.%m.%Y}"
    return Period(PeriodKind.CUSTOM, start, end_inclusive + dt.timedelta(days=1), title)


def group(key: str, name: str, total: int, answered: int, overdue: int) -> GroupRow:
    return GroupRow(key, name, total, answered, answered - overdue, overdue)


# (key, name, total, answered, overdue)
TOPICS = (
    group("1", "Дороги и тротуары", 64, 58, 9),
    group("2", "ЖКХ: отопление и водоснабжение", 51, 47, 6),
    group("3", "Уличное освещение", 33, 31, 2),
    group("4", "Вывоз мусора", 29, 27, 4),
    group("5", "Благоустройство дворов", 24, 21, 1),
    group("6", "Общественный транспорт", 19, 17, 3),
    group("7", "Образование", 15, 14, 0),
    group("8", "Здравоохранение", 12, 10, 2),
    group("9", "Социальная защита", 9, 9, 0),
    group("10", "Бродячие животные", 8, 7, 1),
    group("11", "Культура и спорт", 6, 6, 0),
    group("", "Без темы", 5, 3, 1),
)
DEPARTMENTS = (
    group("11", "Отдел дорожного хозяйства", 71, 64, 11),
    group("12", "Управление ЖКХ", 79, 73, 10),
    group("13", "Управление образования", 18, 17, 0),
    group("14", "Отдел транспорта и связи", 19, 17, 3),
    group("15", "Управление социальной защиты", 21, 19, 2),
    group("16", "Отдел благоустройства", 38, 35, 2),
    group("17", "Ветеринарная служба", 8, 7, 1),
    group("18", "Отдел культуры", 6, 6, 0),
    group("", "Без отдела", 4, 0, 0),
)
LOCATIONS = (
    group("21", "ст. Отрадная", 142, 130, 16),
    group("22", "ст. Спокойная", 41, 37, 5),
    group("23", "ст. Передовая", 28, 25, 3),
    group("24", "с. Надежная", 20, 18, 3),
    group("", "Без территории", 44, 40, 2),
)
NETWORKS = (
    group("vk", "ВКонтакте", 138, 126, 14),
    group("telegram", "Telegram", 61, 55, 8),
    group("ok", "Одноклассники", 42, 38, 5),
    group("incident_manager", "Инцидент Менеджмент", 34, 31, 2),
)
IMPORTANCE = (
    group("normal", "обычная", 247, 225, 25),
    group("high", "высокая", 28, 25, 4),
)
ANSWER_KINDS = (
    group("final", "Окончательный ответ", 212, 212, 24),
    group("interim", "Промежуточный ответ", 26, 26, 3),
    group("explanation", "Разъяснение", 12, 12, 2),
)
EXECUTORS = (
    group("31", "Петров Игорь Сергеевич", 38, 35, 7),
    group("32", "Сидорова Мария Ивановна", 33, 29, 4),
    group("33", "Орлов Денис Андреевич", 18, 17, 0),
    group("34", "Кузьмина Елена Викторовна", 41, 38, 4),
    group("35", "Лебедев Павел Олегович", 27, 25, 3),
)
STEPS = (
    group("route", "Направить в отдел", 271, 268, 7),
    group("draft", "Проект ответа", 262, 255, 19),
    group("review", "Согласование куратором", 258, 256, 4),
    group("publish", "Разместить ответ", 250, 250, 3),
    group("answer", "Срок ответа", 250, 250, 29),
)
SUMMARY = Summary(
    total=275,
    answered=250,
    on_time=221,
    overdue=29,
    reworked=37,
    returns=44,
    not_to_answer=9,
    official_appeals=4,
    repeats=12,
    open_now=12,
)


def moment(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 10, day, hour, minute, tzinfo=MOSCOW).astimezone(dt.UTC)


VIOLATIONS = (
    Violation(
        901, 1184, "Срок ответа", "Управление ЖКХ", "Петров И. С.", moment(30, 17), None, 375
    ),
    Violation(
        902, 1170, "Проект ответа", "Отдел дорожного хозяйства", "Сидорова М. И.",
        moment(28, 12), moment(28, 15, 40), 220,
    ),
    Violation(
        903, 1152, "Согласование куратором", "", "Смирнова О. В.",
        moment(23, 10, 30), moment(23, 11, 5), 35,
    ),
    Violation(
        904, 1131, "Срок ответа", "Отдел транспорта и связи", "Лебедев П. О.",
        moment(19, 16), moment(20, 10, 15), 255,
    ),
    Violation(
        905, 1102, "Направить в отдел", "", "Смирнова О. В.",
        moment(14, 9, 30), moment(14, 10, 2), 32,
    ),
)  # fmt: skip

DYNAMICS = (
    DynamicsRow("Всего сообщений", 275, 248, 191),
    DynamicsRow("Дан ответ", 250, 229, 170),
    DynamicsRow("Ответ в срок", 221, 194, 139),
    DynamicsRow("Ответ с нарушением срока", 29, 35, 31),
    DynamicsRow("Доля ответов в срок, %", 88.4, 84.7, 81.8),
    DynamicsRow("Возвращено на доработку", 37, 31, None),
    DynamicsRow("Не подлежит ответу", 9, 9, 5),
    DynamicsRow("Передано как обращение (59-ФЗ)", 4, 6, 2),
)

LAST_12 = tuple(
    MonthShare(dt.date(2025 + (10 + n) // 12, (10 + n) % 12 + 1, 1), answered, share)
    for n, (answered, share) in enumerate(
        (
            (170, 81.8),
            (182, 79.1),
            (164, 83.5),
            (149, 80.5),
            (171, 85.4),
            (190, 86.3),
            (205, 84.9),
            (0, None),
            (221, 87.3),
            (236, 86.0),
            (229, 84.7),
            (250, 88.4),
        )
    )
)


def realistic_report(query: ReportQuery | None = None) -> Report:
    query = query or ReportQuery(month_period(2026, 10))
    return Report(
        query=query,
        office_name="Администрация муниципального образования Отрадненский район",
        regulation_title="все порядки" if query.regulation is None else query.regulation,
        generated_at=dt.datetime(2026, 11, 2, 6, 15, tzinfo=dt.UTC),
        zone="Europe/Moscow",
        summary=SUMMARY,
        by_topic=TOPICS,
        by_department=DEPARTMENTS,
        by_location=LOCATIONS,
        by_network=NETWORKS,
        by_importance=IMPORTANCE,
        by_answer_kind=ANSWER_KINDS,
        by_executor=EXECUTORS,
        by_step=STEPS,
        timings=(
            Timing("до направления в отдел", 271, 18, 52),
            Timing("до первого ответа", 262, 245, 690),
            Timing("до публикации", 250, 410, 1335),
        ),
        rework_reasons=(
            ReasonCount("Не отвечает на вопрос", 17),
            ReasonCount("Нет сроков и ответственных", 11),
            ReasonCount("Оформление и грамотность", 9),
            ReasonCount("Другое", 7),
        ),
        violations=VIOLATIONS,
        dynamics=DYNAMICS,
        last_12_months=LAST_12,
    )


def incident_row(incident_id: int, number: int, text: str, status: IncidentStatus) -> QueueRow:
    return QueueRow(
        incident_id=incident_id,
        number=number,
        network=Network.VK,
        author="Ирина Ковалёва",
        summary=text,
        topic="Дороги и тротуары",
        location="ст. Отрадная",
        departments="Отдел дорожного хозяйства",
        status=status,
        importance=Importance.NORMAL,
        detected_at=moment(5, 9),
        answer_due_at=moment(6, 9),
        version=3,
    )


class FakePeriods:
    def month(self, year: int, month: int) -> Period:
        return month_period(year, month)

    def week(self, text: str) -> Period:
        return week_period(text)

    def custom(self, start: dt.date, end_inclusive: dt.date) -> Period:
        return custom_period(start, end_inclusive)


class FakeSource:
    """Answers from `realistic_report` (the query's period in it) and records every call. The
    tab calls `build`, `behind`, `rows`, `export` in the database thread."""

    periods = FakePeriods()

    def __init__(self, report: Report | None = None) -> None:
        self.report = report or realistic_report()
        self.queries: list[ReportQuery] = []
        self.cells: list[tuple[ReportQuery, Cell]] = []
        self.exported: list[tuple[Report, Path]] = []
        answered, routed = IncidentStatus.ANSWERED, IncidentStatus.ROUTED
        self.incidents: dict[int, QueueRow | None] = {
            901: incident_row(901, 1184, "Третью неделю нет горячей воды в доме 7", answered),
            902: incident_row(902, 1170, "Яма на ул. Первомайской у дома 12", answered),
            903: incident_row(903, 1152, "Когда починят светофор у рынка?", routed),
            904: None,  # deleted since
        }
        self.behind_ids: list[int] = [901, 902, 903]
        self.fail_with: BaseException | None = None
        self.threads: set[str] = set()

    def _called(self) -> None:
        self.threads.add(threading.current_thread().name)
        if self.fail_with is not None:
            raise self.fail_with

    def build(self, query: ReportQuery) -> Report:
        self._called()
        self.queries.append(query)
        return replace(self.report, query=query)

    def behind(self, query: ReportQuery, cell: Cell) -> list[int]:
        self._called()
        self.cells.append((query, cell))
        return list(self.behind_ids)

    def rows(self, incident_ids: Sequence[int]) -> dict[int, QueueRow | None]:
        self._called()
        return {incident_id: self.incidents.get(incident_id) for incident_id in incident_ids}

    def export(self, report: Report, path: Path) -> None:
        self._called()
        path.write_bytes(b"PK fake xlsx")
        self.exported.append((report, path))

    def file_name(self, report: Report) -> str:
        return f"Отчёт {report.query.period.title}.xlsx"
