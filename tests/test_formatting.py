"""Dates in the office's time zone and Russian plurals."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from desktop.services.errors import ValidationError
from desktop.services.formatting import conflict_question, format_moment, parse_moment, plural

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


@pytest.mark.parametrize("untouched", ["", "..  :", "__.__.____ __:__", "  .  .      :  "])
def test_an_untouched_moment_field_means_no_moment(untouched: str) -> None:
    assert parse_moment(untouched, ZoneInfo("Europe/Moscow")) is None


def test_a_typed_moment_is_read_in_the_office_zone() -> None:
    moment = parse_moment("24.11.2026 14:30", ZoneInfo("Asia/Yekaterinburg"), "Размещено")
    assert moment == dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC)


def test_a_half_typed_moment_names_its_field() -> None:
    with pytest.raises(ValidationError, match="Размещено: пишите"):
        parse_moment("24.11.2026 14:", ZoneInfo("Europe/Moscow"), "Размещено")
