"""`otklik-cli init`: a new, empty office database on a regulation preset."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop import cli
from desktop.models import database
from desktop.models.entities import AuditEvent, Incident
from desktop.services.audit import verify_chain
from desktop.services.config import DatabaseTarget, TargetOrigin
from desktop.services.office import open_office
from desktop.services.office_calendar import office_hours
from desktop.services.office_hours import OfficeHours
from desktop.services.settings import get_value, office_settings


def run(*args: str) -> int:
    return cli.main(list(args))


def reopen(path: Path) -> None:
    open_office(DatabaseTarget(str(path), TargetOrigin.COMMAND_LINE))


def test_init_creates_an_empty_office_on_the_preset(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "otklik.db"
    code = run("init", "--db", str(path), "--preset", "konyshevsky-2020", "--tz", "Europe/Samara")
    assert code == cli.EXIT_OK
    out = capsys.readouterr().out
    assert f"База офиса создана: {path}" in out
    assert "Конышевский район" in out
    assert "Пн–Пт 09:00–13:00, 14:00–18:00" in out
    reopen(path)
    try:
        settings = office_settings()
        assert settings.regulation == "konyshevsky-2020"
        assert settings.timezone == "Europe/Samara"
        assert office_hours() == OfficeHours.default()
        assert get_value("office_hours") == OfficeHours.default().to_json()  # stored, not implied
        assert Incident.select().count() == 0
        assert [e.action for e in AuditEvent.select()] == ["init"]
        assert verify_chain().ok
    finally:
        database.bind(None)


def test_init_takes_the_path_before_the_command_too_and_moscow_by_default(
    tmp_path: Path,
) -> None:
    path = tmp_path / "office.db"
    assert run("--db", str(path), "init", "--preset", "barnaul-leninsky") == cli.EXIT_OK
    reopen(path)
    try:
        assert office_settings().timezone == "Europe/Moscow"
        assert office_settings().regulation == "barnaul-leninsky"
    finally:
        database.bind(None)


def test_init_refuses_an_existing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "otklik.db"
    path.write_bytes(b"precious")
    assert run("init", "--db", str(path), "--preset", "okhinsky-2023") == cli.EXIT_REFUSED
    assert "уже существует" in capsys.readouterr().err
    assert path.read_bytes() == b"precious"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--preset", "no-such-preset"], "Нет встроенного порядка «no-such-preset»"),
        (
            ["--preset", "okhinsky-2023", "--tz", "Mars/Base"],
            "Неизвестный часовой пояс «Mars/Base»",
        ),
        (["--preset", "okhinsky-2023", "--tz", "../etc"], "Неизвестный часовой пояс"),
    ],
)
def test_init_refuses_bad_input_in_russian_and_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    path = tmp_path / "otklik.db"
    assert run("init", "--db", str(path), *extra) == cli.EXIT_REFUSED
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err
    assert not path.exists()


def test_init_needs_a_path_and_an_existing_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("init", "--preset", "okhinsky-2023") == cli.EXIT_REFUSED
    assert "Укажите путь нового файла базы" in capsys.readouterr().err
    missing = tmp_path / "no-such-folder" / "otklik.db"
    assert run("init", "--db", str(missing), "--preset", "okhinsky-2023") == cli.EXIT_REFUSED
    assert "недоступна" in capsys.readouterr().err
    assert not missing.parent.exists()
