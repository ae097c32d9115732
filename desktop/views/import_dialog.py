"""«Импорт журнала»: the office's old log or a monitoring export, checked, then imported.

Every step is one service call through `Jobs` (the file is read in the database thread too: a
large workbook takes a while): `read_table`, `check_rows`, then `import_rows` and the queue
read again. Any change of the mapping, the regulation or the source drops the checked plan,
so what is imported is always what was last shown.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.services.errors import KnownDatabaseError
from desktop.services.history_import import (
    STANDARD_COLUMNS,
    ImportField,
    ImportPlan,
    ImportResult,
    Table,
    check_rows,
    guess_mapping,
    import_rows,
    read_table,
)
from desktop.services.office_regulation import (
    RegulationChoice,
    list_regulations,
    regulation_by_slug,
)
from desktop.services.queue import open_queue
from desktop.services.session import CurrentUser
from desktop.services.vocabulary import IncidentSource
from desktop.views.jobs import Jobs

NOT_MAPPED = "— нет в файле —"


def _error_text(error: BaseException) -> str:
    if isinstance(error, KnownDatabaseError):
        return error.user_message
    if isinstance(error, ValueError | PermissionError):
        return str(error)
    return f"Внутренняя ошибка: {type(error).__name__}. См. журнал программы."


class ImportDialog(QDialog):
    """Pick the file, map its columns, choose the regulation, check, import."""

    imported = Signal(object, object)  # ImportResult, the whole open queue (list[QueueRow])

    def __init__(self, jobs: Jobs, user: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Импорт журнала сообщений")
        self.resize(760, 680)
        self.jobs = jobs
        self.user = user
        self.table: Table | None = None
        self.plan: ImportPlan | None = None
        self.result: ImportResult | None = None
        self.path: Path | None = None

        self.file_edit = QLineEdit(self)
        self.file_edit.setReadOnly(True)
        self.file_edit.setPlaceholderText("Файл .xlsx или .csv с заголовками столбцов")
        self.choose_button = QPushButton("Выбрать файл…", self)
        self.choose_button.clicked.connect(self.choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.choose_button)

        self.mapping_table = QTableWidget(len(STANDARD_COLUMNS), 2, self)
        self.mapping_table.setHorizontalHeaderLabels(["Поле", "Столбец файла"])
        self.mapping_table.verticalHeader().setVisible(False)
        self.mapping_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.mapping_table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.mapping_table.horizontalHeader().setStretchLastSection(True)
        self.combos: dict[ImportField, QComboBox] = {}
        for row, column in enumerate(STANDARD_COLUMNS):
            title = column.title + (" *" if column.required else "")
            self.mapping_table.setItem(row, 0, QTableWidgetItem(title))
            combo = QComboBox(self.mapping_table)
            combo.addItem(NOT_MAPPED)
            combo.currentIndexChanged.connect(self._mapping_changed)
            self.mapping_table.setCellWidget(row, 1, combo)
            self.combos[column.field] = combo
        self.unused_label = QLabel(self)
        self.unused_label.setWordWrap(True)

        self.regulation_combo = QComboBox(self)
        self.regulation_combo.currentIndexChanged.connect(self._forget_plan)
        self.monitoring_box = QCheckBox(
            "Выгрузка системы мониторинга («Номер» — номер инцидента в системе)", self
        )
        self.monitoring_box.toggled.connect(self._forget_plan)
        regulation_row = QHBoxLayout()
        regulation_row.addWidget(QLabel("Сроки считать по порядку:", self))
        regulation_row.addWidget(self.regulation_combo, 1)

        self.check_button = QPushButton("Проверить", self)
        self.check_button.clicked.connect(self.check)
        self.import_button = QPushButton("Импортировать", self)
        self.import_button.clicked.connect(self.start_import)
        self.close_button = QPushButton("Закрыть", self)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.check_button)
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)

        self.summary_label = QLabel(self)
        self.summary_label.setWordWrap(True)
        self.bad_table = QTableWidget(0, 2, self)
        self.bad_table.setHorizontalHeaderLabels(["Строка", "Что не так"])
        self.bad_table.verticalHeader().setVisible(False)
        self.bad_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.bad_table.horizontalHeader().setStretchLastSection(True)
        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b02a37")

        layout = QVBoxLayout(self)
        layout.addLayout(file_row)
        layout.addWidget(QLabel("Какой столбец файла что содержит (* — обязательно):", self))
        layout.addWidget(self.mapping_table, 2)
        layout.addWidget(self.unused_label)
        layout.addLayout(regulation_row)
        layout.addWidget(self.monitoring_box)
        layout.addLayout(buttons)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.bad_table, 1)
        layout.addWidget(self.error_label)
        self._filling = False
        self._update_buttons()
        self.jobs.run(list_regulations, self._show_regulations, self._failed)

    # --- state ------------------------------------------------------------------------------
    def _busy(self, busy: bool) -> None:
        for widget in (self.choose_button, self.check_button, self.mapping_table):
            widget.setEnabled(not busy)
        if busy:
            self.import_button.setEnabled(False)
        else:
            self._update_buttons()

    def _update_buttons(self) -> None:
        self.check_button.setEnabled(self.table is not None)
        self.import_button.setEnabled(self.plan is not None and bool(self.plan.good))

    def _forget_plan(self, *_: object) -> None:
        if self.plan is not None:
            self.plan = None
            self.summary_label.setText("Настройки изменились — проверьте файл ещё раз.")
            self.bad_table.setRowCount(0)
        self._update_buttons()

    def _failed(self, error: BaseException) -> None:
        self._busy(False)
        self.error_label.setText(_error_text(error))

    def _show_regulations(self, choices: list[RegulationChoice]) -> None:
        self.regulation_combo.blockSignals(True)
        for choice in choices:
            self.regulation_combo.addItem(choice.title, choice.slug)
            if choice.in_use:
                self.regulation_combo.setCurrentIndex(self.regulation_combo.count() - 1)
        self.regulation_combo.blockSignals(False)

    # --- the file -----------------------------------------------------------------------------
    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Журнал сообщений",
            "",
            "Таблицы (*.xlsx *.csv);;Книга Excel (*.xlsx);;CSV (*.csv);;Все файлы (*)",
        )
        if path:
            self.load_file(Path(path))

    def load_file(self, path: Path) -> None:
        self.error_label.clear()
        self.summary_label.clear()
        self.bad_table.setRowCount(0)
        self.file_edit.setText(str(path))
        self._busy(True)
        self.jobs.run(
            lambda: read_table(path), lambda table: self._show_table(path, table), self._unreadable
        )

    def _unreadable(self, error: BaseException) -> None:
        self.table = None
        self.plan = None
        self._failed(error)

    def _show_table(self, path: Path, table: Table) -> None:
        self.path, self.table, self.plan = path, table, None
        guessed = guess_mapping(table.headers)
        self._filling = True
        for name, combo in self.combos.items():
            combo.clear()
            combo.addItem(NOT_MAPPED)
            combo.addItems(list(table.headers))
            header = guessed.get(name)
            combo.setCurrentIndex(0 if header is None else table.headers.index(header) + 1)
        self._filling = False
        self._show_unused()
        self.summary_label.setText(
            f"Строк с данными: {len(table.rows)}. Проверьте соответствие столбцов и нажмите "
            "«Проверить»."
        )
        self._busy(False)

    def mapping(self) -> dict[ImportField, str]:
        return {
            name: combo.currentText()
            for name, combo in self.combos.items()
            if combo.currentIndex() > 0
        }

    def _show_unused(self) -> None:
        if self.table is None:
            self.unused_label.clear()
            return
        used = set(self.mapping().values())
        unused = [header for header in self.table.headers if header not in used]
        self.unused_label.setText(
            "Не используются столбцы: " + ", ".join(f"«{h}»" for h in unused) if unused else ""
        )

    def _mapping_changed(self, *_: object) -> None:
        if self._filling:
            return
        self._show_unused()
        self._forget_plan()

    # --- check and import ----------------------------------------------------------------------
    def check(self) -> None:
        table = self.table
        if table is None:
            return
        mapping = self.mapping()
        slug = str(self.regulation_combo.currentData() or "")
        self.error_label.clear()
        self._busy(True)

        def work() -> ImportPlan:
            from desktop.services.office_regulation import office_regulation

            regulation = regulation_by_slug(slug) if slug else office_regulation()
            return check_rows(table, mapping, regulation)

        self.jobs.run(work, self._show_plan, self._failed)

    def _show_plan(self, plan: ImportPlan) -> None:
        self.plan = plan
        lines = [
            f"Можно импортировать: {len(plan.good)} (с ответом {plan.answered_rows}; "
            f"без ответа {plan.open_rows} — они попадут в очередь открытыми).",
            f"Уже есть в базе, будут пропущены: {len(plan.duplicates)}.",
            f"Строк с ошибками: {len(plan.bad)}"
            + (" — они не будут импортированы:" if plan.bad else "."),
        ]
        self.summary_label.setText("\n".join(lines))
        self.bad_table.setRowCount(len(plan.bad))
        for row, bad in enumerate(plan.bad):
            self.bad_table.setItem(row, 0, QTableWidgetItem(str(bad.line)))
            self.bad_table.setItem(row, 1, QTableWidgetItem(bad.reason))
        self._busy(False)

    def start_import(self) -> None:
        plan, path = self.plan, self.path
        if plan is None or not plan.good or path is None:
            return
        source = (
            IncidentSource.MONITORING
            if self.monitoring_box.isChecked()
            else IncidentSource.OWN_SEARCH
        )
        user = self.user
        self.error_label.clear()
        self._busy(True)

        def work() -> tuple[ImportResult, Any]:
            result = import_rows(user, plan, str(path), source=source)
            return result, open_queue()

        self.jobs.run(work, self._done, self._failed)

    def _done(self, outcome: tuple[ImportResult, Any]) -> None:
        result, rows = outcome
        self.result = result
        self.plan = None
        numbers = f" (№ {result.numbers[0]}–{result.numbers[-1]})" if result.numbers else ""
        lines = [
            f"Импортировано: {result.imported}{numbers}; с ответом {result.answered}, "
            f"из них в срок {result.on_time}.",
            f"Уже были в базе, пропущены: {len(result.skipped_duplicates)}.",
            f"Строк с ошибками (не импортированы): {len(result.bad)}.",
        ]
        created = [
            (label, names)
            for label, names in (
                ("Созданы отделы", result.created_departments),
                ("Созданы темы", result.created_topics),
                ("Созданы территории", result.created_locations),
            )
            if names
        ]
        lines += [f"{label}: {', '.join(names)}." for label, names in created]
        self.summary_label.setText("\n".join(lines))
        self._busy(False)
        self.imported.emit(result, rows)
