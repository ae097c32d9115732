"""The working copy of an answer: saved while typing, protected from a colleague's overwrite,
replaced by the submitted version."""

from __future__ import annotations

import pytest
from desk import Desk

from desktop.models.entities import AnswerVersion
from desktop.models.enums import AnswerStatus
from desktop.services.errors import AccessDenied, ConflictError
from desktop.services.incident_base import InvalidTransition
from desktop.services.incidents import RouteTarget
from desktop.services.office import Office


@pytest.fixture
def desk(office: Office) -> Desk:
    return Desk(office, "otradnensky-2021")


@pytest.fixture
def routed(desk: Desk) -> int:
    incident = desk.register()
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept("ЖКХ"))])
    return incident


def test_typing_is_saved_and_continued(desk: Desk, routed: int) -> None:
    writer = desk.svc(desk.executors["ЖКХ"])
    assert writer.working_draft(routed) is None
    first = writer.save_working_draft(routed, "Здравствуйте! Яму")
    assert (first.version, first.text) == (1, "Здравствуйте! Яму")
    second = writer.save_working_draft(
        routed, "Здравствуйте! Яму заделаем", expected_version=first.version
    )
    assert second.version == 2 and second.answer_id == first.answer_id
    again = writer.working_draft(routed)
    assert again is not None and again.text == "Здравствуйте! Яму заделаем"
    assert again.saved_by == "Executor0 Тест"


def test_a_colleagues_newer_copy_is_a_question_not_an_overwrite(desk: Desk, routed: int) -> None:
    colleague = desk.person("executor-b", "ЖКХ", *desk.executors["ЖКХ"].roles)
    mine = desk.svc(desk.executors["ЖКХ"]).save_working_draft(routed, "Мой текст")
    desk.svc(colleague).save_working_draft(routed, "Текст коллеги", expected_version=mine.version)
    with pytest.raises(ConflictError) as raised:
        desk.svc(desk.executors["ЖКХ"]).save_working_draft(
            routed, "Мой текст дальше", expected_version=mine.version
        )
    assert raised.value.changed_by == "Executor-B Тест"
    with pytest.raises(ConflictError):  # started without seeing the colleague's copy
        desk.svc(desk.executors["ЖКХ"]).save_working_draft(routed, "С нуля")
    current = desk.svc(colleague).working_draft(routed)
    assert current is not None and current.text == "Текст коллеги"


def test_submitting_replaces_the_working_copy(desk: Desk, routed: int) -> None:
    writer = desk.svc(desk.executors["ЖКХ"])
    writer.save_working_draft(routed, "Черновик")
    answer = writer.submit_draft(routed, "Яму заделаем сегодня")
    submitted = AnswerVersion.get_by_id(answer)
    assert (submitted.number, submitted.status) == (1, AnswerStatus.SUBMITTED)
    assert writer.working_draft(routed) is None
    assert AnswerVersion.select().where(AnswerVersion.status == AnswerStatus.DRAFT).count() == 0


def test_only_who_writes_for_the_message_saves_a_working_copy(desk: Desk, routed: int) -> None:
    with pytest.raises(InvalidTransition, match="нет поручения"):
        desk.svc(desk.executors["Дороги"]).save_working_draft(routed, "Не наше")
    with pytest.raises(AccessDenied):
        desk.svc(desk.operator).save_working_draft(routed, "Оператор не пишет ответы")
    fresh = desk.register("Ещё не направлено")
    with pytest.raises(InvalidTransition):
        desk.svc(desk.curator).save_working_draft(fresh, "Рано")
    assert AnswerVersion.select().count() == 0
