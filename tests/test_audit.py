"""The hash-chained audit log and `otklik-cli verify`."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

import pytest

from desktop import cli
from desktop.models.entities import AuditEvent
from desktop.models.enums import Role
from desktop.services.audit import verify_chain
from desktop.services.incidents import IncidentService, NewIncident
from desktop.services.office import Office
from desktop.services.session import CurrentUser

MakeUser = Callable[..., CurrentUser]


@pytest.fixture
def history(office: Office, make_user: MakeUser) -> Office:
    service = IncidentService(make_user("operator", Role.OPERATOR))
    for n in range(4):
        incident = service.register(
            NewIncident(
                text=f"Сообщение {n}",
                link=f"https://vk.com/wall-1_{n}",
                detected_at=dt.datetime(2026, 11, 2, 9, n, tzinfo=dt.UTC),
            )
        )
        service.edit(incident, 1, {"note": f"заметка {n}"})
    return office


def raw(path: Path, sql: str, *params: object) -> None:
    """Tamper the way a person with a SQLite editor would: outside Otklik entirely."""
    connection = sqlite3.connect(path)
    connection.execute(sql, params)
    connection.commit()
    connection.close()


def test_every_change_is_chained(history: Office) -> None:
    report = verify_chain()
    assert report.ok
    assert report.checked == AuditEvent.select().count() == 8
    events = list(AuditEvent.select().order_by(AuditEvent.id))
    assert [e.action for e in events[:2]] == ["register", "edit"]
    assert events[1].before == {"note": ""}
    assert events[1].after == {"note": "заметка 0"}
    assert events[1].actor_login == "operator"
    assert all(later.prev_hash == earlier.hash for earlier, later in pairwise(events))


@pytest.mark.parametrize(
    ("sql", "bad_id", "problem"),
    [
        ('UPDATE audit_event SET after = \'{"note":"подделка"}\' WHERE id = 4', 4, "изменено"),
        ("UPDATE audit_event SET actor_login = 'someone' WHERE id = 6", 6, "изменено"),
        ("UPDATE audit_event SET at = '2020-01-01 00:00:00.000000' WHERE id = 2", 2, "изменено"),
        ("DELETE FROM audit_event WHERE id = 5", 5, "удалено"),
    ],
)
def test_tampering_is_found_at_the_first_bad_event(
    history: Office, sql: str, bad_id: int, problem: str
) -> None:
    raw(history.path, sql)
    code = cli.main(["--db", str(history.path), "verify"])
    report = verify_chain()
    assert code == cli.EXIT_PROBLEM
    assert report.first_bad_id == bad_id
    assert problem in report.problem
    assert report.checked == bad_id - 1


def test_a_forged_event_with_a_recomputed_hash_breaks_the_next_link(history: Office) -> None:
    # Whoever edits an event and fixes its own hash still breaks the following event's link.
    from desktop.services.audit import event_hash

    row = history.db.execute_sql(
        'SELECT "id","at","actor_login","entity","entity_id","incident_id","action","before",'
        '"prev_hash" FROM audit_event WHERE id = 3'
    ).fetchone()
    forged_after = '{"note":"подделка"}'
    forged_hash = event_hash(
        event_id=row[0],
        at=row[1],
        actor_login=row[2],
        entity=row[3],
        entity_id=row[4],
        incident_id=row[5],
        action=row[6],
        before=row[7],
        after=forged_after,
        prev_hash=row[8],
    )
    raw(
        history.path,
        "UPDATE audit_event SET after = ?, hash = ? WHERE id = 3",
        forged_after,
        forged_hash,
    )
    report = verify_chain()
    assert report.first_bad_id == 4
    assert "связь" in report.problem


def test_verify_prints_ok_for_an_intact_log(
    history: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["--db", str(history.path), "verify"]) == cli.EXIT_OK
    out = capsys.readouterr().out
    assert "Журнал изменений: ok, проверено событий: 8" in out
    assert "Проверка целостности файла: ok" in out


def test_verify_names_the_tampered_event(
    history: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    raw(history.path, "UPDATE audit_event SET after = '{}' WHERE id = 7")
    assert cli.main(["--db", str(history.path), "verify"]) == cli.EXIT_PROBLEM
    assert "Первое изменённое событие: №7" in capsys.readouterr().out
