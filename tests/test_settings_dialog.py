"""The «Настройки» dialog driven like a user: every page's form, list and outcome line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from desktop.models.entities import Assignment, Incident
from desktop.models.enums import AbsenceKind, Network, Role
from desktop.services.absences import list_absences
from desktop.services.departments import DepartmentInput, add_department, update_department
from desktop.services.office import Office
from desktop.services.office_calendar import office_hours
from desktop.services.office_regulation import office_regulation, regulation_by_slug
from desktop.services.regulations import StepName
from desktop.services.session import CurrentUser, identify
from desktop.services.workcalendar import Clock
from desktop.views.settings.accounts_page import AccountsPage
from desktop.views.settings.departments_page import DepartmentsPage
from desktop.views.settings.hours_page import HoursPage
from desktop.views.settings.locations_page import LocationsPage
from desktop.views.settings.page import SettingsPage
from desktop.views.settings.regulation_page import RegulationPage
from desktop.views.settings.staff_page import StaffPage
from desktop.views.settings.topics_page import TopicsPage
from desktop.views.settings_dialog import PAGES, SettingsDialog
from desktop.views.staff_dialog import StaffDialog

MakeUser = Callable[..., CurrentUser]
Dialog = Callable[..., SettingsDialog]


@pytest.fixture
def admin(office: Office) -> CurrentUser:
    return identify("tester")  # the first login administers the office


class Answers:
    """Stands in for the «Удалить …?» question: records it and answers `yes`."""

    def __init__(self) -> None:
        self.asked: list[str] = []
        self.yes = True

    def __call__(self, question: str) -> bool:
        self.asked.append(question)
        return self.yes


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    stand_in = Answers()
    monkeypatch.setattr(SettingsPage, "confirm", stand_in)
    return stand_in


@pytest.fixture
def dialog(qtbot: QtBot, answers: Answers) -> Iterator[Dialog]:
    kept: list[SettingsDialog] = []  # a dialog without a parent lives while Python holds it

    def make(user: CurrentUser, start: str = "departments") -> SettingsDialog:
        opened = SettingsDialog(user, start=start)
        qtbot.addWidget(opened)
        opened.show()
        kept.append(opened)
        return opened

    yield make
    kept.clear()


def click(qtbot: QtBot, button: QPushButton) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def texts(page: object, column: int = 0) -> list[str]:
    model = page.model  # type: ignore[attr-defined]
    return [model.index(row, column).data() for row in range(model.rowCount())]


# --- the dialog ----------------------------------------------------------------------------


def test_every_page_opens_by_name_in_russian(admin: CurrentUser, dialog: Dialog) -> None:
    settings = dialog(admin)
    titles = [settings.nav.item(row).text() for row in range(settings.nav.count())]
    assert titles == [
        "Отделы",
        "Сотрудники",
        "Темы",
        "Территории",
        "Аккаунты",
        "Рабочее время",
        "Регламент",
        "Шаблоны ответов",
    ]
    for name in PAGES:
        page = settings.open_page(name)
        assert settings.stack.currentWidget() is page
        assert settings.current_page_name() == name
        assert settings.windowTitle() == f"Настройки — {page.title}"
        assert page.error.text() == ""
    with pytest.raises(KeyError, match="no settings page"):
        settings.open_page("backup")


def test_a_department_added_on_one_page_is_offered_on_the_next(
    qtbot: QtBot, admin: CurrentUser, dialog: Dialog
) -> None:
    settings = dialog(admin)
    departments = settings.open_page("departments")
    assert isinstance(departments, DepartmentsPage)
    departments.name.insert("Отдел культуры")
    click(qtbot, departments.add_button)
    settings.nav.setCurrentRow(1)  # «Сотрудники», as a click on the list would
    staff = settings.stack.currentWidget()
    assert isinstance(staff, StaffPage)
    offered = [staff.department.itemText(i) for i in range(staff.department.count())]
    assert offered == ["— без отдела —", "Отдел культуры"]
    departments.name.insert("Отдел спо")  # half typed when the administrator looks away
    settings.open_page("staff")
    settings.open_page("departments")
    assert departments.name.text() == "Отдел спо"


# --- «Отделы» ------------------------------------------------------------------------------


def test_departments_page(
    qtbot: QtBot, admin: CurrentUser, dialog: Dialog, answers: Answers, qtmodeltester: object
) -> None:
    page = dialog(admin).open_page("departments")
    assert isinstance(page, DepartmentsPage)
    assert not page.save_button.isEnabled()  # nothing chosen yet
    click(qtbot, page.add_button)
    assert page.error.text() == "Укажите название отдела."

    page.name.insert("Управление ЖКХ")
    page.short_name.insert("ЖКХ")
    page.email.insert("gkh@example.ru")
    click(qtbot, page.add_button)
    assert (page.error.text(), page.status.text()) == ("", "Отдел добавлен.")
    assert page.name.text() == ""  # the form is ready for the next one
    page.name.insert("Отдел культуры")
    page.kind.setCurrentIndex(1)
    click(qtbot, page.add_button)
    assert texts(page) == ["Управление ЖКХ", "Отдел культуры"]
    assert texts(page, 2) == ["отраслевой орган, отдел", "территориальное управление"]
    qtmodeltester.check(page.model)  # type: ignore[attr-defined]

    page.table.selectRow(0)
    assert (page.name.text(), page.email.text()) == ("Управление ЖКХ", "gkh@example.ru")
    page.name.clear()
    page.name.insert("Управление ЖКХ и транспорта")
    click(qtbot, page.save_button)
    assert page.status.text() == "Изменения сохранены."
    assert texts(page)[0] == "Управление ЖКХ и транспорта"

    click(qtbot, page.down_button)  # the chosen department moves down the forms' lists
    assert texts(page) == ["Отдел культуры", "Управление ЖКХ и транспорта"]
    assert page.current_row().name == "Управление ЖКХ и транспорта"

    incident = Incident.create(
        number=1, network=Network.VK, text="Яма", detected_at=dt.datetime.now(dt.UTC)
    )
    Assignment.create(incident=incident, department=page.current_row().id)
    click(qtbot, page.delete_button)  # used by a message: archived, not deleted
    assert page.status.text() == "Запись переведена в архив: на неё ссылаются 1 сообщение."
    assert texts(page, 5) == ["действует", "в архиве"]
    assert page.archive_button.text() == "Вернуть из архива"
    page.show_archived.setChecked(False)
    assert texts(page) == ["Отдел культуры"]
    page.table.selectRow(0)
    answers.yes = False
    click(qtbot, page.delete_button)
    assert answers.asked[-1].startswith("Удалить «Отдел культуры»?")
    assert texts(page) == ["Отдел культуры"]  # «Нет» keeps it
    answers.yes = True
    click(qtbot, page.delete_button)  # nothing refers to it: deleted
    assert page.status.text() == "Запись удалена."
    assert texts(page) == []
    qtmodeltester.check(page.model)  # type: ignore[attr-defined]


def test_a_department_changed_elsewhere_is_not_overwritten(
    qtbot: QtBot, admin: CurrentUser, dialog: Dialog
) -> None:
    department = add_department(admin, DepartmentInput("Отдел культуры"))
    page = dialog(admin).open_page("departments")
    assert isinstance(page, DepartmentsPage)
    page.table.selectRow(0)
    update_department(admin, department, 1, DepartmentInput("Отдел культуры и спорта"))
    page.name.clear()
    page.name.insert("Отдел молодёжи")
    click(qtbot, page.save_button)
    assert page.error.text().startswith("Карточку изменил(а) tester в ")
    assert page.error.text().endswith(" — обновить?")
    assert page.reload_button.isVisible()
    click(qtbot, page.reload_button)
    assert page.name.text() == "Отдел культуры и спорта"
    assert page.error.text() == ""
    assert not page.reload_button.isVisible()


# --- «Сотрудники» --------------------------------------------------------------------------


def test_staff_page_roles_and_absences(
    qtbot: QtBot, admin: CurrentUser, dialog: Dialog, answers: Answers, qtmodeltester: object
) -> None:
    add_department(admin, DepartmentInput("Отдел дорожного хозяйства"))
    page = dialog(admin, "staff").open_page("staff")
    assert isinstance(page, StaffPage)
    assert not page.add_absence_button.isEnabled()  # whose absence? choose someone first
    for name, login in (("Иванов Иван", "ivanov"), ("Петров Пётр", "petrov")):
        page.full_name.insert(name)
        qtbot.keyClicks(page.login, login)
        page.role_boxes[Role.EXECUTOR].setChecked(True)
        page.department.setCurrentIndex(1)
        click(qtbot, page.add_button)
        assert page.error.text() == ""
    assert texts(page) == ["tester", "Иванов Иван", "Петров Пётр"]
    assert texts(page, 3) == ["", "Отдел дорожного хозяйства", "Отдел дорожного хозяйства"]
    qtmodeltester.check(page.model)  # type: ignore[attr-defined]

    page.select_employee(page.model.row_at(1).employee_id)
    assert page.login.text() == "ivanov"
    page.role_boxes[Role.DEPARTMENT_HEAD].setChecked(True)
    click(qtbot, page.save_button)
    assert texts(page, 4)[1] == "исполнитель, руководитель органа"
    assert identify("ivanov").roles == {Role.EXECUTOR, Role.DEPARTMENT_HEAD}

    substitutes = [page.substitute.itemText(i) for i in range(page.substitute.count())]
    assert substitutes == ["— никто —", "tester", "Петров Пётр"]  # not Иванов himself
    page.absence_from.setDate(QDate(2025, 7, 1))
    page.absence_to.setDate(QDate(2025, 7, 14))
    page.absence_kind.setCurrentIndex(page.absence_kind.findText("отпуск"))
    page.substitute.setCurrentIndex(2)
    click(qtbot, page.add_absence_button)
    assert page.status.text() == "Отсутствие добавлено."
    assert page.absence_model.rowCount() == 1
    qtmodeltester.check(page.absence_model)  # type: ignore[attr-defined]
    [absence] = list_absences(page.current_row().employee_id)
    assert (absence.kind, absence.substitute) == (AbsenceKind.VACATION, "Петров Пётр")

    page.absence_from.setDate(QDate(2025, 7, 10))
    page.absence_to.setDate(QDate(2025, 7, 20))
    click(qtbot, page.add_absence_button)
    assert "даты пересекаются" in page.error.text()

    page.absence_table.selectRow(0)
    click(qtbot, page.remove_absence_button)
    assert answers.asked == ["Удалить отсутствие 01.07.2025–14.07.2025?"]
    assert page.absence_model.rowCount() == 0

    page.select_employee(page.model.row_at(0).employee_id)  # the only administrator
    page.role_boxes[Role.ADMINISTRATOR].setChecked(False)
    click(qtbot, page.save_button)
    assert "хотя бы один действующий администратор" in page.error.text()


def test_the_staff_dialog_is_the_settings_at_its_staff_page(
    qtbot: QtBot, admin: CurrentUser
) -> None:
    staff = StaffDialog(admin)
    qtbot.addWidget(staff)
    assert staff.current_page_name() == "staff"
    staff.full_name.insert("Кузьмина Елена Викторовна")
    qtbot.keyClicks(staff.login, "kuzmina")
    click(qtbot, staff.add_button)
    assert staff.error.text() == ""
    assert staff.model.rowCount() == 2


# --- «Темы», «Территории», «Аккаунты» -----------------------------------------------------


def test_topics_page_groups(
    qtbot: QtBot, admin: CurrentUser, dialog: Dialog, qtmodeltester: object
) -> None:
    page = dialog(admin, "topics").open_page("topics")
    assert isinstance(page, TopicsPage)
    page.name.insert("Дороги")
    click(qtbot, page.add_button)
    page.name.insert("Ямочный ремонт")
    page.parent_box.setCurrentIndex(page.parent_box.findText("Дороги"))
    click(qtbot, page.add_button)
    assert texts(page) == ["Дороги", "Дороги / Ямочный ремонт"]
    qtmodeltester.check(page.model)  # type: ignore[attr-defined]
    page.table.selectRow(0)
    click(qtbot, page.archive_button)
    assert page.status.text() == "Запись в архиве."
    assert texts(page, 2) == ["в архиве", "действует"]
    click(qtbot, page.archive_button)
    assert page.status.text() == "Запись возвращена из архива."
    page.table.selectRow(0)
    page.parent_box.setCurrentIndex(page.parent_box.findText("Дороги / Ямочный ремонт"))
    click(qtbot, page.save_button)
    assert page.error.text() == "Тема: запись не может входить сама в себя."


def test_locations_page_kinds(
    qtbot: QtBot, admin: CurrentUser, dialog: Dialog, qtmodeltester: object
) -> None:
    page = dialog(admin, "locations").open_page("locations")
    assert isinstance(page, LocationsPage)
    assert page.kind.currentText() == "населённый пункт"
    page.name.insert("Отрадненский район")
    page.kind.setCurrentIndex(page.kind.findText("район, округ"))
    click(qtbot, page.add_button)
    page.name.insert("ст. Спокойная")
    page.parent_box.setCurrentIndex(1)
    click(qtbot, page.add_button)
    assert texts(page) == ["Отрадненский район", "Отрадненский район / ст. Спокойная"]
    assert texts(page, 1) == ["район, округ", "населённый пункт"]
    qtmodeltester.check(page.model)  # type: ignore[attr-defined]


def test_accounts_page_takes_the_network_from_the_link(
    qtbot: QtBot, admin: CurrentUser, dialog: Dialog, qtmodeltester: object
) -> None:
    add_department(admin, DepartmentInput("Отдел культуры"))
    page = dialog(admin, "accounts").open_page("accounts")
    assert isinstance(page, AccountsPage)
    qtbot.keyClicks(page.url, "https://t.me/culture_otradnaya")
    assert page.network.currentText() == "Telegram"
    page.name.insert("Культура Отрадной")
    page.owner.setCurrentIndex(page.owner.findText("отдел"))
    click(qtbot, page.add_button)
    assert page.error.text() == "Страница отдела: выберите, какого отдела."
    page.department.setCurrentIndex(page.department.findText("Отдел культуры"))
    click(qtbot, page.add_button)
    assert page.status.text() == "Аккаунт добавлен."
    assert [texts(page, c)[0] for c in range(5)] == [
        "Telegram",
        "Культура Отрадной",
        "https://t.me/culture_otradnaya",
        "отдел",
        "Отдел культуры",
    ]
    qtmodeltester.check(page.model)  # type: ignore[attr-defined]


# --- «Рабочее время» -----------------------------------------------------------------------


def summary_total(page: HoursPage) -> tuple[str, str]:
    last = page.summary_model.rowCount() - 1
    return (
        page.summary_model.index(last, 1).data(),
        page.summary_model.index(last, 2).data(),
    )


def test_hours_page_shows_the_effect_on_the_year(
    qtbot: QtBot, admin: CurrentUser, dialog: Dialog, qtmodeltester: object
) -> None:
    page = dialog(admin, "hours").open_page("hours")
    assert isinstance(page, HoursPage)
    page.year.setValue(2025)
    assert page.day_edits[0].text() == "09:00–13:00, 14:00–18:00"
    assert page.weekly.text() == "Обычная неделя: 40 ч"
    assert summary_total(page) == ("247", "1972 ч")  # the official 2025 norm for 40 hours
    assert page.summary_model.rowCount() == 13  # twelve months and the total
    assert "2025: 247 рабочих дней, 1972 ч" in page.total.text()
    for model in (page.summary_model, page.special_model, page.override_model):
        qtmodeltester.check(model)  # type: ignore[attr-defined]

    page.day_edits[4].clear()
    qtbot.keyClicks(page.day_edits[4], "09:00-13:00")  # short Fridays
    click(qtbot, page.save_hours_button)
    assert page.error.text() == ""
    assert page.status.text().startswith("Рабочие часы сохранены: Пн–Чт 09:00–13:00")
    assert page.weekly.text() == "Обычная неделя: 36 ч"
    assert summary_total(page)[0] == "247"
    assert summary_total(page)[1] != "1972 ч"
    assert office_hours().day_text(4) == "09:00–13:00"

    page.day_edits[2].clear()
    qtbot.keyClicks(page.day_edits[2], "18:00-09:00")
    click(qtbot, page.save_hours_button)
    assert page.error.text() == "Ср: начало 18:00 должно быть раньше конца 09:00."
    page.refresh()  # the stored hours come back
    assert page.day_edits[2].text() == "09:00–13:00, 14:00–18:00"

    page.day.setDate(QDate(2025, 3, 12))
    page.kind.setCurrentIndex(page.kind.findText("выходной"))
    page.note.insert("региональный праздник")
    click(qtbot, page.set_button)
    assert page.status.text() == "12.03.2025 в календаре офиса: выходной."
    assert summary_total(page)[0] == "246"
    assert page.override_model.rowCount() == 1
    assert page.override_model.index(0, 2).data() == "региональный праздник"
    specials = [page.special_model.index(r, 1).data() for r in range(page.special_model.rowCount())]
    assert "офис: выходной — региональный праздник" in specials
    qtmodeltester.check(page.override_model)  # type: ignore[attr-defined]

    page.override_table.selectRow(0)
    click(qtbot, page.unset_button)
    assert summary_total(page)[0] == "247"
    assert page.override_model.rowCount() == 0


def test_a_year_without_a_shipped_file_says_where_its_days_come_from(
    admin: CurrentUser, dialog: Dialog
) -> None:
    page = dialog(admin, "hours").open_page("hours")
    assert isinstance(page, HoursPage)
    page.year.setValue(2025)
    assert page.source.text().endswith("(файл программы).")
    page.year.setValue(2040)
    assert page.error.text() == ""
    assert page.source.text().endswith("(расчёт по Трудовому кодексу).")
    assert page.summary_model.rowCount() == 13


# --- «Регламент» ---------------------------------------------------------------------------


def test_regulation_page_copies_a_preset_and_changes_a_step(
    qtbot: QtBot, admin: CurrentUser, dialog: Dialog, qtmodeltester: object
) -> None:
    page = dialog(admin, "regulation").open_page("regulation")
    assert isinstance(page, RegulationPage)
    assert page.current_choice().slug == "otradnensky-2021"  # the one in use is chosen
    assert "Отрадненский район" in page.current_label.text()
    assert page.steps_hint.text().startswith("Встроенный порядок")
    page.select_step(("default", "answer", False))
    assert page.amount.text() == "8 ч"
    assert not page.save_step_button.isEnabled()  # presets are read-only
    qtmodeltester.check(page.choice_model)  # type: ignore[attr-defined]
    qtmodeltester.check(page.step_model)  # type: ignore[attr-defined]

    page.copy_slug.clear()
    qtbot.keyClicks(page.copy_slug, "otradnoe-6h")
    page.copy_title.clear()
    page.copy_title.insert("Отрадное, ответ за 6 часов")
    click(qtbot, page.copy_button)
    assert page.status.text().startswith("Копия «Отрадное, ответ за 6 часов» создана")
    assert page.current_choice().slug == "otradnoe-6h"
    assert page.steps_hint.text().startswith("Выберите шаг")

    page.select_step(("default", "answer", False))
    page.amount.clear()
    page.amount.insert("6 ч")
    click(qtbot, page.save_step_button)
    assert page.error.text() == ""
    assert page.current_step().amount_text == "6 ч"
    assert page.status.text() == "«Срок ответа»: 6 ч рабочего времени от выявления (п. 9)."
    assert regulation_by_slug("otradnoe-6h").default.steps[StepName.ANSWER].amount == (
        dt.timedelta(hours=6)
    )

    page.select_step(("default", "route", False))
    page.clock.setCurrentIndex(page.clock.findData(Clock.CALENDAR))
    page.amount.clear()
    page.amount.insert("полчаса")
    click(qtbot, page.save_step_button)
    assert page.error.text().startswith("Не понимаю срок «полчаса»")
    page.amount.clear()
    page.amount.insert("1 ч")
    click(qtbot, page.save_step_button)
    assert page.current_step().clock is Clock.CALENDAR

    click(qtbot, page.use_button)
    assert office_regulation().slug == "otradnoe-6h"
    assert "Отрадное, ответ за 6 часов" in page.current_label.text()
    assert not page.use_button.isEnabled()
    qtmodeltester.check(page.choice_model)  # type: ignore[attr-defined]


def test_a_taken_copy_name_is_refused(qtbot: QtBot, admin: CurrentUser, dialog: Dialog) -> None:
    page = dialog(admin, "regulation").open_page("regulation")
    assert isinstance(page, RegulationPage)
    page.copy_slug.clear()
    qtbot.keyClicks(page.copy_slug, "otradnensky-2021")
    click(qtbot, page.copy_button)
    assert page.error.text() == "Порядок «otradnensky-2021» уже есть; выберите другое имя."


# --- read-only -----------------------------------------------------------------------------


def test_a_curator_sees_the_settings_but_cannot_change_them(
    qtbot: QtBot, admin: CurrentUser, make_user: MakeUser, dialog: Dialog
) -> None:
    add_department(admin, DepartmentInput("Отдел культуры"))
    curator = make_user("curator", Role.CURATOR)
    settings = dialog(curator)
    for name in ("departments", "staff", "topics", "locations", "accounts"):
        page = settings.open_page(name)
        assert page.read_only_hint.isVisibleTo(page)
        assert not page.form_box.isEnabled()  # type: ignore[attr-defined]
        assert not page.add_button.isEnabled()  # type: ignore[attr-defined]
    departments = settings.open_page("departments")
    assert isinstance(departments, DepartmentsPage)
    departments.table.selectRow(0)
    assert departments.name.text() == "Отдел культуры"  # they may look
    assert not departments.save_button.isEnabled()
    assert not departments.up_button.isEnabled()
    hours = settings.open_page("hours")
    assert isinstance(hours, HoursPage)
    assert not hours.save_hours_button.isEnabled()
    assert not hours.day_edits[0].isEnabled()
    assert not hours.set_button.isEnabled()
    assert hours.year.isEnabled()
    regulation = settings.open_page("regulation")
    assert isinstance(regulation, RegulationPage)
    assert not regulation.copy_button.isEnabled()
    assert not regulation.use_button.isEnabled()
