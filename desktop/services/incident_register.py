"""Registering a message, editing its card, linking repeats and reporting to management."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.models.base import update_versioned
from desktop.models.database import run_write
from desktop.models.entities import Account, Attachment, Incident, Location, Step, Topic
from desktop.models.enums import Importance, IncidentSource, IncidentStatus, Network, StepKind
from desktop.services.attachments import StoredFile, store_file
from desktop.services.audit import append_event
from desktop.services.errors import ValidationError, WorkCalendarError
from desktop.services.formatting import format_moment
from desktop.services.incident_base import (
    ServiceBase,
    describe_login,
    existing_incident,
    plain,
)
from desktop.services.incident_input import (
    check_moment,
    clean_line,
    clean_note,
    clean_text,
    clean_url,
)
from desktop.services.links import link_key, network_of
from desktop.services.office_regulation import office_regulation
from desktop.services.permissions import Action
from desktop.services.regulations import Anchor, ImmediateReport, StepName
from desktop.services.steps import Case, finish_steps, open_steps, start_step
from desktop.services.titles import NETWORK_TITLES

EDITABLE_FIELDS = frozenset(
    {"author_name", "author_url", "text", "importance", "topic", "location", "note", "link"}
)


class DuplicateLink(ValidationError):
    """The message at this link is registered already: open that card instead."""

    def __init__(self, incident_id: int, number: int) -> None:
        self.incident_id = incident_id
        self.number = number
        super().__init__(f"Это сообщение уже зарегистрировано: № {number}. Открыта его карточка.")


@dataclass(frozen=True)
class NewIncident:
    text: str
    detected_at: dt.datetime
    network: Network | None = None
    link: str = ""
    author_name: str = ""
    author_url: str = ""
    posted_at: dt.datetime | None = None
    importance: Importance = Importance.NORMAL
    topic_id: int | None = None
    location_id: int | None = None
    source: IncidentSource = IncidentSource.OWN_SEARCH
    external_number: str = ""
    external_deadline: dt.datetime | None = None
    account_id: int | None = None
    repeat_of: int | None = None
    attachments: Sequence[Path] = ()


def _check_reference(model: Any, row_id: int | None, missing: str) -> None:
    if row_id is not None and not model.select().where(model.id == row_id).exists():
        raise ValidationError(f"{missing} (id {row_id}).")


def _refuse_duplicate(key: str, other_than: int | None = None) -> None:
    if not key:
        return
    same = Incident.get_or_none((Incident.link_key == key) & (Incident.id != (other_than or 0)))
    if same is not None:
        raise DuplicateLink(same.id, same.number)


def _check_repeat(incident_id: int | None, detected: dt.datetime, earlier_id: int) -> None:
    """A repeat follows an earlier message and never closes a loop of repeats."""
    earlier = existing_incident(earlier_id)
    if earlier.id == incident_id or earlier.detected_at > detected:
        raise ValidationError("Повторным может быть только сообщение, выявленное позже.")
    seen: set[int] = set()
    chain: Incident | None = earlier
    while chain is not None and chain.id not in seen:
        if chain.id == incident_id:
            raise ValidationError("Такая связь замкнула бы цепочку повторных сообщений.")
        seen.add(chain.id)
        chain = None if chain.repeat_of_id is None else existing_incident(chain.repeat_of_id)


class Registration(ServiceBase):
    def register(self, new: NewIncident) -> int:
        """Register a message; a link registered before raises `DuplicateLink`."""
        self.user.require(Action.REGISTER)
        now = self.now()
        text = clean_text(new.text)
        link = clean_url(new.link, "Ссылка на сообщение")
        author_url = clean_url(new.author_url, "Ссылка на автора")
        author = clean_line(new.author_name, "Автор")
        network = new.network or (network_of(link) if link else None)
        if network is None:
            raise ValidationError("Не удалось определить соцсеть по ссылке; выберите её вручную.")
        detected = check_moment(new.detected_at, "Момент выявления", now, required=True)
        posted = check_moment(new.posted_at, "Момент размещения", now)
        assert detected is not None
        if posted is not None and posted > detected:
            raise ValidationError("Сообщение не может быть размещено позже, чем выявлено.")
        external_number = clean_line(new.external_number, "Номер в системе мониторинга")
        regulation = office_regulation()
        external = new.external_deadline
        if external is not None and (external.tzinfo is None or external <= detected):
            raise ValidationError("Срок системы мониторинга должен быть позже выявления.")
        if regulation.upstream and (external is None or not external_number):
            raise ValidationError(
                "По порядку сообщение приходит от куратора города с номером и сроком системы "
                "мониторинга: укажите оба."
            )
        stored = self._store_attachments(new.attachments)

        def insert() -> int:
            key = link_key(link)
            _refuse_duplicate(key)
            _check_reference(Topic, new.topic_id, "Нет такой темы")
            _check_reference(Location, new.location_id, "Нет такой территории")
            _check_reference(Account, new.account_id, "Нет такого аккаунта")
            if new.repeat_of is not None:
                _check_repeat(None, detected, new.repeat_of)
            last = Incident.select(Incident.number).order_by(Incident.number.desc()).first()
            incident = Incident.create(
                number=(last.number if last else 0) + 1,
                source=new.source,
                external_number=external_number,
                external_deadline=external,
                network=network,
                account=new.account_id,
                link=link,
                link_key=key,
                author_name=author,
                author_url=author_url,
                text=text,
                posted_at=posted,
                detected_at=detected,
                importance=Importance(new.importance),
                topic=new.topic_id,
                location=new.location_id,
                status=IncidentStatus.NEW,
                regulation=regulation.slug,
                routing_mode=regulation.routing_mode,
                repeat_of=new.repeat_of,
                registered_by=self.user.employee_id,
                registered_at=now,
                updated_by=self.user.login,
            )
            case = self._case(incident.id)
            try:
                answer = start_step(case, StepName.ANSWER, started_at=detected)
            except WorkCalendarError as exc:  # a detection moment outside the calendar's years
                raise ValidationError(str(exc)) from exc
            Incident.update(answer_due_at=answer.due_at).where(Incident.id == incident.id).execute()
            case.incident.answer_due_at = answer.due_at
            start_step(case, StepName.ROUTE, started_at=detected)
            self._report_if_due(case)
            for file, name in stored:
                Attachment.create(
                    incident=incident.id,
                    file_name=name,
                    sha256=file.sha256,
                    size=file.size,
                    added_by=self.user.employee_id,
                )
            self._event(
                case,
                "register",
                number=incident.number,
                network=network,
                text=text,
                regulation=regulation.slug,
                answer_due_at=answer.due_at,
                repeat_of=new.repeat_of,
            )
            return int(incident.id)

        return run_write(insert)

    def _store_attachments(self, paths: Sequence[Path]) -> list[tuple[StoredFile, str]]:
        if not paths:
            return []
        if self._office is None:
            raise ValidationError("Вложения сохраняются только при открытой базе офиса.")
        return [(store_file(self._office, Path(path)), Path(path).name) for path in paths]

    def _report_if_due(self, case: Case) -> None:
        """A high-importance message under a regulation that wants it reported at once gets a
        report step, done when `notify_manager` records the report."""
        regulation = case.regulation
        if (
            regulation.immediate_report is ImmediateReport.HIGH_IMPORTANCE
            and case.incident.importance is Importance.HIGH
            and case.incident.manager_notified_at is None
            and not open_steps(case.incident, [StepKind.REPORT])
        ):
            Step.create(
                incident=case.incident.id,
                kind=StepKind.REPORT,
                started_at=case.now,
                due_at=None,
                rule=f"незамедлительно: {regulation.report_to}".rstrip(": "),
            )

    # --- the card -----------------------------------------------------------------------------

    def _checked_changes(self, changes: dict[str, Any]) -> dict[str, Any]:
        unknown = set(changes) - EDITABLE_FIELDS
        if unknown:
            raise ValidationError(f"Эти поля нельзя менять здесь: {', '.join(sorted(unknown))}")
        checked = dict(changes)
        if "text" in checked:
            checked["text"] = clean_text(str(checked["text"]))
        if "note" in checked:
            checked["note"] = clean_note(str(checked["note"]))
        if "author_name" in checked:
            checked["author_name"] = clean_line(str(checked["author_name"]), "Автор")
        if "author_url" in checked:
            checked["author_url"] = clean_url(str(checked["author_url"]), "Ссылка на автора")
        if "link" in checked:
            link = clean_url(str(checked["link"]), "Ссылка на сообщение")
            checked["link"], checked["link_key"] = link, link_key(link)
            network = network_of(link) if link else None
            if network is not None:
                checked["network"] = network
        if "importance" in checked:
            try:
                checked["importance"] = Importance(checked["importance"])
            except ValueError:
                raise ValidationError(f"Нет такой важности: {checked['importance']!r}.") from None
        return checked

    def edit(self, incident_id: int, expected_version: int, changes: dict[str, Any]) -> int:
        """Change card fields if nobody else did since `expected_version`; return the new version.

        Raises `ConflictError` naming who changed the card first. A change of importance
        moves the answer deadline (and a draft deadline counted back from it).
        """
        self.user.require(Action.EDIT_INCIDENT)
        checked = self._checked_changes(changes)

        def update() -> int:
            case = self._case(incident_id)
            before_row = case.incident
            _check_reference(Topic, checked.get("topic"), "Нет такой темы")
            _check_reference(Location, checked.get("location"), "Нет такой территории")
            _refuse_duplicate(checked.get("link_key", ""), other_than=incident_id)
            version = update_versioned(
                Incident,
                incident_id,
                expected_version,
                checked,
                self.user.login,
                describe_actor=describe_login,
            )
            after_row = Incident.get_by_id(incident_id)
            if after_row.importance is not before_row.importance:
                self._recompute_for_importance(self._case(incident_id), before_row.answer_due_at)
            touched = sorted(set(changes) & EDITABLE_FIELDS)
            append_event(
                self.user.actor,
                entity="incident",
                entity_id=incident_id,
                incident_id=incident_id,
                action="edit",
                before={name: plain(_field(before_row, name)) for name in touched},
                after={name: plain(_field(after_row, name)) for name in touched},
                at=case.now,
            )
            return version

        return run_write(update)

    def _recompute_for_importance(self, case: Case, old_answer_due: dt.datetime | None) -> None:
        """The answer deadline follows the new importance; a draft deadline counted back from
        the old answer deadline follows it, one the curator set stays."""
        answers = open_steps(case.incident, [StepKind.ANSWER])
        if answers:
            due, rule = case.due(StepName.ANSWER)
            Step.update(due_at=due, rule=rule).where(Step.id.in_([s.id for s in answers])).execute()
            Incident.update(answer_due_at=due).where(Incident.id == case.incident.id).execute()
            case.incident.answer_due_at = due
            draft = case.regulation.rule(
                StepName.DRAFT, importance=case.incident.importance, profile=case.profile
            )
            if draft is not None and draft.anchor is Anchor.ANSWER_DUE:
                old_draft_due, _ = case.due(StepName.DRAFT, at={Anchor.ANSWER_DUE: old_answer_due})
                new_draft_due, _ = case.due(StepName.DRAFT)
                for step in open_steps(case.incident, [StepKind.DRAFT]):
                    if step.due_at == old_draft_due:
                        Step.update(due_at=new_draft_due).where(Step.id == step.id).execute()
        self._report_if_due(case)

    def mark_repeat(self, incident_id: int, earlier_id: int) -> None:
        """A new message on an issue handled before (Конышевский п. 17)."""
        self.user.require(Action.EDIT_INCIDENT)

        def write() -> None:
            case = self._case(incident_id)
            _check_repeat(incident_id, case.incident.detected_at, earlier_id)
            Incident.update(repeat_of=earlier_id).where(Incident.id == incident_id).execute()
            self._event(case, "mark_repeat", repeat_of=earlier_id)

        run_write(write)

    def notify_manager(self, incident_id: int) -> str:
        """Record the immediate report to management and return its text, ready to send."""
        self.user.require(Action.NOTIFY_MANAGER)

        def write() -> str:
            case = self._case(incident_id)
            incident = case.incident
            if incident.manager_notified_at is None:  # the first report is the one on record
                Incident.update(manager_notified_at=case.now).where(
                    Incident.id == incident.id
                ).execute()
            self._take_responsibility(finish_steps(case, [StepKind.REPORT]))
            text = _report_text(case)
            self._event(case, "notify_manager", to=case.regulation.report_to, text=text)
            return text

        return run_write(write)


def _field(incident: Incident, name: str) -> Any:
    return getattr(incident, f"{name}_id" if name in ("topic", "location") else name)


def _first_line(text: str) -> str:
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return line if len(line) <= 200 else line[:199] + "…"


def _report_text(case: Case) -> str:
    incident = case.incident
    place = "" if incident.location_id is None else Location.get_by_id(incident.location_id).name
    what = "Инцидент повышенной важности" if incident.importance is Importance.HIGH else "Сообщение"
    network = NETWORK_TITLES[incident.network]
    parts = [f"{what} № {incident.number} ({network}): {_first_line(incident.text)}"]
    if place:
        parts.append(f"Место: {place}.")
    if incident.link:
        parts.append(f"Ссылка: {incident.link}")
    if incident.answer_due_at is not None:
        parts.append(f"Срок ответа: {format_moment(incident.answer_due_at, case.time.zone)}.")
    return " ".join(parts)
