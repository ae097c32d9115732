"""Which events deserve an alert, to whom, and when: each once, in working hours only.

A press office works office hours; a notification at 03:00 reaches nobody. An alert that
comes up outside working time waits for the next opening and is shown then, once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from desktop.models.enums import Importance, Role
from desktop.services.countdown import Level
from desktop.services.formatting import format_moment
from desktop.services.queue import QueueRow
from desktop.services.queue_filter import Me, QueueFilter
from desktop.services.titles import NETWORK_TITLES, STEP_KIND_TITLES
from desktop.services.workcalendar import WorkCalendar

# Roles that look after the whole office's queue; the others hear about their own messages.
_WHOLE_QUEUE = frozenset({Role.OPERATOR, Role.CURATOR, Role.MANAGER})


class AlertKind(StrEnum):
    HIGH_ARRIVED = "high_arrived"
    QUARTER_LEFT = "quarter_left"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class Alert:
    kind: AlertKind
    incident_id: int
    number: int
    title: str
    text: str
    step: tuple[object, object] | None = None  # (kind, started at) of the step it is about

    def still_holds(self, row: QueueRow | None) -> bool:
        """Worth showing yet: the message is still open and (for a step's alert) that step
        is still the one running."""
        if row is None:
            return False
        return self.step is None or (row.step, row.step_started_at) == self.step

    @property
    def urgent(self) -> bool:
        return self.kind is not AlertKind.QUARTER_LEFT


class AlertPolicy:
    """Turns queue events into alerts for one user: relevant, once each, in working hours."""

    def __init__(
        self, calendar: WorkCalendar, zone: ZoneInfo, roles: frozenset[Role], me: Me
    ) -> None:
        self._calendar = calendar
        self._zone = zone
        self._everything = bool(roles & _WHOLE_QUEUE)
        self._me = me
        self._given: set[tuple[AlertKind, int, object]] = set()
        self._held: list[Alert] = []

    def set_calendar(self, calendar: WorkCalendar, zone: ZoneInfo) -> None:
        self._calendar, self._zone = calendar, zone

    def set_user(self, roles: frozenset[Role], me: Me) -> None:
        """Roles or department changed: relevance follows; what was said stays said."""
        self._everything = bool(roles & _WHOLE_QUEUE)
        self._me = me

    # --- events -------------------------------------------------------------------------------
    def arrived(self, before: QueueRow | None, row: QueueRow, now: dt.datetime) -> list[Alert]:
        """A row came in or changed: a message that is (now) of high importance alerts."""
        if row.importance is not Importance.HIGH:
            return []
        if before is not None and before.importance is Importance.HIGH:
            return []
        network = NETWORK_TITLES[row.network]
        place = f", {row.location}" if row.location else ""
        return self._offer(
            Alert(
                AlertKind.HIGH_ARRIVED,
                row.incident_id,
                row.number,
                f"Повышенная важность: № {row.number}",
                f"{network}{place}: {row.summary}",
            ),
            row,
            key=None,
            now=now,
        )

    def crossed(self, row: QueueRow, level: Level, now: dt.datetime) -> list[Alert]:
        """A running step's countdown fell under a quarter, or ran out."""
        if row.step is None or level not in (Level.SOON, Level.OVERDUE):
            return []
        step = STEP_KIND_TITLES[row.step]
        due = format_moment(row.step_due_at, self._zone)
        key = (row.step, row.step_started_at)
        if level is Level.OVERDUE:
            alert = Alert(
                AlertKind.OVERDUE,
                row.incident_id,
                row.number,
                f"Просрочено: № {row.number}",
                f"{step}: срок истёк {due}. {row.summary}",
                step=key,
            )
        else:
            alert = Alert(
                AlertKind.QUARTER_LEFT,
                row.incident_id,
                row.number,
                f"Меньше четверти срока: № {row.number}",
                f"{step}: срок {due}. {row.summary}",
                step=key,
            )
        return self._offer(alert, row, key=key, now=now)

    def due_now(self, now: dt.datetime, still: Callable[[Alert], bool]) -> list[Alert]:
        """Alerts held outside working hours, once the office opens; `still(alert)` drops
        those the night made pointless (the message was closed, the step done)."""
        if not self._held or not self._working(now):
            return []
        held, self._held = self._held, []
        return [alert for alert in held if still(alert)]

    # --- rules ----------------------------------------------------------------------------
    def _relevant(self, row: QueueRow) -> bool:
        return self._everything or QueueFilter(mine=True).accepts(row, Level.NONE, self._me)

    def _working(self, now: dt.datetime) -> bool:
        local = now.astimezone(self._zone).replace(tzinfo=None)
        return self._calendar.is_working_time(local)

    def _offer(self, alert: Alert, row: QueueRow, *, key: object, now: dt.datetime) -> list[Alert]:
        identity = (alert.kind, alert.incident_id, key)
        if identity in self._given or not self._relevant(row):
            return []
        self._given.add(identity)
        if self._working(now):
            return [alert]
        self._held.append(alert)
        return []
