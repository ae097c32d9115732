"""The Excel report, read back with openpyxl: what a deputy head opens must say what the Report
says, in numbers Excel can count, with charts Excel draws, on pages that print."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from openpyxl.chart import BarChart, LineChart
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from report_samples import empty_report, sample_report

from desktop.services.report_excel import (
    DYNAMICS_HEADERS,
    GROUP_HEADERS,
    NO_VALUE,
    NOT_DONE,
    SHEET_NAMES,
    TOTAL_LABEL,
    VIOLATION_HEADERS,
    hours_minutes,
    suggested_file_name,
    write_report,
)
from desktop.services.report_model import (
    SUMMARY_LABELS,
    GroupRow,
    Period,
    PeriodKind,
    Report,
    ReportQuery,
    summary_values,
)

MOSCOW = ZoneInfo("Europe/Moscow")


def written(report: Report, tmp_path: Path, name: str = "report.xlsx") -> Workbook:
    path = tmp_path / name
    write_report(report, path)
    return load_workbook(path)


@pytest.fixture(scope="module")
def month() -> Report:
    return sample_report()


@pytest.fixture
def book(month: Report, tmp_path: Path) -> Workbook:
    return written(month, tmp_path)


def sheet(book: Workbook, name: str) -> Worksheet:
    ws = book[name]
    assert isinstance(ws, Worksheet)
    return ws


def rows(ws: Worksheet, first: int = 1, last: int | None = None) -> list[tuple[object, ...]]:
    return [tuple(r) for r in ws.iter_rows(min_row=first, max_row=last, values_only=True)]


def texts(ws: Worksheet) -> list[str]:
    return [str(v) for row in rows(ws) for v in row if v is not None]


def test_the_sample_is_realistic(month: Report) -> None:
    assert len(month.by_topic) == 10
    assert len(month.by_department) == 8
    assert len(month.by_location) == 6
    assert len(month.by_network) == 5
    assert len(month.violations) == 40
    assert len(month.last_12_months) == 12
    assert sum(row.total for row in month.by_topic) == month.summary.total
    assert any(v.done_at is None for v in month.violations)


def test_every_sheet_in_order(book: Workbook) -> None:
    assert book.sheetnames == list(SHEET_NAMES)
    assert book.sheetnames == [
        "Титул",
        "Сводка",
        "По темам",
        "По отделам",
        "По территориям",
        "По соцсетям",
        "Нарушения сроков",
        "Динамика",
    ]


def test_the_title_page_names_report_period_office_regulation_and_moment(
    book: Workbook, month: Report
) -> None:
    words = texts(sheet(book, "Титул"))
    assert "Ежемесячный отчёт о работе с сообщениями граждан в социальных сетях" in words
    assert "за октябрь 2026" in words
    assert month.query.period.title in words
    assert month.office_name in words
    assert month.regulation_title in words
    # 06:15 UTC is 09:15 in Moscow.
    assert "02.11.2026 09:15" in words
    assert {"Подготовил:", "Согласовано:", "(подпись)"} <= set(words)
    assert words.count("(подпись)") == 2


def test_the_weekly_report_says_so(tmp_path: Path) -> None:
    report = sample_report(PeriodKind.WEEK)
    book = written(report, tmp_path)
    words = texts(sheet(book, "Титул"))
    assert "Еженедельный отчёт о работе с сообщениями граждан в социальных сетях" in words
    assert "неделя 2026-W44 (26.10.2026 – 01.11.2026)" in words
    assert not any("Ежемесячный" in word for word in words)
    assert book.sheetnames == list(SHEET_NAMES)
    assert suggested_file_name(report) == "Отчёт за неделю 2026-W44.xlsx"


def test_summary_labels_and_values_are_the_reports(book: Workbook, month: Report) -> None:
    ws = sheet(book, "Сводка")
    assert rows(ws, 1, 1)[0][:2] == ("Показатель", "Значение")
    table = rows(ws, 2, 1 + len(SUMMARY_LABELS))
    assert [row[0] for row in table] == list(SUMMARY_LABELS)
    assert [row[1] for row in table] == pytest.approx(list(summary_values(month.summary)))
    share = ws.cell(6, 2)
    assert ws.cell(6, 1).value == "Доля ответов в срок, %"
    assert isinstance(share.value, float)
    assert share.number_format == "0.0"
    assert share.value == pytest.approx(100 * 334 / 376)
    assert all(isinstance(row[1], int) for i, row in enumerate(table) if i != 4)


def test_summary_has_timings_and_return_reasons(book: Workbook, month: Report) -> None:
    ws = sheet(book, "Сводка")
    all_rows = rows(ws)
    words = texts(ws)
    assert "Время обработки (рабочее время, ч:мин)" in words
    assert "Причины возврата на доработку" in words
    for timing in month.timings:
        row = next(r for r in all_rows if r[0] == f"От регистрации {timing.label}")
        assert timing.median_minutes is not None and timing.p90_minutes is not None
        assert row[1:4] == (
            timing.count,
            hours_minutes(timing.median_minutes),
            hours_minutes(timing.p90_minutes),
        )
    for reason in month.rework_reasons:
        assert (reason.reason, reason.count) in [r[:2] for r in all_rows]
    assert ("Всего возвратов", month.summary.returns) in [r[:2] for r in all_rows]


@pytest.mark.parametrize(
    ("name", "attribute"),
    [
        ("По темам", "by_topic"),
        ("По отделам", "by_department"),
        ("По территориям", "by_location"),
        ("По соцсетям", "by_network"),
    ],
)
def test_group_sheets_hold_the_reports_rows_a_total_and_a_bar_chart(
    book: Workbook, month: Report, name: str, attribute: str
) -> None:
    ws = sheet(book, name)
    groups: Sequence[GroupRow] = getattr(month, attribute)
    assert rows(ws, 1, 1)[0][:6] == GROUP_HEADERS
    body = rows(ws, 2, 1 + len(groups))
    for row, group in zip(body, groups, strict=True):
        assert row[:5] == (group.name, group.total, group.answered, group.on_time, group.overdue)
        assert row[5] == pytest.approx(group.share_on_time)
    total = rows(ws, 2 + len(groups), 2 + len(groups))[0]
    sums = [sum(getattr(g, f) for g in groups) for f in ("total", "answered", "on_time", "overdue")]
    assert total[:5] == (TOTAL_LABEL, *sums)
    assert total[5] == pytest.approx(100 * sums[2] / (sums[2] + sums[3]))
    assert ws.cell(2, 6).number_format == "0.0"

    charts = ws._charts
    assert len(charts) == 1
    chart = charts[0]
    assert isinstance(chart, BarChart)
    assert chart.type == "bar"
    assert chart.grouping == "stacked"
    # The chart draws the sheet's cells, not a picture of them.
    refs = [series.val.numRef.f for series in chart.series]
    assert refs == [
        f"'{name}'!$D$2:$D${1 + len(groups)}",
        f"'{name}'!$E$2:$E${1 + len(groups)}",
    ]
    assert chart.series[0].cat.strRef.f == f"'{name}'!$A$2:$A${1 + len(groups)}"
    assert ws._images == []
    # Under the short table (0-based rows: header, the groups, the total), in column A.
    assert chart.anchor._from.col == 0
    assert chart.anchor._from.row > len(groups) + 1


def test_departments_explain_a_total_above_the_messages_count(
    book: Workbook, month: Report
) -> None:
    assert sum(row.total for row in month.by_department) > month.summary.total
    words = texts(sheet(book, "По отделам"))
    assert any("учтено в каждом из них" in w and str(month.summary.total) in w for w in words)
    assert not any("учтено в каждом" in w for w in texts(sheet(book, "По темам")))


def test_violations_one_row_each_in_office_time(book: Workbook, month: Report) -> None:
    ws = sheet(book, "Нарушения сроков")
    assert rows(ws, 1, 1)[0] == VIOLATION_HEADERS
    body = rows(ws, 2)
    assert len(body) == len(month.violations)
    for row, violation in zip(body, month.violations, strict=True):
        due = violation.due_at.astimezone(MOSCOW).replace(tzinfo=None)
        done = (
            NOT_DONE
            if violation.done_at is None
            else violation.done_at.astimezone(MOSCOW).replace(tzinfo=None)
        )
        assert row == (
            violation.number,
            violation.step,
            violation.department,
            violation.responsible,
            due,
            done,
            hours_minutes(violation.late_minutes),
            violation.late_minutes,
            violation.external_number or None,
        )
        assert isinstance(row[4], dt.datetime)
    assert ws.cell(2, 5).number_format == "DD.MM.YYYY HH:MM"
    done_cells = [ws.cell(r, 6) for r in range(2, 2 + len(body))]
    assert any(c.value == NOT_DONE for c in done_cells)
    assert all(c.number_format == "DD.MM.YYYY HH:MM" for c in done_cells if c.value != NOT_DONE)
    assert ws.auto_filter.ref == f"A1:I{1 + len(body)}"


def test_a_deadline_is_shown_in_office_time_to_the_minute(tmp_path: Path) -> None:
    from dataclasses import replace

    report = sample_report()
    first = replace(
        report.violations[0],
        due_at=dt.datetime(2026, 10, 30, 21, 30, tzinfo=dt.UTC),  # 31.10 00:30 in Moscow
        done_at=dt.datetime(2026, 10, 31, 6, 5, 42, tzinfo=dt.UTC),
        late_minutes=205,
    )
    book = written(replace(report, violations=(first,)), tmp_path)
    ws = sheet(book, "Нарушения сроков")
    assert ws.cell(2, 5).value == dt.datetime(2026, 10, 31, 0, 30)
    assert ws.cell(2, 6).value == dt.datetime(2026, 10, 31, 9, 5)
    assert (ws.cell(2, 7).value, ws.cell(2, 8).value) == ("3:25", 205)


def test_dynamics_with_changes_and_a_line_chart_of_twelve_months(
    book: Workbook, month: Report
) -> None:
    ws = sheet(book, "Динамика")
    assert rows(ws, 1, 1)[0] == DYNAMICS_HEADERS
    body = rows(ws, 2, 1 + len(month.dynamics))
    for row, dynamics in zip(body, month.dynamics, strict=True):
        assert row[0] == dynamics.label
        assert row[1] == pytest.approx(dynamics.current)
        assert row[2] == pytest.approx(dynamics.previous)
        assert dynamics.current is not None and dynamics.previous is not None
        assert row[3] == pytest.approx(dynamics.current - dynamics.previous)
        if dynamics.year_before is None:
            assert row[4:6] == (NO_VALUE, NO_VALUE)
        else:
            assert row[4] == pytest.approx(dynamics.year_before)
            assert row[5] == pytest.approx(dynamics.current - dynamics.year_before)
    share_row = 2 + list(SUMMARY_LABELS).index("Доля ответов в срок, %")
    assert ws.cell(share_row, 2).number_format == "0.0"
    assert ws.cell(share_row, 4).number_format == "+0.0;-0.0;0.0"
    assert ws.cell(2, 4).number_format == "+0;-0;0"

    all_rows = rows(ws)
    months = [r for r in all_rows if isinstance(r[0], str) and r[0][-4:].isdigit()]
    assert [r[0] for r in months][:2] == ["ноя 2025", "дек 2025"]
    assert [r[0] for r in months][-1] == "окт 2026"
    assert [(r[1], r[2]) for r in months] == [
        (m.answered, m.share_on_time) for m in month.last_12_months
    ]

    charts = ws._charts
    assert len(charts) == 1
    assert isinstance(charts[0], LineChart)
    ref = charts[0].series[0].val.numRef.f
    first = next(i for i, r in enumerate(all_rows, start=1) if r[0] == "ноя 2025")
    assert ref == f"'Динамика'!$C${first}:$C${first + 11}"
    assert charts[0].series[0].cat.strRef.f == f"'Динамика'!$A${first}:$A${first + 11}"


def test_charts_only_where_they_belong(book: Workbook) -> None:
    with_charts = [name for name in book.sheetnames if sheet(book, name)._charts]
    assert with_charts == ["По темам", "По отделам", "По территориям", "По соцсетям", "Динамика"]


def test_every_sheet_prints_on_a4_landscape_one_page_wide(book: Workbook) -> None:
    for name in book.sheetnames:
        ws = sheet(book, name)
        assert ws.page_setup.orientation == "landscape", name
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4, name
        assert int(ws.page_setup.fitToWidth or 0) == 1, name
        assert int(ws.page_setup.fitToHeight or 0) == 0, name
        assert ws.sheet_properties.pageSetUpPr is not None
        assert ws.sheet_properties.pageSetUpPr.fitToPage, name
        footer = ws.oddFooter
        assert footer is not None and "&P" in (footer.right.text or ""), name
        if name == "Титул":
            continue
        assert ws.freeze_panes == "A2", name
        assert ws.print_title_rows == "$1:$1", name
        header = ws.cell(1, 1)
        assert header.font is not None and header.font.b, name
        assert header.fill.fgColor.rgb.endswith("DDE7F2"), name
        assert header.border.left is not None and header.border.left.style == "thin", name


def test_columns_are_wide_enough_for_their_content(book: Workbook) -> None:
    ws = sheet(book, "Нарушения сроков")
    assert (ws.column_dimensions["E"].width or 0) >= len("31.10.2026 23:59")
    longest_department = max(len(str(r[2])) for r in rows(ws, 2))
    assert (ws.column_dimensions["C"].width or 0) >= longest_department
    summary = sheet(book, "Сводка")
    assert (summary.column_dimensions["A"].width or 0) >= len("Передано как обращение (59-ФЗ)")


def test_a_long_name_wraps_onto_a_taller_row(tmp_path: Path) -> None:
    from dataclasses import replace

    report = sample_report()
    long_name = "Капитальный ремонт многоквартирных домов и придомовых территорий поселения"
    topics = (replace(report.by_topic[0], name=long_name), *report.by_topic[1:])
    ws = sheet(written(replace(report, by_topic=topics), tmp_path), "По темам")
    width = ws.column_dimensions["A"].width or 0
    assert width < len(long_name)
    assert ws.cell(2, 1).alignment.wrap_text
    assert (ws.row_dimensions[2].height or 0) >= 30


def test_an_empty_report_writes_dashes_not_a_crash(tmp_path: Path) -> None:
    book = written(empty_report(), tmp_path)
    assert book.sheetnames == list(SHEET_NAMES)
    summary = sheet(book, "Сводка")
    values = [r[1] for r in rows(summary, 2, 1 + len(SUMMARY_LABELS))]
    assert values == [0, 0, 0, 0, NO_VALUE, 0, 0, 0]
    topics = sheet(book, "По темам")
    assert rows(topics, 2, 3)[1][:6] == (TOTAL_LABEL, 0, 0, 0, 0, NO_VALUE)
    assert "Сообщений за период нет" in texts(topics)
    assert topics._charts == []
    assert "Нарушений сроков нет" in texts(sheet(book, "Нарушения сроков"))
    dynamics = sheet(book, "Динамика")
    assert dynamics._charts == []
    assert rows(dynamics, 6, 6)[0][:6] == ("Доля ответов в срок, %", *[NO_VALUE] * 5)


def test_a_month_without_answers_leaves_a_gap_in_the_line(tmp_path: Path) -> None:
    from dataclasses import replace

    report = sample_report()
    months = list(report.last_12_months)
    months[3] = replace(months[3], answered=0, share_on_time=None)
    ws = sheet(written(replace(report, last_12_months=tuple(months)), tmp_path), "Динамика")
    row = next(r for r in rows(ws) if r[0] == "фев 2026")
    assert row[1:3] == (0, None)


def test_russian_text_survives_the_round_trip(tmp_path: Path) -> None:
    from dataclasses import replace

    report = sample_report()
    odd = "«Ёлки» — ул. Щорса, д. 7/1; Ъ, ё, №"
    topics = (replace(report.by_topic[0], name=odd), *report.by_topic[1:])
    book = written(replace(report, by_topic=topics, office_name="Администрация «Ёлкино»"), tmp_path)
    assert sheet(book, "По темам").cell(2, 1).value == odd
    assert "Администрация «Ёлкино»" in texts(sheet(book, "Титул"))


def test_a_long_table_charts_its_first_rows_only(tmp_path: Path) -> None:
    from report_samples import build_report, month_period

    report = build_report(month_period(), incidents=3_000, topics=60, violations=0)
    ws = sheet(written(report, tmp_path), "По темам")
    assert len(report.by_topic) == 60
    chart = ws._charts[0]
    assert chart.series[0].val.numRef.f == "'По темам'!$D$2:$D$21"
    assert (chart.anchor._from.col, chart.anchor._from.row) == (7, 1)  # H2, beside the table
    assert rows(ws, 61, 61)[0][0] == report.by_topic[-1].name


def test_suggested_file_names() -> None:
    assert suggested_file_name(sample_report()) == "Отчёт за октябрь 2026.xlsx"
    custom = Period(PeriodKind.CUSTOM, dt.date(2026, 10, 1), dt.date(2026, 10, 16), "01.10 – 15.10")
    report = sample_report()
    from dataclasses import replace

    assert (
        suggested_file_name(replace(report, query=ReportQuery(custom)))
        == "Отчёт за 01.10.2026–15.10.2026.xlsx"
    )
    assert not any(ch in suggested_file_name(report) for ch in '<>:"/\\|?*')


def test_hours_minutes() -> None:
    assert hours_minutes(0) == "0:00"
    assert hours_minutes(5) == "0:05"
    assert hours_minutes(205) == "3:25"
    assert hours_minutes(1_500) == "25:00"
    assert hours_minutes(59.6) == "1:00"


def test_a_file_in_the_way_is_replaced_whole_and_nothing_is_left_beside_it(
    tmp_path: Path, month: Report
) -> None:
    path = tmp_path / "Отчёт за октябрь 2026.xlsx"
    path.write_bytes(b"old")
    write_report(month, path)
    assert load_workbook(path).sheetnames == list(SHEET_NAMES)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_a_failed_write_leaves_no_temporary_file(
    tmp_path: Path, month: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_save(self: Workbook, filename: str) -> None:
        Path(filename).write_bytes(b"half")
        raise OSError("the share went away")

    monkeypatch.setattr(Workbook, "save", broken_save)
    with pytest.raises(OSError, match="share"):
        write_report(month, tmp_path / "report.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_a_realistic_month_is_written_well_within_two_seconds(
    tmp_path: Path, month: Report
) -> None:
    started = time.perf_counter()
    write_report(month, tmp_path / "report.xlsx")
    assert time.perf_counter() - started < 2.0
