"""Autosave through the local journal: the share gets what was typed, and when the share is
away the journal keeps it until it returns; nothing is written over a colleague's copy, and
nothing is dropped silently."""

from __future__ import annotations

from pathlib import Path

import pytest
from desk import Desk

from desktop.models.enums import AnswerKind, ReturnReason, ReviewDecision
from desktop.services.draft_autosave import (
    draft_key,
    keep_locally,
    pending_for,
    recovery_path,
    replay_journal,
    send_to_share,
)
from desktop.services.draft_journal import DraftJournal
from desktop.services.errors import DatabaseUnavailable, RowDeleted
from desktop.services.incident_base import InvalidTransition
from desktop.services.incidents import RouteTarget
from desktop.services.office import Office


@pytest.fixture
def desk(office: Office) -> Desk:
    return Desk(office, "otradnensky-2021")


@pytest.fixture
def routed(desk: Desk) -> int:
    incident = desk.register()
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept("ЖКХ"))])
    return incident


@pytest.fixture
def journal(tmp_path: Path) -> DraftJournal:
    return DraftJournal(tmp_path / "local" / "journal.jsonl")


def assignment_id(desk: Desk, incident: int) -> int:
    return int(desk.assignment(incident, "ЖКХ").id)


def test_a_save_reaches_the_share_and_leaves_nothing_pending(
    desk: Desk, routed: int, journal: DraftJournal
) -> None:
    writer = desk.svc(desk.executors["ЖКХ"])
    key = draft_key(desk.office, routed, assignment_id(desk, routed))
    entry = keep_locally(journal, key, "Здравствуйте! Яму заделаем 🚧", AnswerKind.FINAL, None)
    saved = send_to_share(writer, desk.office, journal, entry)
    assert saved.text == "Здравствуйте! Яму заделаем 🚧"
    assert journal.pending(key.database) == []
    stored = writer.working_draft(routed)
    assert stored is not None and stored.version == saved.version


def test_while_the_share_is_away_the_journal_keeps_the_text_and_replays_it(
    desk: Desk, routed: int, journal: DraftJournal
) -> None:
    writer = desk.svc(desk.executors["ЖКХ"])
    key = draft_key(desk.office, routed, assignment_id(desk, routed))
    first = writer.save_working_draft(routed, "Здравствуйте!", assignment_id=key.assignment_id)
    entry = keep_locally(journal, key, "Здравствуйте! Яму заделаем", AnswerKind.FINAL, 1)
    share = desk.office.path.parent
    hidden = share.with_name("share-unplugged")
    share.rename(hidden)
    try:
        with pytest.raises(DatabaseUnavailable):
            send_to_share(writer, desk.office, journal, entry)
        assert pending_for(journal, key) == entry
        report = replay_journal(writer, desk.office, journal)
        assert report.unreachable and not report.saved
    finally:
        hidden.rename(share)
    report = replay_journal(writer, desk.office, journal)
    assert report.saved == [key]
    assert journal.pending(key.database) == []
    stored = writer.working_draft(routed)
    assert stored is not None and stored.text == "Здравствуйте! Яму заделаем"
    assert stored.version == first.version + 1


def test_a_colleagues_newer_copy_is_not_overwritten_by_the_replay(
    desk: Desk, routed: int, journal: DraftJournal
) -> None:
    mine = desk.svc(desk.executors["ЖКХ"])
    colleague = desk.svc(desk.person("executor-b", "ЖКХ", *desk.executors["ЖКХ"].roles))
    key = draft_key(desk.office, routed, assignment_id(desk, routed))
    base = mine.save_working_draft(routed, "Начало")
    keep_locally(journal, key, "Начало, моё продолжение", AnswerKind.FINAL, base.version)
    colleague.save_working_draft(routed, "Начало, продолжение коллеги", expected_version=1)
    report = replay_journal(mine, desk.office, journal)
    assert [e.text for e in report.conflicts] == ["Начало, моё продолжение"]
    assert pending_for(journal, key) is not None  # offered the next time the editor opens
    stored = mine.working_draft(routed)
    assert stored is not None and stored.text == "Начало, продолжение коллеги"


def test_a_text_the_share_already_has_is_settled_without_a_conflict(
    desk: Desk, routed: int, journal: DraftJournal
) -> None:
    writer = desk.svc(desk.executors["ЖКХ"])
    key = draft_key(desk.office, routed, assignment_id(desk, routed))
    writer.save_working_draft(routed, "Один и тот же текст")
    keep_locally(journal, key, "Один и тот же текст", AnswerKind.FINAL, None)
    report = replay_journal(writer, desk.office, journal)
    assert not report.conflicts and journal.pending(key.database) == []


def test_a_draft_that_can_no_longer_be_saved_goes_to_the_recovery_file(
    desk: Desk, routed: int, journal: DraftJournal
) -> None:
    writer = desk.svc(desk.executors["ЖКХ"])
    key = draft_key(desk.office, routed, assignment_id(desk, routed))
    keep_locally(journal, key, "Текст, набранный до закрытия", AnswerKind.FINAL, None)
    desk.svc(desk.curator).close_not_to_answer(routed, "Нецензурная брань")
    report = replay_journal(writer, desk.office, journal)
    assert [e.text for e in report.recovered] == ["Текст, набранный до закрытия"]
    assert journal.pending(key.database) == []
    assert "Текст, набранный до закрытия" in recovery_path().read_text(encoding="utf-8")


def test_drafts_open_in_an_editor_are_left_to_it(
    desk: Desk, routed: int, journal: DraftJournal
) -> None:
    writer = desk.svc(desk.executors["ЖКХ"])
    key = draft_key(desk.office, routed, assignment_id(desk, routed))
    keep_locally(journal, key, "Пишется в редакторе", AnswerKind.FINAL, None)
    report = replay_journal(writer, desk.office, journal, skip=frozenset({key}))
    assert not report.saved and pending_for(journal, key) is not None
    assert writer.working_draft(routed) is None


def test_another_databases_drafts_wait_for_it(
    desk: Desk, routed: int, journal: DraftJournal, tmp_path: Path
) -> None:
    writer = desk.svc(desk.executors["ЖКХ"])
    other = draft_key(desk.office, routed, None)
    other = type(other)(str(tmp_path / "other.db"), routed, None)
    keep_locally(journal, other, "Для другой базы", AnswerKind.FINAL, None)
    assert not replay_journal(writer, desk.office, journal).anything
    assert journal.pending(other.database) != []


def test_a_late_save_after_the_submit_does_not_bring_the_working_copy_back(
    desk: Desk, routed: int
) -> None:
    writer = desk.svc(desk.executors["ЖКХ"])
    copy = writer.save_working_draft(routed, "Черновик")
    writer.submit_draft(routed, "Ответ")
    with pytest.raises(InvalidTransition):  # the answer waits for the curator
        writer.save_working_draft(routed, "Дописанное после", expected_version=copy.version)
    assert writer.working_draft(routed) is None


def test_a_save_over_a_copy_that_is_gone_is_refused(desk: Desk, routed: int) -> None:
    writer = desk.svc(desk.executors["ЖКХ"])
    copy = writer.save_working_draft(routed, "Черновик")
    answer = writer.submit_draft(routed, "Ответ")
    desk.svc(desk.curator).review(
        routed, answer, ReviewDecision.RETURN, reasons=[ReturnReason.FORMAT]
    )
    with pytest.raises(RowDeleted):  # typed over the copy the submit replaced
        writer.save_working_draft(routed, "Старый текст", expected_version=copy.version)
    assert writer.working_draft(routed) is None


def test_text_typed_offline_over_a_draft_submitted_meanwhile_goes_to_recovery(
    desk: Desk, routed: int, journal: DraftJournal
) -> None:
    writer = desk.svc(desk.executors["ЖКХ"])
    key = draft_key(desk.office, routed, assignment_id(desk, routed))
    copy = writer.save_working_draft(routed, "Начало", assignment_id=key.assignment_id)
    keep_locally(journal, key, "Начало, набранное без связи", AnswerKind.FINAL, copy.version)
    colleague = desk.svc(desk.person("executor-b", "ЖКХ", *desk.executors["ЖКХ"].roles))
    colleague.submit_draft(routed, "Ответ коллеги")
    report = replay_journal(writer, desk.office, journal)
    assert [e.text for e in report.recovered] == ["Начало, набранное без связи"]
    assert not report.saved and writer.working_draft(routed) is None
    assert "Начало, набранное без связи" in recovery_path().read_text(encoding="utf-8")
