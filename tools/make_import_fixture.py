"""Write `tests/fixtures/import/journal-2025.xlsx`: an office's log as kept in Excel.

A title row, the standard headers, 22 good rows (real Excel datetimes and text dates mixed,
every network spelling the import knows, answered in time, late and not at all, the Friday
before the February 2025 days off) and two bad rows (lines 24 and 25). Other helpers use it to
try the import and the reports on realistic history. Run from a checkout:

    .venv/bin/python tools/make_import_fixture.py
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "import" / "journal-2025.xlsx"
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
NETWORKS = ["ВКонтакте", "ВК", "Одноклассники", "Telegram", "ТГ", "МАКС", "", "ПОС"]
LINKS = {
    "ВКонтакте": "https://vk.com/wall-170000001_{n}",
    "ВК": "https://vk.com/wall-170000001_{n}",
    "Одноклассники": "https://ok.ru/group/55000001/topic/{n}",
    "Telegram": "https://t.me/otradnaya_online/{n}",
    "ТГ": "https://t.me/otradnaya_online/{n}",
    "МАКС": "",
    "": "https://vk.com/wall-170000002_{n}",
    "ПОС": "",
}
TOPICS = [
    ("Дороги", "Яма на дороге у дома {n}, машины бьют колёса"),
    ("ЖКХ", "Нет горячей воды в доме {n} по улице Мира"),
    ("Благоустройство", "Не вывозят мусор с контейнерной площадки у дома {n}"),
    ("Электроснабжение", "Не горят фонари на улице Гагарина, дом {n}"),
    ("Образование", "Когда отремонтируют крышу школы № {n}?"),
    ("Транспорт", "Автобус № {n} не ходит по расписанию"),
]
PLACES = ["ст. Отрадная", "пос. Мирный", "ст-ца Попутная", "Посёлок Мирный", "с. Надёжная"]
DEPARTMENTS = ["Отдел ЖКХ", "Отдел транспорта и дорог", "Управление образования", ""]


def rows() -> list[list[object]]:
    made: list[list[object]] = []
    start = dt.datetime(2025, 2, 3, 9, 15)
    for i in range(22):
        n = 1001 + i
        network = NETWORKS[i % len(NETWORKS)]
        topic, text = TOPICS[i % len(TOPICS)]
        detected = start + dt.timedelta(days=2 * i, hours=i % 7, minutes=5 * i)
        if i == 8:
            detected = dt.datetime(2025, 2, 21, 18, 30)  # Friday before the days off
        posted = detected - dt.timedelta(minutes=40)
        if i % 5 == 4:
            answered: object = ""  # never answered
        elif i % 4 == 3:
            answered = detected + dt.timedelta(days=3)  # late
        else:
            answered = detected + dt.timedelta(hours=3)
        as_text = i % 3 == 0  # some logs keep dates as text
        made.append(
            [
                n,
                network,
                LINKS[network].format(n=n),
                f"Житель {n}",
                text.format(n=i + 1),
                topic,
                PLACES[i % len(PLACES)],
                "высокая" if i % 6 == 2 else "обычная",
                DEPARTMENTS[i % len(DEPARTMENTS)],
                posted.strftime("%d.%m.%Y %H:%M") if as_text else posted,
                detected.strftime("%d.%m.%Y %H:%M") if as_text else detected,
                answered.strftime("%d.%m.%Y %H:%M")
                if as_text and isinstance(answered, dt.datetime)
                else answered,
            ]
        )
    blank = ["", "", "", "", ""]
    made.append([1100, "ВК", "", "Житель", "Дата с ошибкой", *blank, "31.02.2025 10:00"])
    made.append([1101, "", "", "Житель", "Ни соцсети, ни ссылки", *blank, "03.03.2025 10:00"])
    return made


def main() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Журнал"
    sheet.append(["Журнал сообщений из социальных сетей, 2025 год"])
    sheet.append(HEADERS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows():
        sheet.append(row)
    for column in ("J", "K", "L"):
        for cell in sheet[column][2:]:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "DD.MM.YYYY HH:MM"
    OUT.parent.mkdir(parents=True, exist_ok=True)
    book.save(OUT)
    print(OUT)


if __name__ == "__main__":
    main()
