"""Отрадненский Порядок end to end, with a fake clock: every due moment asserted."""

from __future__ import annotations

import pytest
from desk import Desk

from desktop.models.entities import AnswerVersion, Review
from desktop.models.enums import (
    AnswerKind,
    AnswerStatus,
    AssignmentStatus,
    Importance,
    IncidentStatus,
    ReturnReason,
    ReviewDecision,
    Role,
    StepKind,
)
from desktop.services.incidents import InvalidTransition, RouteTarget
from desktop.services.office import Office

K = StepKind


@pytest.fixture
def desk(office: Office) -> Desk:
    return Desk(office, "otradnensky-2021")


def test_one_department_across_the_lunch_break_with_a_rework_loop(desk: Desk) -> None:
    desk.at(12, 12, 40)  # Wednesday
    incident = desk.register()
    # п. 10: 30 working minutes to route, lunch 13–14 out; п. 9: 8 working hours.
    assert desk.due(incident, K.ROUTE) == "12.03 14:10"
    assert desk.due(incident, K.ANSWER) == "13.03 12:40"
    assert desk.incident(incident).status is IncidentStatus.NEW

    desk.at(12, 14, 5)
    executor = desk.executors["ЖКХ"]
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept("ЖКХ"), executor.employee_id)])
    assert desk.due(incident, K.COMPETENCE_CHECK) == "12.03 14:35"  # п. 11
    assert desk.due(incident, K.DRAFT) == "13.03 09:40"  # п. 12: 3 working hours before
    assert desk.incident(incident).status is IncidentStatus.ROUTED

    desk.at(12, 17, 0)
    first = desk.svc(executor).submit_draft(incident, "Заделаем яму завтра")
    assert desk.due(incident, K.REVIEW) == "12.03 17:30"  # п. 14
    assert desk.incident(incident).status is IncidentStatus.ON_APPROVAL

    desk.at(12, 17, 20)
    desk.svc(desk.curator).review(
        incident,
        first,
        ReviewDecision.RETURN,
        reasons=[ReturnReason.SPELLING, ReturnReason.NOT_MATCHING_QUESTION],
        comment="Уточните адрес",
    )
    assert desk.due(incident, K.REWORK) == "13.03 09:20"  # п. 15: 1 working hour, overnight
    assert desk.incident(incident).status is IncidentStatus.REWORK
    review = Review.get(Review.answer == first)
    assert review.reasons == ["not_matching_question", "spelling"]

    desk.at(13, 9, 10)
    second = desk.svc(executor).submit_draft(incident, "Яму у дома 5 заделаем сегодня")
    assert AnswerVersion.get_by_id(second).number == 2
    desk.at(13, 9, 25)
    desk.svc(desk.curator).review(incident, second, ReviewDecision.APPROVE)
    assert desk.due(incident, K.PUBLISH) == "13.03 09:55"  # п. 16
    desk.at(13, 9, 50)
    desk.svc(executor).publish(incident, url="https://vk.com/wall-1_1?reply=7")
    done = desk.incident(incident)
    assert done.status is IncidentStatus.ANSWERED
    assert desk.open_kinds(incident) == []
    rows = {r.kind: r for r in desk.steps(incident)}
    assert rows[K.ANSWER].done == "13.03 09:50"  # within 13.03 12:40
    assert rows[K.COMPETENCE_CHECK].done == "12.03 14:35"  # the window passed, no return
    assert AnswerVersion.get_by_id(second).status is AnswerStatus.PUBLISHED


def test_a_weekend_with_a_holiday(desk: Desk) -> None:
    # Friday 07.03.2025 is shortened (ends 17:00), 08.03 is a holiday, then the weekend.
    desk.at(7, 15, 0)
    incident = desk.register()
    assert desk.due(incident, K.ROUTE) == "07.03 15:30"
    assert desk.due(incident, K.ANSWER) == "10.03 16:00"
    desk.at(7, 16, 50)
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept("Дороги"))])
    assert desk.due(incident, K.DRAFT) == "10.03 12:00"
    assert desk.due(incident, K.COMPETENCE_CHECK) == "10.03 09:20"  # 10 min Friday, 20 Monday


def test_high_importance_has_four_working_hours(desk: Desk) -> None:
    desk.at(12, 10, 0)
    incident = desk.register(importance=Importance.HIGH)
    assert desk.due(incident, K.ANSWER) == "12.03 15:00"  # п. 17
    desk.at(12, 10, 10)
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept("ЖКХ"))])
    assert desk.due(incident, K.DRAFT) == "12.03 11:00"
    # Importance lowered on the card: the deadlines go back to п. 9.
    desk.svc(desk.curator).edit(incident, desk.incident(incident).version, {"importance": "normal"})
    assert desk.due(incident, K.ANSWER) == "13.03 10:00"
    assert desk.due(incident, K.DRAFT) == "12.03 16:00"
    assert desk.incident(incident).answer_due_at is not None


def test_not_in_competence_return_and_reroute(desk: Desk) -> None:
    desk.at(12, 10, 0)
    incident = desk.register()
    desk.at(12, 10, 10)
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept("Образование"))])
    desk.at(12, 10, 30)
    desk.svc(desk.executors["Образование"]).return_not_competent(incident, "Это дороги, не школы")
    assert desk.incident(incident).status is IncidentStatus.RETURNED
    assert desk.due(incident, K.REROUTE) == "12.03 11:00"  # п. 11: 30 working minutes
    assert desk.assignment(incident, "Образование").status is AssignmentStatus.RETURNED
    cancelled = [r for r in desk.steps(incident) if r.cancelled]
    assert [r.kind for r in cancelled] == [K.DRAFT]
    desk.at(12, 10, 45)
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept("Дороги"))])
    assert desk.due(incident, K.DRAFT, "Дороги") == "12.03 16:00"  # the answer deadline holds
    assert desk.due(incident, K.COMPETENCE_CHECK, "Дороги") == "12.03 11:15"
    assert desk.incident(incident).status is IncidentStatus.ROUTED


def test_a_consolidated_answer_in_parallel(desk: Desk) -> None:
    desk.at(12, 10, 0)
    incident = desk.register()
    desk.at(12, 10, 20)
    desk.svc(desk.curator).route(
        incident,
        [RouteTarget(desk.dept(name)) for name in ("ЖКХ", "Дороги", "Образование")],
        consolidator_department_id=desk.dept("Дороги"),
    )
    # п. 19: everyone at once, each part within 2 working hours of routing.
    for name in ("ЖКХ", "Дороги", "Образование"):
        assert desk.due(incident, K.PART, name) == "12.03 12:20"
    desk.at(12, 11, 0)
    desk.svc(desk.executors["ЖКХ"]).submit_draft(incident, "Трубы меняем", kind=AnswerKind.PART)
    with pytest.raises(InvalidTransition, match="часть сводного ответа"):
        desk.svc(desk.executors["Дороги"]).submit_draft(incident, "Весь ответ")
    desk.svc(desk.executors["Дороги"]).submit_draft(incident, "Асфальт", kind=AnswerKind.PART)
    assert (K.DRAFT, "Дороги") not in desk.open_kinds(incident)
    desk.at(12, 14, 30)  # the last part, late
    desk.svc(desk.executors["Образование"]).submit_draft(
        incident, "Школа ни при чём", kind=AnswerKind.PART
    )
    # All parts in: the consolidated draft goes to the department the curator picked.
    assert desk.due(incident, K.DRAFT, "Дороги") == "12.03 16:00"
    late = [r for r in desk.steps(incident) if r.kind is K.PART and r.department == "Образование"]
    assert late[0].done == "12.03 14:30" and late[0].due == "12.03 12:20"
    desk.at(12, 15, 0)
    draft = desk.svc(desk.executors["Дороги"]).submit_draft(incident, "Сводный ответ")
    desk.svc(desk.curator).review(incident, draft, ReviewDecision.APPROVE)
    desk.svc(desk.executors["Дороги"]).publish(incident, url="https://vk.com/wall-1_1?reply=2")
    assert desk.incident(incident).status is IncidentStatus.ANSWERED


def test_the_curator_picks_the_consolidator_after_the_parts(desk: Desk) -> None:
    desk.at(12, 10, 0)
    incident = desk.register()
    desk.svc(desk.curator).route(
        incident, [RouteTarget(desk.dept("ЖКХ")), RouteTarget(desk.dept("Дороги"))]
    )
    for name in ("ЖКХ", "Дороги"):
        desk.svc(desk.executors[name]).submit_draft(incident, "Часть", kind=AnswerKind.PART)
    assert (K.DRAFT, "") in desk.open_kinds(incident)  # waiting for the curator's choice
    desk.svc(desk.curator).pick_consolidator(incident, desk.dept("ЖКХ"))
    assert (K.DRAFT, "ЖКХ") in desk.open_kinds(incident)
    desk.svc(desk.executors["ЖКХ"]).submit_draft(incident, "Сводный ответ")
    assert desk.incident(incident).status is IncidentStatus.ON_APPROVAL


def test_interim_then_final_within_seven_working_days(desk: Desk) -> None:
    desk.at(30, 10, 0, month=4)  # Wednesday 30.04.2025, a shortened day
    incident = desk.register()
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept("ЖКХ"))])
    executor = desk.executors["ЖКХ"]
    interim = desk.svc(executor).submit_draft(
        incident, "Вопрос в работе, ответим до 15 мая", kind=AnswerKind.INTERIM
    )
    desk.svc(desk.curator).review(incident, interim, ReviewDecision.APPROVE)
    desk.at(30, 15, 0, month=4)
    desk.svc(executor).publish(incident, url="https://vk.com/wall-1_1?reply=1")
    assert desk.incident(incident).status is IncidentStatus.INTERIM
    # п. 18: 7 working days; 01–04.05 and 08–11.05 are days off.
    assert desk.due(incident, K.FINAL_AFTER_INTERIM) == "15.05 18:00"
    assert desk.due(incident, K.DRAFT) == "15.05 18:00"
    answer_row = next(r for r in desk.steps(incident) if r.kind is K.ANSWER)
    assert answer_row.done == "30.04 15:00"  # the interim answer met the 8 hours
    desk.at(14, 11, 0, month=5)
    final = desk.svc(executor).submit_draft(incident, "Трубы заменены")
    desk.svc(desk.curator).review(incident, final, ReviewDecision.APPROVE)
    desk.svc(executor).publish(incident, url="https://vk.com/wall-1_1?reply=9")
    assert desk.incident(incident).status is IncidentStatus.ANSWERED
    assert desk.open_kinds(incident) == []


def test_a_clarification_question_goes_through_the_curator(desk: Desk) -> None:
    desk.at(12, 10, 0)
    incident = desk.register()
    desk.at(12, 10, 10)
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept("ЖКХ"))])
    executor = desk.executors["ЖКХ"]
    desk.at(12, 10, 50)
    question = desk.svc(executor).submit_draft(
        incident, "Уточните, пожалуйста, номер дома", kind=AnswerKind.CLARIFICATION
    )
    row = next(r for r in desk.steps(incident) if r.kind is K.CLARIFICATION)
    assert (row.started, row.due, row.done) == ("12.03 10:10", "12.03 11:10", "12.03 10:50")
    desk.svc(desk.curator).review(incident, question, ReviewDecision.APPROVE)
    desk.svc(executor).publish(incident, url="https://vk.com/wall-1_1?reply=4")
    assert desk.incident(incident).status is IncidentStatus.CLARIFICATION
    assert (K.DRAFT, "ЖКХ") in desk.open_kinds(incident)  # the answer is still due
    answer = desk.svc(executor).submit_draft(incident, "Дом 5: заделаем")
    assert desk.incident(incident).status is IncidentStatus.ON_APPROVAL
    assert answer


def test_approving_with_edits_keeps_every_version(desk: Desk) -> None:
    incident = desk.register()
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept("ЖКХ"))])
    draft = desk.svc(desk.executors["ЖКХ"]).submit_draft(incident, "Заделаем ямку")
    standing = desk.svc(desk.curator).review(
        incident, draft, ReviewDecision.APPROVE_WITH_EDITS, edited_text="Заделаем яму"
    )
    versions = list(AnswerVersion.select().order_by(AnswerVersion.id))
    assert [(v.number, v.text, v.status) for v in versions] == [
        (1, "Заделаем ямку", AnswerStatus.SUPERSEDED),
        (2, "Заделаем яму", AnswerStatus.APPROVED),
    ]
    assert standing == versions[1].id
    assert versions[1].author_id == desk.curator.employee_id
    desk.svc(desk.executors["ЖКХ"]).publish(incident, url="https://vk.com/wall-1_1?reply=1")
    assert AnswerVersion.get_by_id(standing).status is AnswerStatus.PUBLISHED


def test_the_second_curator_is_told_who_acted_first(desk: Desk) -> None:
    second = desk.person("curator2", None, Role.CURATOR)
    incident = desk.register()
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept("ЖКХ"))])
    draft = desk.svc(desk.executors["ЖКХ"]).submit_draft(incident, "Ответ")
    desk.at(12, 10, 40)
    desk.svc(desk.curator).review(incident, draft, ReviewDecision.APPROVE)
    with pytest.raises(InvalidTransition, match=r"Curator Тест в 12\.03\.2025 10:40"):
        desk.svc(second).review(
            incident, draft, ReviewDecision.RETURN, reasons=[ReturnReason.FORMAT]
        )


def test_the_curator_may_write_the_answer_himself(desk: Desk) -> None:
    desk.at(12, 10, 0)
    incident = desk.register()
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept("ЖКХ"))])
    desk.at(12, 11, 0)
    draft = desk.svc(desk.curator).submit_draft(incident, "Ответ куратора")
    assert desk.open_kinds(incident) == [(K.ANSWER, ""), (K.REVIEW, "")]
    rows = {r.kind: r for r in desk.steps(incident)}
    assert rows[K.DRAFT].done == "12.03 11:00"
    assert rows[K.COMPETENCE_CHECK].done == "12.03 10:30"
    desk.svc(desk.curator).review(incident, draft, ReviewDecision.APPROVE)
    desk.svc(desk.curator).publish(incident, url="https://vk.com/wall-1_1?reply=1")
    assert desk.incident(incident).status is IncidentStatus.ANSWERED
