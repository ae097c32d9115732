"""Searching incidents: the trigram index, its triggers, the short-term scan and the number."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from desk import Desk

from desktop.models import database
from desktop.models.entities import SEARCH_TABLE, Incident
from desktop.models.enums import IncidentStatus, Network
from desktop.models.migrations.m0001_initial import TRACKED_TABLES
from desktop.services.changes import ChangeFeed
from desktop.services.config import DatabaseTarget, TargetOrigin
from desktop.services.incidents import IncidentService
from desktop.services.office import Office, open_office
from desktop.services.search import (
    MAX_QUERY_LENGTH,
    glob_pattern,
    like_patterns,
    search_incidents,
    search_terms,
)

FIXTURES = Path(__file__).parent / "fixtures"
T0 = dt.datetime(2026, 11, 2, 6, 0, tzinfo=dt.UTC)


@pytest.fixture
def desk(office: Office) -> Desk:
    return Desk(office, "konyshevsky-2020")


def register(desk: Desk, text: str, **fields: object) -> int:
    """A message through the IncidentService, without a link unless one is given.

    Desk's own links hold digits, `_` and `:`, which would muddle the searches for them.
    """
    if "link" not in fields:
        fields.update(link="", network=Network.VK)
    return desk.register(text, **fields)


def edit(desk: Desk, incident_id: int, **changes: object) -> None:
    service = desk.svc(desk.curator)
    service.edit(incident_id, IncidentService.version_of(incident_id), dict(changes))


def index_is_sound() -> bool:
    db = database.bound_database()
    db.execute_sql(
        f'INSERT INTO "{SEARCH_TABLE}" ("{SEARCH_TABLE}", "rank") VALUES (\'integrity-check\', 0)'
    )
    return [row[0] for row in db.execute_sql("PRAGMA integrity_check").fetchall()] == ["ok"]


def test_case_does_not_matter_in_russian(desk: Desk) -> None:
    lower = register(desk, "не горит фонарь на ул. ленина")
    upper = register(desk, "НЕ ГОРИТ ФОНАРЬ НА УЛ. ЛЕНИНА")
    mixed = register(desk, "Не горит фонарь на ул. Ленина")
    register(desk, "Яма на дороге у школы")
    for query in ("Ленина", "ленина", "ЛЕНИНА", "лЕнИнА"):
        assert search_incidents(query) == {lower, upper, mixed}, query


def test_parts_of_words_and_word_forms(desk: Desk) -> None:
    nominative = register(desk, "Нет освещение во дворе")
    genitive = register(desk, "Нет освещения на остановке")
    register(desk, "Нет света в подъезде")
    assert search_incidents("освещ") == {nominative, genitive}
    assert search_incidents("свещени") == {nominative, genitive}
    assert search_incidents("освещения") == {genitive}


def test_every_term_must_match_in_any_order_and_any_column(desk: Desk) -> None:
    both = register(desk, "Фонарь не горит на Ленина")
    register(desk, "Фонарь не горит на Мира")
    register(desk, "Яма на Ленина")
    by_author = register(desk, "Фонарь разбит", author_name="Житель Ленина")
    assert search_incidents("фонарь ленина") == {both, by_author}
    assert search_incidents("ЛЕНИНА  Фонарь") == {both, by_author}
    assert search_incidents("фонарь ленина мира") == set()


def test_short_terms_fall_back_to_a_scan_in_every_case(desk: Desk) -> None:
    street = register(desk, "Яма на Ул. Садовой")
    upper = register(desk, "ЯМА НА УЛИЦЕ МИРА")
    lower = register(desk, "яма у колодца, улица Мира")
    house = register(desk, "Подъезд 5 не убран")
    assert search_incidents("ул") == {street, upper, lower}
    assert search_incidents("УЛ") == {street, upper, lower}
    assert search_incidents("Ул") == {street, upper, lower}
    assert search_incidents("я") == {street, upper, lower}
    assert search_incidents("ъ") == {house}
    assert search_incidents("5") == {house}
    assert search_incidents("ул 5") == set()
    # Mixed with a longer term, the scan checks the index's hits.
    assert search_incidents("ул садов") == {street}
    assert search_incidents("садов ул") == {street}
    assert search_incidents("ул колод") == {lower}


def test_the_scan_takes_like_wildcards_literally(desk: Desk) -> None:
    percent = register(desk, "Скидка 50% на проезд")
    underscore = register(desk, "Ник пользователя a_b")
    backslash = register(desk, "Путь C:\\files")
    register(desk, "Обычное сообщение без знаков")
    assert search_incidents("%") == {percent}
    assert search_incidents("_") == {underscore}
    assert search_incidents("\\") == {backslash}
    assert search_incidents("0%") == {percent}


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '""',
        '"Ленина',
        'Ленина"',
        '"Ленина"',
        "*",
        "Лен*",
        "AND",
        "OR",
        "NOT",
        "Ленина AND",
        "OR Ленина",
        "NEAR(Ленина фонарь)",
        "NEAR(",
        "(",
        ")",
        "(Ленина)",
        "-",
        "-Ленина",
        ":",
        "text:",
        "text:Ленина",
        "link:wall",
        "{text link}: Ленина",
        "^Ленина",
        "+",
        "'",
        "' OR 1=1 --",
        "%",
        "_",
        "\\",
        "[",
        'ё"*:()',
    ],
)
def test_typed_operators_are_text_not_syntax(desk: Desk, query: str) -> None:
    register(desk, "Фонарь на Ленина не горит")
    # Taken literally, none of them is in the text (none raises either).
    assert search_incidents(query) == set()


def test_operators_in_the_text_are_found_as_typed(desk: Desk) -> None:
    quoted = register(desk, 'Жители ТСЖ "Рассвет" и NEAR(центр) AND OR: жалоба -1*')
    register(desk, "Жители ТСЖ Рассвет жалуются")
    for query in ('"Рассвет"', "NEAR(центр)", "AND OR:", "-1*", 'ТСЖ "Рассвет"'):
        assert search_incidents(query) == {quoted}, query


def test_links_and_their_parts(desk: Desk) -> None:
    wall = register(desk, "Сообщение", link="https://vk.com/wall-1_42")
    other = register(desk, "Сообщение", link="https://vk.com/wall-1_420")
    telegram = register(desk, "Сообщение", link="https://t.me/otradnaya_chat/20011")
    assert search_incidents("wall-1_42") == {wall, other}
    assert search_incidents("https://vk.com/wall-1_42") == {wall, other}
    assert search_incidents("vk.com") == {wall, other}
    assert search_incidents("otradnaya_chat") == {telegram}
    assert search_incidents("T.ME/Otradnaya") == {telegram}
    assert search_incidents("20011") == {telegram}


def test_author_name_and_profile_link(desk: Desk) -> None:
    marina = register(
        desk, "Сообщение", author_name="Марина Кузнецова", author_url="https://vk.com/id825883888"
    )
    register(desk, "Сообщение", author_name="Иван Петров", author_url="https://vk.com/id1")
    assert search_incidents("марина") == {marina}
    assert search_incidents("Кузнец марин") == {marina}
    assert search_incidents("id825883") == {marina}


def test_a_number_finds_the_message_with_that_number(desk: Desk) -> None:
    first = register(desk, "Яма на дороге")
    second = register(desk, "Фонарь не горит")
    mentions = register(desk, "Повторно про сообщение 2, ответа нет")
    assert desk.incident(second).number == 2
    for query in ("2", " 2 "):
        assert search_incidents(query) == {second, mentions}, query
    for query in ("№2", "№ 2", "#2"):  # «№2» itself is in no text
        assert search_incidents(query) == {second}, query
    assert search_incidents("1") == {first}
    assert search_incidents("0") == set()
    assert search_incidents("99999999999999999999") == set()  # past SQLite's integers


def test_a_long_number_finds_the_message_and_texts_holding_it(office: Office) -> None:
    numbered = Incident.create(number=1234, network=Network.VK, text="Без цифр", detected_at=T0)
    holding = Incident.create(number=1, network=Network.VK, text="Счёт 12345", detected_at=T0)
    Incident.create(number=2, network=Network.VK, text="Счёт 123", detected_at=T0)
    assert search_incidents("1234") == {numbered.id, holding.id}
    assert search_incidents("№1234") == {numbered.id}
    assert search_incidents("№ 1234") == {numbered.id}


def test_yo_and_ye_find_each_other(desk: Desk) -> None:
    yo = register(desk, "Ёлку на площади не убрали", author_name="Алёна")
    ye = register(desk, "елку на площади не убрали", author_name="Алена")
    upper = register(desk, "ЁЛКУ НА ПЛОЩАДИ НЕ УБРАЛИ")
    fir = register(desk, "Ель упала")
    for query in ("ёлку", "елку", "ЁЛКУ", "Елку"):
        assert search_incidents(query) == {yo, ye, upper}, query
    assert search_incidents("алена") == search_incidents("АЛЁНА") == {yo, ye}
    assert search_incidents("ёл") == {yo, ye, upper, fir}  # the short-term scan folds ё too
    assert search_incidents("Ё") == search_incidents("е") != set()


def test_editing_a_card_changes_what_is_found(desk: Desk) -> None:
    incident = register(desk, "Не вывозят мусор", author_name="Ольга")
    assert search_incidents("мусор") == {incident}
    edit(desk, incident, text="Не убран снег", author_name="Пётр", link="https://vk.com/wall-7_7")
    assert search_incidents("мусор") == set()
    assert search_incidents("ольга") == set()
    assert search_incidents("снег") == {incident}
    assert search_incidents("петр") == {incident}
    assert search_incidents("wall-7_7") == {incident}
    assert index_is_sound()


def test_workflow_actions_keep_the_incident_findable(desk: Desk) -> None:
    incident = register(desk, "Нет воды на ул. Садовая")
    desk.svc(desk.curator).close_not_to_answer(incident, "угрозы")
    assert desk.incident(incident).status is IncidentStatus.NOT_TO_ANSWER
    assert search_incidents("садовая") == {incident}  # closed ones too: the caller filters
    assert index_is_sound()


def test_an_update_that_leaves_the_indexed_columns_alone_does_not_reindex(desk: Desk) -> None:
    incident = register(desk, "Нет воды")
    db = database.bound_database()
    connection = db.connection()

    def writes_of(sql: str, *params: object) -> int:
        before = connection.total_changes
        db.execute_sql(sql, params)
        return int(connection.total_changes - before)

    note_only = writes_of('UPDATE "incident" SET "note" = ? WHERE "id" = ?', "x", incident)
    same_text = writes_of('UPDATE "incident" SET "text" = "text" WHERE "id" = ?', incident)
    new_text = writes_of('UPDATE "incident" SET "text" = ? WHERE "id" = ?', "Нет газа", incident)
    assert note_only == same_text < new_text
    assert search_incidents("газа") == {incident}
    assert search_incidents("воды") == set()


def test_a_deleted_incident_is_no_longer_found(desk: Desk) -> None:
    kept = register(desk, "Яма на дороге")
    deleted = register(desk, "Яма во дворе")
    Incident.delete_by_id(deleted)
    assert search_incidents("яма") == {kept}
    assert search_incidents("во дворе") == set()
    assert index_is_sound()


def test_a_blank_query_matches_nothing(desk: Desk) -> None:
    register(desk, "Яма")
    assert search_incidents("") == set()
    assert search_incidents("  \t\n") == set()


def test_limit_keeps_the_numbered_message_and_the_newest(desk: Desk) -> None:
    ids = [register(desk, "Яма у дома 1") for _ in range(5)]
    assert search_incidents("яма", limit=2) == set(ids[-2:])
    assert search_incidents("ям", limit=2) == set(ids[-2:])
    assert search_incidents("яма", limit=0) == set()
    assert search_incidents("1") == set(ids)
    assert search_incidents("1", limit=1) == {ids[0]}  # message № 1
    assert search_incidents("1", limit=2) == {ids[0], ids[-1]}
    with pytest.raises(ValueError):
        search_incidents("яма", limit=-1)


def test_terms_are_folded_deduplicated_and_the_implied_ones_dropped() -> None:
    assert search_terms("  Ёлка  ЕЛКА ул ул.  ") == ["Елка", "ул."]
    assert search_terms("ул Ленина") == ["ул", "Ленина"]
    assert search_terms("") == []


def test_a_short_term_with_many_spellings_is_scanned_by_glob(desk: Desk) -> None:
    hers = register(desk, "Её дом не убран")
    plain = register(desk, "ее дом не убран")
    upper = register(desk, "ЕЁ ДОМ НЕ УБРАН")
    mixed = register(desk, "Про её* и ?[ee]")
    register(desk, "Ель упала")
    for query in ("её", "ее", "ЕЁ", "еЕ"):  # sixteen spellings each
        assert search_incidents(query) == {hers, plain, upper, mixed}, query
    assert search_incidents("ел") == search_incidents("ёл") != set()
    assert search_incidents("ё*") == {mixed}  # GLOB's wildcards mean themselves
    assert search_incidents("?[") == {mixed}
    assert search_incidents("её дом") == {hers, plain, upper}


def test_glob_patterns_spell_every_case_and_escape_wildcards() -> None:
    assert glob_pattern("её") == "*[ЁЕеё][ЁЕеё]*"
    assert glob_pattern("ул") == "*[Уу][Лл]*"
    assert glob_pattern("a*") == "*[Aa][*]*"
    assert glob_pattern("?[") == "*[?][[]*"
    assert glob_pattern("е]") == "*[ЁЕеё]]*"


def test_pasted_text_nul_and_endless_queries_are_searched_not_refused(desk: Desk) -> None:
    long_text = "Добрый день. " + "Во дворе дома 5 по ул. Ленина не убран мусор. " * 40
    incident = register(desk, long_text)
    register(desk, "Яма на дороге")
    assert search_incidents(long_text) == {incident}  # its first characters
    assert len(long_text) > MAX_QUERY_LENGTH
    assert search_incidents("мусор\0Ленина") == {incident}
    assert search_incidents("\0") == set()
    assert search_incidents("\0ab") == set()
    endless = " ".join(chr(0x430 + n % 32) + chr(0x430 + n // 32 % 32) for n in range(2000))
    assert search_incidents(endless) == set()


def test_like_patterns_spell_cyrillic_in_each_case_and_escape_wildcards() -> None:
    assert set(like_patterns("ул")) == {"%ул%", "%уЛ%", "%Ул%", "%УЛ%"}
    assert like_patterns("ab") == ["%ab%"]  # LIKE folds ASCII by itself
    assert set(like_patterns("е")) == {"%е%", "%ё%", "%Е%", "%Ё%"}
    assert like_patterns("%_") == ["%\\%\\_%"]


def test_the_index_writes_no_change_log_rows_and_gets_no_triggers(desk: Desk) -> None:
    feed = ChangeFeed()
    incident = register(desk, "Не вывозят мусор")
    edit(desk, incident, text="Не убран снег")
    seen = feed.poll()
    assert incident in seen.ids("incident")
    assert set(seen.rows) <= set(TRACKED_TABLES)
    db = database.bound_database()
    triggered = {
        str(table)
        for (table,) in db.execute_sql("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger'")
    }
    assert triggered == set(TRACKED_TABLES)
    search_triggers = db.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND sql LIKE ?",
        (f'%"{SEARCH_TABLE}"%',),
    ).fetchall()
    assert sorted(name for (name,) in search_triggers) == [
        "incident_search_delete",
        "incident_search_insert",
        "incident_search_update",
    ]


Row = tuple[int, int, str, str, str, str]  # id, number and the four searched columns


def reference_search(rows: list[Row], query: str) -> set[int]:
    """What the search must return, worked out in Python over the stored columns."""

    def norm(text: str) -> str:
        return text.replace("ё", "е").replace("Ё", "Е").lower()

    terms = [norm(t) for t in query.split()]
    number = query.strip().removeprefix("№").removeprefix("#").strip()
    return {
        row[0]
        for row in rows
        if all(any(t in norm(column) for column in row[2:]) for t in terms)
        or (number.isdigit() and row[1] == int(number))
    }


def stored_rows() -> list[Row]:
    return [
        (i.id, i.number, i.text, i.author_name, i.author_url, i.link)
        for i in Incident.select().order_by(Incident.id)
    ]


KNOWN_WORDS = {"otklik-v1.db": "первомайской", "otklik-v2.db": "лекарства"}


def open_copy(fixture: str, folder: Path) -> Iterator[Office]:
    copy = folder / fixture
    shutil.copy(FIXTURES / fixture, copy)
    yield open_office(DatabaseTarget(str(copy), TargetOrigin.COMMAND_LINE))
    database.bind(None)


@pytest.fixture(params=sorted(KNOWN_WORDS))
def migrated(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Office]:
    yield from open_copy(request.param, tmp_path)


@pytest.fixture(params=sorted(p.name for p in FIXTURES.glob("otklik-v*.db")))
def fixture_office(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Office]:
    """Each fixture database: migrated to the latest schema, or made at it (the demo's)."""
    yield from open_copy(request.param, tmp_path)


def test_migration_indexes_the_messages_already_there(migrated: Office) -> None:
    assert migrated.migration.from_version < 3
    rows = stored_rows()
    assert rows
    word = KNOWN_WORDS[migrated.path.name]
    known = {row[0] for row in rows if word in row[2].lower()}
    assert known
    assert search_incidents(word.upper()) == known
    queries = [
        "отрадная",
        "ОТРАДН",
        "ст. Отрадная",
        "Отрадная школ",
        "надежная",  # «Надёжная» in the fixture
        "ул. Набережная",
        "vk.com/wall-172345678",
        "t.me",
        "reply=100",
        "Зинченко",
        "юлия",
        "kubanochka",
        "ЛЬГОТНЫЕ аптеке",
        "ул",
        "ст",
        "о",
        "ул отрадн",
        "нет",
    ]
    for query in queries:
        assert search_incidents(query) == reference_search(rows, query), query
    assert index_is_sound()


def test_every_piece_of_every_column_finds_what_python_finds(fixture_office: Office) -> None:
    rows = stored_rows()
    queries: set[str] = set()
    for row in rows:
        for column in row[2:]:
            for length in (1, 2, 3, 5):
                for start in range(0, max(len(column) - length, 0) + 1, 3):
                    piece = column[start : start + length].strip()
                    if piece:
                        queries.add(piece)
                        queries.add(piece.upper())
    assert len(queries) > 200
    for query in sorted(queries):
        assert search_incidents(query) == reference_search(rows, query), query


def test_the_monitoring_systems_number_finds_its_message(desk: Desk) -> None:
    quoted = register(desk, "Сообщение из системы мониторинга", external_number="4100144")
    register(desk, "Другое сообщение")
    assert search_incidents("4100144") == {quoted}
    assert search_incidents("№ 4100144") == {quoted}


@pytest.mark.parametrize("query", ["ул", "Ленина", "ул Ленина", "2"])
def test_searching_among_given_messages_agrees_with_the_whole_search(
    desk: Desk, query: str
) -> None:
    ids = [
        register(desk, "Яма на ул. Ленина"),
        register(desk, "Свет на улице Мира"),
        register(desk, "Ленина 2, вода"),
        register(desk, "Всё хорошо"),
    ]
    whole = search_incidents(query)
    assert search_incidents(query, among=ids[:2]) == whole & set(ids[:2])
    assert search_incidents(query, among=ids) == whole
    assert search_incidents(query, among=[]) == set()
