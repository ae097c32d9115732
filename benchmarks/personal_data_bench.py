"""How long `find_personal_data` takes on a 2,000-character answer: it runs as the user types.

Three answers of 2,000 characters: an ordinary one full of legitimate numbers (dates, money,
acts, house numbers), one full of personal data of every kind, and one of plain words. Each is
checked many times; the median and the slowest of the runs are printed against the target.

    .venv/bin/python benchmarks/personal_data_bench.py [--runs 2000]
"""

from __future__ import annotations

import argparse
import statistics
import time

from desktop.services.personal_data import find_personal_data

TARGET_MS = 5.0
LENGTH = 2000

ORDINARY = (
    "Здравствуйте, Мария Ивановна! По вашему обращению № 1234 от 12.03.2025 сообщаем: яму на "
    "ул. Ленина у дома 5 заделаем до 01.06.2025, на ремонт выделено 1 500 000 руб. согласно "
    "постановлению № 547 от 06.09.2021. Отключение воды 14.03.2025 с 9:00 до 17:00 по ул. Мира, "
    "1-15. Горячая линия 8-800-100-20-30. Подробнее: https://otradnaya.ru/news/2025/03/12345. "
)
PERSONAL = (
    "Иванов И. И., 01.02.1980 г.р., проживает: ул. Ленина, д. 5, кв. 12, тел. 2-34-56, "
    "+7 918 123 45 67, ivan@mail.ru, СНИЛС 112-233-445 95, ИНН 231234567867, паспорт 45 12 "
    "№ 345678, карта 4276 3800 1234 5679. "
)
WORDS = "Администрация района благодарит вас за обращение и сообщает следующее. "


def answer(pattern: str) -> str:
    return (pattern * (LENGTH // len(pattern) + 1))[:LENGTH]


def measure(text: str, runs: int) -> tuple[float, float, int]:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        findings = find_personal_data(text)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), max(timings), len(findings)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    runs = parser.parse_args().runs
    find_personal_data("прогрев")  # the patterns compile on import; this warms the caches
    worst = 0.0
    for name, pattern in (("ordinary", ORDINARY), ("personal", PERSONAL), ("words", WORDS)):
        median, slowest, count = measure(answer(pattern), runs)
        worst = max(worst, median)
        print(f"{name:9} median {median:.2f} ms, slowest {slowest:.2f} ms, {count} findings")
    verdict = "meets" if worst < TARGET_MS else "MISSES"
    print(f"target: median under {TARGET_MS} ms for {LENGTH} characters — {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
