"""Errors that escape a slot: a known problem is a message, a bug is logged and reported."""

from __future__ import annotations

import logging
import sys
from types import TracebackType

from PySide6.QtWidgets import QMessageBox, QWidget

from desktop import APP_NAME
from desktop.services.errors import AccessDenied, KnownDatabaseError, ValidationError

log = logging.getLogger(__name__)


def message_for(error: BaseException) -> tuple[str, bool]:
    """The text a user sees, and whether it is a bug (shown as an internal error)."""
    if isinstance(error, KnownDatabaseError):
        return error.user_message, False
    if isinstance(error, AccessDenied | ValidationError):
        return str(error), False
    return (
        "Внутренняя ошибка Отклика. Ваши данные в базе не повреждены; сообщите "
        f"администратору. Подробности записаны в журнал программы ({type(error).__name__}).",
        True,
    )


def install_exception_hook(parent: QWidget) -> None:
    """Replace the default hook, which would print a traceback nobody reads."""

    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        text, is_bug = message_for(error)
        if is_bug:
            log.error("unhandled error", exc_info=(kind, error, trace))
            QMessageBox.critical(parent, APP_NAME, text)
        else:
            log.info("known problem: %s", text)
            QMessageBox.warning(parent, APP_NAME, text)

    sys.excepthook = hook
