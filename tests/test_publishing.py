"""The publication form's read, and files that go out with an answer."""

from __future__ import annotations

from pathlib import Path

import pytest
from desk import Desk

from desktop.models.entities import Attachment
from desktop.models.enums import PublicationMode, ReviewDecision
from desktop.services.attachments import attach_to_answer
from desktop.services.errors import AccessDenied, ValidationError
from desktop.services.incident_base import InvalidTransition
from desktop.services.incidents import RouteTarget
from desktop.services.office import Office


def answered(desk: Desk) -> tuple[int, int]:
    incident = desk.register("Фонарь не горит", author_name="Анна")
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept("ЖКХ"))])
    return incident, desk.svc(desk.executors["ЖКХ"]).submit_draft(incident, "Починим завтра.")


@pytest.mark.parametrize(
    ("preset", "modes", "site"),
    [
        (
            "otradnensky-2021",
            (PublicationMode.PUBLIC_COMMENT, PublicationMode.PRIVATE_MESSAGE),
            False,
        ),
        ("okhinsky-2023", (PublicationMode.PUBLIC_COMMENT, PublicationMode.PRIVATE_MESSAGE), True),
    ],
)
def test_the_offer_holds_the_approved_answer_and_the_regulations_ways(
    office: Office, preset: str, modes: tuple[PublicationMode, ...], site: bool
) -> None:
    desk = Desk(office, preset)
    incident, answer = answered(desk)
    reader = desk.svc(desk.executors["ЖКХ"])
    with pytest.raises(InvalidTransition):
        reader.publication_offer(incident)  # nothing approved yet
    desk.svc(desk.curator).review(incident, answer, ReviewDecision.APPROVE)
    offer = reader.publication_offer(incident)
    assert (offer.answer_id, offer.text, offer.author_name) == (answer, "Починим завтра.", "Анна")
    assert offer.modes == modes and offer.site_allowed is site


def test_files_go_with_a_waiting_answer_only(office: Office, tmp_path: Path) -> None:
    desk = Desk(office, "otradnensky-2021")
    incident, answer = answered(desk)
    photo = tmp_path / "фонарь.jpg"
    photo.write_bytes(b"\xff\xd8 a photo")
    executor = desk.executors["ЖКХ"]
    attachment = attach_to_answer(desk.office, executor, answer, photo)
    row = Attachment.get_by_id(attachment)
    assert (row.answer_id, row.incident_id, row.mime_type) == (answer, incident, "image/jpeg")
    with pytest.raises(AccessDenied):
        attach_to_answer(desk.office, desk.operator, answer, photo)
    with pytest.raises(AccessDenied):  # another executor, another department
        attach_to_answer(desk.office, desk.executors["Дороги"], answer, photo)
    desk.svc(desk.curator).review(incident, answer, ReviewDecision.APPROVE)
    with pytest.raises(ValidationError):
        attach_to_answer(desk.office, executor, answer, photo)
    assert Attachment.select().count() == 1
