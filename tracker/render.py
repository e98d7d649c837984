"""Readable renderings of a ``Diff``: unified text, inline HTML, side-by-side HTML, alert snippets.

Markers in the text renderings: ``[-deleted-]``, ``{+inserted+}``, and for a moved paragraph
``[~moved to ¶N: excerpt~]`` at its old place and ``{~moved from ¶M: excerpt~}`` at its
new place. A newline inside a change is shown as ``↵``. Paragraph numbers (¶) count from 1.

Scraped text is hostile: the HTML renderings escape every piece of text and attribute, and
the text renderings replace control characters (terminal escape sequences) with U+FFFD.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict, deque
from dataclasses import dataclass

from tracker.diff import Diff, Op

NEWLINE_MARK = "↵"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class _Piece:
    op: Op
    old_par: int  # paragraph number (1-based) where the op starts in the old text
    new_par: int  # ... and in the new text
    partner_par: int | None = None  # moves: the paragraph number at the other place

    @property
    def is_change(self) -> bool:
        return self.op.kind != "equal"


def _pieces(diff: Diff) -> list[_Piece]:
    """The ops with their paragraph numbers, moves linked to their other place."""
    located: list[tuple[Op, int, int]] = []
    old_par = new_par = 1
    for op in diff.ops:
        located.append((op, old_par, new_par))
        newlines = op.text.count("\n")
        if op.kind in ("equal", "delete") or (op.kind == "move" and op.side == "old"):
            old_par += newlines
        if op.kind in ("equal", "insert") or (op.kind == "move" and op.side == "new"):
            new_par += newlines
    # The k-th old-side move of a text pairs with the k-th new-side move of the same text.
    places: dict[tuple[str, str], deque[int]] = defaultdict(deque)
    for op, o, n in located:
        if op.kind == "move":
            places[(op.side or "", op.text)].append(o if op.side == "old" else n)
    pieces = []
    for op, o, n in located:
        partner = None
        if op.kind == "move":
            other = places[("new" if op.side == "old" else "old", op.text)]
            partner = other.popleft() if other else None
        pieces.append(_Piece(op, o, n, partner))
    return pieces


def _hunks(pieces: list[_Piece], gap: int) -> list[list[int]]:
    """Indices of changed pieces, grouped when the unchanged text between is at most gap."""
    hunks: list[list[int]] = []
    last = -1
    for i, piece in enumerate(pieces):
        if not piece.is_change:
            continue
        between = sum(len(p.op.text) for p in pieces[last + 1 : i]) if last >= 0 else None
        if hunks and between is not None and between <= gap:
            hunks[-1].append(i)
        else:
            hunks.append([i])
        last = i
    return hunks


def _clean(text: str) -> str:
    return _CONTROL.sub("\ufffd", text)


def _excerpt(text: str, limit: int) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[:limit] + "…"


def _shorten(text: str, limit: int | None) -> str:
    if limit is None or len(text) <= limit:
        return text
    head = limit * 2 // 3
    return text[:head] + "…" + text[len(text) - (limit - head) :]


def _change_text(piece: _Piece, excerpt: int, limit: int | None = None) -> str:
    op = piece.op
    text = _shorten(_clean(op.text), limit).replace("\n", NEWLINE_MARK)
    if op.kind == "delete":
        return f"[-{text}-]"
    if op.kind == "insert":
        return f"{{+{text}+}}"
    moved = _excerpt(_clean(op.text), excerpt).replace("\n", NEWLINE_MARK)
    if op.side == "old":
        return f"[~moved to ¶{piece.partner_par}: {moved}~]"
    return f"{{~moved from ¶{piece.partner_par}: {moved}~}}"


def _left_context(text: str, context: int) -> str:
    """Up to context characters before a change, within its paragraph."""
    paragraph = text.rsplit("\n", 1)[-1]
    return paragraph if len(paragraph) <= context else "…" + paragraph[-context:]


def _right_context(text: str, context: int) -> str:
    paragraph = text.split("\n", 1)[0]
    return paragraph if len(paragraph) <= context else paragraph[:context] + "…"


def _hunk_body(
    pieces: list[_Piece], hunk: list[int], context: int, limit: int | None, one_line: bool
) -> str:
    first, last = hunk[0], hunk[-1]
    parts = []
    if first > 0 and not pieces[first - 1].is_change:
        parts.append(_left_context(_clean(pieces[first - 1].op.text), context))
    for i in range(first, last + 1):
        piece = pieces[i]
        if piece.op.kind == "move" and piece.op.side == "old" and one_line:
            continue  # alerts show a move once, at its new place
        if piece.is_change:
            parts.append(_change_text(piece, max(context, 20), limit))
            if piece.op.kind == "move" and piece.op.text.endswith("\n"):
                # The marker shows an excerpt only; keep the paragraph break after it.
                parts.append(NEWLINE_MARK if one_line else "\n")
        else:
            text = _clean(piece.op.text)
            parts.append(text.replace("\n", NEWLINE_MARK) if one_line else text)
    if last + 1 < len(pieces):
        parts.append(_right_context(_clean(pieces[last + 1].op.text), context))
    return "".join(parts)


def render_text(diff: Diff, context: int = 40) -> str:
    """Changed passages with about `context` characters around them, one hunk each."""
    pieces = _pieces(diff)
    out = []
    for hunk in _hunks(pieces, 2 * context):
        start = pieces[hunk[0]]
        where = (
            f"¶{start.old_par}"
            if start.old_par == start.new_par
            else f"old ¶{start.old_par} / new ¶{start.new_par}"
        )
        out.append(f"@@ {where} @@\n{_hunk_body(pieces, hunk, context, None, one_line=False)}")
    return "\n\n".join(out) + ("\n" if out else "")


def changed_passages(diff: Diff, context: int = 30, limit: int = 5) -> list[str]:
    """Short one-line snippets of the first `limit` changes, for alerts.

    A long change is shortened in the middle; a move is shown once, at its new place.
    """
    pieces = _pieces(diff)
    passages = []
    for hunk in _hunks(pieces, 2 * context):
        if all(pieces[i].op.kind == "move" and pieces[i].op.side == "old" for i in hunk):
            continue
        passages.append(_hunk_body(pieces, hunk, context, 4 * context, one_line=True))
        if len(passages) >= limit:
            break
    return passages


def _tag(piece: _Piece, text: str) -> str:
    """One op's text (no newline inside) as escaped inline HTML."""
    op = piece.op
    body = html.escape(text)
    if op.kind == "equal":
        return body
    if op.kind == "delete":
        return f"<del>{body}</del>"
    if op.kind == "insert":
        return f"<ins>{body}</ins>"
    if op.side == "old":
        return f'<del class="move" title="moved to ¶{piece.partner_par}">{body}</del>'
    return f'<ins class="move" title="moved from ¶{piece.partner_par}">{body}</ins>'


def _segments(piece: _Piece) -> list[str]:
    """The op's text split at newlines; a changed newline stays visible as ↵."""
    segments = piece.op.text.split("\n")
    if piece.op.kind in ("delete", "insert"):
        segments = [s + NEWLINE_MARK for s in segments[:-1]] + segments[-1:]
    return segments


def render_html(diff: Diff) -> str:
    """The new text inline, deletions in <del>, insertions in <ins>, moves with class "move"."""
    out = ['<div class="govwatch-diff">\n<p>']
    for piece in _pieces(diff):
        for n, segment in enumerate(_segments(piece)):
            if n:
                out.append("</p>\n<p>")
            if segment:
                out.append(_tag(piece, segment))
    out.append("</p>\n</div>")
    return "".join(out)


def render_side_by_side(diff: Diff) -> str:
    """A two-column table, old | new, one row per paragraph.

    Every paragraph end on either side ends the row; the other side's paragraph, if it
    goes on (a paragraph split or merged), continues in the next row without a number.
    """
    rows: list[str] = []
    cells: dict[str, list[str]] = {"old": [], "new": []}
    numbers = {"old": 1, "new": 1}
    continued = {"old": False, "new": False}
    changed = False

    def emit(ended: tuple[str, ...]) -> None:
        nonlocal changed
        tds = []
        for side in ("old", "new"):
            content = "".join(cells[side])
            if not content:
                tds.append(f'<td class="{side} empty"></td>')
                continue
            number = "" if continued[side] else f'<span class="pn">{numbers[side]}</span> '
            tds.append(f'<td class="{side}">{number}{content}</td>')
        css = ' class="changed"' if changed else ""
        rows.append(f"<tr{css}>{''.join(tds)}</tr>")
        for side in ("old", "new"):
            if side in ended:
                numbers[side] += 1
                continued[side] = False
            elif cells[side]:
                continued[side] = True
            cells[side] = []
        changed = False

    for piece in _pieces(diff):
        op = piece.op
        sides = {"equal": ("old", "new"), "delete": ("old",), "insert": ("new",)}.get(
            op.kind, (op.side or "old",)
        )
        for n, segment in enumerate(_segments(piece)):
            if n:
                emit(sides)
            if segment:
                changed = changed or piece.is_change
                for side in sides:
                    cells[side].append(_tag(piece, segment))
    if cells["old"] or cells["new"]:
        emit(())
    head = '<thead><tr><th class="old">old</th><th class="new">new</th></tr></thead>'
    body = "\n".join(rows)
    return f'<table class="govwatch-side-by-side">{head}\n<tbody>\n{body}\n</tbody></table>'
