"""«Отчёты»: the Reports tab over a fake report source (the report service is not needed to
test what the tab asks for and how it shows the answer), and its place in the main window."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from desk import Desk
from PySide6.QtCharts import QHorizontalStackedBarSeries
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QFileDialog, QTableView
from pytestqt.qtbot import QtBot
from report_fakes import FakeSource, custom_period, month_period, realistic_report, week_period

from desktop.models.enums import ReviewDecision
from desktop.services.directory import directory
from desktop.services.errors import DatabaseUnavailable
from desktop.services.incidents import RouteTarget
from desktop.services.office import Office
from desktop.services.office_calendar import office_work_calendar
from desktop.services.office_regulation import office_regulation
from desktop.services.regulations import PRESETS
from desktop.services.report_model import (
    SUMMARY_LABELS,
    Cell,
    Dimension,
    Measure,
    PeriodKind,
    ReportQuery,
)
from desktop.services.session import identify
from desktop.services.settings import office_settings
from desktop.services.workspace import Workspace
from desktop.views import main_window, reports_tab
from desktop.views.database_worker import DatabaseThread
from desktop.views.jobs import Jobs
from desktop.views.main_window import MainWindow
from desktop.views.report_models import (
    BAD,
    GOOD,
    DynamicsColumn,
    GroupColumn,
    format_minutes,
    format_share,
)
from desktop.views.reports_tab import COUNTING, UNAVAILABLE, ReportsTab, previous_month

NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)  # a Monday: the default is October 2026
OCTOBER = ReportQuery(month_period(2026, 10))


@pytest.fixture
def jobs() -> Iterator[Jobs]:
    database = DatabaseThread()
    yield Jobs(database)
    database.shutdown()


@pytest.fixture
def workspace(office: Office) -> Workspace:
    return Workspace(
        office,
        identify(),
        office_settings(),
        office_work_calendar(),
        directory(),
        office_regulation(),
    )


@pytest.fixture
def source() -> FakeSource:
    return FakeSource()


@pytest.fixture
def make_tab(
    qtbot: QtBot,
    jobs: Jobs,
    workspace: Workspace,
    monkeypatch: pytest.MonkeyPatch,
) -> Callable[..., ReportsTab]:
    monkeypatch.setattr(reports_tab, "utcnow", lambda: NOW)

    def make(source: Any, *, show: bool = True) -> ReportsTab:
        tab = ReportsTab(jobs, lambda: workspace, source)
        qtbot.addWidget(tab)
        tab.resize(1600, 1000)
        tab.use(workspace)
        if show:
            tab.show()
        return tab

    return make


def shown(qtbot: QtBot, tab: ReportsTab, source: FakeSource, count: int = 1) -> None:
    qtbot.waitUntil(lambda: len(source.queries) >= count and tab.status.text() == "")
    assert tab.report is not None and tab.report.query == source.queries[-1]


@pytest.fixture
def tab(
    qtbot: QtBot, make_tab: Callable[..., ReportsTab], source: FakeSource
) -> Iterator[ReportsTab]:
    made = make_tab(source)  # showing it asks for the default report
    shown(qtbot, made, source)
    yield made
    if made.dialog is not None:
        made.dialog.close()


# --- the period and the query ------------------------------------------------------------
def test_the_default_is_the_previous_month_counted_in_the_database_thread(
    tab: ReportsTab, source: FakeSource
) -> None:
    assert source.queries == [OCTOBER]
    assert source.threads == {"otklik-database"}
    assert tab.title.text() == "Отчёт за октябрь 2026"
    assert previous_month(dt.date(2027, 1, 15)) == (2026, 12)


def test_a_month_and_a_regulation_make_the_query(
    qtbot: QtBot, tab: ReportsTab, source: FakeSource
) -> None:
    tab.picker.month.setCurrentIndex(2)  # «март»: shown on change, no button needed
    shown(qtbot, tab, source, 2)
    assert source.queries[-1] == ReportQuery(month_period(2026, 3))
    tab.picker.month_year.setValue(2025)
    shown(qtbot, tab, source, 3)
    assert source.queries[-1] == ReportQuery(month_period(2025, 3))
    slug = next(iter(PRESETS))
    tab.regulation.setCurrentIndex(tab.regulation.findData(slug))
    shown(qtbot, tab, source, 4)
    assert source.queries[-1] == ReportQuery(month_period(2025, 3), slug)
    assert tab.regulation.itemText(0) == "Все порядки"
    assert {tab.regulation.itemData(i) for i in range(1, tab.regulation.count())} == set(PRESETS)


def test_an_iso_week_makes_the_query(qtbot: QtBot, tab: ReportsTab, source: FakeSource) -> None:
    picker = tab.picker
    picker.kind.setCurrentIndex(1)  # «Неделя»: the week before today's, 2026-W44
    shown(qtbot, tab, source, 2)
    assert source.queries[-1] == ReportQuery(week_period("2026-W44"))
    assert picker.week_dates.text() == "26.10.2026 – 01.11.2026"
    picker.week_year.setValue(2020)
    shown(qtbot, tab, source, 3)
    assert picker.week.maximum() == 53  # 2020 had 53 ISO weeks
    picker.week.setValue(53)
    shown(qtbot, tab, source, 4)
    assert source.queries[-1] == ReportQuery(week_period("2020-W53"))
    assert picker.week_dates.text() == "28.12.2020 – 03.01.2021"
    picker.week_year.setValue(2025)  # 52 weeks: the week comes down with the maximum
    shown(qtbot, tab, source, 5)
    assert source.queries[-1] == ReportQuery(week_period("2025-W52"))


def test_two_dates_make_a_custom_query_and_a_reversed_pair_is_an_error(
    qtbot: QtBot, tab: ReportsTab, source: FakeSource
) -> None:
    picker = tab.picker
    picker.kind.setCurrentIndex(2)  # «Период»: the previous month's first and last day
    shown(qtbot, tab, source, 2)
    assert source.queries[-1] == ReportQuery(
        custom_period(dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    )
    assert picker.start.displayFormat() == "dd.MM.yyyy"
    picker.end.setDate(QDate(2026, 10, 15))
    shown(qtbot, tab, source, 3)
    assert source.queries[-1] == ReportQuery(
        custom_period(dt.date(2026, 10, 1), dt.date(2026, 10, 15))
    )
    picker.start.setDate(QDate(2026, 10, 20))
    assert tab.status.text() == "Конец периода раньше его начала."
    assert len(source.queries) == 3  # nothing asked
    assert tab.report is not None and tab.report.query == source.queries[-1]


def test_counting_state_then_an_error_shown_in_the_tab(
    qtbot: QtBot, tab: ReportsTab, source: FakeSource
) -> None:
    source.fail_with = DatabaseUnavailable()
    tab.show_button.click()
    assert tab.status.text() == COUNTING
    assert not tab.show_button.isEnabled()
    qtbot.waitUntil(lambda: tab.status.text().startswith("Отчёт не посчитан"))
    assert "База данных недоступна" in tab.status.text()
    assert tab.show_button.isEnabled()
    assert tab.title.text() == "Отчёт за октябрь 2026"  # the last report stays
    source.fail_with = None
    tab.show_button.click()
    shown(qtbot, tab, source, 2)


def test_only_the_latest_request_is_shown(
    qtbot: QtBot, tab: ReportsTab, source: FakeSource
) -> None:
    tab.picker.month.setCurrentIndex(0)
    tab.picker.month.setCurrentIndex(1)
    qtbot.waitUntil(lambda: len(source.queries) == 3 and tab.status.text() == "")
    assert tab.report is not None
    assert tab.report.query == ReportQuery(month_period(2026, 2))
    assert tab.title.text() == "Отчёт за февраль 2026"


# --- what is shown -------------------------------------------------------------------------
def test_the_key_figures_are_the_reports(tab: ReportsTab) -> None:
    shown_figures = {b.caption.text(): b.value.text() for b in tab.figures}
    assert shown_figures == {
        "Всего сообщений": "275",
        "Дан ответ": "250",
        "Ответ в срок": "221",
        "Ответ с нарушением срока": "29",
        "Доля ответов в срок, %": "88,4 %",
        "Возвращено на доработку": "37",
        "Не подлежит ответу": "9",
        "Передано как обращение (59-ФЗ)": "4",
    }
    assert [b.label for b in tab.figures] == list(SUMMARY_LABELS)
    assert "Администрация муниципального образования Отрадненский район" in tab.subtitle.text()
    assert "02.11.2026 09:15" in tab.subtitle.text()  # generated, in office time


def test_every_table_model_passes_the_model_tester(tab: ReportsTab, qtmodeltester: Any) -> None:
    models = [
        *tab.group_models.values(),
        tab.violations,
        tab.dynamics,
        tab.timings,
        tab.reasons,
    ]
    for model in models:
        assert model.rowCount() > 0
        qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_tables_show_the_groups_timings_and_violations(tab: ReportsTab) -> None:
    topics = tab.group_models[Dimension.TOPIC]
    first = [topics.index(0, c).data() for c in range(topics.columnCount())]
    assert first == ["Дороги и тротуары", "64", "58", "49", "9", "84,5 %"]
    steps = tab.group_models[Dimension.STEP]
    assert steps.headerData(2, Qt.Orientation.Horizontal) == "Выполнено"
    assert [tab.tables.tabText(i) for i in range(7)] == [
        "По темам",
        "По отделам",
        "По территориям",
        "По соцсетям",
        "По исполнителям",
        "По шагам",
        "Нарушения сроков (5)",
    ]
    first_violation = [tab.violations.index(0, c).data() for c in range(7)]
    assert first_violation == [
        "1184",
        "Срок ответа",
        "Управление ЖКХ",
        "Петров И. С.",
        "30.10.2026 17:00",
        "не выполнен",
        "6 ч 15 мин",
    ]
    timing = [tab.timings.index(1, c).data() for c in range(4)]
    assert timing == ["до первого ответа", "262", "4 ч 5 мин", "11 ч 30 мин"]
    assert tab.reasons.index(0, 0).data() == "Не отвечает на вопрос"
    assert tab.reasons.index(0, 1).data() == "17"
    assert (format_minutes(45), format_minutes(None), format_share(None)) == ("45 мин", "—", "—")


def test_dynamics_show_the_direction_and_whether_it_is_better(tab: ReportsTab) -> None:
    model = tab.dynamics
    rows = {model.index(r, 0).data(): r for r in range(model.rowCount())}
    overdue = rows["Ответ с нарушением срока"]  # 29 now, 35 before: fewer, and that is good
    assert model.index(overdue, DynamicsColumn.CURRENT).data() == "29"
    assert model.index(overdue, DynamicsColumn.PREVIOUS).data() == "35  ▼ −6"
    brush = model.index(overdue, DynamicsColumn.PREVIOUS).data(Qt.ItemDataRole.ForegroundRole)
    assert brush.color() == GOOD
    share = rows["Доля ответов в срок, %"]
    assert model.index(share, DynamicsColumn.YEAR_BEFORE).data() == "81,8 %  ▲ +6,6"
    brush = model.index(share, DynamicsColumn.YEAR_BEFORE).data(Qt.ItemDataRole.ForegroundRole)
    assert brush.color() == GOOD
    reworked = rows["Возвращено на доработку"]  # 37 now, 31 before: more returns is worse
    brush = model.index(reworked, DynamicsColumn.PREVIOUS).data(Qt.ItemDataRole.ForegroundRole)
    assert brush.color() == BAD
    assert model.index(reworked, DynamicsColumn.YEAR_BEFORE).data() == "—"
    total = rows["Всего сообщений"]  # more messages is neither good nor bad
    assert model.index(total, DynamicsColumn.PREVIOUS).data(Qt.ItemDataRole.ForegroundRole) is None


def test_the_charts_hold_the_reports_numbers(tab: ReportsTab) -> None:
    topics = tab.topic_chart
    (bars,) = topics.bar_sets
    top = sorted(realistic_report().by_topic, key=lambda row: -row.total)[:10]
    assert topics.categories == [row.name for row in reversed(top)]  # the biggest on top
    assert [bars.at(i) for i in range(bars.count())] == [float(r.total) for r in reversed(top)]
    assert topics.categories[-1] == "Дороги и тротуары"
    departments = tab.department_chart
    assert isinstance(departments.chart().series()[0], QHorizontalStackedBarSeries)
    on_time, overdue = departments.bar_sets
    assert (on_time.label(), overdue.label()) == ("В срок", "С нарушением")
    housing = departments.categories.index("Управление ЖКХ")
    assert (on_time.at(housing), overdue.at(housing)) == (63.0, 10.0)
    assert "Без отдела" not in departments.categories  # nothing answered: no bar
    trend = tab.trend_chart
    points = trend.points()
    assert len(points) == 11  # a month without answers is a gap, not a zero
    assert points[0] == (0.0, 81.8)
    assert points[-1] == (11.0, 88.4)
    assert 7.0 not in [x for x, _ in points]
    assert [len(line.points()) for line in trend.lines] == [7, 4]  # the line breaks there
    assert trend.chart().series() == trend.lines
    assert tab.trend_chart.categories[0] == "ноя 25"
    assert tab.trend_chart.categories[-1] == "окт 26"


# --- the messages behind a number -----------------------------------------------------------
def double_click(qtbot: QtBot, view: QTableView, row: int, column: int) -> None:
    view.scrollTo(view.model().index(row, column))
    rect = view.visualRect(view.model().index(row, column))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_a_number_in_a_table_lists_its_incidents(
    qtbot: QtBot, tab: ReportsTab, source: FakeSource
) -> None:
    tab.tables.setCurrentIndex(1)  # «По отделам»
    view = tab.group_views[Dimension.DEPARTMENT]
    model = tab.group_models[Dimension.DEPARTMENT]
    names = [model.index(r, 0).data() for r in range(model.rowCount())]
    housing = names.index("Управление ЖКХ")
    double_click(qtbot, view, housing, GroupColumn.NAME)  # a name is no number: nothing asked
    assert source.cells == [] and tab.dialog is None
    double_click(qtbot, view, housing, GroupColumn.OVERDUE)
    qtbot.waitUntil(lambda: tab.dialog is not None and tab.dialog.model.rowCount() == 3)
    assert source.cells == [(OCTOBER, Cell(Dimension.DEPARTMENT, "12", Measure.OVERDUE))]
    dialog = tab.dialog
    assert dialog is not None
    assert "По отделам: Управление ЖКХ — с нарушением" in dialog.heading.text()
    listed = [[dialog.model.index(r, c).data() for c in range(4)] for r in range(3)]
    assert listed[0] == [
        "1184",
        "Ответ размещён",
        "Отдел дорожного хозяйства",
        "Третью неделю нет горячей воды в доме 7",
    ]
    assert [row[0] for row in listed] == ["1184", "1170", "1152"]
    assert dialog.status.text() == "Сообщений: 3."


def test_a_key_figure_lists_its_incidents_and_open_asks_the_window(
    qtbot: QtBot, tab: ReportsTab, source: FakeSource, qtmodeltester: Any
) -> None:
    source.behind_ids = [902, 904]
    figure = next(b for b in tab.figures if b.label == "Ответ в срок")
    qtbot.mouseClick(figure, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.dialog is not None and tab.dialog.model.rowCount() == 2)
    assert source.cells == [(OCTOBER, Cell(Dimension.ALL, "", Measure.ON_TIME))]
    dialog = tab.dialog
    assert dialog is not None
    qtmodeltester.check(dialog.model)  # type: ignore[attr-defined]
    assert dialog.model.index(1, 1).data() == "удалено"  # gone from the database since
    dialog.table.selectRow(0)
    with qtbot.waitSignal(tab.open_incident) as opened:
        dialog.open_button.click()
    assert opened.args == [902]
    share = next(b for b in tab.figures if b.measure is None)
    qtbot.mouseClick(share, Qt.MouseButton.LeftButton)  # a share has no incidents of its own
    assert len(source.cells) == 1


def test_a_bar_lists_its_incidents(qtbot: QtBot, tab: ReportsTab, source: FakeSource) -> None:
    (bars,) = tab.topic_chart.bar_sets
    bars.clicked.emit(len(tab.topic_chart.categories) - 1)  # the top bar: «Дороги и тротуары»
    qtbot.waitUntil(lambda: tab.dialog is not None and tab.dialog.model.rowCount() == 3)
    assert source.cells == [(OCTOBER, Cell(Dimension.TOPIC, "1", Measure.TOTAL))]


def test_a_violation_opens_its_incident(qtbot: QtBot, tab: ReportsTab) -> None:
    tab.tables.setCurrentWidget(tab.violations_view)
    with qtbot.waitSignal(tab.open_incident) as opened:
        double_click(qtbot, tab.violations_view, 1, 2)
    assert opened.args == [902]


# --- Excel ---------------------------------------------------------------------------------------
def test_export_writes_through_the_source_with_the_suggested_name(
    qtbot: QtBot,
    tab: ReportsTab,
    source: FakeSource,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    offered: list[str] = []

    def save_as(_parent: Any, _title: str, suggested: str, _filter: str) -> tuple[str, str]:
        offered.append(suggested)
        return str(tmp_path / "для замглавы"), "Книга Excel (*.xlsx)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    tab.export_button.click()
    qtbot.waitUntil(lambda: tab.status.text().startswith("Отчёт сохранён"))
    assert Path(offered[0]).name == "Отчёт октябрь 2026.xlsx"
    written = tmp_path / "для замглавы.xlsx"
    assert source.exported == [(tab.report, written)]
    assert written.read_bytes() == b"PK fake xlsx"
    assert str(written) in tab.status.text()
    assert tab.export_button.isEnabled()

    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: ("", ""))  # cancelled
    tab.export_button.click()
    assert len(source.exported) == 1


def test_an_export_failure_is_shown(
    qtbot: QtBot,
    tab: ReportsTab,
    source: FakeSource,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(tmp_path / "r.xlsx"), ""))
    source.fail_with = PermissionError("Файл открыт в Excel: закройте его и сохраните снова.")
    tab.export_button.click()
    qtbot.waitUntil(lambda: tab.status.text().startswith("Файл не сохранён"))
    assert "закройте его" in tab.status.text()


def test_without_a_source_the_tab_says_reports_are_unavailable(
    make_tab: Callable[..., ReportsTab],
) -> None:
    tab = make_tab(None)
    assert tab.pages.currentWidget() is tab.unavailable
    assert tab.unavailable.text() == UNAVAILABLE
    assert not tab.controls.isEnabled()


# --- in the main window --------------------------------------------------------------------
@pytest.fixture
def desk(office: Office) -> Desk:
    return Desk(office, "otradnensky-2021")


@pytest.mark.usefixtures("one_login_per_window")
def test_the_tab_is_for_management_not_for_an_executor(
    qtbot: QtBot,
    desk: Desk,
    window_as: Callable[[str], MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    incident = desk.register()
    fake = FakeSource()
    fake.report = realistic_report()
    first = fake.report.violations[0]
    fake.report = replace(fake.report, violations=(replace(first, incident_id=incident),))
    monkeypatch.setattr(main_window, "report_source", lambda: fake)
    monkeypatch.setattr(reports_tab, "utcnow", lambda: NOW)

    executor = window_as("executor0")
    assert not executor.tabs.isTabVisible(executor.reports_index)
    assert not executor.tabs.tabBar().isVisible()
    assert not executor.reports_tab_action.isEnabled()
    executor.close()

    manager = window_as("manager")
    assert manager.tabs.isTabVisible(manager.reports_index)
    assert manager.tabs.tabText(0) == "Очередь"
    assert manager.tabs.tabText(manager.reports_index) == "Отчёты"
    assert fake.queries == []  # nothing counted until the tab is opened
    qtbot.keyClick(manager, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert manager.tabs.currentWidget() is manager.reports
    qtbot.waitUntil(lambda: manager.reports.report is not None)
    assert fake.queries == [OCTOBER]
    view = manager.reports.violations_view
    manager.reports.tables.setCurrentWidget(view)
    double_click(qtbot, view, 0, 0)
    assert manager.tabs.currentIndex() == 0  # back to the queue, the message in the card
    qtbot.waitUntil(lambda: manager.card.incident_id == incident)


@pytest.mark.usefixtures("one_login_per_window")
def test_the_main_window_counts_through_the_real_report_service(
    qtbot: QtBot, desk: Desk, window_as: Callable[[str], MainWindow]
) -> None:
    desk.at(12, 10)
    answered = desk.register("Яма у дома 5")
    desk.svc(desk.curator).route(answered, [RouteTarget(desk.dept("ЖКХ"))])
    draft = desk.svc(desk.executors["ЖКХ"]).submit_draft(answered, "Заделаем сегодня.")
    desk.svc(desk.curator).review(answered, draft, ReviewDecision.APPROVE)
    desk.svc(desk.executors["ЖКХ"]).publish(answered, url="https://vk.com/wall-1_1?reply=2")
    desk.register("Не горит фонарь")  # still open
    window = window_as("manager")
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    tab = window.reports
    picker = tab.picker
    picker.kind.setCurrentIndex(picker.kind.findData(PeriodKind.CUSTOM))
    picker.start.setDate(QDate(2025, 3, 1))
    picker.end.setDate(QDate(2025, 3, 31))
    qtbot.waitUntil(
        lambda: tab.report is not None and tab.report.query.period.start == dt.date(2025, 3, 1),
        timeout=10_000,
    )
    assert tab.report is not None
    summary = tab.report.summary
    assert (summary.total, summary.answered, summary.on_time) == (2, 1, 1)
    assert [b.value.text() for b in tab.figures][:3] == ["2", "1", "1"]
