"""«Темы», «Территории», «Аккаунты»: add, rename, regroup, archive what messages refer to."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from desktop.models.entities import Account, Incident, Location, Topic
from desktop.models.enums import AccountOwner, LocationKind, Network, Role
from desktop.services.accounts import (
    AccountInput,
    add_account,
    list_accounts,
    remove_account,
    set_account_active,
    update_account,
)
from desktop.services.departments import DepartmentInput, add_department
from desktop.services.directory import directory
from desktop.services.errors import AccessDenied, ConflictError, ValidationError
from desktop.services.locations import (
    LocationInput,
    add_location,
    list_locations,
    remove_location,
    update_location,
)
from desktop.services.office import Office
from desktop.services.session import CurrentUser, identify
from desktop.services.topics import (
    TopicInput,
    add_topic,
    list_topics,
    remove_topic,
    set_topic_active,
    update_topic,
)

MakeUser = Callable[..., CurrentUser]
NOW = dt.datetime(2025, 3, 12, 7, 0, tzinfo=dt.UTC)


@pytest.fixture
def admin(office: Office) -> CurrentUser:
    return identify("tester")


def incident(**fields: object) -> None:
    number = Incident.select().count() + 1
    Incident.create(number=number, network=Network.VK, text="Текст", detected_at=NOW, **fields)


# --- topics --------------------------------------------------------------------------------


def test_topics_in_groups(admin: CurrentUser) -> None:
    roads = add_topic(admin, TopicInput("Дороги"))
    pits = add_topic(admin, TopicInput("Ямочный ремонт", roads))
    add_topic(admin, TopicInput("Освещение", roads))
    assert [t.path for t in list_topics()] == [
        "Дороги",
        "Дороги / Освещение",
        "Дороги / Ямочный ремонт",
    ]
    update_topic(admin, pits, 1, TopicInput("Ремонт покрытия", roads))
    assert "Дороги / Ремонт покрытия" in [c.name for c in directory().topics]


@pytest.mark.parametrize(
    ("name", "parent", "message"),
    [
        ("", None, "Укажите название темы"),
        ("Дороги / Ямы", None, "без «/»"),
        ("ДОРОГИ", None, "уже есть"),
        ("Ямы", 999, "группы больше нет"),
    ],
)
def test_bad_topics_are_refused(
    admin: CurrentUser, name: str, parent: int | None, message: str
) -> None:
    add_topic(admin, TopicInput("Дороги"))
    with pytest.raises(ValidationError, match=message):
        add_topic(admin, TopicInput(name, parent))
    assert len(list_topics()) == 1


def test_a_topic_cannot_go_inside_itself(admin: CurrentUser) -> None:
    roads = add_topic(admin, TopicInput("Дороги"))
    pits = add_topic(admin, TopicInput("Ямы", roads))
    with pytest.raises(ValidationError, match="сама в себя"):
        update_topic(admin, roads, 1, TopicInput("Дороги", pits))
    with pytest.raises(ValidationError, match="сама в себя"):
        update_topic(admin, roads, 1, TopicInput("Дороги", roads))


def test_a_topic_messages_refer_to_is_archived(admin: CurrentUser) -> None:
    roads = add_topic(admin, TopicInput("Дороги"))
    pits = add_topic(admin, TopicInput("Ямы", roads))
    typo = add_topic(admin, TopicInput("Ямыы", roads))
    incident(topic=pits)
    assert not remove_topic(admin, typo, 1).archived
    removal = remove_topic(admin, pits, 1)
    assert removal.uses == ("1 сообщение",)
    assert remove_topic(admin, roads, 1).uses == ("1 тема группы",)
    assert Topic.select().count() == 2  # nothing the message names was deleted
    assert Incident.get().topic_id == pits
    assert directory().topics == ()
    set_topic_active(admin, pits, 2, True)
    assert [c.name for c in directory().topics] == ["Ямы"]  # its group is archived


def test_topics_are_kept_by_an_administrator(admin: CurrentUser, make_user: MakeUser) -> None:
    roads = add_topic(admin, TopicInput("Дороги"))
    operator = make_user("operator", Role.OPERATOR)
    with pytest.raises(AccessDenied):
        add_topic(operator, TopicInput("Ямы"))
    with pytest.raises(AccessDenied):
        remove_topic(operator, roads, 1)
    with pytest.raises(ConflictError):
        update_topic(admin, roads, 7, TopicInput("Дороги и мосты"))


# --- locations -----------------------------------------------------------------------------


def test_places_belong_to_the_district(admin: CurrentUser) -> None:
    district = add_location(admin, LocationInput("Отрадненский район", LocationKind.DISTRICT))
    village = add_location(admin, LocationInput("ст. Спокойная", LocationKind.SETTLEMENT, district))
    rows = list_locations()
    assert [(r.path, r.kind) for r in rows] == [
        ("Отрадненский район", LocationKind.DISTRICT),
        ("Отрадненский район / ст. Спокойная", LocationKind.SETTLEMENT),
    ]
    update_location(admin, village, 1, LocationInput("ст. Спокойная", LocationKind.CITY, None))
    assert list_locations()[1].kind is LocationKind.CITY
    incident(location=village)
    assert remove_location(admin, village, 2).archived
    assert Location.get_by_id(village).active is False
    assert not remove_location(admin, district, 1).archived  # nothing refers to it now


def test_bad_places_are_refused(admin: CurrentUser) -> None:
    with pytest.raises(ValidationError, match="Укажите название территории"):
        add_location(admin, LocationInput(""))
    add_location(admin, LocationInput("х. Казачий"))
    with pytest.raises(ValidationError, match="уже есть"):
        add_location(admin, LocationInput("Х. казачий"))


# --- accounts ------------------------------------------------------------------------------


def test_accounts_of_the_office(admin: CurrentUser) -> None:
    culture = add_department(admin, DepartmentInput("Отдел культуры"))
    add_account(
        admin,
        AccountInput(Network.VK, "Администрация района", "vk.com/otradnaya_adm"),
    )
    page = add_account(
        admin,
        AccountInput(
            Network.TELEGRAM,
            "Культура Отрадной",
            "https://t.me/culture",
            AccountOwner.DEPARTMENT,
            culture,
        ),
    )
    rows = list_accounts()
    assert [(r.network, r.name, r.url) for r in rows] == [
        (Network.VK, "Администрация района", "https://vk.com/otradnaya_adm"),
        (Network.TELEGRAM, "Культура Отрадной", "https://t.me/culture"),
    ]
    assert rows[1].department == "Отдел культуры"
    update_account(
        admin,
        page,
        1,
        AccountInput(Network.TELEGRAM, "Культура", "https://t.me/culture", AccountOwner.HEAD),
    )
    assert list_accounts()[1].owner is AccountOwner.HEAD


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (AccountInput(Network.VK, " "), "Укажите название аккаунта"),
        (AccountInput(Network.VK, "Стр", "не ссылка"), "не похожа на адрес"),
        (AccountInput(Network.TELEGRAM, "Стр", "https://vk.com/x"), "ведёт в «ВКонтакте»"),
        (AccountInput(Network.VK, "Стр", owner=AccountOwner.DEPARTMENT), "какого отдела"),
        (AccountInput(Network.VK, "Дубль", "https://www.VK.com/adm/"), "уже записана"),
    ],
)
def test_bad_accounts_are_refused(admin: CurrentUser, data: AccountInput, message: str) -> None:
    add_account(admin, AccountInput(Network.VK, "Администрация", "https://vk.com/adm"))
    with pytest.raises(ValidationError, match=message):
        add_account(admin, data)
    assert len(list_accounts()) == 1


def test_an_account_messages_came_from_is_archived(admin: CurrentUser, make_user: MakeUser) -> None:
    used = add_account(admin, AccountInput(Network.VK, "Администрация"))
    unused = add_account(admin, AccountInput(Network.OK, "Одноклассники"))
    incident(account=used)
    curator = make_user("curator", Role.CURATOR)
    with pytest.raises(AccessDenied):
        remove_account(curator, used, 1)
    assert remove_account(admin, used, 1).uses == ("1 сообщение",)
    assert not remove_account(admin, unused, 1).archived
    assert [a.name for a in Account.select()] == ["Администрация"]
    assert directory().accounts == ()
    set_account_active(admin, used, 2, True)
    assert [a.name for a in directory().accounts] == ["Администрация"]
    assert list_accounts()[0].incidents == 1
