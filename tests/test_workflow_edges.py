"""The workflow's less travelled paths: returns mid-way, reworked parts, edits, deadlines set
by hand, who answers for a step, the report to management."""

from __future__ import annotations

import datetime as dt

import pytest
from desk import MOSCOW, Desk

from desktop.models.entities import AnswerVersion, Employee, Step
from desktop.models.enums import (
    AnswerKind,
    AnswerStatus,
    AssignmentStatus,
    Importance,
    IncidentSource,
    IncidentStatus,
    Network,
    ReturnReason,
    ReviewDecision,
    Role,
    RoutingMode,
    StepKind,
)
from desktop.services.errors import AccessDenied, ValidationError
from desktop.services.incidents import (
    DuplicateLink,
    InvalidTransition,
    RouteTarget,
    answer_requirements,
)
from desktop.services.office import Office

K = StepKind


def kinds(desk: Desk, incident: int) -> list[tuple[StepKind, str]]:
    return [row for row in desk.open_kinds(incident) if row[0] is not K.ANSWER]


# --- returns in the middle of a consolidated answer ---------------------------------------


def test_a_return_in_sequential_mode_passes_the_message_on(office: Office) -> None:
    desk = Desk(office, "konyshevsky-2020")
    incident = desk.register()
    desk.svc(desk.curator).route(
        incident, [RouteTarget(desk.dept("ЖКХ")), RouteTarget(desk.dept("Дороги"))]
    )
    desk.at(12, 10, 10)
    desk.svc(desk.executors["ЖКХ"]).return_not_competent(incident, "не наше")
    # The next in the order gets it at once; the curator has the returned part to place.
    assert kinds(desk, incident) == [
        (K.REROUTE, ""),
        (K.COMPETENCE_CHECK, "Дороги"),
        (K.DRAFT, "Дороги"),
    ]
    assert desk.due(incident, K.REROUTE) == "12.03 10:40"  # п. 9
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept("Образование"))])
    assert desk.incident(incident).routing_mode is RoutingMode.SEQUENTIAL
    positions = {
        name: desk.assignment(incident, name).position for name in ("ЖКХ", "Дороги", "Образование")
    }
    assert positions == {"ЖКХ": 0, "Дороги": 1, "Образование": 2}
    assert desk.assignment(incident, "Образование").status is AssignmentStatus.ASSIGNED


def test_a_return_of_the_only_department_in_sequential_mode(office: Office) -> None:
    desk = Desk(office, "konyshevsky-2020")
    incident = desk.register()
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept("ЖКХ"))])
    desk.svc(desk.executors["ЖКХ"]).return_not_competent(incident, "не наше")
    assert desk.incident(incident).status is IncidentStatus.RETURNED
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept("Дороги"))])
    assert kinds(desk, incident) == [(K.COMPETENCE_CHECK, "Дороги"), (K.DRAFT, "Дороги")]


def test_a_part_in_before_the_returned_one_is_replaced(desk_otradnensky: Desk) -> None:
    desk = desk_otradnensky
    incident = desk.register()
    desk.svc(desk.curator).route(
        incident, [RouteTarget(desk.dept("ЖКХ")), RouteTarget(desk.dept("Образование"))]
    )
    desk.svc(desk.executors["Образование"]).return_not_competent(incident, "не наше")
    desk.svc(desk.executors["ЖКХ"]).submit_draft(incident, "Часть ЖКХ", kind=AnswerKind.PART)
    # The consolidated draft waits: the curator still has the returned part to place.
    assert (K.DRAFT, "") not in desk.open_kinds(incident)
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept("Дороги"))])
    assert (K.PART, "Дороги") in desk.open_kinds(incident)
    with pytest.raises(InvalidTransition, match="часть сводного ответа"):
        desk.svc(desk.executors["Дороги"]).submit_draft(incident, "Весь ответ")
    desk.svc(desk.executors["Дороги"]).submit_draft(incident, "Часть дорог", kind=AnswerKind.PART)
    assert (K.DRAFT, "") in desk.open_kinds(incident)  # both parts in: the curator picks
    desk.svc(desk.curator).pick_consolidator(incident, desk.dept("Дороги"))
    assert (K.DRAFT, "Дороги") in desk.open_kinds(incident)


def test_the_answered_departments_may_be_enough(desk_otradnensky: Desk) -> None:
    desk = desk_otradnensky
    incident = desk.register()
    desk.svc(desk.curator).route(
        incident, [RouteTarget(desk.dept("ЖКХ")), RouteTarget(desk.dept("Образование"))]
    )
    desk.svc(desk.executors["Образование"]).return_not_competent(incident, "не наше")
    desk.svc(desk.executors["ЖКХ"]).submit_draft(incident, "Часть ЖКХ", kind=AnswerKind.PART)
    desk.svc(desk.curator).pick_consolidator(incident, desk.dept("ЖКХ"))
    assert kinds(desk, incident) == [(K.DRAFT, "ЖКХ")]
    reroute = next(r for r in desk.steps(incident) if r.kind is K.REROUTE)
    assert reroute.cancelled


def test_a_returned_part_is_reworked_as_a_part(office: Office) -> None:
    desk = Desk(office, "barnaul-leninsky")
    incident = desk.register(
        source=IncidentSource.UPSTREAM,
        external_number="ИМ-1",
        external_deadline=dt.datetime(2025, 3, 13, 12, 0, tzinfo=MOSCOW),
    )
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept(n)) for n in ("ЖКХ", "Дороги")])
    part = desk.svc(desk.executors["ЖКХ"]).submit_draft(incident, "Часть", kind=AnswerKind.PART)
    desk.svc(desk.heads["ЖКХ"]).approve_department(
        incident, part, ReviewDecision.RETURN, reasons=[ReturnReason.FORMAT]
    )
    assert (K.REWORK, "ЖКХ") in desk.open_kinds(incident)
    with pytest.raises(InvalidTransition, match="часть сводного ответа"):
        desk.svc(desk.executors["ЖКХ"]).submit_draft(incident, "Весь ответ")
    again = desk.svc(desk.executors["ЖКХ"]).submit_draft(incident, "Часть 2", kind=AnswerKind.PART)
    desk.svc(desk.heads["ЖКХ"]).approve_department(incident, again)
    other = desk.svc(desk.executors["Дороги"]).submit_draft(
        incident, "Дороги", kind=AnswerKind.PART
    )
    desk.svc(desk.heads["Дороги"]).approve_department(incident, other)
    assert kinds(desk, incident) == [(K.DRAFT, "")]


# --- one draft waits at a time; clarifications --------------------------------------------


def test_a_clarification_and_an_answer_do_not_wait_together(desk_otradnensky: Desk) -> None:
    desk = desk_otradnensky
    incident = desk.register()
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept("ЖКХ"))])
    executor = desk.svc(desk.executors["ЖКХ"])
    question = executor.submit_draft(incident, "Какой дом?", kind=AnswerKind.CLARIFICATION)
    with pytest.raises(InvalidTransition, match="на согласовании"):
        executor.submit_draft(incident, "Ответ")
    desk.svc(desk.curator).review(
        incident, question, ReviewDecision.RETURN, reasons=[ReturnReason.FORMAT]
    )
    executor.submit_draft(incident, "Уточните номер дома", kind=AnswerKind.CLARIFICATION)
    rework = [r for r in desk.steps(incident) if r.kind is K.REWORK]
    assert [r.done != "-" for r in rework] == [True]
    assert len([r for r in desk.steps(incident) if r.kind is K.CLARIFICATION]) == 1


def test_an_answer_approved_with_edits_is_published_once(desk_otradnensky: Desk) -> None:
    desk = desk_otradnensky
    incident = desk.register()
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept("ЖКХ"))])
    interim = desk.svc(desk.executors["ЖКХ"]).submit_draft(
        incident, "В работе", kind=AnswerKind.INTERIM
    )
    desk.svc(desk.curator).review(
        incident, interim, ReviewDecision.APPROVE_WITH_EDITS, edited_text="Вопрос в работе"
    )
    desk.svc(desk.executors["ЖКХ"]).publish(incident, url="https://vk.com/wall-1_1?r=1")
    with pytest.raises(InvalidTransition, match="Нет согласованного ответа"):
        desk.svc(desk.executors["ЖКХ"]).publish(incident, url="https://vk.com/wall-1_1?r=2")
    published = AnswerVersion.get(AnswerVersion.status == AnswerStatus.PUBLISHED)
    assert published.text == "Вопрос в работе"
    assert len([r for r in desk.steps(incident) if r.kind is K.FINAL_AFTER_INTERIM]) == 1


def test_the_curator_corrects_before_publishing_where_nobody_approves(office: Office) -> None:
    desk = Desk(office, "izobilnensky-2024")
    incident = desk.register()
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept("ЖКХ"))])
    answer = desk.svc(desk.executors["ЖКХ"]).submit_draft(incident, "Ответ с ошибкой")
    corrected = desk.svc(desk.curator).review(
        incident, answer, ReviewDecision.APPROVE_WITH_EDITS, edited_text="Ответ без ошибки"
    )
    assert kinds(desk, incident) == [(K.PUBLISH, "")]
    desk.svc(desk.curator).publish(incident, url="https://vk.com/wall-1_1?r=1")
    assert AnswerVersion.get_by_id(corrected).status is AnswerStatus.PUBLISHED
    assert AnswerVersion.get_by_id(answer).status is AnswerStatus.SUPERSEDED


# --- the card --------------------------------------------------------------------------------


def test_editing_the_card_checks_like_registering(desk_otradnensky: Desk) -> None:
    desk = desk_otradnensky
    first = desk.register(link="https://vk.com/wall-1_1")
    second = desk.register(link="https://vk.com/wall-1_2")
    service = desk.svc(desk.operator)

    def version() -> int:
        return desk.incident(second).version

    with pytest.raises(DuplicateLink):
        service.edit(second, version(), {"link": "https://m.vk.com/wall-1_1"})
    with pytest.raises(ValidationError, match="не похожа на адрес"):
        service.edit(second, version(), {"author_url": "не ссылка"})
    with pytest.raises(ValidationError, match="Нет такой темы"):
        service.edit(second, version(), {"topic": 999})
    with pytest.raises(ValidationError, match="важности"):
        service.edit(second, version(), {"importance": "urgent"})
    with pytest.raises(ValidationError, match="длиннее"):
        service.edit(second, version(), {"author_name": "Я" * 400})
    service.edit(
        second, version(), {"link": "https://t.me/channel/5", "author_name": " Иван\u200b "}
    )
    edited = desk.incident(second)
    assert (edited.network, edited.author_name) == (Network.TELEGRAM, "Иван")
    assert desk.incident(first).link == "https://vk.com/wall-1_1"


def test_a_repeat_must_follow_the_earlier_message(desk_otradnensky: Desk) -> None:
    desk = desk_otradnensky
    desk.at(13, 10, 0)
    later = desk.register()
    with pytest.raises(ValidationError, match="выявленное позже"):
        desk.register(
            link="https://vk.com/wall-1_9",
            detected_at=dt.datetime(2025, 3, 12, 10, 0, tzinfo=MOSCOW),
            repeat_of=later,
        )


def test_a_detection_outside_the_calendar_is_a_validation_error(desk_otradnensky: Desk) -> None:
    with pytest.raises(ValidationError, match="1985"):
        desk_otradnensky.register(detected_at=dt.datetime(1985, 3, 12, 10, 0, tzinfo=MOSCOW))


# --- deadlines set by hand, and importance ------------------------------------------------


def test_deadlines_the_curator_sets(desk_otradnensky: Desk) -> None:
    desk = desk_otradnensky
    incident = desk.register()
    curator = desk.svc(desk.curator)
    with pytest.raises(ValidationError, match="часовым поясом"):
        curator.route(
            incident, [RouteTarget(desk.dept("ЖКХ"))], draft_due=dt.datetime(2025, 3, 12, 15, 0)
        )
    with pytest.raises(ValidationError, match="уже прошёл"):
        curator.route(
            incident,
            [RouteTarget(desk.dept("ЖКХ"))],
            draft_due=dt.datetime(2025, 3, 11, 15, 0, tzinfo=MOSCOW),
        )
    curator.route(incident, [RouteTarget(desk.dept("ЖКХ"))])
    draft_step = Step.get((Step.incident == incident) & (Step.kind == K.DRAFT))
    curator.set_due(incident, draft_step.id, dt.datetime(2025, 3, 12, 17, 30, tzinfo=MOSCOW))
    assert desk.due(incident, K.DRAFT) == "12.03 17:30"
    competence = Step.get((Step.incident == incident) & (Step.kind == K.COMPETENCE_CHECK))
    with pytest.raises(InvalidTransition, match=r"п\. 11"):
        curator.set_due(incident, competence.id, dt.datetime(2025, 3, 20, 10, 0, tzinfo=MOSCOW))
    # Raising importance moves the answer deadline but keeps the draft deadline he set.
    curator.edit(incident, desk.incident(incident).version, {"importance": Importance.HIGH})
    assert desk.due(incident, K.ANSWER) == "12.03 15:00"
    assert desk.due(incident, K.DRAFT) == "12.03 17:30"
    answer = desk.svc(desk.executors["ЖКХ"]).submit_draft(incident, "Ответ")
    review_step = Step.get((Step.incident == incident) & (Step.kind == K.REVIEW))
    with pytest.raises(InvalidTransition, match="не меняется вручную"):
        curator.set_due(incident, review_step.id, dt.datetime(2025, 3, 20, 10, 0, tzinfo=MOSCOW))
    assert answer


def test_after_an_interim_answer_the_curator_sets_the_review_deadline(
    desk_otradnensky: Desk,
) -> None:
    desk = desk_otradnensky
    incident = desk.register()
    curator = desk.svc(desk.curator)
    curator.route(incident, [RouteTarget(desk.dept("ЖКХ"))])
    executor = desk.svc(desk.executors["ЖКХ"])
    interim = executor.submit_draft(incident, "В работе", kind=AnswerKind.INTERIM)
    curator.review(incident, interim, ReviewDecision.APPROVE)
    executor.publish(incident, url="https://vk.com/wall-1_1?r=1")
    final = executor.submit_draft(incident, "Сделано")
    review_step = Step.get(
        (Step.incident == incident) & (Step.kind == K.REVIEW) & Step.done_at.is_null()
    )
    curator.set_due(incident, review_step.id, dt.datetime(2025, 3, 14, 12, 0, tzinfo=MOSCOW))
    assert desk.due(incident, K.REVIEW) == "14.03 12:00"
    # The importance of an answered-with-interim message no longer moves any deadline.
    curator.edit(incident, desk.incident(incident).version, {"importance": Importance.HIGH})
    assert desk.due(incident, K.FINAL_AFTER_INTERIM) == "21.03 18:00"
    assert final


# --- who answers for each step -------------------------------------------------------------


def test_every_done_step_names_who_answered_for_it(desk_otradnensky: Desk) -> None:
    desk = desk_otradnensky
    incident = desk.register()
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept("ЖКХ"))])  # no executor named
    executor = desk.executors["ЖКХ"]
    desk.svc(executor).accept(incident)
    answer = desk.svc(executor).submit_draft(incident, "Ответ")
    desk.svc(desk.curator).review(incident, answer, ReviewDecision.APPROVE)
    desk.svc(executor).publish(incident, url="https://vk.com/wall-1_1?r=1")
    names = {e.id: e.os_login for e in Employee.select()}
    responsible = {
        step.kind: names.get(step.responsible_id)
        for step in Step.select().where(Step.incident == incident)
    }
    assert responsible == {
        K.ANSWER: "executor0",
        K.ROUTE: "curator",
        K.COMPETENCE_CHECK: "executor0",
        K.DRAFT: "executor0",
        K.REVIEW: "curator",
        K.PUBLISH: "executor0",
    }
    assert desk.assignment(incident, "ЖКХ").executor_id == executor.employee_id


# --- the report to management -------------------------------------------------------------


def test_a_high_importance_message_waits_for_its_report(desk_otradnensky: Desk) -> None:
    desk = desk_otradnensky
    incident = desk.register(importance=Importance.HIGH)
    assert (K.REPORT, "") in desk.open_kinds(incident)
    assert answer_requirements(incident) == [
        "Инцидент повышенной важности: доложите незамедлительно "
        "(первый заместитель главы муниципального образования (п. 24))."
    ]
    desk.at(12, 10, 5)
    desk.svc(desk.operator).notify_manager(incident)
    desk.at(12, 10, 20)
    desk.svc(desk.curator).notify_manager(incident)  # a second report keeps the first moment
    assert desk.incident(incident).manager_notified_at == dt.datetime(
        2025, 3, 12, 7, 5, tzinfo=dt.UTC
    )
    report = next(r for r in desk.steps(incident) if r.kind is K.REPORT)
    assert report.done == "12.03 10:05"
    assert answer_requirements(incident) == []


def test_a_normal_message_raised_to_high_importance_gets_its_report(desk_otradnensky: Desk) -> None:
    desk = desk_otradnensky
    incident = desk.register()
    assert (K.REPORT, "") not in desk.open_kinds(incident)
    desk.svc(desk.curator).edit(incident, 1, {"importance": "high"})
    assert (K.REPORT, "") in desk.open_kinds(incident)


def test_a_repeat_asks_for_the_measures_taken(office: Office) -> None:
    desk = Desk(office, "konyshevsky-2020")
    first = desk.register()
    again = desk.register(repeat_of=first)
    assert "принятых мерах" in answer_requirements(again)[0]
    assert answer_requirements(first) == []


def test_a_curator_who_heads_one_department_does_not_approve_for_another(office: Office) -> None:
    desk = Desk(office, "barnaul-leninsky")
    boss = desk.person("boss", "Дороги", Role.CURATOR, Role.DEPARTMENT_HEAD)
    incident = desk.register(
        source=IncidentSource.UPSTREAM,
        external_number="ИМ-2",
        external_deadline=dt.datetime(2025, 3, 13, 12, 0, tzinfo=MOSCOW),
    )
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept("ЖКХ"))])
    draft = desk.svc(desk.executors["ЖКХ"]).submit_draft(incident, "Ответ")
    with pytest.raises(AccessDenied, match="того органа"):
        desk.svc(boss).approve_department(incident, draft)


@pytest.fixture
def desk_otradnensky(office: Office) -> Desk:
    return Desk(office, "otradnensky-2021")
