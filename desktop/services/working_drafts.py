"""The answer being written: one working copy per message and department, saved every few
seconds while the executor types, replaced by the version they submit.

A working copy is an `AnswerVersion` in status DRAFT with number 0: not a version of the
record yet (versions are numbered from 1 when submitted), so autosaves write no audit event —
the hash chain records what was submitted, not every pause in typing. Two colleagues of one
department typing into the same working copy meet the usual optimistic-concurrency question.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from desktop.models.base import update_versioned
from desktop.models.database import reads, run_write
from desktop.models.entities import AnswerVersion, Assignment
from desktop.models.enums import AnswerKind, AnswerStatus, ExplanationGround, IncidentStatus
from desktop.services.errors import ConflictError, RowDeleted
from desktop.services.incident_base import InvalidTransition, ServiceBase, describe_login
from desktop.services.permissions import Action

WORKING_NUMBER = 0
MAX_WORKING_LENGTH = 20_000  # as a submitted answer (incident_drafts.MAX_ANSWER_LENGTH)


@dataclass(frozen=True)
class WorkingDraft:
    answer_id: int
    version: int
    kind: AnswerKind
    text: str
    saved_at: dt.datetime
    saved_by: str
    ground: ExplanationGround | None = None  # an explanation's п. 3.7 ground, once chosen


def _of(row: AnswerVersion) -> WorkingDraft:
    return WorkingDraft(
        answer_id=row.id,
        version=row.version,
        kind=row.kind,
        text=row.text,
        saved_at=row.updated_at,
        saved_by=describe_login(row.updated_by),
        ground=ExplanationGround(row.ground) if row.ground else None,
    )


def _working_copies(incident_id: int, assignment_id: int | None) -> object:
    scope = (
        AnswerVersion.assignment.is_null()
        if assignment_id is None
        else AnswerVersion.assignment == assignment_id
    )
    return AnswerVersion.select().where(
        (AnswerVersion.incident == incident_id)
        & (AnswerVersion.status == AnswerStatus.DRAFT)
        & (AnswerVersion.number == WORKING_NUMBER)
        & scope
    )


def _waiting(incident_id: int, assignment_id: int | None) -> bool:
    """A version of this line waits for a decision: nothing is being written meanwhile."""
    scope = (
        AnswerVersion.assignment.is_null()
        if assignment_id is None
        else AnswerVersion.assignment == assignment_id
    )
    return bool(
        AnswerVersion.select()
        .where(
            (AnswerVersion.incident == incident_id)
            & (AnswerVersion.status == AnswerStatus.SUBMITTED)
            & scope
        )
        .exists()
    )


def drop_working_copy(incident_id: int, assignment: Assignment | None) -> None:
    """The submitted version replaces the working copy (inside the submit's transaction)."""
    scope = (
        AnswerVersion.assignment.is_null()
        if assignment is None
        else AnswerVersion.assignment == assignment.id
    )
    AnswerVersion.delete().where(
        (AnswerVersion.incident == incident_id)
        & (AnswerVersion.status == AnswerStatus.DRAFT)
        & (AnswerVersion.number == WORKING_NUMBER)
        & scope
    ).execute()


class WorkingDrafts(ServiceBase):
    """Part of `IncidentService`: the executor's (or curator's) answer in progress."""

    @reads
    def working_draft(
        self, incident_id: int, assignment_id: int | None = None
    ) -> WorkingDraft | None:
        """The working copy the user would continue: of their department's assignment in
        work, or the curator's own."""
        case = self._case(incident_id)
        assignment = self._assignment(case, assignment_id)
        row = _working_copies(incident_id, None if assignment is None else assignment.id)
        found = row.first()  # type: ignore[attr-defined]
        return None if found is None else _of(found)

    def save_working_draft(
        self,
        incident_id: int,
        text: str,
        *,
        kind: AnswerKind = AnswerKind.FINAL,
        assignment_id: int | None = None,
        expected_version: int | None = None,
        ground: ExplanationGround | None = None,
    ) -> WorkingDraft:
        """Save what is typed so far. `expected_version`: the working copy's version this
        text was typed over, None when the user saw none; a newer copy, or one a colleague
        started meanwhile, raises `ConflictError` (who, when) instead of being overwritten."""
        self.user.require(Action.WRITE_DRAFT)
        if len(text) > MAX_WORKING_LENGTH:
            text = text[:MAX_WORKING_LENGTH]  # an autosave never fails on length: submit says
        kind = AnswerKind(kind)
        stored_ground = "" if ground is None else ExplanationGround(ground).value

        def write() -> WorkingDraft:
            case = self._case(incident_id)
            self._require_open(case)
            if case.incident.status is IncidentStatus.NEW:
                raise InvalidTransition("Сообщение ещё не направлено в отдел.")
            assignment = self._assignment(case, assignment_id)
            self._require_own(case, assignment)
            scope = None if assignment is None else assignment.id
            if _waiting(incident_id, scope):
                raise InvalidTransition("Ответ уже отправлен на согласование: черновик закрыт.")
            existing = _working_copies(incident_id, scope).first()  # type: ignore[attr-defined]
            if existing is None and expected_version is not None:
                # The copy this text was typed over is gone: submitted (or dropped) meanwhile.
                raise RowDeleted("Черновик уже отправлен или удалён; текст не записан.")
            if existing is None:
                row = AnswerVersion.create(
                    incident=incident_id,
                    assignment=scope,
                    kind=kind,
                    number=WORKING_NUMBER,
                    text=text,
                    status=AnswerStatus.DRAFT,
                    author=self.user.employee_id,
                    created_at=case.now,
                    updated_at=case.now,
                    updated_by=self.user.login,
                    ground=stored_ground,
                )
                return _of(row)
            if expected_version is None:
                raise ConflictError(
                    entity="answer_version",
                    row_id=existing.id,
                    changed_by=describe_login(existing.updated_by),
                    changed_at=existing.updated_at,
                    current_version=existing.version,
                )
            update_versioned(
                AnswerVersion,
                existing.id,
                expected_version,
                {"text": text, "kind": kind, "ground": stored_ground},
                self.user.login,
                describe_actor=describe_login,
            )
            return _of(AnswerVersion.get_by_id(existing.id))

        return run_write(write)
