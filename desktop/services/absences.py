"""Absences («Отсутствия»): vacations, sick leave, business trips, and who stands in.

While an employee is away, messages routed to them go to the substitute
(`incident_base.substitute_for`). Dates are the office's calendar days, both inclusive.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from desktop.models.database import reads, run_write
from desktop.models.entities import Absence, Employee
from desktop.models.enums import AbsenceKind
from desktop.services.audit import append_event
from desktop.services.catalog import check_version, clean_text, fetch, plain
from desktop.services.errors import ValidationError
from desktop.services.permissions import Action
from desktop.services.session import CurrentUser

ABSENCE_KIND_TITLES: dict[AbsenceKind, str] = {
    AbsenceKind.VACATION: "отпуск",
    AbsenceKind.SICK_LEAVE: "больничный",
    AbsenceKind.BUSINESS_TRIP: "командировка",
    AbsenceKind.OTHER: "другое",
}
MAX_DAYS = 366
_WHAT = "Отсутствие"


@dataclass(frozen=True)
class AbsenceRow:
    id: int
    employee_id: int
    starts_on: dt.date
    ends_on: dt.date
    kind: AbsenceKind
    substitute_id: int | None
    substitute: str  # the substitute's name
    note: str
    version: int


@dataclass(frozen=True)
class AbsenceInput:
    employee_id: int
    starts_on: dt.date
    ends_on: dt.date
    kind: AbsenceKind = AbsenceKind.VACATION
    substitute_id: int | None = None
    note: str = ""


@reads
def list_absences(employee_id: int) -> list[AbsenceRow]:
    """The employee's absences, the latest first."""
    names = {e.id: e.full_name for e in Employee.select(Employee.id, Employee.full_name)}
    query = (
        Absence.select()
        .where(Absence.employee == employee_id)
        .order_by(Absence.starts_on.desc(), Absence.id.desc())
    )
    return [
        AbsenceRow(
            id=a.id,
            employee_id=a.employee_id,
            starts_on=a.starts_on,
            ends_on=a.ends_on,
            kind=a.kind,
            substitute_id=a.substitute_id,
            substitute=names.get(a.substitute_id, "") if a.substitute_id else "",
            note=a.note,
            version=a.version,
        )
        for a in query
    ]


def _span(starts_on: dt.date, ends_on: dt.date) -> str:
    return f"{starts_on:%d.%m.%Y}–{ends_on:%d.%m.%Y}"


def add_absence(user: CurrentUser, data: AbsenceInput) -> int:
    """Record an absence; refuses reversed or overlapping dates and a self-substitute."""
    user.require(Action.MANAGE_STAFF)
    if data.ends_on < data.starts_on:
        raise ValidationError(
            f"Отсутствие кончается ({data.ends_on:%d.%m.%Y}) раньше, "
            f"чем начинается ({data.starts_on:%d.%m.%Y})."
        )
    if (data.ends_on - data.starts_on).days >= MAX_DAYS:
        raise ValidationError(
            "Отсутствие длиннее года: внесите его частями или отключите сотрудника."
        )
    if data.substitute_id is not None and data.substitute_id == data.employee_id:
        raise ValidationError("Сотрудник не может замещать сам себя: выберите другого.")
    kind = AbsenceKind(data.kind)
    note = clean_text(data.note, "Примечание")

    def insert() -> int:
        employee = fetch(Employee, data.employee_id, "Сотрудника")
        if data.substitute_id is not None:
            substitute = Employee.get_or_none(Employee.id == data.substitute_id)
            if substitute is None:
                raise ValidationError("Замещающего сотрудника больше нет; обновите список.")
            if not substitute.active:
                raise ValidationError(
                    f"{substitute.full_name} отключён(а) и не может замещать; выберите другого."
                )
        overlap = (
            Absence.select()
            .where(
                (Absence.employee == employee.id)
                & (Absence.starts_on <= data.ends_on)
                & (Absence.ends_on >= data.starts_on)
            )
            .first()
        )
        if overlap is not None:
            raise ValidationError(
                f"У сотрудника уже есть отсутствие {_span(overlap.starts_on, overlap.ends_on)}, "
                "даты пересекаются."
            )
        row = Absence.create(
            employee=employee.id,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            kind=kind,
            substitute=data.substitute_id,
            note=note,
            updated_by=user.login,
        )
        append_event(
            user.actor,
            entity="absence",
            entity_id=row.id,
            action="add",
            after={
                "employee": employee.id,
                "starts_on": plain(data.starts_on),
                "ends_on": plain(data.ends_on),
                "kind": kind.value,
                "substitute": data.substitute_id,
                "note": note,
            },
        )
        return int(row.id)

    return run_write(insert)


def remove_absence(user: CurrentUser, absence_id: int, version: int) -> None:
    """Remove an absence entered by mistake (or cancelled); the audit log keeps it."""
    user.require(Action.MANAGE_STAFF)

    def write() -> None:
        row = fetch(Absence, absence_id, _WHAT)
        check_version(Absence, row, version)
        append_event(
            user.actor,
            entity="absence",
            entity_id=absence_id,
            action="delete",
            before={name: plain(value) for name, value in row.__data__.items()},
        )
        row.delete_instance()

    run_write(write)
