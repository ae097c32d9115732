"""Everything a workstation needs after start: the open database, who the user is, settings."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from desktop.models.database import run_write
from desktop.services.backup import daily_backup_if_due
from desktop.services.changes import prune_change_log
from desktop.services.config import DatabaseTarget
from desktop.services.directory import Directory, directory
from desktop.services.errors import DatabaseUnavailable, KnownDatabaseError
from desktop.services.office import Office, check_reachable, open_office
from desktop.services.office_calendar import office_work_calendar
from desktop.services.office_regulation import office_regulation
from desktop.services.regulations import Regulation
from desktop.services.session import CurrentUser, identify
from desktop.services.settings import OfficeSettings, office_settings
from desktop.services.workcalendar import WorkCalendar

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Workspace:
    office: Office
    user: CurrentUser
    settings: OfficeSettings
    calendar: WorkCalendar
    directory: Directory
    regulation: Regulation

    @property
    def zone(self) -> ZoneInfo:
        return self.settings.zone

    @property
    def location(self) -> str:
        return self.office.target.location


def open_workspace(target: DatabaseTarget) -> Workspace:
    """Open (the demo database is created and filled on first use), migrate, identify."""
    if target.is_demo:
        from desktop.services.demo import open_demo_office

        office = open_demo_office()
    else:
        office = open_office(target)
    return Workspace(
        office,
        identify(),
        office_settings(),
        office_work_calendar(),
        directory(),
        office_regulation(),
    )


def refreshed(workspace: Workspace) -> Workspace:
    """The same workspace with the user, settings, calendar and directory read again."""
    return Workspace(
        workspace.office,
        identify(),
        office_settings(),
        office_work_calendar(),
        directory(),
        office_regulation(),
    )


def probe(target: DatabaseTarget) -> None:
    """Cheap check that the database file is reachable; raises `DatabaseUnavailable` if not."""
    check_reachable(target.path)
    if not target.path.exists():
        raise DatabaseUnavailable(f"Файл базы данных недоступен: {target.location}")


def run_daily_maintenance(workspace: Workspace) -> None:
    """The first workstation to start each day makes the backup and trims the change log.

    Meant for its own thread, after the window is usable; a failure is logged and never
    stops the workstation.
    """
    if workspace.office.target.is_demo:
        return
    try:
        made = daily_backup_if_due(workspace.office)
        if made is not None:
            run_write(prune_change_log)
            log.info("daily backup written to %s", made)
    except KnownDatabaseError as exc:
        log.warning("daily maintenance skipped: %s", exc)
    except Exception:  # best effort in a background thread: log a bug, never crash
        log.exception("daily maintenance failed")
    finally:
        release_thread_connection(workspace)


def release_thread_connection(workspace: Workspace) -> None:
    """Close the calling thread's connection (peewee keeps one per thread); others keep theirs."""
    if not workspace.office.db.is_closed():
        workspace.office.db.close()
