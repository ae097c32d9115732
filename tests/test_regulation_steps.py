"""Editing a copy's steps by duration and clock, through the same checks as an imported file."""

from __future__ import annotations

import datetime as dt

import pytest
from desk import Desk

from desktop.models.entities import AuditEvent
from desktop.models.enums import StepKind
from desktop.services.errors import AccessDenied, ConflictError, ValidationError
from desktop.services.office import Office
from desktop.services.office_hours import OfficeHours
from desktop.services.office_regulation import (
    copy_regulation,
    regulation_by_slug,
    save_regulation,
    use_regulation,
)
from desktop.services.regulation_steps import (
    StepEdit,
    format_step_amount,
    parse_step_amount,
    regulation_steps,
    save_step_edits,
    step_rows,
)
from desktop.services.regulations import StepName, get_preset
from desktop.services.workcalendar import Clock

H = dt.timedelta(hours=1)
M = dt.timedelta(minutes=1)
S = StepName


@pytest.fixture
def desk(office: Office) -> Desk:
    return Desk(office, "otradnensky-2021")


@pytest.mark.parametrize(
    ("text", "clock", "amount"),
    [
        ("30 мин", Clock.WORKING_HOURS, 30 * M),
        ("1 ч 30 мин", Clock.WORKING_HOURS, 90 * M),
        ("1h30m", Clock.WORKING_HOURS, 90 * M),
        ("8 часов", Clock.CALENDAR, 8 * H),
        ("24 ч", Clock.WORKDAY_CALENDAR_HOURS, 24 * H),
        ("2 сут", Clock.CALENDAR, 48 * H),
        ("7 раб. дн.", Clock.WORKING_DAYS, 7),
        ("7", Clock.WORKING_DAYS, 7),
        ("  ", Clock.WORKING_HOURS, None),
    ],
)
def test_durations_as_typed(text: str, clock: Clock, amount: object) -> None:
    assert parse_step_amount(text, clock) == amount


@pytest.mark.parametrize(
    ("text", "clock", "message"),
    [
        ("8", Clock.WORKING_HOURS, "Не понимаю срок «8»"),
        ("полчаса", Clock.WORKING_HOURS, "Не понимаю срок"),
        ("0 мин", Clock.WORKING_HOURS, "больше нуля"),
        ("1 ч", Clock.WORKING_DAYS, "целые дни"),
        ("0", Clock.WORKING_DAYS, "не меньше одного"),
        ("400 дн", Clock.CALENDAR, "не больше года"),
    ],
)
def test_bad_durations_are_named(text: str, clock: Clock, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        parse_step_amount(text, clock)


def test_amounts_read_back_as_shown() -> None:
    for amount, clock in ((90 * M, Clock.WORKING_HOURS), (7, Clock.WORKING_DAYS)):
        assert parse_step_amount(format_step_amount(amount), clock) == amount


def test_every_rule_of_a_preset_is_a_row() -> None:
    izobilnensky = get_preset("izobilnensky-2024")
    rows = step_rows(izobilnensky)
    assert {row.profile for row in rows} == {"default", *izobilnensky.profiles}
    answer = next(r for r in step_rows(get_preset("otradnensky-2021")) if r.step is S.ANSWER)
    assert (answer.amount_text, answer.clock, answer.start, answer.rule) == (
        "8 ч",
        Clock.WORKING_HOURS,
        "от выявления",
        "п. 9",
    )
    high = [r for r in step_rows(get_preset("otradnensky-2021")) if r.high]
    assert [(r.step, r.amount_text) for r in high] == [(S.ANSWER, "4 ч")]


def test_a_copys_step_gets_a_new_duration_and_clock(desk: Desk) -> None:
    copy_regulation(desk.admin, "otradnensky-2021", "otradnoe-6h", "Отрадное, 6 часов")
    regulation, _ = regulation_steps("otradnoe-6h")
    saved = save_step_edits(
        desk.admin,
        "otradnoe-6h",
        [
            StepEdit(S.ANSWER, "6 ч", Clock.WORKING_HOURS),
            StepEdit(S.ROUTE, "1 ч", Clock.CALENDAR),
            StepEdit(S.FINAL_AFTER_INTERIM, "5 дн", Clock.WORKING_DAYS),
        ],
        based_on=regulation.source,
    )
    rule = saved.default.steps[S.ROUTE]
    assert (rule.amount, rule.clock, rule.rule) == (H, Clock.CALENDAR, "п. 10")  # paragraph kept
    assert saved.default.high[S.ANSWER].amount == 4 * H  # the high-importance rule stays
    assert regulation_by_slug("otradnoe-6h") == saved
    use_regulation(desk.admin, "otradnoe-6h")
    incident = desk.register()
    assert desk.due(incident, StepKind.ANSWER) == "12.03 17:00"  # 10:00 + 6 working hours
    assert desk.due(incident, StepKind.ROUTE) == "12.03 11:00"
    assert [e.action for e in AuditEvent.select()].count("save_regulation") == 2  # copy, edit


def test_a_high_importance_rule_and_a_profile_are_edited_on_their_own(desk: Desk) -> None:
    copy_regulation(desk.admin, "izobilnensky-2024", "izo-copy", "Изобильный, копия")
    profile = next(iter(regulation_by_slug("izo-copy").profiles))
    rows = [r for r in regulation_steps("izo-copy")[1] if r.profile == profile]
    saved = save_step_edits(
        desk.admin,
        "izo-copy",
        [StepEdit(rows[0].step, "2 ч", Clock.WORKING_HOURS, profile=profile)],
    )
    assert saved.profiles[profile].steps[rows[0].step].amount == 2 * H
    assert saved.default.steps == get_preset("izobilnensky-2024").default.steps
    copy_regulation(desk.admin, "otradnensky-2021", "otradnoe-high", "Отрадное")
    saved = save_step_edits(
        desk.admin, "otradnoe-high", [StepEdit(S.ANSWER, "3 ч", Clock.WORKING_HOURS, high=True)]
    )
    assert (saved.default.steps[S.ANSWER].amount, saved.default.high[S.ANSWER].amount) == (
        8 * H,
        3 * H,
    )


def test_presets_are_never_edited(desk: Desk) -> None:
    with pytest.raises(ValidationError, match="сделайте копию"):
        save_step_edits(
            desk.admin, "otradnensky-2021", [StepEdit(S.ANSWER, "6 ч", Clock.WORKING_HOURS)]
        )


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (StepEdit(S.ANSWER, "", Clock.WORKING_HOURS), "укажите срок"),
        (StepEdit(S.DRAFT, "1 дн", Clock.WORKING_DAYS), "отсчитывается назад"),
        (StepEdit(S.EXPLANATION, "1 ч", Clock.WORKING_HOURS), "нет шага «Разъяснение»"),
        (StepEdit(S.ROUTE, "1 ч", Clock.WORKING_HOURS, profile="vip"), "нет профиля"),
        (StepEdit(S.ROUTE, "сейчас", Clock.WORKING_HOURS), "Не понимаю срок"),
    ],
)
def test_bad_edits_change_nothing(desk: Desk, edit: StepEdit, message: str) -> None:
    copy = copy_regulation(desk.admin, "otradnensky-2021", "otradnoe-copy", "Копия")
    with pytest.raises(ValidationError, match=message):
        save_step_edits(desk.admin, "otradnoe-copy", [edit])
    assert regulation_by_slug("otradnoe-copy") == copy


def test_a_copy_saved_meanwhile_is_not_overwritten(desk: Desk) -> None:
    copy = copy_regulation(desk.admin, "otradnensky-2021", "otradnoe-copy", "Копия")
    save_regulation(desk.admin, copy.source.replace('after = "8h"', 'after = "7h"', 1))
    with pytest.raises(ConflictError) as caught:
        save_step_edits(
            desk.admin,
            "otradnoe-copy",
            [StepEdit(S.ROUTE, "1 ч", Clock.WORKING_HOURS)],
            based_on=copy.source,
        )
    assert caught.value.changed_by == "tester"
    assert regulation_by_slug("otradnoe-copy").default.steps[S.ANSWER].amount == 7 * H


def test_unchanged_edits_keep_the_stored_text(desk: Desk) -> None:
    copy = copy_regulation(desk.admin, "otradnensky-2021", "otradnoe-copy", "Копия")
    text = "# мой комментарий\n" + copy.source
    save_regulation(desk.admin, text)
    saved = save_step_edits(
        desk.admin, "otradnoe-copy", [StepEdit(S.ANSWER, "8 ч", Clock.WORKING_HOURS)]
    )
    assert saved.source == text


def test_only_an_administrator_edits_steps(desk: Desk) -> None:
    copy_regulation(desk.admin, "otradnensky-2021", "otradnoe-copy", "Копия")
    with pytest.raises(AccessDenied):
        save_step_edits(
            desk.curator, "otradnoe-copy", [StepEdit(S.ANSWER, "6 ч", Clock.WORKING_HOURS)]
        )


# --- office hours typed a day at a time ------------------------------------------------------


def test_office_hours_typed_per_weekday() -> None:
    hours = OfficeHours.from_days(
        {
            0: "08:00–12:00, 12:48–17:00",
            1: "08:00-12:00, 12:48-17:00",
            4: "08:00–12:00, 12:48–15:45",
            5: "выходной",
            6: "",
        }
    )
    assert hours.describe() == "Пн, Вт 08:00–12:00, 12:48–17:00; Пт 08:00–12:00, 12:48–15:45"
    assert hours.day_text(0) == "08:00–12:00, 12:48–17:00"
    assert hours.day_text(2) == ""


@pytest.mark.parametrize(
    ("days", "message"),
    [
        ({0: "9-18"}, "Пн: Не понимаю интервалы"),
        ({2: "10:00–09:00"}, "Ср: начало 10:00 должно быть раньше"),
        ({5: "10:00–14:00"}, "хотя бы для одного дня с понедельника по пятницу"),
    ],
)
def test_bad_weekdays_are_named(days: dict[int, str], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        OfficeHours.from_days(days)
