"""Attachments: content-addressed files beside the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop.models.entities import Attachment
from desktop.models.enums import Role
from desktop.services.attachments import attach_to_incident, path_of, sha256_of, store_file
from desktop.services.errors import ValidationError
from desktop.services.incidents import IncidentService, NewIncident
from desktop.services.office import Office
from desktop.services.session import CurrentUser


def test_a_file_is_stored_once_under_its_hash(office: Office, tmp_path: Path) -> None:
    photo = tmp_path / "Яма.JPG"
    photo.write_bytes(b"\xff\xd8 photo bytes")
    copy = tmp_path / "copy.jpg"
    copy.write_bytes(photo.read_bytes())
    first = store_file(office, photo)
    second = store_file(office, copy)
    assert first.sha256 == second.sha256 == sha256_of(photo)
    stored = office.attachments_dir / first.relative_path
    assert stored.read_bytes() == photo.read_bytes()
    assert stored.parent.parent == office.path.parent / "attachments"
    assert stored.suffix == ".jpg"
    assert [p.name for p in office.attachments_dir.rglob("*") if p.is_file()] == [stored.name]


def test_attaching_records_the_file_on_the_incident(
    office: Office, make_user: Callable[..., CurrentUser], tmp_path: Path
) -> None:
    user = make_user("operator", Role.OPERATOR)
    incident = IncidentService(user).register(
        NewIncident(
            text="Фото ямы", link="https://vk.com/wall-1_1", detected_at=dt.datetime.now(dt.UTC)
        )
    )
    video = tmp_path / "двор.mp4"
    video.write_bytes(b"video" * 100)
    attachment_id = attach_to_incident(office, user, incident, video)
    row = Attachment.get_by_id(attachment_id)
    assert (row.incident_id, row.file_name, row.size, row.mime_type) == (
        incident,
        "двор.mp4",
        500,
        "video/mp4",
    )
    assert path_of(office, row.sha256, row.file_name).read_bytes() == video.read_bytes()


def test_a_missing_file_is_a_validation_error(office: Office, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="не найден"):
        store_file(office, tmp_path / "нет.jpg")


def test_a_vanished_share_is_not_recreated(office: Office, tmp_path: Path) -> None:
    from desktop.services.errors import DatabaseUnavailable

    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"jpeg")
    share = office.path.parent
    share.rename(share.with_name("unplugged"))
    with pytest.raises(DatabaseUnavailable):
        store_file(office, photo)
    assert not share.exists()


def test_only_who_may_edit_the_card_attaches_and_the_history_says_so(
    office: Office, make_user: Callable[..., CurrentUser], tmp_path: Path
) -> None:
    from zoneinfo import ZoneInfo

    from desktop.services.errors import AccessDenied
    from desktop.services.incident_history import incident_history

    operator = make_user("operator", Role.OPERATOR)
    executor = make_user("executor", Role.EXECUTOR)
    incident = IncidentService(operator).register(
        NewIncident(text="Яма", link="https://vk.com/wall-1_2", detected_at=dt.datetime.now(dt.UTC))
    )
    photo = tmp_path / "яма.jpg"
    photo.write_bytes(b"\xff\xd8" * 50)
    with pytest.raises(AccessDenied):
        attach_to_incident(office, executor, incident, photo)
    assert Attachment.select().count() == 0
    attach_to_incident(office, operator, incident, photo)
    history = incident_history(incident, ZoneInfo("Europe/Moscow"))
    assert history[-1].text == "Добавлен файл: яма.jpg"
