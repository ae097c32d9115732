"""Finding incidents by what a person remembers of them: words, the author, the link, the number.

The search box of the queue filters its rows by `search_incidents(query)`, the ids of every
incident that matches (any status: the queue keeps the open ones it shows).

- The query is split at white space into terms; an incident matches when it holds every term
  (in any order, each in any of text, author name, author link, message link).
- Case does not matter, Cyrillic included; ё and е are one letter (people type «елка»).
- A term is a piece of text, not a word: «освещ» finds «освещение» and «освещения»,
  «wall-1_42» finds a link. Quotes, `*`, `AND`, `NEAR`, `-`, `:` and brackets mean
  themselves: every term goes to FTS5 as a quoted string, so no input is a syntax error.
- Terms of three characters and more are looked up in `incident_search`, the trigram index
  of migration 3. A trigram index cannot find anything shorter, so one- and two-character
  terms are checked by a scan with LIKE over the same four columns of `incident`, in every
  case spelling of the term (SQLite's LIKE folds ASCII letters only); a term with more than
  four spellings («её»: е and ё, each in two cases) is checked by one GLOB with a character
  class per letter instead, which costs less than sixteen LIKEs. Mixed with longer terms,
  the scan only checks the index's hits; alone, it reads the whole table: 0.2–0.9 s on
  200,000 messages against milliseconds through the index (benchmarks/queue_bench.py).
- A query that is a number («1234», «№ 1234», «#1234») also finds the message with that
  number.
- Only the first `MAX_QUERY_LENGTH` characters count.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence

from desktop.models.database import bound_database, reads
from desktop.models.entities import SEARCH_COLUMNS, SEARCH_TABLE

TRIGRAM = 3  # the shortest term the index can find
# A search box holds a few words; a pasted message is still found by its beginning. The cap
# keeps a paste within SQLite's limits on expression depth (1,000) and bound parameters.
MAX_QUERY_LENGTH = 1000
_AMONG_CHUNK = 500  # ids per statement, well under SQLite's parameter limit
_NUMBER = re.compile(r"\s*[№#]?\s*(\d{1,18})\s*")  # 18 digits still fit SQLite's integer
_LIKE_ESCAPE = "\\"
_E_SPELLINGS = ("е", "ё", "Е", "Ё")
_MAX_LIKE_SPELLINGS = 4  # beyond this, one GLOB with character classes is cheaper


def fold(text: str) -> str:
    """ё as е, as the index stores it (migration 3's triggers)."""
    return text.replace("ё", "е").replace("Ё", "Е")


def search_terms(query: str) -> list[str]:
    """The terms a match must hold: white-space separated, ё folded, each kept once.

    A term found inside another term is dropped: whatever holds the longer one holds it too.
    Only the first `MAX_QUERY_LENGTH` characters count. NUL separates terms: SQLite would
    take it for the end of a pattern.
    """
    seen: dict[str, str] = {}
    for term in fold(query[:MAX_QUERY_LENGTH]).replace("\0", " ").split():
        seen.setdefault(term.casefold(), term)
    return [
        term
        for key, term in seen.items()
        if not any(key != other and key in other for other in seen)
    ]


def fts_phrase(term: str) -> str:
    """The term as an FTS5 string, which the query syntax takes literally."""
    return '"' + term.replace('"', '""') + '"'


def _spellings(char: str) -> Sequence[str]:
    if char in _E_SPELLINGS:
        return _E_SPELLINGS
    lower, upper = char.lower(), char.upper()
    # LIKE matches ASCII letters in either case by itself; others need each case spelled.
    if char.isascii() or lower == upper or len(lower) != 1 or len(upper) != 1:
        return (char,)
    return (lower, upper)


def like_patterns(term: str) -> list[str]:
    """LIKE patterns (escaped with a backslash) that find `term` in any case, ё or е."""
    escaped = [
        "".join(_LIKE_ESCAPE + c if c in "%_\\" else c for c in spelling)
        for spelling in itertools.product(*(_spellings(c) for c in term))
    ]
    return [f"%{pattern}%" for pattern in escaped]


def glob_pattern(term: str) -> str:
    """A GLOB pattern (case-sensitive) that finds `term` in any case, ё or е."""
    classes = []
    for char in term:
        spellings = set(_spellings(char)) | {char.lower(), char.upper()}
        spellings = {s for s in spellings if len(s) == 1}
        if char in "*?[":
            classes.append(f"[{char}]")  # GLOB's wildcards, taken literally
        elif len(spellings) > 1:
            classes.append("[" + "".join(sorted(spellings)) + "]")
        else:
            classes.append(char)
    return "*" + "".join(classes) + "*"


def _scan_condition(term: str) -> tuple[str, list[str]]:
    patterns = like_patterns(term)
    if len(patterns) > _MAX_LIKE_SPELLINGS:
        checks = [f'"{column}" GLOB ?' for column in SEARCH_COLUMNS]
        return "(" + " OR ".join(checks) + ")", [glob_pattern(term)] * len(SEARCH_COLUMNS)
    checks = [
        f"\"{column}\" LIKE ? ESCAPE '{_LIKE_ESCAPE}'"
        for column in SEARCH_COLUMNS
        for _ in patterns
    ]
    params = [pattern for _ in SEARCH_COLUMNS for pattern in patterns]
    return "(" + " OR ".join(checks) + ")", params


def _text_matches(terms: list[str], limit: int, among: Sequence[int] | None = None) -> list[int]:
    """Ids of incidents holding every term, newest first, at most `limit` (-1: all), only
    of `among` when given."""
    indexed = [t for t in terms if len(t) >= TRIGRAM]
    scanned = [t for t in terms if len(t) < TRIGRAM]
    where: list[str] = []
    params: list[object] = []
    if among is not None:
        where.append(f'"id" IN ({", ".join("?" for _ in among)})')
        params.extend(among)
    if indexed:
        match = " ".join(fts_phrase(t) for t in indexed)  # FTS5 joins phrases with AND
        if not scanned and among is None:
            sql = (
                f'SELECT "rowid" FROM "{SEARCH_TABLE}" WHERE "{SEARCH_TABLE}" MATCH ? '
                'ORDER BY "rowid" DESC LIMIT ?'
            )
            rows = bound_database().execute_sql(sql, (match, limit)).fetchall()
            return [int(row_id) for (row_id,) in rows]
        where.append(
            f'"id" IN (SELECT "rowid" FROM "{SEARCH_TABLE}" WHERE "{SEARCH_TABLE}" MATCH ?)'
        )
        params.append(match)
    for term in scanned:
        condition, patterns = _scan_condition(term)
        where.append(condition)
        params.extend(patterns)
    sql = f'SELECT "id" FROM "incident" WHERE {" AND ".join(where)} ORDER BY "id" DESC LIMIT ?'
    rows = bound_database().execute_sql(sql, (*params, limit)).fetchall()
    return [int(incident_id) for (incident_id,) in rows]


def _numbered(query: str) -> list[int]:
    """The message with this office number, and those with this monitoring-system number
    (an upstream curator quotes theirs; `external_number` is indexed)."""
    number = _NUMBER.fullmatch(query)
    if number is None:
        return []
    digits = number.group(1)
    rows = bound_database().execute_sql(
        'SELECT "id" FROM "incident" WHERE "number" = ? OR "external_number" = ? '
        'ORDER BY "number" != ?',
        (int(digits), digits, int(digits)),
    )
    return [int(incident_id) for (incident_id,) in rows.fetchall()]


@reads
def search_incidents(
    query: str, *, limit: int | None = None, among: Iterable[int] | None = None
) -> frozenset[int]:
    """Ids of the incidents matching `query` (see the module's description), of any status.

    A blank query has nothing to look for and matches nothing: the caller shows the queue
    unfiltered instead. `limit` keeps the message with the queried number and the newest of
    the others. `among` checks only those incidents: what another workstation just changed,
    without a scan of every message for a short term.
    """
    if limit is not None and limit < 0:
        raise ValueError(f"limit must not be negative: {limit}")
    terms = search_terms(query)
    if not terms or limit == 0:
        return frozenset()
    if among is not None:
        wanted = sorted(set(among))
        matched: set[int] = {i for i in _numbered(query) if i in set(wanted)}
        for start in range(0, len(wanted), _AMONG_CHUNK):
            matched |= set(_text_matches(terms, -1, wanted[start : start + _AMONG_CHUNK]))
        return frozenset(matched)
    found = dict.fromkeys(_numbered(query))
    found.update(dict.fromkeys(_text_matches(terms, -1 if limit is None else limit)))
    ids = list(found)
    return frozenset(ids if limit is None else ids[:limit])
