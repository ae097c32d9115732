"""Where the office database is: `OTKLIK_DB`, the user's setting, the machine's, or the demo.

The administrator picks a file (a UNC path such as \\\\server\\share\\otklik\\otklik.db, a
mapped drive, or a `sqlite:///` URL); it is saved in the user's `otklik.ini`. An `otklik.ini`
beside the executable lets IT preset the location for every workstation.
"""

from __future__ import annotations

import configparser
import os
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from desktop.services.errors import UnsupportedDatabaseUrl
from desktop.services.paths import install_dir, user_config_dir, user_data_dir

ENV_DATABASE = "OTKLIK_DB"
CONFIG_FILE_NAME = "otklik.ini"
DEMO_FILE_NAME = "otklik-demo.db"


class TargetOrigin(StrEnum):
    ENVIRONMENT = "environment"
    USER_SETTING = "user_setting"
    MACHINE_SETTING = "machine_setting"
    COMMAND_LINE = "command_line"
    DEMO = "demo"


@dataclass(frozen=True)
class DatabaseTarget:
    """A SQLite file to open. `location` is what the user typed, kept for display."""

    location: str
    origin: TargetOrigin

    @property
    def path(self) -> Path:
        return Path(self.location)

    @property
    def is_demo(self) -> bool:
        return self.origin is TargetOrigin.DEMO


def parse_location(text: str, origin: TargetOrigin) -> DatabaseTarget:
    """Accept a plain path (local, mapped drive, UNC) or a `sqlite:///path` URL."""
    text = text.strip().strip('"')
    if not text:
        raise UnsupportedDatabaseUrl("Не указан путь к файлу базы данных.")
    scheme, sep, rest = text.partition("://")
    # "C:\\..." and "\\\\server\\..." have no "://"; a one-letter scheme is a drive letter.
    if sep and len(scheme) > 1:
        if scheme.lower() != "sqlite":
            raise UnsupportedDatabaseUrl(
                f"Тип базы данных «{scheme}» пока не поддерживается; укажите файл SQLite.",
                detail=text,
            )
        path = rest[1:] if rest.startswith("/") else rest
        if len(path) > 2 and path[0] == "/" and path[2] == ":":  # sqlite:////C:/x.db
            path = path[1:]
        if not path or path == ":memory:":
            raise UnsupportedDatabaseUrl("В адресе базы данных нет пути к файлу.", detail=text)
        return DatabaseTarget(path, origin)
    return DatabaseTarget(text, origin)


def user_config_file() -> Path:
    return user_config_dir() / CONFIG_FILE_NAME


def machine_config_file() -> Path:
    return install_dir() / CONFIG_FILE_NAME


def _location_in(config_file: Path) -> str | None:
    if not config_file.is_file():
        return None
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(config_file, encoding="utf-8")
    value = parser.get("database", "location", fallback="").strip()
    return value or None


def demo_target() -> DatabaseTarget:
    return DatabaseTarget(str(user_data_dir() / DEMO_FILE_NAME), TargetOrigin.DEMO)


def configured_target() -> DatabaseTarget:
    """The database this workstation should open, in order of precedence."""
    env = os.environ.get(ENV_DATABASE, "").strip()
    if env:
        return parse_location(env, TargetOrigin.ENVIRONMENT)
    for config_file, origin in (
        (user_config_file(), TargetOrigin.USER_SETTING),
        (machine_config_file(), TargetOrigin.MACHINE_SETTING),
    ):
        location = _location_in(config_file)
        if location:
            return parse_location(location, origin)
    return demo_target()


def save_user_location(location: str) -> DatabaseTarget:
    """Remember the administrator's choice for this user; validates the text first."""
    target = parse_location(location, TargetOrigin.USER_SETTING)
    config_file = user_config_file()
    parser = configparser.ConfigParser(interpolation=None)
    if config_file.is_file():
        parser.read(config_file, encoding="utf-8")
    if not parser.has_section("database"):
        parser.add_section("database")
    parser.set("database", "location", target.location)
    config_file.parent.mkdir(parents=True, exist_ok=True)
    with config_file.open("w", encoding="utf-8") as handle:
        parser.write(handle)
    return target
