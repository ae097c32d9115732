"""Shows the alerts `AlertPolicy` lets through: a banner above the queue and a tray message."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QStyle, QSystemTrayIcon, QWidget

from desktop.services.alerts import Alert, AlertKind, AlertPolicy
from desktop.services.countdown import Level
from desktop.services.permissions import Action
from desktop.services.queue import QueueRow
from desktop.services.queue_filter import Me
from desktop.services.workspace import Workspace
from desktop.views.banner import Banner, BannerKind

TRAY_MS = 15_000


class AlertCenter(QObject):
    """`report_requested(incident_id)` and `open_requested(incident_id)` come from the banner."""

    report_requested = Signal(int)
    open_requested = Signal(int)

    def __init__(
        self,
        banner: Banner,
        now: Callable[[], dt.datetime],
        still_relevant: Callable[[Alert], bool],
        window: QWidget,
    ) -> None:
        super().__init__(window)
        self.banner = banner
        self._now = now
        self._still = still_relevant
        self._window = window
        self.policy: AlertPolicy | None = None
        self._may_report = False
        self.shown: list[Alert] = []  # this session's alerts, newest last
        self.latest: Alert | None = None  # the one on the banner
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            icon = window.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
            self.tray = QSystemTrayIcon(icon, self)
            self.tray.setToolTip("Отклик")
            self.tray.messageClicked.connect(self._open_latest)
            self.tray.show()
        banner.set_closable(True)
        banner.button.clicked.connect(self._banner_clicked)

    def use(self, workspace: Workspace, me: Me) -> None:
        user = workspace.user
        if self.policy is None:
            self.policy = AlertPolicy(workspace.calendar, workspace.zone, user.roles, me)
        else:
            self.policy.set_calendar(workspace.calendar, workspace.zone)
            self.policy.set_user(user.roles, me)
        self._may_report = user.may(Action.NOTIFY_MANAGER)

    def reset(self) -> None:
        """Another database: its messages are new to this user, the old alerts are void."""
        self.policy = None
        self.latest = None
        self.banner.clear()

    # --- events -------------------------------------------------------------------------------
    def rows_arrived(
        self, before: Mapping[int, QueueRow | None], fresh: Mapping[int, QueueRow | None]
    ) -> None:
        if self.policy is None:
            return
        now = self._now()
        found: list[Alert] = []
        for incident_id, row in fresh.items():
            if row is not None:
                found += self.policy.arrived(before.get(incident_id), row, now)
        self._show(found)

    def crossed(self, crossings: Iterable[Any]) -> None:
        if self.policy is None:
            return
        now = self._now()
        found: list[Alert] = []
        for crossing in crossings:
            found += self.policy.crossed(crossing.row, Level(crossing.level), now)
        self._show(found)

    def tick(self) -> None:
        if self.policy is not None:
            self._show(self.policy.due_now(self._now(), self._still))

    # --- showing ----------------------------------------------------------------------------
    def _show(self, alerts: list[Alert]) -> None:
        if not alerts:
            return
        self.shown += alerts
        latest = max(alerts, key=lambda a: a.urgent)  # the urgent one if there is one
        more = len(alerts) - 1
        suffix = f" (и ещё {more})" if more else ""
        kind = BannerKind.ERROR if latest.urgent else BannerKind.WARNING
        reports = latest.kind is AlertKind.HIGH_ARRIVED and self._may_report
        self.latest = latest
        self.banner.show_message(
            kind,  # rich text: the citizen's words are escaped
            f"<b>{html.escape(latest.title)}</b>{suffix}. {html.escape(latest.text)}",
            "Доложить руководству" if reports else "Открыть",
        )
        if self.tray is not None:
            icon = (
                QSystemTrayIcon.MessageIcon.Critical
                if latest.urgent
                else QSystemTrayIcon.MessageIcon.Warning
            )
            self.tray.showMessage(latest.title + suffix, latest.text, icon, TRAY_MS)
        QApplication.alert(self._window)  # flashes the taskbar button when in the background

    def _banner_clicked(self) -> None:
        latest = self.latest
        if latest is None:
            return
        self.banner.clear()
        if latest.kind is AlertKind.HIGH_ARRIVED and self._may_report:
            self.report_requested.emit(latest.incident_id)
        else:
            self.open_requested.emit(latest.incident_id)

    def _open_latest(self) -> None:
        if self.latest is not None:
            self.open_requested.emit(self.latest.incident_id)
