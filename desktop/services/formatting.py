"""Moments and durations in the words and format the office reads: `dd.mm.yyyy HH:MM`."""

from __future__ import annotations

import datetime as dt
import errno
from zoneinfo import ZoneInfo

from desktop.services.errors import ValidationError

DATE_TIME_FORMAT = "%d.%m.%Y %H:%M"


def to_local(moment: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    if moment.tzinfo is None:
        raise ValueError("stored moments are aware UTC; got a naive datetime")
    return moment.astimezone(zone)


def format_moment(moment: dt.datetime | None, zone: ZoneInfo) -> str:
    return "" if moment is None else to_local(moment, zone).strftime(DATE_TIME_FORMAT)


def parse_moment(text: str, zone: ZoneInfo, field: str = "Момент") -> dt.datetime | None:
    """`dd.mm.yyyy HH:MM` typed in the office's time zone, as aware UTC; blank is None."""
    if not any(ch.isdigit() for ch in text):
        return None  # an untouched input mask leaves only its separators
    cleaned = " ".join(text.replace("_", " ").split())
    try:
        local = dt.datetime.strptime(cleaned, DATE_TIME_FORMAT)
    except ValueError:
        raise ValidationError(f"{field}: пишите дату и время как 24.11.2026 14:30.") from None
    return local.replace(tzinfo=zone).astimezone(dt.UTC)


def plural(n: int, one: str, few: str, many: str) -> str:
    """Russian plural: 1 час, 2 часа, 5 часов, 11 часов, 21 час."""
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def conflict_question(changed_by: str, changed_at: dt.datetime | None, zone: ZoneInfo) -> str:
    if changed_at is None:
        return f"Карточку только что изменил(а) {changed_by} — обновить?"
    return f"Карточку изменил(а) {changed_by} в {format_moment(changed_at, zone)} — обновить?"


_OS_ERRORS = {
    errno.ENOENT: "нет такого файла или папки",
    errno.EACCES: "нет прав доступа",
    errno.EPERM: "нет прав доступа",
    errno.EISDIR: "это папка, а не файл",
    errno.ENOTDIR: "часть пути — не папка",
    errno.ENOSPC: "нет места на диске",
    errno.EROFS: "диск только для чтения",
    errno.EBUSY: "файл занят другой программой",
}


def os_error_text(error: OSError) -> str:
    """What went wrong with a file, in Russian (the system's own text is English on Linux
    and depends on the Windows language)."""
    if error.errno in _OS_ERRORS:
        return _OS_ERRORS[error.errno]
    if getattr(error, "winerror", None) == 32:  # ERROR_SHARING_VIOLATION: open in Excel
        return "файл открыт в другой программе (например, в Excel) — закройте его"
    return error.strerror or str(error)
