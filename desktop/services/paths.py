"""Where Otklik keeps per-user files. Tests and scripts redirect them with environment variables."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_DIR_NAME = "Otklik"


def user_data_dir() -> Path:
    """The demo database and local journals: %LOCALAPPDATA%\\Otklik or ~/.local/share/otklik."""
    override = os.environ.get("OTKLIK_DATA_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / APP_DIR_NAME
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / APP_DIR_NAME.lower()


def user_config_dir() -> Path:
    """The per-user configuration file: %APPDATA%\\Otklik or ~/.config/otklik."""
    override = os.environ.get("OTKLIK_CONFIG_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = os.environ.get("APPDATA") or str(Path.home() / "AppData" / "Roaming")
        return Path(base) / APP_DIR_NAME
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / APP_DIR_NAME.lower()


def install_dir() -> Path:
    """The folder of the executable (bundle) or of the package (source checkout)."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return Path(__file__).resolve().parent.parent.parent


def resources_dir() -> Path:
    bundled = getattr(sys, "_MEIPASS", None)
    if bundled:
        return Path(bundled) / "resources"
    return install_dir() / "resources"
