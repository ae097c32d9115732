"""Photos and videos stored beside the database on the share, named by their SHA-256.

The same file attached twice is stored once. Files are copied to a temporary name and then
renamed, so a half-copied file never carries a valid name.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from desktop.models.database import run_write
from desktop.models.entities import AnswerVersion, Attachment, Incident
from desktop.models.enums import AnswerStatus
from desktop.services.audit import append_event
from desktop.services.errors import AccessDenied, DatabaseUnavailable, ValidationError
from desktop.services.office import Office
from desktop.services.permissions import Action
from desktop.services.session import CurrentUser

MAX_ATTACHMENT_BYTES = 512 * 1024 * 1024
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    relative_path: str  # under the attachments folder, with forward slashes


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def relative_path_for(sha256: str, suffix: str) -> str:
    # Two-level fan-out keeps folders small on file servers that dislike huge directories.
    return f"{sha256[:2]}/{sha256}{suffix.lower()}"


def store_file(office: Office, source: Path) -> StoredFile:
    """Copy `source` into the share's attachment store (once per content)."""
    if not source.is_file():
        raise ValidationError(f"Файл не найден: {source}")
    size = source.stat().st_size
    if size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            f"Файл {source.name} больше {MAX_ATTACHMENT_BYTES // (1024 * 1024)} МБ."
        )
    sha256 = sha256_of(source)
    relative = relative_path_for(sha256, source.suffix)
    destination = office.attachments_dir / relative
    if destination.exists() and destination.stat().st_size == size:
        return StoredFile(sha256, size, relative)
    try:
        # Level by level, never parents=True: a vanished share must not be rebuilt locally.
        office.attachments_dir.mkdir(exist_ok=True)
        destination.parent.mkdir(exist_ok=True)
        partial = destination.with_name(f"{destination.name}.{os.getpid()}.part")
        shutil.copyfile(source, partial)
        partial.replace(destination)
    except OSError as exc:
        raise DatabaseUnavailable(
            f"Не удалось сохранить вложение {source.name} в сетевую папку.", detail=str(exc)
        ) from exc
    return StoredFile(sha256, size, relative)


def _recorded(
    user: CurrentUser,
    source: Path,
    stored: StoredFile,
    *,
    incident_id: int,
    answer_id: int | None,
) -> int:
    """The attachment's row and its audit event (inside the caller's write)."""
    mime, _ = mimetypes.guess_type(source.name)
    append_event(
        user.actor,
        entity="incident" if answer_id is None else "answer_version",
        entity_id=incident_id if answer_id is None else answer_id,
        incident_id=incident_id,
        action="attach",
        after={"file_name": source.name, "size": stored.size},
    )
    row = Attachment.create(
        incident=incident_id,
        answer=answer_id,
        file_name=source.name,
        sha256=stored.sha256,
        size=stored.size,
        mime_type=mime or "application/octet-stream",
        added_by=user.employee_id,
    )
    return int(row.id)


def attach_to_incident(office: Office, user: CurrentUser, incident_id: int, source: Path) -> int:
    """Store the file and record it on the incident (with an audit event); returns the
    Attachment id."""
    user.require(Action.EDIT_INCIDENT)
    stored = store_file(office, source)

    def record() -> int:
        if not Incident.select().where(Incident.id == incident_id).exists():
            raise ValidationError(f"Нет сообщения с номером записи {incident_id}.")
        return _recorded(user, source, stored, incident_id=incident_id, answer_id=None)

    return run_write(record)


def attach_to_answer(office: Office, user: CurrentUser, answer_id: int, source: Path) -> int:
    """A photo or video that goes out with the answer (submitted with the draft, shown to
    the approvers); only its author adds them, before a decision. Returns the Attachment id."""
    user.require(Action.WRITE_DRAFT)
    stored = store_file(office, source)

    def record() -> int:
        answer = AnswerVersion.get_or_none(AnswerVersion.id == answer_id)
        if answer is None:
            raise ValidationError("Нет такого проекта ответа.")
        if answer.author_id != user.employee_id:
            raise AccessDenied("Файлы к ответу добавляет его автор.")
        if answer.status not in (AnswerStatus.DRAFT, AnswerStatus.SUBMITTED):
            raise ValidationError("К рассмотренному ответу файлы уже не добавляются.")
        return _recorded(user, source, stored, incident_id=answer.incident_id, answer_id=answer_id)

    return run_write(record)


def path_of(office: Office, sha256: str, file_name: str) -> Path:
    return office.attachments_dir / relative_path_for(sha256, Path(file_name).suffix)
