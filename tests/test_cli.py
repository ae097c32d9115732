"""`otklik-cli`: messages in Russian, exit codes, never a traceback for a known problem."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from desktop import cli
from desktop.models.migrations import LATEST_VERSION
from desktop.services.office import Office


def run(*args: str) -> int:
    return cli.main(list(args))


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        run("--version")
    assert caught.value.code == 0
    assert capsys.readouterr().out.startswith("otklik ")


def test_info_describes_the_database(office: Office, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("--db", str(office.path), "info") == cli.EXIT_OK
    out = capsys.readouterr().out
    assert f"База данных: {office.path}" in out
    assert f"Версия схемы: {LATEST_VERSION}" in out


def test_migrate_on_a_current_database(office: Office, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("--db", str(office.path), "migrate") == cli.EXIT_OK
    assert "актуальна" in capsys.readouterr().out


def test_the_environment_variable_selects_the_database(
    office: Office, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("OTKLIK_DB", str(office.path))
    assert run("info") == cli.EXIT_OK
    assert str(office.path) in capsys.readouterr().out


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_text("hello", encoding="utf-8"), "не является базой данных Отклика"),
        (lambda p: None, "не найден"),
    ],
)
def test_bad_files_get_a_russian_message_and_code_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make: object, message: str
) -> None:
    path = tmp_path / "otklik.db"
    make(path)  # type: ignore[operator]
    assert run("--db", str(path), "info") == cli.EXIT_REFUSED
    captured = capsys.readouterr()
    assert message in captured.err
    assert "Traceback" not in captured.err


def test_unsupported_url(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("--db", "postgresql://host/otklik", "info") == cli.EXIT_REFUSED
    assert "не поддерживается" in capsys.readouterr().err


def test_the_console_script_runs_as_a_module(office: Office) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "desktop.cli", "--db", str(office.path), "verify"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Журнал изменений: ok" in result.stdout


def test_demo_without_out_replaces_the_apps_demo_database(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import sqlite3
    from contextlib import closing

    from desktop.services.config import demo_target

    path = demo_target().path
    assert run("demo", "--incidents", "5") == cli.EXIT_OK
    assert run("demo", "--incidents", "8") == cli.EXIT_OK  # a second run replaces the first
    assert "заменена" in capsys.readouterr().out
    with closing(sqlite3.connect(path)) as check:
        assert check.execute("SELECT count(*) FROM incident").fetchone() == (8,)
    assert not path.with_name(path.name + ".new").exists()


def test_demo_never_overwrites_a_named_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    taken = tmp_path / "mine.db"
    taken.write_bytes(b"important")
    assert run("demo", "--out", str(taken)) == cli.EXIT_REFUSED
    assert taken.read_bytes() == b"important"


def test_spell_prints_each_mistake_with_its_suggestions(
    office: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run("--db", str(office.path), "spell", "Приветсвую жителей!\nМы всё зделаем.")
    assert code == cli.EXIT_PROBLEM
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("1:1: Приветсвую → Приветствую")
    assert out[1].startswith("2:8: зделаем → сделаем, ")
    assert out[2] == "Ошибок: 2"


def test_spelling_words_are_added_listed_and_removed(
    office: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ("--db", str(office.path))
    assert run(*db, "spelling-words", "--add", "Спокойненское", "Подгорная") == cli.EXIT_OK
    assert "Словарь офиса (2): Подгорная, Спокойненское" in capsys.readouterr().out
    assert run(*db, "spell", "В Спокойненском поселении") == cli.EXIT_OK
    assert run(*db, "spelling-words", "--remove", "подгорная") == cli.EXIT_OK
    assert "Словарь офиса (1): Спокойненское" in capsys.readouterr().out
    assert run(*db, "spelling-words", "--add", "два слова") == cli.EXIT_REFUSED
    assert "одно слово" in capsys.readouterr().err


IMPORT_HEADERS = "Номер;Соцсеть;Ссылка;Текст;Отдел;Дата выявления;Когда ответили"
IMPORT_ROWS = [
    "7;ВК;https://vk.com/wall-1_7;Яма на дороге;Отдел ЖКХ;11.02.2025 10:00;11.02.2025 14:00",
    "8;Телеграм;;Нет воды;;12.02.2025 10:00;",
    "9;Жёлтые страницы;;Куда жаловаться?;;13.02.2025 10:00;",
    "10;ВК;https://vk.com/wall-1_10;Мусор;Отдел ЖКХ;32.02.2025 10:00;",
]


def write_log(folder: Path, *rows: str, encoding: str = "cp1251") -> Path:
    path = folder / "журнал.csv"
    path.write_bytes("\r\n".join((IMPORT_HEADERS, *rows)).encode(encoding))
    return path


def test_import_reports_imported_duplicates_and_bad_rows(
    office: Office, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from desktop.models.entities import Incident

    path = write_log(tmp_path, *IMPORT_ROWS)
    db = ("--db", str(office.path))
    assert run(*db, "import", str(path), "--map", "Когда ответили=Дата ответа") == cli.EXIT_PROBLEM
    out = capsys.readouterr().out.splitlines()
    assert "сроки по порядку «" in out[0]
    assert "Импортировано: 3 (№ 1–3)" in out  # an unknown network is «другое»
    assert "С ответом: 1, из них в срок: 1; без ответа (открыты в очереди): 2" in out
    assert "Созданы отделы: Отдел ЖКХ" in out
    assert "Уже есть, пропущено: 0" in out
    assert out[-2:] == [
        "Ошибки в строках: 1",
        "  строка 5: Дата выявления: такой даты нет — «32.02.2025 10:00»",
    ]
    assert Incident.select().count() == 3
    # The same file again: nothing new, said so; only good and duplicate rows → exit 0.
    write_log(tmp_path, *IMPORT_ROWS[:2], encoding="utf-8")
    assert run(*db, "import", str(path), "--map", "Когда ответили=answered_at") == cli.EXIT_OK
    out = capsys.readouterr().out.splitlines()
    assert "Импортировано: 0" in out
    assert out[-4:] == [
        "Уже есть, пропущено: 2",
        "  строка 2: уже есть № 1",
        "  строка 3: уже есть № 2",
        "Ошибки в строках: 0",
    ]
    assert Incident.select().count() == 3


def test_import_dry_run_writes_nothing(
    office: Office, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from desktop.models.entities import Incident

    path = write_log(tmp_path, *IMPORT_ROWS[:2])
    args = ("--db", str(office.path), "import", str(path), "--dry-run", "--preset", "okhinsky-2023")
    assert run(*args) == cli.EXIT_OK
    out = capsys.readouterr().out
    assert "Охинский" in out
    assert "Не использованы столбцы: «Когда ответили»" in out  # not mapped without --map
    assert "Проверка без записи: можно импортировать 2 (с ответом 0, без ответа 2" in out
    assert Incident.select().count() == 0


@pytest.mark.parametrize(
    ("content", "extra", "message"),
    [
        (b"PK\x03\x04 broken", (), "не удалось прочитать как книгу Excel"),
        (None, ("--map", "Когда ответили"), "пишите «Заголовок в файле=Поле»"),
        (None, ("--map", "Когда ответили=Когда"), "Нет такого поля «Когда»"),
        (None, ("--preset", "nowhere"), "Нет встроенного порядка «nowhere»"),
    ],
)
def test_import_refuses_what_it_cannot_read_with_code_2(
    office: Office,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: bytes | None,
    extra: tuple[str, ...],
    message: str,
) -> None:
    path = write_log(tmp_path, *IMPORT_ROWS)
    if content is not None:
        path = tmp_path / "журнал.xlsx"
        path.write_bytes(content)
    assert run("--db", str(office.path), "import", str(path), *extra) == cli.EXIT_REFUSED
    captured = capsys.readouterr()
    assert message in captured.err
    assert "Traceback" not in captured.err
