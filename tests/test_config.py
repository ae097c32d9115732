"""Where the database is: UNC paths, mapped drives, URLs, and the order of precedence."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.services import config
from desktop.services.config import TargetOrigin, configured_target, parse_location
from desktop.services.errors import UnsupportedDatabaseUrl

ORIGIN = TargetOrigin.USER_SETTING


@pytest.mark.parametrize(
    ("text", "location"),
    [
        (r"\\server\share\otklik\otklik.db", r"\\server\share\otklik\otklik.db"),
        (r"Z:\otklik\otklik.db", r"Z:\otklik\otklik.db"),
        ('"Z:\\Пресс-служба\\otklik.db"', "Z:\\Пресс-служба\\otklik.db"),
        ("/srv/otklik/otklik.db", "/srv/otklik/otklik.db"),
        ("sqlite:////srv/otklik/otklik.db", "/srv/otklik/otklik.db"),
        ("sqlite:///relative/otklik.db", "relative/otklik.db"),
        ("sqlite:////C:/otklik/otklik.db", "C:/otklik/otklik.db"),
        ("SQLITE:///C:/otklik/otklik.db", "C:/otklik/otklik.db"),
    ],
)
def test_locations_are_understood(text: str, location: str) -> None:
    assert parse_location(text, ORIGIN).location == location


@pytest.mark.parametrize("text", ["", "   ", "postgresql://user@host/otklik", "sqlite:///:memory:"])
def test_unusable_locations_are_refused_in_russian(text: str) -> None:
    with pytest.raises(UnsupportedDatabaseUrl) as caught:
        parse_location(text, ORIGIN)
    assert caught.value.user_message[0] in "НТВ"


def test_without_any_setting_the_demo_database_is_used(tmp_path: Path) -> None:
    target = configured_target()
    assert target.is_demo
    assert target.path.name == "otklik-demo.db"
    assert str(target.path).startswith(str(config.user_data_dir()))


def test_precedence_env_then_user_then_machine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    machine_dir = tmp_path / "install"
    machine_dir.mkdir()
    (machine_dir / "otklik.ini").write_text(
        "[database]\nlocation = \\\\srv\\share\\otklik.db\n", encoding="utf-8"
    )
    monkeypatch.setattr(config, "install_dir", lambda: machine_dir)
    assert configured_target().origin is TargetOrigin.MACHINE_SETTING
    assert configured_target().location == "\\\\srv\\share\\otklik.db"

    saved = config.save_user_location(r"Z:\otklik\otklik.db")
    assert saved.location == r"Z:\otklik\otklik.db"
    assert configured_target().origin is TargetOrigin.USER_SETTING

    monkeypatch.setenv("OTKLIK_DB", str(tmp_path / "env.db"))
    assert configured_target().origin is TargetOrigin.ENVIRONMENT
    assert configured_target().location == str(tmp_path / "env.db")


def test_saving_keeps_other_sections(tmp_path: Path) -> None:
    file = config.user_config_file()
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text("[ui]\nsound = off\n", encoding="utf-8")
    config.save_user_location("/srv/otklik.db")
    text = file.read_text(encoding="utf-8")
    assert "sound = off" in text
    assert "location = /srv/otklik.db" in text
