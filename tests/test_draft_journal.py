"""The local journal of answers being typed: survives a crash, the newest text wins,
settled entries go."""

from __future__ import annotations

import json
from pathlib import Path

from desktop.services.draft_journal import DraftJournal, DraftKey

SHARE = r"\\server\otklik\otklik.db"


def key(incident: int, assignment: int | None = 3) -> DraftKey:
    return DraftKey(SHARE, incident, assignment)


def record(journal: DraftJournal, k: DraftKey, text: str, base: int | None = None) -> int:
    return journal.record(k, kind="final", text=text, base_version=base, typed_at="t").seq


def test_the_newest_text_of_each_draft_is_pending_until_settled(tmp_path: Path) -> None:
    journal = DraftJournal(tmp_path / "j.jsonl")
    record(journal, key(1), "Здравствуйте")
    latest = record(journal, key(1), "Здравствуйте! Яму заделаем 🚧", base=4)
    record(journal, key(2), "Другой ответ")
    record(journal, DraftKey("other.db", 1, 3), "Другая база")
    pending = journal.pending(SHARE)
    assert [(e.key.incident_id, e.text, e.base_version) for e in pending] == [
        (1, "Здравствуйте! Яму заделаем 🚧", 4),
        (2, "Другой ответ", None),
    ]
    journal.settle(key(1), latest)
    assert [e.key.incident_id for e in journal.pending(SHARE)] == [2]


def test_text_typed_after_the_save_began_stays_pending(tmp_path: Path) -> None:
    journal = DraftJournal(tmp_path / "j.jsonl")
    sent = record(journal, key(1), "Первая часть")
    record(journal, key(1), "Первая часть и вторая")  # typed while the first was on its way
    journal.settle(key(1), sent)
    [left] = journal.pending(SHARE)
    assert left.text == "Первая часть и вторая"


def test_a_reopened_journal_continues_and_a_torn_line_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    first = DraftJournal(path)
    record(first, key(1), "До сбоя")
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"key": {"database": "x", "incid')  # killed in the middle of a line
    again = DraftJournal(path)
    assert [e.text for e in again.pending(SHARE)] == ["До сбоя"]
    assert record(again, key(1), "После") > 1
    assert again.pending(SHARE)[0].text == "После"


def test_settling_everything_removes_the_file(tmp_path: Path) -> None:
    journal = DraftJournal(tmp_path / "j.jsonl")
    seq = record(journal, key(1), "Текст")
    journal.settle(key(1), seq)
    assert not journal.path.exists() and journal.pending(SHARE) == []


def test_an_explanations_ground_is_journaled_and_old_lines_read_without_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "j.jsonl"
    old_line = {  # written before journals knew grounds
        "key": {"database": SHARE, "incident_id": 1, "assignment_id": 3},
        "seq": 1,
        "kind": "final",
        "text": "Старая строка",
        "base_version": None,
        "typed_at": "t",
    }
    path.write_text(json.dumps(old_line, ensure_ascii=False) + "\n", encoding="utf-8")
    journal = DraftJournal(path)
    assert journal.pending(SHARE)[0].ground == ""
    journal.record(
        key(1),
        kind="explanation",
        text="Разъяснение",
        base_version=None,
        typed_at="t",
        ground="court_acts",
    )
    assert journal.pending(SHARE)[0].ground == "court_acts"
