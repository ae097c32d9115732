"""Change detection for other workstations: cheap when idle, precise when something moved."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading

from desktop.models import database
from desktop.models.entities import Incident
from desktop.models.enums import Network
from desktop.services.changes import ChangeFeed, prune_change_log
from desktop.services.office import Office


def add_incident(number: int) -> int:
    return int(
        Incident.create(
            number=number,
            network=Network.VK,
            text=f"Сообщение {number}",
            detected_at=dt.datetime.now(dt.UTC),
        ).id
    )


def other_workstation(office: Office, sql: str) -> None:
    """A second connection in another thread, as another PC on the share would be."""

    def run() -> None:
        connection = sqlite3.connect(office.path)
        connection.execute(sql)
        connection.commit()
        connection.close()

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(10)


def test_an_idle_poll_reports_nothing(office: Office) -> None:
    feed = ChangeFeed()
    assert not feed.poll()
    assert not feed.poll()


def test_another_connection_change_is_seen_with_its_row(office: Office) -> None:
    first = database.run_write(lambda: add_incident(1))
    second = database.run_write(lambda: add_incident(2))
    feed = ChangeFeed()
    other_workstation(office, f"UPDATE incident SET note = 'x' WHERE id = {second}")
    changes = feed.poll()
    assert changes.ids("incident") == {second}
    assert first not in changes.ids("incident")
    assert not changes.everything
    assert not feed.poll()


def test_own_writes_are_reported_too(office: Office) -> None:
    feed = ChangeFeed()
    created = database.run_write(lambda: add_incident(1))
    assert feed.poll().ids("incident") == {created}


def test_deletes_are_reported(office: Office) -> None:
    created = database.run_write(lambda: add_incident(1))
    feed = ChangeFeed()
    other_workstation(office, f"DELETE FROM incident WHERE id = {created}")
    assert feed.poll().ids("incident") == {created}


def test_a_gap_after_pruning_asks_for_a_full_reload(office: Office) -> None:
    database.run_write(lambda: add_incident(1))
    feed = ChangeFeed()
    for n in range(2, 6):
        database.run_write(lambda n=n: add_incident(n))
    database.run_write(lambda: prune_change_log(keep_rows=1))
    changes = feed.poll()
    assert changes.everything
