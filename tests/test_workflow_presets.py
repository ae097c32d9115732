"""Конышевский, Охинский, Изобильненский and Барнаул end to end, every due moment asserted."""

from __future__ import annotations

import datetime as dt

import pytest
from desk import MOSCOW, Desk

from desktop.models.entities import AuditEvent, Publication, Review
from desktop.models.enums import (
    AnswerKind,
    AssignmentStatus,
    Closure,
    ExplanationGround,
    IncidentSource,
    IncidentStatus,
    Network,
    PublicationMode,
    ReturnReason,
    ReviewDecision,
    ReviewStage,
    RoutingMode,
    StepKind,
)
from desktop.services.errors import AccessDenied, ValidationError
from desktop.services.incidents import InvalidTransition, RouteTarget
from desktop.services.office import Office

K = StepKind
THREE = ("ЖКХ", "Дороги", "Образование")


# --- Конышевский: the curator's order, each department in turn --------------------------


def test_konyshevsky_sequential_consolidated_answer(office: Office) -> None:
    desk = Desk(office, "konyshevsky-2020")
    desk.at(12, 9, 30)
    detected = desk.clock
    desk.at(12, 9, 50)  # registered 20 minutes after detection: п. 10 counts from here
    incident = desk.register(detected_at=detected)
    assert desk.due(incident, K.ROUTE) == "12.03 10:00"  # п. 7: 30 minutes from detection
    assert desk.due(incident, K.ANSWER) == "13.03 09:50"  # п. 10: from the curator's receipt
    desk.at(12, 10, 0)
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept(name)) for name in THREE])
    assert desk.incident(incident).routing_mode is RoutingMode.SEQUENTIAL
    # Only the first in the order has it: 2 hours for its part (п. 16).
    assert desk.open_kinds(incident) == [
        (K.ANSWER, ""),
        (K.COMPETENCE_CHECK, "ЖКХ"),
        (K.PART, "ЖКХ"),
    ]
    assert desk.due(incident, K.PART, "ЖКХ") == "12.03 12:00"
    assert desk.assignment(incident, "Дороги").status is AssignmentStatus.ASSIGNED
    desk.at(12, 11, 30)
    desk.svc(desk.executors["ЖКХ"]).submit_draft(incident, "Трубы", kind=AnswerKind.PART)
    assert desk.due(incident, K.PART, "Дороги") == "12.03 14:30"  # lunch out
    with pytest.raises(InvalidTransition):
        desk.svc(desk.executors["Образование"]).submit_draft(incident, "Рано", kind=AnswerKind.PART)
    desk.at(12, 14, 0)
    desk.svc(desk.executors["Дороги"]).submit_draft(incident, "Асфальт", kind=AnswerKind.PART)
    # The last one writes the common answer, by п. 10's deadline less 4 hours (п. 11).
    assert desk.due(incident, K.DRAFT, "Образование") == "12.03 14:50"
    desk.at(12, 14, 40)
    draft = desk.svc(desk.executors["Образование"]).submit_draft(incident, "Общий ответ")
    desk.at(12, 14, 50)
    desk.svc(desk.curator).review(incident, draft, ReviewDecision.APPROVE)
    assert desk.due(incident, K.PUBLISH) == "12.03 15:20"  # п. 14: 30 minutes
    desk.svc(desk.executors["Образование"]).publish(
        incident, url="https://vk.com/club1?w=wall-1_5", mode=PublicationMode.OWN_ACCOUNT
    )
    assert desk.incident(incident).status is IncidentStatus.ANSWERED


def test_konyshevsky_links_a_repeat_message(office: Office) -> None:
    desk = Desk(office, "konyshevsky-2020")
    earlier = desk.register("Нет света на Лесной")
    desk.at(13, 10, 0)
    again = desk.register("Опять нет света на Лесной", repeat_of=earlier)
    assert desk.incident(again).repeat_of_id == earlier
    third = desk.register("Третий раз без света")
    desk.svc(desk.curator).mark_repeat(third, again)
    assert desk.incident(third).repeat_of_id == again
    with pytest.raises(ValidationError, match="позже"):
        desk.svc(desk.curator).mark_repeat(earlier, third)
    assert desk.incident(earlier).repeat_of_id is None


# --- Охинский: 24 hours without days off, explanations, appeals -----------------------


def test_okhinsky_24_hours_without_non_working_days(office: Office) -> None:
    desk = Desk(office, "okhinsky-2023")
    desk.at(7, 12, 0)  # Friday before 8 March, shortened
    posted = dt.datetime(2025, 3, 7, 11, 0, tzinfo=MOSCOW)
    incident = desk.register(posted_at=posted)
    assert desk.due(incident, K.ROUTE) == "07.03 15:00"  # п. 3.1: from posting
    assert desk.due(incident, K.ANSWER) == "10.03 11:00"  # п. 3.2: 08–09.03 not counted
    desk.at(7, 14, 30)
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept("ЖКХ"))])
    assert desk.due(incident, K.DRAFT) == "10.03 11:00"
    desk.at(10, 10, 0)
    draft = desk.svc(desk.executors["ЖКХ"]).submit_draft(incident, "Ответ")
    assert desk.due(incident, K.REVIEW) == "-"  # the operator checks, no deadline set
    desk.svc(desk.curator).review(incident, draft, ReviewDecision.APPROVE)
    desk.svc(desk.curator).publish(
        incident, mode=PublicationMode.PRIVATE_MESSAGE, also_on_site=True
    )
    modes = [p.mode for p in Publication.select().order_by(Publication.id)]
    assert modes == [PublicationMode.PRIVATE_MESSAGE, PublicationMode.SITE]  # п. 3.4, 3.5


def test_okhinsky_explanation_within_12_working_hours(office: Office) -> None:
    desk = Desk(office, "okhinsky-2023")
    desk.at(12, 10, 0)
    incident = desk.register(posted_at=dt.datetime(2025, 3, 12, 9, 0, tzinfo=MOSCOW))
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept("ЖКХ"))])
    with pytest.raises(ValidationError, match="разъяснение"):
        desk.svc(desk.executors["ЖКХ"]).submit_draft(
            incident, "Это решение суда", kind=AnswerKind.EXPLANATION
        )
    desk.at(13, 11, 0)
    desk.svc(desk.executors["ЖКХ"]).submit_draft(
        incident,
        "Решение суда обжалуется в апелляционном порядке",
        kind=AnswerKind.EXPLANATION,
        ground=ExplanationGround.COURT_ACTS,
    )
    row = next(r for r in desk.steps(incident) if r.kind is K.EXPLANATION)
    assert (row.started, row.due, row.done) == ("12.03 09:00", "13.03 13:00", "13.03 11:00")
    # The explanation is the answer: measured against its 12 working hours, not the 24.
    assert desk.due(incident, K.ANSWER) == "13.03 13:00"


def test_okhinsky_official_appeal_leaves_the_working_hours_track(office: Office) -> None:
    desk = Desk(office, "okhinsky-2023")
    incident = desk.register()
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept("ЖКХ"))])
    with pytest.raises(ValidationError, match="согласия"):
        desk.svc(desk.curator).make_official_appeal(
            incident, number="СЭД-1", registered_on=dt.date(2025, 3, 12), consent=False
        )
    desk.at(12, 11, 0)
    desk.svc(desk.curator).make_official_appeal(
        incident, number="ОГ-123/2025", registered_on=dt.date(2025, 3, 12), consent=True
    )
    closed = desk.incident(incident)
    assert closed.status is IncidentStatus.OFFICIAL_APPEAL
    assert (closed.appeal_number, closed.closure) == ("ОГ-123/2025", Closure.OFFICIAL_APPEAL)
    assert desk.open_kinds(incident) == []
    assert all(r.cancelled for r in desk.steps(incident) if r.kind is not K.ROUTE)
    with pytest.raises(InvalidTransition, match="закрыто"):
        desk.svc(desk.executors["ЖКХ"]).submit_draft(incident, "Поздно")


# --- Изобильненский: two channel profiles, the curator publishes ----------------------


def test_izobilnensky_own_channels(office: Office) -> None:
    desk = Desk(office, "izobilnensky-2024")
    desk.at(12, 10, 0)
    incident = desk.register()
    assert desk.due(incident, K.ROUTE) == "12.03 10:30"  # п. 6.2
    assert desk.due(incident, K.ANSWER) == "12.03 15:00"
    desk.at(12, 10, 20)
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept("ЖКХ"))])
    assert desk.due(incident, K.DRAFT) == "12.03 14:20"  # 3 hours, lunch out
    desk.at(12, 14, 0)
    desk.svc(desk.executors["ЖКХ"]).submit_draft(incident, "Ответ отдела")
    # No approval loop: the curator corrects spelling and publishes within 30 minutes.
    assert desk.incident(incident).status is IncidentStatus.APPROVED
    assert desk.due(incident, K.PUBLISH) == "12.03 14:30"
    with pytest.raises(AccessDenied, match="куратор"):
        desk.svc(desk.executors["ЖКХ"]).publish(incident, url="https://vk.com/wall-1_1?r=1")
    desk.svc(desk.curator).publish(incident, url="https://vk.com/wall-1_1?r=1")
    assert desk.incident(incident).status is IncidentStatus.ANSWERED


def test_izobilnensky_governors_telegram(office: Office) -> None:
    desk = Desk(office, "izobilnensky-2024")
    desk.at(12, 10, 0)
    incident = desk.register(
        link="https://t.me/governor_channel/100",
        network=Network.TELEGRAM,
        account_id=desk.governor_account.id,
    )
    assert desk.due(incident, K.ROUTE) == "12.03 11:00"  # п. 6.3: 1 hour
    assert desk.due(incident, K.ANSWER) == "12.03 13:00"
    desk.at(12, 10, 40)
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept("Дороги"))])
    assert desk.due(incident, K.DRAFT) == "12.03 12:10"  # 1.5 hours
    desk.at(12, 12, 0)
    desk.svc(desk.executors["Дороги"]).submit_draft(incident, "Ответ")
    assert desk.due(incident, K.PUBLISH) == "12.03 12:30"


# --- Барнаул: from the city curator, the deputy first, the controller consolidates -----


@pytest.fixture
def barnaul(office: Office) -> Desk:
    return Desk(office, "barnaul-leninsky")


def register_upstream(desk: Desk, due: dt.datetime) -> int:
    return desk.register(
        source=IncidentSource.UPSTREAM, external_number="ИМ-4100123", external_deadline=due
    )


def test_barnaul_needs_the_number_and_deadline_of_the_monitoring_system(barnaul: Desk) -> None:
    with pytest.raises(ValidationError, match="номером и сроком"):
        barnaul.register()


def test_barnaul_one_department_with_the_deputys_approval(barnaul: Desk) -> None:
    desk = barnaul
    desk.at(12, 10, 0)
    incident = register_upstream(desk, dt.datetime(2025, 3, 13, 12, 0, tzinfo=MOSCOW))
    assert desk.due(incident, K.ANSWER) == "13.03 12:00"  # the monitoring system's
    assert desk.due(incident, K.ROUTE) == "-"  # at once, no deadline of its own
    desk.at(12, 10, 10)
    desk.svc(desk.curator).route(
        incident,
        [RouteTarget(desk.dept("ЖКХ"))],
        draft_due=dt.datetime(2025, 3, 12, 16, 0, tzinfo=MOSCOW),
    )
    assert desk.due(incident, K.COMPETENCE_CHECK) == "12.03 10:40"  # п. 5: 30 working minutes
    assert desk.due(incident, K.DRAFT) == "12.03 16:00"  # set by the controller
    desk.at(12, 10, 30)
    desk.svc(desk.heads["ЖКХ"]).accept(incident)
    desk.at(12, 15, 0)
    draft = desk.svc(desk.executors["ЖКХ"]).submit_draft(incident, "Ответ отдела")
    assert (K.DEPARTMENT_APPROVAL, "ЖКХ") in desk.open_kinds(incident)
    with pytest.raises(InvalidTransition, match="руководителем органа"):
        desk.svc(desk.curator).review(incident, draft, ReviewDecision.APPROVE)
    with pytest.raises(AccessDenied):
        desk.svc(desk.heads["Дороги"]).approve_department(incident, draft)
    desk.at(12, 15, 20)
    desk.svc(desk.heads["ЖКХ"]).approve_department(incident, draft)
    assert desk.due(incident, K.REVIEW) == "12.03 15:50"  # п. 6: 30 working minutes
    desk.at(12, 15, 40)
    desk.svc(desk.curator).review(
        incident,
        draft,
        ReviewDecision.RETURN,
        reasons=[ReturnReason.OTHER],
        comment="Не по тематике сообщения",
        rework_due=dt.datetime(2025, 3, 13, 10, 0, tzinfo=MOSCOW),
    )
    assert desk.due(incident, K.REWORK) == "13.03 10:00"  # set by the controller
    desk.at(13, 9, 30)
    second = desk.svc(desk.executors["ЖКХ"]).submit_draft(incident, "Ответ по существу")
    desk.svc(desk.heads["ЖКХ"]).approve_department(incident, second)
    desk.svc(desk.curator).review(incident, second, ReviewDecision.APPROVE)
    assert desk.due(incident, K.PUBLISH) == "13.03 12:00"  # п. 7: the system's deadline
    with pytest.raises(AccessDenied):
        desk.svc(desk.executors["ЖКХ"]).publish(incident, mode=PublicationMode.UPSTREAM)
    desk.svc(desk.curator).publish(incident, mode=PublicationMode.UPSTREAM)
    assert desk.incident(incident).status is IncidentStatus.ANSWERED
    stages = [r.stage for r in Review.select().order_by(Review.id)]
    assert stages == [
        ReviewStage.DEPARTMENT,
        ReviewStage.CURATOR,
        ReviewStage.DEPARTMENT,
        ReviewStage.CURATOR,
    ]


def test_barnaul_the_controller_consolidates(barnaul: Desk) -> None:
    desk = barnaul
    incident = register_upstream(desk, dt.datetime(2025, 3, 13, 12, 0, tzinfo=MOSCOW))
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept(n)) for n in ("ЖКХ", "Дороги")])
    assert desk.incident(incident).routing_mode is RoutingMode.CONTROLLER_CONSOLIDATES
    for name in ("ЖКХ", "Дороги"):
        part = desk.svc(desk.executors[name]).submit_draft(
            incident, f"Часть {name}", kind=AnswerKind.PART
        )
        desk.svc(desk.heads[name]).approve_department(incident, part)
    # Every department's part approved by its deputy: the controller writes the whole.
    assert desk.open_kinds(incident)[-1] == (K.DRAFT, "")
    assert desk.due(incident, K.DRAFT) == "-"  # his own deadline, set if he wants one
    draft = desk.svc(desk.curator).submit_draft(incident, "Сводный ответ контролера")
    desk.svc(desk.curator).review(incident, draft, ReviewDecision.APPROVE)
    desk.svc(desk.curator).publish(incident, mode=PublicationMode.UPSTREAM)
    assert desk.incident(incident).status is IncidentStatus.ANSWERED


def test_barnaul_returns_to_the_city_curator(barnaul: Desk) -> None:
    desk = barnaul
    incident = register_upstream(desk, dt.datetime(2025, 3, 13, 12, 0, tzinfo=MOSCOW))
    desk.svc(desk.curator).return_upstream(incident, "Вопрос краевого министерства")
    assert desk.incident(incident).status is IncidentStatus.RETURNED_UPSTREAM
    assert desk.open_kinds(incident) == []


def test_barnaul_not_to_answer_goes_to_the_city_curator(barnaul: Desk) -> None:
    desk = barnaul
    incident = register_upstream(desk, dt.datetime(2025, 3, 13, 12, 0, tzinfo=MOSCOW))
    desk.svc(desk.curator).close_not_to_answer(incident, "Угрозы должностному лицу")
    closed = desk.incident(incident)
    assert (closed.status, closed.closure) == (IncidentStatus.NOT_TO_ANSWER, Closure.NOT_TO_ANSWER)
    event = AuditEvent.get(AuditEvent.action == "close_not_to_answer")
    assert event.after["notified"] == ["curator", "city_curator"]


def test_return_upstream_is_only_for_an_upstream_regulation(office: Office) -> None:
    desk = Desk(office, "otradnensky-2021")
    incident = desk.register()
    with pytest.raises(InvalidTransition, match="куратора города"):
        desk.svc(desk.curator).return_upstream(incident, "не наше")


def test_izobilnensky_several_departments_the_curator_assembles(office: Office) -> None:
    desk = Desk(office, "izobilnensky-2024")
    desk.at(12, 10, 0)
    incident = desk.register()
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept(n)) for n in ("ЖКХ", "Дороги")])
    assert desk.due(incident, K.PART, "ЖКХ") == "12.03 13:00"  # п. 6.2: 3 hours each
    for name in ("ЖКХ", "Дороги"):
        desk.svc(desk.executors[name]).submit_draft(incident, name, kind=AnswerKind.PART)
    assert desk.open_kinds(incident)[-1] == (K.DRAFT, "")  # the curator assembles
    desk.svc(desk.curator).submit_draft(incident, "Сводный ответ")
    assert desk.incident(incident).status is IncidentStatus.APPROVED
    desk.svc(desk.curator).publish(incident, url="https://vk.com/wall-1_1?r=1")
    assert desk.incident(incident).status is IncidentStatus.ANSWERED
