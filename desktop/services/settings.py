"""Office-wide settings stored in the shared database (one value per key, JSON)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from desktop.models.database import reads, writes
from desktop.models.entities import Setting
from desktop.services.errors import ValidationError

DEFAULTS: dict[str, Any] = {
    "office_name": "Администрация муниципального образования",
    "timezone": "Europe/Moscow",
    "regulation": "otradnensky-2021",
    "backup_dir": "",  # empty: a "backups" folder beside the database
    "backup_keep": 14,
    "last_backup_day": "",
}


@dataclass(frozen=True)
class OfficeSettings:
    office_name: str
    timezone: str
    regulation: str
    backup_dir: str
    backup_keep: int

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@reads
def get_value(key: str) -> Any:
    row = Setting.get_or_none(Setting.key == key)
    return DEFAULTS.get(key) if row is None else row.value


def put_value(key: str, value: Any) -> None:
    """Upsert inside the caller's transaction (or its own)."""
    Setting.insert(key=key, value=value).on_conflict_replace().execute()


@writes
def set_values(values: dict[str, Any]) -> None:
    if "timezone" in values:
        try:
            ZoneInfo(str(values["timezone"]))
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValidationError(f"Неизвестный часовой пояс: {values['timezone']}") from exc
    for key, value in values.items():
        put_value(key, value)


@reads
def office_settings() -> OfficeSettings:
    stored = {row.key: row.value for row in Setting.select()}
    merged = {**DEFAULTS, **stored}
    return OfficeSettings(
        office_name=str(merged["office_name"]),
        timezone=str(merged["timezone"]),
        regulation=str(merged["regulation"]),
        backup_dir=str(merged["backup_dir"]),
        backup_keep=int(merged["backup_keep"]),
    )
