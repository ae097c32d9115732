"""The monthly Excel file from the database to the cells: a March with a shortened day (07.03)
and a holiday (08.03), its numbers read back with openpyxl and compared with the independent
computation of tests/test_reports.py — not with the Report object the file was written from."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from test_reports import (
    MARCH,
    NOW,
    Month,
    build_month,
    counted_steps,
    expected_summary,
    late,
    memberships,
    period_incidents,
    rows,
)

from desktop.cli import main as cli
from desktop.services import reports
from desktop.services.office import Office
from desktop.services.report_excel import SHEET_NAMES, write_report
from desktop.services.report_model import Dimension, ReportQuery

PRESET = "otradnensky-2021"


@pytest.fixture
def month(office: Office) -> Month:
    return build_month(office)


def sheet_table(path: Path, name: str) -> dict[str, tuple[object, ...]]:
    """Name → (total, answered, on time, overdue) of a group sheet, without its «Итого»."""
    sheet = load_workbook(path)[name]
    found = {}
    for row in sheet.iter_rows(min_row=2, max_col=5, values_only=True):
        if row[0] in (None, "Итого"):
            break
        found[str(row[0])] = tuple(row[1:5])
    return found


def expected_table(dimension: Dimension, names: dict[str, str]) -> dict[str, tuple[object, ...]]:
    incidents = period_incidents(MARCH.start, MARCH.end, PRESET)
    by_key = rows(memberships(incidents)[dimension], incidents)
    return {names[key]: values[:4] for key, values in by_key.items()}


def test_the_monthly_file_holds_the_independently_counted_numbers(
    month: Month, tmp_path: Path
) -> None:
    report = reports.build_report(ReportQuery(MARCH, PRESET), now=NOW)
    path = tmp_path / "Отчёт за март 2025.xlsx"
    write_report(report, path)
    book = load_workbook(path)
    assert book.sheetnames == list(SHEET_NAMES)

    incidents = period_incidents(MARCH.start, MARCH.end, PRESET)
    summary = expected_summary(incidents)
    labels = {
        str(row[0]): row[1]
        for row in book["Сводка"].iter_rows(min_row=2, max_row=9, max_col=2, values_only=True)
    }
    assert labels["Всего сообщений"] == summary.total
    assert labels["Дан ответ"] == summary.answered
    assert labels["Ответ в срок"] == summary.on_time
    assert labels["Ответ с нарушением срока"] == summary.overdue
    assert labels["Доля ответов в срок, %"] == summary.share_on_time
    assert labels["Возвращено на доработку"] == summary.reworked
    assert labels["Не подлежит ответу"] == summary.not_to_answer
    assert labels["Передано как обращение (59-ФЗ)"] == summary.official_appeals

    for sheet, dimension, groups in (
        ("По темам", Dimension.TOPIC, report.by_topic),
        ("По отделам", Dimension.DEPARTMENT, report.by_department),
        ("По территориям", Dimension.LOCATION, report.by_location),
        ("По соцсетям", Dimension.NETWORK, report.by_network),
    ):
        names = {g.key: g.name for g in groups}  # the names as the report spells them
        assert sheet_table(path, sheet) == expected_table(dimension, names), sheet

    late_steps = [s for s in counted_steps(incidents) if late(s)]
    violations = list(book["Нарушения сроков"].iter_rows(min_row=2, max_col=8, values_only=True))
    assert len([v for v in violations if v[0] is not None]) == len(late_steps)
    # The answer detected on the shortened Friday and due over the 8 March holiday is late
    # by 180 working minutes, whatever the calendar days say.
    late_answer = month.ids["late-over-holiday"]
    number = next(i.number for i in incidents if i.id == late_answer)
    answer_rows = [v for v in violations if v[0] == number and v[1] == "Срок ответа"]
    assert [v[7] for v in answer_rows] == [180]


def test_the_scheduled_command_writes_the_same_file(month: Month, tmp_path: Path) -> None:
    out = tmp_path / "report.xlsx"
    code = cli(
        [
            "--db",
            str(month.desk.office.path),
            "report",
            "monthly",
            "--month",
            "2025-03",
            "--out",
            str(out),
            "--preset",
            PRESET,
        ]
    )
    assert code == 0
    labels = {
        str(row[0]): row[1]
        for row in load_workbook(out)["Сводка"].iter_rows(
            min_row=2, max_row=9, max_col=2, values_only=True
        )
    }
    incidents = period_incidents(MARCH.start, MARCH.end, PRESET)
    assert labels["Всего сообщений"] == expected_summary(incidents).total
