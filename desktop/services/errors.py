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


__all__ = [
    "AccessDenied",
    "ConflictError",
    "DatabaseBug",
    "DatabaseMissing",
    "DatabaseReadOnly",
    "DatabaseUnavailable",
    "KnownDatabaseError",
    "NotAnOtklikDatabase",
    "OtklikDatabaseError",
    "RowDeleted",
    "SchemaTooNew",
    "UnsupportedDatabaseUrl",
    "ValidationError",
]
