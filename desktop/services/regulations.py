"""Regulations as data: every step's duration, clock and starting moment, per municipal act.

A regulation («Порядок», «Положение») is a TOML file: the five presets ship in
`resources/regulations/`, an administrator's copies are stored in the office database
(`office_regulation.py`). Each step rule says how long (`after` a moment, or `before` it),
on which `Clock` and from which moment (`Anchor`), with the paragraph it comes from; the
answer may be faster for high importance (`[steps.answer.high]`) and a regulation may hold
profiles for channels or account owners (Изобильненский: the Governor's Telegram).

`Regulation.deadlines()` plans an incident's deadlines from its detection, assuming every
step takes its full time; the workflow computes the same rules from the real moments.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from desktop.models.enums import (
    AccountOwner,
    Importance,
    Network,
    PublicationMode,
    RoutingMode,
    StepKind,
)
from desktop.services.errors import ValidationError
from desktop.services.paths import resources_dir
from desktop.services.workcalendar import Clock, WorkCalendar


class Anchor(StrEnum):
    """The moment a step is measured from."""

    DETECTED = "detected"  # выявление
    POSTED = "posted"  # размещение автором (the detection when unknown)
    REGISTERED = "registered"  # поступление куратору: registration in Otklik
    RECEIVED = "received"  # поступление в отдел: routing to the department
    NOT_COMPETENT = "not_competent"  # a department returned it as not in its competence
    SUBMITTED = "submitted"  # a draft went for approval
    RETURNED = "returned"  # a draft came back for rework
    APPROVED = "approved"  # a draft was approved
    ANSWER_DUE = "answer_due"  # the answer deadline (for «за N до истечения срока»)
    INTERIM_PUBLISHED = "interim_published"
    EXTERNAL = "external"  # the monitoring system's deadline


class StepName(StrEnum):
    """The steps a regulation can time; `step_kind` is how the workflow records them."""

    ROUTE = "route"
    REROUTE = "reroute"
    COMPETENCE_CHECK = "competence_check"
    CLARIFICATION = "clarification"
    PART = "part"
    DRAFT = "draft"
    DEPARTMENT_APPROVAL = "department_approval"
    REVIEW = "review"
    REWORK = "rework"
    PUBLISH = "publish"
    ANSWER = "answer"
    FINAL_AFTER_INTERIM = "final_after_interim"
    EXPLANATION = "explanation"

    @property
    def step_kind(self) -> StepKind:
        return StepKind(self.value)


class Consolidator(StrEnum):
    """Who writes the consolidated answer when several departments take part."""

    CURATOR_PICKS = "curator_picks"  # Отрадненский п. 19
    LAST = "last"  # the last department in the order (Конышевский п. 16)
    CURATOR = "curator"  # the controller himself (Барнаул п. 5)


class ImmediateReport(StrEnum):
    HIGH_IMPORTANCE = "high_importance"
    NONE = "none"


PRESET_SLUGS = (
    "otradnensky-2021",
    "konyshevsky-2020",
    "okhinsky-2023",
    "izobilnensky-2024",
    "barnaul-leninsky",
)
# Anchors an answer deadline may start from: not from moments that follow it.
_ANSWER_ANCHORS = frozenset(
    {Anchor.DETECTED, Anchor.POSTED, Anchor.REGISTERED, Anchor.RECEIVED, Anchor.EXTERNAL}
)
_DURATION = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")


def regulations_folder() -> Path:
    return resources_dir() / "regulations"


# --- step rules ----------------------------------------------------------------------------


@dataclass(frozen=True)
class StepRule:
    """«`amount` of `clock` time after (or before) `anchor`», by paragraph `rule`.

    `manual`: the curator (controller) sets this deadline himself; an `amount` is the default
    until he does, and without one the step has no deadline until he sets it.
    """

    amount: dt.timedelta | int | None  # a number of days for Clock.WORKING_DAYS
    clock: Clock
    anchor: Anchor
    before: bool = False
    rule: str = ""
    manual: bool = False

    def due(self, moment: dt.datetime | None, calendar: WorkCalendar) -> dt.datetime | None:
        """The deadline counted from `moment` (naive local time); None without a moment or
        for a deadline only the curator sets."""
        if moment is None or self.amount is None:
            return None
        if self.before:
            assert isinstance(self.amount, dt.timedelta)
            return calendar.subtract(moment, self.amount, self.clock)
        return calendar.add(moment, self.amount, self.clock)

    def start_text(self) -> str:
        """«от выявления», «до истечения срока ответа»: the moment the step is counted from."""
        return f"{'до' if self.before else 'от'} {_ANCHOR_WORDS[self.anchor]}"

    def describe(self) -> str:
        """«8 ч рабочего времени от выявления (п. 9)» for tooltips and the settings screen."""
        if self.amount is None:
            return (
                f"срок устанавливает куратор ({self.rule})"
                if self.rule
                else "срок устанавливает куратор"
            )
        amount = (
            f"{self.amount} раб. дн."
            if isinstance(self.amount, int)
            else format_duration(self.amount)
        )
        where = "до" if self.before else "от"
        text = f"{amount} {_CLOCK_WORDS[self.clock]} {where} {_ANCHOR_WORDS[self.anchor]}"
        if self.manual:
            text += "; срок может установить куратор"
        return f"{text} ({self.rule})" if self.rule else text


_CLOCK_WORDS = {
    Clock.WORKING_HOURS: "рабочего времени",
    Clock.WORKING_DAYS: "",
    Clock.WORKDAY_CALENDAR_HOURS: "без выходных и праздников",
    Clock.CALENDAR: "",
}
_ANCHOR_WORDS = {
    Anchor.DETECTED: "выявления",
    Anchor.POSTED: "размещения сообщения",
    Anchor.REGISTERED: "поступления куратору",
    Anchor.RECEIVED: "поступления в отдел",
    Anchor.NOT_COMPETENT: "возврата отделом",
    Anchor.SUBMITTED: "поступления проекта ответа",
    Anchor.RETURNED: "возврата на доработку",
    Anchor.APPROVED: "согласования",
    Anchor.ANSWER_DUE: "истечения срока ответа",
    Anchor.INTERIM_PUBLISHED: "промежуточного ответа",
    Anchor.EXTERNAL: "срока системы мониторинга",
}


def parse_duration(text: str) -> dt.timedelta:
    """`30m`, `1h30m`, `24h`, `7d` (days of 24 hours, or working days on that clock)."""
    found = _DURATION.match(text.strip())
    if found is None or not text.strip():
        raise ValidationError(f"Не понимаю длительность «{text}»: пишите 30m, 1h30m, 24h или 7d.")
    days, hours, minutes = (int(part or 0) for part in found.groups())
    return dt.timedelta(days=days, hours=hours, minutes=minutes)


def format_duration(delta: dt.timedelta) -> str:
    """«1 ч 30 мин», «24 ч», «30 мин»."""
    minutes = int(delta.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    parts = [f"{hours} ч"] if hours else []
    if rest or not parts:
        parts.append(f"{rest} мин")
    return " ".join(parts)


def _duration_text(amount: dt.timedelta | int | None) -> str:
    if isinstance(amount, int):
        return f"{amount}d"
    assert amount is not None
    minutes = int(amount.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    return (f"{hours}h" if hours else "") + (f"{rest}m" if rest or not hours else "")


# --- reading -------------------------------------------------------------------------------


class _Reader:
    """Reads one regulation's TOML into typed values, naming what is wrong in Russian."""

    def __init__(self, origin: str) -> None:
        self.origin = origin

    def fail(self, what: str) -> ValidationError:
        return ValidationError(f"Порядок {self.origin}: {what}.")

    def choice(self, data: Mapping[str, Any], key: str, kind: type[StrEnum], default: str) -> Any:
        value = data.get(key, default)
        try:
            return kind(value)
        except ValueError:
            known = ", ".join(item.value for item in kind)
            raise self.fail(f"{key} = {value!r}: можно {known}") from None

    def flag(self, data: Mapping[str, Any], key: str) -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            raise self.fail(f"{key} должно быть true или false")
        return value

    def text(self, data: Mapping[str, Any], key: str, *, required: bool = False) -> str:
        value = data.get(key, "")
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.fail(f"нужна строка {key}")
        return value.strip()

    def step(self, name: str, data: object, base: StepRule | None = None) -> StepRule:
        if not isinstance(data, dict):
            raise self.fail(f"шаг {name} должен быть таблицей")
        if "after" in data and "before" in data:
            raise self.fail(f"у шага {name} и after, и before")
        before = "before" in data
        amount_text = data.get("before" if before else "after")
        manual = self.flag(data, "manual") or (
            base.manual if base and "manual" not in data else False
        )
        if amount_text is None and base is None and not manual:
            raise self.fail(f"у шага {name} нет срока (after или before)")
        clock = (
            self.choice(data, "clock", Clock, "working_hours")
            if base is None or "clock" in data
            else base.clock
        )
        anchor = (
            self.choice(data, "from", Anchor, "detected")
            if base is None or "from" in data
            else base.anchor
        )
        amount: dt.timedelta | int | None
        if amount_text is None:
            amount, before = (None, False) if base is None else (base.amount, base.before)
        else:
            if not isinstance(amount_text, str):
                raise self.fail(f'срок шага {name} пишется строкой: "30m"')
            amount = parse_duration(amount_text)
        if amount is None:
            pass
        elif clock is Clock.WORKING_DAYS:
            if not isinstance(amount, int):
                if amount.seconds or amount.microseconds:
                    raise self.fail(f'рабочие дни шага {name} — целые дни: "7d"')
                amount = amount.days
            if before:
                raise self.fail(f"шаг {name}: рабочие дни не отсчитываются назад (before)")
        elif isinstance(amount, int):
            amount = dt.timedelta(days=amount)
        rule = self.text(data, "rule") or (base.rule if base else "")
        if before and anchor is not Anchor.ANSWER_DUE and anchor is not Anchor.EXTERNAL:
            raise self.fail(f"шаг {name}: before отсчитывается от answer_due или external")
        return StepRule(amount, clock, anchor, before, rule, manual)

    def steps(
        self, data: object, base: Mapping[StepName, StepRule] | None = None
    ) -> tuple[dict[StepName, StepRule], dict[StepName, StepRule]]:
        """The steps of a table, and their high-importance variants."""
        if not isinstance(data, dict):
            raise self.fail("[steps] должен быть таблицей")
        steps: dict[StepName, StepRule] = {}
        high: dict[StepName, StepRule] = {}
        for key, value in data.items():
            try:
                name = StepName(key)
            except ValueError:
                known = ", ".join(item.value for item in StepName)
                raise self.fail(f"неизвестный шаг «{key}»; шаги: {known}") from None
            if not isinstance(value, dict):
                raise self.fail(f"шаг {key} должен быть таблицей")
            own = {k: v for k, v in value.items() if k != "high"}
            inherited = base.get(name) if base else None
            steps[name] = self.step(key, own, inherited) if own else self._require(inherited, key)
            if "high" in value:
                high[name] = self.step(f"{key}.high", value["high"], steps[name])
        answer = steps.get(StepName.ANSWER)
        if answer is not None and answer.anchor not in _ANSWER_ANCHORS:
            raise self.fail(f"срок ответа не может отсчитываться от {answer.anchor.value}")
        return steps, high

    def _require(self, rule: StepRule | None, key: str) -> StepRule:
        if rule is None:
            raise self.fail(f"у шага {key} нет срока (after или before)")
        return rule


@dataclass(frozen=True)
class Profile:
    """A set of step rules for some channels or account owners."""

    key: str
    title: str
    steps: Mapping[StepName, StepRule]
    high: Mapping[StepName, StepRule] = field(default_factory=dict)
    networks: frozenset[Network] = frozenset()
    account_owners: frozenset[AccountOwner] = frozenset()
    aliases: frozenset[str] = frozenset()

    def matches(self, channel: str | None, account_owner: AccountOwner | None) -> bool:
        if channel is not None and (channel == self.key or channel in self.aliases):
            return True
        network_ok = not self.networks or (channel is not None and channel in self.networks)
        owner_ok = not self.account_owners or account_owner in self.account_owners
        return bool(self.networks or self.account_owners) and network_ok and owner_ok


@dataclass(frozen=True)
class Deadlines:
    """An incident's planned deadlines in naive local time; None where the regulation sets
    none (or where it depends on a moment not known yet, such as the monitoring system's)."""

    route: dt.datetime | None = None
    competence_check: dt.datetime | None = None
    clarification: dt.datetime | None = None
    part: dt.datetime | None = None
    draft: dt.datetime | None = None
    review: dt.datetime | None = None
    rework: dt.datetime | None = None
    publish: dt.datetime | None = None
    answer: dt.datetime | None = None
    explanation: dt.datetime | None = None


@dataclass(frozen=True)
class Regulation:
    slug: str
    title: str
    document: str
    routing_mode: RoutingMode
    consolidator: Consolidator
    review: bool
    department_approval: bool
    curator_publishes: bool
    upstream: bool
    immediate_report: ImmediateReport
    report_to: str
    publication_modes: tuple[PublicationMode, ...]
    default: Profile
    profiles: Mapping[str, Profile] = field(default_factory=dict)
    repeat_requires_measures: bool = False
    source: str = ""  # the TOML text it was read from

    # --- which rule -------------------------------------------------------------------------

    def profile(
        self, channel: str | Network | None = None, account_owner: AccountOwner | None = None
    ) -> Profile:
        """The profile for a network (or a profile's key or alias) and account owner."""
        key = (
            None
            if channel is None
            else str(channel.value if isinstance(channel, Network) else channel)
        )
        for profile in self.profiles.values():
            if profile.matches(key, account_owner):
                return profile
        return self.default

    def rule(
        self,
        step: StepName,
        *,
        importance: Importance = Importance.NORMAL,
        profile: Profile | None = None,
    ) -> StepRule | None:
        for source in (profile, self.default):
            if source is None:
                continue
            if importance is Importance.HIGH and step in source.high:
                return source.high[step]
            if step in source.steps:
                return source.steps[step]
        return None

    # --- planning -----------------------------------------------------------------------

    def deadlines(
        self,
        detected_at: dt.datetime,
        *,
        importance: Importance = Importance.NORMAL,
        channel: str | Network | None = None,
        calendar: WorkCalendar | None = None,
        posted_at: dt.datetime | None = None,
        external_deadline: dt.datetime | None = None,
        account_owner: AccountOwner | None = None,
        registered_at: dt.datetime | None = None,
    ) -> Deadlines:
        """Every deadline of an incident detected at `detected_at` (naive local time), each
        step assumed to take its full time: a department receives it at the routing deadline,
        a draft is submitted at the draft deadline, and so on."""
        calendar = WorkCalendar() if calendar is None else calendar
        profile = self.profile(channel, account_owner)
        moments: dict[Anchor, dt.datetime | None] = {
            Anchor.DETECTED: detected_at,
            Anchor.POSTED: posted_at or detected_at,
            Anchor.REGISTERED: registered_at or detected_at,
            Anchor.EXTERNAL: external_deadline,
        }
        found: dict[StepName, dt.datetime | None] = {}

        def plan(step: StepName, *then: Anchor) -> dt.datetime | None:
            rule = self.rule(step, importance=importance, profile=profile)
            due = None if rule is None else rule.due(moments.get(rule.anchor), calendar)
            found[step] = due
            for anchor in then:
                moments[anchor] = due
            return due

        plan(StepName.ANSWER, Anchor.ANSWER_DUE)
        route = plan(StepName.ROUTE)
        moments[Anchor.RECEIVED] = route or moments[Anchor.REGISTERED]
        plan(StepName.COMPETENCE_CHECK, Anchor.NOT_COMPETENT)
        plan(StepName.CLARIFICATION)
        plan(StepName.PART)
        plan(StepName.DRAFT, Anchor.SUBMITTED)
        review = plan(StepName.REVIEW, Anchor.RETURNED)
        moments[Anchor.APPROVED] = review if self.review else moments.get(Anchor.SUBMITTED)
        plan(StepName.REWORK)
        plan(StepName.PUBLISH)
        plan(StepName.EXPLANATION)
        return Deadlines(**{step.value: due for step, due in found.items()})


def parse_regulation(text: str, origin: str = "") -> Regulation:
    """Read and check a regulation's TOML text; `ValidationError` names what is wrong."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError(f"Порядок {origin}: ошибка в файле: {exc}.") from exc
    slug = data.get("slug")
    reader = _Reader(origin or str(slug))
    if not isinstance(slug, str) or not _SLUG.match(slug):
        raise reader.fail("slug — латиница, цифры и дефис, например «my-office-2025»")
    steps, high = reader.steps(data.get("steps", {}))
    default = Profile(key="default", title="Основной", steps=steps, high=high)
    profiles: dict[str, Profile] = {}
    raw_profiles = data.get("profiles", {})
    if not isinstance(raw_profiles, dict):
        raise reader.fail("[profiles] должен быть таблицей")
    for key, value in raw_profiles.items():
        if not isinstance(value, dict):
            raise reader.fail(f"профиль {key} должен быть таблицей")
        profile_steps, profile_high = reader.steps(value.get("steps", {}), steps)
        profiles[key] = Profile(
            key=key,
            title=reader.text(value, "title") or key,
            steps=profile_steps,
            high=profile_high,
            networks=frozenset(_each(reader, value, "networks", Network)),
            account_owners=frozenset(_each(reader, value, "account_owners", AccountOwner)),
            aliases=frozenset(str(alias) for alias in value.get("aliases", [])),
        )
    modes = tuple(_each(reader, data, "publication_modes", PublicationMode)) or (
        PublicationMode.PUBLIC_COMMENT,
    )
    return Regulation(
        slug=slug,
        title=reader.text(data, "title", required=True),
        document=reader.text(data, "document"),
        routing_mode=reader.choice(data, "routing_mode", RoutingMode, "parallel"),
        consolidator=reader.choice(data, "consolidator", Consolidator, "curator_picks"),
        review=reader.flag(data, "review"),
        department_approval=reader.flag(data, "department_approval"),
        curator_publishes=reader.flag(data, "curator_publishes"),
        upstream=reader.flag(data, "upstream"),
        immediate_report=reader.choice(data, "immediate_report", ImmediateReport, "none"),
        report_to=reader.text(data, "report_to"),
        publication_modes=modes,
        default=default,
        profiles=profiles,
        repeat_requires_measures=reader.flag(data, "repeat_requires_measures"),
        source=text,
    )


def _each(reader: _Reader, data: Mapping[str, Any], key: str, kind: type[StrEnum]) -> list[Any]:
    values = data.get(key, [])
    if not isinstance(values, list):
        raise reader.fail(f"{key} должен быть списком")
    return [reader.choice({key: value}, key, kind, "") for value in values]


# --- writing (copies an administrator edits) ---------------------------------------------


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _rule_lines(table: str, rule: StepRule, base: StepRule | None = None) -> list[str]:
    lines = [f"[{table}]"]
    if rule.amount is not None and (
        base is None or (rule.amount, rule.before) != (base.amount, base.before)
    ):
        lines.append(f'{"before" if rule.before else "after"} = "{_duration_text(rule.amount)}"')
    if rule.amount is not None and (base is None or rule.clock is not base.clock):
        lines.append(f'clock = "{rule.clock.value}"')
    if rule.amount is not None and (base is None or rule.anchor is not base.anchor):
        lines.append(f'from = "{rule.anchor.value}"')
    if rule.manual and (base is None or not base.manual):
        lines.append("manual = true")
    if rule.rule:
        lines.append(f"rule = {_toml_string(rule.rule)}")
    return lines


def _steps_lines(prefix: str, profile: Profile) -> list[str]:
    lines: list[str] = []
    for name in StepName:
        if name in profile.steps:
            lines += ["", *_rule_lines(f"{prefix}.{name.value}", profile.steps[name])]
        if name in profile.high:
            lines += [
                "",
                *_rule_lines(
                    f"{prefix}.{name.value}.high", profile.high[name], profile.steps[name]
                ),
            ]
    return lines


def regulation_to_toml(
    regulation: Regulation, *, slug: str | None = None, title: str | None = None
) -> str:
    """The regulation as TOML that `parse_regulation` reads back to an equal regulation."""
    values: list[tuple[str, object]] = [
        ("slug", slug or regulation.slug),
        ("title", title or regulation.title),
        ("document", regulation.document),
        ("routing_mode", regulation.routing_mode.value),
        ("consolidator", regulation.consolidator.value),
        ("review", regulation.review),
        ("department_approval", regulation.department_approval),
        ("curator_publishes", regulation.curator_publishes),
        ("upstream", regulation.upstream),
        ("immediate_report", regulation.immediate_report.value),
        ("report_to", regulation.report_to),
        ("repeat_requires_measures", regulation.repeat_requires_measures),
    ]
    lines = [
        f"# Копия порядка «{regulation.title}». Формат шагов — resources/regulations/"
        "otradnensky-2021.toml.",
        "",
    ]
    for key, value in values:
        shown = (
            ("true" if value else "false") if isinstance(value, bool) else _toml_string(str(value))
        )
        lines.append(f"{key} = {shown}")
    modes = ", ".join(_toml_string(mode.value) for mode in regulation.publication_modes)
    lines.append(f"publication_modes = [{modes}]")
    lines += _steps_lines("steps", regulation.default)
    for key, profile in regulation.profiles.items():
        lines += ["", f"[profiles.{key}]", f"title = {_toml_string(profile.title)}"]
        for attribute, values_of in (
            ("networks", sorted(n.value for n in profile.networks)),
            ("account_owners", sorted(o.value for o in profile.account_owners)),
            ("aliases", sorted(profile.aliases)),
        ):
            if values_of:
                lines.append(f"{attribute} = [{', '.join(map(_toml_string, values_of))}]")
        lines += _steps_lines(f"profiles.{key}.steps", profile)
    return "\n".join(lines) + "\n"


# --- the presets ---------------------------------------------------------------------------


def _load_presets() -> dict[str, Regulation]:
    loaded = {}
    for slug in PRESET_SLUGS:
        path = regulations_folder() / f"{slug}.toml"
        loaded[slug] = parse_regulation(path.read_text(encoding="utf-8"), path.name)
    return loaded


class _Presets(Mapping[str, Regulation]):
    """The shipped presets by slug, read on first use."""

    def __init__(self, load: Callable[[], dict[str, Regulation]]) -> None:
        self._load = load
        self._loaded: dict[str, Regulation] | None = None

    def _all(self) -> dict[str, Regulation]:
        if self._loaded is None:
            self._loaded = self._load()
        return self._loaded

    def __getitem__(self, slug: str) -> Regulation:
        return self._all()[slug]

    def __iter__(self) -> Any:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


PRESETS: Mapping[str, Regulation] = _Presets(_load_presets)


def get_preset(slug: str) -> Regulation:
    try:
        return PRESETS[slug]
    except KeyError:
        known = ", ".join(PRESET_SLUGS)
        raise ValidationError(f"Нет встроенного порядка «{slug}». Есть: {known}.") from None


def with_slug(regulation: Regulation, slug: str, title: str) -> Regulation:
    """A copy under a new slug and title (its text rewritten to match)."""
    copy = dataclasses.replace(regulation, slug=slug, title=title)
    return dataclasses.replace(copy, source=regulation_to_toml(copy))
