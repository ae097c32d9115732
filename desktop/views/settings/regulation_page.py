"""«Регламент»: which regulation new messages follow, copies of presets, and every step's
duration and clock in a copy (presets are read-only: the page offers a copy first)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.services.office_regulation import (
    RegulationChoice,
    copy_regulation,
    list_regulations,
    use_regulation,
)
from desktop.services.regulation_steps import (
    CLOCK_TITLES,
    StepEdit,
    StepRow,
    regulation_steps,
    save_step_edits,
)
from desktop.services.regulations import Regulation
from desktop.services.titles import IMPORTANCE_TITLES
from desktop.services.vocabulary import Importance
from desktop.services.workcalendar import Clock
from desktop.views.settings.page import (
    PageContext,
    SettingsPage,
    hint_label,
    make_table,
    set_widths,
)
from desktop.views.settings.table_model import Column, RecordTableModel
from desktop.views.settings.widgets import select_data

CHOICE_COLUMNS = (
    Column("Порядок", lambda c: c.title, tooltip=lambda c: c.title),
    Column("Имя", lambda c: c.slug),
    Column("Вид", lambda c: "встроенный" if c.preset else "копия офиса"),
    Column("Новые сообщения", lambda c: "✔ по этому порядку" if c.in_use else ""),
)
STEP_COLUMNS = (
    Column("Профиль", lambda s: s.profile_title),
    Column("Шаг", lambda s: s.title, tooltip=lambda s: s.description),
    Column(
        "Важность",
        lambda s: IMPORTANCE_TITLES[Importance.HIGH if s.high else Importance.NORMAL],
    ),
    Column("Срок", lambda s: s.amount_text or "задаёт куратор", tooltip=lambda s: s.description),
    Column("Часы", lambda s: CLOCK_TITLES[s.clock]),
    Column("От момента", lambda s: s.start),
    Column("Пункт", lambda s: s.rule, tooltip=lambda s: s.rule),
)
PRESET_HINT = (
    "Встроенный порядок повторяет муниципальный акт и не меняется. Чтобы изменить сроки, "
    "сделайте копию («Копировать») и правьте её."
)
COPY_HINT = "Выберите шаг в таблице, измените срок («30 мин», «1 ч 30 мин», «8 ч», «7 дн») и часы."


def step_key(row: StepRow) -> tuple[str, str, bool]:
    return row.profile, row.step.value, row.high


class RegulationPage(SettingsPage):
    title = "Регламент"

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.regulation: Regulation | None = None
        self.current_label = QLabel(self)
        self.current_label.setWordWrap(True)
        self.layout_.addWidget(self.current_label)
        self.layout_.addWidget(self._build_choices(), 2)
        self.layout_.addWidget(self._build_steps(), 4)
        self.finish_layout()

    # --- layout -------------------------------------------------------------------------
    def _build_choices(self) -> QGroupBox:
        box = QGroupBox("Порядки: встроенные и копии офиса", self)
        self.choice_model = RecordTableModel(
            CHOICE_COLUMNS, self, is_bold=lambda choice: bool(choice.in_use)
        )
        self.choices = make_table(box)
        self.choices.setModel(self.choice_model)
        set_widths(self.choices, (0, 170, 110, 170), stretch=0)
        self.choices.selectionModel().selectionChanged.connect(lambda *_: self._chosen())
        self.use_button = QPushButton("Регистрировать новые сообщения по нему", box)
        self.use_button.clicked.connect(self.use)
        self.copy_slug = QLineEdit(box)
        self.copy_slug.setPlaceholderText("имя латиницей: otradnoe-2025")
        self.copy_title = QLineEdit(box)
        self.copy_title.setPlaceholderText("название копии")
        self.copy_button = QPushButton("Копировать", box)
        self.copy_button.clicked.connect(self.copy)
        row = QHBoxLayout()
        row.addWidget(self.use_button)
        row.addStretch(1)
        row.addWidget(QLabel("Копия:", box))
        row.addWidget(self.copy_slug, 2)
        row.addWidget(self.copy_title, 3)
        row.addWidget(self.copy_button)
        layout = QVBoxLayout(box)
        layout.addWidget(self.choices, 1)
        layout.addLayout(row)
        return box

    def _build_steps(self) -> QGroupBox:
        box = QGroupBox("Шаги и сроки", self)
        self.steps_box = box
        self.step_model = RecordTableModel(STEP_COLUMNS, self)
        self.steps = make_table(box)
        self.steps.setModel(self.step_model)
        header = self.steps.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.steps.selectionModel().selectionChanged.connect(lambda *_: self._step_chosen())
        self.steps_hint = hint_label(PRESET_HINT, box)
        self.amount = QLineEdit(box)
        self.amount.setPlaceholderText("например, 8 ч")
        self.amount.returnPressed.connect(self.save_step)
        self.clock = QComboBox(box)
        for clock, title in CLOCK_TITLES.items():
            self.clock.addItem(title, clock)
        self.save_step_button = QPushButton("Сохранить срок шага", box)
        self.save_step_button.clicked.connect(self.save_step)
        row = QHBoxLayout()
        row.addWidget(QLabel("Срок:", box))
        row.addWidget(self.amount, 1)
        row.addWidget(QLabel("Часы:", box))
        row.addWidget(self.clock, 2)
        row.addWidget(self.save_step_button)
        layout = QVBoxLayout(box)
        layout.addWidget(self.steps_hint)
        layout.addWidget(self.steps, 1)
        layout.addLayout(row)
        return box

    # --- state --------------------------------------------------------------------------
    def current_choice(self) -> RegulationChoice | None:
        rows = self.choices.selectionModel().selectedRows()
        row = self.choice_model.row_at(rows[0].row()) if rows else None
        return row if isinstance(row, RegulationChoice) else None

    def current_step(self) -> StepRow | None:
        rows = self.steps.selectionModel().selectedRows()
        row = self.step_model.row_at(rows[0].row()) if rows else None
        return row if isinstance(row, StepRow) else None

    def select_slug(self, slug: str) -> None:
        position = self.choice_model.position_of(lambda choice: choice.slug == slug)
        if position is not None:
            self.choices.selectRow(position)

    def select_step(self, key: tuple[str, str, bool]) -> None:
        position = self.step_model.position_of(lambda row: step_key(row) == key)
        if position is not None:
            self.steps.selectRow(position)
            self.steps.scrollTo(self.step_model.index(position, 0))

    def _steps_editable(self) -> bool:
        choice = self.current_choice()
        return self.editable and choice is not None and not choice.preset

    def refresh(self, *, reload_form: bool = False) -> None:
        chosen = self.current_choice()
        loaded = self.attempt(list_regulations)
        if not loaded.ok or loaded.value is None:
            return
        choices = loaded.value
        self.choice_model.set_rows(choices)
        in_use = next((c for c in choices if c.in_use), None)
        self.current_label.setText(
            "Новые сообщения регистрируются по порядку: "
            + (f"<b>{in_use.title}</b>" if in_use else "<b>не выбран</b>")
        )
        slug = chosen.slug if chosen else (in_use.slug if in_use else None)
        if slug is not None:
            self.select_slug(slug)
        self._chosen()

    def _chosen(self) -> None:
        choice = self.current_choice()
        step = self.current_step()
        key = None if step is None else step_key(step)
        self.regulation = None
        rows: list[StepRow] = []
        if choice is not None:
            loaded = self.attempt(lambda: regulation_steps(choice.slug))
            if loaded.ok and loaded.value is not None:
                self.regulation, rows = loaded.value
        self.step_model.set_rows(rows)
        if key is not None:
            self.select_step(key)
        self.steps_box.setTitle(
            "Шаги и сроки" if choice is None else f"Шаги и сроки: {choice.title}"
        )
        self.steps_hint.setText(PRESET_HINT if choice is not None and choice.preset else COPY_HINT)
        self._suggest_copy(choice)
        self._update_buttons()
        self._step_chosen()

    def _suggest_copy(self, choice: RegulationChoice | None) -> None:
        if choice is None:
            return
        taken = {c.slug for c in self.choice_model.rows()}
        base = f"{choice.slug}-kopiya"
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        self.copy_slug.setText(slug)
        self.copy_title.setText(f"{choice.title} — копия офиса")
        self.copy_title.setCursorPosition(0)

    def _step_chosen(self) -> None:
        step = self.current_step()
        if step is not None:
            self.amount.setText(step.amount_text)
            select_data(self.clock, step.clock)
        self._update_buttons()

    def _update_buttons(self) -> None:
        choice = self.current_choice()
        self.use_button.setEnabled(self.editable and choice is not None and not choice.in_use)
        for widget in (self.copy_slug, self.copy_title, self.copy_button):
            widget.setEnabled(self.editable and choice is not None)
        editable = self._steps_editable() and self.current_step() is not None
        for widget in (self.amount, self.clock, self.save_step_button):
            widget.setEnabled(editable)

    # --- actions ------------------------------------------------------------------------
    def use(self) -> None:
        choice = self.current_choice()
        if choice is not None and self.attempt(lambda: use_regulation(self.user, choice.slug)).ok:
            self.refresh()
            self.show_done(
                f"Новые сообщения регистрируются по порядку «{choice.title}»; "
                "уже зарегистрированные остаются на прежнем."
            )

    def copy(self) -> None:
        choice = self.current_choice()
        if choice is None:
            return
        slug, title = self.copy_slug.text().strip(), self.copy_title.text()
        made = self.attempt(lambda: copy_regulation(self.user, choice.slug, slug, title))
        if made.ok and made.value is not None:
            copy = made.value
            self.refresh()
            self.select_slug(copy.slug)
            self.show_done(
                f"Копия «{copy.title}» создана: меняйте сроки её шагов ниже. Чтобы новые "
                "сообщения шли по ней, нажмите «Регистрировать новые сообщения по нему»."
            )

    def save_step(self) -> None:
        choice, step, regulation = self.current_choice(), self.current_step(), self.regulation
        if choice is None or step is None or regulation is None or not self._steps_editable():
            return
        edit = StepEdit(
            step=step.step,
            amount=self.amount.text(),
            clock=Clock(self.clock.currentData()),
            profile=step.profile,
            high=step.high,
        )
        saved = self.attempt(
            lambda: save_step_edits(self.user, choice.slug, [edit], based_on=regulation.source)
        )
        if saved.ok:
            self._chosen()
            now = self.current_step()
            self.show_done(f"«{step.title}»: {now.description if now else 'сохранено'}.")
