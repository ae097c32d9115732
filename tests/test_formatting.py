"""Dates in the office's time zone and Russian plurals."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from desktop.services.formatting import conflict_question, format_moment, plural

MOMENT = dt.datetime(2026, 3, 1, 21, 5, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("zone", "text"),
    [
        ("Europe/Kaliningrad", "01.03.2026 23:05"),
        ("Europe/Moscow", "02.03.2026 00:05"),
        ("Asia/Sakhalin", "02.03.2026 08:05"),
    ],
)
def test_moments_are_shown_in_the_office_zone(zone: str, text: str) -> None:
    assert format_moment(MOMENT, ZoneInfo(zone)) == text


def test_naive_moments_are_a_bug() -> None:
    with pytest.raises(ValueError, match="naive"):
        format_moment(MOMENT.replace(tzinfo=None), ZoneInfo("Europe/Moscow"))


@pytest.mark.parametrize(
    ("n", "word"),
    [
        (1, "час"),
        (2, "часа"),
        (4, "часа"),
        (5, "часов"),
        (11, "часов"),
        (12, "часов"),
        (21, "час"),
        (22, "часа"),
        (25, "часов"),
        (111, "часов"),
        (0, "часов"),
    ],
)
def test_plural(n: int, word: str) -> None:
    assert plural(n, "час", "часа", "часов") == word


def test_conflict_question_uses_local_time() -> None:
    question = conflict_question("Петрова А. И.", MOMENT, ZoneInfo("Europe/Moscow"))
    assert question == "Карточку изменил(а) Петрова А. И. в 02.03.2026 00:05 — обновить?"
