"""Who may do what, and what the workflow refuses: every refusal leaves the file untouched."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from desk import MOSCOW, Desk

from desktop.models.entities import Incident, Step
from desktop.models.enums import (
    AnswerKind,
    PublicationMode,
    ReturnReason,
    ReviewDecision,
    Role,
    StepKind,
)
from desktop.services.errors import ValidationError
from desktop.services.incidents import (
    DuplicateLink,
    IncidentService,
    InvalidTransition,
    NewIncident,
    RouteTarget,
)
from desktop.services.office import Office
from desktop.services.permissions import Action, roles_allowed

NOW = dt.datetime(2025, 3, 12, 10, 0, tzinfo=MOSCOW)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def desk(office: Office) -> Desk:
    return Desk(office, "otradnensky-2021")


@pytest.fixture
def drafted(desk: Desk) -> tuple[int, int]:
    """An incident routed to ЖКХ with a draft waiting for the curator: (incident, answer)."""
    incident = desk.register()
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept("ЖКХ"))])
    answer = desk.svc(desk.executors["ЖКХ"]).submit_draft(incident, "Заделаем яму")
    return incident, answer


# --- every action for every role -----------------------------------------------------------

ACTIONS: dict[str, tuple[Action, Callable[[IncidentService, int, int], object]]] = {
    "register": (
        Action.REGISTER,
        lambda s, i, a: s.register(
            NewIncident(text="x", link="https://vk.com/w9", detected_at=NOW)
        ),
    ),
    "edit": (Action.EDIT_INCIDENT, lambda s, i, a: s.edit(i, 1, {"note": "x"})),
    "mark_repeat": (Action.EDIT_INCIDENT, lambda s, i, a: s.mark_repeat(i, i)),
    "route": (Action.ROUTE, lambda s, i, a: s.route(i, [RouteTarget(2)])),
    "pick_consolidator": (Action.ROUTE, lambda s, i, a: s.pick_consolidator(i, 1)),
    "accept": (Action.RETURN_NOT_COMPETENT, lambda s, i, a: s.accept(i)),
    "return_not_competent": (
        Action.RETURN_NOT_COMPETENT,
        lambda s, i, a: s.return_not_competent(i, "не наше"),
    ),
    "submit_draft": (Action.WRITE_DRAFT, lambda s, i, a: s.submit_draft(i, "текст")),
    "approve_department": (
        Action.APPROVE_DEPARTMENT,
        lambda s, i, a: s.approve_department(i, a),
    ),
    "review": (Action.REVIEW, lambda s, i, a: s.review(i, a, ReviewDecision.APPROVE)),
    "publish": (Action.PUBLISH, lambda s, i, a: s.publish(i, url="https://vk.com/w1?r=1")),
    "close_not_to_answer": (Action.CLOSE, lambda s, i, a: s.close_not_to_answer(i, "мат")),
    "make_official_appeal": (
        Action.CLOSE,
        lambda s, i, a: s.make_official_appeal(
            i, number="1", registered_on=dt.date(2025, 3, 12), consent=True
        ),
    ),
    "return_upstream": (Action.CLOSE, lambda s, i, a: s.return_upstream(i, "не наше")),
    "set_due": (
        Action.SET_DEADLINE,
        lambda s, i, a: s.set_due(i, 1, NOW + dt.timedelta(days=1)),
    ),
    "notify_manager": (Action.NOTIFY_MANAGER, lambda s, i, a: s.notify_manager(i)),
    "save_working_draft": (
        Action.WRITE_DRAFT,
        lambda s, i, a: s.save_working_draft(i, "текст", assignment_id=a),
    ),
}

ROLE_CASES = [
    (name, role)
    for name, (action, _) in ACTIONS.items()
    for role in Role
    if role not in roles_allowed(action)
]


@pytest.mark.parametrize(("name", "role"), ROLE_CASES, ids=[f"{n}-{r}" for n, r in ROLE_CASES])
def test_the_wrong_role_gets_permission_error_and_nothing_changes(
    desk: Desk, drafted: tuple[int, int], name: str, role: Role
) -> None:
    incident, answer = drafted
    person = desk.person(f"someone-{role.value}", "ЖКХ", role)
    before = digest(desk.office.path)
    with pytest.raises(PermissionError):
        ACTIONS[name][1](desk.svc(person), incident, answer)
    assert digest(desk.office.path) == before


def test_every_service_action_is_in_the_table() -> None:
    public = {
        name
        for name in dir(IncidentService)
        if not name.startswith("_") and callable(getattr(IncidentService, name))
    }
    # Reads, open to any role:
    reads = {
        "now",
        "version_of",
        "card",
        "available_actions",
        "working_draft",
        "draft_kinds",
        "publication_offer",
    }
    assert public - reads == set(ACTIONS)


STRANGER_ACTIONS: dict[str, Callable[[IncidentService, int, int], object]] = {
    "submit_draft": lambda s, i, a: s.submit_draft(i, "текст", assignment_id=a),
    "accept": lambda s, i, a: s.accept(i, assignment_id=a),
    "return_not_competent": lambda s, i, a: s.return_not_competent(i, "не наше", assignment_id=a),
}


@pytest.mark.parametrize("name", list(STRANGER_ACTIONS))
def test_an_executor_of_another_department_may_not_touch_it(desk: Desk, name: str) -> None:
    incident = desk.register()
    [assignment] = desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept("ЖКХ"))])
    stranger = desk.svc(desk.executors["Дороги"])
    before = digest(desk.office.path)
    with pytest.raises(PermissionError, match="не в ваш отдел"):
        STRANGER_ACTIONS[name](stranger, incident, assignment)
    assert digest(desk.office.path) == before


def test_a_substitute_works_for_an_absent_executor(desk: Desk) -> None:
    from desktop.models.entities import Absence

    executor = desk.executors["ЖКХ"]
    substitute = desk.person("stand-in", "Дороги", Role.EXECUTOR)
    Absence.create(
        employee=executor.employee_id,
        starts_on=dt.date(2025, 3, 10),
        ends_on=dt.date(2025, 3, 21),
        substitute=substitute.employee_id,
    )
    incident = desk.register()
    [assignment] = desk.svc(desk.curator).route(
        incident, [RouteTarget(desk.dept("ЖКХ"), executor.employee_id)]
    )
    assert desk.assignment(incident, "ЖКХ").executor_id == substitute.employee_id
    answer = desk.svc(substitute).submit_draft(
        incident, "Ответ заместителя", assignment_id=assignment
    )
    from desktop.models.entities import AnswerVersion

    assert AnswerVersion.get_by_id(answer).author_id == substitute.employee_id
    draft = Step.get(Step.kind == StepKind.DRAFT)
    assert draft.done_at is not None and draft.responsible_id == substitute.employee_id


# --- bad input ---------------------------------------------------------------------------

LONG = "я" * 100_000


@pytest.mark.parametrize(
    ("fields", "complaint"),
    [
        ({"text": ""}, "пуст"),
        ({"text": " \u200b\u200b\u2060 \x00\x07\n"}, "пуст"),
        ({"text": LONG}, "длиннее"),
        ({"link": "htp://vk.com/wall-1_2"}, "не похожа на адрес"),
        ({"link": "vk com/wall-1_2"}, "пробелы"),
        ({"link": "javascript:alert(1)"}, "не похожа на адрес"),
        ({"link": "https://vk"}, "не похожа на адрес"),
        ({"link": "https://"}, "не похожа на адрес"),
        ({"link": "https://example.org/x"}, "соцсеть"),
        ({"author_url": "не ссылка"}, "не похожа на адрес"),
        ({"posted_at": NOW + dt.timedelta(hours=2)}, "позже, чем выявлено|в будущем"),
        (
            {
                "posted_at": NOW - dt.timedelta(minutes=30),
                "detected_at": NOW - dt.timedelta(hours=1),
            },
            "позже, чем выявлено",
        ),
        ({"detected_at": dt.datetime(2030, 1, 1, tzinfo=dt.UTC)}, "в будущем"),
        ({"detected_at": dt.datetime(2025, 3, 12, 10, 0)}, "часового пояса"),
        ({"author_name": "Иван" * 100}, "длиннее"),
        ({"topic_id": 999}, "Нет такой темы"),
        ({"external_deadline": NOW - dt.timedelta(hours=1)}, "позже выявления"),
    ],
)
def test_bad_registration_input_changes_nothing(
    desk: Desk, fields: dict[str, object], complaint: str
) -> None:
    values: dict[str, object] = {
        "text": "Яма",
        "link": "https://vk.com/wall-1_2",
        "detected_at": NOW,
        **fields,
    }
    before = digest(desk.office.path)
    with pytest.raises(ValidationError, match=complaint):
        desk.svc(desk.operator).register(NewIncident(**values))  # type: ignore[arg-type]
    assert digest(desk.office.path) == before


def test_emoji_stay_and_invisible_characters_go(desk: Desk) -> None:
    text = "Когда\u200b починят\u00a0свет? 😡👨\u200d👩\u200d👧 \x07"
    incident = desk.register(text=text)
    stored = Incident.get_by_id(incident).text
    assert stored == "Когда починят свет? 😡👨\u200d👩\u200d👧"


def test_a_registered_link_opens_the_existing_card(desk: Desk) -> None:
    first = desk.register(link="https://vk.com/wall-1_77")
    before = digest(desk.office.path)
    with pytest.raises(DuplicateLink) as caught:
        desk.register(link="http://m.vk.com/wall-1_77/")
    assert (caught.value.incident_id, caught.value.number) == (first, 1)
    assert digest(desk.office.path) == before


# --- invalid transitions --------------------------------------------------------------

Attempt = Callable[[Desk, int, int], object]

TRANSITIONS: dict[str, tuple[Attempt, str]] = {
    "route twice": (
        lambda d, i, a: d.svc(d.curator).route(i, [RouteTarget(d.dept("Дороги"))]),
        "уже направлено",
    ),
    "publish before approval": (
        lambda d, i, a: d.svc(d.executors["ЖКХ"]).publish(i, url="https://vk.com/w?r=1"),
        "Нет согласованного ответа",
    ),
    "approve a draft of another incident": (
        lambda d, i, a: d.svc(d.curator).review(i, a + 100, ReviewDecision.APPROVE),
        "Нет такого проекта",
    ),
    "return without reasons": (
        lambda d, i, a: d.svc(d.curator).review(i, a, ReviewDecision.RETURN),
        "хотя бы одну причину",
    ),
    "other without a comment": (
        lambda d, i, a: d.svc(d.curator).review(
            i, a, ReviewDecision.RETURN, reasons=[ReturnReason.OTHER]
        ),
        "комментарий",
    ),
    "a second draft while one waits": (
        lambda d, i, a: d.svc(d.executors["ЖКХ"]).submit_draft(i, "ещё"),
        "ещё на согласовании",
    ),
    "return after drafting": (
        lambda d, i, a: d.svc(d.executors["ЖКХ"]).return_not_competent(i, "не наше"),
        "уже подготовил ответ",
    ),
    "department approval not in this regulation": (
        lambda d, i, a: d.svc(d.heads["ЖКХ"]).approve_department(i, a),
        "не ждёт согласования руководителем",
    ),
    "edit the answer deadline": (
        lambda d, i, a: d.svc(d.curator).set_due(
            i,
            Step.get((Step.incident == i) & (Step.kind == StepKind.ANSWER)).id,
            NOW + dt.timedelta(days=3),
        ),
        "не меняется вручную",
    ),
    "a deadline in the past": (
        lambda d, i, a: d.svc(d.curator).set_due(
            i,
            Step.get((Step.incident == i) & (Step.kind == StepKind.REVIEW)).id,
            NOW - dt.timedelta(days=3),
        ),
        "уже прошёл",
    ),
    "an explanation under a regulation without them": (
        lambda d, i, a: d.svc(d.executors["ЖКХ"]).submit_draft(
            i,
            "разъяснение",
            kind=AnswerKind.EXPLANATION,
            ground="court_acts",  # type: ignore[arg-type]
        ),
        "не предусматривает разъяснений",
    ),
    "a publication mode the regulation does not allow": (
        lambda d, i, a: d.svc(d.curator).publish(i, mode=PublicationMode.UPSTREAM),
        "допускает размещение",
    ),
    "route to nobody": (lambda d, i, a: d.svc(d.curator).route(i, []), "хотя бы один отдел"),
    "route to one department twice": (
        lambda d, i, a: d.svc(d.curator).route(
            i, [RouteTarget(d.dept("ЖКХ")), RouteTarget(d.dept("ЖКХ"))]
        ),
        "дважды",
    ),
}


@pytest.mark.parametrize("name", list(TRANSITIONS))
def test_an_invalid_transition_is_refused_and_changes_nothing(
    desk: Desk, drafted: tuple[int, int], name: str
) -> None:
    incident, answer = drafted
    attempt, complaint = TRANSITIONS[name]
    before = digest(desk.office.path)
    with pytest.raises(ValidationError, match=complaint):
        attempt(desk, incident, answer)
    assert digest(desk.office.path) == before


def test_nothing_is_done_to_a_closed_incident(desk: Desk, drafted: tuple[int, int]) -> None:
    incident, answer = drafted
    desk.svc(desk.curator).close_not_to_answer(incident, "Нецензурная брань")
    before = digest(desk.office.path)
    for attempt in (
        lambda: desk.svc(desk.curator).review(incident, answer, ReviewDecision.APPROVE),
        lambda: desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept("Дороги"))]),
        lambda: desk.svc(desk.curator).close_not_to_answer(incident, "ещё раз"),
        lambda: desk.svc(desk.executors["ЖКХ"]).submit_draft(incident, "ответ"),
    ):
        with pytest.raises(InvalidTransition, match="закрыто"):
            attempt()
    assert digest(desk.office.path) == before


def test_the_managers_report_is_one_call(desk: Desk) -> None:
    from desktop.models.enums import Importance

    desk.at(12, 10, 0)
    incident = desk.register(
        "Прорыв трубы на ул. Мира, вода в подвалах", importance=Importance.HIGH
    )
    desk.at(12, 10, 5)
    text = desk.svc(desk.operator).notify_manager(incident)
    assert text == (
        "Инцидент повышенной важности № 1 (ВКонтакте): Прорыв трубы на ул. Мира, вода в "
        "подвалах Ссылка: https://vk.com/wall-1_1 Срок ответа: 12.03.2025 15:00."
    )
    assert desk.incident(incident).manager_notified_at == desk.now()


def test_photos_come_with_the_registration(desk: Desk, tmp_path: Path) -> None:
    from desktop.models.entities import Attachment

    photo = tmp_path / "яма.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + b"pixels" * 100)
    incident = desk.register(attachments=[photo])
    [row] = Attachment.select().where(Attachment.incident == incident)
    assert (row.file_name, row.size) == ("яма.jpg", photo.stat().st_size)
    stored = desk.office.attachments_dir / row.sha256[:2]
    assert any(stored.iterdir())
    missing = tmp_path / "нет.jpg"
    before = digest(desk.office.path)
    with pytest.raises(ValidationError, match="не найден"):
        desk.register(link="https://vk.com/wall-1_99", attachments=[missing])
    assert digest(desk.office.path) == before


def test_a_draft_of_the_kind_not_due_is_refused(desk: Desk) -> None:
    incident = desk.register()
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept("ЖКХ"))])
    before = digest(desk.office.path)
    with pytest.raises(InvalidTransition, match="Часть сводного ответа сейчас не ожидается"):
        desk.svc(desk.executors["ЖКХ"]).submit_draft(incident, "часть", kind=AnswerKind.PART)
    assert digest(desk.office.path) == before
