"""The Reports tab's charts (QtCharts): messages by topic, on time and overdue by department,
the on-time share over the last twelve months. A bar names its incidents like a table cell."""

from __future__ import annotations

from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QHorizontalStackedBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPen

from desktop.services.report_model import Cell, Dimension, GroupRow, Measure, Report

TOP_TOPICS = 10
TOP_DEPARTMENTS = 10
MONTHS_SHORT = ("янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек")
BLUE = QColor("#3b78b5")
GREEN = QColor("#4c9a5b")
RED = QColor("#c8474f")
NAME_LENGTH = 28


def short(name: str) -> str:
    return name if len(name) <= NAME_LENGTH else name[: NAME_LENGTH - 1] + "…"


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    font = QFont()
    font.setPointSize(11)
    font.setBold(True)
    chart.setTitleFont(font)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setBackgroundRoundness(0)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    return chart


class ReportChart(QChartView):
    """A chart that rebuilds itself from a report; `cell_clicked` when a bar is clicked."""

    cell_clicked = Signal(object)  # Cell

    def __init__(self, title: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setChart(_chart(title))
        self.setMinimumHeight(260)
        self.bar_sets: list[QBarSet] = []
        self.categories: list[str] = []
        self.line: QLineSeries | None = None

    def clear(self) -> None:
        chart = self.chart()
        chart.removeAllSeries()  # deletes them
        for axis in chart.axes():
            chart.removeAxis(axis)
            axis.deleteLater()
        self.bar_sets = []
        self.categories = []
        self.line = None

    def show_report(self, report: Report) -> None:
        raise NotImplementedError

    def _horizontal(
        self,
        rows: list[GroupRow],
        dimension: Dimension,
        sets: list[tuple[str, QColor, Measure]],
        *,
        stacked: bool,
    ) -> None:
        """Bars for `rows`, the first row on top; each set is (name, colour, measure)."""
        self.clear()
        chart = self.chart()
        shown = list(reversed(rows))  # a horizontal chart draws its first category at the bottom
        series = QHorizontalStackedBarSeries() if stacked else QHorizontalBarSeries()
        for name, colour, measure in sets:
            bar_set = QBarSet(name)
            bar_set.setColor(colour)
            bar_set.setBorderColor(colour)
            bar_set.append([float(self._count(row, measure)) for row in shown])
            bar_set.clicked.connect(
                lambda position, m=measure, keys=[r.key for r in shown]: self.cell_clicked.emit(
                    Cell(dimension, keys[position], m)
                )
            )
            series.append(bar_set)
            self.bar_sets.append(bar_set)
        series.setLabelsVisible(True)
        series.setBarWidth(0.7)
        chart.addSeries(series)
        self.categories = [row.name for row in shown]
        names = QBarCategoryAxis()
        names.append([short(name) for name in self.categories])
        chart.addAxis(names, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(names)
        counts = QValueAxis()
        counts.setLabelFormat("%d")
        top = max(
            (
                sum(self._count(row, m) for _, _, m in sets) if stacked else self._count(row, m)
                for row in rows
                for _, _, m in sets
            ),
            default=0,
        )
        counts.setRange(0, max(1, top) * 1.15)
        counts.applyNiceNumbers()
        chart.addAxis(counts, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(counts)
        chart.legend().setVisible(len(sets) > 1)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)

    @staticmethod
    def _count(row: GroupRow, measure: Measure) -> int:
        return {
            Measure.TOTAL: row.total,
            Measure.ANSWERED: row.answered,
            Measure.ON_TIME: row.on_time,
            Measure.OVERDUE: row.overdue,
        }[measure]


class TopicChart(ReportChart):
    """Messages by topic, the ten biggest topics."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(f"Сообщения по темам (первые {TOP_TOPICS})", parent)

    def show_report(self, report: Report) -> None:
        rows = sorted(report.by_topic, key=lambda row: (-row.total, row.name))[:TOP_TOPICS]
        self._horizontal(rows, Dimension.TOPIC, [("Сообщений", BLUE, Measure.TOTAL)], stacked=False)


class DepartmentChart(ReportChart):
    """Answers on time and overdue by department, stacked."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__("Ответы отделов: в срок и с нарушением", parent)

    def show_report(self, report: Report) -> None:
        rows = sorted(
            (row for row in report.by_department if row.on_time + row.overdue),
            key=lambda row: (-(row.on_time + row.overdue), row.name),
        )[:TOP_DEPARTMENTS]
        self._horizontal(
            rows,
            Dimension.DEPARTMENT,
            [("В срок", GREEN, Measure.ON_TIME), ("С нарушением", RED, Measure.OVERDUE)],
            stacked=True,
        )


class TrendChart(ReportChart):
    """The on-time share of each of the last twelve months; a month without answers is a gap."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__("Доля ответов в срок за 12 месяцев, %", parent)

    def show_report(self, report: Report) -> None:
        self.clear()
        chart = self.chart()
        months = report.last_12_months
        self.categories = [f"{MONTHS_SHORT[m.month.month - 1]} {m.month:%y}" for m in months]
        line = QLineSeries()
        line.setName("Доля в срок")
        pen = QPen(BLUE)
        pen.setWidth(3)
        line.setPen(pen)
        line.setPointsVisible(True)
        line.setPointLabelsVisible(True)
        line.setPointLabelsFormat("@yPoint")
        line.setPointLabelsClipping(False)
        for position, month in enumerate(months):
            if month.share_on_time is not None:
                line.append(float(position), round(month.share_on_time, 1))
        chart.addSeries(line)
        self.line = line
        axis_x = QBarCategoryAxis()
        axis_x.append(self.categories or [""])
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        line.attachAxis(axis_x)
        axis_y = QValueAxis()
        axis_y.setRange(0, 100)
        axis_y.setTickCount(6)
        axis_y.setLabelFormat("%d")
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        line.attachAxis(axis_y)
        chart.legend().setVisible(False)
