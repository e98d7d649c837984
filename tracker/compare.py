"""Comparing two versions: the exact diff and its significance, with reasons.

Every comparison of stored versions goes through ``compare``: the tracker when it records a
change, the API, the diff page, ``govwatch diff`` and the alert messages, so that they all
show the same diff and the same reasons.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from tracker.diff import Diff, diff_texts
from tracker.fields import field_comparison
from tracker.significance import significance


class Comparable(Protocol):
    """What a comparison reads of a version (a stored ``Version`` has it)."""

    text: str
    title: str | None
    attachments: Sequence[Any] | None


@dataclass(frozen=True)
class Comparison:
    diff: Diff
    significance: float  # 0 (cosmetic) to 1
    reasons: list[str]

    @property
    def changed(self) -> bool:
        return self.diff.changed


def compare(old: Comparable | None, new: Comparable) -> Comparison:
    """The diff from ``old`` to ``new`` (None: nothing before) and how much it matters."""
    old_text = old.text if old is not None else ""
    diff = diff_texts(old_text, new.text)
    score, reasons = significance(
        old_text,
        new.text,
        diff,
        old_title=old.title if old is not None else None,
        new_title=new.title,
        old_attachments=_attachments(old) if old is not None else None,
        new_attachments=_attachments(new),
    )
    field_score, field_reasons = field_comparison(old, new)  # 状态变更：有效 → 废止 ...
    return Comparison(diff, max(score, field_score), [*field_reasons, *reasons])


def _attachments(version: Comparable) -> list[dict[str, Any]]:
    return [a for a in version.attachments or [] if isinstance(a, dict)]
