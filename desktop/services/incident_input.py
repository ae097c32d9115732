"""What people type into a card, cleaned and checked before anything is written.

Citizens' texts carry emoji, which stay; invisible characters pasted from browsers (zero-width
spaces, direction marks, control characters) are removed, except inside emoji sequences
where the zero-width joiner holds a family or a flag together. Every refusal is a
`ValidationError` with a Russian message naming the field.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from urllib.parse import urlsplit

from desktop.services.errors import ValidationError

MAX_TEXT_LENGTH = 50_000
MAX_LINE_LENGTH = 300
MAX_URL_LENGTH = 2_000
# A moment a little ahead of this computer's clock is another workstation's clock drift.
CLOCK_SKEW = dt.timedelta(minutes=5)
_ZWJ = "\u200d"
_HOST = re.compile(
    r"^(?=.{1,253}$)([a-z0-9\u0430-\u044f\u0451-]{1,63}\.)+[a-z\u0430-\u044f\u0451]{2,63}$"
)


def _is_emoji(char: str) -> bool:
    return unicodedata.category(char) == "So" or 0x1F000 <= ord(char) <= 0x1FAFF


def _visible(text: str) -> str:
    kept: list[str] = []
    for i, char in enumerate(text):
        if char in "\n\t":
            kept.append(char)
        elif char == _ZWJ:
            # A joiner between two emoji is part of one picture (👨‍👩‍👧); elsewhere it is noise.
            before = text[i - 1] if i else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            if (
                before
                and after
                and _is_emoji(before.rstrip("\ufe0f") or before)
                and _is_emoji(after)
            ):
                kept.append(char)
        elif char == "\ufe0f" or char.isprintable():  # the emoji presentation selector
            kept.append(char)
        elif unicodedata.category(char) == "Zs":  # a no-break or thin space still separates
            kept.append(" ")
        elif unicodedata.category(char) in ("Zl", "Zp"):
            kept.append("\n")
    return "".join(kept)


def clean_text(text: str, field: str = "Текст сообщения", limit: int = MAX_TEXT_LENGTH) -> str:
    """Multi-line text: invisible characters out, line ends normalised, trimmed, not empty."""
    if not isinstance(text, str):
        raise ValidationError(f"{field}: ожидается текст.")
    cleaned = _visible(text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if not cleaned:
        raise ValidationError(f"{field} пуст.")
    if len(cleaned) > limit:
        raise ValidationError(f"{field} длиннее {limit} символов ({len(cleaned)}); сократите его.")
    return cleaned


def clean_line(text: str, field: str, *, required: bool = False) -> str:
    """One line: a name, a number. Inner runs of spaces become one space."""
    if not isinstance(text, str):
        raise ValidationError(f"{field}: ожидается текст.")
    cleaned = " ".join(_visible(text).split())
    if required and not cleaned:
        raise ValidationError(f"Укажите {field.lower()}.")
    if len(cleaned) > MAX_LINE_LENGTH:
        raise ValidationError(f"{field} длиннее {MAX_LINE_LENGTH} символов.")
    return cleaned


def clean_url(text: str, field: str, *, required: bool = False) -> str:
    """A web address: http(s), a real host name, no spaces. Empty is allowed if not required."""
    url = "".join(_visible(text).split()) if isinstance(text, str) else ""
    if not url:
        if required:
            raise ValidationError(f"Укажите {field.lower()}.")
        return ""
    if len(url) > MAX_URL_LENGTH:
        raise ValidationError(f"{field} длиннее {MAX_URL_LENGTH} символов.")
    if any(ch.isspace() for ch in text.strip()):
        raise ValidationError(
            f"{field} не похожа на адрес страницы: в ней пробелы — «{text.strip()}»."
        )
    candidate = url if "://" in url else f"https://{url}"
    try:
        parts = urlsplit(candidate)
        host = (parts.hostname or "").casefold()
    except ValueError:
        host, parts = "", None
    if parts is None or parts.scheme not in ("http", "https") or not _HOST.match(host):
        raise ValidationError(
            f"{field} не похожа на адрес страницы: «{url}». Скопируйте её из адресной строки "
            "браузера, например https://vk.com/wall-1_2."
        )
    return url


def check_moment(
    moment: dt.datetime | None, field: str, now: dt.datetime, *, required: bool = False
) -> dt.datetime | None:
    """An aware moment that is not in the future."""
    if moment is None:
        if required:
            raise ValidationError(f"Укажите {field.lower()}.")
        return None
    if not isinstance(moment, dt.datetime) or moment.tzinfo is None:
        raise ValidationError(f"{field}: момент без часового пояса.")
    if moment > now + CLOCK_SKEW:
        raise ValidationError(f"{field} в будущем: {moment:%d.%m.%Y %H:%M} UTC.")
    return moment.astimezone(dt.UTC)


def clean_note(text: str, field: str = "Заметка", limit: int = 5_000) -> str:
    """Free text that may be empty: a note, a comment."""
    if not isinstance(text, str):
        raise ValidationError(f"{field}: ожидается текст.")
    cleaned = _visible(text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if len(cleaned) > limit:
        raise ValidationError(f"{field} длиннее {limit} символов; сократите.")
    return cleaned
