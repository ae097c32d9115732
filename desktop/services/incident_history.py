"""An incident's history as a person reads it: the audit log, one Russian sentence per event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, cast
from zoneinfo import ZoneInfo

import peewee

from desktop.models.database import reads
from desktop.models.entities import AuditEvent, Department, Employee, Incident
from desktop.models.enums import (
    AnswerKind,
    Importance,
    Network,
    ReturnReason,
    ReviewDecision,
    RoutingMode,
    StepKind,
)
from desktop.services.formatting import format_moment
from desktop.services.titles import (
    ANSWER_KIND_TITLES,
    IMPORTANCE_TITLES,
    NETWORK_TITLES,
    RETURN_REASON_TITLES,
    ROUTING_MODE_TITLES,
    STEP_KIND_TITLES,
)

FIELD_TITLES = {
    "author_name": "автор",
    "author_url": "страница автора",
    "text": "текст",
    "importance": "важность",
    "topic": "тема",
    "location": "территория",
    "note": "примечание",
    "link": "ссылка",
}


def column_map(key: peewee.Field, value: peewee.Field) -> dict[Any, Any]:
    """`{key: value}` over a whole (small) table, e.g. department names by id."""
    return dict(cast(Iterable[tuple[Any, Any]], key.model.select(key, value).tuples()))


_REVIEW_SENTENCES = {
    ReviewDecision.APPROVE: "согласовал(а) проект",
    ReviewDecision.APPROVE_WITH_EDITS: "согласовал(а) проект со своими правками",
    ReviewDecision.RETURN: "вернул(а) проект на доработку",
}


@dataclass(frozen=True)
class HistoryEntry:
    at: dt.datetime  # aware UTC
    who: str
    text: str


@dataclass(frozen=True)
class _Names:
    zone: ZoneInfo
    departments: Mapping[int, str]
    employees: Mapping[int, str]
    numbers: Mapping[int, int]

    def department(self, value: Any) -> str:
        return self.departments.get(int(value), f"отдел {value}") if value is not None else ""

    def employee(self, value: Any) -> str:
        return self.employees.get(int(value), "") if value is not None else ""

    def moment(self, value: Any) -> str:
        if not value:
            return "—"
        return format_moment(dt.datetime.fromisoformat(str(value)), self.zone)


def _enum_title(titles: Mapping[Any, str], kind: type, value: Any) -> str:
    try:
        return titles[kind(value)]
    except (ValueError, KeyError):
        return str(value)


def _reasons(values: Any) -> str:
    return "; ".join(_enum_title(RETURN_REASON_TITLES, ReturnReason, v) for v in values or [])


def _register(after: Mapping[str, Any], names: _Names) -> str:
    network = _enum_title(NETWORK_TITLES, Network, after.get("network"))
    text = f"Зарегистрировано (№ {after.get('number')}, {network})"
    if after.get("answer_due_at"):
        text += f"; срок ответа — {names.moment(after['answer_due_at'])}"
    if after.get("repeat_of"):
        text += f"; повторное к № {names.numbers.get(int(after['repeat_of']), '?')}"
    return text


def _edit(before: Mapping[str, Any], after: Mapping[str, Any], names: _Names) -> str:
    changed = [FIELD_TITLES.get(name, name) for name in after]
    text = "Изменена карточка: " + ", ".join(changed)
    if "importance" in after:
        was = _enum_title(IMPORTANCE_TITLES, Importance, before.get("importance"))
        now = _enum_title(IMPORTANCE_TITLES, Importance, after["importance"])
        text += f" (важность: {was} → {now})"
    return text


def _route(after: Mapping[str, Any], names: _Names) -> str:
    executors = list(after.get("executors") or [])
    parts = []
    for position, department in enumerate(after.get("departments") or []):
        executor = names.employee(executors[position]) if position < len(executors) else ""
        name = names.department(department)
        parts.append(f"{name} (исполнитель {executor})" if executor else name)
    text = "Направлено: " + ", ".join(parts)
    if len(parts) > 1:
        text += "; " + _enum_title(ROUTING_MODE_TITLES, RoutingMode, after.get("mode"))
    if after.get("consolidator"):
        text += f"; сводный ответ готовит {names.department(after['consolidator'])}"
    return text


def _review(after: Mapping[str, Any], names: _Names, who: str) -> str:
    decision = _enum_title(_REVIEW_SENTENCES, ReviewDecision, after.get("decision"))
    text = f"{who[:1].upper()}{who[1:]} {decision}"
    reasons = _reasons(after.get("reasons"))
    if reasons:
        text += f": {reasons}"
    if after.get("comment"):
        text += f". «{after['comment']}»"
    return text


def _describe(event: AuditEvent, names: _Names) -> str:
    after: Mapping[str, Any] = event.after or {}
    before: Mapping[str, Any] = event.before or {}
    action = event.action
    kind = _enum_title(ANSWER_KIND_TITLES, AnswerKind, after.get("kind"))
    simple: dict[str, Callable[[], str]] = {
        "register": lambda: _register(after, names),
        "import": lambda: (
            f"Импортировано из журнала «{after.get('file', '')}», строка {after.get('line')} "
            f"(№ {after.get('number')})"
        ),
        "edit": lambda: _edit(before, after, names),
        "route": lambda: _route(after, names),
        "accept": lambda: f"{names.department(after.get('department'))}: принято в работу",
        "return_not_competent": lambda: (
            f"{names.department(after.get('department'))} вернул(а) как не относящееся "
            f"к компетенции: {after.get('reason', '')}"
        ),
        "submit_draft": lambda: f"Отправлен на согласование: {kind} (версия {after.get('number')})",
        "approve_department": lambda: _review(after, names, "руководитель органа"),
        "review": lambda: _review(after, names, "куратор"),
        "publish": lambda: f"Размещён {kind}" + (f": {after['url']}" if after.get("url") else ""),
        "close_not_to_answer": lambda: f"Закрыто, не подлежит ответу: {after.get('reason', '')}",
        "official_appeal": lambda: (
            f"Передано как обращение по 59-ФЗ № {after.get('number')} от "
            f"{dt.date.fromisoformat(str(after.get('date'))).strftime('%d.%m.%Y')}"
        ),
        "return_upstream": lambda: f"Возвращено куратору города: {after.get('reason', '')}",
        "mark_repeat": lambda: (
            f"Отмечено как повторное к № {names.numbers.get(int(after['repeat_of']), '?')}"
        ),
        "notify_manager": lambda: f"Доложено руководству ({after.get('to', '')})",
        "attach": lambda: f"Добавлен файл: {after.get('file_name', '')}",
        "pick_consolidator": lambda: (
            f"Сводный ответ готовит {names.department(after.get('department'))}"
        ),
        "set_due": lambda: (
            f"Срок шага «{_enum_title(STEP_KIND_TITLES, StepKind, after.get('kind'))}» "
            f"изменён: {names.moment(after.get('before'))} → {names.moment(after.get('due'))}"
        ),
    }
    describe = simple.get(action)
    return describe() if describe is not None else action


@reads
def incident_history(incident_id: int, zone: ZoneInfo) -> list[HistoryEntry]:
    """Every audit event of the incident, oldest first."""
    events = list(
        AuditEvent.select().where(AuditEvent.incident_id == incident_id).order_by(AuditEvent.id)
    )
    numbers: dict[int, int] = {}
    repeats = [int(e.after["repeat_of"]) for e in events if e.after and e.after.get("repeat_of")]
    if repeats:
        query = Incident.select(Incident.id, Incident.number).where(Incident.id.in_(repeats))
        numbers = dict(cast(Iterable[tuple[int, int]], query.tuples()))
    names = _Names(
        zone=zone,
        departments=column_map(Department.id, Department.name),
        employees=column_map(Employee.id, Employee.full_name),
        numbers=numbers,
    )
    logins = column_map(Employee.os_login, Employee.full_name)
    return [
        HistoryEntry(
            at=event.at,
            who=names.employee(event.actor_id) or logins.get(event.actor_login, event.actor_login),
            text=_describe(event, names),
        )
        for event in events
    ]
