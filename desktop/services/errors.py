"""The errors views may catch, re-exported so views never import the models package."""

from desktop.models.errors import (
    ConflictError,
    DatabaseBug,
    DatabaseMissing,
    DatabaseReadOnly,
    DatabaseUnavailable,
    KnownDatabaseError,
    NotAnOtklikDatabase,
    OtklikDatabaseError,
    RowDeleted,
    SchemaTooNew,
    UnsupportedDatabaseUrl,
)


class AccessDenied(PermissionError):
    """The current user's roles do not allow the action. The message is Russian."""


class ValidationError(ValueError):
    """Input the user can fix; the message is Russian and names the field."""


class WorkCalendarError(ValueError):
    """Working time asked of the calendar in a way it cannot answer. The message is Russian."""


class MixedDatetimeError(WorkCalendarError, TypeError):
    """Aware datetimes where the working-time engine takes naive local office time."""


class CalendarDataMissing(WorkCalendarError, LookupError):
    """No production calendar is known for a year: neither shipped data nor the package's."""

    def __init__(self, year: int, message: str) -> None:
        self.year = year
        super().__init__(message)


class ProductionCalendarError(WorkCalendarError):
    """A production calendar file is malformed: a bug in the shipped data, or a bad local copy."""


class SpellingUnavailable(RuntimeError):
    """The spelling dictionary or its engine could not be loaded. The message is Russian."""


__all__ = [
    "AccessDenied",
    "CalendarDataMissing",
    "ConflictError",
    "DatabaseBug",
    "DatabaseMissing",
    "DatabaseReadOnly",
    "DatabaseUnavailable",
    "KnownDatabaseError",
    "MixedDatetimeError",
    "NotAnOtklikDatabase",
    "OtklikDatabaseError",
    "ProductionCalendarError",
    "RowDeleted",
    "SchemaTooNew",
    "SpellingUnavailable",
    "UnsupportedDatabaseUrl",
    "ValidationError",
    "WorkCalendarError",
]
