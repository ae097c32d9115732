"""Spell checking speed: load, a whole answer, a re-check after one edit, suggestions.

    .venv/bin/python benchmarks/spelling_bench.py [--repeats 7]

Prints the figures against the issue's target (a whole re-check of a 2,000-character answer
under 50 ms, so it can run while the user types). No extra packages.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desktop.services.spelling import Speller, tokens

ANSWER = (
    "Уважаемая Анна Сергеевна! Благодарим вас за обращение. Сообщаем, что специалисты "
    "управления жилищно-коммунального хозяйства провели выездное обследование дворовой "
    "территории многоквартирного дома по улице Советской. В ходе обследования установлено, "
    "что уличное освещение не работает из-за повреждения кабельной линии. Подрядная "
    "организация приступит к ремонту до конца текущей недели, после чего освещение будет "
    "восстановлено. Кроме того, в план благоустройства на следующий год включены ремонт "
    "асфальтового покрытия придомового проезда и установка новых скамеек. Информацию о ходе "
    "работ вы можете получить по телефону 8 (86144) 3-35-35 или в МФЦ. Также сообщаем, что "
    "вывоз крупногабаритного мусора с контейнерной площадки будет выполнен региональным "
    "оператором в соответствии с графиком. Если проблема повторится, пожалуйста, сообщите "
    "нам ещё раз, и мы незамедлительно примем меры. Приносим извинения за доставленные "
    "неудобства и благодарим за неравнодушное отношение к благоустройству нашего поселения. "
    "Администрация сельского поселения продолжит контролировать выполнение работ. Ответ "
    "подготовлен управлением по вопросам жилищно-коммунального хозяйства, транспорта и связи "
    "администрации муниципального образования. Подробнее на сайте https://otradnaya.ru/news "
    "и в группе @otradnaya_adm. Мы работаем для того, чтобы жителям было удобно и безопасно, "
    "поэтому каждое обращение рассматривается внимательно и в установленные сроки. "
    "Дополнительно информируем, что в рамках программы формирования комфортной городской "
    "среды в будущем году планируется обустройство детской площадки и озеленение территории. "
    "Предложения жителей по благоустройству принимаются до конца месяца на электронную почту "
    "admin@otradnaya.ru, в приёмной администрации или через сельских старост. Напоминаем, что "
    "о неработающих фонарях, ямах на дорогах и несанкционированных свалках можно сообщить "
    "круглосуточно по единому номеру диспетчерской службы. Спасибо, что помогаете нам. "
    "С уважением, "
    "пресс-служба администрации района."
)
TYPOS = [
    "приветсвую",
    "зделаем",
    "пожалусто",
    "администарции",
    "благоустройсво",
    "отвественный",
    "придомавой",
    "осфальт",
    "коментарий",
    "вобщем",
]


def best(action: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Best and worst of `repeats` timings, in seconds, with the collector off."""
    times = []
    gc.disable()
    try:
        for _ in range(repeats):
            started = time.perf_counter()
            action()
            times.append(time.perf_counter() - started)
    finally:
        gc.enable()
    return min(times), max(times)


def longest_stall(work: Callable[[], object]) -> float:
    """The longest the calling thread waited for the GIL while `work` ran in another thread."""
    done = threading.Event()
    gaps = []

    def run() -> None:
        work()
        done.set()

    worker = threading.Thread(target=run)
    last = time.perf_counter()
    worker.start()
    while not done.is_set():
        time.sleep(0.001)
        now = time.perf_counter()
        gaps.append(now - last)
        last = now
    worker.join()
    return max(gaps, default=0.0)


def rss_mb() -> float | None:
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    repeats = max(1, args.repeats)

    print(f"load average: {os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "")
    before = rss_mb()
    started = time.perf_counter()
    speller = Speller()
    first_load = time.perf_counter() - started
    after = rss_mb()
    load, slowest_load = best(Speller, 3)
    print(f"load (first, with the import): {first_load * 1000:.0f} ms")
    print(f"load (again): {load * 1000:.0f} ms (slowest {slowest_load * 1000:.0f} ms)")
    if before is not None and after is not None:
        print(f"memory: +{after - before:.0f} MB resident")
    print(f"GUI stall while loading in a thread: {longest_stall(Speller) * 1000:.0f} ms")

    words = list(tokens(ANSWER))
    print(f"\nanswer: {len(ANSWER)} characters, {len(words)} words checked")

    def cold() -> None:
        speller._known.clear()
        assert speller.misspelled(ANSWER) == []

    full, full_worst = best(cold, repeats)
    print(f"whole check, nothing remembered: {full * 1000:.1f} ms", end=" ")
    print(f"(slowest {full_worst * 1000:.1f})")
    edited = ANSWER.replace("неудобства", "неудобсвта")
    speller.misspelled(ANSWER)

    def recheck() -> None:
        speller._known.pop("неудобсвта", None)
        assert len(speller.misspelled(edited)) == 1

    warm, warm_worst = best(recheck, repeats)
    print(f"re-check after one edit: {warm * 1000:.2f} ms (slowest {warm_worst * 1000:.2f})")
    verdict = "met" if full < 0.050 else "MISSED"
    print(f"target < 50 ms for a whole check: {verdict}")

    print("\nsuggestions (nothing remembered), first three:")
    total = 0.0
    for typo in TYPOS:
        speller._suggested.clear()
        started = time.perf_counter()
        offered = speller.suggestions(typo)
        took = time.perf_counter() - started
        total += took
        print(f"  {typo:<16} {took * 1000:6.1f} ms  {', '.join(offered[:3])}")
    print(f"  all ten: {total * 1000:.0f} ms")
    started = time.perf_counter()
    engine = [speller._engine.suggest(typo) for typo in TYPOS]
    raw = time.perf_counter() - started
    print(f"  Hunspell's own suggest for the same ten: {raw * 1000:.0f} ms ({len(engine)} lists)")
    stall = longest_stall(lambda: speller._engine.suggest("пожалусто"))
    print(f"  GUI stall while Hunspell suggests in a thread: {stall * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
