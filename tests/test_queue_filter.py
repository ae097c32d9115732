"""The queue's filters, one criterion at a time and together."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.models.enums import Importance, IncidentStatus, Network, StepKind
from desktop.services.countdown import Level
from desktop.services.queue import QueueRow
from desktop.services.queue_filter import Me, QueueFilter

NOW = dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC)


def row(**fields: object) -> QueueRow:
    values: dict[str, object] = {
        "incident_id": 1,
        "number": 1,
        "network": Network.VK,
        "author": "Пётр",
        "summary": "Яма",
        "topic": "Дороги",
        "location": "центр",
        "departments": "ЖКХ",
        "status": IncidentStatus.ROUTED,
        "importance": Importance.NORMAL,
        "detected_at": NOW,
        "answer_due_at": None,
        "version": 1,
        "step": StepKind.DRAFT,
        "topic_id": 7,
        "department_ids": frozenset({3}),
        "people": frozenset({11}),
    }
    values.update(fields)
    return QueueRow(**values)  # type: ignore[arg-type]


NOBODY = Me(None)


@pytest.mark.parametrize(
    ("queue_filter", "accepted", "rejected"),
    [
        (QueueFilter(department_id=3), row(), row(department_ids=frozenset({4}))),
        (QueueFilter(status=IncidentStatus.NEW), row(status=IncidentStatus.NEW), row()),
        (QueueFilter(step=StepKind.DRAFT), row(), row(step=StepKind.REVIEW)),
        (QueueFilter(high_only=True), row(importance=Importance.HIGH), row()),
        (QueueFilter(network=Network.OK), row(network=Network.OK), row()),
        (QueueFilter(topic_id=7), row(), row(topic_id=None)),
        (QueueFilter(matching=frozenset({1})), row(), row(incident_id=2)),
    ],
)
def test_each_filter_keeps_what_it_names(
    queue_filter: QueueFilter, accepted: QueueRow, rejected: QueueRow
) -> None:
    assert queue_filter.active
    assert queue_filter.accepts(accepted, Level.CALM, NOBODY)
    assert not queue_filter.accepts(rejected, Level.CALM, NOBODY)


def test_mine_is_where_i_take_part_or_my_department_has_it() -> None:
    mine = QueueFilter(mine=True)
    assert mine.accepts(row(), Level.CALM, Me(11))
    assert not mine.accepts(row(), Level.CALM, Me(12))
    assert mine.accepts(row(), Level.CALM, Me(12, department_id=3))
    assert not mine.accepts(row(), Level.CALM, NOBODY)


def test_overdue_only_follows_the_countdown() -> None:
    overdue = QueueFilter(overdue_only=True)
    assert overdue.depends_on_time
    assert overdue.accepts(row(), Level.OVERDUE, NOBODY)
    assert not overdue.accepts(row(), Level.SOON, NOBODY)


def test_filters_combine_and_an_empty_search_result_shows_nothing() -> None:
    both = QueueFilter(high_only=True, department_id=3)
    assert both.accepts(row(importance=Importance.HIGH), Level.CALM, NOBODY)
    elsewhere = row(importance=Importance.HIGH, department_ids=frozenset())
    assert not both.accepts(elsewhere, Level.CALM, NOBODY)
    assert not QueueFilter(matching=frozenset()).accepts(row(), Level.CALM, NOBODY)
    assert not QueueFilter().active
