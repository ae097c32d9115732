"""«Настройки → Шаблоны ответов» driven like a user."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from desktop.models.enums import AnswerKind, ExplanationGround, Role
from desktop.services.answer_templates import (
    TemplateInput,
    add_template,
    answer_templates,
    builtin_templates,
    template_library,
)
from desktop.services.office import Office
from desktop.services.session import CurrentUser
from desktop.views.settings.templates_page import TemplatesPage
from desktop.views.settings_dialog import SettingsDialog

MakeUser = Callable[..., CurrentUser]


@pytest.fixture
def open_page(qtbot: QtBot, office: Office) -> Iterator[Callable[[CurrentUser], TemplatesPage]]:
    kept: list[SettingsDialog] = []

    def make(user: CurrentUser) -> TemplatesPage:
        dialog = SettingsDialog(user, start="templates")
        qtbot.addWidget(dialog)
        dialog.show()
        kept.append(dialog)
        page = dialog.stack.currentWidget()
        assert isinstance(page, TemplatesPage)
        return page

    yield make
    kept.clear()


def click(qtbot: QtBot, button: QPushButton) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def titles(page: TemplatesPage, column: int = 0) -> list[str]:
    return [page.model.index(row, column).data() for row in range(page.model.rowCount())]


def select(page: TemplatesPage, title: str) -> None:
    page.table.selectRow(titles(page).index(title))


def test_the_library_is_listed_and_edited(
    qtbot: QtBot,
    make_user: MakeUser,
    open_page: Callable[[CurrentUser], TemplatesPage],
    qtmodeltester: object,
) -> None:
    page = open_page(make_user("admin", Role.ADMINISTRATOR))
    qtmodeltester.check(page.model)  # type: ignore[attr-defined]
    assert titles(page) == [t.title for t in builtin_templates()]
    assert titles(page, 1)[:2] == ["ответ", "промежуточный ответ"]
    assert titles(page, 1)[2] == "любой"
    assert titles(page, 2)[4] == "вопрос не относится к компетенции ОМСУ"
    assert not page.save_button.isEnabled() and not page.archive_button.isEnabled()

    # A new template, typed with the field buttons.
    page.name.insert("Вывоз мусора")
    page.kind.setCurrentIndex(page.kind.findData(AnswerKind.FINAL))
    assert not page.ground.isEnabled()
    click(qtbot, page.field_buttons["имя_автора"])
    page.text.insertPlainText(", мусор вывезут ")
    click(qtbot, page.field_buttons["дата"])
    page.text.insertPlainText(". ")
    click(qtbot, page.gap_button)
    page.text.insertPlainText("где")  # the cursor waits inside the gap
    assert page.text.toPlainText() == "{имя_автора}, мусор вывезут {дата}. [[где]]"
    click(qtbot, page.add_button)
    assert page.status.text() == "Шаблон добавлен."
    assert titles(page)[-1] == "Вывоз мусора"
    assert page.current_row() is not None and page.current_row().slug == "office-1"
    assert template_library().version == 1
    qtmodeltester.check(page.model)  # type: ignore[attr-defined]

    # An explanation's ground is chosen only for explanations.
    select(page, "Разъяснение: обжалование решения суда")
    assert page.ground.isEnabled()
    assert page.chosen_ground() is ExplanationGround.COURT_ACTS
    page.text.setPlainText("{имя_автора}, решение суда обжалуется в вышестоящем суде.")
    click(qtbot, page.save_button)
    assert page.status.text() == "Изменения сохранены."
    court = answer_templates(AnswerKind.EXPLANATION)[2]
    assert court.text == "{имя_автора}, решение суда обжалуется в вышестоящем суде."

    # A typo in a field is the administrator's to fix, with the fields offered.
    page.text.setPlainText("{имя автора}, здравствуйте")
    click(qtbot, page.save_button)
    assert "неизвестные поля: {имя автора}" in page.error.text()

    # Archive and restore.
    select(page, "Благодарность")
    click(qtbot, page.archive_button)
    assert page.status.text() == "Шаблон в архиве."
    assert page.archive_button.text() == "Вернуть из архива"
    assert "thanks" not in {t.slug for t in answer_templates()}
    page.show_archived.setChecked(False)
    assert "Благодарность" not in titles(page)
    page.show_archived.setChecked(True)
    select(page, "Благодарность")
    click(qtbot, page.archive_button)
    assert page.status.text() == "Шаблон возвращён из архива."
    assert "thanks" in {t.slug for t in answer_templates()}


def test_a_change_made_elsewhere_is_a_question_and_a_reload(
    qtbot: QtBot, make_user: MakeUser, open_page: Callable[[CurrentUser], TemplatesPage]
) -> None:
    admin = make_user("admin", Role.ADMINISTRATOR)
    curator = make_user("curator", Role.CURATOR, full_name="Кураторова Ольга")
    page = open_page(admin)
    add_template(curator, TemplateInput("Свет", "Свет дадут завтра."), expected_version=0)
    select(page, "Благодарность")
    page.text.setPlainText("Спасибо!")
    click(qtbot, page.save_button)
    assert "Кураторова Ольга" in page.error.text()
    assert page.reload_button.isVisible()
    click(qtbot, page.reload_button)
    assert "Свет" in titles(page)
    assert page.text.toPlainText() != "Спасибо!"  # the form shows the stored text again
    click(qtbot, page.save_button)  # now against the current version
    assert page.error.isHidden()


def test_an_executor_sees_the_library_without_editing(
    make_user: MakeUser, open_page: Callable[[CurrentUser], TemplatesPage]
) -> None:
    page = open_page(make_user("executor", Role.EXECUTOR))
    assert titles(page)
    assert page.read_only_hint.isVisible()
    assert "администратор и куратор" in page.read_only_hint.text()
    assert not page.form_box.isEnabled()
    for button in (page.add_button, page.save_button, page.archive_button, page.new_button):
        assert not button.isEnabled()
    page.table.selectRow(0)
    assert not page.save_button.isEnabled() and not page.archive_button.isEnabled()


def test_a_curator_may_edit(
    make_user: MakeUser, open_page: Callable[[CurrentUser], TemplatesPage]
) -> None:
    page = open_page(make_user("curator", Role.CURATOR))
    assert page.form_box.isEnabled() and page.add_button.isEnabled()
    assert not page.read_only_hint.isVisible()
