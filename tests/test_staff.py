"""Registering staff: only an administrator, with roles the session then sees."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from desktop import cli
from desktop.models.enums import Role
from desktop.services.errors import AccessDenied, ValidationError
from desktop.services.office import Office
from desktop.services.session import CurrentUser, identify
from desktop.services.staff import add_employee, list_staff, parse_roles

MakeUser = Callable[..., CurrentUser]


def test_the_first_administrator_registers_staff(office: Office) -> None:
    admin = identify("boss")
    add_employee(
        admin,
        full_name="  Кузьмина   Елена Викторовна ",
        os_login="ADM\\Kuzmina",
        roles=[Role.CURATOR, Role.OPERATOR],
        position="начальник отдела информационной политики",
    )
    user = identify("kuzmina")
    assert user.full_name == "Кузьмина Елена Викторовна"
    assert user.roles == frozenset({Role.CURATOR, Role.OPERATOR})
    assert [m.os_login for m in list_staff()] == ["boss", "kuzmina"]


def test_only_an_administrator_may(office: Office, make_user: MakeUser) -> None:
    curator = make_user("curator", Role.CURATOR)
    with pytest.raises(AccessDenied):
        add_employee(curator, full_name="Иванов И. И.", os_login="ivanov", roles=[])


def test_duplicates_and_unknown_departments_are_refused(office: Office) -> None:
    admin = identify("boss")
    with pytest.raises(ValidationError, match="уже есть"):
        add_employee(admin, full_name="Двойник", os_login="BOSS", roles=[])
    with pytest.raises(ValidationError, match="Нет отдела"):
        add_employee(admin, full_name="Иванов", os_login="ivanov", roles=[], department="Нет")


def test_roles_in_english_or_russian() -> None:
    assert parse_roles("curator, оператор") == {Role.CURATOR, Role.OPERATOR}
    with pytest.raises(ValidationError, match="Неизвестная роль"):
        parse_roles("boss")


def test_cli_adds_and_lists(office: Office, capsys: pytest.CaptureFixture[str]) -> None:
    identify()  # the test login "tester" becomes the first administrator
    db = ["--db", str(office.path)]
    code = cli.main([*db, "employee-add", "petrov", "Петров Пётр", "--roles", "executor"])
    assert code == cli.EXIT_OK
    assert cli.main([*db, "employee-list"]) == cli.EXIT_OK
    out = capsys.readouterr().out
    assert "petrov" in out
    assert "исполнитель" in out
