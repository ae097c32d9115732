"""What the user reads when something escapes a slot."""

from __future__ import annotations

from desktop.services.errors import AccessDenied, ConflictError, DatabaseUnavailable
from desktop.views.errors_dialog import message_for


def test_known_problems_are_shown_as_they_are() -> None:
    assert message_for(DatabaseUnavailable()) == (DatabaseUnavailable.user_message, False)
    assert message_for(AccessDenied("Недостаточно прав")) == ("Недостаточно прав", False)
    conflict = ConflictError(
        entity="incident", row_id=1, changed_by="Петрова А.", changed_at=None, current_version=3
    )
    text, is_bug = message_for(conflict)
    assert text == "Карточку только что изменил(а) Петрова А. — обновить?"
    assert not is_bug


def test_bugs_become_an_internal_error_without_a_traceback() -> None:
    text, is_bug = message_for(KeyError("status"))
    assert is_bug
    assert text.startswith("Внутренняя ошибка Отклика")
    assert "KeyError" in text
    assert "Traceback" not in text
