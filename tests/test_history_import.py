"""Importing an office's old log or a monitoring export: reading, checking, one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook

from desktop.models.entities import (
    Assignment,
    AuditEvent,
    Department,
    Incident,
    Location,
    Step,
    Topic,
)
from desktop.models.enums import (
    AssignmentStatus,
    Importance,
    IncidentSource,
    IncidentStatus,
    Network,
    Role,
    StepKind,
)
from desktop.services import history_import
from desktop.services.audit import verify_chain
from desktop.services.errors import AccessDenied, ValidationError
from desktop.services.history_import import (
    ImportField,
    Table,
    TableRow,
    UnreadableFile,
    check_rows,
    guess_mapping,
    import_rows,
    network_by_name,
    read_table,
)
from desktop.services.incident_history import incident_history
from desktop.services.office import Office
from desktop.services.office_calendar import office_work_calendar
from desktop.services.regulations import get_preset
from desktop.services.session import CurrentUser

MakeUser = Callable[..., CurrentUser]
MSK = ZoneInfo("Europe/Moscow")
NOW = dt.datetime(2026, 1, 20, 9, 0, tzinfo=dt.UTC)
HEADERS = [
    "Номер",
    "Соцсеть",
    "Ссылка",
    "Автор",
    "Текст",
    "Тема",
    "Территория",
    "Важность",
    "Отдел",
    "Дата публикации",
    "Дата выявления",
    "Дата ответа",
]
# Tuesday 10:00 → answered 14:00 (Отрадненский: 8 working hours, in time); Friday 31.10.2025
# 18:30, before the working (shortened) Saturday and the 3–4 November days off → due on
# Wednesday, answered then; a high-importance message answered after its 4 hours; one never
# answered.
GOOD = [
    ["101", "ВКонтакте", "https://vk.com/wall-1_101", "Иван Петров", "Яма на улице Ленина",
     "Дороги", "Отрадная", "обычная", "Отдел ЖКХ", "11.02.2025 09:40", "11.02.2025 10:00",
     "11.02.2025 14:00"],
    ["102", "", "https://t.me/otradnaya/102", "Анна", "Нет света на Мира, 5",
     "Электроснабжение", "Отрадная", "", "Отдел ЖКХ", "", "31.10.2025 18:30",
     "05.11.2025 09:30"],
    ["103", "ОК", "", "Мария", "Не вывозят мусор третью неделю", "Благоустройство",
     "Посёлок Мирный", "высокая", "Отдел благоустройства", "", "12.03.2025 09:00",
     "13.03.2025 09:00"],
    ["104", "Telegram", "", "", "Когда отремонтируют школу?", "", "", "обычная", "", "",
     "17.03.2025 10:00", ""],
]  # fmt: skip


def csv_bytes(rows: Sequence[Sequence[str]], *, delimiter: str = ";", encoding: str = "utf-8",
              bom: bool = False) -> bytes:  # fmt: skip
    def quoted(cell: str) -> str:
        if any(ch in cell for ch in f'"\n{delimiter}'):
            return '"' + cell.replace('"', '""') + '"'
        return cell

    text = "\r\n".join(delimiter.join(quoted(c) for c in row) for row in rows) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)


def write_csv(path: Path, rows: Sequence[Sequence[str]], **how: object) -> Path:
    path.write_bytes(csv_bytes(rows, **how))  # type: ignore[arg-type]
    return path


def plan_of(path: Path, regulation: str = "otradnensky-2021") -> history_import.ImportPlan:
    table = read_table(path)
    return check_rows(table, guess_mapping(table.headers), get_preset(regulation), now=NOW)


@pytest.fixture
def curator(office: Office, make_user: MakeUser) -> CurrentUser:
    return make_user("curator", Role.CURATOR, full_name="Кузьмина Е. В.")


# --- reading ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "delimiter", "bom"),
    [
        ("utf-8", ";", False),
        ("utf-8", ",", True),
        ("utf-8", ";", True),
        ("cp1251", ";", False),
        ("cp1251", ",", False),
    ],
)
def test_csv_in_either_encoding_and_delimiter(
    tmp_path: Path, encoding: str, delimiter: str, bom: bool
) -> None:
    rows = [HEADERS, *GOOD]
    rows[2] = [*rows[2][:4], "Нет света;\nвторой день, «срочно»", *rows[2][5:]]
    path = write_csv(tmp_path / "log.csv", rows, delimiter=delimiter, encoding=encoding, bom=bom)
    table = read_table(path)
    assert table.headers == tuple(HEADERS)
    assert table.name == "log.csv"
    assert [row.line for row in table.rows] == [2, 3, 5, 6]  # the quoted text spans two lines
    assert table.rows[1].values[4] == "Нет света;\nвторой день, «срочно»"
    assert table.rows[2].values[6] == "Посёлок Мирный"


def test_xlsx_with_a_title_row_real_dates_and_text_dates(tmp_path: Path, office: Office) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Журнал сообщений за 2025 год"])
    sheet.append(HEADERS)
    first = GOOD[0][:]
    first[10] = dt.datetime(2025, 2, 11, 10, 0)  # type: ignore[call-overload]
    first[0] = 101  # type: ignore[call-overload]
    sheet.append(first)
    sheet.append([])
    sheet.append(GOOD[1])
    book.create_sheet("Справочник").append(["не читается"])
    book.save(tmp_path / "journal.xlsx")
    table = read_table(tmp_path / "journal.xlsx")
    assert table.headers == tuple(HEADERS)
    assert [row.line for row in table.rows] == [3, 5]
    assert table.rows[0].values[0] == "101"
    assert table.rows[0].values[10] == dt.datetime(2025, 2, 11, 10, 0)
    plan = check_rows(table, guess_mapping(table.headers), get_preset("otradnensky-2021"), now=NOW)
    assert not plan.bad
    assert plan.good[0].detected_at == dt.datetime(2025, 2, 11, 7, 0, tzinfo=dt.UTC)


def test_the_fixture_workbook_for_others_reads_cleanly(office: Office) -> None:
    path = Path(__file__).parent / "fixtures" / "import" / "journal-2025.xlsx"
    table = read_table(path)
    plan = check_rows(table, guess_mapping(table.headers), get_preset("otradnensky-2021"), now=NOW)
    assert len(plan.good) == len(table.rows) - len(plan.bad)
    assert len(plan.good) >= 20
    assert [(bad.line, bad.reason) for bad in plan.bad] == [
        (25, "Дата выявления: такой даты нет — «31.02.2025 10:00»"),
        (26, "Не указаны ни соцсеть, ни ссылка на сообщение"),
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("old.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 100, "старого формата"),
        ("broken.xlsx", b"PK\x03\x04 not really a zip", "не удалось прочитать как книгу Excel"),
        ("fake.xlsx", b"hello", "не похож на книгу Excel"),
        ("empty.csv", b"\r\n\r\n", "пуст"),
        ("binary.csv", b"\x00\x01\x02" * 50, "не похож на таблицу"),
    ],
)
def test_files_that_cannot_be_read(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableFile, match=message):
        read_table(path)


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile, match=r"Не удалось открыть файл nope\.csv"):
        read_table(tmp_path / "nope.csv")


# --- mapping ---------------------------------------------------------------------------------


def test_guess_mapping_by_name_case_yo_and_synonyms() -> None:
    headers = [
        "№",
        "СОЦСЕТЬ",
        "Ссылка на пост",
        "автор",
        "Текст сообщения",
        "Тематика",
        "Населенный пункт",
        "Важность:",
        "Отдел",
        "Дата размещения",
        "Дата выявления",
        "Ответ дан",
        "Примечание",
    ]
    mapping = guess_mapping(headers)
    assert mapping == {
        ImportField.NUMBER: "№",
        ImportField.NETWORK: "СОЦСЕТЬ",
        ImportField.LINK: "Ссылка на пост",
        ImportField.AUTHOR: "автор",
        ImportField.TEXT: "Текст сообщения",
        ImportField.TOPIC: "Тематика",
        ImportField.LOCATION: "Населенный пункт",
        ImportField.IMPORTANCE: "Важность:",
        ImportField.DEPARTMENT: "Отдел",
        ImportField.POSTED: "Дата размещения",
        ImportField.DETECTED: "Дата выявления",
        ImportField.ANSWERED: "Ответ дан",
    }


def test_an_exact_title_wins_over_a_synonym() -> None:
    assert guess_mapping(["Дата", "Дата выявления"]) == {ImportField.DETECTED: "Дата выявления"}


def test_the_text_and_the_detection_date_must_be_mapped(office: Office) -> None:
    table = Table(("Сообщение", "Когда"), (TableRow(2, ("Яма", "01.02.2025 10:00")),))
    with pytest.raises(ValidationError, match="«Дата выявления»"):
        check_rows(table, guess_mapping(table.headers), get_preset("otradnensky-2021"))
    mapping = {ImportField.TEXT: "Сообщение", ImportField.DETECTED: "Нет такого"}
    with pytest.raises(ValidationError, match="нет столбца «Нет такого»"):
        check_rows(table, mapping, get_preset("otradnensky-2021"))


@pytest.mark.parametrize(
    ("name", "network"),
    [
        ("ВКонтакте", Network.VK),
        ("ВК", Network.VK),
        ("vk", Network.VK),
        ("VK.com", Network.VK),
        ("Одноклассники", Network.OK),
        ("ОК", Network.OK),
        ("OK", Network.OK),
        ("Телеграм", Network.TELEGRAM),
        ("ТГ", Network.TELEGRAM),
        ("Telegram", Network.TELEGRAM),
        ("Макс", Network.MAX),
        ("MAX", Network.MAX),
        ("WhatsApp", Network.WHATSAPP),
        ("Instagram", Network.INSTAGRAM),
        ("Facebook", Network.FACEBOOK),
        ("X", Network.X),
        ("Twitter", Network.X),
        ("Инцидент Менеджмент", Network.INCIDENT_MANAGER),
        ("ПОС", Network.POS),
        ("e-mail", Network.EMAIL),
        ("Жёлтые страницы", None),
        ("Instagram*", Network.INSTAGRAM),  # as Russian media mark it
        ("Facebook*", Network.FACEBOOK),
        ("Телеграм-канал", Network.TELEGRAM),
        ("ОК.ру", Network.OK),
        ("VK Мессенджер", Network.VK),
    ],
)
def test_network_names(name: str, network: Network | None) -> None:
    assert network_by_name(name) == network


# --- checking --------------------------------------------------------------------------------


def test_bad_rows_are_listed_with_their_line_and_reason(tmp_path: Path, office: Office) -> None:
    def row(**changes: str) -> list[str]:
        values = dict(zip(HEADERS, GOOD[0], strict=True))
        values["Ссылка"] = ""
        values.update({key.replace("_", " "): value for key, value in changes.items()})
        return [values[h] for h in HEADERS]

    rows = [
        HEADERS,
        row(Текст="   "),  # 2
        row(Дата_выявления="32.01.2025 10:00"),  # 3
        row(Дата_выявления="вчера"),  # 4
        row(Дата_выявления=""),  # 5
        row(Важность="срочная"),  # 6
        row(Дата_ответа="11.02.2025 09:00"),  # 7
        row(Соцсеть="Жёлтые страницы", Текст="Отзыв в справочнике", Номер=""),  # 8: good, «другое»
        row(Соцсеть=""),  # 9
        row(Ссылка="ссылка"),  # 10
        row(Дата_публикации="12.02.2025 10:00"),  # 11
        row(Дата_выявления="01.02.2030 10:00", Дата_ответа=""),  # 12
        row(Соцсеть="Жёлтые страницы", Ссылка="https://example.org/news/1"),  # 13: good, other
        row(Соцсеть="Жёлтые страницы", Ссылка="https://example.org/news/1", Текст="Ещё"),  # 14
        row(Текст="Яма на улице Ленина", Номер="", Соцсеть="ВК"),  # 15 repeats 13 by text
    ]
    plan = plan_of(write_csv(tmp_path / "bad.csv", rows))
    assert [(bad.line, bad.reason) for bad in plan.bad] == [
        (2, "Текст сообщения пуст"),
        (3, "Дата выявления: такой даты нет — «32.01.2025 10:00»"),
        (
            4,
            "Дата выявления: не понимаю «вчера» — пишите ДД.ММ.ГГГГ ЧЧ:ММ, "
            "например 24.11.2025 14:30",
        ),
        (5, "Не указана дата выявления"),
        (6, "Важность «срочная» — можно «обычная» или «высокая»"),
        (7, "Дата ответа раньше даты выявления"),
        (9, "Не указаны ни соцсеть, ни ссылка на сообщение"),
        (
            10,
            "Ссылка не похожа на адрес страницы: «ссылка». Скопируйте её из адресной строки "
            "браузера, например https://vk.com/wall-1_2",
        ),
        (11, "Дата публикации позже даты выявления"),
        (12, "Дата выявления в будущем: 01.02.2030 07:00 UTC"),
        (14, "повторяет строку 13"),
        (15, "повторяет строку 13"),
    ]
    assert [(row.line, row.network) for row in plan.good] == [
        (8, Network.OTHER),
        (13, Network.OTHER),
    ]


def test_importance_and_date_spellings(tmp_path: Path, office: Office) -> None:
    rows = [HEADERS, GOOD[0][:], GOOD[1][:]]
    rows[1][7], rows[1][10], rows[1][11] = "Высокая", "11.02.25 10:00", "2025-02-11 12:30"
    rows[2][7], rows[2][10] = "", "21.02.2025 18:30:59"
    plan = plan_of(write_csv(tmp_path / "x.csv", rows))
    assert not plan.bad
    high, normal = plan.good
    assert high.importance is Importance.HIGH
    assert high.detected_at == dt.datetime(2025, 2, 11, 7, 0, tzinfo=dt.UTC)
    assert high.answered_at == dt.datetime(2025, 2, 11, 9, 30, tzinfo=dt.UTC)
    assert normal.importance is Importance.NORMAL
    assert normal.detected_at == dt.datetime(2025, 2, 21, 15, 30, 59, tzinfo=dt.UTC)  # kept


# --- importing -------------------------------------------------------------------------------


def test_deadlines_follow_the_regulation_and_answers_count_on_time_or_late(
    tmp_path: Path, curator: CurrentUser
) -> None:
    plan = plan_of(write_csv(tmp_path / "log.csv", [HEADERS, *GOOD]))
    assert (len(plan.good), plan.answered_rows, plan.open_rows) == (4, 3, 1)
    result = import_rows(curator, plan, str(tmp_path / "log.csv"), now=NOW)
    assert (result.imported, result.answered, result.on_time) == (4, 3, 2)
    assert result.numbers == (1, 2, 3, 4)
    regulation = get_preset("otradnensky-2021")
    calendar = office_work_calendar()
    incidents = {i.external_number: i for i in Incident.select()}
    for number, detected, importance, network in (
        ("101", dt.datetime(2025, 2, 11, 10, 0), Importance.NORMAL, Network.VK),
        ("102", dt.datetime(2025, 10, 31, 18, 30), Importance.NORMAL, Network.TELEGRAM),
        ("103", dt.datetime(2025, 3, 12, 9, 0), Importance.HIGH, Network.OK),
    ):
        planned = regulation.deadlines(
            detected, importance=importance, channel=network, calendar=calendar
        ).answer
        assert planned is not None
        incident = incidents[number]
        assert incident.answer_due_at == planned.replace(tzinfo=MSK).astimezone(dt.UTC)
        assert (incident.network, incident.importance) == (network, importance)
    # Friday evening: 7 hours of the shortened working Saturday, then the days off 2–4
    # November; the last hour runs on Wednesday morning.
    assert incidents["102"].answer_due_at.astimezone(MSK) == dt.datetime(
        2025, 11, 5, 10, 0, tzinfo=MSK
    )
    assert incidents["101"].answered_at <= incidents["101"].answer_due_at  # in time
    assert incidents["102"].answered_at <= incidents["102"].answer_due_at  # Wednesday 9:30
    assert incidents["103"].answered_at > incidents["103"].answer_due_at  # 4 h for high: late
    for number in ("101", "102", "103"):
        incident = incidents[number]
        assert incident.status is IncidentStatus.ANSWERED
        assert incident.registered_at == incident.detected_at
        assert incident.regulation == "otradnensky-2021"
        assert incident.source is IncidentSource.OWN_SEARCH
        steps = list(Step.select().where(Step.incident == incident.id))
        assert [(s.kind, s.started_at, s.due_at, s.done_at) for s in steps] == [
            (
                StepKind.ANSWER,
                incident.detected_at,
                incident.answer_due_at,
                incident.answered_at,
            )
        ]
        (assignment,) = Assignment.select().where(Assignment.incident == incident.id)
        assert assignment.status is AssignmentStatus.DONE
    assert Department.get_by_id(
        Assignment.get(Assignment.incident == incidents["103"].id).department_id
    ).name == ("Отдел благоустройства")


def test_unanswered_rows_come_in_open(tmp_path: Path, curator: CurrentUser) -> None:
    routed = GOOD[3][:]
    routed[0], routed[8], routed[4] = "105", "Отдел образования", "Протекает крыша в школе"
    plan = plan_of(write_csv(tmp_path / "log.csv", [HEADERS, GOOD[3], routed]))
    import_rows(curator, plan, "log.csv", now=NOW)
    new = Incident.get(Incident.external_number == "104")
    assert (new.status, new.answered_at) == (IncidentStatus.NEW, None)
    open_kinds = {
        s.kind for s in Step.select().where((Step.incident == new.id) & Step.done_at.is_null())
    }
    assert open_kinds == {StepKind.ANSWER, StepKind.ROUTE}
    assert not Assignment.select().where(Assignment.incident == new.id).exists()
    sent = Incident.get(Incident.external_number == "105")
    assert sent.status is IncidentStatus.ROUTED
    (assignment,) = Assignment.select().where(Assignment.incident == sent.id)
    assert assignment.status is AssignmentStatus.IN_WORK
    draft = Step.get((Step.incident == sent.id) & (Step.kind == StepKind.DRAFT))
    assert (draft.assignment_id, draft.done_at) == (assignment.id, None)
    # The log says nothing of routing or drafting: those steps carry no deadline, so the
    # reports' violations are the answers' only, as in the log.
    for incident in (new, sent):
        steps = Step.select().where(Step.incident == incident.id)
        assert {s.kind for s in steps if s.due_at is not None} == {StepKind.ANSWER}


def test_a_regulation_counting_from_the_monitoring_deadline_needs_it(
    tmp_path: Path, office: Office
) -> None:
    plan = plan_of(write_csv(tmp_path / "log.csv", [HEADERS, GOOD[0]]), "barnaul-leninsky")
    assert not plan.good
    [bad] = plan.bad
    assert "«Срок ответа»" in bad.reason  # not an answer «in time» with no deadline


def test_comments_under_one_post_are_different_messages(
    tmp_path: Path, curator: CurrentUser
) -> None:
    second = GOOD[0][:]
    second[0], second[4], second[10] = "", "И у дома 7 такая же", "11.02.2025 11:15"
    plan = plan_of(write_csv(tmp_path / "log.csv", [HEADERS, GOOD[0], second]))
    assert not plan.bad and len(plan.good) == 2  # one post's link, two comments
    import_rows(curator, plan, "log.csv", now=NOW)
    again = plan_of(write_csv(tmp_path / "log.csv", [HEADERS, GOOD[0], second]))
    assert not again.good and len(again.duplicates) == 2


def test_names_are_matched_without_case_and_yo_or_created_once(
    tmp_path: Path, curator: CurrentUser
) -> None:
    Department.create(name="Отдел ЖКХ", updated_by="x")
    Topic.create(name="Благоустройство", updated_by="x")
    Location.create(name="Посёлок Мирный", updated_by="x")
    rows = [HEADERS, *(row[:] for row in GOOD)]
    rows[1][8], rows[2][8] = "отдел жкх", "ОТДЕЛ ЖКХ"
    rows[3][5], rows[3][6] = "БЛАГОУСТРОЙСТВО", "поселок мирный"
    rows[4][5], rows[4][6] = "Электроснабжение", "Отрадная"
    result = import_rows(curator, plan_of(write_csv(tmp_path / "l.csv", rows)), "l.csv", now=NOW)
    assert result.created_departments == ("Отдел благоустройства",)
    assert result.created_topics == ("Дороги", "Электроснабжение")
    assert result.created_locations == ("Отрадная",)
    assert Department.select().count() == 2
    assert Topic.select().count() == 3
    assert Location.select().count() == 2
    matched = Incident.get(Incident.external_number == "103")
    assert Topic.get_by_id(matched.topic_id).name == "Благоустройство"
    assert Location.get_by_id(matched.location_id).name == "Посёлок Мирный"
    both = {Assignment.get(Assignment.incident == i).department_id for i in (1, 2)}
    assert both == {Department.get(Department.name == "Отдел ЖКХ").id}


def test_a_second_import_of_the_same_file_imports_nothing(
    tmp_path: Path, curator: CurrentUser
) -> None:
    path = write_csv(tmp_path / "log.csv", [HEADERS, *GOOD])
    first = import_rows(curator, plan_of(path), path.name, now=NOW)
    again = plan_of(path)
    assert again.good == ()
    assert [(d.line, d.number) for d in again.duplicates] == [(2, 1), (3, 2), (4, 3), (5, 4)]
    second = import_rows(curator, again, path.name, now=NOW)
    assert (first.imported, second.imported, len(second.skipped_duplicates)) == (4, 0, 4)
    assert Incident.select().count() == 4
    # A link written differently is the same message; so is a number with the same moment.
    moved = [row[:] for row in GOOD[:2]]
    moved[0][2] = "http://m.vk.com/wall-1_101/"
    moved[1][1:3] = ["Telegram", ""]
    moved[1][4] = "Текст исправлен, номер тот же"
    plan = plan_of(write_csv(tmp_path / "other.csv", [HEADERS, *moved]))
    assert [(d.line, d.number) for d in plan.duplicates] == [(2, 1), (3, 2)]


def test_a_row_registered_meanwhile_is_skipped_at_import(
    tmp_path: Path, curator: CurrentUser
) -> None:
    plan = plan_of(write_csv(tmp_path / "log.csv", [HEADERS, *GOOD]))
    import_rows(curator, plan_of(write_csv(tmp_path / "one.csv", [HEADERS, GOOD[1]])), "one.csv")
    result = import_rows(curator, plan, "log.csv", now=NOW)
    assert result.imported == 3
    assert [(d.line, d.number) for d in result.skipped_duplicates] == [(3, 1)]
    assert Incident.select().count() == 4


def test_a_failure_in_the_middle_leaves_the_database_unchanged(
    tmp_path: Path, curator: CurrentUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = plan_of(write_csv(tmp_path / "log.csv", [HEADERS, *GOOD]))
    real = history_import.write_row
    calls: list[int] = []

    def breaking(*args: object) -> None:
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("the share went away")
        real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(history_import, "write_row", breaking)
    tables = (Incident, Step, Assignment, Department, Topic, Location, AuditEvent)
    before = [model.select().count() for model in tables]
    with pytest.raises(RuntimeError):
        import_rows(curator, plan, "log.csv", now=NOW)
    assert len(calls) == 3
    assert [model.select().count() for model in tables] == before


def test_the_import_is_audited(tmp_path: Path, curator: CurrentUser) -> None:
    path = write_csv(tmp_path / "журнал.csv", [HEADERS, *GOOD, ["", "", "", "", ""]])
    bad_path = write_csv(tmp_path / "журнал.csv", [HEADERS, *GOOD, [*GOOD[0][:4], ""]])
    assert path == bad_path
    result = import_rows(curator, plan_of(path), str(path), now=NOW)
    event = AuditEvent.get(AuditEvent.action == "import_history")
    assert (event.actor_login, event.entity, event.incident_id) == ("curator", "import", None)
    assert event.after == {
        "file": "журнал.csv",
        "regulation": "otradnensky-2021",
        "source": "own_search",
        "imported": 4,
        "skipped_duplicates": 0,
        "bad": 1,
        "numbers": [1, 4],
        "created_departments": ["Отдел ЖКХ", "Отдел благоустройства"],
        "created_topics": ["Дороги", "Электроснабжение", "Благоустройство"],
        "created_locations": ["Отрадная", "Посёлок Мирный"],
    }
    assert result.bad[0].line == 6
    assert verify_chain().ok
    history = incident_history(1, MSK)
    assert [entry.text for entry in history] == [
        "Импортировано из журнала «журнал.csv», строка 2 (№ 1)"
    ]


def test_a_monitoring_export_and_another_regulation(tmp_path: Path, curator: CurrentUser) -> None:
    plan = plan_of(write_csv(tmp_path / "im.csv", [HEADERS, GOOD[1]]), "okhinsky-2023")
    import_rows(curator, plan, "im.csv", source=IncidentSource.MONITORING, now=NOW)
    incident = Incident.get()
    assert (incident.source, incident.regulation) == (IncidentSource.MONITORING, "okhinsky-2023")
    planned = get_preset("okhinsky-2023").deadlines(
        dt.datetime(2025, 10, 31, 18, 30), channel=Network.TELEGRAM, calendar=office_work_calendar()
    )
    assert planned.answer is not None
    assert incident.answer_due_at == planned.answer.replace(tzinfo=MSK).astimezone(dt.UTC)


def test_only_curators_and_administrators_import(
    tmp_path: Path, office: Office, make_user: MakeUser
) -> None:
    plan = plan_of(write_csv(tmp_path / "log.csv", [HEADERS, GOOD[0]]))
    with pytest.raises(AccessDenied, match="импортировать журнал"):
        import_rows(make_user("operator", Role.OPERATOR), plan, "log.csv")
    assert Incident.select().count() == 0
    import_rows(make_user("admin", Role.ADMINISTRATOR), plan, "log.csv")
    assert Incident.select().count() == 1


def test_imported_answers_count_as_first_answers_in_the_report(
    tmp_path: Path, curator: CurrentUser
) -> None:
    from desktop.services.report_model import ReportQuery
    from desktop.services.reports import build_report, month_period

    plan = plan_of(write_csv(tmp_path / "log.csv", [HEADERS, *GOOD]))
    import_rows(curator, plan, "log.csv", now=NOW)
    report = build_report(ReportQuery(month_period(2025, 2)), now=NOW)
    answered = report.summary.answered
    assert answered >= 1
    first_answer, publication = report.timings[1], report.timings[2]
    assert first_answer.count == publication.count == answered  # no publication rows needed
    kinds = {row.name: row.total for row in report.by_answer_kind}
    assert kinds.get("ответ") == answered
