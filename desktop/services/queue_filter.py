"""Which queue rows a person wants to see: the filters of the queue, without Qt."""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass, field

from desktop.models.enums import Importance, IncidentStatus, Network, StepKind
from desktop.services.countdown import Level
from desktop.services.queue import QueueRow


@dataclass(frozen=True)
class Me:
    """Who «мои» means: the employee, and the department whose messages they work on."""

    employee_id: int | None
    department_id: int | None = None


@dataclass(frozen=True)
class QueueFilter:
    mine: bool = False
    department_id: int | None = None
    status: IncidentStatus | None = None
    step: StepKind | None = None
    high_only: bool = False
    network: Network | None = None
    topic_id: int | None = None
    overdue_only: bool = False
    # Ids the search found; None when nothing is searched for.
    matching: Set[int] | None = field(default=None, compare=False)

    @property
    def active(self) -> bool:
        return self != QueueFilter() or self.matching is not None

    @property
    def depends_on_time(self) -> bool:
        """Rows enter and leave this filter as countdowns cross levels."""
        return self.overdue_only

    def accepts(self, row: QueueRow, level: Level, me: Me) -> bool:
        if self.mine and not _is_mine(row, me):
            return False
        if self.department_id is not None and self.department_id not in row.department_ids:
            return False
        if self.status is not None and row.status is not self.status:
            return False
        if self.step is not None and row.step is not self.step:
            return False
        if self.high_only and row.importance is not Importance.HIGH:
            return False
        if self.network is not None and row.network is not self.network:
            return False
        if self.topic_id is not None and row.topic_id != self.topic_id:
            return False
        if self.overdue_only and level is not Level.OVERDUE:
            return False
        return self.matching is None or row.incident_id in self.matching


def _is_mine(row: QueueRow, me: Me) -> bool:
    if me.employee_id is not None and me.employee_id in row.people:
        return True
    return me.department_id is not None and me.department_id in row.department_ids
