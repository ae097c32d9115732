"""Autosave of the answer being typed: first into the local journal, then onto the share.

The editor calls `keep_locally` on every pause (it returns at once: a line appended to a file
on the workstation's own disk), then `send_to_share` in the database thread. When the share
is away the text stays in the journal; `replay_journal` writes every pending text back when
the share returns or the program starts again, so killing the program, a dropped network or a
power cut loses nothing typed before the last autosave.

A text is never written over a working copy the writer did not see: each entry carries the
version it was typed over. When the share holds a newer copy meanwhile (a colleague of the
same department), the entry stays in the journal and the editor offers it the next time the
draft is opened. A text whose draft is gone for good (submitted, closed, taken away) is added
to a recovery file the user can open, never dropped silently.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from desktop.models.enums import AnswerKind, ExplanationGround
from desktop.models.fields import utcnow
from desktop.services.draft_journal import DraftJournal, DraftKey, JournalEntry
from desktop.services.errors import ConflictError, KnownDatabaseError, RowDeleted
from desktop.services.incidents import IncidentService, WorkingDraft
from desktop.services.office import Office, check_reachable
from desktop.services.paths import user_data_dir

log = logging.getLogger(__name__)

RECOVERED_NAME = "recovered-drafts.txt"


def draft_key(office: Office, incident_id: int, assignment_id: int | None) -> DraftKey:
    return DraftKey(str(office.path), incident_id, assignment_id)


def keep_locally(
    journal: DraftJournal,
    key: DraftKey,
    text: str,
    kind: AnswerKind,
    base_version: int | None,
    ground: ExplanationGround | None = None,
) -> JournalEntry:
    return journal.record(
        key,
        kind=str(kind),
        text=text,
        base_version=base_version,
        typed_at=utcnow().isoformat(),
        ground="" if ground is None else str(ground),
    )


def send_to_share(
    service: IncidentService, office: Office, journal: DraftJournal, entry: JournalEntry
) -> WorkingDraft:
    """Write `entry` as the working copy and settle it in the journal. Raises what the save
    raised (`KnownDatabaseError` when the share is away: the entry stays pending)."""
    # A vanished share can leave an open handle that still "works" on some systems: ask the
    # file system first, so the journal, not a ghost file, keeps the text.
    check_reachable(office.path)
    saved = service.save_working_draft(
        entry.key.incident_id,
        entry.text,
        kind=AnswerKind(entry.kind),
        assignment_id=entry.key.assignment_id,
        expected_version=entry.base_version,
        ground=ExplanationGround(entry.ground) if entry.ground else None,
    )
    journal.settle(entry.key, entry.seq)
    return saved


def recovery_path() -> Path:
    return user_data_dir() / RECOVERED_NAME


def keep_for_recovery(entry: JournalEntry, why: str) -> Path:
    """The text of a draft that can no longer be saved goes to a file the user can open."""
    path = recovery_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(
            f"--- сообщение id {entry.key.incident_id}, набрано {entry.typed_at} "
            f"(UTC), база {entry.key.database}\n--- не записано: {why}\n{entry.text}\n\n"
        )
    return path


@dataclass
class ReplayReport:
    saved: list[DraftKey] = field(default_factory=list)
    conflicts: list[JournalEntry] = field(default_factory=list)  # left in the journal
    recovered: list[JournalEntry] = field(default_factory=list)  # written to the recovery file
    unreachable: bool = False  # the share went away again: the rest waits

    @property
    def anything(self) -> bool:
        return bool(self.saved or self.conflicts or self.recovered)


def replay_journal(
    service: IncidentService,
    office: Office,
    journal: DraftJournal,
    skip: frozenset[DraftKey] = frozenset(),
) -> ReplayReport:
    """Write the texts the share missed (the database thread, after opening or reconnecting);
    `skip`: drafts open in an editor, which sends its own."""
    report = ReplayReport()
    for entry in journal.pending(str(office.path)):
        if entry.key in skip:
            continue
        try:
            send_to_share(service, office, journal, entry)
        except ConflictError:
            current = service.working_draft(entry.key.incident_id, entry.key.assignment_id)
            if current is not None and current.text == entry.text:
                journal.settle(entry.key, entry.seq)  # the share has it already
            else:
                report.conflicts.append(entry)
            continue
        except RowDeleted as exc:  # the working copy was submitted meanwhile
            keep_for_recovery(entry, exc.user_message)
            journal.settle(entry.key, entry.seq)
            report.recovered.append(entry)
            continue
        except KnownDatabaseError:
            report.unreachable = True
            break
        except (ValueError, PermissionError) as exc:  # submitted, closed, no longer theirs
            keep_for_recovery(entry, str(exc))
            journal.settle(entry.key, entry.seq)
            report.recovered.append(entry)
            continue
        report.saved.append(entry.key)
    if report.anything:
        log.info(
            "draft journal replayed: %d saved, %d in conflict, %d to the recovery file",
            len(report.saved),
            len(report.conflicts),
            len(report.recovered),
        )
    return report


def pending_for(journal: DraftJournal, key: DraftKey) -> JournalEntry | None:
    """The newest text of this draft that the share has not taken, if any."""
    return next((e for e in journal.pending(key.database) if e.key == key), None)
