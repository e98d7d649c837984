"""Exact diffs of long Chinese texts: paragraphs first, then sentences, then characters.

Character-level diff-match-patch on a whole 50,000-character report is slow, and with its
default 1 s timeout it silently degrades to "everything replaced". So the texts are first
aligned paragraph by paragraph (a Myers diff on paragraphs encoded as single characters,
the trick of ``diff_linesToChars``); only the blocks of paragraphs that differ are diffed
again, by sentences when they are long, and finally by characters with
``Diff_Timeout = 0`` (no timeout, no half-match heuristic: a minimal diff). Those blocks are
small, so the exact diff is cheap.

Representation (``Diff.ops``), in document order:

- ``equal``: text in both versions; ``delete``: only in the old; ``insert``: only in the new.
- ``move``: a paragraph deleted in one place and inserted unchanged in another. It appears
  twice: ``Op("move", text, side="old")`` where it was and ``Op("move", text, side="new")``
  where it now is. Moves are not counted in ``chars_added``/``chars_removed``.

So ``old`` is the concatenation of equal, delete and old-side move texts, and ``new`` that
of equal, insert and new-side move texts (``Diff.old_text()``/``Diff.new_text()``).
A moved paragraph's text includes its newline; if the newline is missing on one side (the
last paragraph of a text has none), that newline shows as a one-character insert/delete.

Two deliberate departures from the bare minimal character diff, both for readability:
``diff_cleanupSemantic`` folds short equalities between edits into the edit (as asked), and
an edit that cuts through a figure is widened to the whole figure, so ``965.2 → 985.2``
reads as that, not as ``6 → 8`` (the figure's characters are then counted as changed).
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal, cast

from diff_match_patch import diff_match_patch

OpKind = Literal["equal", "insert", "delete", "move"]

_DELETE, _EQUAL, _INSERT, _MOVE_OLD, _MOVE_NEW = -1, 0, 1, 2, 3
_KINDS: dict[int, tuple[OpKind, Literal["old", "new"] | None]] = {
    _DELETE: ("delete", None),
    _EQUAL: ("equal", None),
    _INSERT: ("insert", None),
    _MOVE_OLD: ("move", "old"),
    _MOVE_NEW: ("move", "new"),
}

# Myers' cost grows with length x edit distance. A block whose edit distance is certainly
# large (the character-count lower bound below) is not worth an exact diff: it is a rewrite,
# and diff_cleanupSemantic would fold most of it into one replacement anyway. Measured here,
# 1,000 vs 1,000 unrelated characters (work ~2.6e6) take 0.5 s.
MAX_BLOCK_WORK = 2_500_000
# A hard stop for hostile input (e.g. the same characters shuffled): past it, remaining
# blocks are reported replaced whole, and the Diff says it is not exact.
DOCUMENT_DEADLINE_SECONDS = 5.0
# Blocks longer than this (after trimming their common ends) are aligned by sentences first.
SENTENCE_LEVEL_ABOVE = 2_000

_SENTENCE = re.compile(
    r"[^。！？；!?;\n]*(?:[。！？；!?;]+[”’」』）)\"']*\n?|\n)|[^。！？；!?;\n]+"
)
_DIGITS = frozenset("0123456789０１２３４５６７８９")
_POINTS = frozenset(".．")
_NUM_TAIL = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)*[.．]?\Z")
_NUM_HEAD = re.compile(r"[.．]?[0-9０-９]+(?:[.．][0-9０-９]+)*")


@dataclass(frozen=True)
class Op:
    kind: OpKind
    text: str
    # Only for moves: "old" at the paragraph's old place, "new" at its new place.
    side: Literal["old", "new"] | None = None


@dataclass(frozen=True)
class Diff:
    ops: list[Op]
    chars_added: int
    chars_removed: int
    # False only if a block was too costly to diff exactly (a rewrite, or the deadline hit)
    # and was reported as replaced whole.
    exact: bool = True

    @property
    def changed(self) -> bool:
        return any(op.kind != "equal" for op in self.ops)

    def old_text(self) -> str:
        return "".join(op.text for op in self.ops if _on_old(op))

    def new_text(self) -> str:
        return "".join(op.text for op in self.ops if _on_new(op))


def _on_old(op: Op) -> bool:
    return op.kind in ("equal", "delete") or (op.kind == "move" and op.side == "old")


def _on_new(op: Op) -> bool:
    return op.kind in ("equal", "insert") or (op.kind == "move" and op.side == "new")


def diff_texts(old: str, new: str) -> Diff:
    """The exact diff of two texts whose paragraphs are separated by newlines."""
    if old == new:
        return Diff([Op("equal", old)] if old else [], 0, 0)
    differ = _Differ()
    runs = list(_runs(differ.align(_paragraphs(old), _paragraphs(new))))
    moves = _pair_moves(runs)
    raw: list[tuple[int, str]] = []
    for index, run in enumerate(runs):
        if isinstance(run, str):
            raw.append((_EQUAL, run))
        else:
            raw.extend(differ.change(run, moves.get(index, {})))
    ops = [Op(_KINDS[code][0], text, _KINDS[code][1]) for code, text in _merge(raw)]
    added = sum(len(op.text) for op in ops if op.kind == "insert")
    removed = sum(len(op.text) for op in ops if op.kind == "delete")
    return Diff(ops, added, removed, exact=differ.exact)


def _paragraphs(text: str) -> list[str]:
    """Paragraphs with their newline kept, so that joining them gives the text back."""
    parts = text.split("\n")
    paragraphs = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        paragraphs.append(parts[-1])
    return paragraphs


def _sentences(text: str) -> list[str]:
    return _SENTENCE.findall(text)


@dataclass
class _Change:
    """A run of deleted and inserted paragraphs between two equal ones."""

    deleted: list[str]
    inserted: list[str]


def _runs(aligned: list[tuple[int, list[str], list[str]]]) -> Iterator[str | _Change]:
    change: _Change | None = None
    for code, old, new in aligned:
        if code == _EQUAL:
            if change:
                yield change
                change = None
            old_text, new_text = "".join(old), "".join(new)
            # The two may differ by the newline after the last paragraph of one text only:
            # that newline becomes a change of its own.
            common = min(old_text, new_text, key=len)
            yield common
            if old_text != new_text:
                change = _Change([old_text[len(common) :]] if old_text != common else [], [])
                change.inserted += [new_text[len(common) :]] if new_text != common else []
            continue
        change = change or _Change([], [])
        change.deleted.extend(old)
        change.inserted.extend(new)
    if change:
        yield change


# For each change run: {("old"|"new", paragraph index in the run): moved text}.
_Moves = dict[int, dict[tuple[str, int], str]]


def _pair_moves(runs: list[str | _Change]) -> _Moves:
    """Pair paragraphs deleted in one run with identical ones inserted in another run.

    Within one run a "deleted" and an "inserted" identical paragraph are not a move (that
    only happens when the last paragraph gains or loses its newline), so they are left to
    the character diff.
    """
    deleted: dict[str, list[tuple[int, int]]] = {}
    for run_index, run in enumerate(runs):
        if isinstance(run, _Change):
            for i, paragraph in enumerate(run.deleted):
                key = paragraph.removesuffix("\n")
                if key.strip():
                    deleted.setdefault(key, []).append((run_index, i))
    moves: _Moves = {}
    for run_index, run in enumerate(runs):
        if not isinstance(run, _Change):
            continue
        for i, paragraph in enumerate(run.inserted):
            key = paragraph.removesuffix("\n")
            candidates = deleted.get(key, [])
            partner = next((c for c in candidates if c[0] != run_index), None)
            if partner is None:
                continue
            candidates.remove(partner)
            deleted_paragraph = cast(_Change, runs[partner[0]]).deleted[partner[1]]
            # The move keeps the newline if both places have one.
            text = paragraph if paragraph == deleted_paragraph else key
            moves.setdefault(partner[0], {})[("old", partner[1])] = text
            moves.setdefault(run_index, {})[("new", i)] = text
    return moves


class _Differ:
    def __init__(self) -> None:
        self.dmp = diff_match_patch()
        self.dmp.Diff_Timeout = 0  # exact: no timeout and no half-match shortcut
        # diff-match-patch compares its deadline with time.time().
        self.deadline = time.time() + DOCUMENT_DEADLINE_SECONDS
        self.exact = True

    def myers(self, a: str, b: str) -> list[tuple[int, str]]:
        """Minimal diff of a and b, unless it is certainly too costly (see MAX_BLOCK_WORK)."""
        if not a or not b or a == b:
            return self.dmp.diff_main(a, b, False)
        prefix = self.dmp.diff_commonPrefix(a, b)
        suffix = self.dmp.diff_commonSuffix(a[prefix:], b[prefix:])
        mid_a, mid_b = a[prefix : len(a) - suffix], b[prefix : len(b) - suffix]
        lower_bound = _edit_distance_lower_bound(mid_a, mid_b)
        if (len(mid_a) + len(mid_b)) * lower_bound > MAX_BLOCK_WORK or time.time() > self.deadline:
            self.exact = False
            ops = [(_DELETE, mid_a), (_INSERT, mid_b)]
        else:
            ops = self.dmp.diff_main(mid_a, mid_b, False, self.deadline)
            if time.time() > self.deadline:  # diff-match-patch gave up somewhere inside
                self.exact = False
        head = [(_EQUAL, a[:prefix])] if prefix else []
        tail = [(_EQUAL, a[len(a) - suffix :])] if suffix else []
        return [*head, *(op for op in ops if op[1]), *tail]

    def align(self, a: list[str], b: list[str]) -> list[tuple[int, list[str], list[str]]]:
        """Diff two token lists: each distinct token becomes one character for Myers.

        Tokens are compared without a trailing newline, so that the last paragraph of a text
        (which has none) still matches itself elsewhere. Returns (code, old tokens, new
        tokens); for _EQUAL both lists are given and may differ in that newline.
        """
        codes: dict[str, str] = {}
        encoded_a = "".join(codes.setdefault(t.removesuffix("\n"), chr(len(codes) + 1)) for t in a)
        encoded_b = "".join(codes.setdefault(t.removesuffix("\n"), chr(len(codes) + 1)) for t in b)
        result: list[tuple[int, list[str], list[str]]] = []
        ia = ib = 0
        for code, chars in self.myers(encoded_a, encoded_b):
            n = len(chars)
            old = a[ia : ia + n] if code != _INSERT else []
            new = b[ib : ib + n] if code != _DELETE else []
            result.append((code, old, new))
            ia += len(old)
            ib += len(new)
        return result

    def change(self, run: _Change, moves: dict[tuple[str, int], str]) -> list[tuple[int, str]]:
        old, old_marks = _strip_moves(run.deleted, moves, "old")
        new, new_marks = _strip_moves(run.inserted, moves, "new")
        return _place_moves(self.refine(old, new), old_marks, new_marks)

    def refine(self, old: str, new: str) -> list[tuple[int, str]]:
        """Character diff of one block of changed paragraphs, cleaned for reading."""
        if not old or not new:
            return [(_DELETE, old)] if old else [(_INSERT, new)] if new else []
        prefix = self.dmp.diff_commonPrefix(old, new)
        suffix = self.dmp.diff_commonSuffix(old[prefix:], new[prefix:])
        if len(old) + len(new) - 2 * (prefix + suffix) <= SENTENCE_LEVEL_ABOVE:
            ops = self.myers(old, new)
        else:
            ops = []
            for code, old_part, new_part in self.align(_sentences(old), _sentences(new)):
                if code == _EQUAL and old_part != new_part:  # differ in a final newline
                    ops += [(_DELETE, "".join(old_part)), (_INSERT, "".join(new_part))]
                else:
                    ops.append((code, "".join(old_part or new_part)))
            ops = self._chars_within(ops)
        self.dmp.diff_cleanupSemantic(ops)
        return _widen_figures(ops)

    def _chars_within(self, ops: list[tuple[int, str]]) -> list[tuple[int, str]]:
        """Replace each deleted+inserted run of sentences by its character diff."""
        out: list[tuple[int, str]] = []
        pending = {_DELETE: "", _INSERT: ""}

        def flush() -> None:
            out.extend(self.myers(pending[_DELETE], pending[_INSERT]))
            pending[_DELETE] = pending[_INSERT] = ""

        for code, text in ops:
            if code == _EQUAL:
                flush()
                out.append((code, text))
            else:
                pending[code] += text
        flush()
        return out


def _edit_distance_lower_bound(a: str, b: str) -> int:
    """Inserted plus deleted characters that any diff of a and b must report."""
    count_a, count_b = Counter(a), Counter(b)
    return (count_a - count_b).total() + (count_b - count_a).total()


def _strip_moves(
    paragraphs: list[str], moves: dict[tuple[str, int], str], side: str
) -> tuple[str, list[tuple[int, str]]]:
    """The run's text without its moved paragraphs, and where each moved one stood."""
    parts: list[str] = []
    marks: list[tuple[int, str]] = []
    offset = 0
    for i, paragraph in enumerate(paragraphs):
        moved = moves.get((side, i))
        if moved is not None:
            marks.append((offset, moved))
            paragraph = paragraph[len(moved) :]  # a newline the other side lacks, or ""
        parts.append(paragraph)
        offset += len(paragraph)
    return "".join(parts), marks


def _place_moves(
    ops: list[tuple[int, str]], old_marks: list[tuple[int, str]], new_marks: list[tuple[int, str]]
) -> list[tuple[int, str]]:
    """Insert move ops at their offsets in the old/new text, splitting ops if needed."""
    if not old_marks and not new_marks:
        return ops
    out: list[tuple[int, str]] = []
    queue = list(reversed(ops))
    old_pos = new_pos = oi = ni = 0

    def flush(final: bool = False) -> None:
        nonlocal oi, ni
        while oi < len(old_marks) and (final or old_marks[oi][0] <= old_pos):
            out.append((_MOVE_OLD, old_marks[oi][1]))
            oi += 1
        while ni < len(new_marks) and (final or new_marks[ni][0] <= new_pos):
            out.append((_MOVE_NEW, new_marks[ni][1]))
            ni += 1

    while queue:
        code, text = queue.pop()
        flush()
        on_old, on_new = code in (_EQUAL, _DELETE), code in (_EQUAL, _INSERT)
        cut = len(text)
        if on_old and oi < len(old_marks):
            cut = min(cut, old_marks[oi][0] - old_pos)
        if on_new and ni < len(new_marks):
            cut = min(cut, new_marks[ni][0] - new_pos)
        if cut < len(text):
            queue.append((code, text[cut:]))
            text = text[:cut]
        out.append((code, text))
        old_pos += len(text) if on_old else 0
        new_pos += len(text) if on_new else 0
    flush(final=True)
    return out


def _widen_figures(ops: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Widen edits that cut through a number to the whole number on both sides."""
    ops = list(ops)
    out: list[tuple[int, str]] = []
    i = 0
    while i < len(ops):
        if ops[i][0] == _EQUAL:
            if ops[i][1]:
                out.append(ops[i])
            i += 1
            continue
        deleted = inserted = ""
        while i < len(ops) and ops[i][0] != _EQUAL:
            if ops[i][0] == _DELETE:
                deleted += ops[i][1]
            else:
                inserted += ops[i][1]
            i += 1
        edges = [s for s in (deleted, inserted) if s]
        if out and out[-1][0] == _EQUAL:
            before = out[-1][1]
            tail = _NUM_TAIL.search(before)
            if tail and any(_joins(tail.group()[-1], s[0]) for s in edges):
                taken = tail.group()
                deleted, inserted = taken + deleted, taken + inserted
                out.pop()
                if before[: -len(taken)]:
                    out.append((_EQUAL, before[: -len(taken)]))
        if i < len(ops) and ops[i][0] == _EQUAL:
            after = ops[i][1]
            head = _NUM_HEAD.match(after)
            if head and head.group() and any(_joins(s[-1], head.group()[0]) for s in edges):
                taken = head.group()
                deleted, inserted = deleted + taken, inserted + taken
                ops[i] = (_EQUAL, after[len(taken) :])  # may become empty: merged below
        # A swallowed equality may leave this edit next to the previous one: merge them.
        while out and out[-1][0] != _EQUAL:
            code, text = out.pop()
            if code == _DELETE:
                deleted = text + deleted
            else:
                inserted = text + inserted
        out.extend(op for op in ((_DELETE, deleted), (_INSERT, inserted)) if op[1])
    return out


def _joins(left: str, right: str) -> bool:
    """Whether two adjacent characters belong to one number (digits, a decimal point)."""
    if left in _DIGITS:
        return right in _DIGITS or right in _POINTS
    return left in _POINTS and right in _DIGITS


def _merge(ops: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Drop empty ops and join neighbours of the same kind (moves stay separate)."""
    out: list[tuple[int, str]] = []
    for code, text in ops:
        if not text:
            continue
        if out and out[-1][0] == code and code in (_EQUAL, _DELETE, _INSERT):
            out[-1] = (code, out[-1][1] + text)
        else:
            out.append((code, text))
    return out
