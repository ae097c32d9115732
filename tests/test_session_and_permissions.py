"""Who the user is (OS login → employee) and what each role may do."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from desktop.models.entities import Employee
from desktop.models.enums import Role
from desktop.services.errors import AccessDenied
from desktop.services.office import Office
from desktop.services.permissions import Action, may, require, roles_allowed
from desktop.services.session import CurrentUser, identify, normalize_login

MakeUser = Callable[..., CurrentUser]


@pytest.mark.parametrize(
    ("raw", "login"),
    [("Ivanova", "ivanova"), ("ADM\\Ivanova", "ivanova"), ("ivanova@adm.local", "ivanova")],
)
def test_logins_are_normalised(raw: str, login: str) -> None:
    assert normalize_login(raw) == login


def test_first_login_on_an_empty_database_becomes_administrator(office: Office) -> None:
    user = identify("Petrov")
    assert user.roles == frozenset({Role.ADMINISTRATOR})
    assert user.must_register_staff
    assert "сотрудников" in user.notice
    assert not user.read_only
    assert Employee.select().count() == 1


def test_second_unknown_login_gets_read_only_and_whom_to_ask(
    office: Office, make_user: MakeUser
) -> None:
    make_user("admin", Role.ADMINISTRATOR, full_name="Смирнова Ольга Петровна")
    user = identify("stranger")
    assert user.read_only
    assert user.roles == frozenset()
    assert "Смирнова Ольга Петровна" in user.notice
    assert "только просмотр" in user.notice
    assert user.may(Action.VIEW_QUEUE)
    assert not user.may(Action.REGISTER)
    assert Employee.select().count() == 1


def test_an_inactive_employee_is_read_only(office: Office, make_user: MakeUser) -> None:
    make_user("admin", Role.ADMINISTRATOR)
    make_user("former", Role.CURATOR)
    Employee.update(active=False).where(Employee.os_login == "former").execute()
    user = identify("former")
    assert user.read_only
    assert "отключена" in user.notice


def test_a_known_employee_gets_their_roles(office: Office, make_user: MakeUser) -> None:
    made = make_user("kuzmina", Role.CURATOR, Role.OPERATOR, full_name="Кузьмина Е. В.")
    assert identify("KUZMINA") == made
    assert made.roles == frozenset({Role.CURATOR, Role.OPERATOR})
    assert made.role_titles == "оператор, куратор"


EXPECTED: dict[Action, set[Role]] = {
    Action.VIEW_QUEUE: set(Role),
    Action.REGISTER: {Role.OPERATOR, Role.CURATOR},
    Action.EDIT_INCIDENT: {Role.OPERATOR, Role.CURATOR},
    Action.ROUTE: {Role.CURATOR},
    Action.RETURN_NOT_COMPETENT: {Role.EXECUTOR, Role.DEPARTMENT_HEAD},
    Action.WRITE_DRAFT: {Role.EXECUTOR, Role.CURATOR},
    Action.APPROVE_DEPARTMENT: {Role.DEPARTMENT_HEAD},
    Action.REVIEW: {Role.CURATOR},
    Action.PUBLISH: {Role.EXECUTOR, Role.CURATOR},
    Action.CLOSE: {Role.CURATOR},
    Action.SET_DEADLINE: {Role.CURATOR},
    Action.NOTIFY_MANAGER: {Role.OPERATOR, Role.CURATOR},
    Action.VIEW_REPORTS: {Role.CURATOR, Role.MANAGER, Role.ADMINISTRATOR},
    Action.MANAGE_SETTINGS: {Role.ADMINISTRATOR},
    Action.MANAGE_STAFF: {Role.ADMINISTRATOR},
    Action.BACKUP: {Role.ADMINISTRATOR},
    Action.EDIT_SPELLING_WORDS: {Role.EXECUTOR, Role.CURATOR, Role.ADMINISTRATOR},
    Action.MANAGE_TEMPLATES: {Role.CURATOR, Role.ADMINISTRATOR},
    Action.IMPORT_HISTORY: {Role.CURATOR, Role.ADMINISTRATOR},
}


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("role", list(Role))
def test_every_action_for_every_role(action: Action, role: Role) -> None:
    allowed = role in EXPECTED[action]
    assert may(frozenset({role}), action) is allowed
    assert roles_allowed(action) == frozenset(EXPECTED[action])
    if allowed:
        require(frozenset({role}), action)
    else:
        with pytest.raises(PermissionError) as caught:
            require(frozenset({role}), action)
        assert isinstance(caught.value, AccessDenied)
        assert caught.value.args[0].startswith("Недостаточно прав")


def test_read_only_users_may_only_look() -> None:
    everything = frozenset(Role)
    assert may(everything, Action.VIEW_QUEUE, read_only=True)
    assert not any(
        may(everything, action, read_only=True) for action in Action if action != Action.VIEW_QUEUE
    )
