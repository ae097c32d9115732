"""What other workstations changed since this one last looked.

`PRAGMA data_version` changes when another connection commits; reading it costs no table
access, so an idle poll every second is nearly free even over SMB. Only when it moved (or this
process wrote) do we read the new `change_log` rows, which triggers fill on every write.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from desktop.models.database import bound_database, local_write_count, reads

PRUNE_KEEP_ROWS = 200_000


@dataclass(frozen=True)
class Changes:
    """Row ids per table (`incident`, `assignment`, …) changed since the previous poll."""

    rows: dict[str, frozenset[int]] = field(default_factory=dict)
    # True when the feed could not tell what changed (first poll after a gap): reload all.
    everything: bool = False

    def __bool__(self) -> bool:
        return self.everything or bool(self.rows)

    def ids(self, entity: str) -> frozenset[int]:
        return self.rows.get(entity, frozenset())


class ChangeFeed:
    def __init__(self) -> None:
        self._last_id = self._max_id()
        self._data_version = self._read_data_version()
        self._local_writes = local_write_count()

    @staticmethod
    @reads
    def _max_id() -> int:
        row = bound_database().execute_sql('SELECT max("id") FROM "change_log"').fetchone()
        return int(row[0] or 0)

    @staticmethod
    @reads
    def _read_data_version() -> int:
        return int(bound_database().execute_sql("PRAGMA data_version").fetchone()[0])

    def poll(self) -> Changes:
        """Changes since the last poll. Raises `DatabaseUnavailable` when the share is gone."""
        version = self._read_data_version()
        writes = local_write_count()
        if version == self._data_version and writes == self._local_writes:
            return Changes()
        self._data_version, self._local_writes = version, writes
        return self._read_since()

    @reads
    def _read_since(self) -> Changes:
        rows = (
            bound_database()
            .execute_sql(
                'SELECT "id", "entity", "row_id" FROM "change_log" WHERE "id" > ? ORDER BY "id"',
                (self._last_id,),
            )
            .fetchall()
        )
        if not rows:
            return Changes()
        first_id = rows[0][0]
        # Ids are AUTOINCREMENT; a gap at the start means older rows were pruned meanwhile.
        gap = first_id > self._last_id + 1 and self._last_id > 0 and self._pruned_past_us()
        changed: defaultdict[str, set[int]] = defaultdict(set)
        for _, entity, row_id in rows:
            changed[entity].add(int(row_id))
        self._last_id = int(rows[-1][0])
        return Changes({k: frozenset(v) for k, v in changed.items()}, everything=gap)

    def _pruned_past_us(self) -> bool:
        row = bound_database().execute_sql('SELECT min("id") FROM "change_log"').fetchone()
        return row[0] is not None and int(row[0]) > self._last_id + 1


def prune_change_log(keep_rows: int = PRUNE_KEEP_ROWS) -> int:
    """Delete all but the newest `keep_rows` rows; call inside a write transaction."""
    db = bound_database()
    row = db.execute_sql('SELECT max("id") FROM "change_log"').fetchone()
    newest = int(row[0] or 0)
    cursor = db.execute_sql('DELETE FROM "change_log" WHERE "id" <= ?', (newest - keep_rows,))
    return int(cursor.rowcount)
