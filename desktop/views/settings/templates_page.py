"""«Шаблоны ответов»: the office's library of answer templates (`services/answer_templates`).

Select a template to edit it; «Добавить» adds what the form holds as the office's own
template; «В архив» stops offering one (templates are never deleted). The buttons above the
text insert a field at the cursor — it is filled from the message when an executor picks the
template — or a gap «[[…]]» the writer fills by hand. Every save names the library version
the page showed: if someone saved the library since, the page says who and offers to reload.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from desktop.services.answer_templates import (
    FIELDS,
    AnswerTemplate,
    TemplateInput,
    TemplateLibrary,
    add_template,
    set_template_active,
    template_library,
    update_template,
)
from desktop.services.permissions import Action
from desktop.services.titles import ANSWER_KIND_TITLES, EXPLANATION_GROUND_TITLES
from desktop.services.vocabulary import AnswerKind, ExplanationGround
from desktop.views.settings.page import PageContext, SettingsPage, make_table, set_widths
from desktop.views.settings.table_model import Column, RecordTableModel, state_text
from desktop.views.settings.widgets import fill_combo, select_data

ANY_KIND = "любой"
NO_GROUND = "—"
GAP = "[[]]"
FIELD_BUTTONS_PER_ROW = 5


def kind_text(template: AnswerTemplate) -> str:
    return ANY_KIND if template.kind is None else ANSWER_KIND_TITLES[template.kind]


def ground_text(template: AnswerTemplate) -> str:
    return "" if template.ground is None else EXPLANATION_GROUND_TITLES[template.ground]


class TemplatesPage(SettingsPage):
    title = "Шаблоны ответов"
    action = Action.MANAGE_TEMPLATES
    columns = (
        Column("Шаблон", lambda t: t.title, tooltip=lambda t: t.text),
        Column("Для", kind_text),
        Column("Основание (п. 3.7)", ground_text),
        Column("Состояние", state_text),
    )

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.read_only_hint.setText("Только просмотр: шаблоны ведут администратор и куратор.")
        self.library = TemplateLibrary((), 0)
        self.model = RecordTableModel(self.columns, self)
        self.table = make_table(self)
        self.table.setModel(self.model)
        set_widths(self.table, (360, 170, 260), 0)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.show_archived = QCheckBox("Показывать архивные", self)
        self.show_archived.setChecked(True)
        self.show_archived.toggled.connect(lambda _: self.refresh())

        self.form_box = QGroupBox("Шаблон", self)
        form = QFormLayout(self.form_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.name = QLineEdit(self.form_box)
        self.name.setPlaceholderText("Принято в работу")
        self.kind = QComboBox(self.form_box)
        fill_combo(self.kind, [(ANY_KIND, None), *((ANSWER_KIND_TITLES[k], k) for k in AnswerKind)])
        self.ground = QComboBox(self.form_box)
        fill_combo(
            self.ground,
            [(NO_GROUND, None), *((EXPLANATION_GROUND_TITLES[g], g) for g in ExplanationGround)],
        )
        self.kind.currentIndexChanged.connect(lambda _: self._kind_changed())
        self.text = QPlainTextEdit(self.form_box)
        self.text.setTabChangesFocus(True)
        self.text.setPlaceholderText("{имя_автора}, здравствуйте! …")
        self.field_buttons: dict[str, QPushButton] = {}
        fields = QGridLayout()
        for position, (name, hint) in enumerate(FIELDS):
            button = QPushButton(f"{{{name}}}", self.form_box)
            button.setToolTip(f"Вставить поле: {hint}")
            button.clicked.connect(lambda _=False, n=name: self.insert_text(f"{{{n}}}"))
            fields.addWidget(
                button, position // FIELD_BUTTONS_PER_ROW, position % FIELD_BUTTONS_PER_ROW
            )
            self.field_buttons[name] = button
        self.gap_button = QPushButton("[[вписать]]", self.form_box)
        self.gap_button.setToolTip("Место, которое исполнитель заполнит сам: [[что вписать]]")
        self.gap_button.clicked.connect(lambda: self.insert_text(GAP, back=2))
        fields.addWidget(
            self.gap_button,
            len(FIELDS) // FIELD_BUTTONS_PER_ROW,
            len(FIELDS) % FIELD_BUTTONS_PER_ROW,
        )
        form.addRow("Название:", self.name)
        form.addRow("Для ответа:", self.kind)
        form.addRow("Основание:", self.ground)
        form.addRow("Поля:", fields)
        form.addRow("Текст:", self.text)
        self.form_box.setEnabled(self.editable)

        self.new_button = QPushButton("Очистить форму", self)
        self.add_button = QPushButton("Добавить", self)
        self.save_button = QPushButton("Сохранить изменения", self)
        self.archive_button = QPushButton("В архив", self)
        self.new_button.clicked.connect(self.start_new)
        self.add_button.clicked.connect(self.add)
        self.save_button.clicked.connect(self.save)
        self.archive_button.clicked.connect(self.toggle_archived)
        buttons = QHBoxLayout()
        buttons.addWidget(self.show_archived)
        buttons.addStretch(1)
        for button in (self.new_button, self.add_button, self.save_button, self.archive_button):
            buttons.addWidget(button)
        self.layout_.addWidget(self.table, 1)
        self.layout_.addWidget(self.form_box, 1)
        self.layout_.addLayout(buttons)
        self.finish_layout()
        self.fill_form(None)
        self._update_buttons()

    # --- the form -------------------------------------------------------------------------
    def insert_text(self, text: str, *, back: int = 0) -> None:
        """Put `text` at the cursor; `back` moves the cursor left into it («[[|]]»)."""
        cursor = self.text.textCursor()
        cursor.insertText(text)
        for _ in range(back):
            cursor.movePosition(cursor.MoveOperation.Left)
        self.text.setTextCursor(cursor)
        self.text.setFocus()

    def chosen_kind(self) -> AnswerKind | None:
        """Qt keeps a StrEnum as its string value: the enum again, or None for «любой»."""
        data = self.kind.currentData()
        return None if data is None else AnswerKind(data)

    def chosen_ground(self) -> ExplanationGround | None:
        data = self.ground.currentData()
        return None if data is None or not self.ground.isEnabled() else ExplanationGround(data)

    def _kind_changed(self) -> None:
        explanation = self.chosen_kind() is AnswerKind.EXPLANATION
        self.ground.setEnabled(explanation)
        if not explanation:
            select_data(self.ground, None)

    def fill_form(self, row: AnswerTemplate | None) -> None:
        self.name.setText("" if row is None else row.title)
        select_data(self.kind, None if row is None else row.kind)
        self._kind_changed()
        select_data(self.ground, None if row is None else row.ground)
        self.text.setPlainText("" if row is None else row.text)

    def form_input(self) -> TemplateInput:
        return TemplateInput(
            self.name.text(),
            self.text.toPlainText(),
            self.chosen_kind(),
            self.chosen_ground(),
        )

    # --- state ----------------------------------------------------------------------------
    def current_row(self) -> AnswerTemplate | None:
        rows = self.table.selectionModel().selectedRows()
        found = self.model.row_at(rows[0].row()) if rows else None
        return found if isinstance(found, AnswerTemplate) else None

    def select_slug(self, slug: str | None) -> None:
        position = None if slug is None else self.model.position_of(lambda t: t.slug == slug)
        if position is None:
            self.table.clearSelection()
            return
        self.table.selectRow(position)
        self.table.scrollTo(self.model.index(position, 0))

    def refresh(self, *, reload_form: bool = False) -> None:
        current = self.current_row()
        loaded = self.attempt(template_library)
        if not loaded.ok or loaded.value is None:
            return
        self.library = loaded.value
        shown = [t for t in self.library.templates if self.show_archived.isChecked() or t.active]
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        self.model.set_rows(shown)
        self.select_slug(None if current is None else current.slug)
        selection.blockSignals(False)
        now = self.current_row()
        moved_on = current is not None and now is not None and now != current
        if reload_form or (current is None) != (now is None) or moved_on:
            self.fill_form(now)
        self._update_buttons()

    def _selection_changed(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        self.clear_message()
        self.fill_form(self.current_row())
        self._update_buttons()

    def _update_buttons(self) -> None:
        row = self.current_row()
        self.new_button.setEnabled(self.editable)
        self.add_button.setEnabled(self.editable)
        self.save_button.setEnabled(self.editable and row is not None)
        self.archive_button.setEnabled(self.editable and row is not None)
        archived = row is not None and not row.active
        self.archive_button.setText("Вернуть из архива" if archived else "В архив")

    # --- actions --------------------------------------------------------------------------
    def start_new(self) -> None:
        self.table.clearSelection()
        self.fill_form(None)
        self.clear_message()
        self._update_buttons()

    def add(self) -> None:
        data, version = self.form_input(), self.library.version
        outcome = self.attempt(lambda: add_template(self.user, data, expected_version=version))
        if outcome.ok and outcome.value is not None:
            self.refresh()
            self.select_slug(outcome.value.slug)
            self.show_done("Шаблон добавлен.")

    def save(self) -> None:
        row = self.current_row()
        if row is None:
            return
        data, version = self.form_input(), self.library.version
        outcome = self.attempt(
            lambda: update_template(self.user, row.slug, data, expected_version=version)
        )
        if outcome.ok:
            self.refresh(reload_form=True)
            self.show_done("Изменения сохранены.")

    def toggle_archived(self) -> None:
        row = self.current_row()
        if row is None:
            return
        active, version = not row.active, self.library.version
        outcome = self.attempt(
            lambda: set_template_active(self.user, row.slug, active, expected_version=version)
        )
        if outcome.ok:
            self.refresh(reload_form=True)
            self.show_done("Шаблон возвращён из архива." if active else "Шаблон в архиве.")
