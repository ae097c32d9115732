"""What the executor's editor shows beside the text, and which kinds of draft go now."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from desk import Desk

from desktop.models.entities import Location, Topic
from desktop.models.enums import (
    AnswerKind,
    ExplanationGround,
    Importance,
    Network,
    ReturnReason,
    ReviewDecision,
    ReviewStage,
)
from desktop.services.draft_context import EARLIER_LIMIT, editor_context
from desktop.services.errors import ValidationError
from desktop.services.incidents import InvalidTransition, RouteTarget
from desktop.services.office import Office
from desktop.services.word_diff import Change

MOSCOW = ZoneInfo("Europe/Moscow")
K = AnswerKind
ANSWER_OR_QUESTION = frozenset({K.FINAL, K.INTERIM, K.CLARIFICATION})


@pytest.fixture
def desk(office: Office) -> Desk:
    return Desk(office, "otradnensky-2021")


@pytest.fixture
def place(desk: Desk) -> tuple[int, int]:
    topic = Topic.create(name="Ямы", updated_by="test")
    location = Location.create(name="ст. Отрадная", updated_by="test")
    return int(topic.id), int(location.id)


def answered(desk: Desk, department: str, text: str, **fields: object) -> int:
    """A message of `department` answered and published; returns the incident."""
    incident = desk.register(**fields)
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept(department))])
    draft = desk.svc(desk.executors[department]).submit_draft(incident, text)
    desk.svc(desk.curator).review(incident, draft, ReviewDecision.APPROVE)
    desk.svc(desk.executors[department]).publish(incident, url="https://vk.com/wall-1_1?reply=1")
    return incident


def routed(desk: Desk, department: str = "ЖКХ", **fields: object) -> int:
    incident = desk.register(**fields)
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept(department))])
    return incident


# --- the message and the basics --------------------------------------------------------------


def test_the_message_requirements_limit_and_working_copy(desk: Desk) -> None:
    incident = routed(
        desk,
        text="Яма у дома 5",
        author_name="Анна Петрова",
        author_url="https://t.me/anna_petrova",
        link="https://t.me/otradnaya/15",
        importance=Importance.HIGH,
    )
    executor = desk.executors["ЖКХ"]
    desk.svc(executor).save_working_draft(incident, "Здравствуйте! Яму")
    context = editor_context(executor, incident, zone=MOSCOW, now=desk.now)
    message = context.message
    assert (message.number, message.network, message.network_title) == (
        desk.incident(incident).number,
        Network.TELEGRAM,
        "Telegram",
    )
    assert (message.author_name, message.text, message.importance) == (
        "Анна Петрова",
        "Яма у дома 5",
        Importance.HIGH,
    )
    assert message.answer_due_text == "12.03.2025 15:00"  # 4 working hours, lunch out (п. 9)
    assert any("повышенной важности" in line for line in context.requirements)
    assert context.length_limit == 4096
    assert context.kinds == ANSWER_OR_QUESTION and context.may_write
    assert context.department == "ЖКХ"
    assert context.assignment_id == desk.assignment(incident, "ЖКХ").id
    assert context.working_draft is not None and context.working_draft.text == "Здравствуйте! Яму"
    assert (context.earlier_answers, context.parts, context.returned) == ((), (), None)
    assert context.curator_edit is None


def test_someone_who_may_not_write_sees_the_message_and_no_kinds(desk: Desk) -> None:
    incident = routed(desk)
    desk.svc(desk.executors["ЖКХ"]).save_working_draft(incident, "Наш черновик")
    stranger = editor_context(desk.executors["Дороги"], incident, zone=MOSCOW, now=desk.now)
    assert stranger.kinds == frozenset() and not stranger.may_write
    assert stranger.working_draft is None and stranger.assignment_id is None
    operator = editor_context(desk.operator, incident, zone=MOSCOW, now=desk.now)
    assert operator.kinds == frozenset() and operator.message.text == "Яма на дороге у дома 5"
    other = routed(desk, "Дороги")
    with pytest.raises(ValidationError, match="Нет такого поручения"):
        editor_context(
            desk.executors["ЖКХ"],
            incident,
            desk.assignment(other, "Дороги").id,
            zone=MOSCOW,
        )


# --- the department's earlier answers ---------------------------------------------------------


def test_earlier_answers_of_the_department_on_the_same_topic_and_place(
    desk: Desk, place: tuple[int, int]
) -> None:
    topic, location = place
    other_place = Location.create(name="х. Малый", updated_by="test").id
    desk.at(3, 10, 0)
    first = answered(desk, "ЖКХ", "Яму заделали в марте", topic_id=topic, location_id=location)
    desk.at(4, 10, 0)
    second = answered(desk, "ЖКХ", "Яму заделали снова", topic_id=topic, location_id=location)
    answered(desk, "Дороги", "Не наш отдел", topic_id=topic, location_id=location)
    answered(desk, "ЖКХ", "Другое место", topic_id=topic, location_id=other_place)
    desk.at(5, 10, 0)
    waiting = routed(desk, topic_id=topic, location_id=location)  # not answered yet: not shown
    desk.svc(desk.executors["ЖКХ"]).submit_draft(waiting, "На согласовании")
    desk.at(12, 10, 0)
    incident = routed(desk, topic_id=topic, location_id=location)
    context = editor_context(desk.executors["ЖКХ"], incident, zone=MOSCOW, now=desk.now)
    shown = [(a.number, a.text, a.published) for a in context.earlier_answers]
    assert shown == [
        (desk.incident(second).number, "Яму заделали снова", True),
        (desk.incident(first).number, "Яму заделали в марте", True),
    ]
    assert context.earlier_answers[0].answered_text == "04.03.2025 10:00"
    # The curator writing for the whole message sees every department's.
    curator_view = editor_context(desk.curator, routed_to_two(desk, topic, location), zone=MOSCOW)
    assert {a.text for a in curator_view.earlier_answers} >= {"Не наш отдел", "Яму заделали снова"}


def routed_to_two(desk: Desk, topic: int, location: int) -> int:
    incident = desk.register(topic_id=topic, location_id=location)
    desk.svc(desk.curator).route(
        incident, [RouteTarget(desk.dept("ЖКХ")), RouteTarget(desk.dept("Образование"))]
    )
    return incident


def test_earlier_answers_are_newest_first_one_per_message_and_few(
    desk: Desk, place: tuple[int, int]
) -> None:
    topic, location = place
    numbers = []
    for day in range(1, EARLIER_LIMIT + 3):
        desk.at(day + 2, 10, 0)
        numbers.append(
            desk.incident(
                answered(desk, "ЖКХ", f"Ответ {day}", topic_id=topic, location_id=location)
            ).number
        )
    desk.at(12, 10, 0)
    incident = routed(desk, topic_id=topic, location_id=location)
    context = editor_context(desk.executors["ЖКХ"], incident, zone=MOSCOW, now=desk.now)
    assert [a.number for a in context.earlier_answers] == numbers[::-1][:EARLIER_LIMIT]
    untagged = routed(desk)  # no topic or place: nothing to compare with
    assert editor_context(desk.executors["ЖКХ"], untagged, zone=MOSCOW).earlier_answers == ()


# --- the consolidated answer's parts ---------------------------------------------------------


def test_the_consolidator_sees_the_other_departments_parts(desk: Desk) -> None:
    incident = desk.register()
    desk.svc(desk.curator).route(
        incident,
        [RouteTarget(desk.dept(name)) for name in ("ЖКХ", "Дороги", "Образование")],
        consolidator_department_id=desk.dept("Дороги"),
    )
    writer = desk.executors["Дороги"]
    assert editor_context(writer, incident, zone=MOSCOW).kinds == {K.PART, K.CLARIFICATION}
    desk.svc(desk.executors["ЖКХ"]).submit_draft(incident, "Трубы меняем", kind=K.PART)
    desk.svc(writer).submit_draft(incident, "Асфальт кладём", kind=K.PART)
    desk.svc(desk.executors["Образование"]).submit_draft(incident, "Школа ни при чём", kind=K.PART)
    context = editor_context(writer, incident, zone=MOSCOW, now=desk.now)
    assert context.kinds == ANSWER_OR_QUESTION  # the consolidated answer is due now
    assert [(p.department, p.text, p.author) for p in context.parts] == [
        ("ЖКХ", "Трубы меняем", "Executor0 Тест"),
        ("Образование", "Школа ни при чём", "Executor2 Тест"),
    ]
    assert context.parts[0].submitted_text == "12.03.2025 10:00"
    # Those who gave their part have nothing more to write.
    done = editor_context(desk.executors["ЖКХ"], incident, zone=MOSCOW)
    assert done.kinds == frozenset()


# --- rework and the curator's edits ----------------------------------------------------------


def test_rework_shows_the_returned_version_with_reasons_in_russian(desk: Desk) -> None:
    incident = routed(desk)
    executor = desk.executors["ЖКХ"]
    draft = desk.svc(executor).submit_draft(incident, "Заделаем ямку кагда-нибудь")
    assert editor_context(executor, incident, zone=MOSCOW).kinds == frozenset()  # waiting
    desk.at(12, 10, 30)
    desk.svc(desk.curator).review(
        incident,
        draft,
        ReviewDecision.RETURN,
        reasons=[ReturnReason.SPELLING, ReturnReason.OTHER],
        comment="Назовите срок",
    )
    context = editor_context(executor, incident, zone=MOSCOW, now=desk.now)
    assert context.kinds == ANSWER_OR_QUESTION
    returned = context.returned
    assert returned is not None
    assert (returned.answer_id, returned.text) == (draft, "Заделаем ямку кагда-нибудь")
    [review] = returned.reviews
    assert review.stage is ReviewStage.CURATOR and review.reviewer == "Curator Тест"
    assert review.reason_titles == ("орфографические и пунктуационные ошибки", "другое")
    assert review.comment == "Назовите срок" and review.decided_text == "12.03.2025 10:30"
    desk.svc(executor).submit_draft(incident, "Заделаем яму до пятницы")
    assert editor_context(executor, incident, zone=MOSCOW).returned is None


def test_the_curators_edits_are_shown_as_both_texts_and_a_diff(desk: Desk) -> None:
    incident = routed(desk)
    executor = desk.executors["ЖКХ"]
    draft = desk.svc(executor).submit_draft(incident, "Заделаем ямку завтра")
    desk.svc(desk.curator).review(
        incident, draft, ReviewDecision.APPROVE_WITH_EDITS, edited_text="Заделаем яму завтра"
    )
    edit = editor_context(executor, incident, zone=MOSCOW).curator_edit
    assert edit is not None
    assert (edit.original_id, edit.original_text) == (draft, "Заделаем ямку завтра")
    assert edit.edited_text == "Заделаем яму завтра" and edit.edited_by == "Curator Тест"
    changes = [(piece.change, piece.text) for piece in edit.diff if piece.change is not Change.SAME]
    assert changes == [(Change.DELETED, "ямку"), (Change.INSERTED, "яму")]


# --- draft_kinds: what the service takes ------------------------------------------------------


def test_draft_kinds_match_what_submit_draft_accepts(desk: Desk) -> None:
    fresh = desk.register()
    executor = desk.executors["ЖКХ"]
    assert desk.svc(desk.curator).draft_kinds(fresh) == frozenset()  # not routed yet
    incident = routed(desk)
    assert desk.svc(executor).draft_kinds(incident) == ANSWER_OR_QUESTION
    assert desk.svc(desk.operator).draft_kinds(incident) == frozenset()
    assert desk.svc(desk.executors["Дороги"]).draft_kinds(incident) == frozenset()
    # Отрадненский has no explanations (Охинский 3.7 only): offered nowhere, refused too.
    with pytest.raises(InvalidTransition, match="не предусматривает разъяснений"):
        desk.svc(executor).submit_draft(
            incident, "Разъяснение", kind=K.EXPLANATION, ground=ExplanationGround.COURT_ACTS
        )
    draft = desk.svc(executor).submit_draft(incident, "Заделаем")
    desk.svc(desk.curator).review(incident, draft, ReviewDecision.APPROVE)
    # Approved, waiting for publication: nothing is due, and a question is not taken either.
    assert desk.svc(executor).draft_kinds(incident) == frozenset()
    with pytest.raises(InvalidTransition):
        desk.svc(executor).submit_draft(incident, "А какой дом?", kind=K.CLARIFICATION)


def test_explanations_are_offered_where_the_regulation_has_them(office: Office) -> None:
    desk = Desk(office, "okhinsky-2023")
    incident = desk.register()
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept("ЖКХ"))])
    kinds = desk.svc(desk.executors["ЖКХ"]).draft_kinds(incident)
    assert kinds == {K.FINAL, K.INTERIM, K.EXPLANATION, K.CLARIFICATION}
    desk.svc(desk.executors["ЖКХ"]).submit_draft(
        incident,
        "Решение суда обжалуется в суде",
        kind=K.EXPLANATION,
        ground=ExplanationGround.COURT_ACTS,
    )
