"""The executor's answer editor: the message and what was said before on the left, the answer
on the right, checked while it is typed, saved every few seconds, sent for approval with a
summary of what the checks found."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.services.answer_templates import AnswerTemplate, TemplateFields, fill_template
from desktop.services.draft_checks import AnswerChecks
from desktop.services.draft_context import EditorContext
from desktop.services.spelling import OfficeWords
from desktop.services.titles import ANSWER_KIND_TITLES, EXPLANATION_GROUND_TITLES
from desktop.services.vocabulary import AnswerKind, ExplanationGround
from desktop.views.answer_text_edit import AnswerTextEdit
from desktop.views.autosaver import Autosaver
from desktop.views.draft_context_view import context_tabs

SUBMIT_KEYS = "Ctrl+Return"
KIND_ORDER = (
    AnswerKind.FINAL,
    AnswerKind.INTERIM,
    AnswerKind.EXPLANATION,
    AnswerKind.CLARIFICATION,
    AnswerKind.PART,
)


@dataclass(frozen=True)
class Submission:
    text: str
    kind: AnswerKind
    ground: ExplanationGround | None
    files: tuple[Path, ...]


class DraftEditor(QDialog):
    """Non-modal: the executor may look at the queue and the card while writing."""

    submit_requested = Signal(object)  # Submission
    add_word_requested = Signal(str)

    def __init__(
        self,
        context: EditorContext,
        *,
        text: str,
        kind: AnswerKind | None,
        ground: ExplanationGround | None = None,
        templates: list[AnswerTemplate],
        fields: TemplateFields,
        words: OfficeWords,
        may_add_words: bool = True,
        restored_note: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self._templates = templates
        self._fields = fields
        self.autosaver: Autosaver | None = None
        self.busy = False
        self.setWindowTitle(f"Ответ на сообщение № {context.message.number}")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)

        self.requirements = QLabel("\n".join(context.requirements), self)
        self.requirements.setWordWrap(True)
        self.requirements.setStyleSheet(
            "background: #fff3cd; color: #664d03; padding: 6px; border-radius: 3px"
        )
        self.requirements.setVisible(bool(context.requirements))

        self.context_tabs: QTabWidget = context_tabs(context, self)

        self.kind = QComboBox(self)
        self.kind.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for each in KIND_ORDER:
            if each in context.kinds:
                self.kind.addItem(ANSWER_KIND_TITLES[each].capitalize(), each)
        wanted = kind if kind in context.kinds else None
        if wanted is not None:
            self.kind.setCurrentIndex(self.kind.findData(wanted))
        self.ground = QComboBox(self)
        self.ground.addItem("— основание разъяснения (п. 3.7) —", None)
        for each_ground, title in EXPLANATION_GROUND_TITLES.items():
            self.ground.addItem(title, each_ground)
        if ground is not None:
            self.ground.setCurrentIndex(self.ground.findData(ground))
        self.templates = QToolButton(self)
        self.templates.setText("Шаблоны ▾")
        self.templates.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.templates.setMenu(QMenu(self.templates))
        self.templates.setToolTip("Вставить шаблон ответа с заполненными полями")

        self.text = AnswerTextEdit(self, network=context.message.network, words=words)
        self.text.set_word_adding_enabled(may_add_words)
        self.text.setPlainText(text)
        self.text.add_word_requested.connect(self.add_word_requested)
        self.text.checks_changed.connect(self._show_checks)
        self.checks_line = QLabel("", self)
        self.checks_line.setWordWrap(True)
        self.length = QLabel("", self)
        self.save_state = QLabel(restored_note, self)
        self.save_state.setStyleSheet("color: #555")
        self.save_state.setWordWrap(True)
        self.error = QLabel("", self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b02a37")
        self.error.hide()

        self.files = QListWidget(self)
        self.files.setMaximumHeight(48)
        self.files.setFlow(QListWidget.Flow.LeftToRight)
        self.files.hide()  # shown with the first file
        self.attach = QPushButton("Прикрепить фото или видео…", self)
        self.attach.clicked.connect(self._choose_files)
        self.submit = QPushButton("Отправить на согласование (Ctrl+Enter)", self)
        self.submit.setDefault(False)
        self.submit.setAutoDefault(False)
        self.submit.clicked.connect(self.request_submit)
        self.close_button = QPushButton("Закрыть", self)
        self.close_button.setAutoDefault(False)
        self.close_button.setToolTip("Текст сохранён: к ответу можно вернуться из карточки")
        self.close_button.clicked.connect(self.close)
        QShortcut(QKeySequence(SUBMIT_KEYS), self, self.request_submit)
        QShortcut(QKeySequence("Ctrl+Enter"), self, self.request_submit)

        self._layout()
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.ground.currentIndexChanged.connect(self._ground_changed)
        self.text.textChanged.connect(self._text_changed)
        self._kind_changed()
        self._text_changed()
        self.resize(1100, 680)

    def _layout(self) -> None:
        head = QHBoxLayout()
        head.addWidget(QLabel("Вид:", self))
        head.addWidget(self.kind)
        head.addWidget(self.ground, 1)
        head.addStretch(0)
        head.addWidget(self.templates)
        writer = QWidget(self)
        column = QVBoxLayout(writer)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(head)
        column.addWidget(self.text, 1)
        status = QHBoxLayout()
        status.addWidget(self.checks_line, 1)
        status.addWidget(self.length)
        column.addLayout(status)
        column.addWidget(self.save_state)
        files = QHBoxLayout()
        files.addWidget(self.attach)
        files.addWidget(self.files, 1)
        files.addStretch(0)
        column.addLayout(files)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.context_tabs)
        splitter.addWidget(writer)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([420, 680])
        buttons = QHBoxLayout()
        buttons.addWidget(self.error, 1)
        buttons.addStretch(0)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.submit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.requirements)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)

    # --- state ------------------------------------------------------------------------------
    def chosen_kind(self) -> AnswerKind:
        data = self.kind.currentData()
        return AnswerKind(data) if data is not None else AnswerKind.FINAL

    def chosen_ground(self) -> ExplanationGround | None:
        data = self.ground.currentData()
        return None if data is None else ExplanationGround(data)

    def current(self) -> tuple[str, AnswerKind, ExplanationGround | None]:
        """What the autosaver keeps: the text, its kind, an explanation's ground."""
        kind = self.chosen_kind()
        ground = self.chosen_ground() if kind is AnswerKind.EXPLANATION else None
        return self.text.toPlainText(), kind, ground

    def use_autosaver(self, autosaver: Autosaver) -> None:
        self.autosaver = autosaver
        autosaver.follow(self.current)
        autosaver.saved.connect(self.save_state.setText)
        autosaver.kept_locally.connect(self.save_state.setText)
        autosaver.failed.connect(self.show_error)
        QApplication.instance().focusChanged.connect(self._focus_changed)  # type: ignore[union-attr]

    def _focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        # «On every focus change»: leaving the text (for the kind, the context, another
        # window) saves at once, not only after the interval.
        if old is self.text and self.autosaver is not None:
            self.autosaver.save_now()

    def _text_changed(self) -> None:
        text = self.text.toPlainText()
        limit = self.context.length_limit
        count = f"{len(text):,}".replace(",", "\u00a0")
        if limit:
            self.length.setText(f"{count} / {limit:,}".replace(",", "\u00a0") + " знаков")
            over = len(text) > limit
            self.length.setStyleSheet("color: #b02a37" if over else "")
        else:
            self.length.setText(f"{count} знаков")
        if self.autosaver is not None:
            self.autosaver.changed()

    def _kind_changed(self) -> None:
        kind = self.chosen_kind()
        self.ground.setVisible(kind is AnswerKind.EXPLANATION)
        menu = self.templates.menu()
        menu.clear()
        fitting = [t for t in self._templates if t.kind is None or t.kind is kind]
        for template in fitting:
            action = menu.addAction(template.title)
            action.triggered.connect(lambda _=False, t=template: self.use_template(t))
        self.templates.setEnabled(bool(fitting))
        if self.autosaver is not None:
            self.autosaver.changed()

    def _ground_changed(self) -> None:
        if self.autosaver is not None:
            self.autosaver.changed()

    def use_template(self, template: AnswerTemplate) -> None:
        """Insert the template at the cursor (the whole text when the answer is empty); an
        explanation's template also picks its ground."""
        filled = fill_template(template, self._fields)
        if template.ground is not None:
            self.ground.setCurrentIndex(self.ground.findData(template.ground))
        if not self.text.toPlainText().strip():
            self.text.setPlainText(filled)
        else:
            self.text.textCursor().insertText(filled)
        self.text.setFocus()

    def _show_checks(self, checks: AnswerChecks) -> None:
        lines = checks.summary()
        self.checks_line.setText(checks.brief() if lines else "Проверки: замечаний нет.")
        self.checks_line.setToolTip("\n".join(lines))
        self.checks_line.setStyleSheet("color: #8a4b00" if lines else "color: #1e7e34")

    def _choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self,
            "Фото и видео к ответу",
            "",
            "Изображения и видео (*.jpg *.jpeg *.png *.gif "
            "*.webp *.heic *.mp4 *.mov *.avi *.mkv);;Все файлы (*)",
        )
        self.add_files([Path(p) for p in paths])

    def add_files(self, paths: list[Path]) -> None:
        present = set(self.chosen_files())
        for path in paths:
            if path not in present:
                present.add(path)
                self.files.addItem(path.name)
                self.files.item(self.files.count() - 1).setData(Qt.ItemDataRole.UserRole, path)
        self.files.setVisible(self.files.count() > 0)

    def chosen_files(self) -> tuple[Path, ...]:
        return tuple(
            Path(self.files.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.files.count())
        )

    # --- submitting ---------------------------------------------------------------------------
    def summary_question(self) -> str:
        """What the checks found, as the question shown at submit; empty when nothing."""
        lines = self.text.recheck_now().summary()
        if not lines:
            return ""
        return (
            "Проверка ответа перед отправкой:\n\n• "
            + "\n• ".join(lines)
            + "\n\nОтправить на согласование как есть?"
        )

    def request_submit(self) -> None:
        if self.busy:
            return
        text = self.text.toPlainText().strip()
        if not text:
            self.show_error("Напишите ответ.")
            return
        if self.chosen_kind() is AnswerKind.EXPLANATION and self.chosen_ground() is None:
            self.show_error("Укажите основание разъяснения (п. 3.7).")
            self.ground.setFocus()
            return
        question = self.summary_question()
        if question:
            self.question = QMessageBox(
                QMessageBox.Icon.Warning,
                "Проверка ответа",
                question,
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                self,
            )
            self.question.button(QMessageBox.StandardButton.Yes).setText("Отправить")
            self.question.button(QMessageBox.StandardButton.No).setText("Исправить")
            self.question.setDefaultButton(QMessageBox.StandardButton.No)
            self.question.buttonClicked.connect(self._answered)
            self.question.open()
            return
        self._send()

    def _answered(self, button: Any) -> None:
        if self.question.standardButton(button) == QMessageBox.StandardButton.Yes:
            self._send()
        else:
            self.text.setFocus()

    def _send(self) -> None:
        self.busy = True
        self.text.setReadOnly(True)  # what is sent is what stays: no typing into a sent draft
        self.error.hide()
        if self.autosaver is not None:
            self.autosaver.save_now()  # the text is kept even if the submit fails
            self.autosaver.pause()
        self.submit_requested.emit(
            Submission(
                self.text.toPlainText(),
                self.chosen_kind(),
                self.chosen_ground() if self.chosen_kind() is AnswerKind.EXPLANATION else None,
                self.chosen_files(),
            )
        )

    def show_error(self, text: str) -> None:
        if self.busy and self.autosaver is not None:
            self.autosaver.resume()
        self.busy = False
        self.text.setReadOnly(False)
        self.error.setText(text)
        self.error.show()

    def submitted(self) -> None:
        if self.autosaver is not None:
            self.autosaver.stop()
        self.busy = False
        self.accept()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.busy:  # being sent: the window waits for the outcome
            event.ignore()
            return
        if self.autosaver is not None and self.result() != QDialog.DialogCode.Accepted:
            self.autosaver.save_now()
        super().closeEvent(event)

    def reject(self) -> None:  # Esc: keep the text, close
        if self.busy:
            return
        if self.autosaver is not None:
            self.autosaver.save_now()
        super().reject()

    def discard(self) -> None:
        """Another database, or the program closes: the text is in the journal already."""
        if self.autosaver is not None:
            self.autosaver.save_now()
            self.autosaver.stop()
        self.busy = False
        self.done(QDialog.DialogCode.Rejected)
