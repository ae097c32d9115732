"""The answer's text box: checks while the user types, shown in place.

`AnswerTextEdit` runs `draft_checks.check_answer` after a pause in typing (`CHECK_DELAY_MS`)
in the GUI thread — a 2,000-character answer takes a few milliseconds
(`benchmarks/draft_checks_bench.py`) — and marks what it found: a red wavy underline under a
misspelt word, an orange background under personal data, a dotted blue underline under a
style hint, a pink background past the network's length limit. Hovering shows the issue's
rule; a right-click on a misspelt word offers corrections and «Добавить «…» в словарь офиса».
The widget writes nothing: adding a word is `add_word_requested(word)`, which the owner runs
through `Jobs` and answers with `set_office_words`.

The checks count code points, a QTextDocument counts UTF-16 units (an emoji is two):
`_Utf16Map` converts. Between an edit and the next check the marks move with the text; a
mark the edit touched is dropped until the check.

The speller loads in a background thread (`spelling.start_loading`); until it is ready the
other checks run and `AnswerChecks.spelling_pending` is set, then the text is checked again.
"""

from __future__ import annotations

import bisect
import itertools
import threading
from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QHelpEvent,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QMenu, QPlainTextEdit, QToolTip, QWidget

from desktop.services.draft_checks import AnswerChecks, Issue, IssueKind, check_answer
from desktop.services.errors import SpellingUnavailable
from desktop.services.spelling import (
    NO_WORDS,
    OfficeWords,
    Speller,
    ready_speller,
    speller,
    start_loading,
)
from desktop.services.vocabulary import Network

CHECK_DELAY_MS = 300  # a pause in typing this long re-checks the text
SUGGESTIONS_AT_MOST = 6

# Later kinds are merged over earlier ones where marks overlap: a misspelt street name inside
# a home address keeps the address's background and gets the red wave.
_PAINT_ORDER = (IssueKind.LENGTH, IssueKind.STYLE, IssueKind.PERSONAL_DATA, IssueKind.SPELLING)


def issue_formats() -> dict[IssueKind, QTextCharFormat]:
    spelling = QTextCharFormat()
    spelling.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
    spelling.setUnderlineColor(QColor("#d32f2f"))
    personal = QTextCharFormat()
    personal.setBackground(QColor("#ffd8a8"))
    personal.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
    personal.setUnderlineColor(QColor("#e8590c"))
    style = QTextCharFormat()
    style.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
    style.setUnderlineColor(QColor("#1c7ed6"))
    length = QTextCharFormat()
    length.setBackground(QColor("#ffe3e3"))
    return {
        IssueKind.SPELLING: spelling,
        IssueKind.PERSONAL_DATA: personal,
        IssueKind.STYLE: style,
        IssueKind.LENGTH: length,
    }


class _Utf16Map:
    """Code-point indices of one text to and from UTF-16 positions (a QTextDocument's)."""

    def __init__(self, text: str) -> None:
        astral = [index for index, char in enumerate(text) if ord(char) > 0xFFFF]
        # Where each character outside the BMP starts, in UTF-16 units.
        self._starts = [index + count for count, index in enumerate(astral)]
        self._astral = astral

    def to_utf16(self, index: int) -> int:
        return index + bisect.bisect_left(self._astral, index)

    def to_index(self, position: int) -> int:
        """The character at UTF-16 `position`; inside a surrogate pair, the pair's character."""
        whole = bisect.bisect_right(self._starts, position - 2)  # pairs that end by `position`
        inside = whole < len(self._starts) and self._starts[whole] == position - 1
        return position - whole - (1 if inside else 0)


Range = tuple[int, int, IssueKind]  # document positions (UTF-16), end exclusive


class _Highlighter(QSyntaxHighlighter):
    """Paints `Range`s given for the whole document, block by block."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._formats = issue_formats()
        self._ranges: list[Range] = []

    @property
    def ranges(self) -> list[Range]:
        return list(self._ranges)

    def set_ranges(self, ranges: list[Range]) -> None:
        """Paint `ranges`; only the blocks where something changed are painted again."""
        changed = set(ranges) ^ set(self._ranges)
        self._ranges = sorted(ranges)
        document = self.document()
        numbers: set[int] = set()
        for start, end, _kind in changed:
            block = document.findBlock(start)
            while block.isValid() and block.position() < end:
                numbers.add(block.blockNumber())
                block = block.next()
        for number in sorted(numbers):
            self.rehighlightBlock(document.findBlockByNumber(number))

    def shift(self, position: int, removed: int, added: int) -> None:
        """Move the marks with an edit; a mark the edit touched waits for the next check."""
        delta = added - removed
        kept: list[Range] = []
        for start, end, kind in self._ranges:
            if end <= position:
                kept.append((start, end, kind))
            elif start >= position + removed:
                kept.append((start + delta, end + delta, kind))
            elif removed == 0 and start < position < end:  # typed inside: the mark widens
                kept.append((start, end + added, kind))
        self._ranges = kept

    def highlightBlock(self, text: str) -> None:
        block = self.currentBlock()
        first = block.position()
        last = first + block.length() - 1  # without the paragraph separator
        inside = [
            (max(start, first), min(end, last), kind)
            for start, end, kind in self._ranges
            if start < last and end > first
        ]
        if not inside:
            return
        edges = sorted({edge for start, end, _ in inside for edge in (start, end)})
        for left, right in itertools.pairwise(edges):
            kinds = {kind for start, end, kind in inside if start <= left and end >= right}
            if not kinds:
                continue
            painted = QTextCharFormat()
            for kind in _PAINT_ORDER:
                if kind in kinds:
                    painted.merge(self._formats[kind])
            self.setFormat(left - first, right - left, painted)


class _SpellerWatch(QObject):
    """Tells the GUI thread when the process's speller has loaded, or that it cannot."""

    loaded = Signal(object)  # Speller
    failed = Signal(str)  # the SpellingUnavailable message

    def __init__(self) -> None:
        super().__init__()
        self.speller: Speller | None = None  # set before `loaded` is emitted
        self.error: str | None = None

    def start(self) -> None:
        start_loading()
        threading.Thread(target=self._wait, name="otklik-spelling-watch", daemon=True).start()

    def _wait(self) -> None:
        try:
            loaded = speller()  # waits for the background load
        except SpellingUnavailable as exc:
            self.error = str(exc)
            self.failed.emit(self.error)  # queued to the GUI thread's receivers
        else:
            self.speller = loaded
            self.loaded.emit(loaded)


_watch: _SpellerWatch | None = None


def _speller_watch() -> _SpellerWatch:
    global _watch
    if _watch is None:
        _watch = _SpellerWatch()
        _watch.start()
    return _watch


class AnswerTextEdit(QPlainTextEdit):
    """A plain-text box for an answer that checks it as it is typed (see the module's doc)."""

    checks_changed = Signal(object)  # AnswerChecks, after every check
    add_word_requested = Signal(str)  # the misspelt word, as written

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        network: Network | None = None,
        words: OfficeWords = NO_WORDS,
        allowed: Iterable[str] = (),
    ) -> None:
        super().__init__(parent)
        self._network = network
        self._words = words
        self._allowed = _contacts(allowed)
        self._speller: Speller | None = ready_speller()
        self._spelling_unavailable: str | None = None
        self._may_add_words = True
        self._checks = AnswerChecks(text="", network=network)
        self._map = _Utf16Map("")
        self._dirty = False
        # Connected before the highlighter connects its own slot to the same signal, so the
        # marks have moved by the time it repaints the edited block.
        self.document().contentsChange.connect(self._on_contents_change)
        self._highlighter = _Highlighter(self.document())
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(CHECK_DELAY_MS)
        self._timer.timeout.connect(self.recheck_now)
        if self._speller is None:
            self._wait_for_speller()

    # --- what the owner sets ---------------------------------------------------------------

    def set_network(self, network: Network | None) -> None:
        """The network the answer goes to (its length limit); None: no limit."""
        self._network = network
        self.recheck_now()

    def set_office_words(self, words: OfficeWords) -> None:
        """The office's word list (after `add_word_requested` was carried out, say)."""
        self._words = words
        self.recheck_now()

    def set_allowed(self, allowed: Iterable[str]) -> None:
        """The office's published phones and e-mails, which are not personal data."""
        self._allowed = _contacts(allowed)
        self.recheck_now()

    def set_word_adding_enabled(self, enabled: bool) -> None:
        """Whether «Добавить в словарь офиса» is enabled (`Action.EDIT_SPELLING_WORDS`)."""
        self._may_add_words = enabled

    # --- checks --------------------------------------------------------------------------

    def checks(self) -> AnswerChecks:
        """The last check's result (call `recheck_now` first for the text as it is now)."""
        return self._checks

    def recheck_now(self) -> AnswerChecks:
        """Check the text now, repaint the marks and emit `checks_changed`."""
        self._timer.stop()
        text = self.toPlainText()
        checks = check_answer(
            text,
            self._network,
            speller=self._speller,
            words=self._words,
            allowed=self._allowed,
            spelling_unavailable=self._spelling_unavailable,
        )
        self._checks, self._map, self._dirty = checks, _Utf16Map(text), False
        self._highlighter.set_ranges(
            [
                (self._map.to_utf16(issue.start), self._map.to_utf16(issue.end), issue.kind)
                for issue in checks.issues
            ]
        )
        self.checks_changed.emit(checks)
        return checks

    def issues_at(self, pos: QPoint) -> tuple[Issue, ...]:
        """The issues under `pos` (viewport coordinates), the gravest first."""
        index = self._index_at(pos)
        if index is None:
            return ()
        found = self._checks.at(index)
        return tuple(sorted(found, key=lambda issue: -issue.severity))

    def tooltip_at(self, pos: QPoint) -> str:
        """The rules of the issues under `pos`, one a line; empty when there are none."""
        return "\n".join(issue.rule for issue in self.issues_at(pos))

    def context_menu_at(self, pos: QPoint) -> QMenu:
        """The editor's menu, with corrections and «Добавить в словарь» over a misspelt word.

        The caller owns the menu (`exec` it, then `deleteLater`).
        """
        menu = self.createStandardContextMenu(pos)
        misspelt = next(
            (issue for issue in self.issues_at(pos) if issue.kind is IssueKind.SPELLING), None
        )
        if misspelt is None or self._speller is None:
            return menu
        first = menu.actions()[0]  # the standard menu starts with «Отменить»
        offered: list[QAction] = []
        for suggestion in self._speller.suggestions(
            misspelt.text, SUGGESTIONS_AT_MOST, self._words
        ):
            action = QAction(suggestion, menu)
            font = action.font()
            font.setBold(True)
            action.setFont(font)
            action.triggered.connect(
                lambda _=False, issue=misspelt, word=suggestion: self.replace_issue(issue, word)
            )
            offered.append(action)
        if not offered:
            nothing = QAction("Нет вариантов исправления", menu)
            nothing.setEnabled(False)
            offered.append(nothing)
        add = QAction(f"Добавить «{misspelt.text}» в словарь офиса", menu)
        add.setEnabled(self._may_add_words)
        add.triggered.connect(
            lambda _=False, word=misspelt.text: self.add_word_requested.emit(word)
        )
        offered.append(add)
        menu.insertActions(first, offered)
        menu.insertSeparator(first)
        return menu

    def replace_issue(self, issue: Issue, replacement: str) -> bool:
        """Put `replacement` in place of the issue's text, as one undo step.

        False when the text there has changed since the check found the issue.
        """
        if self._dirty or self._checks.text[issue.start : issue.end] != issue.text:
            return False
        start, end = self._map.to_utf16(issue.start), self._map.to_utf16(issue.end)
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(replacement)
        cursor.endEditBlock()
        self.setTextCursor(cursor)
        self.recheck_now()
        return True

    # --- Qt --------------------------------------------------------------------------------

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.context_menu_at(event.pos())
        menu.exec(event.globalPos())
        menu.deleteLater()

    def viewportEvent(self, event: QEvent) -> bool:
        # Tooltip events go to the widget under the mouse, which is the viewport.
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.tooltip_at(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    # --- inside ---------------------------------------------------------------------------

    def _on_contents_change(self, position: int, removed: int, added: int) -> None:
        self._highlighter.shift(position, removed, added)
        self._dirty = True
        self._timer.start()

    def _index_at(self, pos: QPoint) -> int | None:
        """The code-point index of the character under `pos`, None off the text."""
        if self._dirty:
            self.recheck_now()
        cursor = self.cursorForPosition(pos)
        rect = self.cursorRect(cursor)
        if not rect.top() <= pos.y() <= rect.bottom():
            return None  # below the last line
        position = cursor.position() - 1 if pos.x() < rect.x() else cursor.position()
        if position < 0:
            return None
        block = self.document().findBlock(position)
        if not block.isValid() or position >= block.position() + block.length() - 1:
            return None  # right of the line's end
        return self._map.to_index(position)

    def _request_word(self, word: str) -> None:
        self.add_word_requested.emit(word)

    def _wait_for_speller(self) -> None:
        watch = _speller_watch()
        watch.loaded.connect(self._speller_loaded, Qt.ConnectionType.QueuedConnection)
        watch.failed.connect(self._speller_failed, Qt.ConnectionType.QueuedConnection)
        # It may have finished before the connections were made.
        if watch.error is not None:
            self._spelling_unavailable = watch.error
        elif (ready := watch.speller or ready_speller()) is not None:
            self._speller = ready

    def _speller_loaded(self, loaded: Speller) -> None:
        if self._speller is None:
            self._speller = loaded
            self.recheck_now()

    def _speller_failed(self, message: str) -> None:
        if self._spelling_unavailable is None:
            self._spelling_unavailable = message
            self.recheck_now()


def _contacts(allowed: Iterable[str]) -> tuple[str, ...]:
    if isinstance(allowed, str):
        raise TypeError("allowed is a collection of phones and e-mails, not one string")
    return tuple(allowed)
