"""Opens answer editors and the publication form, and carries out what they ask through
services in the database thread: autosaves, submissions, office words, publication, and the
replay of the local journal when the share returns."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget
from shiboken6 import isValid

from desktop.services.answer_format import answer_for_network
from desktop.services.answer_templates import (
    AnswerTemplate,
    TemplateFields,
    answer_templates,
    template_fields,
)
from desktop.services.attachments import attach_to_answer, store_file
from desktop.services.draft_autosave import draft_key, pending_for, replay_journal
from desktop.services.draft_context import (
    CuratorEdit,
    EditorContext,
    curator_edit,
    editor_context,
)
from desktop.services.draft_journal import DraftJournal, DraftKey
from desktop.services.errors import ConflictError
from desktop.services.formatting import format_moment
from desktop.services.incidents import IncidentService
from desktop.services.permissions import Action
from desktop.services.publishing import PublicationOffer
from desktop.services.queue import queue_rows
from desktop.services.spelling import (
    OfficeWords,
    add_office_word,
    office_word_list,
    start_loading,
)
from desktop.services.vocabulary import AnswerKind, ExplanationGround, PublicationMode
from desktop.services.workspace import Workspace
from desktop.views.autosaver import Autosaver
from desktop.views.banner import BannerKind
from desktop.views.card_controller import describe_failure
from desktop.views.draft_editor import DraftEditor, Submission
from desktop.views.jobs import Jobs
from desktop.views.publish_dialog import PublishDialog

log = logging.getLogger(__name__)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class DraftController(QObject):
    rows_fresh = Signal(object)  # dict[int, QueueRow | None]
    card_changed = Signal(int)  # incident id: the card should be read again
    notice = Signal(object, str)  # BannerKind, text
    editor_opened = Signal(object)  # DraftEditor

    def __init__(
        self,
        jobs: Jobs,
        workspace: Callable[[], Workspace | None],
        online: Callable[[], bool],
        window: QWidget,
        journal: DraftJournal | None = None,
    ) -> None:
        super().__init__(window)
        self._jobs = jobs
        self._workspace = workspace
        self._online = online
        self._window = window
        self.journal = journal or DraftJournal()
        self.editors: dict[DraftKey, DraftEditor] = {}
        self.publish_dialog: PublishDialog | None = None
        self.question: QMessageBox | None = None
        self._opening: set[int] = set()  # incidents whose editor's context is being read

    def _service(self) -> IncidentService | None:
        workspace = self._workspace()
        if workspace is None:
            return None
        return IncidentService(workspace.user, office=workspace.office)

    # --- the editor ---------------------------------------------------------------------------
    def open_editor(self, incident_id: int, assignment_id: int | None = None) -> None:
        service, workspace = self._service(), self._workspace()
        if service is None or workspace is None:
            return
        start_loading()  # the dictionary loads while the context is read
        user, zone = workspace.user, workspace.zone
        self._opening.add(incident_id)

        def work() -> tuple[Any, ...]:
            context = editor_context(user, incident_id, assignment_id, zone=zone)
            return (
                context,
                answer_templates(),
                template_fields(user, incident_id, context.assignment_id),
                office_word_list(),
            )

        def done(loaded: tuple[Any, ...]) -> None:
            self._opening.discard(incident_id)
            context, templates, fields, words = loaded
            key = draft_key(workspace.office, incident_id, context.assignment_id)
            existing = self.editors.get(key)
            if existing is not None:
                existing.raise_()
                existing.activateWindow()
                return
            if not context.kinds:
                self.notice.emit(BannerKind.ERROR, "Сейчас ответ по этому сообщению не ожидается.")
                return
            self._show_editor(workspace, key, context, templates, fields, words)

        def failed(error: BaseException) -> None:
            self._opening.discard(incident_id)
            self.notice.emit(BannerKind.ERROR, f"Редактор не открыть: {describe_failure(error)}")

        self._jobs.run(work, done, failed)

    def _show_editor(
        self,
        workspace: Workspace,
        key: DraftKey,
        context: EditorContext,
        templates: list[AnswerTemplate],
        fields: TemplateFields,
        words: OfficeWords,
    ) -> None:
        working = context.working_draft
        share_text = working.text if working is not None else ""
        share_version = working.version if working is not None else None
        text, kind, note = share_text, (working.kind if working is not None else None), ""
        ground = working.ground if working is not None else None
        base_version = share_version
        returned = context.returned
        if working is None and returned is not None and returned.kind in context.kinds:
            # A rework starts from the returned text, not from a blank page.
            text, kind, ground = returned.text, returned.kind, returned.ground
        local = pending_for(self.journal, key)
        if local is not None and local.text != share_text:
            text, kind = local.text, AnswerKind(local.kind)
            ground = ExplanationGround(local.ground) if local.ground else None
            typed = format_moment(dt.datetime.fromisoformat(local.typed_at), workspace.zone)
            note = f"Восстановлен текст, набранный {typed} и не записанный в общую папку."
            # Typed over an older copy than the share's: its first save meets the conflict
            # question, so the user, not the replay, decides whose text stays.
            base_version = local.base_version
        editor = DraftEditor(
            context,
            text=text,
            kind=kind,
            ground=ground,
            templates=templates,
            fields=fields,
            words=words,
            may_add_words=workspace.user.may(Action.EDIT_SPELLING_WORDS),
            restored_note=note,
            parent=self._window,
        )
        autosaver = Autosaver(
            run_job=self._jobs.run,
            journal=self.journal,
            service=self._service,
            office=workspace.office,
            key=key,
            zone=workspace.zone,
            online=self._online,
            base_version=base_version,
            base_text=share_text,
            base_kind=working.kind if working is not None else AnswerKind.FINAL,
            base_ground=working.ground if working is not None else None,
            parent=editor,
        )
        editor.use_autosaver(autosaver)
        autosaver.conflict.connect(lambda error: self._conflict(editor, error))
        editor.submit_requested.connect(lambda s: self._submit(editor, key, s))
        editor.add_word_requested.connect(self.add_word)
        editor.finished.connect(lambda _: self._closed(key, editor))
        self.editors[key] = editor
        editor.show()
        editor.activateWindow()
        if note:
            autosaver.save_now()  # the restored text goes to the share at once
        self.editor_opened.emit(editor)

    def _closed(self, key: DraftKey, editor: DraftEditor) -> None:
        if self.editors.get(key) is editor:
            del self.editors[key]
        editor.deleteLater()

    def _submit(self, editor: DraftEditor, key: DraftKey, submission: Submission) -> None:
        """Submit (with the files); the outcome reaches the queue and the card even if the
        editor is gone meanwhile (another database, the program closing)."""
        service, workspace = self._service(), self._workspace()
        if service is None or workspace is None:
            editor.show_error("Нет связи с базой данных.")
            return
        incident_id, assignment_id = key.incident_id, key.assignment_id
        office, user = workspace.office, workspace.user

        def work() -> Any:
            for path in submission.files:  # a missing or unreadable file stops the submit
                store_file(office, path)
            answer_id = service.submit_draft(
                incident_id,
                submission.text,
                kind=submission.kind,
                assignment_id=assignment_id,
                ground=submission.ground,
            )
            for path in submission.files:
                attach_to_answer(office, user, answer_id, path)
            return queue_rows([incident_id])

        number = editor.context.message.number

        def done(rows: Any) -> None:
            newest = pending_for(self.journal, key)  # the submitted text replaces them all
            if newest is not None:
                self.journal.settle(key, newest.seq)
            self.rows_fresh.emit(rows)
            self.card_changed.emit(incident_id)
            self.notice.emit(BannerKind.INFO, f"Ответ по сообщению № {number} отправлен.")
            if isValid(editor):
                editor.submitted()

        def failed(error: BaseException) -> None:
            if isValid(editor):
                editor.show_error(describe_failure(error))
            else:
                self.notice.emit(
                    BannerKind.ERROR,
                    f"Ответ по сообщению № {number} не отправлен: {describe_failure(error)} "
                    "Текст сохранён; откройте ответ ещё раз.",
                )

        self._jobs.run(work, done, failed)

    def _conflict(self, editor: DraftEditor, error: ConflictError) -> None:
        workspace = self._workspace()
        zone = workspace.zone if workspace is not None else None
        when = format_moment(error.changed_at, zone) if zone is not None else ""
        question = QMessageBox(
            QMessageBox.Icon.Question,
            "Черновик изменён",
            f"Этот черновик сохранил(а) {error.changed_by} в {when}. Сохранить ваш текст "
            "поверх? («Нет» — ваш текст останется на экране и на этом компьютере, в общей "
            "папке — редакция коллеги.)",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            editor,
        )
        autosaver = editor.autosaver

        def answered(button: Any) -> None:
            if autosaver is None:
                return
            if question.standardButton(button) == QMessageBox.StandardButton.Yes:
                autosaver.rebase(error.current_version, "")
                autosaver.save_now()
            else:
                autosaver.keep_apart()
                editor.save_state.setText(
                    "Ваш текст сохранён только на этом компьютере: в общей папке — редакция "
                    "коллеги."
                )

        question.buttonClicked.connect(answered)
        self.question = question
        question.open()

    def add_word(self, word: str) -> None:
        workspace = self._workspace()
        if workspace is None:
            return
        user = workspace.user

        def work() -> Any:
            added = add_office_word(user, word)
            return added, office_word_list()

        def done(result: Any) -> None:
            added, words = result
            for editor in self.editors.values():
                editor.text.set_office_words(words)
            self.notice.emit(
                BannerKind.INFO,
                f"«{word}» добавлено в словарь офиса."
                if added
                else f"«{word}» уже есть в словаре офиса.",
            )

        self._jobs.run(
            work, done, lambda error: self.notice.emit(BannerKind.ERROR, describe_failure(error))
        )

    # --- the share comes and goes --------------------------------------------------------------
    def replay(self) -> None:
        """Write what the journal holds (after opening the database or reconnecting)."""
        service, workspace = self._service(), self._workspace()
        if service is None or workspace is None:
            return
        office, journal = workspace.office, self.journal
        # An editor sends its own text; one still opening will read the journal itself.
        skip = frozenset(self.editors) | frozenset(
            e.key for e in journal.pending(str(office.path)) if e.key.incident_id in self._opening
        )

        def done(report: Any) -> None:
            if report.saved:
                self.notice.emit(
                    BannerKind.INFO,
                    f"Черновики ответов, набранные без связи, записаны в общую папку: "
                    f"{len(report.saved)}.",
                )
            if report.recovered:
                self.notice.emit(
                    BannerKind.WARNING,
                    "Некоторые черновики уже нельзя записать (ответ отправлен или сообщение "
                    "закрыто); их текст сохранён в файле recovered-drafts.txt в папке "
                    "программы.",
                )

        self._jobs.run(
            lambda: replay_journal(service, office, journal, skip),
            done,
            lambda error: log.warning("journal replay failed: %s", error),
        )
        for editor in self.editors.values():
            if editor.autosaver is not None:
                editor.autosaver.share_returned()

    def forget(self) -> None:
        """Another database, or the program closes: editors close, their text in the
        journal (and on its way to the share, if it is still there)."""
        for editor in list(self.editors.values()):
            editor.discard()
        self.editors.clear()
        self._opening.clear()

    # --- publication -----------------------------------------------------------------------------
    def open_publish(self, incident_id: int) -> None:
        service, workspace = self._service(), self._workspace()
        if service is None or workspace is None:
            return
        zone = workspace.zone

        def work() -> tuple[PublicationOffer, CuratorEdit | None]:
            offer = service.publication_offer(incident_id)
            edit = curator_edit(incident_id, offer.assignment_id, zone)
            return offer, edit if edit is not None and edit.edited_id == offer.answer_id else None

        def done(loaded: tuple[PublicationOffer, CuratorEdit | None]) -> None:
            offer, edit = loaded
            pasted = answer_for_network(
                offer.text, offer.network, offer.author_name, offer.author_url
            )
            dialog = PublishDialog(offer, pasted, zone, utcnow(), self._window, edit=edit)
            dialog.given.connect(
                lambda url, mode, moment, site: self._publish(dialog, url, mode, moment, site)
            )
            if self.publish_dialog is not None:
                self.publish_dialog.deleteLater()
            self.publish_dialog = dialog
            dialog.open()
            dialog.activateWindow()

        self._jobs.run(
            work,
            done,
            lambda error: self.notice.emit(BannerKind.ERROR, describe_failure(error)),
        )

    def _publish(
        self,
        dialog: PublishDialog,
        url: str,
        mode: PublicationMode,
        moment: dt.datetime,
        also_on_site: bool,
    ) -> None:
        service = self._service()
        if service is None:
            dialog.show_error("Нет связи с базой данных.")
            return
        incident_id, number = dialog.offer.incident_id, dialog.offer.number

        def work() -> Any:
            service.publish(
                incident_id, url=url, mode=mode, published_at=moment, also_on_site=also_on_site
            )
            return queue_rows([incident_id])

        def done(rows: Any) -> None:
            dialog.accept()
            self.rows_fresh.emit(rows)
            self.card_changed.emit(incident_id)
            self.notice.emit(BannerKind.INFO, f"Ответ по сообщению № {number} размещён.")

        self._jobs.run(work, done, lambda error: dialog.show_error(describe_failure(error)))
