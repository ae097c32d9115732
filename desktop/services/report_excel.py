"""A `Report` written as an Excel workbook, ready to print, sign and send to the first deputy
head (Отрадненский п. 23, Конышевский п. 23: monthly) or the head of the district (Барнаул
п. 11: weekly, on Fridays).

Sheets, in order: «Титул» (name, period, office, regulation, when it was made, «Подготовил» and
«Согласовано» with blanks to sign), «Сводка», «По темам», «По отделам», «По территориям»,
«По соцсетям», «Нарушения сроков», «Динамика». Numbers are numbers (shares with the format
`0.0`, deadlines real date-times in office time), charts are native Excel charts over the
cells, and every sheet prints on A4 landscape, one page wide, its header row repeated and the
page number in the footer.

No database and no Qt: the report comes in whole, the file goes out.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import textwrap
from collections.abc import Iterable, Sequence
from copy import copy
from pathlib import Path
from typing import Final
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.chart.label import DataLabelList
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from desktop.services.report_model import (
    SUMMARY_LABELS,
    GroupRow,
    MonthShare,
    PeriodKind,
    Report,
    Violation,
    summary_values,
)
from desktop.services.titles import MONTH_NAMES

SHEET_TITLE: Final = "Титул"
SHEET_SUMMARY: Final = "Сводка"
SHEET_TOPICS: Final = "По темам"
SHEET_DEPARTMENTS: Final = "По отделам"
SHEET_LOCATIONS: Final = "По территориям"
SHEET_NETWORKS: Final = "По соцсетям"
SHEET_VIOLATIONS: Final = "Нарушения сроков"
SHEET_DYNAMICS: Final = "Динамика"
SHEET_NAMES: Final = (
    SHEET_TITLE,
    SHEET_SUMMARY,
    SHEET_TOPICS,
    SHEET_DEPARTMENTS,
    SHEET_LOCATIONS,
    SHEET_NETWORKS,
    SHEET_VIOLATIONS,
    SHEET_DYNAMICS,
)

REPORT_TITLES: Final[dict[PeriodKind, str]] = {
    PeriodKind.MONTH: "Ежемесячный отчёт о работе с сообщениями граждан в социальных сетях",
    PeriodKind.WEEK: "Еженедельный отчёт о работе с сообщениями граждан в социальных сетях",
    PeriodKind.CUSTOM: "Отчёт о работе с сообщениями граждан в социальных сетях",
}

GROUP_HEADERS: Final = (
    "Наименование",
    "Всего",
    "Дан ответ",
    "В срок",
    "С нарушением срока",
    "Доля в срок, %",
)
VIOLATION_HEADERS: Final = (
    "№ сообщения",
    "Шаг",
    "Отдел",
    "Ответственный",
    "Срок",
    "Выполнено",
    "Опоздание в рабочем времени, ч:мин",
    "Опоздание в рабочем времени, мин",
    "№ в журнале или системе мониторинга",
)
DYNAMICS_HEADERS: Final = (
    "Показатель",
    "Текущий период",
    "Предыдущий период",
    "Изменение",
    "Тот же период годом ранее",
    "Изменение к прошлому году",
)
NOT_DONE: Final = "не выполнен"
NO_VALUE: Final = "—"
TOTAL_LABEL: Final = "Итого"

DATE_TIME_FORMAT: Final = "DD.MM.YYYY HH:MM"
SHARE_FORMAT: Final = "0.0"
COUNT_FORMAT: Final = "0"
SHARE_CHANGE_FORMAT: Final = "+0.0;-0.0;0.0"
COUNT_CHANGE_FORMAT: Final = "+0;-0;0"
SHARE_LABEL: Final = SUMMARY_LABELS[4]  # «Доля ответов в срок, %»
_PREVIOUS_NOTES: Final[dict[PeriodKind, str]] = {
    PeriodKind.MONTH: "Предыдущий период — предыдущий календарный месяц.",
    PeriodKind.WEEK: "Предыдущий период — предыдущая неделя.",
    PeriodKind.CUSTOM: "Предыдущий период — такой же длины непосредственно перед отчётным.",
}

# A chart of a long table shows its first rows only (the service sorts the most first).
CHART_ROWS: Final = 20
# A group chart goes under a table of up to this many rows, else beside it.
CHART_BELOW_ROWS: Final = 25

_MONTHS_SHORT: Final = (
    "янв",
    "фев",
    "мар",
    "апр",
    "май",
    "июн",
    "июл",
    "авг",
    "сен",
    "окт",
    "ноя",
    "дек",
)

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", start_color="DDE7F2", end_color="DDE7F2")
_TOTAL_FILL = PatternFill("solid", start_color="F2F2F2", end_color="F2F2F2")
# Every font names its face: a Font() without one makes LibreOffice print a serif default.
_FONT_NAME = "Calibri"
_BOLD = Font(name=_FONT_NAME, size=11, bold=True)
_REGULAR = Font(name=_FONT_NAME, size=11)
_HEADER_FONT = _BOLD
_BLOCK_FONT = Font(name=_FONT_NAME, size=12, bold=True)
_NOTE_FONT = Font(name=_FONT_NAME, size=9, italic=True, color="595959")
_HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
_TEXT_ALIGN = Alignment(vertical="top", wrap_text=True)
_NUMBER_ALIGN = Alignment(horizontal="right", vertical="top")
_CENTER_ALIGN = Alignment(horizontal="center", vertical="top")
_ON_TIME_COLOR = "4E9A52"
_OVERDUE_COLOR = "C0504D"
_LINE_COLOR = "1F4E79"

# Column widths are counted in characters of the default font (Calibri 11); a Cyrillic letter
# takes about one of them, a bold one 5 % more. A text column stops at its cap and wraps.
_CHAR_WIDTH = 1.0
_BOLD_FACTOR = 1.05
_LINE_HEIGHT = 15.0  # points, one line of Calibri 11
_MAX_TEXT_WIDTH = 48
_MIN_WIDTH = 8


def report_title(kind: PeriodKind) -> str:
    """«Ежемесячный отчёт …», «Еженедельный отчёт …» or, for any other period, «Отчёт …»."""
    return REPORT_TITLES[kind]


def suggested_file_name(report: Report) -> str:
    """«Отчёт за октябрь 2026.xlsx», «Отчёт за неделю 2026-W44.xlsx»,
    «Отчёт за 01.10.2026–15.10.2026.xlsx»: a name a Windows folder accepts."""
    period = report.query.period
    if period.kind is PeriodKind.MONTH:
        name = f"Отчёт за {MONTH_NAMES[period.start.month - 1]} {period.start.year}"
    elif period.kind is PeriodKind.WEEK:
        iso = period.start.isocalendar()
        name = f"Отчёт за неделю {iso.year}-W{iso.week:02d}"
    else:
        last = period.end - dt.timedelta(days=1)
        name = f"Отчёт за {period.start:%d.%m.%Y}–{last:%d.%m.%Y}"
    return name + ".xlsx"


def hours_minutes(minutes: float) -> str:
    """Working minutes as «ч:мм»: 205 → «3:25», 1,500 → «25:00»."""
    whole = round(minutes)
    return f"{whole // 60}:{whole % 60:02d}"


def office_local(moment: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """An aware moment as the naive office-time datetime Excel stores, to the minute."""
    if moment.tzinfo is None:
        raise ValueError("report moments are aware UTC; got a naive datetime")
    return moment.astimezone(zone).replace(tzinfo=None, second=0, microsecond=0)


def write_report(report: Report, path: Path) -> None:
    """Write `report` to `path` (.xlsx). The file appears whole or not at all: the workbook is
    saved beside it first and then moved over it. Raises `OSError` when the folder cannot be
    written or the old file is open in Excel (`PermissionError` on Windows)."""
    workbook = build_workbook(report)
    path = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=".~otklik-", suffix=".xlsx", dir=path.parent)
    os.close(handle)
    try:
        workbook.save(temporary)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def build_workbook(report: Report) -> Workbook:
    """The workbook `write_report` saves."""
    zone = ZoneInfo(report.zone)
    workbook = Workbook()
    workbook.properties.title = f"{report_title(report.query.period.kind)}: {_period(report)}"
    workbook.properties.creator = "Отклик"
    first = workbook.active
    assert isinstance(first, Worksheet)
    first.title = SHEET_TITLE
    _title_sheet(first, report, zone)

    def sheet(name: str) -> _Sheet:
        return _Sheet(workbook.create_sheet(name), report)

    _summary_sheet(sheet(SHEET_SUMMARY), report)
    _group_sheet(sheet(SHEET_TOPICS), report.by_topic, "Темы", report)
    _group_sheet(sheet(SHEET_DEPARTMENTS), report.by_department, "Отделы", report)
    _group_sheet(sheet(SHEET_LOCATIONS), report.by_location, "Территории", report)
    _group_sheet(sheet(SHEET_NETWORKS), report.by_network, "Соцсети", report)
    _violations_sheet(sheet(SHEET_VIOLATIONS), report.violations, zone)
    _dynamics_sheet(sheet(SHEET_DYNAMICS), report)
    return workbook


def _period(report: Report) -> str:
    return report.query.period.title


# --- the title page ---------------------------------------------------------------------


def _title_sheet(ws: Worksheet, report: Report, zone: ZoneInfo) -> None:
    widths = {"A": 22, "B": 34, "C": 4, "D": 18, "E": 4, "F": 30}
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width
    last = "F"

    def line(row: int, text: str, font: Font, height: float) -> None:
        ws.merge_cells(f"A{row}:{last}{row}")
        cell = ws.cell(row, 1, text)
        cell.font = font
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.row_dimensions[row].height = height

    line(2, report.office_name, Font(name=_FONT_NAME, size=12, bold=True), 32)
    line(6, report_title(report.query.period.kind), Font(name=_FONT_NAME, size=18, bold=True), 52)
    line(7, _period_phrase(report), Font(name=_FONT_NAME, size=14), 24)

    facts = (
        ("Отчётный период", _period(report)),
        ("Порядок", report.regulation_title),
        ("Дата составления", office_local(report.generated_at, zone).strftime("%d.%m.%Y %H:%M")),
        ("Часовой пояс", report.zone),
    )
    for offset, (label, value) in enumerate(facts):
        row = 10 + offset
        ws.cell(row, 1, label + ":").font = _BOLD
        ws.merge_cells(f"B{row}:{last}{row}")
        cell = ws.cell(row, 2, value)
        cell.font = _REGULAR
        cell.alignment = Alignment(wrap_text=True, vertical="top")

    _signature(ws, 16, "Подготовил:")
    _signature(ws, 21, "Согласовано:")
    _page_setup(ws, report, header_row=None)


def _period_phrase(report: Report) -> str:
    period = report.query.period
    if period.kind is PeriodKind.MONTH:
        return f"за {period.title}"
    return period.title


def _signature(ws: Worksheet, row: int, label: str) -> None:
    """«Подготовил:» with blanks for the post, the signature and the name, captioned beneath,
    and a line for the date."""
    ws.cell(row, 1, label).font = _BOLD
    for column, caption in ((2, "(должность)"), (4, "(подпись)"), (6, "(инициалы, фамилия)")):
        ws.cell(row, column).border = Border(bottom=Side(style="thin", color="000000"))
        note = ws.cell(row + 1, column, caption)
        note.font = _NOTE_FONT
        note.alignment = Alignment(horizontal="center", vertical="top")
    ws.row_dimensions[row].height = 28
    ws.cell(row + 2, 2, "«____» ______________ 20___ г.").font = _REGULAR


# --- «Сводка» ---------------------------------------------------------------------------


def _summary_sheet(sheet: _Sheet, report: Report) -> None:
    sheet.header(1, ("Показатель", "Значение"))
    for offset, (label, value) in enumerate(
        zip(SUMMARY_LABELS, summary_values(report.summary), strict=True)
    ):
        row = 2 + offset
        sheet.text(row, 1, label)
        sheet.number(row, 2, value, SHARE_FORMAT if label == SHARE_LABEL else COUNT_FORMAT)

    row = 2 + len(SUMMARY_LABELS) + 1
    sheet.block_title(row, "Время обработки (рабочее время, ч:мин)")
    row += 1
    sheet.header(row, ("Этап", "Сообщений", "Медиана", "90-й процентиль"))
    for timing in report.timings:
        row += 1
        sheet.text(row, 1, f"От регистрации {timing.label}")
        sheet.number(row, 2, timing.count, COUNT_FORMAT)
        for column, minutes in ((3, timing.median_minutes), (4, timing.p90_minutes)):
            text = NO_VALUE if minutes is None else hours_minutes(minutes)
            sheet.text(row, column, text, align=_NUMBER_ALIGN)
    if not report.timings:
        row += 1
        sheet.text(row, 1, "Нет данных")

    row += 2
    sheet.block_title(row, "Причины возврата на доработку")
    row += 1
    sheet.header(row, ("Причина", "Возвратов"))
    for reason in report.rework_reasons:
        row += 1
        sheet.text(row, 1, reason.reason)
        sheet.number(row, 2, reason.count, COUNT_FORMAT)
    row += 1
    sheet.text(row, 1, "Всего возвратов", bold=True, fill=_TOTAL_FILL)
    sheet.number(row, 2, report.summary.returns, COUNT_FORMAT, bold=True, fill=_TOTAL_FILL)

    row += 2
    sheet.note(
        row,
        "Ответ в срок — окончательный ответ (разъяснение) размещён не позднее срока ответа; "
        "доля — от ответов, данных за период.",
    )
    sheet.note(row + 1, "Время обработки считается в рабочих часах учреждения.")
    sheet.finish(wide={1: 46}, fixed={2: 13, 3: 11, 4: 13})


# --- «По темам», «По отделам», … --------------------------------------------------------


def _group_sheet(sheet: _Sheet, rows: Sequence[GroupRow], what: str, report: Report) -> None:
    sheet.header(1, GROUP_HEADERS)
    for offset, group in enumerate(rows):
        _group_row(
            sheet,
            2 + offset,
            group.name,
            (group.total, group.answered, group.on_time, group.overdue),
            group.share_on_time,
        )
    total_row = 2 + len(rows)
    if not rows:
        sheet.nothing(total_row, "Сообщений за период нет", len(GROUP_HEADERS))
        total_row += 1
    total, answered, on_time, overdue = (
        sum(getattr(group, name) for group in rows)
        for name in ("total", "answered", "on_time", "overdue")
    )
    decided = on_time + overdue
    share = None if decided == 0 else 100.0 * on_time / decided
    _group_row(
        sheet, total_row, TOTAL_LABEL, (total, answered, on_time, overdue), share, is_total=True
    )
    if rows and total != report.summary.total:
        sheet.note(
            total_row + 2,
            "Сообщение, направленное в несколько отделов, учтено в каждом из них; "
            f"всего сообщений за период — {report.summary.total}.",
        )
    sheet.finish(wide={1: 44}, fixed={2: 9, 3: 9, 4: 9, 5: 14, 6: 10})
    if rows:
        # Below a short table, so the printed page is no wider than the table and its figures
        # stay large; beside a long one, where it is seen with the first rows.
        below = len(rows) <= CHART_BELOW_ROWS
        _group_chart(sheet.ws, len(rows), what, f"A{total_row + 4}" if below else "H2")


def _group_row(
    sheet: _Sheet,
    row: int,
    name: str,
    counts: tuple[int, int, int, int],
    share: float | None,
    is_total: bool = False,
) -> None:
    fill = _TOTAL_FILL if is_total else None
    sheet.text(row, 1, name, bold=is_total, fill=fill)
    for column, value in enumerate(counts, start=2):
        sheet.number(row, column, value, COUNT_FORMAT, bold=is_total, fill=fill)
    sheet.number(row, 6, share, SHARE_FORMAT, bold=is_total, fill=fill)


def _group_chart(ws: Worksheet, count: int, what: str, anchor: str) -> None:
    """Stacked horizontal bars, on time and overdue, for the first `CHART_ROWS` rows."""
    shown = min(count, CHART_ROWS)
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.gapWidth = 60
    chart.title = f"{what}: ответы в срок и с нарушением срока"
    if shown < count:
        chart.title = f"{what} (первые {shown} из {count}): ответы в срок и с нарушением срока"
    data = Reference(ws, min_col=4, max_col=5, min_row=1, max_row=1 + shown)
    chart.add_data(data, titles_from_data=True)
    _text_categories(chart, Reference(ws, min_col=1, min_row=2, max_row=1 + shown))
    for series, color in zip(chart.series, (_ON_TIME_COLOR, _OVERDUE_COLOR), strict=True):
        series.graphicalProperties.solidFill = color
        series.graphicalProperties.line.solidFill = color
    chart.x_axis.scaling.orientation = "maxMin"  # the table's first row on top
    chart.y_axis.crosses = "max"  # and the counts' axis at the bottom
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.majorGridlines = None
    chart.y_axis.title = "сообщений"
    chart.legend.position = "b"
    chart.width = 18
    chart.height = max(7.5, min(0.55 * shown + 3.5, 15.0))
    ws.add_chart(chart, anchor)


# --- «Нарушения сроков» -----------------------------------------------------------------


def _violations_sheet(sheet: _Sheet, violations: Sequence[Violation], zone: ZoneInfo) -> None:
    sheet.header(1, VIOLATION_HEADERS)
    for offset, violation in enumerate(violations):
        row = 2 + offset
        sheet.number(row, 1, violation.number, COUNT_FORMAT, align=_CENTER_ALIGN)
        sheet.text(row, 2, violation.step)
        sheet.text(row, 3, violation.department)
        sheet.text(row, 4, violation.responsible)
        sheet.moment(row, 5, office_local(violation.due_at, zone))
        if violation.done_at is None:
            sheet.text(row, 6, NOT_DONE, align=_CENTER_ALIGN)
        else:
            sheet.moment(row, 6, office_local(violation.done_at, zone))
        sheet.text(row, 7, hours_minutes(violation.late_minutes), align=_NUMBER_ALIGN)
        sheet.number(row, 8, violation.late_minutes, COUNT_FORMAT)
        sheet.text(row, 9, violation.external_number, align=_CENTER_ALIGN)
    if violations:
        sheet.ws.auto_filter.ref = f"A1:I{1 + len(violations)}"
    else:
        sheet.nothing(2, "Нарушений сроков нет", len(VIOLATION_HEADERS))
    sheet.finish(wide={2: 30, 3: 40, 4: 34}, fixed={1: 11, 5: 17, 6: 17, 7: 12, 8: 12, 9: 16})


# --- «Динамика» -------------------------------------------------------------------------


def _dynamics_sheet(sheet: _Sheet, report: Report) -> None:
    sheet.header(1, DYNAMICS_HEADERS)
    row = 1
    for dynamics in report.dynamics:
        row += 1
        share = dynamics.label == SHARE_LABEL
        value_format = SHARE_FORMAT if share else COUNT_FORMAT
        change_format = SHARE_CHANGE_FORMAT if share else COUNT_CHANGE_FORMAT
        sheet.text(row, 1, dynamics.label)
        sheet.number(row, 2, dynamics.current, value_format)
        sheet.number(row, 3, dynamics.previous, value_format)
        sheet.number(row, 4, _change(dynamics.current, dynamics.previous), change_format)
        sheet.number(row, 5, dynamics.year_before, value_format)
        sheet.number(row, 6, _change(dynamics.current, dynamics.year_before), change_format)
    if not report.dynamics:
        row += 1
        sheet.text(row, 1, "Нет данных")
    row += 1
    sheet.note(row, "Изменение доли — в процентных пунктах.")
    sheet.note(row + 1, _PREVIOUS_NOTES[report.query.period.kind])

    months = report.last_12_months
    row += 3
    sheet.block_title(row, "Доля ответов в срок за последние 12 месяцев")
    row += 1
    sheet.header(row, ("Месяц", "Дан ответ", "Доля в срок, %"))
    first = row + 1
    for month in months:
        row += 1
        _month_row(sheet, row, month)
    if not months:
        row += 1
        sheet.text(row, 1, "Нет данных")
    sheet.finish(wide={1: 34}, fixed={2: 12, 3: 14, 4: 12, 5: 14, 6: 15})
    if months:
        _share_chart(sheet.ws, first, row, anchor=f"H{first - 1}")


def _change(current: float | None, before: float | None) -> float | None:
    return None if current is None or before is None else current - before


def _month_row(sheet: _Sheet, row: int, month: MonthShare) -> None:
    sheet.text(row, 1, f"{_MONTHS_SHORT[month.month.month - 1]} {month.month.year}")
    sheet.number(row, 2, month.answered, COUNT_FORMAT)
    # An empty cell, not «—»: the chart's line then has a gap instead of a text point.
    sheet.number(row, 3, month.share_on_time, SHARE_FORMAT, blank=True)


def _share_chart(ws: Worksheet, first: int, last: int, anchor: str) -> None:
    chart = LineChart()
    chart.title = "Доля ответов в срок, %"
    chart.add_data(Reference(ws, min_col=3, min_row=first, max_row=last), titles_from_data=False)
    _text_categories(chart, Reference(ws, min_col=1, min_row=first, max_row=last))
    series = chart.series[0]
    series.graphicalProperties.line.solidFill = _LINE_COLOR
    series.graphicalProperties.line.width = 28_575  # 2.25 pt in EMU
    series.marker.symbol = "circle"
    series.marker.size = 6
    series.marker.graphicalProperties.solidFill = _LINE_COLOR
    series.marker.graphicalProperties.line.solidFill = _LINE_COLOR
    series.smooth = False
    chart.dataLabels = DataLabelList(
        showVal=True,
        showSerName=False,
        showCatName=False,
        showLegendKey=False,
        showPercent=False,
        dLblPos="t",
    )
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 100
    chart.y_axis.majorUnit = 20
    chart.y_axis.number_format = "0"
    chart.y_axis.delete = False
    chart.x_axis.delete = False
    chart.legend = None
    chart.width = 20
    chart.height = 8.5
    ws.add_chart(chart, anchor)


def _text_categories(chart: BarChart | LineChart, labels: Reference) -> None:
    """Name the points from text cells. `set_categories` would refer to them as numbers,
    which Excel accepts but a strict reader shows as 1, 2, 3."""
    for series in chart.series:
        series.cat = AxDataSource(strRef=StrRef(f=str(labels)))


# --- cells and pages --------------------------------------------------------------------


class _Sheet:
    """One table sheet being written. It remembers how long each column's entries are and
    which texts may wrap, so `finish` sizes the columns and the rows without reading every
    cell back (openpyxl's style proxies are slow on 40,000 cells)."""

    def __init__(self, ws: Worksheet, report: Report) -> None:
        self.ws = ws
        self.report = report
        self.lengths: dict[int, float] = {}
        self.wrapped: list[tuple[int, int, str, bool]] = []  # row, column, text, header
        self.header_row: int | None = None
        # A finished style per combination of font, fill, alignment and format: assigning
        # openpyxl's style objects one by one hashes each of them per cell (5 of 6 seconds
        # for a month of 5,000 violations); a cell copies the prepared style array instead.
        self._styles: dict[tuple[object, ...], StyleArray] = {}

    def header(self, row: int, titles: Iterable[str]) -> None:
        if self.header_row is None:
            self.header_row = row
        for column, title in enumerate(titles, start=1):
            cell = self.ws.cell(row, column, title)
            cell.font = _HEADER_FONT
            cell.fill = _HEADER_FILL
            cell.alignment = _HEADER_ALIGN
            cell.border = _BORDER
            self.wrapped.append((row, column, title, True))
            # A header may wrap at its spaces: it needs its longest word and half its length.
            widest = max((len(word) for word in title.split()), default=0)
            self._measure(column, max(widest, len(title) / 2 + 1) * _BOLD_FACTOR)

    def block_title(self, row: int, text: str) -> None:
        self.ws.cell(row, 1, text).font = _BLOCK_FONT

    def note(self, row: int, text: str) -> None:
        self.ws.cell(row, 1, text).font = _NOTE_FONT

    def nothing(self, row: int, text: str, columns: int) -> None:
        """A table's only line when it has no rows, across all its columns."""
        for column in range(1, columns + 1):
            self.ws.cell(row, column).border = _BORDER
        cell = self.ws.cell(row, 1, text)
        cell.font = _NOTE_FONT
        cell.alignment = _CENTER_ALIGN
        self.ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)

    def text(
        self,
        row: int,
        column: int,
        value: str,
        *,
        bold: bool = False,
        fill: PatternFill | None = None,
        align: Alignment = _TEXT_ALIGN,
    ) -> None:
        cell = self.ws.cell(row, column, value)
        self._style(cell, _BOLD if bold else _REGULAR, align, fill, None)
        if align.wrap_text:
            self.wrapped.append((row, column, value, bold))
        self._measure(column, len(value) * (_BOLD_FACTOR if bold else 1.0))

    def number(
        self,
        row: int,
        column: int,
        value: float | None,
        number_format: str,
        *,
        bold: bool = False,
        fill: PatternFill | None = None,
        align: Alignment = _NUMBER_ALIGN,
        blank: bool = False,
    ) -> None:
        """A number with its format; a missing one (a share of nothing) is «—», or empty."""
        shown = (None if blank else NO_VALUE) if value is None else value
        cell = self.ws.cell(row, column, shown)
        self._style(cell, _BOLD if bold else _REGULAR, align, fill, number_format)
        length = len(f"{value:+.1f}") if isinstance(value, float) else len(str(shown or ""))
        self._measure(column, length * (_BOLD_FACTOR if bold else 1.0))

    def moment(self, row: int, column: int, value: dt.datetime) -> None:
        cell = self.ws.cell(row, column, value)
        self._style(cell, _REGULAR, _CENTER_ALIGN, None, DATE_TIME_FORMAT)
        self._measure(column, len("31.12.2026 23:59"))

    def _style(
        self,
        cell: Cell,
        font: Font,
        align: Alignment,
        fill: PatternFill | None,
        number_format: str | None,
    ) -> None:
        key = (id(font), id(align), None if fill is None else id(fill), number_format)
        prepared = self._styles.get(key)
        if prepared is not None:
            # `_style` is the cell's style array: openpyxl's own way to share a style.
            cell._style = copy(prepared)  # type: ignore[attr-defined]
            return
        cell.font = font
        cell.alignment = align
        cell.border = _BORDER
        if fill is not None:
            cell.fill = fill
        if number_format is not None:
            cell.number_format = number_format
        self._styles[key] = copy(cell._style)  # type: ignore[attr-defined]

    def _measure(self, column: int, length: float) -> None:
        if length > self.lengths.get(column, 0.0):
            self.lengths[column] = length

    def finish(self, *, wide: dict[int, int], fixed: dict[int, int]) -> None:
        """Size the columns to their entries (`wide` caps a text column, longer texts wrap;
        `fixed` columns hold numbers and dates of a known width), give wrapped rows the
        height of their lines, and set up the page."""
        widths: dict[int, float] = {}
        for column, length in self.lengths.items():
            if column in fixed:
                width = float(fixed[column])
            else:
                cap = float(wide.get(column, _MAX_TEXT_WIDTH))
                width = min(max(length * _CHAR_WIDTH + 2, _MIN_WIDTH), cap)
            widths[column] = width
            self.ws.column_dimensions[get_column_letter(column)].width = width
        lines: dict[int, int] = {}
        for row, column, text, bold in self.wrapped:
            room = (widths[column] - 1) / (_CHAR_WIDTH * (_BOLD_FACTOR if bold else 1.0))
            if len(text) <= room:
                continue
            count = len(textwrap.wrap(text, max(1, int(room)), break_long_words=True))
            if count > lines.get(row, 1):
                lines[row] = count
        for row, count in lines.items():
            self.ws.row_dimensions[row].height = _LINE_HEIGHT * count + 3
        _page_setup(self.ws, self.report, self.header_row)


def _page_setup(ws: Worksheet, report: Report, header_row: int | None) -> None:
    """A4 landscape, one page wide and as many long as it takes, the header row frozen and
    repeated on every page, the period and page number in the footer."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.print_options.horizontalCentered = True
    footer = ws.oddFooter
    assert footer is not None
    footer.left.text = f"{report.office_name}. {_period(report)}"
    footer.left.size = 8
    footer.right.text = "Страница &P из &N"
    footer.right.size = 8
    if header_row is not None:
        ws.freeze_panes = ws.cell(header_row + 1, 1).coordinate
        ws.print_title_rows = f"{header_row}:{header_row}"
