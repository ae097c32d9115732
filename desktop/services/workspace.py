"""Everything a workstation needs after start: the open database, who the user is, settings."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from desktop.services.config import DatabaseTarget
from desktop.services.errors import DatabaseUnavailable
from desktop.services.office import Office, check_reachable, open_office
from desktop.services.session import CurrentUser, identify
from desktop.services.settings import OfficeSettings, office_settings


@dataclass(frozen=True)
class Workspace:
    office: Office
    user: CurrentUser
    settings: OfficeSettings

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
    return Workspace(office, identify(), office_settings())


def probe(target: DatabaseTarget) -> None:
    """Cheap check that the database file is reachable; raises `DatabaseUnavailable` if not."""
    check_reachable(target.path)
    if not target.path.exists():
        raise DatabaseUnavailable(f"Файл базы данных недоступен: {target.location}")


def release_thread_connection(workspace: Workspace) -> None:
    """Close the calling thread's connection (peewee keeps one per thread); others keep theirs."""
    if not workspace.office.db.is_closed():
        workspace.office.db.close()
