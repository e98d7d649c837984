"""A first significance score, 0 to 1, for a change between two versions, with reasons.

- 0 when only whitespace, character width (`,` vs `，`, full-width forms) or script
  (traditional vs simplified) changed: the texts are equal after NFKC, OpenCC t2s and
  removing all whitespace.
- At least 0.5 for a changed title, changed figures (numbers, percentages, dates, and
  Chinese numerals such as 第一 or 百分之五 inside a changed passage) and paragraphs added or
  removed entirely.
- Otherwise it grows with the share of the text changed and with the longest single
  change, as EDGI's web-monitoring scores do; any real change scores at least 0.05.
- 0 when only page furniture changed (a view counter, a "last updated" stamp, today's date,
  a footer year, print/share controls: ``tracker.boilerplate``), with a reason naming it.
- At least 0.7 for an attachment added, removed or replaced (another file under the same
  link text); 0.3 for an attachment whose link text alone changed.

When a change mixes cosmetic and real edits (a report re-published in traditional script
with one figure changed), the score is computed on a diff of the normalized texts, so the
cosmetic part neither raises it nor hides the figure.

A score of 0 still comes with its event (the text did change, so a version is stored), but
such an event is never alerted (``alerts.policy``).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from tracker.boilerplate import strip_boilerplate
from tracker.diff import Diff, Op, diff_texts
from tracker.figures import measure_before, unit_after

if TYPE_CHECKING:
    from opencc import OpenCC

TITLE_SCORE = 0.8
FIGURE_SCORE = 0.6  # plus 0.05 per further changed figure, up to FIGURE_MAX
FIGURE_MAX = 0.9
PARAGRAPH_SCORE = 0.55  # plus 0.05 per further added or removed paragraph, up to 0.9
MOVE_SCORE = 0.3
ATTACHMENT_SCORE = 0.7  # plus 0.05 per further attachment added, removed or replaced
ATTACHMENT_RENAMED_SCORE = 0.3
MIN_REAL_CHANGE = 0.05
SHARE_SCALE = 0.05  # 5 % of the text changed gives ~63 % of the share component
LONGEST_SCALE = 300  # a 300-character single change gives the whole longest component
CONTEXT = 8  # characters on each side of a change searched for a figure it cuts into
CLAUSE_CONTEXT = 40  # characters before a change searched for what a figure measures

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
    old_attachments: Sequence[dict[str, Any]] | None = None,
    new_attachments: Sequence[dict[str, Any]] | None = None,
) -> tuple[float, list[str]]:
    """Score a change from 0 (cosmetic) to 1 and say why, in short reasons.

    Attachments are the versions' ``[{"url", "text"}]`` lists; None means unknown (not
    compared).
    """
    scores: list[float] = []
    reasons: list[str] = []
    if (
        old_title is not None
        and new_title is not None
        and "".join(normalize(old_title).split()) != "".join(normalize(new_title).split())
    ):
        scores.append(TITLE_SCORE)
        reasons.append(f"title changed: {_short(old_title)} → {_short(new_title)}")
    if old_attachments is not None and new_attachments is not None:
        attachment_score, attachment_reasons = _attachment_score(
            attachment_changes(old_attachments, new_attachments)
        )
        scores.append(attachment_score)
        reasons += attachment_reasons
    if old_text != new_text:
        old_norm, new_norm = normalize(old_text), normalize(new_text)
        old_core, old_furniture = strip_boilerplate(old_norm)
        new_core, new_furniture = strip_boilerplate(new_norm)
        if old_norm.replace("\n", "") == new_norm.replace("\n", ""):
            reasons.append("only whitespace, character width or script changed")
        elif old_core.replace("\n", "") == new_core.replace("\n", ""):
            labels = ", ".join(dict.fromkeys(old_furniture + new_furniture))
            reasons.append(f"only page furniture changed ({labels})")
        else:
            if old_core != old_text or new_core != new_text:
                # Score the real edits only. (The given diff is reused when the texts need no
                # normalization; otherwise this second diff costs about as much as the first.)
                diff = diff_texts(old_core, new_core)
            text_score, text_reasons = _text_score(diff, len(old_core) + len(new_core))
            scores.append(text_score)
            reasons += text_reasons
    return round(min(1.0, max(scores, default=0.0)), 3), reasons


@dataclass(frozen=True)
class AttachmentChanges:
    """How two versions' attachment lists differ; each attachment is a {url, text} dict."""

    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    # (old, new): another file under the same link text.
    replaced: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    # (old, new): the same file under another link text.
    renamed: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)


def attachment_changes(
    old: Sequence[dict[str, Any]], new: Sequence[dict[str, Any]]
) -> AttachmentChanges:
    """Compare attachment lists by file (URL without scheme or fragment), then by link text.

    The scheme is ignored because sites move from http to https without changing a file.
    """
    old_by_file = {_file_key(a): a for a in old}
    new_by_file = {_file_key(a): a for a in new}
    renamed = [
        (a, new_by_file[key])
        for key, a in old_by_file.items()
        if key in new_by_file and _label(a) != _label(new_by_file[key])
    ]
    gone = [a for key, a in old_by_file.items() if key not in new_by_file]
    came = [a for key, a in new_by_file.items() if key not in old_by_file]
    replaced = []
    for a in list(gone):
        partner = next((b for b in came if _label(b) == _label(a) and _label(a)), None)
        if partner is not None:
            replaced.append((a, partner))
            gone.remove(a)
            came.remove(partner)
    return AttachmentChanges(came, gone, replaced, renamed)


def _file_key(attachment: dict[str, Any]) -> str:
    parts = urlsplit(str(attachment.get("url") or ""))
    return f"{parts.netloc.lower()}{parts.path}?{parts.query}"


def _label(attachment: dict[str, Any]) -> str:
    return normalize(str(attachment.get("text") or "")).replace("\n", "").lower()


def _attachment_score(changes: AttachmentChanges) -> tuple[float, list[str]]:
    reasons = []
    big = len(changes.added) + len(changes.removed) + len(changes.replaced)
    for what, items in (("added", changes.added), ("removed", changes.removed)):
        if items:
            names = ", ".join(_short(_name(a), 30) for a in items[:3])
            more = f" (+{len(items) - 3} more)" if len(items) > 3 else ""
            reasons.append(f"attachment {what}: {names}{more}")
    for old, new in changes.replaced[:3]:
        reasons.append(f"attachment replaced: {_short(_name(old), 30)} → {_file_name(new)}")
    for old, new in changes.renamed[:3]:
        reasons.append(f"attachment renamed: {_short(_name(old), 30)} → {_short(_name(new), 30)}")
    if big:
        return min(0.9, ATTACHMENT_SCORE + 0.05 * (big - 1)), reasons
    return (ATTACHMENT_RENAMED_SCORE if changes.renamed else 0.0), reasons


def _name(attachment: dict[str, Any]) -> str:
    return str(attachment.get("text") or "").strip() or _file_name(attachment)


def _file_name(attachment: dict[str, Any]) -> str:
    path = urlsplit(str(attachment.get("url") or "")).path
    return path.rsplit("/", 1)[-1] or str(attachment.get("url") or "")


def _text_score(diff: Diff, total_chars: int) -> tuple[float, list[str]]:
    scores: list[float] = []
    reasons: list[str] = []
    figures = _changed_figures(diff)
    if figures:
        scores.append(min(FIGURE_MAX, FIGURE_SCORE + 0.05 * (len(figures) - 1)))
        shown = "; ".join(
            f"{measure} {_listed(o)} → {_listed(n)}".lstrip() for measure, o, n in figures[:3]
        )
        more = f" (+{len(figures) - 3} more)" if len(figures) > 3 else ""
        reasons.append(f"figures changed: {shown}{more}")
    added, removed = _whole_paragraphs(diff)
    if added or removed:
        scores.append(min(0.9, PARAGRAPH_SCORE + 0.05 * (added + removed - 1)))
        parts = [
            f"{n} paragraph{'s' if n > 1 else ''} {what}"
            for n, what in ((added, "added"), (removed, "removed"))
            if n
        ]
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


def _changed_figures(diff: Diff) -> list[tuple[str, list[str], list[str]]]:
    """Figures that a change touches, old and new (each with its unit) where they differ,
    and what they measure as the clause before them says."""
    found = []
    for deleted, inserted, before, after in _changes(diff):
        if not (deleted and inserted) and "\n" in deleted + inserted:
            continue  # whole paragraphs added or removed: reported as such
        # The left context reaches back to the clause that names the measure; figures are
        # still only those within CONTEXT characters of the change.
        left, right = before[-CLAUSE_CONTEXT:], after[:CONTEXT]
        old, old_measure = _figures_touching(left + deleted + right, len(left), len(deleted))
        new, new_measure = _figures_touching(left + inserted + right, len(left), len(inserted))
        if [f for f, _ in old] != [f for f, _ in new]:
            shown_old, shown_new = [f + u for f, u in old], [f + u for f, u in new]
            found.append((new_measure or old_measure, shown_old, shown_new))
    return found


def _figures_touching(passage: str, start: int, length: int) -> tuple[list[tuple[str, str]], str]:
    """(figure, unit) pairs a change at passage[start:start + length] touches, and what the
    first of them measures."""
    end = start + length
    figures: list[tuple[str, str]] = []
    measure = ""
    for match in _FIGURE.finditer(passage):
        inside = match.start() < end and match.end() > start
        straddles = start == end and match.start() < start < match.end()
        if inside or straddles:
            if not figures:
                measure = measure_before(passage, match.start())
            figures.append((match.group().strip(), unit_after(passage, match.end())))
    return figures, measure


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
