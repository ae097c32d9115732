"""Per-user window state (QSettings) kept as an INI file in Otklik's own config folder."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSettings

from desktop.services.paths import user_config_dir


def configure_settings_storage() -> None:
    QCoreApplication.setOrganizationName("Otklik")
    QCoreApplication.setApplicationName("Otklik")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(user_config_dir() / "qt")
    )
