"""«Файл → Импортировать журнал…» driven like a user: file, mapping, check, import, queue."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop.models.entities import Incident
from desktop.models.enums import IncidentSource, Role
from desktop.services.history_import import ImportField
from desktop.services.office import Office
from desktop.services.session import CurrentUser
from desktop.views.import_dialog import NOT_MAPPED, ImportDialog
from desktop.views.main_window import MainWindow
from tests.conftest import WindowAs

MakeUser = Callable[..., CurrentUser]
ROWS = [
    "Номер;Соцсеть;Ссылка;Текст;Отдел;Выявлено;Когда ответили;Примечание",
    "7;ВК;https://vk.com/wall-1_7;Яма на дороге;Отдел ЖКХ;11.02.2025 10:00;11.02.2025 14:00;",
    "8;Телеграм;;Нет воды;;12.02.2025 10:00;;звонили",
    "9;;;Куда жаловаться?;;13.02.2025 10:00;;",
    "10;ВК;https://vk.com/wall-1_10;Мусор;;32.02.2025 10:00;;",
]


def write_log(folder: Path) -> Path:
    path = folder / "журнал.csv"
    path.write_bytes("\r\n".join(ROWS).encode("cp1251"))
    return path


def open_dialog(qtbot: QtBot, window: MainWindow) -> ImportDialog:
    assert window.import_action.isEnabled()
    window.import_action.trigger()
    dialog = window.import_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.regulation_combo.count() > 0, timeout=5_000)
    return dialog


def test_the_curator_checks_maps_and_imports_a_log(
    qtbot: QtBot, office: Office, make_user: MakeUser, window_as: WindowAs, tmp_path: Path
) -> None:
    make_user("curator", Role.CURATOR)
    window = window_as("curator")
    dialog = open_dialog(qtbot, window)
    assert dialog.regulation_combo.currentData() == "otradnensky-2021"  # the office's
    assert not dialog.check_button.isEnabled() and not dialog.import_button.isEnabled()
    dialog.load_file(write_log(tmp_path))
    qtbot.waitUntil(lambda: dialog.table is not None, timeout=5_000)
    # Guessed: «Выявлено» is a known synonym; «Когда ответили» is not.
    assert dialog.combos[ImportField.DETECTED].currentText() == "Выявлено"
    assert dialog.combos[ImportField.ANSWERED].currentText() == NOT_MAPPED
    assert dialog.unused_label.text() == "Не используются столбцы: «Когда ответили», «Примечание»"
    dialog.combos[ImportField.ANSWERED].setCurrentText("Когда ответили")
    assert dialog.unused_label.text() == "Не используются столбцы: «Примечание»"
    dialog.check_button.click()
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=5_000)
    assert "Можно импортировать: 2 (с ответом 1; без ответа 1" in dialog.summary_label.text()
    assert "Строк с ошибками: 2" in dialog.summary_label.text()
    bad = [
        (dialog.bad_table.item(row, 0).text(), dialog.bad_table.item(row, 1).text())
        for row in range(dialog.bad_table.rowCount())
    ]
    assert bad == [
        ("4", "Не указаны ни соцсеть, ни ссылка на сообщение"),
        ("5", "Дата выявления: такой даты нет — «32.02.2025 10:00»"),
    ]
    # Changing the source drops the checked plan: what is imported is what was last shown.
    dialog.monitoring_box.setChecked(True)
    assert dialog.plan is None and not dialog.import_button.isEnabled()
    dialog.check_button.click()
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=5_000)
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=10_000)
    assert "Импортировано: 2 (№ 1–2); с ответом 1, из них в срок 1." in dialog.summary_label.text()
    assert "Созданы отделы: Отдел ЖКХ." in dialog.summary_label.text()
    numbers = {i.external_number: i.source for i in Incident.select()}
    assert numbers == {"7": IncidentSource.MONITORING, "8": IncidentSource.MONITORING}
    # The queue reloaded: the open message is there, the answered one is not.
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=5_000)
    assert window.model.row_for(Incident.get(Incident.external_number == "8").id) is not None
    # Again: everything is there already, nothing to import.
    dialog.check_button.click()
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=5_000)
    assert "Уже есть в базе, будут пропущены: 2." in dialog.summary_label.text()
    assert not dialog.import_button.isEnabled()


def test_an_unreadable_file_is_said_in_the_dialog(
    qtbot: QtBot, office: Office, make_user: MakeUser, window_as: WindowAs, tmp_path: Path
) -> None:
    make_user("curator", Role.CURATOR)
    dialog = open_dialog(qtbot, window_as("curator"))
    broken = tmp_path / "журнал.xlsx"
    broken.write_bytes(b"PK\x03\x04 broken")
    dialog.load_file(broken)
    qtbot.waitUntil(lambda: bool(dialog.error_label.text()), timeout=5_000)
    assert "не удалось прочитать как книгу Excel" in dialog.error_label.text()
    assert not dialog.check_button.isEnabled()


def test_the_menu_entry_is_only_for_curators_and_administrators(
    qtbot: QtBot, office: Office, make_user: MakeUser, window_as: WindowAs
) -> None:
    make_user("operator", Role.OPERATOR)
    window = window_as("operator")
    assert window.register_action.isEnabled()
    assert not window.import_action.isEnabled()
    window.open_import()
    assert window.import_dialog is None
