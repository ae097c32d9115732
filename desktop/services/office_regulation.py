"""Which regulation the office works by, and the administrator's own copies of presets.

The office's choice is the setting ``regulation`` (a slug). Copies live in the setting
``custom_regulations`` as their TOML text by slug, so every workstation reads the same one
and every change is audited; a copy's slug may not be a preset's.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.models.database import reads, run_write
from desktop.services.audit import append_event
from desktop.services.errors import ValidationError
from desktop.services.permissions import Action
from desktop.services.regulations import (
    PRESET_SLUGS,
    Regulation,
    get_preset,
    parse_regulation,
    with_slug,
)
from desktop.services.session import CurrentUser
from desktop.services.settings import get_value, put_value

REGULATION_KEY = "regulation"
CUSTOM_KEY = "custom_regulations"
MAX_TEXT = 100_000


@dataclass(frozen=True)
class RegulationChoice:
    slug: str
    title: str
    preset: bool
    in_use: bool


def _custom() -> dict[str, str]:
    stored = get_value(CUSTOM_KEY)
    return dict(stored) if isinstance(stored, dict) else {}


@reads
def regulation_by_slug(slug: str) -> Regulation:
    text = _custom().get(slug)
    if text is not None:
        return parse_regulation(text, slug)
    return get_preset(slug)


@reads
def office_regulation() -> Regulation:
    return regulation_by_slug(str(get_value(REGULATION_KEY)))


@reads
def list_regulations() -> list[RegulationChoice]:
    current = str(get_value(REGULATION_KEY))
    choices = [
        RegulationChoice(slug, get_preset(slug).title, True, slug == current)
        for slug in PRESET_SLUGS
    ]
    for slug, text in sorted(_custom().items()):
        choices.append(
            RegulationChoice(slug, parse_regulation(text, slug).title, False, slug == current)
        )
    return choices


def use_regulation(user: CurrentUser, slug: str) -> None:
    """New incidents follow `slug`; registered ones keep the regulation they started with."""
    user.require(Action.MANAGE_SETTINGS)

    def write() -> None:
        regulation_by_slug(slug)  # it must exist
        before = get_value(REGULATION_KEY)
        put_value(REGULATION_KEY, slug)
        append_event(
            user.actor,
            entity="setting",
            entity_id=0,
            action="use_regulation",
            before={"regulation": before},
            after={"regulation": slug},
        )

    run_write(write)


def save_regulation(user: CurrentUser, text: str) -> Regulation:
    """Store an edited copy (its `slug` names it); a preset cannot be overwritten."""
    user.require(Action.MANAGE_SETTINGS)
    if len(text) > MAX_TEXT:
        raise ValidationError(f"Текст порядка длиннее {MAX_TEXT} символов.")
    regulation = parse_regulation(text)
    if regulation.slug in PRESET_SLUGS:
        raise ValidationError(
            f"«{regulation.slug}» — встроенный порядок; дайте копии своё имя (slug)."
        )

    def write() -> None:
        custom = _custom()
        before = custom.get(regulation.slug)
        custom[regulation.slug] = text
        put_value(CUSTOM_KEY, custom)
        append_event(
            user.actor,
            entity="setting",
            entity_id=0,
            action="save_regulation",
            before=None if before is None else {"slug": regulation.slug, "text": before},
            after={"slug": regulation.slug, "text": text},
        )

    run_write(write)
    return regulation


def copy_regulation(user: CurrentUser, slug: str, new_slug: str, title: str) -> Regulation:
    """A copy of a preset (or of a copy) under a new slug, ready to edit and use."""
    user.require(Action.MANAGE_SETTINGS)
    if new_slug in PRESET_SLUGS or new_slug in _custom():
        raise ValidationError(f"Порядок «{new_slug}» уже есть; выберите другое имя.")
    copy = with_slug(regulation_by_slug(slug), new_slug, title.strip() or new_slug)
    return save_regulation(user, copy.source)
