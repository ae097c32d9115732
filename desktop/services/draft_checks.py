"""All the checks of an answer before it is published, in one call: `check_answer`.

The editor runs it on each pause in typing (highlights with the rule as a tooltip) and once
more at submit (`AnswerChecks.summary()` for the dialog). It combines:

* personal data (`personal_data.find_personal_data`) — `Severity.CONFIRM`: a citizen's phone,
  e-mail or address must not be published (152-ФЗ, art. 7), so submitting asks the writer to
  confirm. It never blocks: the finder reads shapes of numbers and can be wrong, and the
  service itself publishes nothing;
* spelling (`spelling.Speller.misspelled`, the office's words honoured) — `Severity.WARNING`;
* the network's length limit (`answer_style.LENGTH_LIMITS`) — `Severity.WARNING`: the part
  past the limit is the issue's span; the writer may mean to post the answer in two parts;
* style hints (`answer_style.style_hints`: officialese, formal non-answers) — `Severity.HINT`.

Offsets are code points (Python string indices). A QTextEdit counts UTF-16 units: views
convert (an emoji is two units). The checks take a few milliseconds for a 2,000-character
answer (`benchmarks/draft_checks_bench.py`), so the GUI thread can run them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum, StrEnum

from desktop.models.enums import Network
from desktop.services.answer_style import LENGTH_LIMITS, HintKind, style_hints
from desktop.services.personal_data import PersonalDataKind, find_personal_data
from desktop.services.spelling import OfficeWords, Speller
from desktop.services.titles import NETWORK_TITLES


class IssueKind(StrEnum):
    PERSONAL_DATA = "personal_data"
    SPELLING = "spelling"
    LENGTH = "length"
    STYLE = "style"


class Severity(IntEnum):
    """How much an issue weighs at submit; greater is graver."""

    HINT = 1  # style: shown, never asked about
    WARNING = 2  # spelling, length: listed in the submit dialog
    CONFIRM = 3  # personal data: submitting asks «Опубликовать всё равно?»


SEVERITIES: dict[IssueKind, Severity] = {
    IssueKind.PERSONAL_DATA: Severity.CONFIRM,
    IssueKind.SPELLING: Severity.WARNING,
    IssueKind.LENGTH: Severity.WARNING,
    IssueKind.STYLE: Severity.HINT,
}

# Short names for the summary, after «Персональные данные:».
PERSONAL_DATA_NAMES: dict[PersonalDataKind, str] = {
    PersonalDataKind.EMAIL: "e-mail",
    PersonalDataKind.HOME_ADDRESS: "домашний адрес",
    PersonalDataKind.BIRTH_DATE: "дата рождения",
    PersonalDataKind.PASSPORT: "паспорт",
    PersonalDataKind.SNILS: "СНИЛС",
    PersonalDataKind.INN: "ИНН",
    PersonalDataKind.BANK_CARD: "номер карты",
    PersonalDataKind.PHONE: "телефон",
}
STYLE_NAMES: dict[HintKind, str] = {
    HintKind.OFFICIALESE: "Канцелярит",
    HintKind.NON_ANSWER: "Отписка",
}
SPELLING_PENDING = "Орфография не проверена: словарь ещё загружается."
LISTED_WORDS_AT_MOST = 8  # misspelt words named in the summary; the rest are counted
WORD_IN_SUMMARY_AT_MOST = 30  # characters of a misspelt word the summary shows


@dataclass(frozen=True)
class Issue:
    start: int  # code points into the checked text; text[start:end] == self.text
    end: int
    kind: IssueKind
    severity: Severity
    text: str  # the span as written
    rule: str  # Russian, for the tooltip
    detail: str = ""  # PersonalDataKind or HintKind value; empty for spelling and length


@dataclass(frozen=True)
class AnswerChecks:
    """The issues of one text, in text order (then the graver first)."""

    text: str
    network: Network | None
    issues: tuple[Issue, ...] = ()
    spelling_pending: bool = False  # the speller is still loading: spelling not checked
    spelling_unavailable: str | None = None  # why spelling cannot be checked at all
    limit: int | None = None  # the network's length limit, if it has one

    def of_kind(self, kind: IssueKind) -> tuple[Issue, ...]:
        return tuple(issue for issue in self.issues if issue.kind is kind)

    def at(self, index: int) -> tuple[Issue, ...]:
        """The issues whose span holds the character at `index` (code points)."""
        return tuple(issue for issue in self.issues if issue.start <= index < issue.end)

    @property
    def worst(self) -> Severity | None:
        return max((issue.severity for issue in self.issues), default=None)

    @property
    def needs_confirmation(self) -> bool:
        """Submitting should ask the writer to confirm (personal data in the text)."""
        return self.worst is Severity.CONFIRM

    def summary(self) -> list[str]:
        """Russian lines for the submit dialog, the gravest first; empty when all is well."""
        lines: list[str] = []
        personal = self.of_kind(IssueKind.PERSONAL_DATA)
        if personal:
            named = "; ".join(
                f"{PERSONAL_DATA_NAMES[PersonalDataKind(issue.detail)]} {issue.text}"
                for issue in personal
            )
            lines.append(f"Персональные данные: {named}")
        words = list(
            dict.fromkeys(_shortened(issue.text) for issue in self.of_kind(IssueKind.SPELLING))
        )
        if words:
            count = len(words)
            listed = ", ".join(words[:LISTED_WORDS_AT_MOST])
            if count > LISTED_WORDS_AT_MOST:
                listed += f" и ещё {count - LISTED_WORDS_AT_MOST}"
            noun = plural(count, "слово с ошибкой", "слова с ошибками", "слов с ошибками")
            lines.append(f"{count} {noun}: {listed}")
        if self.of_kind(IssueKind.LENGTH) and self.limit is not None and self.network:
            length = len(self.text)
            lines.append(
                f"Длина {thousands(length)} {plural(length, 'знак', 'знака', 'знаков')} "
                f"при пределе {NETWORK_TITLES[self.network]} {thousands(self.limit)}"
            )
        for hint_kind, name in STYLE_NAMES.items():
            phrases = dict.fromkeys(
                issue.text.lower()
                for issue in self.of_kind(IssueKind.STYLE)
                if issue.detail == hint_kind.value
            )
            if phrases:
                lines.append(f"{name}: {', '.join(phrases)}")
        if self.spelling_unavailable:
            lines.append(self.spelling_unavailable)
        elif self.spelling_pending:
            lines.append(SPELLING_PENDING)
        return lines

    def brief(self) -> str:
        """One line for under the editor: «Персональные данные: 1 · Ошибки: 2 · Стиль: 1»."""
        parts = []
        for kind, title in (
            (IssueKind.PERSONAL_DATA, "Персональные данные"),
            (IssueKind.SPELLING, "Ошибки"),
            (IssueKind.STYLE, "Стиль"),
        ):
            count = len(self.of_kind(kind))
            if count:
                parts.append(f"{title}: {count}")
        if self.of_kind(IssueKind.LENGTH) and self.limit is not None:
            parts.append(f"Длина: {thousands(len(self.text))} из {thousands(self.limit)}")
        if self.spelling_unavailable:
            parts.append("орфография недоступна")
        elif self.spelling_pending:
            parts.append("орфография загружается")
        return " · ".join(parts) if parts else "Замечаний нет"


def check_answer(
    text: str,
    network: Network | None,
    *,
    speller: Speller | None,
    words: OfficeWords,
    allowed: Iterable[str] = (),
    spelling_unavailable: str | None = None,
) -> AnswerChecks:
    """Every check of `text` as it would be published to `network` (None: no length limit).

    `speller` None means it is still loading (`spelling_pending`), or, with
    `spelling_unavailable` (the `SpellingUnavailable` message), that it cannot load.
    `allowed` lists the office's published phones and e-mails (see `find_personal_data`).
    """
    issues: list[Issue] = []
    for finding in find_personal_data(text, tuple(allowed)):
        issues.append(
            Issue(
                finding.start,
                finding.end,
                IssueKind.PERSONAL_DATA,
                SEVERITIES[IssueKind.PERSONAL_DATA],
                finding.matched,
                finding.rule,
                finding.kind.value,
            )
        )
    if speller is not None:
        for slip in speller.misspelled(text, words):
            issues.append(
                Issue(
                    slip.start,
                    slip.end,
                    IssueKind.SPELLING,
                    SEVERITIES[IssueKind.SPELLING],
                    slip.word,
                    spelling_rule(slip.word),
                )
            )
    limit = LENGTH_LIMITS.get(network) if network is not None else None
    if network is not None and limit is not None and len(text) > limit:
        issues.append(
            Issue(
                limit,
                len(text),
                IssueKind.LENGTH,
                SEVERITIES[IssueKind.LENGTH],
                text[limit:],
                f"{NETWORK_TITLES[network]} принимает не больше {thousands(limit)} знаков, "
                f"а в ответе {thousands(len(text))}: выделенное не войдёт в одно сообщение. "
                "Сократите ответ или разбейте его на части.",
            )
        )
    for hint in style_hints(text):
        issues.append(
            Issue(
                hint.start,
                hint.end,
                IssueKind.STYLE,
                SEVERITIES[IssueKind.STYLE],
                hint.phrase,
                f"{STYLE_NAMES[hint.kind]}: «{hint.phrase}» — {hint.advice}",
                hint.kind.value,
            )
        )
    issues.sort(key=lambda issue: (issue.start, -issue.severity, issue.end))
    return AnswerChecks(
        text=text,
        network=network,
        issues=tuple(issues),
        spelling_pending=speller is None and spelling_unavailable is None,
        spelling_unavailable=spelling_unavailable if speller is None else None,
        limit=limit,
    )


def spelling_rule(word: str) -> str:
    return (
        f"Слова «{word}» нет в словаре: возможно, опечатка. Правая кнопка мыши — варианты "
        "исправления и «Добавить в словарь офиса»."
    )


def _shortened(word: str) -> str:
    if len(word) <= WORD_IN_SUMMARY_AT_MOST:
        return word
    return word[: WORD_IN_SUMMARY_AT_MOST - 1] + "…"


def plural(count: int, one: str, few: str, many: str) -> str:
    """The Russian form for `count`: 1 слово, 2 слова, 5 слов, 11 слов, 21 слово."""
    tens, units = count % 100, count % 10
    if units == 1 and tens != 11:
        return one
    if 2 <= units <= 4 and not 12 <= tens <= 14:
        return few
    return many


def thousands(number: int) -> str:
    """4 200 with a no-break space between the groups of three digits."""
    return f"{number:,}".replace(",", "\u00a0")
