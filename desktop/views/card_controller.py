"""Loads the card of the selected incident and carries out the card's actions through services,
in the database thread; the queue and the card are refreshed from what the action wrote."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from desktop.services.attachments import attach_to_incident, path_of
from desktop.services.errors import ConflictError, KnownDatabaseError
from desktop.services.formatting import conflict_question
from desktop.services.incident_card import CardAction, CardAttachment, IncidentCard
from desktop.services.incidents import IncidentService
from desktop.services.queue import QueueRow, queue_rows
from desktop.services.workspace import Workspace
from desktop.views.banner import BannerKind
from desktop.views.edit_dialog import EditDialog
from desktop.views.incident_card import IncidentCardPanel
from desktop.views.jobs import Jobs
from desktop.views.reason_dialogs import AppealDialog, ReasonDialog
from desktop.views.routing_panel import RouteRequest

log = logging.getLogger(__name__)

LOAD_DELAY_MS = 60  # arrow keys through the queue load only the card the user stops at
Fresh = tuple[dict[int, QueueRow | None], IncidentCard | None]


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def describe_failure(error: BaseException) -> str:
    if isinstance(error, KnownDatabaseError):
        return error.user_message
    if isinstance(error, ValueError | PermissionError):
        return str(error)
    return f"Внутренняя ошибка: {type(error).__name__}. Подробности в журнале программы."


_REASON_PROMPTS: dict[CardAction, tuple[str, str]] = {
    CardAction.RETURN_NOT_COMPETENT: (
        "Не относится к компетенции",
        "Почему сообщение не относится к компетенции отдела? Куратор увидит причину и "
        "направит сообщение заново.",
    ),
    CardAction.CLOSE_NOT_TO_ANSWER: (
        "Не подлежит ответу",
        "Основание: угрозы, нецензурная брань, оскорбления, призывы к противоправным "
        "действиям. Сообщение будет закрыто без ответа.",
    ),
    CardAction.RETURN_UPSTREAM: (
        "Вернуть куратору города",
        "Почему сообщение не относится к району?",
    ),
}


class CardController(QObject):
    rows_fresh = Signal(object)  # dict[int, QueueRow | None]
    notice = Signal(object, str)  # BannerKind, text
    write_requested = Signal(int)  # incident id: open the answer editor
    publish_requested = Signal(int)  # incident id: the publication form
    approval_requested = Signal(int)  # incident id: its draft in the approval panel

    def __init__(
        self,
        panel: IncidentCardPanel,
        jobs: Jobs,
        workspace: Callable[[], Workspace | None],
        window: QWidget,
    ) -> None:
        super().__init__(window)
        self.panel = panel
        self._jobs = jobs
        self._workspace = workspace
        self._window = window
        self._wanted: int | None = None
        self.dialog: ReasonDialog | AppealDialog | EditDialog | None = None
        self.question: QMessageBox | None = None
        self._rebase_edits = False  # the user asked to see a change made elsewhere
        self._previous: ReasonDialog | AppealDialog | EditDialog | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(LOAD_DELAY_MS)
        self._timer.timeout.connect(self._load_wanted)
        panel.action_requested.connect(self.act)
        panel.routing.route_requested.connect(self.route)
        panel.mark_repeat_requested.connect(self.mark_repeat)
        panel.open_attachment.connect(self.open_attachment)

    # --- loading ----------------------------------------------------------------------------
    @property
    def wanted(self) -> int | None:
        """The message the card is (or is about to be) showing."""
        return self._wanted

    def show_incident(self, incident_id: int | None) -> None:
        """The card follows the selection; until the new card is read, the old one stays on
        screen with its actions off, so a quick key cannot act on the message just left."""
        self._wanted = incident_id
        if incident_id is None:
            self._timer.stop()
            self.panel.clear()
            return
        if self.panel.incident_id != incident_id:
            self.panel.set_pending(True)
        self._timer.start()

    def refresh(self, changed: set[int] | None = None) -> None:
        """Reload the card when another workstation changed its incident (unless the user
        has just moved to another one, whose card is on its way)."""
        shown = self.panel.incident_id
        if shown is None or self._wanted not in (None, shown):
            return
        if changed is None or shown in changed:
            self._wanted = shown
            self._load_wanted()

    def forget(self) -> None:
        """Another database: nothing of the old one may stay on screen or be acted on."""
        self._wanted = None
        self._timer.stop()
        self.panel.clear()
        if self.dialog is not None:
            self.dialog.reject()
            self.dialog = None

    def _service(self) -> IncidentService | None:
        workspace = self._workspace()
        if workspace is None:
            return None
        return IncidentService(workspace.user, office=workspace.office)

    def _load_wanted(self) -> None:
        service, wanted = self._service(), self._wanted
        workspace = self._workspace()
        if service is None or workspace is None or wanted is None:
            return
        zone = workspace.zone

        def done(card: IncidentCard) -> None:
            if self._wanted != card.incident_id:  # the user has moved on meanwhile
                return
            self.panel.show_card(card, zone, utcnow())
            editor = self.dialog
            if (
                self._rebase_edits
                and isinstance(editor, EditDialog)
                and editor.base.incident_id == card.incident_id
            ):
                editor.rebase(card)
            self._rebase_edits = False

        def failed(error: BaseException) -> None:
            if self._wanted == wanted:
                self.panel.clear(f"Карточку не открыть: {describe_failure(error)}")

        self._jobs.run(lambda: service.card(wanted, zone), done, failed)

    # --- acting -----------------------------------------------------------------------------
    def _run(
        self,
        incident_id: int,
        action: Callable[[IncidentService], Any],
        *,
        success: Callable[[Any], str] | None = None,
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        """Run `action` on `incident_id` (the message the user acted on, even if the card has
        moved on since), then refresh its row, and the card if it still shows it."""
        service, workspace = self._service(), self._workspace()
        if service is None or workspace is None:
            return
        zone = workspace.zone
        self.panel.setEnabled(False)

        def work() -> tuple[Any, Fresh]:
            outcome = action(service)
            return outcome, (queue_rows([incident_id]), service.card(incident_id, zone))

        def done(result: tuple[Any, Fresh]) -> None:
            outcome, (rows, fresh) = result
            self.panel.setEnabled(True)
            self.rows_fresh.emit(rows)
            if fresh is not None and self.panel.incident_id == incident_id:
                self.panel.show_card(fresh, zone, utcnow())
            if self.dialog is not None:
                self.dialog.accept()
                self.dialog = None
            if success is not None:
                self.notice.emit(BannerKind.INFO, success(outcome))

        def failed(error: BaseException) -> None:
            self.panel.setEnabled(True)
            if self.dialog is not None:
                self.dialog.set_busy(False)
            if isinstance(error, ConflictError):
                self._ask_to_reload(error, zone)
            elif on_error is not None:
                on_error(describe_failure(error))
            elif self.dialog is not None:
                self.dialog.show_error(describe_failure(error))
            else:
                self.notice.emit(BannerKind.ERROR, describe_failure(error))

        self._jobs.run(work, done, failed)

    def _ask_to_reload(self, error: ConflictError, zone: Any) -> None:
        if self.question is not None:
            self.question.deleteLater()
        question = QMessageBox(
            QMessageBox.Icon.Question,
            "Карточка изменилась",
            conflict_question(error.changed_by, error.changed_at, zone),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self.dialog or self._window,  # above the dialog the user is in, not behind it
        )
        question.setDefaultButton(QMessageBox.StandardButton.Yes)
        question.buttonClicked.connect(
            lambda button: (
                self._reload_after_conflict()
                if question.standardButton(button) == QMessageBox.StandardButton.Yes
                else None
            )
        )
        self.question = question
        question.open()

    def _reload_after_conflict(self) -> None:
        self._rebase_edits = True
        self.refresh()

    def _acting_on(self) -> IncidentCard | None:
        """The card an action may start from: the one the user selected, fully read."""
        card = self.panel.card
        if card is None or card.incident_id != self._wanted or self.panel.pending:
            return None
        return card

    def route(self, request: RouteRequest) -> None:
        card = self._acting_on()
        if card is None:
            return
        names = {d.id: d.name for d in card.routing.departments}
        where = ", ".join(names.get(t.department_id, "") for t in request.targets)
        self._run(
            card.incident_id,
            lambda service: service.route(
                card.incident_id,
                list(request.targets),
                mode=request.mode,
                consolidator_department_id=request.consolidator_department_id,
                draft_due=request.draft_due,
                expected_version=card.version,
            ),
            success=lambda _: f"Сообщение № {card.number} направлено: {where}.",
            on_error=self.panel.routing.show_error,
        )

    def act(self, action: CardAction) -> None:
        card = self._acting_on()
        if card is None:
            return
        incident_id, number = card.incident_id, card.number
        if action is CardAction.EDIT:
            workspace = self._workspace()
            if workspace is not None:
                editor = EditDialog(card, workspace.directory, self._window)
                editor.submitted.connect(
                    lambda changes, version: self.save_edits(incident_id, changes, version)
                )
                self._open(editor)
        elif action is CardAction.ATTACH:
            paths, _ = QFileDialog.getOpenFileNames(
                self._window, "Фото и видео к сообщению", "", "Все файлы (*)"
            )
            if paths:
                self.attach_files(incident_id, [Path(p) for p in paths])
        elif action is CardAction.WRITE_DRAFT:
            self.write_requested.emit(incident_id)
        elif action is CardAction.PUBLISH:
            self.publish_requested.emit(incident_id)
        elif action in (CardAction.REVIEW, CardAction.APPROVE_DEPARTMENT):
            self.approval_requested.emit(incident_id)
        elif action is CardAction.ACCEPT:
            self._run(
                incident_id,
                lambda service: service.accept(incident_id),
                success=lambda _: f"Сообщение № {number} принято в работу.",
            )
        elif action is CardAction.NOTIFY_MANAGER:
            self._run(
                incident_id,
                lambda service: service.notify_manager(incident_id),
                success=self._report_copied,
            )
        elif action is CardAction.OFFICIAL_APPEAL:
            workspace = self._workspace()
            today = utcnow().astimezone(workspace.zone if workspace else None).date()
            appeal = AppealDialog(today, self._window)
            appeal.given.connect(
                lambda number_, day, consent: self._run(
                    incident_id,
                    lambda service: service.make_official_appeal(
                        incident_id, number=number_, registered_on=day, consent=consent
                    ),
                    success=lambda _: f"Сообщение № {number} передано как обращение.",
                )
            )
            self._open(appeal)
        elif action in _REASON_PROMPTS:
            title, prompt = _REASON_PROMPTS[action]
            dialog = ReasonDialog(f"{title}: № {number}", prompt, self._window)
            dialog.given.connect(
                lambda reason: self._act_with_reason(action, incident_id, number, reason)
            )
            self._open(dialog)

    def save_edits(self, incident_id: int, changes: dict[str, Any], version: int) -> None:
        number = self.panel.card.number if self.panel.card is not None else ""
        self._run(
            incident_id,
            lambda service: service.edit(incident_id, version, changes),
            success=lambda _: f"Карточка № {number} сохранена.",
        )

    def attach_files(self, incident_id: int, paths: list[Path]) -> None:
        workspace = self._workspace()
        if workspace is None:
            return
        office, user = workspace.office, workspace.user
        names = ", ".join(p.name for p in paths)
        self._run(
            incident_id,
            lambda _service: [attach_to_incident(office, user, incident_id, p) for p in paths],
            success=lambda _: f"Добавлено к сообщению: {names}.",
        )

    def _act_with_reason(
        self, action: CardAction, incident_id: int, number: int, reason: str
    ) -> None:
        calls: dict[CardAction, tuple[Callable[[IncidentService], Any], str]] = {
            CardAction.RETURN_NOT_COMPETENT: (
                lambda service: service.return_not_competent(incident_id, reason),
                f"Сообщение № {number} возвращено куратору.",
            ),
            CardAction.CLOSE_NOT_TO_ANSWER: (
                lambda service: service.close_not_to_answer(incident_id, reason),
                f"Сообщение № {number} закрыто: не подлежит ответу.",
            ),
            CardAction.RETURN_UPSTREAM: (
                lambda service: service.return_upstream(incident_id, reason),
                f"Сообщение № {number} возвращено куратору города.",
            ),
        }
        call, message = calls[action]
        self._run(incident_id, call, success=lambda _: message)

    def _open(self, dialog: ReasonDialog | AppealDialog | EditDialog) -> None:
        if self._previous is not None:  # closed dialogs do not pile up over a day
            self._previous.deleteLater()
        self._previous = dialog
        self.dialog = dialog
        dialog.finished.connect(lambda _: self._forget(dialog))
        dialog.open()
        dialog.activateWindow()

    def _forget(self, dialog: ReasonDialog | AppealDialog | EditDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None

    @staticmethod
    def _report_copied(text: Any) -> str:
        QGuiApplication.clipboard().setText(str(text))
        return "Доклад руководству скопирован в буфер обмена — вставьте его в мессенджер."

    def report(self, incident_id: int) -> None:
        """The immediate report on any message (from an alert): text to the clipboard."""
        service = self._service()
        if service is None:
            return

        def work() -> tuple[str, dict[int, QueueRow | None]]:
            return service.notify_manager(incident_id), queue_rows([incident_id])

        def done(result: tuple[str, dict[int, QueueRow | None]]) -> None:
            text, rows = result
            self.rows_fresh.emit(rows)
            self.notice.emit(BannerKind.INFO, self._report_copied(text))
            self.refresh({incident_id})

        def failed(error: BaseException) -> None:
            self.notice.emit(BannerKind.ERROR, describe_failure(error))

        self._jobs.run(work, done, failed)

    def mark_repeat(self, earlier_id: int) -> None:
        card = self._acting_on()
        if card is None:
            return
        earlier = next((r.number for r in card.related if r.incident_id == earlier_id), "?")
        self._run(
            card.incident_id,
            lambda service: service.mark_repeat(card.incident_id, earlier_id),
            success=lambda _: f"Сообщение № {card.number} отмечено как повторное к № {earlier}.",
        )

    def open_attachment(self, attachment: CardAttachment) -> None:
        workspace = self._workspace()
        if workspace is None:
            return
        path = path_of(workspace.office, attachment.sha256, attachment.file_name)
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            self.notice.emit(BannerKind.ERROR, f"Не удалось открыть файл {attachment.file_name}.")
