"""Publishing the answer, and the other ways an incident ends: no answer, an official appeal,
a return to the city curator."""

from __future__ import annotations

import datetime as dt

from desktop.models.database import run_write
from desktop.models.entities import AnswerVersion, Assignment, Publication
from desktop.models.enums import (
    AnswerKind,
    AnswerStatus,
    AssignmentStatus,
    Closure,
    IncidentStatus,
    PublicationMode,
    Role,
    StepKind,
)
from desktop.services.errors import AccessDenied, ValidationError
from desktop.services.incident_base import (
    InvalidTransition,
    ServiceBase,
    assignment_of,
    live_assignments,
)
from desktop.services.incident_input import check_moment, clean_line, clean_text, clean_url
from desktop.services.permissions import Action
from desktop.services.regulations import Anchor, StepName
from desktop.services.steps import Case, finish_steps, start_step


def approved_answer(incident_id: int) -> AnswerVersion:
    """The answer that waits for publication: the newest approved one (not a part)."""
    version: AnswerVersion | None = (
        AnswerVersion.select()
        .where(
            (AnswerVersion.incident == incident_id)
            & (AnswerVersion.status == AnswerStatus.APPROVED)
            & (AnswerVersion.kind != AnswerKind.PART)
        )
        .order_by(AnswerVersion.id.desc())
        .first()
    )
    if version is None:
        raise InvalidTransition("Нет согласованного ответа, который можно разместить.")
    return version


class Closing(ServiceBase):
    def publish(
        self,
        incident_id: int,
        *,
        url: str = "",
        mode: PublicationMode | None = None,
        published_at: dt.datetime | None = None,
        also_on_site: bool = False,
    ) -> int:
        """Record the approved answer as published: where (link, mode) and when."""
        self.user.require(Action.PUBLISH)
        now = self.now()
        moment = check_moment(published_at or now, "Момент размещения ответа", now, required=True)
        assert moment is not None

        def write() -> int:
            case = self._case(incident_id)
            self._require_open(case)
            regulation = case.regulation
            chosen = PublicationMode(mode or regulation.publication_modes[0])
            if chosen not in regulation.publication_modes or chosen is PublicationMode.SITE:
                allowed = ", ".join(m.value for m in regulation.publication_modes)
                raise ValidationError(f"Порядок допускает размещение: {allowed}.")
            if also_on_site and PublicationMode.SITE not in regulation.publication_modes:
                raise ValidationError("Порядок не предусматривает размещения на сайте.")
            link = clean_url(
                url,
                "Ссылка на размещённый ответ",
                required=chosen not in (PublicationMode.PRIVATE_MESSAGE, PublicationMode.UPSTREAM),
            )
            version = approved_answer(incident_id)
            if regulation.curator_publishes and Role.CURATOR not in self.user.roles:
                raise AccessDenied("По порядку офиса ответ размещает куратор.")
            self._require_own(case, assignment_of(version))
            if moment < version.submitted_at:
                raise ValidationError("Ответ не мог быть размещён раньше, чем подготовлен.")
            modes = [chosen, *([PublicationMode.SITE] if also_on_site else [])]
            first = None
            for each in modes:
                row = Publication.create(
                    incident=incident_id,
                    answer=version.id,
                    mode=each,
                    url=link if each is chosen else "",
                    published_at=moment,
                    published_by=self.user.employee_id,
                )
                first = first or row
            AnswerVersion.update(status=AnswerStatus.PUBLISHED).where(
                AnswerVersion.id == version.id
            ).execute()
            self._take_responsibility(finish_steps(case, [StepKind.PUBLISH]))
            self._published(case, version, moment)
            self._event(
                case,
                "publish",
                answer=version.id,
                kind=version.kind,
                mode=chosen,
                url=link,
                at=moment,
            )
            assert first is not None
            return int(first.id)

        return run_write(write)

    def _published(self, case: Case, version: AnswerVersion, moment: dt.datetime) -> None:
        if version.kind is AnswerKind.CLARIFICATION:
            self._set_status(case, IncidentStatus.CLARIFICATION)
            return
        self._take_responsibility(finish_steps(case, [StepKind.ANSWER]))
        if version.kind is AnswerKind.INTERIM:
            self._interim_published(case, moment)
            return
        self._take_responsibility(finish_steps(case, [StepKind.FINAL_AFTER_INTERIM]))
        self._end_work(case)
        self._set_status(case, IncidentStatus.ANSWERED, answered_at=moment)

    def _interim_published(self, case: Case, moment: dt.datetime) -> None:
        """The final answer is due within the regulation's working days (Отрадненский п. 18);
        it is drafted anew, by a deadline the curator may set, at the latest by that day."""
        final = start_step(
            case,
            StepName.FINAL_AFTER_INTERIM,
            started_at=moment,
            responsible=case.incident.curator_id,
            at={Anchor.INTERIM_PUBLISHED: moment},
        )
        writers: list[Assignment | None] = [
            a for a in live_assignments(case.incident.id) if a.status is AssignmentStatus.IN_WORK
        ] or [None]
        for assignment in writers:
            start_step(
                case,
                StepName.DRAFT,
                assignment=assignment,
                responsible=case.incident.curator_id
                if assignment is None
                else assignment.executor_id,
                due=final.due_at,
            )
        self._set_status(case, IncidentStatus.INTERIM, answer_due_at=final.due_at)
        case.incident.answer_due_at = final.due_at

    def close_not_to_answer(self, incident_id: int, reason: str) -> None:
        """Threats, obscenity, insults, intent to harm: no answer; the curator is told, and
        under an upstream regulation the city curator too (Барнаул п. 9)."""
        self.user.require(Action.CLOSE)
        why = clean_text(reason, "Основание", limit=2_000)

        def write() -> None:
            case = self._case(incident_id)
            self._require_open(case)
            self._end_work(case)
            self._set_status(
                case, IncidentStatus.NOT_TO_ANSWER, closure=Closure.NOT_TO_ANSWER, closure_note=why
            )
            told = ["curator"] + (["city_curator"] if case.regulation.upstream else [])
            self._event(case, "close_not_to_answer", reason=why, notified=told)

        run_write(write)

    def make_official_appeal(
        self, incident_id: int, *, number: str, registered_on: dt.date, consent: bool
    ) -> None:
        """With the author's consent the message becomes an appeal under 59-ФЗ (Охинский 3.8)
        and leaves the working-hours track."""
        self.user.require(Action.CLOSE)
        if not consent:
            raise ValidationError("Обращение регистрируется только с согласия автора.")
        appeal = clean_line(number, "Регистрационный номер обращения", required=True)
        if not isinstance(registered_on, dt.date):
            raise ValidationError("Укажите дату регистрации обращения.")

        def write() -> None:
            case = self._case(incident_id)
            self._require_open(case)
            local_today = self._today(case)
            if registered_on < case.time.local(case.incident.detected_at).date():
                raise ValidationError("Обращение не могло быть зарегистрировано раньше выявления.")
            if registered_on > local_today:
                raise ValidationError("Дата регистрации обращения в будущем.")
            self._end_work(case)
            self._set_status(
                case,
                IncidentStatus.OFFICIAL_APPEAL,
                closure=Closure.OFFICIAL_APPEAL,
                appeal_number=appeal,
                appeal_date=registered_on,
            )
            self._event(case, "official_appeal", number=appeal, date=registered_on.isoformat())

        run_write(write)

    def return_upstream(self, incident_id: int, reason: str) -> None:
        """Not the district's: back to the city curator at once (Барнаул п. 4)."""
        self.user.require(Action.CLOSE)
        why = clean_text(reason, "Причина возврата", limit=2_000)

        def write() -> None:
            case = self._case(incident_id)
            self._require_open(case)
            if not case.regulation.upstream:
                raise InvalidTransition(
                    "По порядку офиса сообщения не приходят от куратора города."
                )
            self._end_work(case)
            self._set_status(
                case,
                IncidentStatus.RETURNED_UPSTREAM,
                closure=Closure.RETURNED_UPSTREAM,
                closure_note=why,
            )
            self._event(case, "return_upstream", reason=why)

        run_write(write)
