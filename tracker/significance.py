"""A first significance score, 0 to 1, for a change between two versions, with reasons.

- 0 when only whitespace, character width (`,` vs `，`, full-width forms) or script
  (traditional vs simplified) changed: the texts are equal after NFKC, OpenCC t2s and
  removing all whitespace.
- At least 0.5 for a changed title, changed figures (numbers, percentages, dates, and
  Chinese numerals such as 第一 or 百分之五 inside a changed passage) and paragraphs added or
  removed entirely.
- Otherwise it grows with the share of the text changed and with the longest single
  change, as EDGI's web-monitoring scores do; any real change scores at least 0.05.

When a change mixes cosmetic and real edits (a report re-published in traditional script
with one figure changed), the score is computed on a diff of the normalized texts, so the
cosmetic part neither raises it nor hides the figure.
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

from tracker.diff import Diff, Op, diff_texts

if TYPE_CHECKING:
    from opencc import OpenCC

TITLE_SCORE = 0.8
FIGURE_SCORE = 0.6  # plus 0.05 per further changed figure, up to FIGURE_MAX
FIGURE_MAX = 0.9
PARAGRAPH_SCORE = 0.55  # plus 0.05 per further added or removed paragraph, up to 0.9
MOVE_SCORE = 0.3
MIN_REAL_CHANGE = 0.05
SHARE_SCALE = 0.05  # 5 % of the text changed gives ~63 % of the share component
LONGEST_SCALE = 300  # a 300-character single change gives the whole longest component
CONTEXT = 8  # characters on each side of a change searched for a figure it cuts into

_CN_DIGITS = "〇零一二三四五六七八九十百千万亿两"
_FIGURE = re.compile(
    r"\d+(?:[.,．]\d+)*(?:\s*[%％‰])?"
    rf"|(?:百分之|第)[{_CN_DIGITS}点]+"
    rf"|[〇零一二三四五六七八九十两][{_CN_DIGITS}]*(?=[年月日号个项家人元倍成%％])"
)


@lru_cache(maxsize=1)
def _t2s() -> OpenCC:
    # Imported lazily: loading the dictionaries costs time that most callers never need.
    from opencc import OpenCC

    return OpenCC("t2s")


def normalize(text: str) -> str:
    """The text as compared for significance: NFKC, simplified script, no whitespace inside
    paragraphs, no empty paragraphs."""
    text = _t2s().convert(unicodedata.normalize("NFKC", text))
    paragraphs = ("".join(p.split()) for p in text.split("\n"))
    return "\n".join(p for p in paragraphs if p)


def significance(
    old_text: str,
    new_text: str,
    diff: Diff,
    *,
    old_title: str | None = None,
    new_title: str | None = None,
) -> tuple[float, list[str]]:
    """Score a change from 0 (cosmetic) to 1 and say why, in short reasons."""
    scores: list[float] = []
    reasons: list[str] = []
    if (
        old_title is not None
        and new_title is not None
        and "".join(normalize(old_title).split()) != "".join(normalize(new_title).split())
    ):
        scores.append(TITLE_SCORE)
        reasons.append(f"title changed: {_short(old_title)} → {_short(new_title)}")
    if old_text != new_text:
        old_norm, new_norm = normalize(old_text), normalize(new_text)
        if old_norm.replace("\n", "") == new_norm.replace("\n", ""):
            reasons.append("only whitespace, character width or script changed")
        else:
            if old_norm != old_text or new_norm != new_text:
                # Score the real edits only. (The given diff is reused when the texts need no
                # normalization; otherwise this second diff costs about as much as the first.)
                diff = diff_texts(old_norm, new_norm)
            text_score, text_reasons = _text_score(diff, len(old_norm) + len(new_norm))
            scores.append(text_score)
            reasons += text_reasons
    return round(min(1.0, max(scores, default=0.0)), 3), reasons


def _text_score(diff: Diff, total_chars: int) -> tuple[float, list[str]]:
    scores: list[float] = []
    reasons: list[str] = []
    figures = _changed_figures(diff)
    if figures:
        scores.append(min(FIGURE_MAX, FIGURE_SCORE + 0.05 * (len(figures) - 1)))
        shown = "; ".join(f"{_listed(o)} → {_listed(n)}" for o, n in figures[:3])
        more = f" (+{len(figures) - 3} more)" if len(figures) > 3 else ""
        reasons.append(f"figures changed: {shown}{more}")
    added, removed = _whole_paragraphs(diff)
    if added or removed:
        scores.append(min(0.9, PARAGRAPH_SCORE + 0.05 * (added + removed - 1)))
        parts = [f"{n} paragraph{'s' if n > 1 else ''} {what}"
                 for n, what in ((added, "added"), (removed, "removed")) if n]
        reasons.append(", ".join(parts))
    moved = sum(1 for op in diff.ops if op.kind == "move" and op.side == "new")
    if moved:
        scores.append(MOVE_SCORE)
        reasons.append(f"{moved} paragraph{'s' if moved > 1 else ''} moved")
    changed = diff.chars_added + diff.chars_removed
    if changed:
        share = changed / max(1, total_chars)
        longest = max((max(len(d), len(i)) for d, i, _, _ in _changes(diff)), default=0)
        scores.append(
            MIN_REAL_CHANGE
            + 0.55 * (1 - math.exp(-share / SHARE_SCALE))
            + 0.4 * min(1.0, longest / LONGEST_SCALE)
        )
        # The counts of the event itself are stored and shown apart; these are of the
        # normalized texts, so only the share is given.
        shown = f"{share:.1%}" if share >= 0.001 else "<0.1%"
        unit = "character" if longest == 1 else "characters"
        reasons.append(f"{shown} of the text changed, longest change {longest} {unit}")
    return min(1.0, max(scores, default=0.0)), reasons


def _changes(diff: Diff) -> list[tuple[str, str, str, str]]:
    """Each run of deletions and insertions: (deleted, inserted, text before, text after)."""
    runs: list[tuple[str, str, str, str]] = []
    ops: list[Op] = [op for op in diff.ops if op.kind != "move"]
    i = 0
    while i < len(ops):
        if ops[i].kind == "equal":
            i += 1
            continue
        before = ops[i - 1].text if i > 0 else ""
        deleted = inserted = ""
        while i < len(ops) and ops[i].kind != "equal":
            if ops[i].kind == "delete":
                deleted += ops[i].text
            else:
                inserted += ops[i].text
            i += 1
        after = ops[i].text if i < len(ops) else ""
        runs.append((deleted, inserted, before, after))
    return runs


def _changed_figures(diff: Diff) -> list[tuple[list[str], list[str]]]:
    """Figures that a change touches, old and new, where they differ."""
    found = []
    for deleted, inserted, before, after in _changes(diff):
        if not (deleted and inserted) and "\n" in deleted + inserted:
            continue  # whole paragraphs added or removed: reported as such
        left, right = before[-CONTEXT:], after[:CONTEXT]
        old = _figures_touching(left + deleted + right, len(left), len(left) + len(deleted))
        new = _figures_touching(left + inserted + right, len(left), len(left) + len(inserted))
        if old != new:
            found.append((old, new))
    return found


def _figures_touching(passage: str, start: int, end: int) -> list[str]:
    figures = []
    for match in _FIGURE.finditer(passage):
        inside = match.start() < end and match.end() > start
        straddles = start == end and match.start() < start < match.end()
        if inside or straddles:
            figures.append(match.group().strip())
    return figures


def _whole_paragraphs(diff: Diff) -> tuple[int, int]:
    """Paragraphs (with some non-blank text) entirely added or entirely removed.

    A paragraph counts only if a paragraph break next to it was added or removed too: one
    rewritten in place, every character changed, is a (long) change, not an addition plus a
    removal.
    """
    counts = {}
    for side, own in (("new", "insert"), ("old", "delete")):
        count = 0
        text, all_changed, break_changed = "", True, False
        for op in diff.ops:
            if op.kind not in ("equal", own):
                continue
            for n, piece in enumerate(op.text.split("\n")):
                if n:  # a paragraph ends here
                    break_changed = break_changed or op.kind == own
                    count += all_changed and break_changed and bool(text.strip())
                    text, all_changed, break_changed = "", True, op.kind == own
                text += piece
                all_changed = all_changed and (op.kind == own or not piece)
        whole_text = not any(op.kind == "equal" for op in diff.ops)  # e.g. a first version
        count += all_changed and (break_changed or whole_text) and bool(text.strip())
        counts[side] = count
    return counts["new"], counts["old"]


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def _listed(figures: list[str], limit: int = 3) -> str:
    shown = " ".join(figures[:limit])
    return (shown + " …" if len(figures) > limit else shown) or "–"
