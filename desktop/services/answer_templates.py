"""The office's library of answer templates, and filling one in for a message.

**Where they live.** The built-in templates ship in `resources/templates/default.toml`: a
frame for an answer on the substance, «Принято в работу» (interim), thanks, a clarification
question, and one explanation for each ground of Охинский п. 3.7. An office sees them until
its administrator or curator (`Action.MANAGE_TEMPLATES`) first changes the library; from
then on the office's list is the setting ``answer_templates`` (JSON, no schema change):
``{"version": n, "updated_by": login, "updated_at": iso, "templates": [...]}``. A built-in
template added in a later release is appended to a stored list that lacks its slug; the
office's edits of the others stay. Templates are never deleted, only archived: an archived
one is not offered, and its slug is never reused.

**Concurrency.** Every edit names the library `version` the page showed; if another
workstation saved the library since, `ConflictError` says who and when instead of
overwriting their change. Every edit appends an audit event with what it changed.

**Fields.** A template's text holds fields in braces — ``{имя_автора}``, ``{номер}``,
``{тема}``, ``{территория}``, ``{отдел}``, ``{исполнитель}``, ``{срок_ответа}``,
``{срок_окончательного}``, ``{дата}`` (`FIELDS`) — and gaps the writer fills by hand in
double square brackets, ``[[что сделано]]``. `fill_template` replaces every field it knows a
value for; a field without a value (a message with no topic) and every gap stay in the text
as they are, so the writer sees the hole and `gaps` can refuse a draft that still has one.
A field name the library does not know is refused when the template is saved, so a typo
(«{имя автора}») is caught by the administrator, not by the citizen.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from desktop.models.database import reads, run_write
from desktop.models.entities import Assignment, Department, Location, Topic
from desktop.models.enums import (
    AnswerKind,
    AssignmentStatus,
    ExplanationGround,
    IncidentStatus,
    StepKind,
)
from desktop.models.errors import ConflictError
from desktop.models.fields import utcnow
from desktop.services.audit import append_event
from desktop.services.errors import ValidationError
from desktop.services.formatting import format_moment
from desktop.services.incident_base import ServiceBase, describe_login, live_assignments
from desktop.services.incident_drafts import MAX_ANSWER_LENGTH
from desktop.services.paths import resources_dir
from desktop.services.permissions import Action
from desktop.services.regulations import Anchor, StepName
from desktop.services.session import CurrentUser
from desktop.services.settings import get_value, put_value
from desktop.services.steps import Case, open_steps

TEMPLATES_KEY = "answer_templates"
TITLE_LIMIT = 120
MAX_TEMPLATES = 500
DATE_FORMAT = "%d.%m.%Y"

# The fields a template may hold, in the order the settings page offers them.
FIELDS: tuple[tuple[str, str], ...] = (
    ("имя_автора", "имя автора сообщения"),
    ("номер", "номер сообщения в Отклике"),
    ("тема", "тема сообщения"),
    ("территория", "территория (населённый пункт)"),
    ("отдел", "отдел, который готовит ответ"),
    ("исполнитель", "исполнитель — кто пишет ответ"),
    ("срок_ответа", "срок ответа, дд.мм.гггг чч:мм"),
    ("срок_окончательного", "срок окончательного ответа после промежуточного"),
    ("дата", "сегодняшняя дата, дд.мм.гггг"),
)
FIELD_NAMES = frozenset(name for name, _ in FIELDS)

_FIELD = re.compile(r"\{([^{}\s]+(?: [^{}\s]+)*)\}")
_GAP = re.compile(r"\[\[[^\[\]]*\]\]")


@dataclass(frozen=True)
class AnswerTemplate:
    slug: str
    title: str
    kind: AnswerKind | None  # None: fits any kind of draft
    ground: ExplanationGround | None  # an explanation's ground (Охинский 3.7)
    text: str
    active: bool = True
    builtin: bool = False  # shipped with Otklik (the office may have edited it)

    def fits(self, kind: AnswerKind | None) -> bool:
        return kind is None or self.kind is None or self.kind is kind


@dataclass(frozen=True)
class TemplateLibrary:
    templates: tuple[AnswerTemplate, ...]
    version: int  # 0: the built-in defaults, never edited by the office
    updated_by: str = ""  # who saved it last (full name), "" for the defaults
    updated_at: dt.datetime | None = None


@dataclass(frozen=True)
class TemplateInput:
    title: str
    text: str
    kind: AnswerKind | None = None
    ground: ExplanationGround | None = None


@dataclass(frozen=True)
class TemplateFields:
    """The values of a template's fields for one message; "" where there is none."""

    author_name: str = ""
    number: str = ""
    topic: str = ""
    location: str = ""
    department: str = ""
    executor: str = ""
    answer_due: str = ""  # dd.mm.yyyy HH:MM in office time
    final_due: str = ""  # the final answer's deadline if an interim one goes out now
    date: str = ""  # dd.mm.yyyy, today in office time
    extra: Mapping[str, str] = field(default_factory=dict)

    def values(self) -> dict[str, str]:
        return {
            "имя_автора": self.author_name,
            "номер": self.number,
            "тема": self.topic,
            "территория": self.location,
            "отдел": self.department,
            "исполнитель": self.executor,
            "срок_ответа": self.answer_due,
            "срок_окончательного": self.final_due,
            "дата": self.date,
            **self.extra,
        }


# --- filling in -----------------------------------------------------------------------------


def fill_template(template: AnswerTemplate | str, fields: TemplateFields) -> str:
    """The template's text with every field that has a value filled in. A field with no
    value, a field the library does not know and every ``[[gap]]`` stay as written."""
    text = template if isinstance(template, str) else template.text
    values = fields.values()

    def one(match: re.Match[str]) -> str:
        value = values.get(match.group(1), "").strip()
        return value or match.group(0)

    return _FIELD.sub(one, text)


def gaps(text: str) -> list[str]:
    """What is still to be filled in a draft: fields left in braces and ``[[gaps]]``, in
    reading order, as written (the editor highlights them; a check may refuse the draft)."""
    found = [m for m in _FIELD.finditer(text) if m.group(1) in FIELD_NAMES]
    found += list(_GAP.finditer(text))
    return [m.group(0) for m in sorted(found, key=lambda m: m.start())]


def field_names(text: str) -> list[str]:
    """The names of the fields `text` uses, in order, each once."""
    return list(dict.fromkeys(m.group(1) for m in _FIELD.finditer(text)))


class _FieldReader(ServiceBase):
    """Reads an incident as an action would (its regulation, office time) for the fields."""

    def fields(self, incident_id: int, assignment_id: int | None) -> TemplateFields:
        case = self._case(incident_id)
        incident = case.incident
        assignment = _writing_assignment(self, case, assignment_id)
        department = ""
        executor = self.user.full_name if self.user.employee_id is not None else ""
        if assignment is not None:
            department = _name(Department, assignment.department_id)
        elif self.user.employee_id is not None:
            department = _name(Department, self._my_department())
        zone = case.time.zone
        if incident.status is IncidentStatus.INTERIM:
            final = open_steps(incident, [StepKind.FINAL_AFTER_INTERIM])
            final_due = final[0].due_at if final else incident.answer_due_at
        else:
            final_due, _ = case.due(
                StepName.FINAL_AFTER_INTERIM, at={Anchor.INTERIM_PUBLISHED: case.now}
            )
        return TemplateFields(
            author_name=incident.author_name.strip(),
            number=str(incident.number),
            topic=_name(Topic, incident.topic_id),
            location=_name(Location, incident.location_id),
            department=department,
            executor=executor,
            answer_due=format_moment(incident.answer_due_at, zone),
            final_due=format_moment(final_due, zone),
            date=case.time.local(case.now).strftime(DATE_FORMAT),
        )


def _writing_assignment(
    reader: ServiceBase, case: Case, assignment_id: int | None
) -> Assignment | None:
    """The assignment named, else the user's department's one in work, else none."""
    if assignment_id is not None:
        found = Assignment.get_or_none(
            (Assignment.id == assignment_id) & (Assignment.incident == case.incident.id)
        )
        if found is None:
            raise ValidationError("Нет такого поручения по этому сообщению.")
        return found
    mine = [
        a
        for a in live_assignments(case.incident.id)
        if a.status is AssignmentStatus.IN_WORK and reader._works_for(case, a)
    ]
    return mine[0] if len(mine) == 1 else None


def _name(model: Any, row_id: int | None) -> str:
    if row_id is None:
        return ""
    row = model.get_or_none(model.id == row_id)
    return "" if row is None else str(row.name)


@reads
def template_fields(
    user: CurrentUser,
    incident_id: int,
    assignment_id: int | None = None,
    *,
    now: Callable[[], dt.datetime] = utcnow,
) -> TemplateFields:
    """The fields for `user` writing on the incident: the author's name, the number, topic
    and place, the department of the assignment they write for (the named one, else their
    department's in work), the user as the executor, the deadlines and today's date in
    the office's time zone."""
    return _FieldReader(user, now=now).fields(incident_id, assignment_id)


# --- the built-in library -------------------------------------------------------------------


def defaults_path() -> Path:
    return resources_dir() / "templates" / "default.toml"


@cache
def builtin_templates() -> tuple[AnswerTemplate, ...]:
    """The templates shipped in `resources/templates/default.toml`."""
    data = tomllib.loads(defaults_path().read_text(encoding="utf-8"))
    found = tuple(
        replace(_from_json(raw), builtin=True, active=True) for raw in data.get("template", [])
    )
    slugs = [t.slug for t in found]
    if len(set(slugs)) != len(slugs):
        raise ValueError(f"{defaults_path()}: a template slug is used twice")
    for template in found:
        _check(template.title, template.text, template.kind, template.ground)
    return found


# --- stored form ----------------------------------------------------------------------------


def _to_json(template: AnswerTemplate) -> dict[str, Any]:
    return {
        "slug": template.slug,
        "title": template.title,
        "kind": None if template.kind is None else template.kind.value,
        "ground": None if template.ground is None else template.ground.value,
        "text": template.text,
        "active": template.active,
        "builtin": template.builtin,
    }


def _from_json(raw: Mapping[str, Any]) -> AnswerTemplate:
    kind = raw.get("kind") or None
    ground = raw.get("ground") or None
    return AnswerTemplate(
        slug=str(raw["slug"]),
        title=str(raw["title"]),
        kind=None if kind is None else AnswerKind(kind),
        ground=None if ground is None else ExplanationGround(ground),
        text=str(raw["text"]),
        active=bool(raw.get("active", True)),
        builtin=bool(raw.get("builtin", False)),
    )


def _load() -> TemplateLibrary:
    stored = get_value(TEMPLATES_KEY)
    if not isinstance(stored, dict) or not isinstance(stored.get("templates"), list):
        return TemplateLibrary(builtin_templates(), 0)
    own = [_from_json(raw) for raw in stored["templates"]]
    known = {t.slug for t in own}
    added = [t for t in builtin_templates() if t.slug not in known]  # shipped since
    at = stored.get("updated_at")
    return TemplateLibrary(
        tuple(own + added),
        int(stored.get("version", 0)),
        updated_by=describe_login(str(stored.get("updated_by", ""))),
        updated_at=None if not at else dt.datetime.fromisoformat(str(at)),
    )


@reads
def template_library() -> TemplateLibrary:
    """Every template, archived ones too, and the version to edit against."""
    return _load()


@reads
def answer_templates(kind: AnswerKind | None = None) -> list[AnswerTemplate]:
    """The templates in use that fit a draft of `kind` (all in use when None): those of that
    kind first, then those for any kind, each in the library's order."""
    active = [t for t in _load().templates if t.active and t.fits(kind)]
    if kind is None:
        return active
    return [t for t in active if t.kind is kind] + [t for t in active if t.kind is None]


# --- editing ----------------------------------------------------------------------------


def _check(
    title: str, text: str, kind: AnswerKind | None, ground: ExplanationGround | None
) -> tuple[str, str, AnswerKind | None, ExplanationGround | None]:
    clean_title = " ".join(title.split())
    if not clean_title:
        raise ValidationError("Название шаблона: заполните.")
    if len(clean_title) > TITLE_LIMIT:
        raise ValidationError(f"Название шаблона: не длиннее {TITLE_LIMIT} символов.")
    clean_body = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n"))
    clean_body = clean_body.strip()
    if not clean_body:
        raise ValidationError("Текст шаблона: заполните.")
    if len(clean_body) > MAX_ANSWER_LENGTH:
        raise ValidationError(f"Текст шаблона: не длиннее {MAX_ANSWER_LENGTH} символов.")
    unknown = [name for name in field_names(clean_body) if name not in FIELD_NAMES]
    if unknown:
        listed = ", ".join(f"{{{name}}}" for name in unknown)
        offered = ", ".join(f"{{{name}}}" for name, _ in FIELDS)
        raise ValidationError(f"В тексте шаблона неизвестные поля: {listed}. Есть: {offered}.")
    try:
        kind = None if kind is None else AnswerKind(kind)
        ground = None if ground is None else ExplanationGround(ground)
    except ValueError as exc:
        raise ValidationError(f"Шаблон: {exc}.") from None
    if ground is not None and kind is not AnswerKind.EXPLANATION:
        raise ValidationError("Основание (п. 3.7) указывается только у шаблона разъяснения.")
    return clean_title, clean_body, kind, ground


def _require_version(library: TemplateLibrary, expected_version: int) -> None:
    if library.version != expected_version:
        raise ConflictError(
            entity="setting",
            row_id=0,
            changed_by=library.updated_by or "другой пользователь",
            changed_at=library.updated_at,
            current_version=library.version,
        )


def _find(library: TemplateLibrary, slug: str) -> AnswerTemplate:
    found = next((t for t in library.templates if t.slug == slug), None)
    if found is None:
        raise ValidationError(f"Нет шаблона «{slug}»: обновите список.")
    return found


def _same_title(library: TemplateLibrary, title: str, other_than: str | None) -> None:
    wanted = title.casefold()
    if any(t.title.casefold() == wanted and t.slug != other_than for t in library.templates):
        raise ValidationError(f"Шаблон «{title}» уже есть: выберите другое название.")


def _save(
    user: CurrentUser,
    library: TemplateLibrary,
    templates: list[AnswerTemplate],
    action: str,
    before: AnswerTemplate | None,
    after: AnswerTemplate,
) -> TemplateLibrary:
    now = utcnow()
    version = library.version + 1
    put_value(
        TEMPLATES_KEY,
        {
            "version": version,
            "updated_by": user.login,
            "updated_at": now.isoformat(),
            "templates": [_to_json(t) for t in templates],
        },
    )
    append_event(
        user.actor,
        entity="setting",
        entity_id=0,
        action=action,
        before=None if before is None else {TEMPLATES_KEY: _to_json(before)},
        after={TEMPLATES_KEY: _to_json(after), "version": version},
        at=now,
    )
    return TemplateLibrary(tuple(templates), version, describe_login(user.login), now)


def _next_slug(library: TemplateLibrary) -> str:
    numbers = [
        int(t.slug.removeprefix("office-"))
        for t in library.templates
        if t.slug.startswith("office-") and t.slug.removeprefix("office-").isdigit()
    ]
    return f"office-{max(numbers, default=0) + 1}"


def add_template(
    user: CurrentUser, data: TemplateInput, *, expected_version: int
) -> AnswerTemplate:
    """Add the office's own template; returns it with its new slug."""
    user.require(Action.MANAGE_TEMPLATES)
    title, text, kind, ground = _check(data.title, data.text, data.kind, data.ground)

    def write() -> AnswerTemplate:
        library = _load()
        _require_version(library, expected_version)
        if len(library.templates) >= MAX_TEMPLATES:
            raise ValidationError(f"В библиотеке уже {MAX_TEMPLATES} шаблонов.")
        _same_title(library, title, None)
        added = AnswerTemplate(_next_slug(library), title, kind, ground, text)
        _save(user, library, [*library.templates, added], "add_answer_template", None, added)
        return added

    return run_write(write)


def update_template(
    user: CurrentUser, slug: str, data: TemplateInput, *, expected_version: int
) -> AnswerTemplate:
    """Change a template's title, kind, ground and text (a built-in one too)."""
    user.require(Action.MANAGE_TEMPLATES)
    title, text, kind, ground = _check(data.title, data.text, data.kind, data.ground)

    def write() -> AnswerTemplate:
        library = _load()
        _require_version(library, expected_version)
        old = _find(library, slug)
        _same_title(library, title, slug)
        new = replace(old, title=title, text=text, kind=kind, ground=ground)
        if new == old:
            return old
        templates = [new if t.slug == slug else t for t in library.templates]
        _save(user, library, templates, "update_answer_template", old, new)
        return new

    return run_write(write)


def set_template_active(
    user: CurrentUser, slug: str, active: bool, *, expected_version: int
) -> AnswerTemplate:
    """Archive a template (it is no longer offered) or bring it back."""
    user.require(Action.MANAGE_TEMPLATES)

    def write() -> AnswerTemplate:
        library = _load()
        _require_version(library, expected_version)
        old = _find(library, slug)
        if old.active is active:
            return old
        new = replace(old, active=active)
        templates = [new if t.slug == slug else t for t in library.templates]
        action = "restore_answer_template" if active else "archive_answer_template"
        _save(user, library, templates, action, old, new)
        return new

    return run_write(write)
