"""Issue-2 scope of the incident service: register and edit with roles, validation, audit."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

import pytest

from desktop.models.entities import AuditEvent, Incident
from desktop.models.enums import Network, Role
from desktop.services.errors import AccessDenied, ConflictError, ValidationError
from desktop.services.incidents import IncidentService, NewIncident
from desktop.services.links import link_key, network_of
from desktop.services.office import Office
from desktop.services.session import CurrentUser

MakeUser = Callable[..., CurrentUser]
NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("link", "network"),
    [
        ("https://vk.com/wall-123_456", Network.VK),
        ("vk.com/id1", Network.VK),
        ("https://m.vk.com/wall-1_2", Network.VK),
        ("https://ok.ru/group/1/topic/2", Network.OK),
        ("https://t.me/otradnaya/55", Network.TELEGRAM),
        ("https://max.ru/channel/1", Network.MAX),
        ("https://www.instagram.com/p/xyz", Network.INSTAGRAM),
        ("https://twitter.com/a/status/1", Network.X),
        ("https://example.org/news/1", None),
        ("не ссылка", None),
    ],
)
def test_a_pasted_link_tells_the_network(link: str, network: Network | None) -> None:
    assert network_of(link) == network


def test_link_key_ignores_cosmetic_differences() -> None:
    assert link_key("https://www.VK.com/wall-1_2/") == link_key("http://m.vk.com/wall-1_2")
    assert link_key("https://vk.com/wall-1_2") != link_key("https://vk.com/wall-1_3")


def test_an_operator_registers_with_an_audit_event(office: Office, make_user: MakeUser) -> None:
    service = IncidentService(make_user("operator", Role.OPERATOR))
    first = service.register(
        NewIncident(text="  Яма\u200b на дороге  ", link="https://vk.com/wall-1_2", detected_at=NOW)
    )
    second = service.register(
        NewIncident(text="Нет воды", link="https://t.me/x/1", detected_at=NOW)
    )
    incident = Incident.get_by_id(first)
    assert (incident.number, incident.network, incident.text) == (1, Network.VK, "Яма на дороге")
    assert Incident.get_by_id(second).number == 2
    event = AuditEvent.get(AuditEvent.incident_id == first)
    assert (event.action, event.actor_login) == ("register", "operator")


@pytest.mark.parametrize(
    ("new", "message"),
    [
        (NewIncident(text="   ", link="https://vk.com/wall-1_1", detected_at=NOW), "пуст"),
        (
            NewIncident(text="x" * 50_001, link="https://vk.com/wall-1_1", detected_at=NOW),
            "длиннее",
        ),
        (NewIncident(text="Вопрос", link="https://example.org/1", detected_at=NOW), "соцсеть"),
        (
            NewIncident(
                text="Вопрос", link="https://vk.com/wall-1_1", detected_at=NOW.replace(tzinfo=None)
            ),
            "часового пояса",
        ),
        (
            NewIncident(
                text="Вопрос",
                link="https://vk.com/wall-1_1",
                detected_at=NOW,
                posted_at=NOW + dt.timedelta(minutes=5),
            ),
            "позже",
        ),
    ],
)
def test_bad_input_changes_nothing(
    office: Office, make_user: MakeUser, new: NewIncident, message: str
) -> None:
    service = IncidentService(make_user("operator", Role.OPERATOR))
    before = hashlib.sha256(office.path.read_bytes()).hexdigest()
    with pytest.raises(ValidationError, match=message):
        service.register(new)
    assert hashlib.sha256(office.path.read_bytes()).hexdigest() == before


@pytest.mark.parametrize(
    "role", [Role.EXECUTOR, Role.MANAGER, Role.ADMINISTRATOR, Role.DEPARTMENT_HEAD]
)
def test_other_roles_may_not_register(office: Office, make_user: MakeUser, role: Role) -> None:
    service = IncidentService(make_user("someone", role))
    with pytest.raises(AccessDenied):
        service.register(NewIncident(text="Вопрос", link="https://vk.com/w", detected_at=NOW))
    assert Incident.select().count() == 0


def test_two_editors_race_and_the_second_is_told_who_won(
    office: Office, make_user: MakeUser
) -> None:
    anna = IncidentService(make_user("anna", Role.CURATOR, full_name="Петрова Анна Ивановна"))
    boris = IncidentService(make_user("boris", Role.OPERATOR))
    incident = anna.register(NewIncident(text="Свет", link="https://vk.com/w1", detected_at=NOW))
    seen_by_both = IncidentService.version_of(incident)
    anna.edit(incident, seen_by_both, {"note": "звонили в РЭС"})
    with pytest.raises(ConflictError) as caught:
        boris.edit(incident, seen_by_both, {"note": "моя заметка"})
    assert caught.value.changed_by == "Петрова Анна Ивановна"
    assert Incident.get_by_id(incident).note == "звонили в РЭС"
    assert AuditEvent.select().where(AuditEvent.action == "edit").count() == 1


def test_edit_refuses_fields_outside_the_card(office: Office, make_user: MakeUser) -> None:
    service = IncidentService(make_user("anna", Role.CURATOR))
    incident = service.register(NewIncident(text="Свет", link="https://vk.com/w", detected_at=NOW))
    with pytest.raises(ValidationError, match="status"):
        service.edit(incident, 1, {"status": "answered"})


def test_editing_a_card_deleted_elsewhere_is_a_known_error(
    office: Office, make_user: MakeUser
) -> None:
    from desktop.services.errors import RowDeleted

    service = IncidentService(make_user("anna", Role.CURATOR))
    incident = service.register(NewIncident(text="Свет", link="https://vk.com/w", detected_at=NOW))
    Incident.delete_by_id(incident)
    with pytest.raises(RowDeleted, match="удалили"):
        service.edit(incident, 1, {"note": "x"})
    with pytest.raises(RowDeleted):
        IncidentService.version_of(incident)
