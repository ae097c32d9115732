"""Which role may do what. Every service action checks here; views only grey out buttons."""

from __future__ import annotations

from enum import StrEnum

from desktop.models.enums import Role
from desktop.services.errors import AccessDenied


class Action(StrEnum):
    VIEW_QUEUE = "view_queue"
    REGISTER = "register"
    EDIT_INCIDENT = "edit_incident"
    ROUTE = "route"
    RETURN_NOT_COMPETENT = "return_not_competent"
    WRITE_DRAFT = "write_draft"
    APPROVE_DEPARTMENT = "approve_department"
    REVIEW = "review"
    PUBLISH = "publish"
    CLOSE = "close"
    SET_DEADLINE = "set_deadline"
    NOTIFY_MANAGER = "notify_manager"
    VIEW_REPORTS = "view_reports"
    MANAGE_SETTINGS = "manage_settings"
    MANAGE_STAFF = "manage_staff"
    BACKUP = "backup"
    EDIT_SPELLING_WORDS = "edit_spelling_words"
    MANAGE_TEMPLATES = "manage_templates"
    IMPORT_HISTORY = "import_history"


ROLE_TITLES: dict[Role, str] = {
    Role.OPERATOR: "оператор",
    Role.CURATOR: "куратор",
    Role.EXECUTOR: "исполнитель",
    Role.DEPARTMENT_HEAD: "руководитель органа",
    Role.MANAGER: "руководство",
    Role.ADMINISTRATOR: "администратор",
}

_ALLOWED: dict[Action, frozenset[Role]] = {
    Action.VIEW_QUEUE: frozenset(Role),
    Action.REGISTER: frozenset({Role.OPERATOR, Role.CURATOR}),
    Action.EDIT_INCIDENT: frozenset({Role.OPERATOR, Role.CURATOR}),
    Action.ROUTE: frozenset({Role.CURATOR}),
    Action.RETURN_NOT_COMPETENT: frozenset({Role.EXECUTOR, Role.DEPARTMENT_HEAD}),
    Action.WRITE_DRAFT: frozenset({Role.EXECUTOR, Role.CURATOR}),
    Action.APPROVE_DEPARTMENT: frozenset({Role.DEPARTMENT_HEAD}),
    Action.REVIEW: frozenset({Role.CURATOR}),
    Action.PUBLISH: frozenset({Role.EXECUTOR, Role.CURATOR}),
    Action.CLOSE: frozenset({Role.CURATOR}),
    Action.SET_DEADLINE: frozenset({Role.CURATOR}),
    Action.NOTIFY_MANAGER: frozenset({Role.OPERATOR, Role.CURATOR}),
    Action.VIEW_REPORTS: frozenset({Role.CURATOR, Role.MANAGER, Role.ADMINISTRATOR}),
    Action.MANAGE_SETTINGS: frozenset({Role.ADMINISTRATOR}),
    Action.MANAGE_STAFF: frozenset({Role.ADMINISTRATOR}),
    Action.BACKUP: frozenset({Role.ADMINISTRATOR}),
    # Those who write answers meet the unknown place names and surnames while typing; the
    # administrator keeps the list tidy. A wrong word only hides a misspelling, and every
    # change is audited.
    Action.EDIT_SPELLING_WORDS: frozenset({Role.EXECUTOR, Role.CURATOR, Role.ADMINISTRATOR}),
    # The administrator keeps the library; the curator too, because the curator is the one
    # who approves every answer and answers for its wording (Отрадненский п. 14, 20): the
    # phrasing that keeps coming back from review belongs in the templates. Every change is
    # audited and versioned; executors only use the templates.
    Action.MANAGE_TEMPLATES: frozenset({Role.CURATOR, Role.ADMINISTRATOR}),
    # Bringing in the office's old log or a monitoring export: the administrator, who sets
    # the office up, and the curator, who kept that log and answers for the message base.
    # Not the operator: an import writes hundreds of closed messages with their deadlines at
    # once, and a wrong regulation or mapping is not undone one card at a time.
    Action.IMPORT_HISTORY: frozenset({Role.CURATOR, Role.ADMINISTRATOR}),
}

_ACTION_TITLES: dict[Action, str] = {
    Action.VIEW_QUEUE: "просматривать очередь",
    Action.REGISTER: "регистрировать сообщения",
    Action.EDIT_INCIDENT: "изменять карточку сообщения",
    Action.ROUTE: "направлять сообщения в отделы",
    Action.RETURN_NOT_COMPETENT: "возвращать сообщения как не относящиеся к компетенции",
    Action.WRITE_DRAFT: "готовить проекты ответов",
    Action.APPROVE_DEPARTMENT: "согласовывать ответы отдела",
    Action.REVIEW: "согласовывать ответы",
    Action.PUBLISH: "размещать ответы",
    Action.CLOSE: "закрывать сообщения без ответа",
    Action.SET_DEADLINE: "устанавливать сроки шагов",
    Action.NOTIFY_MANAGER: "докладывать руководству",
    Action.VIEW_REPORTS: "смотреть отчёты",
    Action.MANAGE_SETTINGS: "менять настройки",
    Action.MANAGE_STAFF: "вести список сотрудников",
    Action.BACKUP: "делать и восстанавливать резервные копии",
    Action.EDIT_SPELLING_WORDS: "пополнять словарь проверки орфографии",
    Action.MANAGE_TEMPLATES: "вести шаблоны ответов",
    Action.IMPORT_HISTORY: "импортировать журнал сообщений",
}

# Every action is spelt out above; a new Action without a rule fails at import, not at runtime.
assert set(_ALLOWED) == set(Action) == set(_ACTION_TITLES)


def roles_allowed(action: Action) -> frozenset[Role]:
    return _ALLOWED[action]


def may(roles: frozenset[Role], action: Action, *, read_only: bool = False) -> bool:
    if read_only:  # an unknown or disabled login may look at the queue and nothing else
        return action is Action.VIEW_QUEUE
    return bool(roles & _ALLOWED[action])


def require(roles: frozenset[Role], action: Action, *, read_only: bool = False) -> None:
    if not may(roles, action, read_only=read_only):
        needed = ", ".join(sorted(ROLE_TITLES[role] for role in _ALLOWED[action]))
        raise AccessDenied(
            f"Недостаточно прав, чтобы {_ACTION_TITLES[action]}. Нужна роль: {needed}."
        )
