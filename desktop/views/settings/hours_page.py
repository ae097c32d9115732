"""«Рабочее время»: office hours per weekday, the office's marks on the calendar, and the
year they make (working days and hours per month), so the administrator sees the effect."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.services.office_calendar import (
    OVERRIDE_TITLES,
    YearSummary,
    list_overrides,
    office_hours,
    office_work_calendar,
    remove_override,
    set_office_hours,
    set_override,
    summarize_year,
)
from desktop.services.office_hours import OfficeHours
from desktop.services.titles import MONTH_NAMES
from desktop.services.vocabulary import CalendarOverrideKind
from desktop.services.workcalendar import CalendarOverride
from desktop.views.settings.page import PageContext, SettingsPage, hint_label, make_table
from desktop.views.settings.table_model import Column, RecordTableModel
from desktop.views.settings.widgets import date_edit, to_date, to_qdate

WEEKDAY_NAMES = (
    "Понедельник",
    "Вторник",
    "Среда",
    "Четверг",
    "Пятница",
    "Суббота",
    "Воскресенье",
)
FIRST_YEAR, LAST_YEAR = 2000, 2099


def hours_text(amount: dt.timedelta) -> str:
    """«1972 ч», «37 ч 30 мин»."""
    minutes = int(amount.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    return f"{hours} ч" + (f" {rest} мин" if rest else "")


@dataclass(frozen=True)
class SummaryLine:
    title: str
    days: int
    time: dt.timedelta
    total: bool = False


@dataclass(frozen=True)
class SpecialDay:
    day: dt.date
    text: str


def summary_lines(summary: YearSummary) -> list[SummaryLine]:
    lines = [
        SummaryLine(MONTH_NAMES[m.month - 1].capitalize(), m.working_days, m.working_time)
        for m in summary.months
    ]
    return [*lines, SummaryLine("Итого", summary.working_days, summary.working_time, True)]


def special_days(summary: YearSummary) -> list[SpecialDay]:
    days = [SpecialDay(n.day, f"нерабочий: {n.text}") for n in summary.days_off]
    days += [SpecialDay(n.day, f"рабочий: {n.text}") for n in summary.working_weekend_days]
    days += [SpecialDay(n.day, f"сокращённый: {n.text}") for n in summary.shortened]
    days += [SpecialDay(n.day, f"офис: {n.text}") for n in summary.overrides]
    return sorted(days, key=lambda d: d.day)


OVERRIDE_COLUMNS = (
    Column("Дата", lambda o: f"{o.day:%d.%m.%Y}"),
    Column("Вид дня", lambda o: OVERRIDE_TITLES[o.kind]),
    Column("Примечание", lambda o: o.note),
)
SUMMARY_COLUMNS = (
    Column("Месяц", lambda s: s.title),
    Column("Рабочих дней", lambda s: str(s.days), numeric=True),
    Column("Рабочих часов", lambda s: hours_text(s.time), numeric=True),
)
SPECIAL_COLUMNS = (
    Column("Дата", lambda d: f"{d.day:%d.%m.%Y}"),
    Column("Особый день", lambda d: d.text, tooltip=lambda d: d.text),
)


class HoursPage(SettingsPage):
    title = "Рабочее время"

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        left = QVBoxLayout()
        left.addWidget(self._build_hours(), 0)
        left.addWidget(self._build_calendar(), 1)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addWidget(self._build_summary(), 1)
        self.layout_.addLayout(columns, 1)
        self.finish_layout()

    # --- layout -------------------------------------------------------------------------
    def _build_hours(self) -> QGroupBox:
        box = QGroupBox("Рабочие часы офиса", self)
        form = QFormLayout(box)
        self.day_edits: list[QLineEdit] = []
        for name in WEEKDAY_NAMES:
            edit = QLineEdit(box)
            edit.setPlaceholderText("выходной")
            self.day_edits.append(edit)
            form.addRow(f"{name}:", edit)
        self.weekly = QLabel(box)
        self.save_hours_button = QPushButton("Сохранить часы", box)
        self.save_hours_button.clicked.connect(self.save_hours)
        row = QHBoxLayout()
        row.addWidget(self.weekly, 1)
        row.addWidget(self.save_hours_button)
        form.addRow(
            hint_label(
                "Интервалы через запятую: 09:00–13:00, 14:00–18:00. Пусто — выходной. Часы "
                "субботы и воскресенья действуют в рабочие выходные по календарю.",
                box,
            )
        )
        form.addRow(row)
        for widget in (*self.day_edits, self.save_hours_button):
            widget.setEnabled(self.editable)
        return box

    def _build_calendar(self) -> QGroupBox:
        box = QGroupBox("Изменения календаря офиса", self)
        self.year = QSpinBox(box)
        self.year.setRange(FIRST_YEAR, LAST_YEAR)
        self.year.setValue(dt.date.today().year)
        self.year.valueChanged.connect(lambda _: self.refresh())
        self.override_model = RecordTableModel(OVERRIDE_COLUMNS, self)
        self.override_table = make_table(box)
        self.override_table.setModel(self.override_model)
        self.override_table.horizontalHeader().setStretchLastSection(True)
        self.override_table.setColumnWidth(1, 150)
        self.override_table.selectionModel().selectionChanged.connect(
            lambda *_: self._override_chosen()
        )
        self.day = date_edit(box)
        self.kind = QComboBox(box)
        for kind, title in OVERRIDE_TITLES.items():
            self.kind.addItem(title, kind)
        self.note = QLineEdit(box)
        self.note.setPlaceholderText("основание: постановление губернатора № …")
        self.set_button = QPushButton("Отметить день", box)
        self.unset_button = QPushButton("Снять отметку", box)
        self.set_button.clicked.connect(self.mark_day)
        self.unset_button.clicked.connect(self.unmark_day)
        year_row = QHBoxLayout()
        year_row.addWidget(QLabel("Год:", box))
        year_row.addWidget(self.year)
        year_row.addStretch(1)
        mark_row = QHBoxLayout()
        mark_row.addWidget(self.day)
        mark_row.addWidget(self.kind)
        mark_row.addWidget(self.note, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.unset_button)
        buttons.addWidget(self.set_button)
        layout = QVBoxLayout(box)
        layout.addLayout(year_row)
        layout.addWidget(
            hint_label(
                "Региональный праздник, перенос по местному решению: отметка офиса важнее "
                "производственного календаря.",
                box,
            )
        )
        layout.addWidget(self.override_table, 1)
        layout.addLayout(mark_row)
        layout.addLayout(buttons)
        for widget in (self.day, self.kind, self.note, self.set_button):
            widget.setEnabled(self.editable)
        self.unset_button.setEnabled(False)
        return box

    def _build_summary(self) -> QGroupBox:
        box = QGroupBox("Итоги года", self)
        self.source = QLabel(box)
        self.source.setWordWrap(True)
        self.total = QLabel(box)
        self.summary_model = RecordTableModel(
            SUMMARY_COLUMNS, self, is_bold=lambda line: bool(line.total)
        )
        self.summary_table = make_table(box)
        self.summary_table.setModel(self.summary_model)
        self.summary_table.setSelectionMode(self.summary_table.SelectionMode.NoSelection)
        self.summary_table.setColumnWidth(0, 110)
        self.summary_table.setColumnWidth(1, 110)
        self.summary_table.horizontalHeader().setStretchLastSection(True)
        self.special_model = RecordTableModel(SPECIAL_COLUMNS, self)
        self.special_table = make_table(box)
        self.special_table.setModel(self.special_model)
        self.special_table.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(box)
        layout.addWidget(self.total)
        layout.addWidget(self.summary_table, 3)
        layout.addWidget(QLabel("Праздники, переносы и отметки офиса:", box))
        layout.addWidget(self.special_table, 2)
        layout.addWidget(self.source)
        return box

    # --- data ---------------------------------------------------------------------------
    def refresh(self, *, reload_form: bool = False) -> None:
        hours = self.attempt(office_hours)
        if hours.ok and hours.value is not None:
            self._show_hours(hours.value)
        overrides = self.attempt(lambda: list_overrides(self.year.value()))
        if overrides.ok:
            self.override_model.set_rows(overrides.value or [])
        self._override_chosen()
        self._show_summary()

    def _show_hours(self, hours: OfficeHours) -> None:
        for weekday, edit in enumerate(self.day_edits):
            edit.setText(hours.day_text(weekday))
        self.weekly.setText(f"Обычная неделя: {hours_text(hours.weekly_hours())}")

    def _show_summary(self) -> None:
        year = self.year.value()
        summary = self.attempt(lambda: summarize_year(office_work_calendar(), year))
        if not summary.ok or summary.value is None:
            self.summary_model.set_rows([])
            self.special_model.set_rows([])
            self.total.setText(f"Нет данных календаря на {year} год.")
            self.source.clear()
            return
        value = summary.value
        self.summary_model.set_rows(summary_lines(value))
        self.special_model.set_rows(special_days(value))
        self.total.setText(
            f"<b>{year}: {value.working_days} рабочих дней, "
            f"{hours_text(value.working_time)}</b> — по часам «{value.hours}»"
        )
        self.total.setWordWrap(True)
        origin = "файл программы" if value.shipped else "расчёт по Трудовому кодексу"
        self.source.setText(f"Производственный календарь: {value.source} ({origin}).")

    def current_override(self) -> CalendarOverride | None:
        rows = self.override_table.selectionModel().selectedRows()
        row = self.override_model.row_at(rows[0].row()) if rows else None
        return row if isinstance(row, CalendarOverride) else None

    def _override_chosen(self) -> None:
        chosen = self.current_override()
        self.unset_button.setEnabled(self.editable and chosen is not None)
        if chosen is not None:
            self.day.setDate(to_qdate(chosen.day))
            self.kind.setCurrentIndex(max(0, self.kind.findData(chosen.kind)))
            self.note.setText(chosen.note)

    # --- actions ------------------------------------------------------------------------
    def save_hours(self) -> None:
        texts = {weekday: edit.text() for weekday, edit in enumerate(self.day_edits)}

        def save() -> OfficeHours:
            hours = OfficeHours.from_days(texts)
            set_office_hours(self.user, hours)
            return hours

        saved = self.attempt(save)
        if saved.ok and saved.value is not None:
            self.refresh()
            self.show_done(f"Рабочие часы сохранены: {saved.value.describe()}.")

    def mark_day(self) -> None:
        day = to_date(self.day.date())
        kind = CalendarOverrideKind(self.kind.currentData())
        note = self.note.text()
        if self.attempt(lambda: set_override(self.user, day, kind, note)).ok:
            if day.year != self.year.value():
                self.year.setValue(day.year)  # refreshes
            else:
                self.refresh()
            self.note.clear()
            self.show_done(f"{day:%d.%m.%Y} в календаре офиса: {OVERRIDE_TITLES[kind]}.")

    def unmark_day(self) -> None:
        chosen = self.current_override()
        if chosen is None:
            return
        if self.attempt(lambda: remove_override(self.user, chosen.day)).ok:
            self.refresh()
            self.show_done(f"{chosen.day:%d.%m.%Y}: снова по производственному календарю.")
