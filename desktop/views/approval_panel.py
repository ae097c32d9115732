"""«Согласование»: the curator's (and the department head's) side panel of drafts waiting for
their decision.

`ApprovalPanel` only shows and emits: the waiting list with ticking countdowns, the selected
draft with its message, the word difference against the version last returned and the earlier
decisions, and three buttons. `ApprovalController` reads through services in the database
thread (`services/approvals.py` decides what waits for whom) and carries out decisions with
`IncidentService.review` / `approve_department`; after each it hands the main window fresh
queue rows and the incident to refresh in the card. `ApprovalDock` is what the main window
adds.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QItemSelectionModel, QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.services.approvals import (
    STAGE_TITLES,
    ApprovalDetail,
    DraftAttachment,
    ReturnReason,
    ReviewDecision,
    ReviewStage,
    WaitingDraft,
    approval_detail,
    waiting_for,
)
from desktop.services.attachments import path_of
from desktop.services.incidents import IncidentService, InvalidTransition
from desktop.services.permissions import Action
from desktop.services.queue import QueueRow, queue_rows
from desktop.services.workspace import Workspace
from desktop.views.approval_dialogs import (
    EditDraftDialog,
    ReturnDialog,
    diff_html,
    length_text,
)
from desktop.views.approval_model import ApprovalModel, Column
from desktop.views.card_controller import describe_failure

DEFAULT_ZONE = ZoneInfo("Europe/Moscow")
TICK_MS = 1000
LOAD_DELAY_MS = 60  # arrowing through the list reads only the draft the user stops at
FIRST_VERSION = "Первая редакция — сравнивать не с чем."

# (decision, button text, shortcut); the shortcuts work while the focus is in the panel.
BUTTONS: tuple[tuple[ReviewDecision, str, str], ...] = (
    (ReviewDecision.APPROVE, "Согласовать", "Ctrl+Shift+A"),
    (ReviewDecision.APPROVE_WITH_EDITS, "С правкой…", "Ctrl+Shift+E"),
    (ReviewDecision.RETURN, "На доработку…", "Ctrl+Shift+R"),
)
_TOOLTIPS = {
    ReviewDecision.APPROVE: "Согласовать проект как есть",
    ReviewDecision.APPROVE_WITH_EDITS: "Исправить текст и согласовать: правка станет новой "
    "редакцией",
    ReviewDecision.RETURN: "Вернуть исполнителю на доработку с указанием причин",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _caption(text: str, parent: QWidget) -> QLabel:
    label = QLabel(f"<b>{html.escape(text)}</b>", parent)
    label.setTextFormat(Qt.TextFormat.RichText)
    return label


def _browser(parent: QWidget, minimum: int = 48) -> QTextBrowser:
    browser = QTextBrowser(parent)
    browser.setOpenExternalLinks(True)
    browser.setMinimumHeight(minimum)
    return browser


def _escaped(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def decisions_html(detail: ApprovalDetail) -> str:
    """Earlier decisions on the draft's line, newest first: who, when, what, why."""
    if not detail.decisions:
        return "<i style='color:#666'>Замечаний ещё не было.</i>"
    blocks = []
    for past in reversed(detail.decisions):
        colour = "#842029" if past.decision is ReviewDecision.RETURN else "#0f5132"
        head = (
            f"<b>Ред. {past.version_number}</b> · {html.escape(past.decided)}<br>"
            f"{html.escape(past.reviewer or past.stage_title)} ({html.escape(past.stage_title)}) "
            f"<span style='color:{colour}'>{html.escape(past.decision_title)}</span>"
        )
        reasons = "".join(f"<li>{html.escape(title)}</li>" for title in past.reason_titles)
        comment = (
            f"<div style='margin-left:8px'>«{_escaped(past.comment)}»</div>" if past.comment else ""
        )
        listing = f"<ul style='margin:0'>{reasons}</ul>" if reasons else ""
        blocks.append(f"<p style='margin:0 0 6px 0'>{head}{listing}{comment}</p>")
    return "".join(blocks)


def message_html(detail: ApprovalDetail) -> str:
    facts = [f"{html.escape(detail.network_title)}"]
    if detail.message_author:
        facts.append(html.escape(detail.message_author))
    if detail.topic:
        facts.append(f"тема: {html.escape(detail.topic)}")
    if detail.location:
        facts.append(html.escape(detail.location))
    link = f" · <a href='{html.escape(detail.link, quote=True)}'>ссылка</a>" if detail.link else ""
    return (
        f"<div style='color:#555'>{' · '.join(facts)}{link}</div>"
        f"<div>{_escaped(detail.message_text)}</div>"
    )


class ApprovalPanel(QWidget):
    """Shows the waiting list and one `ApprovalDetail`; emits what the user chose."""

    answer_selected = Signal(object)  # answer id or None
    decision_requested = Signal(object)  # ReviewDecision
    open_attachment = Signal(object)  # DraftAttachment: a photo or video of the draft

    def __init__(self, zone: ZoneInfo = DEFAULT_ZONE, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail: ApprovalDetail | None = None
        self.pending = False  # another draft is selected; its detail is being read
        self.busy = False  # a decision is on its way
        self.diff_html = ""
        self.model = ApprovalModel(zone, now=lambda: utcnow(), parent=self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.KIND, QHeaderView.ResizeMode.Stretch)
        for column, width in ((Column.NUMBER, 64), (Column.DEPARTMENT, 110), (Column.LEFT, 150)):
            self.table.setColumnWidth(column, width)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.empty = QLabel("Нет проектов, ожидающих вашего решения.", self)
        self.empty.setStyleSheet("color: #666")
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.hide()

        self.placeholder = QLabel("Выберите проект в списке.", self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setStyleSheet("color: #666")
        self.body = QWidget(self)
        self.title = QLabel(self.body)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setWordWrap(True)
        self.message = _browser(self.body)
        self.draft = _browser(self.body)
        self.length = QLabel(self.body)
        self.length.setTextFormat(Qt.TextFormat.RichText)
        self.attachments = QLabel(self.body)
        self.attachments.setWordWrap(True)
        self.attachments.setToolTip("Щёлкните, чтобы открыть файл")
        self.attachments.linkActivated.connect(self._attachment_clicked)
        self.diff_caption = _caption("Изменения", self.body)
        self.diff = _browser(self.body)
        self.decisions = _browser(self.body)

        self.buttons: dict[ReviewDecision, QPushButton] = {}
        self.shortcuts: dict[ReviewDecision, QShortcut] = {}
        button_row = QHBoxLayout()
        for decision, text, keys in BUTTONS:
            button = QPushButton(f"{text}\n{keys}", self.body)  # two lines: the dock is narrow
            button.setToolTip(f"{_TOOLTIPS[decision]} ({keys})")
            button.clicked.connect(lambda _=False, d=decision: self._request(d))
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda d=decision: self._request(d))
            self.buttons[decision] = button
            self.shortcuts[decision] = shortcut
            button_row.addWidget(button)

        sections = QSplitter(Qt.Orientation.Vertical, self.body)
        sections.setChildrenCollapsible(False)
        sections.addWidget(self._section("Сообщение", self.message))
        draft_page = self._section("Проект ответа", self.draft)
        notes = QHBoxLayout()
        notes.addWidget(self.length)
        notes.addStretch(1)
        notes.addWidget(self.attachments)
        draft_layout = draft_page.layout()
        assert isinstance(draft_layout, QVBoxLayout)
        draft_layout.addLayout(notes)
        sections.addWidget(draft_page)
        diff_page = QWidget(sections)
        diff_layout = QVBoxLayout(diff_page)
        diff_layout.setContentsMargins(0, 0, 0, 0)
        diff_layout.addWidget(self.diff_caption)
        diff_layout.addWidget(self.diff, 1)
        sections.addWidget(diff_page)
        sections.addWidget(self._section("Замечания", self.decisions))
        sections.setSizes([90, 110, 150, 110])
        self.sections = sections
        body_layout = QVBoxLayout(self.body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addWidget(self.title)
        body_layout.addWidget(sections, 1)
        body_layout.addLayout(button_row)

        self.list_and_detail = QSplitter(Qt.Orientation.Vertical, self)
        self.list_and_detail.setChildrenCollapsible(False)
        top = QWidget(self.list_and_detail)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.table, 1)
        top_layout.addWidget(self.empty)
        bottom = QWidget(self.list_and_detail)
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.status)
        bottom_layout.addWidget(self.placeholder, 1)
        bottom_layout.addWidget(self.body, 1)
        self.list_and_detail.addWidget(top)
        self.list_and_detail.addWidget(bottom)
        self.list_and_detail.setStretchFactor(1, 1)
        self.list_and_detail.setSizes([230, 520])  # six rows or so; the draft gets the rest
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.list_and_detail)

        self.ticker = QTimer(self)
        self.ticker.setInterval(TICK_MS)
        self.ticker.timeout.connect(self.model.tick)
        self.clear_detail()

    def _section(self, caption: str, widget: QWidget) -> QWidget:
        page = QWidget(self.body)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(_caption(caption, page))
        layout.addWidget(widget, 1)
        return page

    def _attachment_clicked(self, link: str) -> None:
        detail = self.detail
        if detail is not None and link.isdigit() and int(link) < len(detail.attachments):
            self.open_attachment.emit(detail.attachments[int(link)])

    # --- the list -----------------------------------------------------------------------
    def show_list(self, rows: list[WaitingDraft]) -> None:
        """New rows; the selected draft stays selected while it still waits."""
        selected = self.selected_answer()
        blocker = self.table.selectionModel().blockSignals(True)
        self.model.set_rows(rows)
        position = None if selected is None else self.model.position_of(selected)
        if position is not None:
            self.table.selectionModel().setCurrentIndex(
                self.model.index(position, Column.NUMBER),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        self.table.selectionModel().blockSignals(blocker)
        self.empty.setVisible(not rows)
        if rows:
            self.ticker.start()
        else:
            self.ticker.stop()
        if selected is not None and position is None:
            self.answer_selected.emit(None)

    def selected_answer(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(
            index.row(), index.parent()
        ):
            return None
        return self.model.draft_at(index.row()).answer_id

    def select_answer(self, answer_id: int) -> None:
        position = self.model.position_of(answer_id)
        if position is not None:
            self.table.selectionModel().setCurrentIndex(
                self.model.index(position, Column.NUMBER),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )

    def _current_changed(self, current: Any, _previous: Any = None) -> None:
        answer = self.model.draft_at(current.row()).answer_id if current.isValid() else None
        self.answer_selected.emit(answer)

    # --- the selected draft ---------------------------------------------------------------
    def set_pending(self, pending: bool) -> None:
        self.pending = pending
        self._enable()

    def clear_detail(self, text: str = "Выберите проект в списке.") -> None:
        self.detail = None
        self.pending = False
        self.diff_html = ""
        self.placeholder.setText(text)
        self.placeholder.show()
        self.body.hide()
        self._enable()

    def show_detail(self, detail: ApprovalDetail) -> None:
        self.detail = detail
        self.pending = False
        kind = detail.kind_title[:1].upper() + detail.kind_title[1:]
        ground = f" ({html.escape(detail.ground)})" if detail.ground else ""
        who = ", ".join(p for p in (detail.department, detail.author) if p)
        decides = (
            f"согласует {STAGE_TITLES[detail.stage]}"
            if detail.stage is not None
            else "<span style='color:#b02a37'>уже не ждёт решения</span>"
        )
        due = f" · ответить до {html.escape(detail.answer_due)}" if detail.answer_due else ""
        self.title.setText(
            f"<b>№ {detail.number}</b> · {html.escape(kind)}{ground}, "
            f"ред. {detail.version_number} · {html.escape(who)}<br>"
            f"<span style='color:#555'>направлен {html.escape(detail.submitted)}{due} · "
            f"{decides}</span>"
        )
        self.message.setHtml(message_html(detail))
        self.draft.setPlainText(detail.text)
        self.length.setText(length_text(len(detail.text), detail.length_limit))
        files = ", ".join(
            f'<a href="{n}">{html.escape(a.file_name)}</a>'
            for n, a in enumerate(detail.attachments)
        )
        self.attachments.setText(f"Вложения: {files}" if files else "")
        if detail.first_version:
            self.diff_caption.setText("<b>Изменения</b>")
            self.diff_html = ""
            self.diff.setHtml(f"<i style='color:#666'>{FIRST_VERSION}</i>")
        else:
            self.diff_caption.setText(
                f"<b>Изменения с ред. {detail.previous_version_number}, возвращённой на "
                "доработку</b>"
            )
            self.diff_html = diff_html(detail.diff)
            self.diff.setHtml(self.diff_html)
        self.decisions.setHtml(decisions_html(detail))
        self.placeholder.hide()
        self.body.show()
        self._enable()

    # --- decisions ----------------------------------------------------------------------
    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self._enable()

    def _enable(self) -> None:
        detail = self.detail
        for decision, button in self.buttons.items():
            offered = detail is not None and detail.may(decision)
            button.setVisible(detail is None or decision in _visible(detail))
            button.setEnabled(offered and not self.pending and not self.busy)

    def _request(self, decision: ReviewDecision) -> None:
        button = self.buttons[decision]
        if button.isEnabled() and button.isVisible():
            self.decision_requested.emit(decision)

    def show_error(self, text: str) -> None:
        self.status.setStyleSheet("color: #b02a37; font-weight: bold")
        self.status.setText(text)
        self.status.show()

    def show_info(self, text: str) -> None:
        self.status.setStyleSheet("color: #0f5132")
        self.status.setText(text)
        self.status.show()

    def clear_status(self) -> None:
        self.status.clear()
        self.status.hide()


def _visible(detail: ApprovalDetail) -> frozenset[ReviewDecision]:
    """A department head has no «with edits» button at all; a curator sees all three."""
    if detail.stage is ReviewStage.DEPARTMENT:
        return frozenset({ReviewDecision.APPROVE, ReviewDecision.RETURN})
    return frozenset(ReviewDecision)


Fresh = dict[int, QueueRow | None]


class ApprovalController(QObject):
    """Reads the list and the selected draft, carries out decisions; all in the database
    thread through `Jobs`."""

    rows_fresh = Signal(object)  # dict[int, QueueRow | None]: the decided incident's row
    decided = Signal(int)  # the incident whose card should be read again

    def __init__(
        self,
        panel: ApprovalPanel,
        jobs: Any,
        workspace: Callable[[], Workspace | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.panel = panel
        self._jobs = jobs
        self._workspace = workspace
        self._wanted: int | None = None
        self._loading = False
        self._again = False
        self.dialog: EditDraftDialog | ReturnDialog | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(LOAD_DELAY_MS)
        self._timer.timeout.connect(self._load_wanted)
        panel.answer_selected.connect(self._selected)
        panel.decision_requested.connect(self.decide)
        panel.open_attachment.connect(self.open_attachment)

    # --- reading ------------------------------------------------------------------------
    def refresh(self, *_: object) -> None:
        """Read the waiting list again (after a change anywhere, or a decision); one read at a
        time, the last request wins."""
        workspace = self._workspace()
        if workspace is None:
            return
        if self._loading:
            self._again = True
            return
        self._loading = True
        user, zone = workspace.user, workspace.zone

        def done(rows: list[WaitingDraft]) -> None:
            self._loading = False
            if self._workspace() is not None:
                before = self._wanted
                old = self.panel.model.row_for(before)
                self.panel.show_list(rows)
                # The draft on screen is read again only when its row changed (a new stage, a
                # new deadline): a change elsewhere must not scroll the text the user reads.
                if (
                    before is not None
                    and self.panel.selected_answer() == before
                    and self.panel.model.row_for(before) != old
                ):
                    self._load_wanted()
            if self._again:
                self._again = False
                self.refresh()

        def failed(error: BaseException) -> None:
            self._loading = False
            self.panel.show_error(f"Список не обновлён: {describe_failure(error)}")

        self._jobs.run(lambda: waiting_for(user, zone, now=utcnow()), done, failed)

    def open_attachment(self, attachment: DraftAttachment) -> None:
        """The draft's photo or video in the system's viewer (the file is on the share)."""
        workspace = self._workspace()
        if workspace is None:
            return
        path = path_of(workspace.office, attachment.sha256, attachment.file_name)
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            self.panel.show_error(f"Не удалось открыть файл {attachment.file_name}.")

    def forget(self) -> None:
        """Another database, or the user may no longer decide: nothing old stays."""
        self._wanted = None
        self._timer.stop()
        self.panel.show_list([])
        self.panel.clear_detail()
        self.panel.clear_status()
        if self.dialog is not None:
            self.dialog.reject()
            self.dialog = None

    def _selected(self, answer_id: int | None) -> None:
        if answer_id is not None and answer_id != self._wanted:
            self.panel.clear_status()  # the user moved on from the last message
        self._wanted = answer_id
        if answer_id is None:
            self._timer.stop()
            self.panel.clear_detail(
                "Выберите проект в списке."
                if self.panel.model.rowCount()
                else "Нет проектов, ожидающих вашего решения."
            )
            return
        if self.panel.detail is None or self.panel.detail.answer_id != answer_id:
            self.panel.set_pending(True)
        self._timer.start()

    def _load_wanted(self) -> None:
        workspace, wanted = self._workspace(), self._wanted
        if workspace is None or wanted is None:
            return
        user, zone = workspace.user, workspace.zone

        def done(detail: ApprovalDetail) -> None:
            if self._wanted == detail.answer_id:
                self.panel.show_detail(detail)

        def failed(error: BaseException) -> None:
            if self._wanted == wanted:
                self.panel.clear_detail(f"Проект не открыть: {describe_failure(error)}")

        self._jobs.run(lambda: approval_detail(user, wanted, zone, now=utcnow()), done, failed)

    # --- deciding -----------------------------------------------------------------------
    def decide(self, decision: ReviewDecision) -> None:
        detail, workspace = self.panel.detail, self._workspace()
        if detail is None or workspace is None or self.panel.pending or self.panel.busy:
            return
        if not detail.may(decision):
            return
        if decision is ReviewDecision.APPROVE:
            self._run(
                detail, decision, success=f"Проект по сообщению № {detail.number} согласован."
            )
        elif decision is ReviewDecision.APPROVE_WITH_EDITS:
            editor = EditDraftDialog(detail.number, detail.text, detail.length_limit, self.panel)
            editor.given.connect(
                lambda text: self._run(
                    detail,
                    decision,
                    edited_text=text,
                    success=f"Проект по сообщению № {detail.number} согласован с правкой.",
                )
            )
            self._open(editor)
        else:
            dialog = ReturnDialog(
                detail.number,
                rework_due_is_manual=detail.rework_due_is_manual,
                zone=workspace.zone,
                now=utcnow(),
                parent=self.panel,
            )
            dialog.given.connect(
                lambda reasons, comment, due: self._run(
                    detail,
                    decision,
                    reasons=reasons,
                    comment=comment,
                    rework_due=due,
                    success=f"Проект по сообщению № {detail.number} возвращён на доработку.",
                )
            )
            self._open(dialog)

    def _open(self, dialog: EditDraftDialog | ReturnDialog) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = dialog
        dialog.finished.connect(lambda _: self._forget(dialog))
        dialog.open()
        dialog.activateWindow()

    def _forget(self, dialog: EditDraftDialog | ReturnDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def _run(
        self,
        detail: ApprovalDetail,
        decision: ReviewDecision,
        *,
        success: str,
        reasons: list[ReturnReason] | None = None,
        comment: str = "",
        edited_text: str | None = None,
        rework_due: dt.datetime | None = None,
    ) -> None:
        """The decision on the draft the user looked at, then its fresh queue row and the
        waiting list, in one job."""
        workspace = self._workspace()
        if workspace is None:
            return
        service = IncidentService(workspace.user, office=workspace.office)
        user, zone = workspace.user, workspace.zone
        incident_id, answer_id = detail.incident_id, detail.answer_id
        department = detail.stage is ReviewStage.DEPARTMENT

        def work() -> tuple[Fresh, list[WaitingDraft]]:
            if department:
                service.approve_department(
                    incident_id, answer_id, decision, reasons=reasons or (), comment=comment
                )
            else:
                service.review(
                    incident_id,
                    answer_id,
                    decision,
                    reasons=reasons or (),
                    comment=comment,
                    edited_text=edited_text,
                    rework_due=rework_due,
                )
            return queue_rows([incident_id]), waiting_for(user, zone, now=utcnow())

        def done(result: tuple[Fresh, list[WaitingDraft]]) -> None:
            rows, waiting = result
            self.panel.set_busy(False)
            if self.dialog is not None:
                self.dialog.accept()
                self.dialog = None
            self.rows_fresh.emit(rows)
            self.decided.emit(incident_id)
            # Nothing is selected after a decision: a second press of the same key must not
            # decide on the next draft unseen.
            self.panel.table.selectionModel().clearSelection()
            self.panel.show_list(waiting)
            self._selected(None)
            self.panel.show_info(success)
            self.panel.table.setFocus()

        def failed(error: BaseException) -> None:
            self.panel.set_busy(False)
            text = describe_failure(error)
            stale = isinstance(error, InvalidTransition)  # someone else decided first, …
            if self.dialog is not None and not stale:
                self.dialog.show_error(text)  # the user's input: fix it in the dialog
                return
            if self.dialog is not None:
                self.dialog.reject()
                self.dialog = None
            self.panel.show_error(text)
            self.refresh()
            self._load_wanted()  # the draft as it is now: decided, so no buttons
            self.decided.emit(incident_id)

        self.panel.clear_status()
        self.panel.set_busy(True)
        if self.dialog is not None:
            self.dialog.set_busy(True)
        self._jobs.run(work, done, failed)


class ApprovalDock(QDockWidget):
    """The panel as a dock of the main window, shown to those who may decide on drafts."""

    def __init__(
        self, jobs: Any, workspace: Callable[[], Workspace | None], parent: QWidget
    ) -> None:
        super().__init__("Согласование", parent)
        self.setObjectName("approval_dock")
        self.panel = ApprovalPanel(parent=self)
        self.setWidget(self.panel)
        self.controller = ApprovalController(self.panel, jobs, workspace, self)
        self._workspace = workspace
        self.allowed: bool | None = None
        self.toggleViewAction().setText("Панель согласования")
        self.toggleViewAction().setToolTip("Проекты ответов, ждущие вашего решения")

    @staticmethod
    def may_decide(workspace: Workspace | None) -> bool:
        return workspace is not None and (
            workspace.user.may(Action.REVIEW) or workspace.user.may(Action.APPROVE_DEPARTMENT)
        )

    def use(self, *_: object) -> None:
        """The workspace (re)opened or changed: who the user is now decides whether the panel
        is offered; it is shown when the right first appears and the list is read."""
        workspace = self._workspace()
        allowed = self.may_decide(workspace)
        self.toggleViewAction().setVisible(allowed)
        if allowed != self.allowed:
            self.allowed = allowed
            self.setVisible(allowed)
            if not allowed:
                self.controller.forget()
        if workspace is not None and allowed:
            self.panel.model.set_calendar(workspace.calendar, workspace.zone)
            self.controller.refresh()

    def refresh(self, *_: object) -> None:
        if self.allowed:
            self.controller.refresh()

    def open_incident(self, incident_id: int) -> None:
        """From the card's «Согласовать…»: the panel comes forward with that message's draft
        selected (once the list has it) and the focus in the panel, so the shortcuts work."""
        self.show()
        self.raise_()
        waiting = self.panel.model.first_of_incident(incident_id)
        if waiting is not None:
            self.panel.select_answer(waiting.answer_id)
            self.panel.table.setFocus()

    def forget(self) -> None:
        self.controller.forget()
        self.allowed = None
