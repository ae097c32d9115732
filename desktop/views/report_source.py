"""The Reports tab's `ReportSource` over the real services: `reports.py` counts, names the
incidents behind a number and makes periods; `report_excel.py` writes the file; `queue.py`
reads the incidents' rows (closed ones too). The main window passes `default_source()`.

Kept apart from `reports_tab.py` so the tab and its tests need none of these services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from desktop.services.queue import QueueRow, incident_rows
from desktop.services.report_excel import suggested_file_name, write_report
from desktop.services.report_model import Cell, Period, Report, ReportQuery
from desktop.services.reports import (
    build_report,
    custom_period,
    incidents_behind,
    month_period,
    week_period,
)


class ServicePeriods:
    def month(self, year: int, month: int) -> Period:
        return month_period(year, month)

    def week(self, text: str) -> Period:
        return week_period(text)

    def custom(self, start: dt.date, end_inclusive: dt.date) -> Period:
        return custom_period(start, end_inclusive)


class ServiceReportSource:
    periods = ServicePeriods()

    def build(self, query: ReportQuery) -> Report:
        return build_report(query)

    def behind(self, query: ReportQuery, cell: Cell) -> list[int]:
        return incidents_behind(query, cell)

    def rows(self, incident_ids: Sequence[int]) -> dict[int, QueueRow | None]:
        return incident_rows(incident_ids)

    def export(self, report: Report, path: Path) -> None:
        write_report(report, path)

    def file_name(self, report: Report) -> str:
        return suggested_file_name(report)


def default_source() -> ServiceReportSource:
    return ServiceReportSource()
