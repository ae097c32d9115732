"""All the checks of a 2,000-character answer, as the editor runs them on each pause in typing.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/draft_checks_bench.py [--runs 500]

Prints the median and the slowest of `check_answer` (spelling, personal data, style, length)
and of each check alone, with the speller's memory of words cleared before each run ("cold")
and kept ("warm", as while typing), and the widget's whole re-check (`AnswerTextEdit.
recheck_now`: the checks, the UTF-16 map and the repaint of the marks) after one edit. The
target: well under 16 ms (one frame), so the GUI thread can run it. No extra packages.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from spelling_bench import ANSWER as PLAIN

from desktop.models.enums import Network
from desktop.services.answer_style import style_hints
from desktop.services.draft_checks import check_answer
from desktop.services.personal_data import find_personal_data
from desktop.services.spelling import OfficeWords, speller

# The spelling benchmark's answer with what the checks are for: two typos, a citizen's phone
# and e-mail, officialese; cut to 2,000 characters.
ANSWER = (
    PLAIN.replace("неудобства", "неудобсвта")
    .replace("благодарим за неравнодушное", "благодорим за неравнодушное")
    .replace("Информацию о ходе", "В настоящее время информацию о ходе")
    .replace("в МФЦ", "у мастера +7 918 123-45-67 (ivan.petrov@mail.ru)")
)[:2000]
ALLOWED = ("8 (86144) 3-35-35", "@otradnaya.ru")
WORDS = OfficeWords(["Спокойненская", "Бесскорбная", "Отрадненский"])


def timed(action: Callable[[], object], runs: int, before: Callable[[], None]) -> list[float]:
    times = []
    gc.disable()
    try:
        for _ in range(runs):
            before()
            started = time.perf_counter()
            action()
            times.append(time.perf_counter() - started)
    finally:
        gc.enable()
    return times


def show(label: str, times: list[float]) -> None:
    print(f"  {label:<44} median {statistics.median(times) * 1000:6.2f} ms", end="")
    print(f"   slowest {max(times) * 1000:6.2f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=500)
    args = parser.parse_args()
    runs = max(1, args.runs)
    if hasattr(os, "getloadavg"):
        print(f"load average: {os.getloadavg()[0]:.2f}")
    loaded = speller()

    def check() -> object:
        return check_answer(ANSWER, Network.TELEGRAM, speller=loaded, words=WORDS, allowed=ALLOWED)

    result = check_answer(ANSWER, Network.TELEGRAM, speller=loaded, words=WORDS, allowed=ALLOWED)
    print(f"answer: {len(ANSWER)} characters, {len(result.issues)} issues: {result.brief()}")

    def forget() -> None:
        loaded._known.clear()

    def nothing() -> None:
        pass

    show("check_answer, cold (no word remembered)", timed(check, runs, forget))
    warm = timed(check, runs, nothing)
    show("check_answer, warm (as while typing)", warm)
    show("  spelling alone, warm", timed(lambda: loaded.misspelled(ANSWER, WORDS), runs, nothing))
    show("  personal data alone", timed(lambda: find_personal_data(ANSWER, ALLOWED), runs, nothing))
    show("  style hints alone", timed(lambda: style_hints(ANSWER), runs, nothing))

    from PySide6.QtGui import QTextCursor
    from PySide6.QtWidgets import QApplication

    from desktop.views.answer_text_edit import AnswerTextEdit

    app = QApplication.instance() or QApplication([])
    edit = AnswerTextEdit(network=Network.TELEGRAM, words=WORDS, allowed=ALLOWED)
    edit.resize(700, 500)
    edit.show()
    edit.setPlainText(ANSWER)
    edit.recheck_now()
    app.processEvents()
    cursor = QTextCursor(edit.document())
    typed = [False]

    def edit_one_word() -> None:
        # Type a letter into a word, or take it out again: each re-check sees a new misspelling
        # come or go and repaints the marks.
        cursor.setPosition(ANSWER.index("обследование") + 5)
        if typed[0]:
            cursor.deletePreviousChar()
        else:
            cursor.insertText("ш")
        typed[0] = not typed[0]

    widget = timed(edit.recheck_now, max(1, runs // 5), edit_one_word)
    show("AnswerTextEdit.recheck_now after an edit", widget)
    verdict = "met" if statistics.median(warm) < 0.016 else "MISSED"
    print(f"target: check_answer well under 16 ms (one frame): {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
