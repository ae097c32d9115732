"""A realistic demo office: departments, staff, topics, places and incidents in every state.

The first start without a configured database opens this, so a newcomer sees a living
queue. Generation is deterministic for a seed and bulk-inserted, so the same code makes the
few dozen incidents of the demo and the 200,000 of the benchmarks.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.models import database
from desktop.models.base import BaseModel
from desktop.models.database import run_write
from desktop.models.entities import (
    Absence,
    Account,
    AnswerVersion,
    Assignment,
    AuditEvent,
    Department,
    Employee,
    EmployeeRole,
    Incident,
    Location,
    Publication,
    Review,
    Step,
    Topic,
)
from desktop.models.enums import (
    AbsenceKind,
    AccountOwner,
    AnswerKind,
    AnswerStatus,
    AssignmentStatus,
    Closure,
    DepartmentKind,
    Importance,
    IncidentSource,
    IncidentStatus,
    LocationKind,
    Network,
    PublicationMode,
    ReturnReason,
    ReviewDecision,
    ReviewStage,
    Role,
    StepKind,
)
from desktop.models.fields import utcnow
from desktop.services.audit import Actor, ChainHead, chain_head, chained_event
from desktop.services.config import DatabaseTarget, TargetOrigin, demo_target
from desktop.services.links import link_key, network_of
from desktop.services.office import Office, open_office
from desktop.services.session import os_login
from desktop.services.settings import put_value

CHUNK = 5000

DEPARTMENTS: list[tuple[str, str, DepartmentKind]] = [
    ("Управление ЖКХ, транспорта и связи", "ЖКХ", DepartmentKind.SECTORAL),
    ("Отдел дорожного хозяйства", "Дороги", DepartmentKind.SECTORAL),
    ("Управление образования", "Образование", DepartmentKind.SECTORAL),
    ("Отдел по вопросам здравоохранения", "Здравоохранение", DepartmentKind.SECTORAL),
    ("Управление социальной защиты населения", "Соцзащита", DepartmentKind.SECTORAL),
    ("Отдел благоустройства и экологии", "Благоустройство", DepartmentKind.SECTORAL),
    ("Отдел культуры, спорта и молодёжной политики", "Культура", DepartmentKind.SECTORAL),
    ("Отдел архитектуры и градостроительства", "Архитектура", DepartmentKind.SECTORAL),
    (
        "Администрация Отрадненского сельского поселения",
        "Отрадненское СП",
        DepartmentKind.TERRITORIAL,
    ),
    (
        "Администрация Спокойненского сельского поселения",
        "Спокойненское СП",
        DepartmentKind.TERRITORIAL,
    ),
    ("Администрация Передового сельского поселения", "Передовое СП", DepartmentKind.TERRITORIAL),
]

# department index (None: the press office), full name, position, roles
STAFF: list[tuple[int | None, str, str, tuple[Role, ...]]] = [
    (
        None,
        "Кузьмина Елена Викторовна",
        "начальник отдела информационной политики",
        (Role.CURATOR, Role.OPERATOR),
    ),
    (
        None,
        "Бондаренко Олег Сергеевич",
        "заместитель начальника отдела информационной политики",
        (Role.CURATOR,),
    ),
    (
        None,
        "Ткаченко Алина Игоревна",
        "специалист отдела информационной политики",
        (Role.OPERATOR,),
    ),
    (
        None,
        "Мельник Денис Андреевич",
        "ведущий специалист по IT",
        (Role.OPERATOR, Role.ADMINISTRATOR),
    ),
    (None, "Савченко Виктор Павлович", "первый заместитель главы района", (Role.MANAGER,)),
    (0, "Гончаренко Ирина Николаевна", "начальник управления ЖКХ", (Role.DEPARTMENT_HEAD,)),
    (0, "Шевченко Артём Владимирович", "главный специалист управления ЖКХ", (Role.EXECUTOR,)),
    (0, "Лысенко Марина Юрьевна", "ведущий специалист управления ЖКХ", (Role.EXECUTOR,)),
    (
        1,
        "Коваль Сергей Иванович",
        "начальник отдела дорожного хозяйства",
        (Role.DEPARTMENT_HEAD, Role.EXECUTOR),
    ),
    (1, "Романенко Юлия Олеговна", "специалист отдела дорожного хозяйства", (Role.EXECUTOR,)),
    (
        2,
        "Кравченко Наталья Петровна",
        "заместитель начальника управления образования",
        (Role.DEPARTMENT_HEAD,),
    ),
    (
        2,
        "Пономаренко Ольга Александровна",
        "главный специалист управления образования",
        (Role.EXECUTOR,),
    ),
    (
        3,
        "Бойко Андрей Николаевич",
        "начальник отдела здравоохранения",
        (Role.EXECUTOR, Role.DEPARTMENT_HEAD),
    ),
    (4, "Литвиненко Галина Васильевна", "начальник управления соцзащиты", (Role.DEPARTMENT_HEAD,)),
    (4, "Зайченко Татьяна Михайловна", "специалист управления соцзащиты", (Role.EXECUTOR,)),
    (
        5,
        "Марченко Игорь Валерьевич",
        "начальник отдела благоустройства",
        (Role.EXECUTOR, Role.DEPARTMENT_HEAD),
    ),
    (
        6,
        "Руденко Светлана Геннадьевна",
        "начальник отдела культуры",
        (Role.EXECUTOR, Role.DEPARTMENT_HEAD),
    ),
    (
        7,
        "Олейник Павел Дмитриевич",
        "главный архитектор района",
        (Role.EXECUTOR, Role.DEPARTMENT_HEAD),
    ),
    (
        8,
        "Яковенко Людмила Ивановна",
        "глава Отрадненского сельского поселения",
        (Role.EXECUTOR, Role.DEPARTMENT_HEAD),
    ),
    (
        9,
        "Демченко Николай Фёдорович",
        "глава Спокойненского сельского поселения",
        (Role.EXECUTOR, Role.DEPARTMENT_HEAD),
    ),
    (
        10,
        "Тарасенко Елизавета Романовна",
        "глава Передового сельского поселения",
        (Role.EXECUTOR, Role.DEPARTMENT_HEAD),
    ),
]

# topic group -> subtopics, and the department index that usually answers
TOPICS: list[tuple[str, list[str], int]] = [
    ("ЖКХ", ["Отопление", "Водоснабжение", "Вывоз мусора", "Электроснабжение"], 0),
    ("Дороги и транспорт", ["Ямочный ремонт", "Уличное освещение", "Общественный транспорт"], 1),
    ("Образование", ["Детские сады", "Школы", "Школьное питание"], 2),
    ("Здравоохранение", ["Запись к врачу", "Лекарственное обеспечение"], 3),
    ("Социальная защита", ["Выплаты и льготы", "Помощь семьям участников СВО"], 4),
    ("Благоустройство", ["Детские площадки", "Бродячие животные", "Озеленение"], 5),
    ("Культура и спорт", ["Дома культуры", "Спортивные секции"], 6),
]

LOCATIONS: list[tuple[str, LocationKind]] = [
    ("ст. Отрадная", LocationKind.CITY),
    ("ст. Спокойная", LocationKind.SETTLEMENT),
    ("ст. Передовая", LocationKind.SETTLEMENT),
    ("ст. Удобная", LocationKind.SETTLEMENT),
    ("ст. Надёжная", LocationKind.SETTLEMENT),
    ("ст. Попутная", LocationKind.SETTLEMENT),
    ("ст. Подгорная", LocationKind.SETTLEMENT),
    ("ст. Малотенгинская", LocationKind.SETTLEMENT),
    ("с. Благодарное", LocationKind.SETTLEMENT),
    ("с. Рудь", LocationKind.SETTLEMENT),
    ("пос. Маяк", LocationKind.SETTLEMENT),
    ("х. Казачий", LocationKind.SETTLEMENT),
]

# subtopic -> message texts ({place} and {street} are filled in)
TEXTS: dict[str, list[str]] = {
    "Отопление": [
        "В доме на ул. {street} в {place} уже неделю холодные батареи, дети болеют. "
        "Когда дадут нормальное отопление?",
        "Почему в школе {place} так холодно? Дети сидят в куртках.",
    ],
    "Водоснабжение": [
        "Третий день нет воды на ул. {street} ({place}). Подвоз обещали и не привезли.",
        "Из крана идёт ржавая вода, {place}, ул. {street}. Куда обращаться?",
    ],
    "Вывоз мусора": [
        "Мусор на ул. {street} не вывозят уже две недели, контейнеры переполнены. {place}.",
        "Когда уберут стихийную свалку за кладбищем в {place}?",
    ],
    "Электроснабжение": [
        "Постоянно отключают свет на ул. {street} в {place}, сгорел холодильник. Кто возместит?"
    ],
    "Ямочный ремонт": [
        "Яма на ул. {street} в {place} размером с бассейн, вчера пробил колесо. Сколько можно?",
        "Дорогу на ул. {street} ({place}) так и не отремонтировали, хотя обещали летом.",
    ],
    "Уличное освещение": [
        "На ул. {street} в {place} не горят фонари, вечером страшно идти с работы.",
        "Когда сделают освещение у остановки в {place}? Дети ходят в темноте.",
    ],
    "Общественный транспорт": [
        "Автобус из {place} в Отрадную утром не пришёл, люди опоздали на работу. Почему?",
        "Верните рейс в 17:40 из {place}, вечером уехать невозможно.",
    ],
    "Детские сады": ["Очередь в детский сад в {place} не двигается второй год. Когда будет место?"],
    "Школы": [
        "В школе {place} протекает крыша в спортзале, занятия отменяют.",
        "Почему в школьном автобусе {place} нет мест для всех детей?",
    ],
    "Школьное питание": ["Дети жалуются на питание в школьной столовой {place}, порции маленькие."],
    "Запись к врачу": [
        "Невозможно записаться к терапевту в амбулатории {place}, телефон не отвечает.",
        "Когда в {place} снова будет принимать педиатр?",
    ],
    "Лекарственное обеспечение": ["Льготные лекарства в аптеке {place} не выдают уже месяц."],
    "Выплаты и льготы": ["Не пришла компенсация за газ, {place}. Куда обратиться пенсионеру?"],
    "Помощь семьям участников СВО": [
        "Я жена участника СВО из {place}, нам обещали помочь с дровами. Когда привезут?"
    ],
    "Детские площадки": [
        "Детская площадка на ул. {street} в {place} сломана, качели опасны для детей."
    ],
    "Бродячие животные": [
        "Стая собак у школы в {place}, нападают на детей! Примите меры.",
        "На ул. {street} ({place}) бродячие собаки, страшно выйти.",
    ],
    "Озеленение": ["Аварийное дерево на ул. {street} в {place} может упасть на провода."],
    "Дома культуры": ["Почему закрыт Дом культуры в {place}? Дети ходили в кружки."],
    "Спортивные секции": ["Сделайте секцию бокса в {place}, детям нечем заняться."],
}

STREETS = [
    "Красная",
    "Первомайская",
    "Ленина",
    "Мира",
    "Советская",
    "Гагарина",
    "Школьная",
    "Садовая",
    "Кооперативная",
    "Октябрьская",
    "Пушкина",
    "Шоссейная",
]
AUTHORS = [
    "Марина Ковалёва",
    "Сергей П.",
    "Наталья Иващенко",
    "Дмитрий Кубанский",
    "Ольга",
    "Александр Чернов",
    "Людмила Васильевна",
    "Иван Гордиенко",
    "mama_troih",
    "Казак_23",
    "Виктория Лысенко",
    "Андрей Семёнов",
    "Татьяна Б.",
    "otradnaya_live",
    "Елена Руденко",
    "Николай Фёдорович",
    "Ирина Ш.",
    "Павел Мороз",
    "Галина Петровна",
    "Юлия Зинченко",
]
ANSWERS = {
    AnswerKind.FINAL: "{name}, здравствуйте! Спасибо за обращение. {department} сообщает: "
    "специалисты выехали на место, работы будут выполнены до конца недели. Если проблема "
    "сохранится, напишите нам, пожалуйста.",
    AnswerKind.INTERIM: "{name}, добрый день! Ваше сообщение взято в работу, {department} "
    "прорабатывает вопрос. О результате сообщим дополнительно в течение 7 рабочих дней.",
}
RETURN_COMMENTS = [
    "Ответ не отвечает на вопрос о сроках, укажите конкретную дату.",
    "Слишком официально, перепишите простым языком.",
    "Не перенаправляйте гражданина в другой орган — ответьте по существу.",
]

HIGH_SHARE = 0.1
OPEN_STATUSES = [s for s in IncidentStatus if s.is_open]


@dataclass
class _Batch:
    """Rows per model, inserted in chunks at the end, with ids assigned up front."""

    rows: dict[type[BaseModel], list[dict[str, Any]]] = field(default_factory=dict)
    next_ids: dict[type[BaseModel], int] = field(default_factory=dict)

    def add(self, model: type[BaseModel], **values: Any) -> int:
        row_id = self.next_ids.get(model, 1)
        self.next_ids[model] = row_id + 1
        self.rows.setdefault(model, []).append({"id": row_id, **values})
        return row_id

    def flush(self) -> None:
        order = [Incident, Assignment, Step, AnswerVersion, Review, Publication, AuditEvent]
        for model in order:
            rows = self.rows.pop(model, [])
            for start in range(0, len(rows), CHUNK):
                _insert(model, rows[start : start + CHUNK])


def _insert(model: type[BaseModel], rows: list[dict[str, Any]]) -> None:
    # insert_many takes its columns from the first row: give every row every key, or
    # values present only in later rows would be dropped without a word.
    keys = list(dict.fromkeys(key for row in rows for key in row))
    complete = [{key: row.get(key, _default(model, key)) for key in keys} for row in rows]
    run_write(lambda: model.insert_many(complete).execute())


def _default(model: type[BaseModel], key: str) -> Any:
    default = model._meta.fields[key].default
    return default() if callable(default) else default


@dataclass
class _Chain:
    """Audit events for bulk insertion, chained exactly as `append_event` chains them."""

    batch: _Batch
    head: ChainHead

    def append(
        self,
        actor_login: str,
        actor_id: int | None,
        entity: str,
        entity_id: int,
        incident_id: int | None,
        action: str,
        at: dt.datetime,
        after: dict[str, Any] | None = None,
    ) -> None:
        values = chained_event(
            self.head,
            Actor(actor_login, actor_id),
            entity=entity,
            entity_id=entity_id,
            action=action,
            incident_id=incident_id,
            after=after,
            at=at,
        )
        self.batch.rows.setdefault(AuditEvent, []).append(values)
        self.head = ChainHead(values["id"], values["hash"])


@dataclass(frozen=True)
class _Office:
    departments: list[int]
    executors: dict[int, list[tuple[int, str]]]  # department id -> (employee id, login)
    curators: list[tuple[int, str]]
    operators: list[tuple[int, str]]
    topics: list[tuple[int, str, int]]  # (topic id, subtopic name, department index)
    locations: list[tuple[int, str]]
    accounts: list[int]


def _login_of(full_name: str) -> str:
    table = str.maketrans(
        {
            "а": "a",
            "б": "b",
            "в": "v",
            "г": "g",
            "д": "d",
            "е": "e",
            "ё": "e",
            "ж": "zh",
            "з": "z",
            "и": "i",
            "й": "y",
            "к": "k",
            "л": "l",
            "м": "m",
            "н": "n",
            "о": "o",
            "п": "p",
            "р": "r",
            "с": "s",
            "т": "t",
            "у": "u",
            "ф": "f",
            "х": "kh",
            "ц": "ts",
            "ч": "ch",
            "ш": "sh",
            "щ": "shch",
            "ъ": "",
            "ы": "y",
            "ь": "",
            "э": "e",
            "ю": "yu",
            "я": "ya",
        }
    )
    surname, name, patronymic = full_name.casefold().split()
    return f"{surname.translate(table)}.{name[0].translate(table)}{patronymic[0].translate(table)}"


def _office_reference(login: str, now: dt.datetime) -> _Office:
    put_value("office_name", "Администрация Отрадненского района")
    put_value("timezone", "Europe/Moscow")
    put_value("regulation", "otradnensky-2021")
    departments = [
        Department.create(name=name, short_name=short, kind=kind, sort_order=i, updated_by=login).id
        for i, (name, short, kind) in enumerate(DEPARTMENTS)
    ]
    executors: dict[int, list[tuple[int, str]]] = {d: [] for d in departments}
    curators, operators = [], []
    employee_ids = []
    for dept_index, full_name, position, roles in STAFF:
        staff_login = _login_of(full_name)
        employee = Employee.create(
            full_name=full_name,
            position=position,
            os_login=staff_login,
            department=None if dept_index is None else departments[dept_index],
            email=f"{staff_login}@otradnaya-adm.ru",
            updated_by=login,
        )
        employee_ids.append(employee.id)
        for role in roles:
            EmployeeRole.create(employee=employee, role=role)
        if Role.EXECUTOR in roles and dept_index is not None:
            executors[departments[dept_index]].append((employee.id, staff_login))
        if Role.CURATOR in roles:
            curators.append((employee.id, staff_login))
        if Role.OPERATOR in roles:
            operators.append((employee.id, staff_login))
    for dept, people in executors.items():  # heads answer when a department has no executor
        if not people:
            head = Employee.get(Employee.department == dept)
            EmployeeRole.create(employee=head, role=Role.EXECUTOR)
            people.append((head.id, head.os_login))
    me = Employee.get_or_none(Employee.os_login == login) or Employee.create(
        full_name=f"Демо-пользователь ({login})",
        position="куратор (демонстрация)",
        os_login=login,
        updated_by=login,
    )
    for role in (Role.ADMINISTRATOR, Role.CURATOR, Role.OPERATOR):
        EmployeeRole.insert(employee=me, role=role).on_conflict_ignore().execute()
    today = now.date()
    Absence.create(
        employee=employee_ids[6],
        starts_on=today - dt.timedelta(days=3),
        ends_on=today + dt.timedelta(days=10),
        kind=AbsenceKind.VACATION,
        substitute=employee_ids[7],
        updated_by=login,
    )
    Absence.create(
        employee=employee_ids[11],
        starts_on=today + dt.timedelta(days=14),
        ends_on=today + dt.timedelta(days=20),
        kind=AbsenceKind.BUSINESS_TRIP,
        substitute=employee_ids[10],
        updated_by=login,
    )
    topics = []
    for group, subtopics, dept_index in TOPICS:
        parent = Topic.create(name=group, updated_by=login)
        for sub in subtopics:
            topics.append(
                (Topic.create(name=sub, parent=parent, updated_by=login).id, sub, dept_index)
            )
    center = None
    locations = []
    for name, kind in LOCATIONS:
        place = Location.create(name=name, kind=kind, parent=center, updated_by=login)
        center = center or place
        locations.append((place.id, name))
    accounts = [
        Account.create(network=network, name=name, url=url, owner=owner, updated_by=login).id
        for network, name, url, owner in [
            (
                Network.VK,
                "Администрация Отрадненского района",
                "https://vk.com/otradnaya_adm",
                AccountOwner.ADMINISTRATION,
            ),
            (
                Network.OK,
                "Администрация Отрадненского района",
                "https://ok.ru/otradnaya.adm",
                AccountOwner.ADMINISTRATION,
            ),
            (
                Network.TELEGRAM,
                "Глава Отрадненского района",
                "https://t.me/glava_otradnaya",
                AccountOwner.HEAD,
            ),
            (
                Network.TELEGRAM,
                "Губернатор Краснодарского края",
                "https://t.me/kondratyevvi",
                AccountOwner.GOVERNOR,
            ),
            (
                Network.MAX,
                "Отрадненский район",
                "https://max.ru/otradnaya",
                AccountOwner.ADMINISTRATION,
            ),
        ]
    ]
    return _Office(departments, executors, curators, operators, topics, locations, accounts)


def _statuses(count: int, rng: random.Random) -> Iterator[IncidentStatus]:
    every = list(IncidentStatus)
    weights = [12, 14, 3, 3, 8, 4, 4, 5, 40, 3, 4]  # most of a real archive is answered
    for i in range(count):
        yield every[i % len(every)] if i < 3 * len(every) else rng.choices(every, weights)[0]


def _link(network: Network, rng: random.Random, n: int) -> tuple[str, str]:
    match network:
        case Network.VK:
            group = rng.choice(["otradnaya_adm", "club21345", "otradnaya_live"])
            return f"https://vk.com/wall-{rng.randint(10**6, 10**8)}_{n}", f"https://vk.com/{group}"
        case Network.OK:
            return (
                f"https://ok.ru/group/{rng.randint(10**10, 10**11)}/topic/{n}",
                f"https://ok.ru/profile/{rng.randint(10**8, 10**9)}",
            )
        case Network.TELEGRAM:
            channel = rng.choice(["glava_otradnaya", "otradnaya_news", "kondratyevvi"])
            return f"https://t.me/{channel}/{n}", f"https://t.me/{channel}"
        case _:
            return f"https://max.ru/otradnaya/{n}", "https://max.ru/otradnaya"


def fill_demo_data(login: str, *, now: dt.datetime, incidents: int = 60, seed: int = 7) -> None:
    """Fill the bound, migrated, empty database. `now` is aware UTC."""
    rng = random.Random(seed)
    office = run_write(lambda: _office_reference(login, now))
    batch = _Batch()
    chain = _Chain(batch, chain_head())
    networks = [Network.VK] * 5 + [Network.OK] * 2 + [Network.TELEGRAM] * 3 + [Network.MAX]
    for n, status in enumerate(_statuses(incidents, rng), start=1):
        _Story(batch, chain, office, rng, n, status, now).tell(rng.choice(networks))
    batch.flush()


# How far each state got along the workflow.
_ROUTED = frozenset(IncidentStatus) - {IncidentStatus.NEW}
_DRAFTED = frozenset(
    {
        IncidentStatus.ON_APPROVAL,
        IncidentStatus.REWORK,
        IncidentStatus.APPROVED,
        IncidentStatus.INTERIM,
        IncidentStatus.ANSWERED,
    }
)
_PUBLISHED = frozenset({IncidentStatus.INTERIM, IncidentStatus.ANSWERED})
_CLOSED_UNANSWERED = frozenset({IncidentStatus.NOT_TO_ANSWER, IncidentStatus.OFFICIAL_APPEAL})


class _Story:
    """One incident's life up to its demo state, as rows and audit events."""

    def __init__(
        self,
        batch: _Batch,
        chain: _Chain,
        office: _Office,
        rng: random.Random,
        number: int,
        status: IncidentStatus,
        now: dt.datetime,
    ) -> None:
        self.batch, self.chain, self.office, self.rng = batch, chain, office, rng
        self.id = number
        self.status = status
        self.now = now
        self.operator = rng.choice(office.operators)
        self.curator = rng.choice(office.curators)
        self.row: dict[str, Any] = {}

    def _minutes(self, low: int, high: int) -> dt.timedelta:
        return dt.timedelta(minutes=self.rng.randint(low, high))

    def _event(
        self,
        who: tuple[int, str],
        action: str,
        at: dt.datetime,
        entity: str = "incident",
        entity_id: int | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        employee_id, login = who
        self.chain.append(
            login, employee_id, entity, entity_id or self.id, self.id, action, at, after
        )

    def _step(
        self,
        kind: StepKind,
        start: dt.datetime,
        due: dt.datetime,
        done: dt.datetime | None,
        rule: str,
        **extra: Any,
    ) -> dict[str, Any]:
        self.batch.add(
            Step,
            incident=self.id,
            kind=kind,
            started_at=start,
            due_at=due,
            done_at=done,
            rule=rule,
            **extra,
        )
        return self.batch.rows[Step][-1]

    def tell(self, network: Network) -> None:
        detected = self.register(network)
        if self.status in _ROUTED and not (
            self.status in _CLOSED_UNANSWERED and self.rng.random() < 0.5
        ):
            routed = self.route(detected)
            if self.status in _DRAFTED:
                self.draft_review_publish(routed)
        if self.status in _CLOSED_UNANSWERED:
            self.close(detected)
        if self.status is IncidentStatus.ANSWERED and self.id > 20 and self.rng.random() < 0.15:
            self.row["repeat_of"] = self.rng.randint(1, self.id - 1)
        self.batch.rows.setdefault(Incident, []).append({"id": self.id, **self.row})

    def register(self, network: Network) -> dt.datetime:
        rng, office = self.rng, self.office
        topic_id, subtopic, self.dept_index = rng.choice(office.topics)
        location_id, place = rng.choice(office.locations)
        self.author = rng.choice(AUTHORS)
        text = rng.choice(TEXTS[subtopic]).format(place=place, street=rng.choice(STREETS))
        self.link, author_url = _link(network, rng, self.id)
        assert network_of(self.link) == network
        importance = Importance.HIGH if rng.random() < HIGH_SHARE else Importance.NORMAL
        if self.status.is_open:  # recent, so the queue shows calm, urgent and overdue rows
            detected = self.now - self._minutes(5, 11 * 60)
        else:
            detected = self.now - dt.timedelta(days=rng.uniform(0.5, 21))
        detected = detected.replace(microsecond=0)
        self.answer_due = detected + dt.timedelta(hours=4 if importance is Importance.HIGH else 8)
        self.row = {
            "number": self.id,
            "source": IncidentSource.MONITORING
            if rng.random() < 0.7
            else IncidentSource.OWN_SEARCH,
            "external_number": f"ИМ-2026-{100000 + self.id}" if self.id % 10 < 7 else "",
            "network": network,
            "account": rng.choice(office.accounts) if rng.random() < 0.6 else None,
            "link": self.link,
            "link_key": link_key(self.link),
            "author_name": self.author,
            "author_url": author_url,
            "text": text,
            "posted_at": detected - self._minutes(3, 180),
            "detected_at": detected,
            "importance": importance,
            "topic": topic_id,
            "location": location_id,
            "status": self.status,
            "regulation": "otradnensky-2021",
            "answer_due_at": self.answer_due,
            "registered_by": self.operator[0],
            "curator": self.curator[0],
            "updated_by": self.operator[1],
            "updated_at": detected,
        }
        if importance is Importance.HIGH and rng.random() < 0.8:
            self.row["manager_notified_at"] = detected + self._minutes(2, 15)
        self._event(self.operator, "register", detected, after={"number": self.id})
        self.answer_step = self._step(
            StepKind.ANSWER, detected, self.answer_due, None, "п. 12 Порядка"
        )
        self.route_due = detected + dt.timedelta(minutes=30)
        if self.status is IncidentStatus.NEW:
            self._step(
                StepKind.ROUTE,
                detected,
                self.route_due,
                None,
                "п. 6 Порядка",
                responsible=self.curator[0],
            )
        return detected

    def route(self, detected: dt.datetime) -> dt.datetime:
        routed = detected + self._minutes(5, 40)
        self._step(
            StepKind.ROUTE,
            detected,
            self.route_due,
            routed,
            "п. 6 Порядка",
            responsible=self.curator[0],
        )
        departments = [self.office.departments[self.dept_index]]
        if self.rng.random() < 0.2:
            departments.append(self.rng.choice(self.office.departments[8:]))  # a territory too
        state = {
            IncidentStatus.ROUTED: AssignmentStatus.IN_WORK,
            IncidentStatus.RETURNED: AssignmentStatus.RETURNED,
        }.get(self.status, AssignmentStatus.DONE)
        first = True
        for position, department in enumerate(dict.fromkeys(departments)):
            executor = self.rng.choice(self.office.executors[department])
            assignment = self.batch.add(
                Assignment,
                incident=self.id,
                department=department,
                executor=executor[0],
                position=position,
                is_consolidator=first,
                status=state,
                routed_at=routed,
                updated_at=routed,
                updated_by=self.curator[1],
                return_reason="Вопрос относится к ведению регионального министерства"
                if state is AssignmentStatus.RETURNED
                else "",
            )
            if first:
                self.assignment, self.department, self.executor = assignment, department, executor
                first = False
        self._event(self.curator, "route", routed, after={"departments": departments})
        draft_done = None if self.status not in _DRAFTED else routed + self._minutes(40, 240)
        self._step(
            StepKind.DRAFT,
            routed,
            self.answer_due - dt.timedelta(hours=3),
            draft_done,
            "п. 13 Порядка",
            assignment=self.assignment,
            responsible=self.executor[0],
            department=self.department,
        )
        if self.status is IncidentStatus.RETURNED:
            self._event(
                self.executor,
                "return_not_competent",
                routed + self._minutes(10, 25),
                entity="assignment",
                entity_id=self.assignment,
            )
        if self.status is IncidentStatus.CLARIFICATION:
            self.ask_clarification(routed)
        return draft_done or routed

    def ask_clarification(self, routed: dt.datetime) -> None:
        asked = routed + self._minutes(15, 45)
        self._step(
            StepKind.CLARIFICATION,
            routed,
            routed + dt.timedelta(hours=1),
            asked,
            "п. 10 Порядка",
            assignment=self.assignment,
            responsible=self.executor[0],
            department=self.department,
        )
        self.batch.add(
            AnswerVersion,
            incident=self.id,
            assignment=self.assignment,
            kind=AnswerKind.CLARIFICATION,
            number=1,
            status=AnswerStatus.PUBLISHED,
            text=f"{self.author}, уточните, пожалуйста, номер дома и с какого числа проблема?",
            author=self.executor[0],
            created_at=asked,
            submitted_at=asked,
            updated_at=asked,
            updated_by=self.executor[1],
        )
        self._event(self.executor, "clarification", asked)

    def _answer(
        self, kind: AnswerKind, number: int, status: AnswerStatus, text: str, at: dt.datetime
    ) -> int:
        return self.batch.add(
            AnswerVersion,
            incident=self.id,
            assignment=self.assignment,
            kind=kind,
            number=number,
            status=status,
            text=text,
            author=self.executor[0],
            created_at=at,
            submitted_at=at,
            updated_at=at,
            updated_by=self.executor[1],
        )

    def draft_review_publish(self, submitted: dt.datetime) -> None:
        kind = AnswerKind.INTERIM if self.status is IncidentStatus.INTERIM else AnswerKind.FINAL
        department_name = DEPARTMENTS[self.office.departments.index(self.department)][0]
        version = 1
        if self.status is IncidentStatus.REWORK or (
            self.status is not IncidentStatus.INTERIM and self.rng.random() < 0.3
        ):
            submitted = self.return_for_rework(kind, department_name, submitted)
            version = 2
        if self.status is IncidentStatus.REWORK:
            return
        answer_status = {
            IncidentStatus.ON_APPROVAL: AnswerStatus.SUBMITTED,
            IncidentStatus.APPROVED: AnswerStatus.APPROVED,
        }.get(self.status, AnswerStatus.PUBLISHED)
        text = ANSWERS[kind].format(name=self.author.split()[0], department=department_name)
        answer = self._answer(kind, version, answer_status, text, submitted)
        self._event(self.executor, "submit", submitted, "answer_version", answer)
        reviewed = None
        if self.status is not IncidentStatus.ON_APPROVAL:
            reviewed = submitted + self._minutes(5, 35)
        self._step(
            StepKind.REVIEW,
            submitted,
            submitted + dt.timedelta(minutes=30),
            reviewed,
            "п. 14 Порядка",
            responsible=self.curator[0],
        )
        if reviewed is None:
            return
        self.batch.add(
            Review,
            answer=answer,
            stage=ReviewStage.CURATOR,
            reviewer=self.curator[0],
            decision=ReviewDecision.APPROVE,
            reasons=[],
            comment="",
            decided_at=reviewed,
        )
        self._event(self.curator, "approve", reviewed, "answer_version", answer)
        published = None
        if self.status in _PUBLISHED:
            published = reviewed + self._minutes(3, 40)
            self.publish(answer, published)
        self._step(
            StepKind.PUBLISH,
            reviewed,
            reviewed + dt.timedelta(minutes=30),
            published,
            "п. 16 Порядка",
            responsible=self.executor[0],
        )

    def return_for_rework(
        self, kind: AnswerKind, department_name: str, submitted: dt.datetime
    ) -> dt.datetime:
        returned = submitted + self._minutes(5, 30)
        first = self._answer(
            kind,
            1,
            AnswerStatus.RETURNED,
            f"Ваше обращение рассмотрено. {department_name} в настоящее время осуществляет "
            "мероприятия.",
            submitted,
        )
        reasons = [
            r.value for r in self.rng.sample(list(ReturnReason)[:4], k=self.rng.randint(1, 2))
        ]
        self.batch.add(
            Review,
            answer=first,
            stage=ReviewStage.CURATOR,
            reviewer=self.curator[0],
            decision=ReviewDecision.RETURN,
            reasons=reasons,
            comment=self.rng.choice(RETURN_COMMENTS),
            decided_at=returned,
        )
        resubmitted = returned + dt.timedelta(minutes=45)
        self._step(
            StepKind.REWORK,
            returned,
            returned + dt.timedelta(hours=1),
            None if self.status is IncidentStatus.REWORK else resubmitted,
            "п. 15 Порядка",
            assignment=self.assignment,
            responsible=self.executor[0],
            department=self.department,
        )
        self._event(
            self.curator, "return", returned, "answer_version", first, after={"reasons": reasons}
        )
        return resubmitted

    def publish(self, answer: int, published: dt.datetime) -> None:
        self.batch.add(
            Publication,
            incident=self.id,
            answer=answer,
            mode=PublicationMode.PUBLIC_COMMENT,
            url=f"{self.link}?reply={self.rng.randint(1000, 99999)}",
            published_at=published,
            published_by=self.executor[0],
        )
        self._event(self.executor, "publish", published)
        self.row["answered_at"] = published
        if self.status is IncidentStatus.ANSWERED:
            self.answer_step["done_at"] = published
        else:  # interim: the final answer is due within the regulation's working days
            self._step(
                StepKind.FINAL_AFTER_INTERIM,
                published,
                published + dt.timedelta(days=9),
                None,
                "п. 17 Порядка",
                responsible=self.executor[0],
                department=self.department,
            )

    def close(self, detected: dt.datetime) -> None:
        if self.status is IncidentStatus.NOT_TO_ANSWER:
            closed = detected + self._minutes(10, 60)
            self.row.update(
                closure=Closure.NOT_TO_ANSWER,
                closure_note="Сообщение содержит нецензурную брань и оскорбления",
            )
        else:
            closed = detected + dt.timedelta(hours=self.rng.randint(1, 6))
            self.row.update(
                closure=Closure.OFFICIAL_APPEAL,
                closure_note="С согласия автора зарегистрировано как обращение гражданина",
                appeal_number=f"ОГ-{self.rng.randint(100, 9999)}",
                appeal_date=closed.date(),
            )
        self._event(self.curator, "close", closed, after={"closure": self.row["closure"].value})


def create_demo_database(
    path: Path, *, incidents: int = 60, seed: int = 7, login: str | None = None
) -> None:
    """A new file at `path`, filled with demo data; left closed and unbound."""
    path.parent.mkdir(parents=True, exist_ok=True)
    who = login or os_login()
    open_office(
        DatabaseTarget(str(path), TargetOrigin.COMMAND_LINE),
        create=True,
        on_created=lambda: fill_demo_data(who, now=utcnow(), incidents=incidents, seed=seed),
    )
    database.bind(None)


def open_demo_office() -> Office:
    """The embedded default database; created and filled on the first start."""
    target = demo_target()
    target.path.parent.mkdir(parents=True, exist_ok=True)
    return open_office(
        target,
        create=True,
        on_created=lambda: fill_demo_data(os_login(), now=utcnow()),
    )
