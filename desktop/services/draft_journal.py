"""A local journal of answers being typed, for when the share cannot take them.

Every autosave is first appended here (on the workstation's own disk, flushed and synced),
then sent to the share; once the share has it, the entry is settled. If the share is gone,
or the program is killed, the journal still holds the text: it is replayed when the share
returns or the program starts again. One JSON object a line: a line torn by a crash is
skipped, never fatal.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from desktop.services.paths import user_data_dir

log = logging.getLogger(__name__)

JOURNAL_NAME = "drafts-journal.jsonl"


@dataclass(frozen=True)
class DraftKey:
    database: str  # the database's location: a journal may outlive a switch of database
    incident_id: int
    assignment_id: int | None


@dataclass(frozen=True)
class JournalEntry:
    key: DraftKey
    seq: int  # increasing within the journal: the newest entry of a key wins
    kind: str
    text: str
    base_version: int | None  # the working copy's version the text was typed over
    typed_at: str  # ISO moment, UTC
    ground: str = ""  # an explanation's ground (ExplanationGround value), "" for none


def default_journal_path() -> Path:
    return user_data_dir() / JOURNAL_NAME


class DraftJournal:
    """Append-only until settled; safe to use from the GUI and the database thread."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_journal_path()
        self._lock = threading.Lock()
        self._seq = max((entry.seq for entry in self._read()), default=0)

    def record(
        self,
        key: DraftKey,
        *,
        kind: str,
        text: str,
        base_version: int | None,
        typed_at: str,
        ground: str = "",
    ) -> JournalEntry:
        with self._lock:
            self._seq += 1
            entry = JournalEntry(key, self._seq, kind, text, base_version, typed_at, ground)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # After a kill in the middle of a line, start a new one: gluing onto the torn
            # line would lose this entry too.
            lead = "" if self._ends_with_newline() else "\n"
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(lead + json.dumps(asdict(entry), ensure_ascii=False) + "\n")
                handle.flush()
                os.fsync(handle.fileno())  # typed text survives a power cut, not only a kill
            return entry

    def _ends_with_newline(self) -> bool:
        try:
            with self.path.open("rb") as handle:
                handle.seek(0, os.SEEK_END)
                if handle.tell() == 0:
                    return True
                handle.seek(-1, os.SEEK_END)
                return handle.read(1) == b"\n"
        except FileNotFoundError:
            return True

    def pending(self, database: str) -> list[JournalEntry]:
        """The newest unsettled entry of each draft of this database, oldest first."""
        newest: dict[DraftKey, JournalEntry] = {}
        for entry in self._read():
            if entry.key.database == database:
                newest[entry.key] = entry
        return sorted(newest.values(), key=lambda entry: entry.seq)

    def settle(self, key: DraftKey, up_to_seq: int) -> None:
        """The share has the text of `key` up to `up_to_seq`: forget those entries."""
        with self._lock:
            kept = [e for e in self._read() if not (e.key == key and e.seq <= up_to_seq)]
            if not kept:
                self.path.unlink(missing_ok=True)
                return
            fresh = self.path.with_name(self.path.name + ".new")
            with fresh.open("w", encoding="utf-8") as handle:
                for entry in kept:
                    handle.write(json.dumps(asdict(entry), ensure_ascii=False) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            fresh.replace(self.path)

    def _read(self) -> Iterator[JournalEntry]:
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return
        for number, line in enumerate(lines, start=1):
            try:
                data = json.loads(line)
                yield JournalEntry(
                    key=DraftKey(**data["key"]),
                    seq=int(data["seq"]),
                    kind=str(data["kind"]),
                    text=str(data["text"]),
                    base_version=data["base_version"],
                    typed_at=str(data["typed_at"]),
                    ground=str(data.get("ground", "")),  # journals written before it had none
                )
            except (ValueError, KeyError, TypeError):
                log.warning("draft journal %s: line %d unreadable, skipped", self.path, number)
