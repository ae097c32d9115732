"""A realistic demo office: departments, staff, topics, places and incidents in every state.

The first start without a configured database opens this, so a newcomer sees a living
queue. Generation is deterministic for a seed and streamed to the database in bulk, so the
same code makes the sixty incidents of the demo and the 200,000 of the benchmark.

Deadlines follow the Отрадненский Порядок (preset `otradnensky-2021`) in the office's
working time: the default office hours (Monday to Friday, 9:00–13:00 and 14:00–18:00 Moscow
time) on the Russian production calendar of the working-time engine. Every moment of an
incident's life is first an ordinal of working minutes (`_WorkClock`), so "8 working hours
after detection" is an addition and every event lands in office hours.

How an incident is built:
1. a plan per incident: its state, importance and the working minutes from detection to
   each milestone of its life, then how long ago it was detected (open incidents are
   recent — calm, close to their deadline or overdue; closed ones spread over three weeks);
2. plans sorted by detection, so the running number follows time, as in a real office;
3. each plan told as rows (incident, assignments, steps, answer versions, reviews,
   publications) and audit events. Events wait in a heap and are chained in time order,
   with the hashes `append_event` would compute, so `verify_chain` accepts the log.

Rows are converted to their stored form as they are made and written with `executemany`
in `run_write` transactions of at most `ROWS_PER_TRANSACTION` rows: one statement per row
keeps clear of the bound-variable limit (SQLite's default 32766; Debian raises it), which
a multi-row `insert_many` of the 34-column incident table passes at 964 rows.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import heapq
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

import peewee
from playhouse.fields import EnumField

from desktop.models import database
from desktop.models.base import BaseModel
from desktop.models.database import bound_database, run_read, run_write
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
from desktop.models.fields import JsonField, UtcDateTimeField, utcnow
from desktop.services.audit import Actor, ChainHead, append_event, chain_head, chained_event
from desktop.services.config import DatabaseTarget, TargetOrigin, demo_target
from desktop.services.links import link_key, network_of
from desktop.services.office import Office, open_office
from desktop.services.session import normalize_login, os_login
from desktop.services.settings import put_value
from desktop.services.workcalendar import WorkCalendar
from desktop.services.working_drafts import WORKING_NUMBER

OFFICE_NAME = "Администрация Отрадненского района"
OFFICE_TIMEZONE = "Europe/Moscow"
REGULATION = "otradnensky-2021"

ROWS_PER_TRANSACTION = 5000
# Incidents made between two writes; a fill this small is also one transaction as a whole.
INCIDENTS_PER_CHUNK = 1000

# --- Working time -----------------------------------------------------------------------------

HOUR = 60
WORKING_DAY = 8 * HOUR
ROUTE_MINUTES = 30  # п. 10
COMPETENCE_MINUTES = 30  # п. 11
CLARIFICATION_MINUTES = 60  # п. 13
DRAFT_BEFORE_DEADLINE = 3 * HOUR  # п. 12
PART_MINUTES = 2 * HOUR  # п. 19
REVIEW_MINUTES = 30  # п. 14
REWORK_MINUTES = 60  # п. 15
PUBLISH_MINUTES = 30  # п. 16
ANSWER_MINUTES = 8 * HOUR  # п. 9
HIGH_ANSWER_MINUTES = 4 * HOUR  # п. 17
FINAL_AFTER_INTERIM_MINUTES = 7 * WORKING_DAY  # п. 18
ARCHIVE_MINUTES = 15 * WORKING_DAY  # closed incidents spread over the last three weeks…
# …or, for a big database, over as many working days as a busy office (a city district)
# needs to collect them: a 200,000-message demo holds three years, not three weeks, so a
# month's report counts a month's messages (about 5,000), as it would in an office.
CLOSED_PER_WORKING_DAY = 250
DEMO_LAYOUT = 2  # raised when the generator's layout changes (benchmarks name files by it)


def archive_minutes(incidents: int) -> int:
    """How far back, in working minutes, the closed incidents of a demo of this size go."""
    return max(ARCHIVE_MINUTES, incidents // CLOSED_PER_WORKING_DAY * WORKING_DAY)


# --- Reference data --------------------------------------------------------------------------

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
BEAUTIFICATION = 5  # index of the department that helps territories

# department index (None: the administration's staff), full name, position, roles
STAFF: list[tuple[int | None, str, str, tuple[Role, ...]]] = [
    (
        None,
        "Кузьмина Елена Викторовна",
        "начальник организационно-правового управления",
        (Role.CURATOR,),
    ),
    (
        None,
        "Бондаренко Олег Сергеевич",
        "главный специалист организационно-правового управления",
        (Role.CURATOR,),
    ),
    (
        None,
        "Ткаченко Алина Игоревна",
        "ведущий специалист организационно-кадрового отдела",
        (Role.OPERATOR,),
    ),
    (
        None,
        "Мельник Денис Андреевич",
        "ведущий специалист по информационным технологиям",
        (Role.OPERATOR, Role.ADMINISTRATOR),
    ),
    (
        None,
        "Савченко Виктор Павлович",
        "первый заместитель главы муниципального образования",
        (Role.MANAGER,),
    ),
    (
        None,
        "Шевчук Андрей Викторович",
        "заместитель главы по вопросам ЖКХ, транспорта и строительства",
        (Role.DEPARTMENT_HEAD,),
    ),
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
    (2, "Кравченко Наталья Петровна", "начальник управления образования", (Role.DEPARTMENT_HEAD,)),
    (
        2,
        "Пономаренко Ольга Александровна",
        "главный специалист управления образования",
        (Role.EXECUTOR,),
    ),
    (
        3,
        "Бойко Андрей Николаевич",
        "начальник отдела по вопросам здравоохранения",
        (Role.DEPARTMENT_HEAD, Role.EXECUTOR),
    ),
    (4, "Литвиненко Галина Васильевна", "начальник управления соцзащиты", (Role.DEPARTMENT_HEAD,)),
    (4, "Зайченко Татьяна Михайловна", "специалист управления соцзащиты", (Role.EXECUTOR,)),
    (
        5,
        "Марченко Игорь Валерьевич",
        "начальник отдела благоустройства и экологии",
        (Role.DEPARTMENT_HEAD, Role.EXECUTOR),
    ),
    (
        6,
        "Руденко Светлана Геннадьевна",
        "начальник отдела культуры, спорта и молодёжной политики",
        (Role.DEPARTMENT_HEAD, Role.EXECUTOR),
    ),
    (
        7,
        "Олейник Павел Дмитриевич",
        "главный архитектор района",
        (Role.DEPARTMENT_HEAD, Role.EXECUTOR),
    ),
    (
        8,
        "Яковенко Людмила Ивановна",
        "глава Отрадненского сельского поселения",
        (Role.DEPARTMENT_HEAD, Role.EXECUTOR),
    ),
    (
        9,
        "Демченко Николай Фёдорович",
        "глава Спокойненского сельского поселения",
        (Role.DEPARTMENT_HEAD, Role.EXECUTOR),
    ),
    (
        10,
        "Тарасенко Елизавета Романовна",
        "глава Передового сельского поселения",
        (Role.DEPARTMENT_HEAD, Role.EXECUTOR),
    ),
]
THE_ADMINISTRATOR = "Мельник Денис Андреевич"

# who is away, from and to (days from today, inclusive), why, and who stands in
ABSENCES: list[tuple[str, int, int, AbsenceKind, str]] = [
    ("Шевченко Артём Владимирович", -3, 10, AbsenceKind.VACATION, "Лысенко Марина Юрьевна"),
    ("Романенко Юлия Олеговна", -12, -8, AbsenceKind.SICK_LEAVE, "Коваль Сергей Иванович"),
    (
        "Пономаренко Ольга Александровна",
        14,
        18,
        AbsenceKind.BUSINESS_TRIP,
        "Кравченко Наталья Петровна",
    ),
]


@dataclass(frozen=True)
class _Subject:
    """A subtopic: what citizens write about it and what the answer says."""

    name: str
    texts: tuple[str, ...]  # {place}, {street} and {house} are filled in
    answer: str


# topic group, index of the department that answers, subtopics
TOPICS: list[tuple[str, int, list[_Subject]]] = [
    (
        "ЖКХ",
        0,
        [
            _Subject(
                "Отопление",
                (
                    "В доме №{house} на ул. {street} ({place}) уже неделю еле тёплые батареи, "
                    "дети болеют. Когда наладят отопление?",
                    "Опять нет отопления в многоквартирном доме на ул. {street}, {place}. "
                    "Управляющая компания трубку не берёт.",
                    "В детском саду в {place} холодно, воспитатели говорят, что котельная "
                    "не справляется.",
                ),
                "Специалисты управляющей компании промыли стояки и отрегулировали систему, "
                "температура в квартирах восстановлена.",
            ),
            _Subject(
                "Водоснабжение",
                (
                    "Третий день нет воды на ул. {street} ({place}). Подвоз обещали и не привезли.",
                    "Из крана идёт ржавая вода, {place}, ул. {street}, {house}. Куда обращаться?",
                    "Слабый напор воды по ул. {street} в {place}, на второй этаж вода "
                    "не поднимается.",
                ),
                "Аварийная бригада водоканала устранила порыв на сети, водоснабжение "
                "восстановлено.",
            ),
            _Subject(
                "Вывоз мусора",
                (
                    "Мусор на ул. {street} в {place} не вывозят уже две недели, контейнеры "
                    "переполнены.",
                    "Когда уберут стихийную свалку за кладбищем в {place}?",
                    "Региональный оператор пропускает нашу улицу ({street}, {place}), "
                    "а платить заставляют исправно.",
                ),
                "Региональный оператор вывез отходы и включил улицу в график: вывоз "
                "по вторникам и пятницам.",
            ),
            _Subject(
                "Электроснабжение",
                (
                    "Постоянно отключают свет на ул. {street} в {place}, сгорел холодильник. "
                    "Кто возместит?",
                    "Провода на ул. {street} ({place}) висят низко над дорогой, это опасно!",
                ),
                "Электросетевая компания заменила повреждённый участок линии, "
                "электроснабжение стабильное.",
            ),
            _Subject(
                "Газоснабжение",
                (
                    "Второй год не можем подключить газ по догазификации, {place}, "
                    "ул. {street}, {house}. Заявку подали — тишина.",
                ),
                "Заявка на догазификацию принята в работу, договор будет направлен вам "
                "до конца месяца.",
            ),
        ],
    ),
    (
        "Дороги и транспорт",
        1,
        [
            _Subject(
                "Ямочный ремонт",
                (
                    "Яма на ул. {street} в {place} размером с бассейн, вчера пробил колесо. "
                    "Сколько можно?",
                    "Дорогу на ул. {street} ({place}) так и не отремонтировали, хотя обещали "
                    "летом.",
                    "После грейдера на ул. {street} в {place} стало только хуже, машины "
                    "застревают.",
                ),
                "Ямочный ремонт участка включён в план, подрядчик выполнит работы на этой неделе.",
            ),
            _Subject(
                "Уличное освещение",
                (
                    "На ул. {street} в {place} не горят фонари, вечером страшно идти с работы.",
                    "Когда сделают освещение у остановки в {place}? Дети ходят в темноте.",
                ),
                "Электрики заменили вышедшие из строя светильники, освещение на улице работает.",
            ),
            _Subject(
                "Общественный транспорт",
                (
                    "Автобус из {place} в Отрадную утром не пришёл, люди опоздали на работу. "
                    "Почему?",
                    "Верните рейс в 17:40 из {place}, вечером уехать невозможно.",
                    "В автобусе до {place} водитель не берёт карты, а наличных у людей нет.",
                ),
                "Перевозчику направлено требование соблюдать расписание, рейс взят на контроль.",
            ),
            _Subject(
                "Тротуары и переходы",
                (
                    "Возле школы в {place} нет пешеходного перехода, дети перебегают дорогу.",
                    "Тротуар на ул. {street} ({place}) разбит, с коляской не пройти.",
                ),
                "Ремонт тротуара и разметка перехода включены в план работ, временно "
                "установлены знаки.",
            ),
        ],
    ),
    (
        "Образование",
        2,
        [
            _Subject(
                "Детские сады",
                (
                    "Очередь в детский сад в {place} не двигается второй год. Когда будет место?",
                    "В садике в {place} группа переполнена, 32 ребёнка на одного воспитателя.",
                ),
                "Ребёнок стоит в очереди, место в детском саду будет предоставлено с 1 сентября.",
            ),
            _Subject(
                "Школы",
                (
                    "В школе в {place} протекает крыша в спортзале, занятия отменяют.",
                    "Почему в школьном автобусе из {place} нет мест для всех детей?",
                ),
                "Ремонт кровли спортзала выполнит подрядчик, занятия временно перенесены "
                "в малый зал.",
            ),
            _Subject(
                "Школьное питание",
                ("Дети жалуются на питание в школьной столовой в {place}, порции маленькие.",),
                "Проведена проверка пищеблока, меню скорректировано, порции соответствуют нормам.",
            ),
        ],
    ),
    (
        "Здравоохранение",
        3,
        [
            _Subject(
                "Запись к врачу",
                (
                    "Невозможно записаться к терапевту в амбулатории {place}, телефон не отвечает.",
                    "Когда в {place} снова будет принимать педиатр?",
                ),
                "Запись к терапевту открыта через Госуслуги и по телефону регистратуры, "
                "дополнительный приём — по субботам.",
            ),
            _Subject(
                "Скорая помощь",
                ("Скорая в {place} ехала больше часа к пожилому человеку! Почему так долго?",),
                "Случай разобран с руководством станции скорой помощи, приняты меры "
                "по сокращению времени доезда.",
            ),
            _Subject(
                "Лекарственное обеспечение",
                ("Льготные лекарства в аптеке {place} не выдают уже месяц.",),
                "Льготные препараты поступили в аптеку, выдача идёт в обычном режиме.",
            ),
        ],
    ),
    (
        "Социальная защита",
        4,
        [
            _Subject(
                "Выплаты и льготы",
                (
                    "Не пришла компенсация за газ, {place}. Куда обратиться пенсионеру?",
                    "Как оформить единое пособие на ребёнка? В МФЦ в {place} отправили к вам.",
                ),
                "Компенсация начислена и будет перечислена до 25 числа текущего месяца.",
            ),
            _Subject(
                "Помощь семьям участников СВО",
                ("Я жена участника СВО из {place}, нам обещали помочь с дровами. Когда привезут?",),
                "Дрова будут доставлены на этой неделе, с вами свяжется специалист.",
            ),
            _Subject(
                "Многодетные семьи",
                (
                    "Как многодетной семье из {place} получить земельный участок? "
                    "Куда подавать документы?",
                ),
                "Заявление принимают в МФЦ, специалист управления свяжется с вами и поможет "
                "собрать документы.",
            ),
        ],
    ),
    (
        "Благоустройство",
        BEAUTIFICATION,
        [
            _Subject(
                "Детские площадки",
                ("Детская площадка на ул. {street} в {place} сломана, качели опасны для детей.",),
                "Сломанные качели демонтированы, новые будут установлены до конца месяца.",
            ),
            _Subject(
                "Бродячие животные",
                (
                    "Стая собак у школы в {place}, бросаются на детей! Примите меры.",
                    "На ул. {street} ({place}) бродячие собаки, страшно выйти из дома.",
                ),
                "Заявка на отлов передана в специализированную организацию, работы проведены.",
            ),
            _Subject(
                "Аварийные деревья",
                ("Аварийное дерево на ул. {street} в {place} может упасть на провода.",),
                "Аварийное дерево спилено, порубочные остатки вывезены.",
            ),
            _Subject(
                "Покос травы",
                ("Трава по пояс на ул. {street} в {place}, клещи. Когда будет покос?",),
                "Покос на улице выполнен, обработка от клещей запланирована на следующую неделю.",
            ),
        ],
    ),
    (
        "Культура и спорт",
        6,
        [
            _Subject(
                "Дома культуры",
                ("Почему закрыт Дом культуры в {place}? Дети ходили в кружки.",),
                "Дом культуры закрыт на ремонт кровли, кружки временно работают в здании школы.",
            ),
            _Subject(
                "Спортивные объекты",
                (
                    "Сделайте секцию бокса в {place}, детям нечем заняться.",
                    "Футбольное поле в {place} заросло, ворота сломаны.",
                ),
                "Открытие секции запланировано с осени, запись — у тренера в спортзале школы.",
            ),
        ],
    ),
    (
        "Архитектура и строительство",
        7,
        [
            _Subject(
                "Самовольное строительство",
                ("Сосед в {place} строит дом прямо на меже, ул. {street}. Законно ли это?",),
                "Выезд специалистов назначен, по результатам проверки будут приняты меры.",
            ),
            _Subject(
                "Земельные участки",
                ("Как оформить землю под домом в {place}? В МФЦ отправляют в администрацию.",),
                "Порядок оформления участка разъяснён, приглашаем на приём в отдел "
                "архитектуры во вторник.",
            ),
        ],
    ),
]

DISTRICT = "Отрадненский район"
# settlement, kind, index of its territorial department (None: none in the demo)
LOCATIONS: list[tuple[str, LocationKind, int | None]] = [
    ("ст. Отрадная", LocationKind.CITY, 8),  # the district centre
    ("ст. Спокойная", LocationKind.SETTLEMENT, 9),
    ("ст. Передовая", LocationKind.SETTLEMENT, 10),
    ("ст. Удобная", LocationKind.SETTLEMENT, None),
    ("ст. Надёжная", LocationKind.SETTLEMENT, None),
    ("ст. Попутная", LocationKind.SETTLEMENT, None),
    ("ст. Подгорная", LocationKind.SETTLEMENT, None),
    ("ст. Малотенгинская", LocationKind.SETTLEMENT, None),
    ("ст. Бесстрашная", LocationKind.SETTLEMENT, None),
    ("ст. Изобильная", LocationKind.SETTLEMENT, None),
    ("с. Благодарное", LocationKind.SETTLEMENT, None),
    ("х. Казачий", LocationKind.SETTLEMENT, None),
    ("пос. Маяк", LocationKind.SETTLEMENT, None),
]

# network, name, page, owner, department index, the id its post links carry
ACCOUNTS: list[tuple[Network, str, str, AccountOwner, int | None, str]] = [
    (
        Network.VK,
        "Администрация МО Отрадненский район",
        "https://vk.com/otradnaya_adm",
        AccountOwner.ADMINISTRATION,
        None,
        "172345678",
    ),
    (
        Network.OK,
        "Администрация Отрадненского района",
        "https://ok.ru/otradnaya.adm",
        AccountOwner.ADMINISTRATION,
        None,
        "70000001234567",
    ),
    (
        Network.MAX,
        "Администрация Отрадненского района",
        "https://max.ru/otradnaya_adm",
        AccountOwner.ADMINISTRATION,
        None,
        "otradnaya_adm",
    ),
    (
        Network.VK,
        "Глава Отрадненского района",
        "https://vk.com/glava_otradnaya",
        AccountOwner.HEAD,
        None,
        "201234567",
    ),
    (
        Network.TELEGRAM,
        "Глава Отрадненского района",
        "https://t.me/glava_otradnaya",
        AccountOwner.HEAD,
        None,
        "glava_otradnaya",
    ),
    (
        Network.TELEGRAM,
        "Губернатор Краснодарского края",
        "https://t.me/kondratyevvi",
        AccountOwner.GOVERNOR,
        None,
        "kondratyevvi",
    ),
    (
        Network.VK,
        "Управление образования Отрадненского района",
        "https://vk.com/uo_otradnaya",
        AccountOwner.DEPARTMENT,
        2,
        "190123456",
    ),
]
ON_OFFICIAL_PAGE = 0.4  # share of messages left on the office's own pages
# Local communities where the monitoring system finds the rest.
COMMUNITIES: dict[Network, list[str]] = {
    Network.VK: ["61234567", "58765432", "70123456"],  # «Подслушано в Отрадной», …
    Network.OK: ["53123456789012", "54987654321098"],
    Network.TELEGRAM: ["otradnaya_news", "kuban_online", "otradnaya_chat"],
    Network.MAX: ["otradnaya_live"],
}
COMMUNITY_NETWORKS = [Network.VK] * 10 + [Network.OK] * 4 + [Network.TELEGRAM] * 4 + [Network.MAX]

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
    "Набережная",
    "Комсомольская",
]
MALE_NAMES = ["Александр", "Сергей", "Дмитрий", "Андрей", "Алексей", "Иван", "Николай"]
MALE_NAMES += ["Владимир", "Евгений", "Михаил", "Павел", "Виктор", "Игорь", "Роман"]
FEMALE_NAMES = ["Елена", "Наталья", "Ольга", "Татьяна", "Ирина", "Светлана", "Марина"]
FEMALE_NAMES += ["Юлия", "Анна", "Людмила", "Галина", "Виктория", "Оксана", "Екатерина"]
SURNAMES = ["Ковалёв", "Иващенко", "Чернов", "Гордиенко", "Семёнов", "Мороз", "Зинченко"]
SURNAMES += ["Петренко", "Кузнецов", "Соколов", "Ткачук", "Бондарь", "Шаповалов", "Гребенюк"]
SURNAMES += ["Кравец", "Сидоренко", "Фомин", "Дьяченко", "Пащенко", "Белозерский"]
MALE_PATRONYMICS = ["Петрович", "Иванович", "Николаевич", "Степанович"]
FEMALE_PATRONYMICS = ["Васильевна", "Петровна", "Ивановна", "Николаевна"]
NICKNAMES = ["mama_troih", "Казак_23", "Кубаночка", "Житель Отрадной", "Sergey_krd"]
NICKNAMES += ["Дед Макар", "anna.k", "Пенсионерка_61", "Молодая мама", "VOLK_93", "Станичник"]

OPENERS = ["", "", "", "Здравствуйте! ", "Добрый день. ", "Уважаемая администрация! "]
OPENERS += ["Глава, обратите внимание! ", "Помогите, пожалуйста. "]
CLOSERS = ["", "", "", " Примите меры!", " Сколько можно ждать?", " Спасибо."]
CLOSERS += [" Надеюсь на ответ.", " Жители просят разобраться."]
REPEAT_OPENER = "Пишу повторно: ответили, что решат, а ничего не изменилось. "
# Messages that get no answer (п. 21), with the curator's note.
ABUSIVE: list[tuple[str, str]] = [
    (
        "Чиновники [нецензурная брань], дорогу на ул. {street} так и не сделали! "
        "Приду разберусь с вами сам.",
        "Нецензурные выражения и угрозы (п. 21 Порядка)",
    ),
    (
        "Да вы там все [оскорбление]! Ничего не делаете в {place}, только деньги пилите.",
        "Оскорбительные выражения (п. 21 Порядка)",
    ),
    (
        "Если завтра не дадут воду на ул. {street}, сожгу этот ваш кабинет.",
        "Угроза имуществу должностного лица (п. 21 Порядка)",
    ),
]
APPEAL_NOTE = "С согласия автора зарегистрировано как обращение гражданина по 59-ФЗ"

GREETINGS = ["{name}, здравствуйте!", "Добрый день, {name}!", "{name}, спасибо за обращение."]
ANONYMOUS_GREETINGS = ["Здравствуйте!", "Добрый день!", "Спасибо за обращение."]
ANSWER_CLOSINGS = ["Если проблема повторится, напишите нам.", "Спасибо, что сообщили!", ""]
INTERIM_ANSWER = (
    "{greeting} Вопрос взят на контроль: {department} прорабатывает решение. "
    "Окончательный ответ дадим до {date}."
)
CLARIFICATION_QUESTION = (
    "{greeting} Уточните, пожалуйста, точный адрес и с какого времени наблюдается проблема — "
    "так мы быстрее поможем."
)
FIRST_DRAFTS = [
    "Уважаемый заявитель! Ваше обращение рассмотрено. Сообщаем, что по изложенному вопросу "
    "проводится работа в рамках полномочий.",
    "Информируем, что данный вопрос находится в компетенции ресурсоснабжающей организации, "
    "рекомендуем обратиться туда.",
    "Ваше сообщение рассмотренно, мероприятия будут проведенны в установленом порядке.",
]
RETURN_COMMENTS: dict[ReturnReason, str] = {
    ReturnReason.NOT_MATCHING_QUESTION: "Автор спрашивает о сроках — укажите конкретную дату.",
    ReturnReason.FORMAT: "Слишком официально, перепишите простым языком, без канцелярита.",
    ReturnReason.REDIRECTS_ELSEWHERE: "Не перенаправляйте автора в другой орган — ответьте "
    "по существу.",
    ReturnReason.SPELLING: "Исправьте орфографию и пунктуацию.",
}
NOT_COMPETENT = [
    "Вопрос относится к полномочиям регионального министерства",
    "Вопрос в компетенции ресурсоснабжающей организации",
    "Адрес не относится к территории поселения",
]

# Incident states: the first 3 × 11 incidents cycle through all, the rest are drawn.
STATUS_WEIGHTS: dict[IncidentStatus, int] = {
    IncidentStatus.NEW: 12,
    IncidentStatus.ROUTED: 14,
    IncidentStatus.RETURNED: 3,
    IncidentStatus.CLARIFICATION: 3,
    IncidentStatus.ON_APPROVAL: 8,
    IncidentStatus.REWORK: 4,
    IncidentStatus.APPROVED: 4,
    IncidentStatus.INTERIM: 5,
    IncidentStatus.ANSWERED: 40,
    IncidentStatus.NOT_TO_ANSWER: 3,
    IncidentStatus.OFFICIAL_APPEAL: 4,
}
MAX_OPEN = 10_000  # the benchmark office: 200,000 messages of which 10,000 open
HIGH_EVERY = 10  # one incident in ten is of high importance
MONITORING_SHARE = 0.75
REPEAT_SHARE = 0.05

_DRAFTED = frozenset(
    {
        IncidentStatus.ON_APPROVAL,
        IncidentStatus.REWORK,
        IncidentStatus.APPROVED,
        IncidentStatus.INTERIM,
        IncidentStatus.ANSWERED,
    }
)
_APPROVED = frozenset({IncidentStatus.APPROVED, IncidentStatus.INTERIM, IncidentStatus.ANSWERED})
_PUBLISHED = frozenset({IncidentStatus.INTERIM, IncidentStatus.ANSWERED})
_CLOSED_UNANSWERED = frozenset({IncidentStatus.NOT_TO_ANSWER, IncidentStatus.OFFICIAL_APPEAL})
_ALWAYS_ROUTED = frozenset(IncidentStatus) - {IncidentStatus.NEW} - _CLOSED_UNANSWERED
_DRAFTING = _DRAFTED | {IncidentStatus.ROUTED, IncidentStatus.CLARIFICATION}

_DIGRAPHS = {
    "ж": "zh",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ю": "yu",
    "я": "ya",
}
_TRANSLIT: dict[int, str | int | None] = {
    **str.maketrans("абвгдеёзийклмнопрстуфыэ", "abvgdeeziyklmnoprstufye", "ъь"),
    **{ord(c): latin for c, latin in _DIGRAPHS.items()},
}


def translit(text: str) -> str:
    return text.casefold().translate(_TRANSLIT)


def login_of(full_name: str) -> str:
    """«Иванова Анна Петровна» → `ivanova.ap`."""
    surname, name, patronymic = full_name.split()
    return f"{translit(surname)}.{translit(name[0])}{translit(patronymic[0])}"


# --- Working clock ---------------------------------------------------------------------------


class _WorkClock:
    """The office's working minutes around `now`, numbered from the first one in the table.

    `ordinal(moment)` counts the working minutes up to a moment; `moment(ordinal)` is the
    moment the ordinal-th working minute ends (the end of an interval rather than the start
    of the next, so a deadline reads "до 18:00", not "до 9:00 завтра").
    """

    DAYS_BEFORE = 60
    DAYS_AFTER = 45

    def __init__(self, now: dt.datetime, days_before: int = DAYS_BEFORE) -> None:
        zone = ZoneInfo(OFFICE_TIMEZONE)
        calendar = WorkCalendar()
        today = now.astimezone(zone).date()
        self._starts: list[dt.datetime] = []
        self._first_ordinals: list[int] = []  # ordinal of each interval's start
        self._last_ordinals: list[int] = []  # ordinal of each interval's end
        self._moments: dict[int, dt.datetime] = {}
        total = 0
        day = today - dt.timedelta(days=days_before)
        while day <= today + dt.timedelta(days=self.DAYS_AFTER):
            for begin, end in calendar.day_intervals(day):
                start = dt.datetime.combine(day, begin, zone).astimezone(dt.UTC)
                stop = dt.datetime.combine(day, end, zone).astimezone(dt.UTC)
                self._starts.append(start)
                self._first_ordinals.append(total)
                total += (stop - start) // dt.timedelta(minutes=1)
                self._last_ordinals.append(total)
            day += dt.timedelta(days=1)
        self.now = self.ordinal(now)

    def ordinal(self, moment: dt.datetime) -> int:
        i = bisect.bisect_right(self._starts, moment) - 1
        if i < 0:
            return 0
        inside = (moment - self._starts[i]) // dt.timedelta(minutes=1)
        return min(self._first_ordinals[i] + inside, self._last_ordinals[i])

    def moment(self, ordinal: int) -> dt.datetime:
        found = self._moments.get(ordinal)
        if found is None:
            if not 0 < ordinal <= self._last_ordinals[-1]:
                raise ValueError(f"working minute {ordinal} is outside the demo's calendar")
            i = bisect.bisect_left(self._last_ordinals, ordinal)
            found = self._starts[i] + dt.timedelta(minutes=ordinal - self._first_ordinals[i])
            self._moments[ordinal] = found
        return found

    def local_date(self, ordinal: int) -> dt.date:
        return self.moment(ordinal).astimezone(ZoneInfo(OFFICE_TIMEZONE)).date()


# --- Bulk writing ----------------------------------------------------------------------------


def _converter(model_field: peewee.Field) -> Callable[[Any], Any] | None:
    """How a column's value becomes its stored form; None where it already is one.

    Moments repeat a lot (every minute of three weeks, many times over), so their text
    form is remembered rather than formatted again.
    """
    if isinstance(model_field, UtcDateTimeField):
        texts: dict[dt.datetime, str] = {}
        to_text = model_field.db_value

        def moment_text(value: dt.datetime) -> str:
            text = texts.get(value)
            if text is None:
                text = texts[value] = str(to_text(value))
            return text

        return moment_text
    if isinstance(model_field, JsonField | EnumField | peewee.DateField):
        return model_field.db_value
    return None


class _Table:
    """Rows of one table in their stored form, written with `executemany` in chunks."""

    def __init__(self, model: type[BaseModel], first_id: int) -> None:
        fields = list(model._meta.sorted_fields)
        columns = ", ".join(f'"{f.column_name}"' for f in fields)
        marks = ", ".join("?" for _ in fields)
        self.sql = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({marks})'
        self._fields = [(f.name, _converter(f), f.default) for f in fields]
        self.rows: list[tuple[Any, ...]] = []
        self.next_id = first_id
        self.model = model

    def add(self, **values: Any) -> int:
        """Queue a row; a missing column gets the field's default. Returns the row's id."""
        if "id" not in values:
            values["id"] = self.next_id
        self.next_id = int(values["id"]) + 1
        row: list[Any] = []
        used = 0
        for name, to_db, default in self._fields:
            if name in values:
                value = values[name]
                used += 1
            else:
                value = default() if callable(default) else default
            row.append(value if to_db is None or value is None else to_db(value))
        if used != len(values):
            known = {name for name, _, _ in self._fields}
            raise TypeError(f"{self.model.__name__} has no field {sorted(set(values) - known)}")
        self.rows.append(tuple(row))
        return int(values["id"])

    def flush(self) -> None:
        db = bound_database()
        for start in range(0, len(self.rows), ROWS_PER_TRANSACTION):
            chunk = self.rows[start : start + ROWS_PER_TRANSACTION]

            def write(chunk: list[tuple[Any, ...]] = chunk) -> None:
                db.cursor().executemany(self.sql, chunk)

            run_write(write)
        self.rows.clear()


def _next_id(model: type[BaseModel]) -> int:
    row = bound_database().execute_sql(f'SELECT max("id") FROM "{model._meta.table_name}"')
    return int(row.fetchone()[0] or 0) + 1


def _next_number() -> int:
    row = bound_database().execute_sql('SELECT max("number") FROM "incident"')
    return int(row.fetchone()[0] or 0) + 1


class _Who(NamedTuple):
    id: int
    login: str


# (working minute, sequence, actor, entity, entity id, incident id, action, after)
_Pending = tuple[int, int, _Who, str, int, int, str, dict[str, Any]]


class _AuditLog:
    """Audit events in time order, chained exactly as `append_event` chains them.

    Events wait in a heap until no incident still to be told can come before them: the
    incidents are told in detection order and none of their events precedes its detection.
    """

    def __init__(self, table: _Table, head: ChainHead, clock: _WorkClock) -> None:
        self._table, self._head, self._clock = table, head, clock
        self._pending: list[_Pending] = []
        self._sequence = 0

    def add(
        self,
        at: int,
        who: _Who,
        action: str,
        incident_id: int,
        *,
        entity: str = "incident",
        entity_id: int | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        self._sequence += 1
        pending = (
            at,
            self._sequence,
            who,
            entity,
            incident_id if entity_id is None else entity_id,
            incident_id,
            action,
            after or {},
        )
        heapq.heappush(self._pending, pending)

    def release(self, before: int | None = None) -> None:
        """Chain the events up to working minute `before` (all of them when None)."""
        while self._pending and (before is None or self._pending[0][0] <= before):
            at, _, who, entity, entity_id, incident_id, action, after = heapq.heappop(self._pending)
            values = chained_event(
                self._head,
                Actor(who.login, who.id),
                entity=entity,
                entity_id=entity_id,
                action=action,
                incident_id=incident_id,
                after=after,
                at=self._clock.moment(at),
            )
            self._table.add(**values)
            self._head = ChainHead(values["id"], values["hash"])


# --- The office ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _TopicRef:
    id: int
    subject: _Subject
    department: int  # index into DEPARTMENTS


@dataclass(frozen=True)
class _AccountRef:
    id: int
    network: Network
    key: str  # what the account's post links carry
    department: int | None


@dataclass(frozen=True)
class _AbsenceRef:
    who: _Who
    starts_on: dt.date
    ends_on: dt.date
    substitute: _Who


@dataclass(frozen=True)
class _Office:
    departments: list[int]  # ids, in DEPARTMENTS order
    executors: dict[int, list[_Who]]  # department id -> executors
    curators: list[_Who]
    operators: list[_Who]
    manager: _Who
    absences: list[_AbsenceRef]
    topics: list[_TopicRef]
    locations: list[tuple[int, str, int | None]]  # id, name, territorial department index
    accounts: list[_AccountRef]

    def executor(self, department: int, on: dt.date, rng: random.Random) -> _Who:
        chosen = rng.choice(self.executors[department])
        for absence in self.absences:
            if absence.who == chosen and absence.starts_on <= on <= absence.ends_on:
                return absence.substitute
        return chosen


def _create_office(login: str, clock: _WorkClock) -> _Office:
    """Settings, departments, staff (with audit events), topics, places and accounts."""
    put_value("office_name", OFFICE_NAME)
    put_value("timezone", OFFICE_TIMEZONE)
    put_value("regulation", REGULATION)
    setup = clock.moment(1)  # the first working minute on the calendar
    departments = [
        Department.create(
            name=name,
            short_name=short,
            kind=kind,
            sort_order=i,
            email=f"otdel{i + 1}@otradnaya-adm.ru",
            phone=f"+7 86144 3-{10 + i:02d}-{40 + i:02d}",
            updated_at=setup,
            updated_by=login,
        ).id
        for i, (name, short, kind) in enumerate(DEPARTMENTS)
    ]
    people: dict[str, _Who] = {}
    roles_of: dict[str, tuple[Role, ...]] = {}
    executors: dict[int, list[_Who]] = {d: [] for d in departments}
    for dept_index, full_name, position, roles in STAFF:
        staff_login = login_of(full_name)
        employee = Employee.create(
            full_name=full_name,
            position=position,
            os_login=staff_login,
            department=None if dept_index is None else departments[dept_index],
            email=f"{staff_login}@otradnaya-adm.ru",
            phones=f"+7 86144 3-{len(people) + 20:02d}-{len(people) * 3 + 11:02d}",
            updated_at=setup,
            updated_by=login,
        )
        for role in roles:
            EmployeeRole.create(employee=employee, role=role)
        people[full_name] = _Who(employee.id, staff_login)
        roles_of[full_name] = roles
        if dept_index is not None and Role.EXECUTOR in roles:
            executors[departments[dept_index]].append(people[full_name])
    me = Employee.get_or_none(Employee.os_login == login)
    if me is None:
        me = Employee.create(
            full_name=f"Демо-пользователь ({login})",
            position="куратор (демонстрационная учётная запись)",
            os_login=login,
            updated_at=setup,
            updated_by=login,
        )
        people[me.full_name] = _Who(me.id, login)
        roles_of[me.full_name] = ()
    newcomer_roles = (Role.ADMINISTRATOR, Role.CURATOR, Role.OPERATOR)
    for role in newcomer_roles:
        EmployeeRole.insert(employee=me, role=role).on_conflict_ignore().execute()
    roles_of[me.full_name] = tuple(dict.fromkeys((*roles_of[me.full_name], *newcomer_roles)))
    admin = people[THE_ADMINISTRATOR]
    for full_name, who in people.items():
        append_event(
            Actor(admin.login, admin.id),
            entity="employee",
            entity_id=who.id,
            action="add_employee",
            after={
                "full_name": full_name,
                "os_login": who.login,
                "roles": sorted(r.value for r in roles_of[full_name]),
            },
            at=setup,
        )
    today = clock.local_date(clock.now)
    absences = []
    for full_name, start, end, kind, substitute in ABSENCES:
        absence = _AbsenceRef(
            people[full_name],
            today + dt.timedelta(days=start),
            today + dt.timedelta(days=end),
            people[substitute],
        )
        Absence.create(
            employee=absence.who.id,
            starts_on=absence.starts_on,
            ends_on=absence.ends_on,
            kind=kind,
            substitute=absence.substitute.id,
            updated_at=setup,
            updated_by=login,
        )
        absences.append(absence)
    topics = []
    for group, dept_index, subjects in TOPICS:
        parent = Topic.create(name=group, updated_at=setup, updated_by=login)
        for subject in subjects:
            child = Topic.create(
                name=subject.name, parent=parent, updated_at=setup, updated_by=login
            )
            topics.append(_TopicRef(child.id, subject, dept_index))
    district = Location.create(
        name=DISTRICT, kind=LocationKind.DISTRICT, updated_at=setup, updated_by=login
    )
    locations = [
        (
            Location.create(
                name=name, kind=kind, parent=district, updated_at=setup, updated_by=login
            ).id,
            name,
            territory,
        )
        for name, kind, territory in LOCATIONS
    ]
    accounts = [
        _AccountRef(
            Account.create(
                network=network,
                name=name,
                url=url,
                owner=owner,
                department=None if dept_index is None else departments[dept_index],
                updated_at=setup,
                updated_by=login,
            ).id,
            network,
            key,
            dept_index,
        )
        for network, name, url, owner, dept_index, key in ACCOUNTS
    ]
    return _Office(
        departments=departments,
        executors=executors,
        curators=[people[n] for _, n, _, r in STAFF if Role.CURATOR in r],
        operators=[people[n] for _, n, _, r in STAFF if Role.OPERATOR in r],
        manager=next(people[n] for _, n, _, r in STAFF if Role.MANAGER in r),
        absences=absences,
        topics=topics,
        locations=locations,
        accounts=accounts,
    )


# --- Plans: each incident's state and timeline ---------------------------------------------


@dataclass
class _Plan:
    """One incident before it is told: state, importance, milestones, detection."""

    status: IncidentStatus
    high: bool
    # working minutes from detection to each milestone of the incident's life so far
    times: dict[str, int] = field(default_factory=dict)
    two_departments: bool = False
    detected: int = 0  # working-minute ordinal

    @property
    def answer_minutes(self) -> int:
        return HIGH_ANSWER_MINUTES if self.high else ANSWER_MINUTES

    @property
    def span(self) -> int:
        return max(self.times.values(), default=0)


def _statuses(count: int, rng: random.Random) -> list[IncidentStatus]:
    """Every state at least three times, then drawn by weight; past `MAX_OPEN` open ones the
    rest are closed, as in an office with years of history (200,000 messages, 10,000 open)."""
    every = list(STATUS_WEIGHTS)
    weights = list(STATUS_WEIGHTS.values())
    closed = [s for s in every if not s.is_open]
    closed_weights = [STATUS_WEIGHTS[s] for s in closed]
    cycled = 3 * len(every)
    drawn: list[IncidentStatus] = []
    open_count = 0
    for i in range(count):
        if i < cycled:
            status = every[i % len(every)]
        elif open_count < MAX_OPEN:
            status = rng.choices(every, weights)[0]
        else:
            status = rng.choices(closed, closed_weights)[0]
        open_count += status.is_open
        drawn.append(status)
    return drawn


def _timeline(plan: _Plan, rng: random.Random) -> None:
    """The working minutes from detection to each milestone the plan's state has passed."""
    status, times = plan.status, plan.times
    if plan.high and rng.random() < 0.8:
        times["notify"] = rng.randint(2, 15)  # п. 24: reported to the first deputy head
    routed = status in _ALWAYS_ROUTED or (status in _CLOSED_UNANSWERED and rng.random() < 0.4)
    start = 0
    if routed:
        late = rng.random() < 0.1
        route = rng.randint(ROUTE_MINUTES + 1, 90) if late else rng.randint(5, ROUTE_MINUTES)
        times["route"] = start = route
        plan.two_departments = status in _DRAFTING and rng.random() < 0.2
        if plan.two_departments and (status in _DRAFTED or rng.random() < 0.5):
            times["part"] = route + rng.randint(30, PART_MINUTES + 10)
    if status is IncidentStatus.RETURNED:
        times["return_not_competent"] = start + rng.randint(10, COMPETENCE_MINUTES + 5)
    elif status is IncidentStatus.CLARIFICATION:
        times["clarify"] = start + rng.randint(15, CLARIFICATION_MINUTES - 5)
    elif status in _DRAFTED:
        budget = plan.answer_minutes - DRAFT_BEFORE_DEADLINE + 60
        late = rng.random() < 0.08
        draft = rng.randint(budget + 10, 2 * budget) if late else rng.randint(budget // 5, budget)
        submit = max(start + draft, times.get("part", 0) + 10)
        times["submit"] = submit
        if status is IncidentStatus.REWORK or (
            status is not IncidentStatus.INTERIM and rng.random() < 0.25
        ):
            times["return"] = submit + rng.randint(5, REVIEW_MINUTES)
            times["redraft"] = times["return"] + rng.randint(3, 15)
            if status is not IncidentStatus.REWORK:
                times["resubmit"] = times["redraft"] + rng.randint(15, REWORK_MINUTES)
        if status in _APPROVED:
            times["approve"] = times.get("resubmit", submit) + rng.randint(5, REVIEW_MINUTES + 5)
        if status in _PUBLISHED:
            times["publish"] = times["approve"] + rng.randint(3, PUBLISH_MINUTES + 10)
    elif status is IncidentStatus.NOT_TO_ANSWER:
        times["close"] = start + rng.randint(10, 60)
    elif status is IncidentStatus.OFFICIAL_APPEAL:
        times["close"] = start + rng.randint(60, 6 * HOUR)


def _elapsed(plan: _Plan, rng: random.Random, archive: int = ARCHIVE_MINUTES) -> int:
    """Working minutes between detection and now: open incidents are calm, close or late."""
    status, span = plan.status, plan.span
    if not status.is_open:
        return span + rng.randint(1, archive)
    if status is IncidentStatus.INTERIM:
        final_due = plan.times["publish"] + FINAL_AFTER_INTERIM_MINUTES
        if rng.random() < 0.1:
            return final_due + rng.randint(10, WORKING_DAY)
        return span + rng.randint(1, min(final_due - span - HOUR, 5 * WORKING_DAY))
    draw = rng.random()
    if status is IncidentStatus.NEW:  # the routing deadline is the one that burns
        if draw < 0.25:
            elapsed = rng.randint(ROUTE_MINUTES + 1, 4 * HOUR)
        elif draw < 0.4:
            elapsed = rng.randint(ROUTE_MINUTES - 10, ROUTE_MINUTES)
        else:
            elapsed = rng.randint(1, ROUTE_MINUTES - 10)
    elif draw < 0.12:  # someone let the step in hand run out
        elapsed = span + rng.randint(HOUR, 2 * WORKING_DAY)
    else:  # the step in hand began with the last event: most have time, some run short
        elapsed = span + rng.randint(1, 28)
    return max(elapsed, span + 1)


def _plans(
    count: int, rng: random.Random, clock: _WorkClock, archive: int = ARCHIVE_MINUTES
) -> list[_Plan]:
    plans = []
    high = 0
    for i, status in enumerate(_statuses(count, rng)):
        if i % HIGH_EVERY == 0:  # exactly one in ten, at a random place in each ten
            high = i + rng.randrange(HIGH_EVERY)
        plan = _Plan(status, i == high)
        _timeline(plan, rng)
        plan.detected = clock.now - _elapsed(plan, rng, archive)
        plans.append(plan)
    # The running number follows detection, as when an operator registers them one by one.
    plans.sort(key=lambda p: p.detected)
    return plans


# --- Telling an incident's story -------------------------------------------------------------


@dataclass(frozen=True)
class _Answered:
    """An answered incident a later message may repeat."""

    incident_id: int
    published: int
    topic: _TopicRef
    location: tuple[int, str, int | None]


@dataclass
class _Tables:
    incident: _Table
    assignment: _Table
    step: _Table
    answer: _Table
    review: _Table
    publication: _Table
    audit: _Table

    def flush(self) -> None:
        # Referenced rows first: foreign keys are checked at every statement.
        for table in (
            self.incident,
            self.assignment,
            self.step,
            self.answer,
            self.review,
            self.publication,
            self.audit,
        ):
            table.flush()


def _author(rng: random.Random) -> tuple[str, str]:
    """A display name and how an answer addresses its owner ("" for a nickname)."""
    draw = rng.random()
    if draw < 0.3:
        return rng.choice(NICKNAMES), ""
    female = rng.random() < 0.6
    name = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
    if draw < 0.4:
        patronymic = rng.choice(FEMALE_PATRONYMICS if female else MALE_PATRONYMICS)
        return f"{name} {patronymic}", f"{name} {patronymic}"
    surname = rng.choice(SURNAMES)
    if female:
        if surname.endswith("ский"):
            surname = surname.removesuffix("ий") + "ая"
        elif surname.endswith(("ов", "ёв", "ев", "ин")):
            surname += "а"
    if draw < 0.55:
        return f"{name} {surname[0]}.", name
    return f"{name} {surname}", name


def _author_url(network: Network, author: str, rng: random.Random) -> str:
    match network:
        case Network.VK:
            return f"https://vk.com/id{rng.randint(10**6, 9 * 10**8)}"
        case Network.OK:
            return f"https://ok.ru/profile/{rng.randint(10**11, 6 * 10**11)}"
        case Network.TELEGRAM:
            handle = "".join(c if c.isascii() and c.isalnum() else "_" for c in translit(author))
            return f"https://t.me/{handle.strip('_')}{rng.randint(10, 99)}"
        case _:
            return f"https://max.ru/u/{rng.randint(10**7, 10**9)}"


def _official_link(account: _AccountRef, number: int) -> str:
    post = 1000 + number // 5  # a post gathers several comments
    match account.network:
        case Network.VK:
            return f"https://vk.com/wall-{account.key}_{post}?reply={100000 + number}"
        case Network.OK:
            return f"https://ok.ru/group/{account.key}/topic/{150000000000 + number}"
        case Network.TELEGRAM:
            return f"https://t.me/{account.key}/{post}?comment={100000 + number}"
        case _:
            return f"https://max.ru/{account.key}/{200000 + number}"


def _community_link(network: Network, number: int, rng: random.Random) -> str:
    community = rng.choice(COMMUNITIES[network])
    match network:
        case Network.VK:
            return f"https://vk.com/wall-{community}_{50000 + number}"
        case Network.OK:
            return f"https://ok.ru/group/{community}/topic/{160000000000 + number}"
        case Network.TELEGRAM:
            return f"https://t.me/{community}/{20000 + number}"
        case _:
            return f"https://max.ru/{community}/{300000 + number}"


def _reply_url(link: str, reply: int, network: Network) -> str:
    base = link.split("?", 1)[0]
    return f"{base}?comment={reply}" if network is Network.TELEGRAM else f"{base}?reply={reply}"


class _Story:
    """One incident's life up to its demo state, as rows and audit events.

    Times are working-minute offsets from detection (`_Plan.times`); `at` turns one into
    a stored moment. One method per workflow stage.
    """

    def __init__(
        self,
        plan: _Plan,
        number: int,
        incident_id: int,
        *,
        office: _Office,
        tables: _Tables,
        audit: _AuditLog,
        clock: _WorkClock,
        rng: random.Random,
        answered: list[_Answered],
    ) -> None:
        self.plan, self.status, self.times = plan, plan.status, plan.times
        self.number, self.id = number, incident_id
        self.office, self.tables, self.audit, self.clock, self.rng = (
            office,
            tables,
            audit,
            clock,
            rng,
        )
        self.answered = answered
        self.operator = rng.choice(office.operators)
        self.curator = rng.choice(office.curators)
        self.row: dict[str, Any] = {}
        self.steps: list[dict[str, Any]] = []  # kept open until told, then queued
        self.version = 0
        self.last_change = (0, self.operator)
        self.assignments: list[tuple[int, int, _Who]] = []  # id, department id, executor
        self.return_reason = ""

    # -- helpers

    def at(self, offset: int) -> dt.datetime:
        return self.clock.moment(self.plan.detected + offset)

    def event(
        self,
        offset: int,
        who: _Who,
        action: str,
        *,
        status: IncidentStatus | None = None,
        entity: str = "incident",
        entity_id: int | None = None,
        **after: Any,
    ) -> None:
        if status is not None:
            after["status"] = status.value
        if status is not None or entity == "incident":  # the incident row changed
            self.version += 1
            self.last_change = (offset, who)
        self.audit.add(
            self.plan.detected + offset,
            who,
            action,
            self.id,
            entity=entity,
            entity_id=entity_id,
            after=after,
        )

    def step(
        self,
        kind: StepKind,
        start: int,
        due: int,
        done: int | None,
        rule: str,
        *,
        who: _Who | None = None,
        assignment: int | None = None,
        department: int | None = None,
    ) -> dict[str, Any]:
        step: dict[str, Any] = {
            "incident": self.id,
            "assignment": assignment,
            "kind": kind,
            "started_at": start,
            "due_at": due,
            "done_at": done,
            "responsible": None if who is None else who.id,
            "department": department,
            "rule": rule,
        }
        self.steps.append(step)
        return step

    def greeting(self) -> str:
        if self.address:
            return self.rng.choice(GREETINGS).format(name=self.address)
        return self.rng.choice(ANONYMOUS_GREETINGS)

    def answer(
        self,
        kind: AnswerKind,
        number: int,
        status: AnswerStatus,
        text: str,
        created: int,
        submitted: int | None,
        *,
        who: _Who | None = None,
        assignment: int | None = None,
        changed: int | None = None,
    ) -> int:
        author = who or self.executor
        last = changed if changed is not None else submitted if submitted is not None else created
        return self.tables.answer.add(
            incident=self.id,
            assignment=assignment or self.assignment,
            kind=kind,
            number=number,
            text=text,
            status=status,
            author=author.id,
            created_at=self.at(created),
            submitted_at=None if submitted is None else self.at(submitted),
            version=1 if last == created else 2,
            updated_at=self.at(last),
            updated_by=author.login,
        )

    # -- the story

    def tell(self) -> None:
        self.register()
        if "route" in self.times:
            self.route()
        if self.status is IncidentStatus.RETURNED:
            self.return_not_competent()
        if self.status is IncidentStatus.CLARIFICATION:
            self.ask_clarification()
        if "part" in self.times:
            self.submit_part()
        if self.status in _DRAFTED:
            self.draft_and_review()
        if self.status in _PUBLISHED:
            self.publish()
        if self.status in _CLOSED_UNANSWERED:
            self.close()
        self.save()

    def register(self) -> None:
        rng, office, number = self.rng, self.office, self.number
        self.topic = rng.choice(office.topics)
        center, *others = office.locations
        self.location = center if rng.random() < 0.35 else rng.choice(others)
        repeat = self.find_repeated()
        if repeat is not None:
            self.topic, self.location = repeat.topic, repeat.location
        street = rng.choice(STREETS)
        values = {"place": self.location[1], "street": street, "house": rng.randint(1, 120)}
        if self.status is IncidentStatus.NOT_TO_ANSWER:
            template, self.closure_note = rng.choice(ABUSIVE)
            text = template.format(**values)
        else:
            text = rng.choice(self.topic.subject.texts).format(**values)
            opener = REPEAT_OPENER if repeat is not None else rng.choice(OPENERS)
            text = opener + text + rng.choice(CLOSERS)
        self.author, self.address = _author(rng)
        candidates = [a for a in office.accounts if a.department in (None, self.topic.department)]
        account = rng.choice(candidates) if rng.random() < ON_OFFICIAL_PAGE else None
        if account is not None:
            network, link = account.network, _official_link(account, number)
        else:
            network = rng.choice(COMMUNITY_NETWORKS)
            link = _community_link(network, number, rng)
        if network_of(link) is not network:
            raise AssertionError(f"demo link {link} is not {network}")
        self.network, self.link = network, link
        monitoring = rng.random() < MONITORING_SHARE
        self.answer_due = self.plan.answer_minutes
        self.row = {
            "id": self.id,
            "number": number,
            "source": IncidentSource.MONITORING if monitoring else IncidentSource.OWN_SEARCH,
            "external_number": f"{4_100_000 + 3 * number + rng.randint(0, 2)}"
            if monitoring
            else "",
            "network": network,
            "account": None if account is None else account.id,
            "link": link,
            "link_key": link_key(link),
            "author_name": self.author,
            "author_url": _author_url(network, self.author, rng),
            "text": text,
            "posted_at": self.at(0) - dt.timedelta(minutes=rng.randint(3, 12 * HOUR)),
            "detected_at": self.at(0),
            "registered_at": self.at(0),
            "importance": Importance.HIGH if self.plan.high else Importance.NORMAL,
            "topic": self.topic.id,
            "location": self.location[0],
            "status": self.status,
            "regulation": REGULATION,
            "answer_due_at": self.at(self.answer_due),
            "repeat_of": None if repeat is None else repeat.incident_id,
            "registered_by": self.operator.id,
            "curator": self.curator.id,
        }
        after: dict[str, Any] = {"number": number, "network": network.value, "text": text}
        if repeat is not None:
            after["repeat_of"] = repeat.incident_id
        self.event(0, self.operator, "register", status=IncidentStatus.NEW, **after)
        rule = "п. 17 Порядка" if self.plan.high else "п. 9 Порядка"
        self.answer_step = self.step(StepKind.ANSWER, 0, self.answer_due, None, rule)
        self.route_step = self.step(
            StepKind.ROUTE, 0, ROUTE_MINUTES, None, "п. 10 Порядка", who=self.curator
        )
        if "notify" in self.times:
            notified = self.times["notify"]
            self.row["manager_notified_at"] = self.at(notified)
            self.event(notified, self.operator, "notify_manager", manager=self.office.manager.id)

    def find_repeated(self) -> _Answered | None:
        if self.rng.random() >= REPEAT_SHARE or self.status is IncidentStatus.NOT_TO_ANSWER:
            return None
        earlier = [a for a in self.answered[-50:] if a.published < self.plan.detected]
        return self.rng.choice(earlier) if earlier else None

    def route(self) -> None:
        routed = self.times["route"]
        self.route_step["done_at"] = routed
        main = self.office.departments[self.topic.department]
        territory = self.location[2]
        if territory is not None and self.topic.department == BEAUTIFICATION:
            main = self.office.departments[territory]  # the settlement keeps its own streets
        departments = [main]
        if self.plan.two_departments:
            helper = BEAUTIFICATION if territory is None else territory
            second = self.office.departments[helper]
            departments.append(second if second != main else self.office.departments[0])
        if self.status in _CLOSED_UNANSWERED or self.status is IncidentStatus.ANSWERED:
            state = AssignmentStatus.DONE
        elif self.status is IncidentStatus.RETURNED:
            state = AssignmentStatus.RETURNED
            self.return_reason = self.rng.choice(NOT_COMPETENT)
        elif self.status is IncidentStatus.ROUTED and self.rng.random() < 0.35:
            state = AssignmentStatus.ASSIGNED  # not opened yet
        else:
            state = AssignmentStatus.IN_WORK
        on = self.clock.local_date(self.plan.detected + routed)
        for position, department in enumerate(departments):
            executor = self.office.executor(department, on, self.rng)
            part_done = position > 0 and "part" in self.times
            row_state = AssignmentStatus.DONE if part_done else state
            changed, by = routed, executor
            if row_state is AssignmentStatus.ASSIGNED:
                by = self.curator
            elif row_state is AssignmentStatus.RETURNED:
                changed = self.times["return_not_competent"]
            elif row_state is AssignmentStatus.DONE:
                last = "part" if part_done else "publish" if "publish" in self.times else "close"
                changed = self.times[last]
            assignment = self.tables.assignment.add(
                incident=self.id,
                department=department,
                executor=executor.id,
                position=position,
                is_consolidator=len(departments) > 1 and position == 0,
                status=row_state,
                routed_at=self.at(routed),
                return_reason=self.return_reason if row_state is AssignmentStatus.RETURNED else "",
                version=1 if row_state is AssignmentStatus.ASSIGNED else 2,
                updated_at=self.at(changed),
                updated_by=by.login,
            )
            self.assignments.append((assignment, department, executor))
        self.assignment, self.department, self.executor = self.assignments[0]
        self.event(
            routed,
            self.curator,
            "route",
            status=IncidentStatus.ROUTED,
            departments=departments,
            consolidator=self.department if len(departments) > 1 else None,
        )
        if self.status in _DRAFTING:
            due = max(self.answer_due - DRAFT_BEFORE_DEADLINE, routed + 15)
            self.draft_step = self.step(
                StepKind.DRAFT,
                routed,
                due,
                None,
                "п. 12 Порядка",
                who=self.executor,
                assignment=self.assignment,
                department=self.department,
            )

    def return_not_competent(self) -> None:
        routed, returned = self.times["route"], self.times["return_not_competent"]
        self.step(
            StepKind.COMPETENCE_CHECK,
            routed,
            routed + COMPETENCE_MINUTES,
            returned,
            "п. 11 Порядка",
            who=self.executor,
            assignment=self.assignment,
            department=self.department,
        )
        self.event(
            returned,
            self.executor,
            "return_not_competent",
            status=IncidentStatus.RETURNED,
            entity="assignment",
            entity_id=self.assignment,
            reason=self.return_reason,
        )
        self.step(  # the curator routes it again (п. 11)
            StepKind.ROUTE,
            returned,
            returned + ROUTE_MINUTES,
            None,
            "п. 11 Порядка",
            who=self.curator,
        )

    def ask_clarification(self) -> None:
        routed, asked = self.times["route"], self.times["clarify"]
        self.step(
            StepKind.CLARIFICATION,
            routed,
            routed + CLARIFICATION_MINUTES,
            asked,
            "п. 13 Порядка",
            who=self.executor,
            assignment=self.assignment,
            department=self.department,
        )
        question = self.answer(
            AnswerKind.CLARIFICATION,
            1,
            AnswerStatus.PUBLISHED,
            CLARIFICATION_QUESTION.format(greeting=self.greeting()),
            max(routed + 1, asked - 10),
            asked,
        )
        self.event(
            asked,
            self.executor,
            "ask_clarification",
            status=IncidentStatus.CLARIFICATION,
            entity="answer_version",
            entity_id=question,
        )

    def submit_part(self) -> None:
        routed, done = self.times["route"], self.times["part"]
        assignment, department, executor = self.assignments[1]
        self.step(
            StepKind.PART,
            routed,
            routed + PART_MINUTES,
            done,
            "п. 19 Порядка",
            who=executor,
            assignment=assignment,
            department=department,
        )
        part = self.answer(
            AnswerKind.PART,
            1,
            AnswerStatus.SUBMITTED,
            f"Информация для сводного ответа: {self.topic.subject.answer}",
            max(routed + 1, done - 20),
            done,
            who=executor,
            assignment=assignment,
        )
        self.event(done, executor, "submit_part", entity="answer_version", entity_id=part)

    def draft_and_review(self) -> None:
        times, status = self.times, self.status
        kind = AnswerKind.INTERIM if status is IncidentStatus.INTERIM else AnswerKind.FINAL
        submitted = times["submit"]
        self.draft_step["done_at"] = submitted
        version = 1
        if "return" in times:
            self.rework(kind, submitted)
            if status is IncidentStatus.REWORK:
                return
            submitted, version = times["resubmit"], 2
        final = self.final_text(kind)
        answer_status = AnswerStatus.SUBMITTED
        if status is IncidentStatus.APPROVED:
            answer_status = AnswerStatus.APPROVED
        elif status in _PUBLISHED:
            answer_status = AnswerStatus.PUBLISHED
        created = times["redraft"] if version == 2 else max(times["route"] + 1, submitted - 25)
        self.final_answer = self.answer(
            kind,
            version,
            answer_status,
            final,
            created,
            submitted,
            changed=times.get("publish", times.get("approve", submitted)),
        )
        self.event(
            submitted,
            self.executor,
            "submit",
            status=IncidentStatus.ON_APPROVAL,
            entity="answer_version",
            entity_id=self.final_answer,
            version=version,
        )
        approved = times.get("approve")
        self.step(
            StepKind.REVIEW,
            submitted,
            submitted + REVIEW_MINUTES,
            approved,
            "п. 14 Порядка",
            who=self.curator,
            assignment=self.assignment,
            department=self.department,
        )
        if approved is None:
            return
        with_edits = self.rng.random() < 0.15
        self.tables.review.add(
            answer=self.final_answer,
            stage=ReviewStage.CURATOR,
            reviewer=self.curator.id,
            decision=ReviewDecision.APPROVE_WITH_EDITS if with_edits else ReviewDecision.APPROVE,
            reasons=[],
            comment="Исправлены запятые и приветствие." if with_edits else "",
            decided_at=self.at(approved),
        )
        self.event(
            approved,
            self.curator,
            "approve",
            status=IncidentStatus.APPROVED,
            entity="answer_version",
            entity_id=self.final_answer,
        )
        self.step(
            StepKind.PUBLISH,
            approved,
            approved + PUBLISH_MINUTES,
            times.get("publish"),
            "п. 16 Порядка",
            who=self.executor,
            assignment=self.assignment,
            department=self.department,
        )

    def final_text(self, kind: AnswerKind) -> str:
        greeting = self.greeting()
        if kind is AnswerKind.INTERIM:
            due = self.times["publish"] + FINAL_AFTER_INTERIM_MINUTES
            return INTERIM_ANSWER.format(
                greeting=greeting,
                department=DEPARTMENTS[self.office.departments.index(self.department)][1],
                date=self.clock.local_date(self.plan.detected + due).strftime("%d.%m.%Y"),
            )
        closing = self.rng.choice(ANSWER_CLOSINGS)
        return f"{greeting} {self.topic.subject.answer} {closing}".strip()

    def rework(self, kind: AnswerKind, submitted: int) -> None:
        times = self.times
        returned, redraft = times["return"], times["redraft"]
        first = self.answer(
            kind,
            1,
            AnswerStatus.RETURNED,
            self.rng.choice(FIRST_DRAFTS),
            max(times["route"] + 1, submitted - 30),
            submitted,
            changed=returned,
        )
        self.event(
            submitted,
            self.executor,
            "submit",
            status=IncidentStatus.ON_APPROVAL,
            entity="answer_version",
            entity_id=first,
            version=1,
        )
        self.step(
            StepKind.REVIEW,
            submitted,
            submitted + REVIEW_MINUTES,
            returned,
            "п. 14 Порядка",
            who=self.curator,
            assignment=self.assignment,
            department=self.department,
        )
        reasons = self.rng.sample(list(RETURN_COMMENTS), k=self.rng.randint(1, 2))
        comment = " ".join(RETURN_COMMENTS[r] for r in reasons)
        self.tables.review.add(
            answer=first,
            stage=ReviewStage.CURATOR,
            reviewer=self.curator.id,
            decision=ReviewDecision.RETURN,
            reasons=[r.value for r in reasons],
            comment=comment,
            decided_at=self.at(returned),
        )
        self.event(
            returned,
            self.curator,
            "return",
            status=IncidentStatus.REWORK,
            entity="answer_version",
            entity_id=first,
            reasons=[r.value for r in reasons],
            comment=comment,
        )
        resubmitted = times.get("resubmit")
        self.step(
            StepKind.REWORK,
            returned,
            returned + REWORK_MINUTES,
            resubmitted,
            "п. 15 Порядка",
            who=self.executor,
            assignment=self.assignment,
            department=self.department,
        )
        if self.status is IncidentStatus.REWORK:  # the second version is being written
            second = self.answer(
                kind, WORKING_NUMBER, AnswerStatus.DRAFT, self.final_text(kind), redraft, None
            )
            self.event(redraft, self.executor, "draft", entity="answer_version", entity_id=second)

    def publish(self) -> None:
        published = self.times["publish"]
        own_account = self.rng.random() < 0.1
        reply = 500000 + self.number
        if own_account:  # п. 16 not possible in the same thread: a post with a link
            admin = self.office.accounts[0]
            url = f"https://vk.com/wall-{admin.key}_{900000 + self.number}"
        else:
            url = _reply_url(self.link, reply, self.network)
        publication = self.tables.publication.add(
            incident=self.id,
            answer=self.final_answer,
            mode=PublicationMode.OWN_ACCOUNT if own_account else PublicationMode.PUBLIC_COMMENT,
            url=url,
            published_at=self.at(published),
            published_by=self.executor.id,
        )
        status = self.status
        self.event(
            published,
            self.executor,
            "publish",
            status=status,
            entity="publication",
            entity_id=publication,
            url=url,
        )
        self.answer_step["done_at"] = published
        if status is IncidentStatus.ANSWERED:
            self.row["answered_at"] = self.at(published)
            self.answered.append(
                _Answered(self.id, self.plan.detected + published, self.topic, self.location)
            )
        else:  # the final answer follows within 7 working days (п. 18)
            due = published + FINAL_AFTER_INTERIM_MINUTES
            self.step(
                StepKind.FINAL_AFTER_INTERIM,
                published,
                due,
                None,
                "п. 18 Порядка",
                who=self.executor,
                assignment=self.assignment,
                department=self.department,
            )
            self.row["answer_due_at"] = self.at(due)

    def close(self) -> None:
        closed = self.times["close"]
        if self.status is IncidentStatus.NOT_TO_ANSWER:
            self.row.update(closure=Closure.NOT_TO_ANSWER, closure_note=self.closure_note)
            after: dict[str, Any] = {"closure": Closure.NOT_TO_ANSWER.value}
        else:
            appeal = f"{self.rng.randint(100, 4999)}-ОГ"
            self.row.update(
                closure=Closure.OFFICIAL_APPEAL,
                closure_note=APPEAL_NOTE,
                appeal_number=appeal,
                appeal_date=self.clock.local_date(self.plan.detected + closed),
            )
            after = {"closure": Closure.OFFICIAL_APPEAL.value, "appeal_number": appeal}
        for step in self.steps:  # nothing is due on a closed incident
            if step["done_at"] is None:
                step["done_at"] = closed
        self.event(closed, self.curator, "close", status=self.status, **after)

    def save(self) -> None:
        for step in self.steps:
            self.tables.step.add(
                **{
                    **step,
                    "started_at": self.at(step["started_at"]),
                    "due_at": self.at(step["due_at"]),
                    "done_at": None if step["done_at"] is None else self.at(step["done_at"]),
                }
            )
        changed, who = self.last_change
        self.row.update(version=self.version, updated_at=self.at(changed), updated_by=who.login)
        self.tables.incident.add(**self.row)


# --- Entry points ----------------------------------------------------------------------------


def _fill(login: str, now: dt.datetime, incidents: int, seed: int) -> None:
    rng = random.Random(seed)
    archive = archive_minutes(incidents)
    # Calendar days enough for the archive's working days (5 of 7, holidays), and a margin.
    clock = _WorkClock(now, days_before=_WorkClock.DAYS_BEFORE + archive // WORKING_DAY * 3 // 2)
    office = run_write(lambda: _create_office(login, clock))
    models = (Incident, Assignment, Step, AnswerVersion, Review, Publication, AuditEvent)
    first_ids = run_read(lambda: [_next_id(model) for model in models])
    first_number = run_read(_next_number)
    tables = _Tables(*(_Table(m, i) for m, i in zip(models, first_ids, strict=True)))
    audit = _AuditLog(tables.audit, run_read(chain_head), clock)
    answered: list[_Answered] = []
    for rank, plan in enumerate(_plans(incidents, rng, clock, archive)):
        audit.release(before=plan.detected)
        _Story(
            plan,
            first_number + rank,
            tables.incident.next_id,
            office=office,
            tables=tables,
            audit=audit,
            clock=clock,
            rng=rng,
            answered=answered,
        ).tell()
        del answered[:-100]
        if (rank + 1) % INCIDENTS_PER_CHUNK == 0:
            tables.flush()
    audit.release()
    tables.flush()


def fill_demo_data(login: str, *, now: dt.datetime, incidents: int = 60, seed: int = 7) -> None:
    """Fill the bound, migrated, empty database. `now` is aware UTC.

    A demo of up to `INCIDENTS_PER_CHUNK` incidents is written in one transaction, so a
    failed first start leaves no half-filled office; larger ones are written in chunks.
    """
    if now.tzinfo is None:
        raise ValueError("now must be an aware UTC datetime")
    who = normalize_login(login)
    if incidents <= INCIDENTS_PER_CHUNK:
        run_write(lambda: _fill(who, now, incidents, seed))
    else:
        _fill(who, now, incidents, seed)


def create_demo_database(
    path: Path, *, incidents: int = 60, seed: int = 7, login: str | None = None
) -> None:
    """A new file at `path` filled with demo data, left closed and unbound.

    Refuses an existing file; a file whose filling failed is removed.
    """
    if path.exists():
        raise FileExistsError(f"{path} already exists")
    path.parent.mkdir(parents=True, exist_ok=True)
    who = login or os_login()
    open_office(DatabaseTarget(str(path), TargetOrigin.COMMAND_LINE), create=True)
    try:
        fill_demo_data(who, now=utcnow(), incidents=incidents, seed=seed)
    except BaseException:
        database.bind(None)
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)
        raise
    database.bind(None)


def open_demo_office() -> Office:
    """The embedded default database; created and filled on the first start.

    If filling the new file fails, the file is removed so that the next start tries again.
    """
    target = demo_target()
    target.path.parent.mkdir(parents=True, exist_ok=True)
    existed = target.path.exists()
    try:
        return open_office(
            target,
            create=True,
            on_created=lambda: fill_demo_data(os_login(), now=utcnow()),
        )
    except BaseException:
        if not existed:
            with contextlib.suppress(OSError):  # e.g. still open elsewhere on Windows
                target.path.unlink(missing_ok=True)
        raise
