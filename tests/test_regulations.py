"""The five regulation presets as data: every deadline of the digest, planned from detection."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from desktop.models.enums import AccountOwner, Importance, Network, RoutingMode
from desktop.services.errors import ValidationError
from desktop.services.regulations import (
    PRESET_SLUGS,
    PRESETS,
    Anchor,
    Consolidator,
    StepName,
    get_preset,
    parse_duration,
    parse_regulation,
    regulation_to_toml,
    with_slug,
)
from desktop.services.workcalendar import Clock, WorkCalendar

D = dt.datetime
WEDNESDAY_10 = D(2025, 3, 12, 10, 0)


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar()


def planned(
    slug: str, detected: dt.datetime, cal: WorkCalendar, **kwargs: object
) -> dict[str, str]:
    deadlines = get_preset(slug).deadlines(detected, calendar=cal, **kwargs)  # type: ignore[arg-type]
    return {
        step: f"{due:%d.%m %H:%M}"
        for step, due in dataclasses.asdict(deadlines).items()
        if due is not None
    }


def test_the_five_presets_are_there() -> None:
    assert tuple(PRESETS) == PRESET_SLUGS
    for slug in PRESET_SLUGS:
        regulation = get_preset(slug)
        assert regulation.slug == slug
        assert regulation.title and regulation.document
        assert all(rule.rule for rule in regulation.default.steps.values())


def test_an_unknown_preset_lists_the_known_ones() -> None:
    with pytest.raises(ValidationError, match="otradnensky-2021"):
        get_preset("moscow-2030")


def test_otradnensky(cal: WorkCalendar) -> None:
    # 8 working hours from detection (п. 9), routing in 30 (п. 10), the draft 3 working hours
    # before the answer (п. 12), review 30 minutes (п. 14), rework 1 hour (п. 15), publication
    # 30 minutes (п. 16), a consolidated part 2 hours (п. 19): Wednesday 10:00.
    assert planned("otradnensky-2021", WEDNESDAY_10, cal) == {
        "route": "12.03 10:30",
        "competence_check": "12.03 11:00",
        "clarification": "12.03 11:30",
        "part": "12.03 12:30",
        "draft": "12.03 16:00",
        "review": "12.03 16:30",
        "rework": "12.03 17:30",
        "publish": "12.03 17:00",
        "answer": "13.03 10:00",
    }


def test_otradnensky_high_importance_runs_over_lunch(cal: WorkCalendar) -> None:
    plan = planned("otradnensky-2021", WEDNESDAY_10, cal, importance=Importance.HIGH)
    assert plan["answer"] == "12.03 15:00"  # п. 17: 4 working hours
    assert plan["draft"] == "12.03 11:00"


def test_otradnensky_over_a_weekend_with_a_holiday(cal: WorkCalendar) -> None:
    # Friday 07.03.2025 is shortened (ends 17:00); 08.03 a holiday, then the weekend.
    plan = planned("otradnensky-2021", D(2025, 3, 7, 15, 0), cal)
    assert plan["route"] == "07.03 15:30"
    assert plan["answer"] == "10.03 16:00"  # 2 h on Friday, 4 + 2 on Monday
    assert plan["draft"] == "10.03 12:00"  # 3 working hours before, lunch out


def test_konyshevsky(cal: WorkCalendar) -> None:
    plan = planned("konyshevsky-2020", WEDNESDAY_10, cal)
    assert plan["route"] == "12.03 10:30"  # п. 7: to the curator in 30 minutes
    assert plan["answer"] == "13.03 10:00"  # п. 10
    assert plan["draft"] == "12.03 15:00"  # п. 11: 4 hours before
    assert plan["clarification"] == "12.03 15:00"  # п. 11: with the draft
    assert plan["part"] == "12.03 12:30"  # п. 16: 2 hours each
    # п. 10 counts from the curator's receipt: registered 50 minutes after detection.
    late = planned("konyshevsky-2020", WEDNESDAY_10, cal, registered_at=D(2025, 3, 12, 10, 50))
    assert late["answer"] == "13.03 10:50"
    regulation = get_preset("konyshevsky-2020")
    assert regulation.routing_mode is RoutingMode.SEQUENTIAL
    assert regulation.consolidator is Consolidator.LAST
    assert regulation.repeat_requires_measures


def test_okhinsky_counts_24_hours_without_days_off(cal: WorkCalendar) -> None:
    # Posted Friday 07.03.2025 at 11:00: the 24 hours stop over 08–09.03.
    plan = planned("okhinsky-2023", D(2025, 3, 7, 12, 0), cal, posted_at=D(2025, 3, 7, 11, 0))
    assert plan["route"] == "07.03 15:00"  # п. 3.1: 3 working hours from posting, lunch out
    assert plan["answer"] == "10.03 11:00"  # п. 3.2
    assert plan["draft"] == "10.03 11:00"
    assert plan["explanation"] == "10.03 17:00"  # п. 3.7: 12 working hours (5 + 7)
    regulation = get_preset("okhinsky-2023")
    assert regulation.rule(StepName.EXPLANATION) is not None
    assert regulation.rule(StepName.ANSWER).clock is Clock.WORKDAY_CALENDAR_HOURS  # type: ignore[union-attr]


def test_izobilnensky_has_two_channel_profiles(cal: WorkCalendar) -> None:
    own = planned("izobilnensky-2024", WEDNESDAY_10, cal, channel="vk")
    assert own == {
        "route": "12.03 10:30",
        "part": "12.03 14:30",
        "draft": "12.03 14:30",
        "publish": "12.03 15:00",
        "answer": "12.03 15:00",
    }
    governor = {
        "route": "12.03 11:00",
        "part": "12.03 12:30",
        "draft": "12.03 12:30",
        "publish": "12.03 13:00",
        "answer": "12.03 13:00",
    }
    assert planned("izobilnensky-2024", WEDNESDAY_10, cal, channel="governor") == governor
    assert planned("izobilnensky-2024", WEDNESDAY_10, cal, channel="governor_telegram") == governor
    assert (
        planned(
            "izobilnensky-2024",
            WEDNESDAY_10,
            cal,
            channel=Network.TELEGRAM,
            account_owner=AccountOwner.GOVERNOR,
        )
        == governor
    )
    # The head's own Telegram is an own channel.
    assert (
        planned(
            "izobilnensky-2024",
            WEDNESDAY_10,
            cal,
            channel="telegram",
            account_owner=AccountOwner.HEAD,
        )
        == own
    )
    regulation = get_preset("izobilnensky-2024")
    assert regulation.curator_publishes and not regulation.review


def test_barnaul_takes_the_monitoring_systems_deadline(cal: WorkCalendar) -> None:
    external = D(2025, 3, 13, 12, 0)
    plan = planned("barnaul-leninsky", WEDNESDAY_10, cal, external_deadline=external)
    assert plan["answer"] == plan["publish"] == "13.03 12:00"
    assert plan["competence_check"] == "12.03 10:30"  # п. 5
    # The draft and the rework have the deadlines the controller sets (п. 5, 6): none here.
    assert "draft" not in plan and "rework" not in plan and "review" not in plan
    assert "route" not in plan
    assert planned("barnaul-leninsky", WEDNESDAY_10, cal).get("answer") is None
    regulation = get_preset("barnaul-leninsky")
    assert regulation.upstream and regulation.department_approval
    assert regulation.routing_mode is RoutingMode.CONTROLLER_CONSOLIDATES
    draft = regulation.rule(StepName.DRAFT)
    assert draft is not None and draft.manual and draft.amount is None
    assert (
        draft.describe() == "срок устанавливает куратор (п. 5: в срок, установленный Контролером)"
    )


def test_interim_to_final_is_seven_working_days() -> None:
    rule = get_preset("otradnensky-2021").rule(StepName.FINAL_AFTER_INTERIM)
    assert rule is not None and rule.amount == 7 and rule.clock is Clock.WORKING_DAYS
    assert rule.due(D(2025, 4, 30, 15, 0), WorkCalendar()) == D(2025, 5, 15, 18, 0)


def test_rules_describe_themselves_for_tooltips() -> None:
    regulation = get_preset("otradnensky-2021")
    assert (
        regulation.rule(StepName.ANSWER, importance=Importance.HIGH).describe()  # type: ignore[union-attr]
        == "4 ч рабочего времени от выявления (п. 17)"
    )
    assert regulation.rule(StepName.DRAFT).describe() == (  # type: ignore[union-attr]
        "3 ч рабочего времени до истечения срока ответа (п. 12)"
    )


@pytest.mark.parametrize("slug", PRESET_SLUGS)
def test_a_preset_written_out_reads_back_the_same(slug: str) -> None:
    regulation = get_preset(slug)
    again = parse_regulation(regulation_to_toml(regulation))
    assert dataclasses.replace(again, source="") == dataclasses.replace(regulation, source="")


def test_a_copy_has_its_own_slug_and_title() -> None:
    copy = with_slug(get_preset("otradnensky-2021"), "otradnoe-2026", "Отрадное, наш порядок")
    assert copy.slug == "otradnoe-2026"
    assert parse_regulation(copy.source).title == "Отрадное, наш порядок"


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("30m", dt.timedelta(minutes=30)),
        ("1h30m", dt.timedelta(hours=1, minutes=30)),
        ("7d", dt.timedelta(days=7)),
    ],
)
def test_durations(text: str, complaint: dt.timedelta) -> None:
    assert parse_duration(text) == complaint


MINIMAL = """
slug = "test-1"
title = "Тест"
[steps.answer]
after = "8h"
from = "detected"
rule = "п. 1"
"""


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (('slug = "test-1"', 'slug = "Тест 1"'), "slug"),
        (('title = "Тест"', ""), "title"),
        (("[steps.answer]", "[steps.answr]"), "неизвестный шаг «answr»"),
        (('after = "8h"', 'after = "8 часов"'), "длительность"),
        (('after = "8h"', "after = 8"), "строкой"),
        (('from = "detected"', 'from = "submitted"'), "не может отсчитываться"),
        (('from = "detected"', 'from = "yesterday"'), "можно detected"),
        (('after = "8h"', 'before = "8h"'), "before отсчитывается"),
        (('after = "8h"', 'after = "8h"\nclock = "business"'), "clock"),
        (('rule = "п. 1"', 'rule = "п. 1"\n[steps.draft]\nrule = "x"'), "нет срока"),
        (('slug = "test-1"', 'slug = "test-1"\nrouting_mode = "random"'), "routing_mode"),
        (('slug = "test-1"', 'slug = "test-1"\nreview = "yes"'), "true или false"),
        (('slug = "test-1"', "slug = [1"), "ошибка в файле"),
    ],
)
def test_a_wrong_regulation_is_refused_with_the_reason(
    change: tuple[str, str], complaint: str
) -> None:
    with pytest.raises(ValidationError, match=complaint):
        parse_regulation(MINIMAL.replace(*change), "test.toml")


def test_working_days_are_whole_days() -> None:
    text = MINIMAL + '[steps.final_after_interim]\nafter = "7d"\nclock = "working_days"\n'
    text += 'from = "interim_published"\n'
    regulation = parse_regulation(text)
    assert regulation.rule(StepName.FINAL_AFTER_INTERIM).amount == 7  # type: ignore[union-attr]
    with pytest.raises(ValidationError, match="целые дни"):
        parse_regulation(text.replace('"7d"', '"7h"'))


def test_anchors_cover_every_regulation_moment() -> None:
    used = {
        rule.anchor
        for regulation in PRESETS.values()
        for profile in (regulation.default, *regulation.profiles.values())
        for rule in profile.steps.values()
    }
    assert used == set(Anchor)


def test_a_manual_step_may_carry_a_default() -> None:
    text = MINIMAL + '[steps.rework]\nmanual = true\nafter = "2h"\nfrom = "returned"\n'
    rule = parse_regulation(text).rule(StepName.REWORK)
    assert rule is not None and rule.manual and rule.amount == dt.timedelta(hours=2)
    assert (
        rule.describe()
        == "2 ч рабочего времени от возврата на доработку; срок может установить куратор"
    )
    without = parse_regulation(MINIMAL + "[steps.rework]\nmanual = true\n").rule(StepName.REWORK)
    assert without is not None and without.due(D(2025, 3, 12, 10, 0), WorkCalendar()) is None
