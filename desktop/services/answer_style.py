"""Gentle hints on an answer's style: officialese and formal non-answers, and the length a
network allows.

The regulations ask answers to be conversational and to say what will be done and when
(Отрадненский п. 20, Барнаул п. 9); officialese («в настоящее время», «осуществляется») and
formal non-answers («ваше обращение рассмотрено») are what citizens complain about. These are
hints, never blocks: a phrase can be right in its place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from desktop.models.enums import Network


class HintKind(StrEnum):
    OFFICIALESE = "officialese"  # канцелярит
    NON_ANSWER = "non_answer"  # отписка


@dataclass(frozen=True)
class StyleHint:
    start: int
    end: int
    kind: HintKind
    phrase: str  # as written in the text
    advice: str  # Russian, for the tooltip and the summary


# (pattern, advice). Patterns match word forms: «осуществляется», «осуществлялись», …
_OFFICIALESE: tuple[tuple[str, str], ...] = (
    (r"в настоящее время", "проще: «сейчас»"),
    (r"на сегодняшний день", "проще: «сегодня», «сейчас»"),
    (r"осуществля\w*|осуществить|осуществлен\w*", "проще: «делаем», «проводим», «идёт»"),
    (r"производи?тся|производились|производилось", "проще: «делаем», «ведём»"),
    (r"в целях", "проще: «чтобы», «для»"),
    (r"в связи с тем,? что", "проще: «потому что», «так как»"),
    (r"в рамках", "проще: «по», «в ходе»"),
    (r"данн(?:ый|ая|ое|ые|ого|ой|ому|ым|ых|ыми|ую)", "проще: «этот», «эта»"),
    (r"вышеуказанн\w*|вышеизложенн\w*", "проще: назовите, о чём речь"),
    (r"имеет место|имели место|имело место", "проще: «есть», «было»"),
    (r"является|являются|являлся|являлась", "часто можно убрать или заменить тире"),
    (r"по вопросу", "проще: «о», «про»"),
    (r"в адрес", "проще: «вам», «в»"),
)

_NON_ANSWERS: tuple[tuple[str, str], ...] = (
    (r"ваше обращение рассмотрено", "скажите, что решили и что будет сделано"),
    (r"информация принята к сведению", "скажите, что будет сделано и когда"),
    (r"(?:будет )?рассмотрен\w* в установленном порядке", "назовите срок и результат"),
    (r"в пределах (?:своей )?компетенции", "скажите, кто и что сделает"),
    (r"по мере (?:поступления )?финансирования", "назовите срок или план"),
    (r"(?:вопрос )?(?:находится|взят) на контроле", "скажите, что и когда будет сделано"),
    (r"в порядке очер[её]дности", "назовите срок"),
    (r"при наличии (?:технической )?возможности", "скажите, будет ли сделано и когда"),
)

_HINTS = tuple(
    (re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE), kind, advice)
    for kind, table in ((HintKind.OFFICIALESE, _OFFICIALESE), (HintKind.NON_ANSWER, _NON_ANSWERS))
    for pattern, advice in table
)

# Published limits of a single message or comment; a network not named has no limit worth
# checking for an answer (VK, OK, Max, e-mail take far longer texts than an answer needs).
LENGTH_LIMITS: dict[Network, int] = {
    Network.TELEGRAM: 4096,  # a message's text (Bot API sendMessage)
    Network.INSTAGRAM: 2200,  # a caption or comment
    Network.X: 280,
}


def style_hints(text: str) -> list[StyleHint]:
    """Every officialese phrase and formal non-answer in `text`, in reading order."""
    found: list[StyleHint] = []
    for pattern, kind, advice in _HINTS:
        for match in pattern.finditer(text):
            found.append(StyleHint(match.start(), match.end(), kind, match.group(), advice))
    found.sort(key=lambda hint: (hint.start, -hint.end))
    kept: list[StyleHint] = []
    for hint in found:  # a non-answer phrase may hold officialese: keep the longer one
        if kept and hint.start < kept[-1].end:
            continue
        kept.append(hint)
    return kept


def length_problem(text: str, network: Network) -> str | None:
    """A Russian sentence when the text is longer than the network takes, else None."""
    limit = LENGTH_LIMITS.get(network)
    if limit is None or len(text) <= limit:
        return None
    return f"Текст длиннее, чем принимает соцсеть: {len(text)} знаков из {limit} допустимых."
