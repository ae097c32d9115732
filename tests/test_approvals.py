"""What waits for whose decision, and what a reviewer sees of one draft (services/approvals.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from desk import MOSCOW, Desk, local

from desktop.models.entities import Attachment
from desktop.models.enums import (
    AnswerKind,
    Network,
    ReturnReason,
    ReviewDecision,
    ReviewStage,
)
from desktop.services.approvals import Change, approval_detail, waiting_for
from desktop.services.errors import AccessDenied
from desktop.services.incidents import RouteTarget
from desktop.services.office import Office
from desktop.services.word_diff import changed_words


@pytest.fixture
def desk(office: Office) -> Desk:
    return Desk(office, "otradnensky-2021")


@pytest.fixture
def barnaul(office: Office) -> Desk:
    return Desk(office, "barnaul-leninsky")


def routed(desk: Desk, department: str = "ЖКХ", **fields: object) -> int:
    incident = desk.register(**fields)
    executor = desk.executors[department]
    desk.svc(desk.curator).route(
        incident, [RouteTarget(desk.dept(department), executor.employee_id)]
    )
    return incident


def test_a_submitted_draft_waits_for_every_curator_and_nobody_else(desk: Desk) -> None:
    desk.at(12, 14, 0)
    incident = routed(desk, author_name="Пётр")
    assert waiting_for(desk.curator, MOSCOW) == []
    desk.at(12, 16, 0)
    answer = desk.svc(desk.executors["ЖКХ"]).submit_draft(incident, "Заделаем яму завтра")
    [draft] = waiting_for(desk.curator, MOSCOW)
    assert (draft.incident_id, draft.number, draft.answer_id) == (incident, 1, answer)
    assert (draft.kind, draft.kind_title, draft.version_number) == (AnswerKind.FINAL, "ответ", 1)
    assert (draft.department, draft.author) == ("ЖКХ", "Executor0 Тест")
    assert draft.stage is ReviewStage.CURATOR
    assert draft.submitted == "12.03.2025 16:00"
    assert local(draft.step_due_at) == "12.03 16:30"  # п. 14: 30 working minutes
    assert draft.step_rule.startswith("п. 14")
    assert draft.network is Network.VK
    second_curator = desk.person("curator2", None, *desk.curator.roles)
    assert [d.answer_id for d in waiting_for(second_curator, MOSCOW)] == [answer]
    for other in (desk.executors["ЖКХ"], desk.heads["ЖКХ"], desk.manager, desk.operator):
        assert waiting_for(other, MOSCOW) == []


def test_the_soonest_deadline_comes_first(desk: Desk) -> None:
    desk.at(12, 10, 0)
    late, early = routed(desk), routed(desk, "Дороги")
    desk.at(12, 11, 0)
    desk.svc(desk.executors["ЖКХ"]).submit_draft(late, "Первый")
    desk.at(12, 10, 30)  # the second was submitted earlier: its review is due sooner
    desk.svc(desk.executors["Дороги"]).submit_draft(early, "Второй")
    assert [d.incident_id for d in waiting_for(desk.curator, MOSCOW)] == [early, late]


def test_a_first_version_has_nothing_to_compare_with(desk: Desk) -> None:
    desk.at(12, 14, 0)
    incident = routed(desk, text="Яма у дома 5", author_name="Пётр", network=Network.TELEGRAM)
    desk.at(12, 16, 0)
    answer = desk.svc(desk.executors["ЖКХ"]).submit_draft(incident, "Заделаем яму завтра")
    Attachment.create(
        answer=answer, file_name="яма.jpg", sha256="ab" * 32, size=1200, mime_type="image/jpeg"
    )
    detail = approval_detail(desk.curator, answer, MOSCOW)
    assert (detail.message_text, detail.message_author) == ("Яма у дома 5", "Пётр")
    assert detail.network_title == "Telegram" and detail.length_limit == 4096
    assert (detail.text, detail.version_number, detail.department) == (
        "Заделаем яму завтра",
        1,
        "ЖКХ",
    )
    assert detail.first_version and detail.previous_text is None and detail.diff == ()
    assert detail.decisions == ()
    assert [a.file_name for a in detail.attachments] == ["яма.jpg"]
    assert detail.stage is ReviewStage.CURATOR and detail.waiting
    assert detail.offered == frozenset(ReviewDecision)
    assert detail.answer_due == "13.03.2025 13:00"  # п. 9: 8 working hours, lunch out
    assert not detail.rework_due_is_manual  # п. 15: one working hour, by the regulation
    with pytest.raises(AccessDenied):
        approval_detail(desk.executors["ЖКХ"], answer, MOSCOW)


def test_a_reworked_draft_shows_the_changed_words_and_the_reasons(desk: Desk) -> None:
    desk.at(12, 14, 0)
    incident = routed(desk)
    executor = desk.executors["ЖКХ"]
    desk.at(12, 16, 0)
    first = desk.svc(executor).submit_draft(incident, "Заделаем яму завтра утром.")
    desk.at(12, 16, 10)
    desk.svc(desk.curator).review(
        incident,
        first,
        ReviewDecision.RETURN,
        reasons=[ReturnReason.OTHER, ReturnReason.SPELLING],
        comment="Уточните адрес",
    )
    assert waiting_for(desk.curator, MOSCOW) == []
    desk.at(12, 16, 40)
    second = desk.svc(executor).submit_draft(incident, "Заделаем яму у дома 5 сегодня утром.")
    detail = approval_detail(desk.curator, second, MOSCOW)
    assert (detail.previous_answer_id, detail.previous_version_number) == (first, 1)
    assert detail.version_number == 2
    deleted = [p.text for p in detail.diff if p.change is Change.DELETED]
    inserted = [p.text for p in detail.diff if p.change is Change.INSERTED]
    assert deleted == ["завтра"]
    assert inserted == ["у дома 5 сегодня"]
    [returned] = detail.decisions
    assert (returned.answer_id, returned.version_number) == (first, 1)
    assert (returned.reviewer, returned.decided) == ("Curator Тест", "12.03.2025 16:10")
    assert returned.decision is ReviewDecision.RETURN
    assert returned.decision_title == "вернул(а) на доработку"
    assert returned.reasons == (ReturnReason.SPELLING, ReturnReason.OTHER)
    assert returned.reason_titles == ("орфографические и пунктуационные ошибки", "другое")
    assert returned.comment == "Уточните адрес"
    assert returned.stage_title == "куратор"


def test_the_last_returned_version_of_the_same_line_is_compared(desk: Desk) -> None:
    desk.at(12, 14, 0)
    incident = routed(desk)
    executor = desk.executors["ЖКХ"]
    curator = desk.svc(desk.curator)
    versions = []
    for minute, text in ((0, "один два"), (10, "один три"), (20, "один четыре")):
        desk.at(12, 15, minute)
        versions.append(desk.svc(executor).submit_draft(incident, text))
        if minute < 20:
            desk.at(12, 15, minute + 5)
            curator.review(incident, versions[-1], ReviewDecision.RETURN, reasons=["format"])
    detail = approval_detail(desk.curator, versions[-1], MOSCOW)
    assert detail.previous_answer_id == versions[1]
    assert changed_words("один три", "один четыре") == (["три"], ["четыре"])
    assert [(p.change, p.text) for p in detail.diff if p.change is not Change.SAME] == [
        (Change.DELETED, "три"),
        (Change.INSERTED, "четыре"),
    ]
    assert [d.version_number for d in detail.decisions] == [1, 2]


def test_a_decided_draft_waits_for_nobody(desk: Desk) -> None:
    desk.at(12, 14, 0)
    incident = routed(desk)
    desk.at(12, 16, 0)
    answer = desk.svc(desk.executors["ЖКХ"]).submit_draft(incident, "Заделаем яму завтра")
    standing = desk.svc(desk.curator).review(
        incident, answer, ReviewDecision.APPROVE_WITH_EDITS, edited_text="Заделаем яму сегодня"
    )
    assert waiting_for(desk.curator, MOSCOW) == []
    old = approval_detail(desk.curator, answer, MOSCOW)
    assert old.stage is None and not old.waiting and old.offered == frozenset()
    [decision] = old.decisions
    assert decision.decision is ReviewDecision.APPROVE_WITH_EDITS
    assert approval_detail(desk.curator, standing, MOSCOW).text == "Заделаем яму сегодня"


def test_barnaul_the_department_head_decides_first_then_the_curator(barnaul: Desk) -> None:
    desk = barnaul
    desk.at(12, 10, 0)
    due = dt.datetime(2025, 3, 13, 12, 0, tzinfo=MOSCOW)
    incident = desk.register(
        source="upstream", external_number="ИМ-1", external_deadline=due, author_name="Анна"
    )
    desk.svc(desk.curator).route(
        incident,
        [RouteTarget(desk.dept("ЖКХ"))],
        draft_due=dt.datetime(2025, 3, 12, 16, 0, tzinfo=MOSCOW),
    )
    desk.at(12, 10, 30)
    desk.svc(desk.heads["ЖКХ"]).accept(incident)
    desk.at(12, 15, 0)
    answer = desk.svc(desk.executors["ЖКХ"]).submit_draft(incident, "Ответ отдела")
    head = desk.heads["ЖКХ"]
    [draft] = waiting_for(head, MOSCOW)
    assert (draft.answer_id, draft.stage, draft.department) == (
        answer,
        ReviewStage.DEPARTMENT,
        "ЖКХ",
    )
    assert waiting_for(desk.heads["Дороги"], MOSCOW) == []
    assert waiting_for(desk.curator, MOSCOW) == []  # the deputy agrees first (п. 5)
    detail = approval_detail(head, answer, MOSCOW)
    assert detail.stage is ReviewStage.DEPARTMENT
    assert detail.offered == {ReviewDecision.APPROVE, ReviewDecision.RETURN}
    with pytest.raises(AccessDenied):  # another department's draft is not theirs to read
        approval_detail(desk.heads["Дороги"], answer, MOSCOW)
    assert approval_detail(desk.curator, answer, MOSCOW).offered == frozenset()
    assert detail.answer_due == "13.03.2025 12:00"  # the monitoring system's

    desk.at(12, 15, 20)
    desk.svc(head).approve_department(incident, answer)
    assert waiting_for(head, MOSCOW) == []
    [draft] = waiting_for(desk.curator, MOSCOW)
    assert (draft.answer_id, draft.stage) == (answer, ReviewStage.CURATOR)
    assert local(draft.step_due_at) == "12.03 15:50"  # п. 6: 30 working minutes
    detail = approval_detail(desk.curator, answer, MOSCOW)
    assert detail.offered == frozenset(ReviewDecision)
    assert detail.rework_due_is_manual  # п. 6: «в срок, установленный Контролером»
    [agreed] = detail.decisions
    assert (agreed.stage, agreed.reviewer, agreed.decision_title) == (
        ReviewStage.DEPARTMENT,
        "Head0 Тест",
        "согласовал(а)",
    )


def test_barnaul_parts_wait_for_their_own_department_heads(barnaul: Desk) -> None:
    desk = barnaul
    due = dt.datetime(2025, 3, 13, 12, 0, tzinfo=MOSCOW)
    incident = desk.register(source="upstream", external_number="ИМ-2", external_deadline=due)
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept(n)) for n in ("ЖКХ", "Дороги")])
    parts = {
        name: desk.svc(desk.executors[name]).submit_draft(
            incident, f"Часть {name}", kind=AnswerKind.PART
        )
        for name in ("ЖКХ", "Дороги")
    }
    for name, part in parts.items():
        [draft] = waiting_for(desk.heads[name], MOSCOW)
        assert (draft.answer_id, draft.kind_title) == (part, "часть сводного ответа")
    assert waiting_for(desk.curator, MOSCOW) == []


def test_a_working_copy_is_not_shown_for_approval(desk: Desk) -> None:
    incident = desk.register()
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept("ЖКХ"))])
    copy = desk.svc(desk.executors["ЖКХ"]).save_working_draft(incident, "Пишу…")
    with pytest.raises(AccessDenied):
        approval_detail(desk.curator, copy.answer_id, MOSCOW)
