"""Importing history: the office's old log (Excel) or a monitoring system's export.

Three steps, each a plain function the CLI and the dialog share:

1. `read_table(path)` reads a CSV (UTF-8 with or without BOM, or cp1251; `;`, `,` or tab,
   sniffed from the header line) or the first sheet of an XLSX into a `Table` of text and
   datetime cells with the file's line numbers.
2. `check_rows(table, mapping, regulation)` turns every row into an `ImportRow` (cleaned with
   the registration's validators, moments in the office's time zone, the answer deadline by
   the chosen regulation) or a `BadRow` (line and a Russian reason), and finds rows the
   database has already (`DuplicateRow`). It only reads.
3. `import_rows(user, plan, source_name)` writes every good row in ONE write transaction — all
   of them or none — with the departments, topics and territories the file names (matched
   without case and «ё», else created), one audit event per message and one for the import.

What an imported message looks like to the workflow and the reports (decisions):
- Its number is the office's next running number; the file's «Номер» is kept as
  `external_number`. `registered_at` is the detection moment (the log does not say when the
  curator got it). `source` is `OWN_SEARCH`, or `MONITORING` for a monitoring export.
- With «Дата ответа»: status ANSWERED, `answered_at` that moment, an ANSWER step started at
  detection, due at the regulation's answer deadline and done at the answer, and — when a
  department is named — an Assignment DONE. No other steps: the log does not know when it
  was routed or reviewed, so per-step figures other than the answer leave it out.
- Without «Дата ответа» the message was not answered by the office's own record, so it comes
  in open, as if registered then: NEW with the ANSWER and ROUTE steps, or — when a department
  is named — ROUTED to it (an Assignment in work, its competence check and draft steps).
  Only the answer step keeps its legal deadline: the log knows nothing of routing or
  drafting, so those steps have none and no «missed» routing or draft is invented. The
  curator sees it in the queue (most likely overdue) and answers or closes it; hiding it would
  make the history look better than it was. `check_rows` counts these (`open_rows`) so the
  dialog can say so before anything is written.
- Duplicates: a row whose link (`link_key`) is registered with the same detection moment or
  text (logs that record the post's link give every comment under it the same one), or whose
  «Номер» or text was registered with the same detection moment, is skipped as «уже есть»; a
  second import of the same file imports nothing. Rows repeating an earlier row of the same
  file are bad rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import peewee

from desktop.models.database import reads, run_write
from desktop.models.entities import Assignment, Department, Incident, Location, Step, Topic
from desktop.models.enums import (
    AssignmentStatus,
    Importance,
    IncidentSource,
    IncidentStatus,
    Network,
)
from desktop.services.audit import append_event
from desktop.services.errors import ValidationError, WorkCalendarError
from desktop.services.formatting import os_error_text
from desktop.services.incident_base import ServiceBase, plain
from desktop.services.incident_input import check_moment, clean_line, clean_text, clean_url
from desktop.services.links import link_key, network_of
from desktop.services.office_calendar import OfficeTime, office_time
from desktop.services.permissions import Action
from desktop.services.regulations import Regulation, StepName
from desktop.services.session import CurrentUser
from desktop.services.steps import Case, start_step

Cell = str | dt.datetime
MAX_ROWS = 100_000
_HEADER_SEARCH_ROWS = 10  # a title line or two above the header is common in office logs


class UnreadableFile(ValidationError):
    """The file cannot be read as a table at all (missing, damaged, not CSV or XLSX)."""


# --- the columns ---------------------------------------------------------------------------


class ImportField(StrEnum):
    """What a column of the file means; the values are also the CLI's names for them."""

    NUMBER = "number"
    NETWORK = "network"
    LINK = "link"
    AUTHOR = "author"
    TEXT = "text"
    TOPIC = "topic"
    LOCATION = "location"
    IMPORTANCE = "importance"
    DEPARTMENT = "department"
    POSTED = "posted_at"
    DETECTED = "detected_at"
    ANSWERED = "answered_at"
    EXTERNAL_DUE = "external_deadline"


@dataclass(frozen=True)
class StandardColumn:
    field: ImportField
    title: str  # the header the office is asked to use
    synonyms: tuple[str, ...] = ()
    required: bool = False


STANDARD_COLUMNS: tuple[StandardColumn, ...] = (
    StandardColumn(
        ImportField.NUMBER,
        "Номер",
        ("№", "№ инцидента", "номер инцидента", "номер сообщения", "id", "ид", "идентификатор"),
    ),
    StandardColumn(
        ImportField.NETWORK,
        "Соцсеть",
        ("социальная сеть", "соц. сеть", "соцсеть/мессенджер", "источник", "площадка", "ресурс"),
    ),
    StandardColumn(
        ImportField.LINK,
        "Ссылка",
        ("ссылка на пост", "ссылка на сообщение", "ссылка на публикацию", "url", "адрес"),
    ),
    StandardColumn(ImportField.AUTHOR, "Автор", ("автор сообщения", "имя автора", "фио автора")),
    StandardColumn(
        ImportField.TEXT,
        "Текст",
        ("текст сообщения", "текст публикации", "сообщение", "содержание", "текст инцидента"),
        required=True,
    ),
    StandardColumn(ImportField.TOPIC, "Тема", ("тематика", "рубрика", "категория")),
    StandardColumn(
        ImportField.LOCATION,
        "Территория",
        ("населённый пункт", "локация", "место", "поселение", "муниципалитет"),
    ),
    StandardColumn(ImportField.IMPORTANCE, "Важность", ("приоритет", "значимость")),
    StandardColumn(
        ImportField.DEPARTMENT,
        "Отдел",
        ("ответственный", "исполнитель", "орган", "ответственный орган", "подразделение"),
    ),
    StandardColumn(
        ImportField.POSTED,
        "Дата публикации",
        ("дата размещения", "дата поста", "опубликовано", "дата сообщения"),
    ),
    StandardColumn(
        ImportField.DETECTED,
        "Дата выявления",
        ("выявлено", "дата обнаружения", "дата поступления", "дата регистрации", "дата"),
        required=True,
    ),
    StandardColumn(
        ImportField.ANSWERED,
        "Дата ответа",
        ("ответ дан", "дата размещения ответа", "ответ размещён", "дата ответа автору"),
    ),
    StandardColumn(
        ImportField.EXTERNAL_DUE,
        "Срок ответа",
        ("срок", "срок по системе", "срок системы мониторинга", "крайний срок"),
    ),
)
COLUMN_BY_FIELD: dict[ImportField, StandardColumn] = {c.field: c for c in STANDARD_COLUMNS}


def fold(text: str) -> str:
    """How names are compared: no case, «ё» as «е», runs of spaces as one."""
    return " ".join(text.replace("ё", "е").replace("Ё", "Е").casefold().split())


def _header_key(text: str) -> str:
    return fold(text).strip(" :*.")


_HEADER_NAMES: dict[str, ImportField] = {}
for _column in STANDARD_COLUMNS:
    for _name in (_column.title, *_column.synonyms):
        _HEADER_NAMES.setdefault(_header_key(_name), _column.field)


def field_of_header(header: str) -> ImportField | None:
    """The standard field a header names (exactly, or by a known synonym), else None."""
    return _HEADER_NAMES.get(_header_key(header))


def guess_mapping(headers: Sequence[str]) -> dict[ImportField, str]:
    """Standard field → the file's header that names it; a header the first of two alike
    claims keeps it (an exact title wins over a synonym)."""
    found: dict[ImportField, str] = {}
    titles = {_header_key(c.title): c.field for c in STANDARD_COLUMNS}
    for exact in (True, False):
        for header in headers:
            key = _header_key(header)
            wanted = titles.get(key) if exact else _HEADER_NAMES.get(key)
            if wanted is not None and wanted not in found and header not in found.values():
                found[wanted] = header
    return {c.field: found[c.field] for c in STANDARD_COLUMNS if c.field in found}


def parse_field(text: str) -> ImportField:
    """A field by its Russian title («Дата ответа»), a synonym or its code («answered_at»)."""
    try:
        return ImportField(text.strip())
    except ValueError:
        pass
    found = field_of_header(text)
    if found is None:
        known = ", ".join(f"«{c.title}»" for c in STANDARD_COLUMNS)
        raise ValidationError(f"Нет такого поля «{text}». Поля: {known}.")
    return found


# --- reading the file -----------------------------------------------------------------------


@dataclass(frozen=True)
class TableRow:
    line: int  # the file's line (CSV) or row (XLSX) number, 1 = the first
    values: tuple[Cell, ...]


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[TableRow, ...]
    name: str = ""  # the file's name, for messages and the audit


def read_table(path: Path) -> Table:
    """The first sheet of an XLSX or a CSV file as headers and rows; `UnreadableFile` if not."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(f"Не удалось открыть файл {path.name}: {os_error_text(exc)}.") from exc
    if data.startswith(b"PK\x03\x04"):
        lines = _xlsx_lines(data, path.name)
    elif path.suffix.casefold() in (".xlsx", ".xlsm"):
        raise UnreadableFile(f"Файл {path.name} не похож на книгу Excel (.xlsx).")
    elif path.suffix.casefold() == ".xls" or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFile(
            f"Файл {path.name} — книга Excel старого формата (.xls). Сохраните его в Excel как "
            "«Книга Excel (*.xlsx)» или «CSV (разделители — точка с запятой)»."
        )
    else:
        lines = _csv_lines(data, path.name)
    return _table(lines, path.name)


def _decode(data: bytes) -> tuple[str, str]:
    """The text and the delimiter Excel would have used: UTF-16 (tab), UTF-8, else cp1251."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "\t"
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), ""
    try:
        return data.decode("utf-8"), ""
    except UnicodeDecodeError:
        return data.decode("cp1251", errors="replace"), ""


def _sniff_delimiter(text: str) -> str:
    """The delimiter of the first line, counted outside quotes: `;` (Russian Excel), `,`, tab."""
    first = ""
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif char in "\r\n" and not quoted:
            if first.strip():
                break
            first = ""
            continue
        first += char
    counts = {sep: 0 for sep in ";,\t"}
    quoted = False
    for char in first:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ";"


def _csv_lines(data: bytes, name: str) -> list[TableRow]:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFile(f"Файл {name} не похож на таблицу CSV или Excel.")
    text, delimiter = _decode(data)
    delimiter = delimiter or _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[TableRow] = []
    start = 1
    try:
        for values in reader:
            rows.append(TableRow(start, tuple(values)))
            start = reader.line_num + 1
            if len(rows) > MAX_ROWS + _HEADER_SEARCH_ROWS:
                raise UnreadableFile(f"В файле {name} больше {MAX_ROWS} строк; разделите его.")
    except csv.Error as exc:
        raise UnreadableFile(f"Файл {name}: ошибка в строке {reader.line_num}: {exc}.") from exc
    return rows


def _cell(value: object) -> Cell:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None) if value.tzinfo is not None else value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_lines(data: bytes, name: str) -> list[TableRow]:
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UnreadableFile(f"Файл {name} не удалось прочитать как книгу Excel: {exc}.") from exc
    try:
        if not book.worksheets:
            raise UnreadableFile(f"В книге {name} нет листов.")
        sheet = book.worksheets[0]
        rows: list[TableRow] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            rows.append(TableRow(number, tuple(_cell(value) for value in values)))
            if len(rows) > MAX_ROWS + _HEADER_SEARCH_ROWS:
                raise UnreadableFile(f"В файле {name} больше {MAX_ROWS} строк; разделите его.")
        return rows
    finally:
        book.close()


def _blank(row: TableRow) -> bool:
    return all(isinstance(v, str) and not v.strip() for v in row.values)


def _table(lines: list[TableRow], name: str) -> Table:
    """The header is the first row naming two standard columns within the first rows (a
    title above it is skipped), else the first non-empty row."""
    filled = [row for row in lines if not _blank(row)]
    if not filled:
        raise UnreadableFile(f"Файл {name} пуст.")
    header_at = 0
    for position, row in enumerate(filled[:_HEADER_SEARCH_ROWS]):
        named = {field_of_header(str(v)) for v in row.values if isinstance(v, str)} - {None}
        if len(named) >= 2:
            header_at = position
            break
    header_row = filled[header_at]
    headers = [str(v).strip() if isinstance(v, str) else "" for v in header_row.values]
    while headers and not headers[-1]:
        headers.pop()
    seen: dict[str, int] = {}
    unique: list[str] = []
    for position, header in enumerate(headers, start=1):
        label = header or f"Столбец {position}"
        seen[label] = seen.get(label, 0) + 1
        unique.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    if not unique:
        raise UnreadableFile(f"В файле {name} нет строки заголовков.")
    width = len(unique)
    body = tuple(
        TableRow(row.line, tuple((list(row.values) + [""] * width)[:width]))
        for row in filled[header_at + 1 :]
    )
    return Table(tuple(unique), body, name)


# --- values -----------------------------------------------------------------------------

NETWORK_NAMES: dict[str, Network] = {
    **dict.fromkeys(["вконтакте", "вк", "vk", "vkontakte", "vk.com", "в контакте"], Network.VK),
    **dict.fromkeys(["одноклассники", "ок", "ok", "ok.ru", "odnoklassniki"], Network.OK),
    **dict.fromkeys(["telegram", "телеграм", "телеграмм", "тг", "tg", "t.me"], Network.TELEGRAM),
    **dict.fromkeys(["max", "макс", "мессенджер max", "мессенджер макс"], Network.MAX),
    **dict.fromkeys(["whatsapp", "ватсап", "вотсап", "вацап"], Network.WHATSAPP),
    **dict.fromkeys(["instagram", "инстаграм", "инстаграмм"], Network.INSTAGRAM),
    **dict.fromkeys(["facebook", "фейсбук", "fb"], Network.FACEBOOK),
    **dict.fromkeys(["x", "twitter", "твиттер", "x (twitter)", "x/twitter"], Network.X),
    **dict.fromkeys(
        ["инцидент менеджмент", "инцидент-менеджмент", "им", "incident manager"],
        Network.INCIDENT_MANAGER,
    ),
    **dict.fromkeys(
        ["пос", "платформа обратной связи", "госуслуги", "pos", "пос госуслуги"], Network.POS
    ),
    **dict.fromkeys(
        ["e-mail", "email", "эл. почта", "электронная почта", "почта", "e-mail/почта"],
        Network.EMAIL,
    ),
    **dict.fromkeys(["другое", "другая", "прочее", "иное"], Network.OTHER),
}
IMPORTANCE_NAMES: dict[str, Importance] = {
    **dict.fromkeys(["", "обычная", "обычный", "обычное", "нет", "normal"], Importance.NORMAL),
    **dict.fromkeys(
        ["высокая", "высокий", "повышенная", "повышенной важности", "да", "high"],
        Importance.HIGH,
    ),
}
_TEXT_MOMENT = re.compile(
    r"^(\d{1,2})[./](\d{1,2})[./](\d{2}|\d{4})(?:[ T,]+(\d{1,2})[:.](\d{2})(?::(\d{2}))?)?$"
)
_ISO_MOMENT = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


def network_by_name(name: str) -> Network | None:
    """«ВКонтакте», «Instagram*» (the asterisk Russian media add), «Телеграм-канал», «ОК.ру»:
    the whole name, else its first word."""
    folded = fold(name).replace("*", "").strip(" .")
    found = NETWORK_NAMES.get(folded)
    if found is None:
        first = re.split(
            r"[\s\-–—:(/,]+", folded.replace(".ру", "").replace(".ru", ""), maxsplit=1
        )[0]
        found = NETWORK_NAMES.get(first)
    return found


def parse_local_moment(value: Cell, title: str) -> dt.datetime | None:
    """A cell as a naive local moment: an Excel date, or text `dd.mm.yyyy HH:MM` (also with
    seconds, a two-digit year, without the time, or ISO `yyyy-mm-dd HH:MM`); blank is None."""
    if isinstance(value, dt.datetime):
        # Seconds are kept (17:00:30 is after a 17:00 deadline); Excel's float noise
        # (16:59:59.9999) is rounded away to the nearest second.
        return (value + dt.timedelta(microseconds=500_000)).replace(microsecond=0)
    text = " ".join(value.split())
    if not text:
        return None
    found = _TEXT_MOMENT.match(text)
    if found is not None:
        day, month, year, hour, minute, second = found.groups()
        full_year = int(year) + (2000 if len(year) == 2 else 0)
        parts = (full_year, int(month), int(day))
    else:
        found = _ISO_MOMENT.match(text)
        if found is None:
            raise ValidationError(
                f"{title}: не понимаю «{text}» — пишите ДД.ММ.ГГГГ ЧЧ:ММ, "
                "например 24.11.2025 14:30."
            )
        year, month, day, hour, minute, second = found.groups()
        parts = (int(year), int(month), int(day))
    try:
        return dt.datetime(*parts, int(hour or 0), int(minute or 0), int(second or 0))
    except ValueError:
        raise ValidationError(f"{title}: такой даты нет — «{text}».") from None


# --- checking rows --------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportRow:
    """One good row, cleaned, its moments aware UTC."""

    line: int
    text: str
    network: Network
    detected_at: dt.datetime
    link: str = ""
    link_key: str = ""
    author_name: str = ""
    external_number: str = ""
    importance: Importance = Importance.NORMAL
    topic: str = ""
    location: str = ""
    department: str = ""
    posted_at: dt.datetime | None = None
    answered_at: dt.datetime | None = None
    external_deadline: dt.datetime | None = None
    answer_due_at: dt.datetime | None = None

    @property
    def on_time(self) -> bool | None:
        """Answered by the deadline; None while unanswered or without a deadline."""
        if self.answered_at is None or self.answer_due_at is None:
            return None
        return self.answered_at <= self.answer_due_at


@dataclass(frozen=True)
class BadRow:
    line: int
    reason: str


@dataclass(frozen=True)
class DuplicateRow:
    line: int
    number: int  # the registered message's office number


@dataclass(frozen=True)
class ImportPlan:
    regulation_slug: str
    good: tuple[ImportRow, ...]
    bad: tuple[BadRow, ...]
    duplicates: tuple[DuplicateRow, ...]
    file_name: str = ""

    @property
    def answered_rows(self) -> int:
        return sum(1 for row in self.good if row.answered_at is not None)

    @property
    def open_rows(self) -> int:
        """Rows without an answer: they come in as open messages, in the queue."""
        return len(self.good) - self.answered_rows


def _value(row: TableRow, positions: Mapping[ImportField, int], name: ImportField) -> Cell:
    position = positions.get(name)
    return "" if position is None else row.values[position]


def _text(value: Cell) -> str:
    return value.strftime("%d.%m.%Y %H:%M") if isinstance(value, dt.datetime) else value


class _RowChecker:
    def __init__(self, regulation: Regulation, time: OfficeTime, now: dt.datetime) -> None:
        self.regulation = regulation
        self.time = time
        self.now = now

    def moment(self, value: Cell, name: ImportField) -> dt.datetime | None:
        title = COLUMN_BY_FIELD[name].title
        local = parse_local_moment(value, title)
        if local is None:
            return None
        moment = check_moment(self.time.utc(local), title, self.now)
        assert moment is not None
        return moment

    def network(self, value: str, link: str) -> Network:
        named = network_by_name(value) if value.strip() else None
        if named is not None:
            return named
        by_link = network_of(link) if link else None
        if by_link is not None:
            return by_link
        if link or value.strip():
            # A site or network the list does not know (Дзен, YouTube, a city forum): the
            # message is still the office's to answer, under «другое».
            return Network.OTHER
        raise ValidationError("Не указаны ни соцсеть, ни ссылка на сообщение.")

    def row(self, row: TableRow, positions: Mapping[ImportField, int]) -> ImportRow:
        def get(name: ImportField) -> Cell:
            return _value(row, positions, name)

        text = clean_text(_text(get(ImportField.TEXT)))
        link = clean_url(_text(get(ImportField.LINK)), "Ссылка")
        network = self.network(_text(get(ImportField.NETWORK)), link)
        importance_text = fold(_text(get(ImportField.IMPORTANCE))).strip(" .")
        importance = IMPORTANCE_NAMES.get(importance_text)
        if importance is None:
            raise ValidationError(
                f"Важность «{_text(get(ImportField.IMPORTANCE)).strip()}» — можно «обычная» "
                "или «высокая»."
            )
        detected = self.moment(get(ImportField.DETECTED), ImportField.DETECTED)
        if detected is None:
            raise ValidationError("Не указана дата выявления.")
        posted = self.moment(get(ImportField.POSTED), ImportField.POSTED)
        if posted is not None and posted > detected:
            raise ValidationError("Дата публикации позже даты выявления.")
        answered = self.moment(get(ImportField.ANSWERED), ImportField.ANSWERED)
        if answered is not None and answered < detected:
            raise ValidationError("Дата ответа раньше даты выявления.")
        external = self.moment(get(ImportField.EXTERNAL_DUE), ImportField.EXTERNAL_DUE)
        if external is not None and external <= detected:
            raise ValidationError("Срок ответа должен быть позже выявления.")
        try:
            planned = self.regulation.deadlines(
                self.time.local(detected),
                importance=importance,
                channel=network,
                calendar=self.time.calendar,
                posted_at=None if posted is None else self.time.local(posted),
                external_deadline=None if external is None else self.time.local(external),
                registered_at=self.time.local(detected),
            )
        except WorkCalendarError as exc:
            raise ValidationError(f"Срок не вычислить: {exc}") from exc
        if planned.answer is None:
            # Барнаул counts the answer from the monitoring system's deadline: without it a
            # late answer would pass for one in time.
            raise ValidationError(
                f"Порядок «{self.regulation.title}» считает срок ответа от срока системы "
                "мониторинга: укажите его в столбце «Срок ответа»."
            )
        return ImportRow(
            line=row.line,
            text=text,
            network=network,
            detected_at=detected,
            link=link,
            link_key=link_key(link),
            author_name=clean_line(_text(get(ImportField.AUTHOR)), "Автор"),
            external_number=clean_line(_text(get(ImportField.NUMBER)), "Номер"),
            importance=importance,
            topic=clean_line(_text(get(ImportField.TOPIC)), "Тема"),
            location=clean_line(_text(get(ImportField.LOCATION)), "Территория"),
            department=clean_line(_text(get(ImportField.DEPARTMENT)), "Отдел"),
            posted_at=posted,
            answered_at=answered,
            external_deadline=external,
            answer_due_at=None if planned.answer is None else self.time.utc(planned.answer),
        )


def _positions(table: Table, mapping: Mapping[ImportField, str]) -> dict[ImportField, int]:
    positions: dict[ImportField, int] = {}
    for name, header in mapping.items():
        if not header:
            continue
        if header not in table.headers:
            raise ValidationError(f"В файле нет столбца «{header}».")
        positions[ImportField(name)] = table.headers.index(header)
    missing = [c.title for c in STANDARD_COLUMNS if c.required and c.field not in positions]
    if missing:
        raise ValidationError(
            "Не выбран столбец для поля " + ", ".join(f"«{m}»" for m in missing) + "."
        )
    return positions


def _content_key(row: ImportRow) -> tuple[dt.datetime, str]:
    return row.detected_at, fold(row.text)


def _same_message(row: ImportRow, under_link: Iterable[tuple[dt.datetime, str, int]]) -> int | None:
    """A message under the same link is the same one when its moment or its text is: logs
    that record the post's link give every comment under it the same one."""
    text = fold(row.text)
    return next(
        (
            number
            for moment, other, number in under_link
            if moment == row.detected_at or other == text
        ),
        None,
    )


def _chunks(items: Sequence[Any], size: int = 500) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def registered_already(rows: Sequence[ImportRow]) -> dict[int, int]:
    """Line → the number of the registered message each row repeats (by link, by the
    monitoring number with the same detection moment, or by text and detection moment).
    Call inside a read or write."""
    found: dict[int, int] = {}
    keys = sorted({row.link_key for row in rows if row.link_key})
    by_link: dict[str, list[tuple[dt.datetime, str, int]]] = {}
    for chunk in _chunks(keys):
        query = Incident.select(
            Incident.link_key, Incident.detected_at, Incident.text, Incident.number
        ).where(Incident.link_key.in_(list(chunk)))
        for r in query:
            by_link.setdefault(r.link_key, []).append((r.detected_at, fold(r.text), r.number))
    numbers = sorted({row.external_number for row in rows if row.external_number})
    by_number: dict[tuple[str, dt.datetime], int] = {}
    for chunk in _chunks(numbers):
        query = Incident.select(
            Incident.external_number, Incident.detected_at, Incident.number
        ).where(Incident.external_number.in_(list(chunk)))
        by_number.update({(r.external_number, r.detected_at): r.number for r in query})
    by_content: dict[tuple[dt.datetime, str], int] = {}
    if rows:
        first = min(row.detected_at for row in rows)
        last = max(row.detected_at for row in rows)
        query = Incident.select(Incident.detected_at, Incident.text, Incident.number).where(
            Incident.detected_at.between(first, last)
        )
        by_content = {(r.detected_at, fold(r.text)): r.number for r in query}
    for row in rows:
        number = (
            _same_message(row, by_link.get(row.link_key, ()))
            or by_number.get((row.external_number, row.detected_at))
            or by_content.get(_content_key(row))
        )
        if number is not None:
            found[row.line] = int(number)
    return found


@reads
def check_rows(
    table: Table,
    mapping: Mapping[ImportField, str],
    regulation: Regulation,
    *,
    now: dt.datetime | None = None,
) -> ImportPlan:
    """Every row parsed and checked; nothing is written. `ValidationError` when the mapping
    leaves out the text or the detection date, or names a column the file lacks."""
    positions = _positions(table, mapping)
    checker = _RowChecker(regulation, office_time(), now or dt.datetime.now(dt.UTC))
    good: list[ImportRow] = []
    bad: list[BadRow] = []
    seen_links: dict[str, list[tuple[dt.datetime, str, int]]] = {}
    seen_numbers: dict[tuple[str, dt.datetime], int] = {}
    seen_content: dict[tuple[dt.datetime, str], int] = {}
    for row in table.rows:
        try:
            parsed = checker.row(row, positions)
        except ValidationError as exc:
            bad.append(BadRow(row.line, str(exc).rstrip(".")))
            continue
        earlier = (
            _same_message(parsed, seen_links.get(parsed.link_key, ()))
            or seen_numbers.get((parsed.external_number, parsed.detected_at))
            or seen_content.get(_content_key(parsed))
        )
        if earlier is not None:
            bad.append(BadRow(row.line, f"повторяет строку {earlier}"))
            continue
        if parsed.link_key:
            seen_links.setdefault(parsed.link_key, []).append(
                (parsed.detected_at, fold(parsed.text), row.line)
            )
        if parsed.external_number:
            seen_numbers[(parsed.external_number, parsed.detected_at)] = row.line
        seen_content[_content_key(parsed)] = row.line
        good.append(parsed)
    registered = registered_already(good)
    return ImportPlan(
        regulation_slug=regulation.slug,
        good=tuple(row for row in good if row.line not in registered),
        bad=tuple(bad),
        duplicates=tuple(DuplicateRow(line, number) for line, number in registered.items()),
        file_name=table.name,
    )


# --- writing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    imported: int
    skipped_duplicates: tuple[DuplicateRow, ...]
    bad: tuple[BadRow, ...]
    numbers: tuple[int, ...] = ()  # the office numbers given, in the file's order
    created_departments: tuple[str, ...] = ()
    created_topics: tuple[str, ...] = ()
    created_locations: tuple[str, ...] = ()
    answered: int = 0
    on_time: int = 0


@dataclass
class _Names:
    """Names of the file matched to rows (without case and «ё»), created when missing."""

    user: CurrentUser
    departments: dict[str, int] = field(default_factory=dict)
    topics: dict[str, int] = field(default_factory=dict)
    locations: dict[str, int] = field(default_factory=dict)
    created: dict[str, list[str]] = field(
        default_factory=lambda: {"department": [], "topic": [], "location": []}
    )

    def load(self) -> None:
        # Active rows first, then top-level ones: of two alike, the one forms offer wins.
        for department in Department.select().order_by(Department.active, Department.id.desc()):
            self.departments[fold(department.name)] = department.id
            if department.short_name:
                self.departments.setdefault(fold(department.short_name), department.id)
        for model, into in ((Topic, self.topics), (Location, self.locations)):
            rows = model.select().order_by(
                model.active, model.parent.is_null(False).desc(), model.id.desc()
            )
            for row in rows:
                into[fold(row.name)] = row.id

    def _create(self, entity: str, name: str, make: Callable[[], Any]) -> int:
        row = make()
        self.created[entity].append(name)
        append_event(
            self.user.actor,
            entity=entity,
            entity_id=row.id,
            action="add",
            after={"name": name, "imported": True},
        )
        return int(row.id)

    def department(self, name: str) -> int | None:
        if not name:
            return None
        key = fold(name)
        if key not in self.departments:
            last = Department.select(peewee.fn.MAX(Department.sort_order)).scalar()
            order = 0 if last is None else int(last) + 1
            self.departments[key] = self._create(
                "department",
                name,
                lambda: Department.create(name=name, sort_order=order, updated_by=self.user.login),
            )
        return self.departments[key]

    def topic(self, name: str) -> int | None:
        if not name:
            return None
        key = fold(name)
        if key not in self.topics:
            self.topics[key] = self._create(
                "topic", name, lambda: Topic.create(name=name, updated_by=self.user.login)
            )
        return self.topics[key]

    def location(self, name: str) -> int | None:
        if not name:
            return None
        key = fold(name)
        if key not in self.locations:
            self.locations[key] = self._create(
                "location", name, lambda: Location.create(name=name, updated_by=self.user.login)
            )
        return self.locations[key]


class _Writer(ServiceBase):
    """Writes one row as the workflow would have left it; inside the import's transaction."""

    def __init__(
        self,
        user: CurrentUser,
        regulation: Regulation,
        time: OfficeTime,
        now: dt.datetime,
        source: IncidentSource,
        file_name: str,
    ) -> None:
        super().__init__(user, now=lambda: now)
        self.regulation = regulation
        self.time = time
        self.moment = now
        self.source = source
        self.file_name = file_name

    def write(self, row: ImportRow, number: int, names: _Names) -> None:
        department = names.department(row.department)
        answered = row.answered_at is not None
        if answered:
            status = IncidentStatus.ANSWERED
        elif department is not None:
            status = IncidentStatus.ROUTED
        else:
            status = IncidentStatus.NEW
        incident = Incident.create(
            number=number,
            source=self.source,
            external_number=row.external_number,
            external_deadline=row.external_deadline,
            network=row.network,
            link=row.link,
            link_key=row.link_key,
            author_name=row.author_name,
            text=row.text,
            posted_at=row.posted_at,
            detected_at=row.detected_at,
            importance=row.importance,
            topic=names.topic(row.topic),
            location=names.location(row.location),
            status=status,
            regulation=self.regulation.slug,
            routing_mode=self.regulation.routing_mode,
            answer_due_at=row.answer_due_at,
            answered_at=row.answered_at,
            registered_by=self.user.employee_id,
            registered_at=row.detected_at,
            updated_by=self.user.login,
        )
        case = Case(
            incident=incident,
            regulation=self.regulation,
            profile=self.regulation.profile(row.network),
            time=self.time,
            now=self.moment,
        )
        answer = start_step(case, StepName.ANSWER, started_at=row.detected_at)
        if answered:
            Step.update(done_at=row.answered_at).where(Step.id == answer.id).execute()
        assignment = None
        if department is not None:
            assignment = Assignment.create(
                incident=incident.id,
                department=department,
                status=AssignmentStatus.DONE if answered else AssignmentStatus.IN_WORK,
                routed_at=row.detected_at,
                updated_by=self.user.login,
            )
        # An unanswered row comes in open, so the work can go on in Otklik; the log says
        # nothing of routing or drafting, so those steps carry no deadline (none is «missed»
        # in the reports) — only the legal answer deadline stands.
        if not answered and assignment is None:
            _without_deadline(start_step(case, StepName.ROUTE, started_at=row.detected_at))
        elif not answered and assignment is not None:
            # As `_start_work` for a single department: its competence check and its draft.
            if self.regulation.rule(StepName.COMPETENCE_CHECK, profile=case.profile):
                _without_deadline(
                    start_step(
                        case,
                        StepName.COMPETENCE_CHECK,
                        assignment=assignment,
                        started_at=row.detected_at,
                    )
                )
            _without_deadline(
                start_step(case, StepName.DRAFT, assignment=assignment, started_at=row.detected_at)
            )
        self._event(
            case,
            "import",
            number=number,
            network=row.network,
            file=self.file_name,
            line=row.line,
            external_number=row.external_number,
            answer_due_at=row.answer_due_at,
            answered_at=row.answered_at,
            department=department,
        )


def _without_deadline(step: Step) -> None:
    Step.update(due_at=None).where(Step.id == step.id).execute()


def write_row(writer: _Writer, row: ImportRow, number: int, names: _Names) -> None:
    """One row's rows (a seam for tests that break an import in the middle)."""
    writer.write(row, number, names)


def import_rows(
    user: CurrentUser,
    plan: ImportPlan,
    source_name: str,
    *,
    source: IncidentSource = IncidentSource.OWN_SEARCH,
    now: dt.datetime | None = None,
) -> ImportResult:
    """Write the plan's good rows in one transaction: every one of them, or none.

    Rows another workstation registered since the check are skipped as duplicates too.
    """
    user.require(Action.IMPORT_HISTORY)
    from desktop.services.office_regulation import regulation_by_slug

    moment = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    name = Path(source_name).name if source_name else plan.file_name

    def write() -> ImportResult:
        regulation = regulation_by_slug(plan.regulation_slug)
        time = office_time()
        late = registered_already(plan.good)
        rows = [row for row in plan.good if row.line not in late]
        duplicates = plan.duplicates + tuple(DuplicateRow(k, v) for k, v in late.items())
        names = _Names(user)
        names.load()
        writer = _Writer(user, regulation, time, moment, source, name)
        last = Incident.select(peewee.fn.MAX(Incident.number)).scalar()
        first = (0 if last is None else int(last)) + 1
        numbers = tuple(range(first, first + len(rows)))
        for row, number in zip(rows, numbers, strict=True):
            write_row(writer, row, number, names)
        answered = [row for row in rows if row.answered_at is not None]
        result = ImportResult(
            imported=len(rows),
            skipped_duplicates=tuple(sorted(duplicates, key=lambda d: d.line)),
            bad=plan.bad,
            numbers=numbers,
            created_departments=tuple(names.created["department"]),
            created_topics=tuple(names.created["topic"]),
            created_locations=tuple(names.created["location"]),
            answered=len(answered),
            on_time=sum(1 for row in answered if row.on_time),
        )
        append_event(
            user.actor,
            entity="import",
            entity_id=0,
            action="import_history",
            after={
                "file": name,
                "regulation": regulation.slug,
                "source": plain(source),
                "imported": result.imported,
                "skipped_duplicates": len(result.skipped_duplicates),
                "bad": len(result.bad),
                "numbers": [numbers[0], numbers[-1]] if numbers else [],
                "created_departments": list(result.created_departments),
                "created_topics": list(result.created_topics),
                "created_locations": list(result.created_locations),
            },
            at=moment,
        )
        return result

    return run_write(write)
