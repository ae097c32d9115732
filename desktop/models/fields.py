"""Peewee field types with Otklik's storage conventions."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from peewee import TextField

_UTC_FORMAT = "%Y-%m-%d %H:%M:%S.%f"


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UtcDateTimeField(TextField):
    """An aware UTC datetime stored as fixed-width text, so text order is time order.

    Naive datetimes are refused: a local time written as UTC is the bug this prevents.
    """

    field_type = "TEXT"

    def db_value(self, value: dt.datetime | str | None) -> str | None:
        if value is None:
            return None
        if isinstance(value, str):  # already stored form, e.g. from a raw query
            return value
        if value.tzinfo is None:
            raise ValueError(f"{self.name}: naive datetime {value!r}; timestamps are stored in UTC")
        return value.astimezone(dt.UTC).strftime(_UTC_FORMAT)

    def python_value(self, value: str | None) -> dt.datetime | None:
        if value is None:
            return None
        # fromisoformat reads the stored form exactly, an order of magnitude faster than
        # strptime: the queue reads tens of thousands of these at start.
        return dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)


class JsonField(TextField):
    """A JSON document; keys sorted so that equal values store equal text."""

    def db_value(self, value: Any) -> str | None:
        if value is None:
            return None
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    def python_value(self, value: str | None) -> Any:
        return None if value is None else json.loads(value)
