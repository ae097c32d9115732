"""Russian spell checking: Hunspell with the ru_RU dictionary, offline, plus the office's words.

The engine is Hunspell 1.7 through the `chunspell` wheel (Windows and Linux, no compiler);
the dictionary is `resources/spelling/ru_RU.{aff,dic}` (see the README there). A `Speller`
is loaded once per process, on first use or in the background (`start_loading`), never at
start: loading takes about 0.2 s and holds the GIL while it runs.

* `Speller.misspelled(text, words)` — where the misspellings are, as character offsets for
  highlighting. Each distinct word is looked up once and remembered, so re-checking a text
  after an edit costs a tokenisation and dictionary look-ups in memory.
* `Speller.suggestions(word, limit, words)` — corrections, the likeliest first. Words one
  edit away are found by looking candidates up (milliseconds); only when there are none does
  Hunspell's own suggest run, which on this dictionary takes 0.2–0.5 s with the GIL held.
  Both are ranked by how Russians mistype (з/с, а/о, е/и, a forgotten «й» or «ь», a Latin
  letter that looks Cyrillic), which the dictionary, having no REP table, does not know.
* `OfficeWords` — the office's list (setting ``spelling.words``: place names, surnames, local
  terms). A listed word is never flagged, nor its case forms: «Отрадная» covers «Отрадной»,
  «Спокойненское» covers «Спокойненского».

What is not checked: links, e-mail addresses, bare domains, @mentions and #hashtags; tokens
with digits («5-го», «COVID-19»); words with no Cyrillic letter (brand names in Latin);
single letters (initials, «г.», «д.»); abbreviations in capitals of up to five letters
(«ЖКХ», «МФЦ», «ГИБДД»); words of up to four letters followed by a full stop («мкр.»,
«пгт.»). A word that mixes Cyrillic and Latin letters in one part is always flagged.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.models.database import reads, run_write
from desktop.services.audit import append_event
from desktop.services.errors import SpellingUnavailable, ValidationError
from desktop.services.paths import resources_dir
from desktop.services.permissions import Action
from desktop.services.session import CurrentUser
from desktop.services.settings import get_value, put_value

log = logging.getLogger(__name__)

WORDS_KEY = "spelling.words"
DICTIONARY = "ru_RU"
MAX_OFFICE_WORDS = 5000
MAX_WORD_LENGTH = 60
ABBREVIATION_LETTERS = 5  # «ГИБДД»; longer words in capitals are checked
DOTTED_ABBREVIATION_LETTERS = 4  # «мкр.», «пгт.», «обл.»
_CACHE_LIMIT = 100_000  # distinct words remembered before the cache starts afresh

# --- text into words ----------------------------------------------------------------------

_SKIPPED = re.compile(
    r"""
      (?:https?://|ftp://|www\.)[^\s<>"«»]+
    | (?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+
    | (?<![\w@#.])[\w-]+(?:\.[\w-]+)*\.(?:ru|su|com|org|net|info|рф|рус)\b(?:/[^\s<>"«»]*)?
    | [@#]\w[\w.-]*
    """,
    re.VERBOSE | re.IGNORECASE,
)
# Letters, digits, hyphens (also U+2010 and the non-breaking U+2011), the soft hyphen and
# the stress marks some texts carry («за́мок»): one token, checked without the marks.
_TOKEN = re.compile(r"[\w\u00ad\u0300\u0301\u2010\u2011-]+")
_MARKS = str.maketrans(
    {"\u00ad": None, "\u0300": None, "\u0301": None, "\u2010": "-", "\u2011": "-"}
)
_CYRILLIC = frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ")
# Latin letters that look like Cyrillic ones: typed with the wrong keyboard layout, or pasted.
_HOMOGLYPHS = str.maketrans("aceopxykABCEHKMOPTXY", "асеорхукАВСЕНКМОРТХУ")


@dataclass(frozen=True)
class Misspelling:
    start: int  # character offsets into the checked text: text[start:end] == word
    end: int
    word: str


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str  # as written
    word: str  # without soft hyphens and stress marks, hyphens as "-"


def tokens(text: str) -> Iterator[Token]:
    """The words of `text` that are to be checked, with their offsets."""
    blanked = _SKIPPED.sub(lambda m: " " * len(m.group()), text)
    for match in _TOKEN.finditer(blanked):
        start, end = match.span()
        while start < end and text[start] in "-\u2010\u2011":
            start += 1
        while end > start and text[end - 1] in "-\u2010\u2011\u00ad":
            end -= 1
        raw = text[start:end]
        if not raw or any(ch.isdigit() or ch == "_" for ch in raw):
            continue
        word = raw.translate(_MARKS)
        if not any(ch in _CYRILLIC for ch in word):
            continue  # Latin or another script: names of products, not ours to check
        if (
            end < len(text)
            and text[end] == "."
            and "-" not in word
            and len(word) <= DOTTED_ABBREVIATION_LETTERS
        ):
            continue
        yield Token(start, end, raw, word)


def _mixed_script(part: str) -> bool:
    return any(ch in _CYRILLIC for ch in part) and any(
        ch.isalpha() and ch not in _CYRILLIC for ch in part
    )


def _exempt(part: str) -> bool:
    """Not a word to look up: a single letter, an abbreviation, Latin, an empty part."""
    if _mixed_script(part):
        return False
    if len(part) <= 1 or not any(ch in _CYRILLIC for ch in part):
        return True
    return part.isupper() and len(part) <= ABBREVIATION_LETTERS


def fold(word: str) -> str:
    """Case and «ё» folded: how the office's words are compared."""
    return word.casefold().replace("ё", "е")


# --- the office's own words ---------------------------------------------------------------

# Case endings of Russian nouns, adjectives and surnames: a listed word also covers its stem
# with any of these («Отрадн|ая» → «Отрадн|ой», «Иванов» → «Иванов|а»).
_ENDINGS = frozenset(
    (  # noqa: SIM905 (a list of 45 quoted two-letter strings would be harder to read)
        "а я о е ы и у ю ь й "
        "ой ей ом ем ам ям ах ях ов ев ью ою ею ая яя ое ее ую юю ые ие ый ий ым им ых их "
        "ами ями ого его ому ему ыми ими"
    ).split()
)
_LONGEST_ENDING = max(map(len, _ENDINGS))
_MIN_STEM = 4


def _stems(folded: str) -> set[str]:
    found = {folded}
    for size in range(1, _LONGEST_ENDING + 1):
        stem = folded[:-size]
        if len(stem) >= _MIN_STEM and folded[-size:] in _ENDINGS:
            found.add(stem)
    return found


class OfficeWords:
    """The office's word list, matched without case, «ё» as «е», in any case form."""

    def __init__(self, words: Iterable[str] = ()) -> None:
        self.words: tuple[str, ...] = tuple(dict.fromkeys(words))
        self._folded = {fold(word): word for word in self.words}
        self._stems: set[str] = set()
        for folded in self._folded:
            self._stems |= _stems(folded)
        self._letters = {folded: Counter(folded) for folded in self._folded}
        self._near: dict[tuple[str, float], list[str]] = {}

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        folded = fold(word)
        if folded in self._folded:
            return True
        return any(
            folded[:-size] in self._stems and folded[-size:] in _ENDINGS
            for size in range(1, min(_LONGEST_ENDING, len(folded) - 1) + 1)
        )

    def __len__(self) -> int:
        return len(self.words)

    def near(self, word: str, within: float = 2.0) -> list[str]:
        """Listed words within `within` weighted edits of `word` (for suggestions)."""
        folded = fold(word.translate(_HOMOGLYPHS))
        found = self._near.get((folded, within))
        if found is None:
            letters = Counter(folded)
            found = [
                original
                for candidate, original in self._folded.items()
                if _at_least(folded, letters, candidate, self._letters[candidate]) <= within
                and distance(folded, candidate) <= within
            ]
            self._near[(folded, within)] = found
        return found


def _at_least(a: str, a_letters: Counter[str], b: str, b_letters: Counter[str]) -> float:
    """A lower bound of `distance(a, b)`, cheap enough to skip most of a long list.

    Each edit costs at least 0.5 (Latin look-alikes are already Cyrillic) and mends at most
    one letter on each side.
    """
    if abs(len(a) - len(b)) > 4:
        return abs(len(a) - len(b)) * 0.5
    return 0.5 * max((a_letters - b_letters).total(), (b_letters - a_letters).total())


NO_WORDS = OfficeWords()


# --- how far a suggestion is from what was typed -----------------------------------------

# Pairs Russians confuse: voiced and voiceless consonants, unstressed vowels.
_CONFUSED = frozenset(
    frozenset(pair)
    for pair in ["зс", "дт", "бп", "гк", "вф", "жш", "шщ", "ао", "еи", "ея", "иы", "еэ", "юу"]
)
_CHEAP_TO_FORGET = frozenset("йьъ")


def _gaps(word: str) -> list[float]:
    """What leaving out or adding each letter of `word` costs."""
    costs = []
    for k, letter in enumerate(word):
        doubled = word[k - 1 : k] == letter or word[k + 1 : k + 2] == letter
        if letter in _CHEAP_TO_FORGET or letter in " -" or doubled:
            costs.append(0.5)  # «пожалуста», «коментарий», «вобщем»
        else:
            costs.append(1.0)
    return costs


def _substitution(a: str, b: str) -> float:
    if a == b:
        return 0.0
    if a.translate(_HOMOGLYPHS) == b or b.translate(_HOMOGLYPHS) == a:
        return 0.1
    return 0.5 if frozenset((a, b)) in _CONFUSED else 1.0


def distance(typed: str, candidate: str) -> float:
    """Weighted Damerau–Levenshtein distance, folded: a likely slip costs less than 1."""
    a, b = fold(typed), fold(candidate)
    gap_a, gap_b = _gaps(a), _gaps(b)
    previous2: list[float] = []
    previous = [0.0]
    for j in range(len(b)):
        previous.append(previous[j] + gap_b[j])
    for i in range(1, len(a) + 1):
        current = [previous[0] + gap_a[i - 1]] + [0.0] * len(b)
        for j in range(1, len(b) + 1):
            best = min(
                previous[j] + gap_a[i - 1],
                current[j - 1] + gap_b[j - 1],
                previous[j - 1] + _substitution(a[i - 1], b[j - 1]),
            )
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                best = min(best, previous2[j - 2] + 1.0)
            current[j] = best
        previous2, previous = previous, current
    return previous[len(b)]


def rank(typed: str, candidates: Iterable[str]) -> list[str]:
    """Candidates by `distance`, ties in the order given; duplicates and `typed` dropped."""
    unique = [c for c in dict.fromkeys(candidates) if c and c != typed]
    order = {candidate: index for index, candidate in enumerate(unique)}
    return sorted(unique, key=lambda c: (distance(typed, c), order[c]))


_ALPHABET = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"


def _one_edit(word: str) -> Iterator[str]:
    """Every string one deletion, transposition, replacement or insertion away."""
    for i in range(len(word) + 1):
        head, tail = word[:i], word[i:]
        if tail:
            yield head + tail[1:]
            if len(tail) > 1:
                yield head + tail[1] + tail[0] + tail[2:]
            for letter in _ALPHABET:
                yield head + letter + tail[1:]
        for letter in _ALPHABET:
            yield head + letter + tail


def _cased_like(model: str, word: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


# --- the speller --------------------------------------------------------------------------


def _path_encoding(folder: Path, os_name: str = os.name) -> str | None:
    """How chunspell should pass the dictionary's path to Hunspell.

    By default it encodes the path in the locale's code page (cp1251 on a Russian Windows),
    which cannot hold every name; for a non-ASCII path on Windows, UTF-8 makes chunspell
    prefix it with \\\\?\\ and Hunspell open it through the wide-character API.
    """
    if os_name == "nt" and not str(folder).isascii():
        return "UTF-8"
    return None


def aff_encoding(aff: Path) -> str:
    """The character set an .aff file declares (`SET`); Hunspell's default is ISO8859-1."""
    with aff.open("rb") as lines:
        for line in lines:
            if line.startswith(b"SET "):
                return line.split()[1].decode("ascii")
    return "ISO8859-1"


class Speller:
    """One Hunspell dictionary. Thread-safe; look-ups and suggestions are remembered."""

    def __init__(self, folder: Path | None = None, name: str = DICTIONARY) -> None:
        folder = (folder or resources_dir() / "spelling").resolve()
        for suffix in (".aff", ".dic"):
            if not (folder / f"{name}{suffix}").is_file():
                raise SpellingUnavailable(
                    f"Проверка орфографии недоступна: нет файла словаря {folder / name}{suffix}."
                )
        try:
            from hunspell import Hunspell  # chunspell; imported here to keep start-up light
        except ImportError as exc:
            raise SpellingUnavailable(
                "Проверка орфографии недоступна: не установлен пакет chunspell."
            ) from exc
        started = time.perf_counter()
        self._engine: Any = Hunspell(
            name, hunspell_data_dir=str(folder), system_encoding=_path_encoding(folder)
        )
        self.load_seconds = time.perf_counter() - started
        self.encoding = aff_encoding(folder / f"{name}.aff")
        self._lock = threading.Lock()
        self._known: dict[str, bool] = {}
        self._suggested: dict[str, tuple[str, ...]] = {}
        log.info("spelling: %s loaded in %.2f s (%s)", name, self.load_seconds, self.encoding)

    def _lookup(self, word: str) -> bool:
        try:
            with self._lock:
                return bool(self._engine.spell(word))
        except UnicodeEncodeError:  # a letter the dictionary's encoding has not got
            return False

    def is_known(self, word: str) -> bool:
        """The dictionary has `word` (remembered; hyphens as "-", no marks)."""
        known = self._known.get(word)
        if known is None:
            if len(self._known) >= _CACHE_LIMIT:
                self._known.clear()
            known = self._known[word] = self._lookup(word)
        return known

    def _part_ok(self, part: str, words: OfficeWords) -> bool:
        if _exempt(part):
            return True
        if _mixed_script(part):
            return False
        return self.is_known(part) or part in words

    def word_ok(self, word: str, words: OfficeWords = NO_WORDS) -> bool:
        """A token's word (see `tokens`) passes: dictionary, office list or a rule."""
        if self._part_ok(word, words):
            return True
        if "-" not in word:
            return False
        parts = word.split("-")
        return all(self._part_ok(part, words) for part in parts if part)

    def misspelled(self, text: str, words: OfficeWords | None = None) -> list[Misspelling]:
        """The misspelt words of `text`, in order, with their offsets."""
        known = words or NO_WORDS
        return [
            Misspelling(token.start, token.end, token.text)
            for token in tokens(text)
            if not self.word_ok(token.word, known)
        ]

    def suggestions(self, word: str, limit: int = 6, words: OfficeWords | None = None) -> list[str]:
        """Corrections of `word`, the likeliest first, at most `limit`."""
        typed = word.translate(_MARKS)
        found = self._suggested.get(typed)
        if found is None:
            found = tuple(self._candidates(typed))
            if len(self._suggested) >= _CACHE_LIMIT:
                self._suggested.clear()
            self._suggested[typed] = found
        listed = words.near(typed) if words else []
        return rank(typed, [*found, *listed])[:limit]

    def _candidates(self, typed: str) -> list[str]:
        if _mixed_script(typed):
            cyrillic = typed.translate(_HOMOGLYPHS)
            if not _mixed_script(cyrillic) and self.is_known(cyrillic):
                return [cyrillic]
            typed = cyrillic
        lower = typed.lower()
        capitalised = typed[:1].isupper()
        near = [
            _cased_like(typed, candidate)
            for candidate in dict.fromkeys(_one_edit(lower))
            if self._lookup(candidate)
            or (capitalised and self._lookup(_cased_like(typed, candidate)))
        ]
        near += [
            _cased_like(typed, f"{lower[:i]} {lower[i:]}")
            for i in range(1, len(lower))
            if self._lookup(lower[:i]) and self._lookup(lower[i:])
        ]
        if near:
            return near
        with self._lock:
            return [str(s) for s in self._engine.suggest(typed)]


# --- one speller per process, loaded on first use or in the background -------------------

_loading_lock = threading.Lock()  # held while loading: a second caller waits for the first
_loader_lock = threading.Lock()
_loaded: Speller | None = None
_failed: SpellingUnavailable | None = None
_loader: threading.Thread | None = None


def speller() -> Speller:
    """The process's speller, loaded now if it is not yet (waits for a background load)."""
    global _loaded, _failed
    with _loading_lock:
        if _loaded is None and _failed is None:
            try:
                _loaded = Speller()
            except SpellingUnavailable as exc:
                _failed = exc
            except Exception as exc:  # the engine refused the files: report, don't crash
                log.exception("spelling: the dictionary could not be loaded")
                _failed = SpellingUnavailable(f"Проверка орфографии недоступна: {exc}")
        if _failed is not None:
            raise _failed
        assert _loaded is not None
        return _loaded


def start_loading() -> None:
    """Load the speller in a background thread, once; returns at once."""
    global _loader
    with _loader_lock:
        if _loaded is not None or _failed is not None or _loader is not None:
            return
        _loader = threading.Thread(target=_load_quietly, name="otklik-spelling", daemon=True)
        _loader.start()


def _load_quietly() -> None:
    try:
        speller()
    except SpellingUnavailable as exc:
        log.warning("%s", exc)


def ready_speller() -> Speller | None:
    """The speller if it is loaded, else None (and nothing waits)."""
    return _loaded


# --- the office's list in the database ----------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def _stored() -> list[str]:
    value = get_value(WORDS_KEY)
    return [str(word) for word in value] if isinstance(value, list) else []


@reads
def office_words() -> list[str]:
    """The office's words as they were added, in alphabetical order."""
    return sorted(_stored(), key=fold)


@reads
def office_word_list() -> OfficeWords:
    return OfficeWords(_stored())


def clean_word(word: str) -> str:
    """The word as it is to be stored; `ValidationError` if it is not one word."""
    cleaned = word.translate(_MARKS).strip()
    if not cleaned:
        raise ValidationError("Введите слово для словаря.")
    if len(cleaned) > MAX_WORD_LENGTH:
        raise ValidationError(f"Слово для словаря длиннее {MAX_WORD_LENGTH} букв.")
    if not _WORD.fullmatch(cleaned):
        raise ValidationError(
            "В словарь добавляется одно слово из букв, части можно соединить дефисом: "
            "«Ростов-на-Дону»."
        )
    if any(_mixed_script(part) for part in cleaned.split("-")):
        raise ValidationError(
            f"В слове «{cleaned}» смешаны русские и латинские буквы — это опечатка."
        )
    return cleaned


def add_office_word(user: CurrentUser, word: str) -> bool:
    """Add `word` to the office's list; False if it is there already (in any case, ё or е)."""
    user.require(Action.EDIT_SPELLING_WORDS)
    cleaned = clean_word(word)

    def write() -> bool:
        stored = _stored()
        if fold(cleaned) in {fold(w) for w in stored}:
            return False
        if len(stored) >= MAX_OFFICE_WORDS:
            raise ValidationError(f"В словаре офиса уже {MAX_OFFICE_WORDS} слов.")
        put_value(WORDS_KEY, sorted([*stored, cleaned], key=fold))
        append_event(
            user.actor,
            entity="setting",
            entity_id=0,
            action="add_spelling_word",
            after={WORDS_KEY: cleaned},
        )
        return True

    return run_write(write)


def remove_office_word(user: CurrentUser, word: str) -> bool:
    """Remove `word` (compared without case, ё as е); False if it was not listed."""
    user.require(Action.EDIT_SPELLING_WORDS)
    folded = fold(word.translate(_MARKS).strip())

    def write() -> bool:
        stored = _stored()
        kept = [w for w in stored if fold(w) != folded]
        if len(kept) == len(stored):
            return False
        put_value(WORDS_KEY, kept)
        append_event(
            user.actor,
            entity="setting",
            entity_id=0,
            action="remove_spelling_word",
            before={WORDS_KEY: next(w for w in stored if fold(w) == folded)},
        )
        return True

    return run_write(write)
