"""Every step of a regulation as a row of the «Регламент» page, and edits of its duration
and clock.

The page shows each step rule (per profile, with the high-importance variants) and sends
`StepEdit`s with the duration as the administrator typed it («1 ч 30 мин», «7 дн»). The edits
are applied to the regulation, written out as TOML and stored by
`office_regulation.save_regulation`, so they pass the same checks as an imported file.
Presets are never changed: the page offers a copy first.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from desktop.models.database import reads, run_write
from desktop.models.entities import AuditEvent
from desktop.models.errors import ConflictError
from desktop.services.errors import ValidationError
from desktop.services.incident_base import describe_login
from desktop.services.office_regulation import regulation_by_slug, save_regulation
from desktop.services.permissions import Action
from desktop.services.regulations import (
    PRESET_SLUGS,
    Profile,
    Regulation,
    StepName,
    StepRule,
    format_duration,
    parse_regulation,
    regulation_to_toml,
)
from desktop.services.session import CurrentUser
from desktop.services.titles import STEP_TITLES
from desktop.services.workcalendar import Clock

DEFAULT_PROFILE = "default"
CLOCK_TITLES: dict[Clock, str] = {
    Clock.WORKING_HOURS: "рабочее время",
    Clock.WORKING_DAYS: "рабочие дни",
    Clock.WORKDAY_CALENDAR_HOURS: "часы без выходных и праздников",
    Clock.CALENDAR: "обычное время",
}
_WORD = re.compile(r"\d+|[^\W\d_]+")
_FILLERS = frozenset({"раб", "рабочих", "рабочего", "рабочий", "рабочие", "рабочее"})
_DAY_WORDS = ("d", "д", "сут")
_HOUR_WORDS = ("h", "ч")
_MINUTE_WORDS = ("m", "м")


@dataclass(frozen=True)
class StepRow:
    """One rule of a regulation as the page lists it."""

    profile: str  # DEFAULT_PROFILE or a profile's key
    profile_title: str
    step: StepName
    high: bool  # the high-importance variant
    amount: dt.timedelta | int | None
    amount_text: str  # «1 ч 30 мин», «7 дн»: what the edit field shows and reads back
    clock: Clock
    start: str  # «от выявления»
    rule: str  # the paragraph
    manual: bool
    description: str

    @property
    def title(self) -> str:
        return STEP_TITLES[self.step]


@dataclass(frozen=True)
class StepEdit:
    """A new duration (as typed; blank for a deadline only the curator sets) and clock."""

    step: StepName
    amount: str
    clock: Clock
    profile: str = DEFAULT_PROFILE
    high: bool = False


def format_step_amount(amount: dt.timedelta | int | None) -> str:
    if amount is None:
        return ""
    if isinstance(amount, int):
        return f"{amount} дн"
    return format_duration(amount)


def parse_step_amount(text: str, clock: Clock) -> dt.timedelta | int | None:
    """«30 мин», «1 ч 30 мин», «8 ч», «7 дн», «7 раб. дн.», `1h30m`; a bare number is days on
    the working-days clock. Working days are whole days (an int); other clocks a timedelta.
    Blank is None."""
    words = [w for w in _WORD.findall(text.casefold()) if w not in _FILLERS]
    if not words:
        return None
    days = hours = minutes = 0
    if len(words) == 1 and words[0].isdigit() and clock is Clock.WORKING_DAYS:
        days = int(words[0])
    else:
        pairs = _pairs(words, text)
        for number, unit in pairs:
            if unit.startswith(_DAY_WORDS):
                days += number
            elif unit.startswith(_HOUR_WORDS):
                hours += number
            elif unit.startswith(_MINUTE_WORDS):
                minutes += number
            else:
                raise _amount_error(text)
    if clock is Clock.WORKING_DAYS:
        if hours or minutes:
            raise ValidationError(f"Рабочие дни — целые дни: «7 дн», а не «{text.strip()}».")
        if days < 1:
            raise ValidationError("Срок в рабочих днях — не меньше одного дня.")
        return days
    amount = dt.timedelta(days=days, hours=hours, minutes=minutes)
    if amount <= dt.timedelta(0):
        raise ValidationError("Срок шага должен быть больше нуля.")
    if amount > dt.timedelta(days=366):
        raise ValidationError("Срок шага — не больше года.")
    return amount


def _pairs(words: list[str], text: str) -> list[tuple[int, str]]:
    """`1h30m` is read as ["1", "h", "30", "m"]: numbers each followed by a unit."""
    if len(words) % 2:
        raise _amount_error(text)
    pairs = []
    for number, unit in zip(words[::2], words[1::2], strict=True):
        if not number.isdigit() or unit.isdigit():
            raise _amount_error(text)
        pairs.append((int(number), unit))
    return pairs


def _amount_error(text: str) -> ValidationError:
    return ValidationError(
        f"Не понимаю срок «{text.strip()}»: пишите «30 мин», «1 ч 30 мин», «8 ч» или «7 дн»."
    )


def _profiles(regulation: Regulation) -> list[tuple[str, Profile]]:
    return [(DEFAULT_PROFILE, regulation.default), *regulation.profiles.items()]


def step_rows(regulation: Regulation) -> list[StepRow]:
    """The rules in the order of the workflow: the main profile first, then the others."""
    rows = []
    for key, profile in _profiles(regulation):
        for step in StepName:
            for high, rules in ((False, profile.steps), (True, profile.high)):
                rule = rules.get(step)
                if rule is not None:
                    rows.append(_row(key, profile, step, high, rule))
    return rows


def _row(key: str, profile: Profile, step: StepName, high: bool, rule: StepRule) -> StepRow:
    return StepRow(
        profile=key,
        profile_title=profile.title,
        step=step,
        high=high,
        amount=rule.amount,
        amount_text=format_step_amount(rule.amount),
        clock=rule.clock,
        start=rule.start_text(),
        rule=rule.rule,
        manual=rule.manual,
        description=rule.describe(),
    )


def _edited_profile(profile: Profile, edit: StepEdit) -> Profile:
    rules = profile.high if edit.high else profile.steps
    title = STEP_TITLES[edit.step] + (" (повышенная важность)" if edit.high else "")
    rule = rules.get(edit.step)
    if rule is None:
        raise ValidationError(f"В профиле «{profile.title}» нет шага «{title}».")
    clock = Clock(edit.clock)
    amount = parse_step_amount(edit.amount, clock)
    if amount is None and not rule.manual:
        raise ValidationError(f"«{title}»: укажите срок, например «30 мин» или «8 ч».")
    if rule.before and clock is Clock.WORKING_DAYS:
        raise ValidationError(
            f"«{title}» отсчитывается назад от срока ответа: рабочими днями так не считают; "
            "выберите рабочее время или часы."
        )
    edited = {**rules, edit.step: dataclasses.replace(rule, amount=amount, clock=clock)}
    if edit.high:
        return dataclasses.replace(profile, high=edited)
    return dataclasses.replace(profile, steps=edited)


def edited_regulation(regulation: Regulation, edits: Iterable[StepEdit]) -> Regulation:
    """The regulation with the edits applied, written out and read back (so checked)."""
    default = regulation.default
    profiles = dict(regulation.profiles)
    for edit in edits:
        if edit.profile == DEFAULT_PROFILE:
            default = _edited_profile(default, edit)
        elif edit.profile in profiles:
            profiles[edit.profile] = _edited_profile(profiles[edit.profile], edit)
        else:
            raise ValidationError(f"В порядке нет профиля «{edit.profile}»; обновите страницу.")
    changed = dataclasses.replace(regulation, default=default, profiles=profiles)
    return parse_regulation(regulation_to_toml(changed), regulation.slug)


def _last_saved_by(slug: str) -> tuple[str, dt.datetime | None]:
    events = (
        AuditEvent.select(AuditEvent.actor_login, AuditEvent.at, AuditEvent.after)
        .where(AuditEvent.action == "save_regulation")
        .order_by(AuditEvent.id.desc())
        .limit(200)
    )
    for event in events:
        if isinstance(event.after, dict) and event.after.get("slug") == slug:
            return describe_login(event.actor_login), event.at
    return "другой пользователь", None


def save_step_edits(
    user: CurrentUser, slug: str, edits: Iterable[StepEdit], *, based_on: str | None = None
) -> Regulation:
    """Change durations and clocks of an office copy; returns the stored regulation.

    `based_on` is the text the page showed: if someone saved the copy since, `ConflictError`
    names them rather than overwriting their change.
    """
    user.require(Action.MANAGE_SETTINGS)
    wanted = list(edits)
    if slug in PRESET_SLUGS:
        raise ValidationError(
            "Встроенный порядок не меняется: сделайте копию («Копировать…») и правьте её."
        )

    def write() -> Regulation:
        current = regulation_by_slug(slug)
        if based_on is not None and current.source != based_on:
            who, when = _last_saved_by(slug)
            raise ConflictError(
                entity="setting", row_id=0, changed_by=who, changed_at=when, current_version=None
            )
        edited = edited_regulation(current, wanted)
        if dataclasses.replace(edited, source="") == dataclasses.replace(current, source=""):
            return current  # nothing changed: the stored text (and its comments) stays
        return save_regulation(user, edited.source)

    return run_write(write)


@reads
def regulation_steps(slug: str) -> tuple[Regulation, list[StepRow]]:
    """A regulation (its text for `based_on`) and its rules as rows."""
    regulation = regulation_by_slug(slug)
    return regulation, step_rows(regulation)
