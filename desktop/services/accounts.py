"""Accounts («Аккаунты»): the official pages of the administration, the head, the governor
and departments in social networks, where messages are found and answers are posted."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

import peewee

from desktop.models.database import reads, run_write
from desktop.models.entities import Account, Department, Incident
from desktop.models.enums import AccountOwner, Network
from desktop.services.audit import append_event
from desktop.services.catalog import (
    Removal,
    clean_text,
    count_words,
    raw_key,
    remove_or_archive,
    set_active,
    update_row,
)
from desktop.services.errors import ValidationError
from desktop.services.links import link_key, network_of
from desktop.services.permissions import Action
from desktop.services.session import CurrentUser
from desktop.services.titles import NETWORK_TITLES

ACCOUNT_OWNER_TITLES: dict[AccountOwner, str] = {
    AccountOwner.ADMINISTRATION: "администрация",
    AccountOwner.HEAD: "глава",
    AccountOwner.GOVERNOR: "губернатор",
    AccountOwner.DEPARTMENT: "отдел",
}
_URL = re.compile(r"^(https?://)?[^\s/]+\.[^\s/]+(/\S*)?$", re.IGNORECASE)
_WHAT = "Аккаунт"


@dataclass(frozen=True)
class AccountRow:
    id: int
    network: Network
    name: str
    url: str
    owner: AccountOwner
    department_id: int | None
    department: str
    active: bool
    version: int
    incidents: int = 0


@dataclass(frozen=True)
class AccountInput:
    network: Network
    name: str
    url: str = ""
    owner: AccountOwner = AccountOwner.ADMINISTRATION
    department_id: int | None = None


@reads
def list_accounts() -> list[AccountRow]:
    """Every account, archived ones too, by network and name."""
    departments = {d.id: d.name for d in Department.select(Department.id, Department.name)}
    query = (
        Incident.select(Incident.account, peewee.fn.COUNT(Incident.id))
        .where(Incident.account.is_null(False))
        .group_by(Incident.account)
        .tuples()
    )
    usage = {int(key): int(n) for key, n in cast(Iterable[tuple[int, int]], query)}
    rows = []
    for account in Account.select().order_by(Account.name):
        department_id = raw_key(account, "department")
        rows.append(
            AccountRow(
                id=account.id,
                network=account.network,
                name=account.name,
                url=account.url,
                owner=account.owner,
                department_id=department_id,
                department=departments.get(department_id, "") if department_id else "",
                active=account.active,
                version=account.version,
                incidents=usage.get(account.id, 0),
            )
        )
    order = list(Network)
    return sorted(rows, key=lambda row: (order.index(row.network), row.name.casefold()))


def _checked(data: AccountInput) -> dict[str, object]:
    name = clean_text(data.name, "Название аккаунта", required="Укажите название аккаунта.")
    url = "".join(data.url.split())
    if len(url) > 500:
        raise ValidationError("Ссылка на аккаунт: не длиннее 500 символов.")
    if url and not _URL.match(url):
        raise ValidationError(f"Ссылка «{url}» не похожа на адрес страницы: https://vk.com/…")
    if url and "://" not in url:
        url = f"https://{url}"
    network = Network(data.network)
    linked = network_of(url) if url else None
    if linked is not None and linked is not network:
        raise ValidationError(
            f"Ссылка ведёт в «{NETWORK_TITLES[linked]}», а выбрано «{NETWORK_TITLES[network]}»."
        )
    owner = AccountOwner(data.owner)
    if owner is AccountOwner.DEPARTMENT and data.department_id is None:
        raise ValidationError("Страница отдела: выберите, какого отдела.")
    return {
        "network": network,
        "name": name,
        "url": url,
        "owner": owner,
        "department": data.department_id,
    }


def _check_references(values: dict[str, object], other_than: int | None = None) -> None:
    department_id = values["department"]
    if department_id is not None and not (
        Department.select().where(Department.id == department_id).exists()
    ):
        raise ValidationError("Выбранного отдела больше нет; обновите список.")
    url = str(values["url"])
    if not url:
        return
    key = link_key(url)
    query = Account.select(Account.name, Account.url).where(Account.url != "")
    if other_than is not None:
        query = query.where(Account.id != other_than)
    for other in query:
        if link_key(other.url) == key:
            raise ValidationError(f"Эта ссылка уже записана у аккаунта «{other.name}».")


def add_account(user: CurrentUser, data: AccountInput) -> int:
    user.require(Action.MANAGE_SETTINGS)
    values = _checked(data)

    def insert() -> int:
        _check_references(values)
        row = Account.create(**values, updated_by=user.login)
        append_event(
            user.actor,
            entity="account",
            entity_id=row.id,
            action="add",
            after={key: value if value is None else str(value) for key, value in values.items()},
        )
        return int(row.id)

    return run_write(insert)


def update_account(user: CurrentUser, account_id: int, version: int, data: AccountInput) -> int:
    user.require(Action.MANAGE_SETTINGS)
    values = _checked(data)

    def write() -> int:
        _check_references(values, other_than=account_id)
        return update_row(user, Account, account_id, version, values, action="edit", what=_WHAT)

    return run_write(write)


def _uses(account: Account) -> list[str]:
    incidents = Incident.select().where(Incident.account == account.id).count()
    return [count_words(incidents, "сообщение", "сообщения", "сообщений")] if incidents else []


def remove_account(user: CurrentUser, account_id: int, version: int) -> Removal:
    """Delete an account no message came from; archive one that messages refer to."""
    user.require(Action.MANAGE_SETTINGS)
    return run_write(
        lambda: remove_or_archive(user, Account, account_id, version, uses=_uses, what=_WHAT)
    )


def set_account_active(user: CurrentUser, account_id: int, version: int, active: bool) -> int:
    user.require(Action.MANAGE_SETTINGS)
    return run_write(lambda: set_active(user, Account, account_id, version, active, what=_WHAT))
