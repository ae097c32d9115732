"""The incident card: its history, steps, related messages, and the actions each role may take."""

from __future__ import annotations

import pytest
from desk import MOSCOW, Desk

from desktop.models.entities import Incident, Topic
from desktop.models.entities import Location as Place
from desktop.models.enums import (
    Importance,
    IncidentStatus,
    ReturnReason,
    ReviewDecision,
    RoutingMode,
    StepKind,
)
from desktop.services.directory import suggested_departments
from desktop.services.errors import ConflictError
from desktop.services.incident_card import CardAction
from desktop.services.incidents import RouteTarget
from desktop.services.office import Office


@pytest.fixture
def desk(office: Office) -> Desk:
    return Desk(office, "otradnensky-2021")


def test_a_new_message_offers_routing_to_the_curator_only(desk: Desk) -> None:
    incident = desk.register()
    curator = desk.svc(desk.curator).available_actions(incident)
    assert CardAction.ROUTE in curator
    assert CardAction.CLOSE_NOT_TO_ANSWER in curator
    operator = desk.svc(desk.operator).available_actions(incident)
    assert CardAction.ROUTE not in operator and CardAction.MARK_REPEAT in operator
    executor = desk.svc(desk.executors["ЖКХ"]).available_actions(incident)
    assert executor == frozenset()
    assert desk.svc(desk.manager).available_actions(incident) == frozenset()


def test_the_department_that_has_it_may_accept_or_return_and_others_may_not(desk: Desk) -> None:
    incident = desk.register()
    desk.at(12, 10, 10)
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept("ЖКХ"))])
    curator = desk.svc(desk.curator).available_actions(incident)
    assert CardAction.ROUTE not in curator  # routed already; only a return reopens routing
    mine = desk.svc(desk.executors["ЖКХ"]).available_actions(incident)
    assert {CardAction.ACCEPT, CardAction.RETURN_NOT_COMPETENT, CardAction.WRITE_DRAFT} <= mine
    assert desk.svc(desk.executors["Дороги"]).available_actions(incident) == frozenset()
    desk.svc(desk.executors["ЖКХ"]).accept(incident)
    after = desk.svc(desk.executors["ЖКХ"]).available_actions(incident)
    assert CardAction.ACCEPT not in after and CardAction.RETURN_NOT_COMPETENT in after
    desk.svc(desk.executors["ЖКХ"]).return_not_competent(incident, "Это дороги")
    assert CardAction.ROUTE in desk.svc(desk.curator).available_actions(incident)


def test_a_high_importance_message_offers_the_report_until_it_is_made(desk: Desk) -> None:
    incident = desk.register(importance=Importance.HIGH)
    assert CardAction.NOTIFY_MANAGER in desk.svc(desk.operator).available_actions(incident)
    text = desk.svc(desk.operator).notify_manager(incident)
    assert "№ 1" in text
    assert CardAction.NOTIFY_MANAGER not in desk.svc(desk.operator).available_actions(incident)


def test_a_closed_message_offers_nothing(desk: Desk) -> None:
    incident = desk.register()
    desk.svc(desk.curator).close_not_to_answer(incident, "Нецензурная брань")
    assert desk.svc(desk.curator).available_actions(incident) == frozenset()


def test_the_card_tells_the_whole_story(desk: Desk) -> None:
    topic = Topic.create(name="Дороги", updated_by="t")
    place = Place.create(name="ст. Отрадная", updated_by="t")
    incident = desk.register(topic_id=topic.id, location_id=place.id, author_name="Пётр")
    desk.at(12, 10, 20)
    desk.svc(desk.curator).route(
        incident,
        [RouteTarget(desk.dept("ЖКХ")), RouteTarget(desk.dept("Дороги"))],
    )
    desk.svc(desk.executors["Дороги"]).return_not_competent(incident, "Не наш участок")
    card = desk.svc(desk.curator).card(incident, MOSCOW)
    assert (card.number, card.topic, card.location) == (1, "Дороги", "ст. Отрадная")
    assert card.status is IncidentStatus.ROUTED
    assert [(a.department, a.status.value) for a in card.assignments] == [
        ("ЖКХ", "in_work"),
        ("Дороги", "returned"),
    ]
    assert card.assignments[1].return_reason == "Не наш участок"
    texts = [entry.text for entry in card.history]
    assert texts[0] == "Зарегистрировано (№ 1, ВКонтакте); срок ответа — 13.03.2025 10:00"
    assert texts[1] == ("Направлено: ЖКХ, Дороги; параллельно, каждый отдел отвечает за свою часть")
    assert texts[2] == "Дороги вернул(а) как не относящееся к компетенции: Не наш участок"
    assert [entry.who for entry in card.history] == [
        "Operator Тест",
        "Curator Тест",
        "Executor1 Тест",
    ]
    route = next(s for s in card.steps if s.kind is StepKind.ROUTE)
    assert route.done_at is not None and not route.late
    assert any(s.kind is StepKind.REROUTE and s.done_at is None for s in card.steps)
    assert card.routing.rerouting and card.routing.mode is RoutingMode.PARALLEL
    assert CardAction.ROUTE in card.actions


def test_related_messages_are_repeats_the_same_author_and_the_same_place(desk: Desk) -> None:
    topic = Topic.create(name="Свет", updated_by="t")
    place = Place.create(name="ул. Мира", updated_by="t")
    first = desk.register("Нет света", author_url="https://vk.com/id7", author_name="Иван")
    desk.at(13, 11)
    second = desk.register("Опять нет света", author_url="https://vk.com/id7", repeat_of=first)
    third = desk.register("Фонарь", topic_id=topic.id, location_id=place.id)
    fourth = desk.register("Фонарь мигает", topic_id=topic.id, location_id=place.id)
    desk.register("Другое", author_name="Иван")  # a name alone is not the same author
    card = desk.svc(desk.curator).card(first, MOSCOW)
    assert [(r.number, r.relation) for r in card.related] == [(2, "повторное к этому")]
    second_card = desk.svc(desk.curator).card(second, MOSCOW)
    assert second_card.repeat_of is not None and second_card.repeat_of.number == 1
    assert CardAction.MARK_REPEAT not in second_card.actions
    assert [r.number for r in second_card.related] == [1]
    fourth_card = desk.svc(desk.curator).card(fourth, MOSCOW)
    assert [(r.incident_id, r.relation) for r in fourth_card.related] == [
        (third, "та же тема и территория")
    ]
    assert Incident.get_by_id(third).repeat_of_id is None


def test_departments_that_handled_the_topic_and_place_are_suggested_first(desk: Desk) -> None:
    topic = Topic.create(name="Дороги", updated_by="t")
    place = Place.create(name="ул. Мира", updated_by="t")
    for department in ("Дороги", "Дороги", "Образование"):
        incident = desk.register(topic_id=topic.id, location_id=place.id)
        desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept(department))])
    returned = desk.register(topic_id=topic.id)
    desk.svc(desk.curator).route(returned, [RouteTarget(desk.dept("ЖКХ"))])
    desk.svc(desk.executors["ЖКХ"]).return_not_competent(returned, "Не наше")
    order = [d.name for d in suggested_departments(topic.id, place.id)]
    assert order == ["Дороги", "Образование", "ЖКХ"]
    alphabetical = ["Дороги", "ЖКХ", "Образование"]
    assert [d.name for d in suggested_departments(None, None)] == alphabetical


def test_the_routing_offer_ranks_departments_and_their_executors(desk: Desk) -> None:
    topic = Topic.create(name="Дороги", updated_by="t")
    earlier = desk.register(topic_id=topic.id)
    desk.svc(desk.curator).route(
        earlier, [RouteTarget(desk.dept("Образование"), desk.executors["Образование"].employee_id)]
    )
    incident = desk.register(topic_id=topic.id)
    offer = desk.svc(desk.curator).card(incident, MOSCOW).routing
    assert offer.recommended == (desk.dept("Образование"),)
    assert offer.departments[0].name == "Образование" and len(offer.departments) == 3
    assert [c.name for c in offer.executors[desk.dept("Образование")]] == ["Executor2 Тест"]
    assert offer.mode is RoutingMode.PARALLEL and not offer.rerouting
    assert desk.svc(desk.operator).card(incident, MOSCOW).routing.departments == ()
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept("ЖКХ"))])
    desk.svc(desk.executors["ЖКХ"]).return_not_competent(incident, "Не наше")
    again = desk.svc(desk.curator).card(incident, MOSCOW).routing
    assert again.rerouting and again.taken == frozenset()


def test_the_history_reads_a_draft_through_review_to_publication(desk: Desk) -> None:
    incident = desk.register()
    executor = desk.executors["ЖКХ"]
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept("ЖКХ"), executor.employee_id)])
    desk.svc(executor).accept(incident)
    desk.at(12, 17, 0)
    first = desk.svc(executor).submit_draft(incident, "Заделаем яму завтра")
    assert CardAction.REVIEW in desk.svc(desk.curator).available_actions(incident)
    desk.at(12, 17, 20)
    desk.svc(desk.curator).review(
        incident,
        first,
        ReviewDecision.RETURN,
        reasons=[ReturnReason.SPELLING],
        comment="Уточните адрес",
    )
    desk.at(13, 9, 10)
    second = desk.svc(executor).submit_draft(incident, "Яму у дома 5 заделаем сегодня")
    desk.svc(desk.curator).review(incident, second, ReviewDecision.APPROVE)
    assert CardAction.PUBLISH in desk.svc(executor).available_actions(incident)
    desk.svc(executor).publish(incident, url="https://vk.com/wall-1_1?reply=7")
    card = desk.svc(desk.curator).card(incident, MOSCOW)
    assert [entry.text for entry in card.history][2:] == [
        "ЖКХ: принято в работу",
        "Отправлен на согласование: ответ (версия 1)",
        "Куратор вернул(а) проект на доработку: орфографические и пунктуационные ошибки. "
        "«Уточните адрес»",
        "Отправлен на согласование: ответ (версия 2)",
        "Куратор согласовал(а) проект",
        "Размещён ответ: https://vk.com/wall-1_1?reply=7",
    ]
    assert card.actions == frozenset()
    assert [entry.at.astimezone(MOSCOW).strftime("%d %H:%M") for entry in card.history][-1] == (
        "13 09:10"
    )


def test_routing_a_card_someone_else_changed_asks_instead_of_acting(desk: Desk) -> None:
    incident = desk.register()
    seen = desk.svc(desk.curator).card(incident, MOSCOW).version
    desk.svc(desk.operator).edit(incident, seen, {"importance": Importance.HIGH})
    with pytest.raises(ConflictError) as raised:
        desk.svc(desk.curator).route(
            incident, [RouteTarget(desk.dept("ЖКХ"))], expected_version=seen
        )
    assert raised.value.changed_by == "Operator Тест"
    assert Incident.get_by_id(incident).status is IncidentStatus.NEW
    desk.svc(desk.curator).route(
        incident, [RouteTarget(desk.dept("ЖКХ"))], expected_version=seen + 1
    )
    assert Incident.get_by_id(incident).status is IncidentStatus.ROUTED


@pytest.mark.parametrize(
    ("preset", "publishes"),
    [("otradnensky-2021", "executor0"), ("okhinsky-2023", "curator")],
)
def test_publication_is_offered_to_whom_the_regulation_gives_it(
    office: Office, preset: str, publishes: str
) -> None:
    desk = Desk(office, preset)
    incident = desk.register()
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept("ЖКХ"))])
    answer = desk.svc(desk.executors["ЖКХ"]).submit_draft(incident, "Заделаем.")
    desk.svc(desk.curator).review(incident, answer, ReviewDecision.APPROVE)
    people = {
        "executor0": desk.executors["ЖКХ"],
        "curator": desk.curator,
        "executor1": desk.executors["Дороги"],  # another department never publishes
    }
    offered = {
        login
        for login, user in people.items()
        if CardAction.PUBLISH in desk.svc(user).available_actions(incident)
    }
    expected = {publishes} | ({"curator"} if publishes == "executor0" else set())
    assert offered == expected
