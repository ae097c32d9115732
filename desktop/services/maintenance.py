"""Administrative reads: what is in the file and whether SQLite finds it intact."""

from __future__ import annotations

from desktop.models.database import reads
from desktop.models.entities import AuditEvent, Department, Employee, Incident
from desktop.models.enums import CLOSED_STATUSES
from desktop.services.office import Office


@reads
def integrity_problems(office: Office) -> list[str]:
    rows = office.db.execute_sql("PRAGMA integrity_check").fetchall()
    messages = [str(row[0]) for row in rows]
    return [] if messages == ["ok"] else messages


@reads
def database_summary(office: Office) -> list[tuple[str, str]]:
    open_count = Incident.select().where(Incident.status.not_in(list(CLOSED_STATUSES))).count()
    return [
        ("Версия схемы", str(office.migration.to_version)),
        ("Сообщений всего", str(Incident.select().count())),
        ("Сообщений в работе", str(open_count)),
        ("Отделов", str(Department.select().count())),
        ("Сотрудников", str(Employee.select().count())),
        ("Событий в журнале", str(AuditEvent.select().count())),
    ]
