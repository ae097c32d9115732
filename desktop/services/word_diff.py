"""Word-level differences between two versions of an answer, for the curator's panel.

A curator re-reading a reworked draft wants to see which *words* changed, not which lines:
answers are a paragraph or two. Words are compared whole (with the punctuation glued to
them), and the spaces between them are kept as they were in the new text, so the diff can
be shown as the new text with insertions marked and deletions struck through in place.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from enum import StrEnum

# A word with the punctuation attached to it, or a run of whitespace.
_TOKEN = re.compile(r"\s+|[^\s]+")


class Change(StrEnum):
    SAME = "same"
    INSERTED = "inserted"
    DELETED = "deleted"


@dataclass(frozen=True)
class Piece:
    change: Change
    text: str


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _words(tokens: list[str]) -> list[str]:
    # Whitespace differences (a double space, a new line) are not what a curator reviews.
    return [" " if token.isspace() else token for token in tokens]


def word_diff(old: str, new: str) -> list[Piece]:
    """The new text cut into pieces: unchanged, inserted, and deleted (from the old text),
    in reading order; adjacent pieces of one kind are joined."""
    old_tokens, new_tokens = _tokens(old), _tokens(new)
    matcher = difflib.SequenceMatcher(a=_words(old_tokens), b=_words(new_tokens), autojunk=False)
    pieces: list[Piece] = []

    def add(change: Change, text: str) -> None:
        if not text:
            return
        if pieces and pieces[-1].change is change:
            pieces[-1] = Piece(change, pieces[-1].text + text)
        else:
            pieces.append(Piece(change, text))

    for tag, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if tag == "equal":
            add(Change.SAME, "".join(new_tokens[b_start:b_end]))
            continue
        if tag in ("delete", "replace"):
            add(Change.DELETED, "".join(old_tokens[a_start:a_end]).strip())
            if tag == "replace" and b_start < b_end:
                add(Change.SAME, " ")
        if tag in ("insert", "replace"):
            add(Change.INSERTED, "".join(new_tokens[b_start:b_end]))
    return pieces


def changed_words(old: str, new: str) -> tuple[list[str], list[str]]:
    """The words deleted and the words inserted, for tests and short summaries."""
    deleted: list[str] = []
    inserted: list[str] = []
    for piece in word_diff(old, new):
        target = {Change.DELETED: deleted, Change.INSERTED: inserted}.get(piece.change)
        if target is not None:
            target.extend(piece.text.split())
    return deleted, inserted
