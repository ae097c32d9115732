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
    QXYSeries,
)
from PySide6.QtCore import QLocale, QMargins, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPen

from desktop.services.report_model import Cell, Dimension, GroupRow, Measure, Report

TOP_TOPICS = 10
TOP_DEPARTMENTS = 10
MONTHS_SHORT = ("янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек")
BLUE = QColor("#3b78b5")
GREEN = QColor("#4c9a5b")
RED = QColor("#c8474f")
NAME_LENGTH = 32


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
    chart.setLocale(QLocale(QLocale.Language.Russian, QLocale.Country.Russia))
    chart.setLocalizeNumbers(True)  # «88,4», not «88.4»
    return chart


def _small_font() -> QFont:
    font = QFont()
    font.setPointSize(8)
    return font


class ReportChart(QChartView):
    """A chart that rebuilds itself from a report; `cell_clicked` when a bar is clicked."""

    cell_clicked = Signal(object)  # Cell

    def __init__(self, title: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setChart(_chart(title))
        self.setMinimumHeight(250)
        self.bar_sets: list[QBarSet] = []
        self.categories: list[str] = []

    def clear(self) -> None:
        chart = self.chart()
        chart.removeAllSeries()  # deletes them
        for axis in chart.axes():
            chart.removeAxis(axis)
            axis.deleteLater()
        self.bar_sets = []
        self.categories = []

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
        names.setTruncateLabels(False)  # the whole name, not «…»
        names.setLabelsFont(_small_font())
        chart.addAxis(names, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(names)
        counts = QValueAxis()
        counts.setLabelFormat("%.0f")  # "%d" shows nothing with localized numbers
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
    """The on-time share of each of the last twelve months; a month without answers is a gap
    (the line breaks there: one series per run of months with answers)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__("Доля ответов в срок за 12 месяцев, %", parent)
        self.lines: list[QLineSeries] = []

    def clear(self) -> None:
        super().clear()
        self.lines = []

    def points(self) -> list[tuple[float, float]]:
        return [(point.x(), point.y()) for line in self.lines for point in line.points()]

    def show_report(self, report: Report) -> None:
        self.clear()
        chart = self.chart()
        months = report.last_12_months
        self.categories = [f"{MONTHS_SHORT[m.month.month - 1]} {m.month:%y}" for m in months]
        axis_x = QBarCategoryAxis()
        axis_x.append(self.categories or [""])
        axis_x.setTruncateLabels(False)
        axis_x.setLabelsFont(_small_font())
        axis_x.setLabelsAngle(-90)
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        axis_y = QValueAxis()
        axis_y.setRange(0, 100)
        axis_y.setTickCount(6)
        axis_y.setLabelFormat("%.0f")  # "%d" shows nothing with localized numbers
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        line: QLineSeries | None = None
        for position, month in enumerate(months):
            if month.share_on_time is None:
                line = None
                continue
            if line is None:
                line = self._line()
                chart.addSeries(line)
                line.attachAxis(axis_x)
                line.attachAxis(axis_y)
                self.lines.append(line)
            share = round(month.share_on_time, 1)
            line.append(float(position), share)
            label = f"{share:.1f}".replace(".", ",")  # Qt's own label would read «88.4»
            line.setPointConfiguration(
                line.count() - 1, QXYSeries.PointConfiguration.LabelFormat, label
            )
        chart.legend().setVisible(False)

    @staticmethod
    def _line() -> QLineSeries:
        line = QLineSeries()
        line.setName("Доля в срок")
        pen = QPen(BLUE)
        pen.setWidth(3)
        line.setPen(pen)
        line.setPointsVisible(True)
        line.setPointLabelsVisible(True)
        line.setPointLabelsClipping(False)
        line.setPointLabelsFont(_small_font())
        return line
