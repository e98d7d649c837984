"""Changes of a government document's own fields: validity, 文号, 成文日期 and the rest.

A policy declared 废止 is one of the most important changes there is, and on most portals it
shows only in the metadata table (which is not part of the compared text) or in a short
notice added above the text. Each such change is a reason of its own, worded for a person
("状态变更：有效 → 废止"), with a high significance.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from extractor.govdoc import normalize_body, repeal_notice

# Significance of each kind of field change.
VALIDITY_SCORE = 1.0
NUMBER_SCORE = 0.9
WRITTEN_DATE_SCORE = 0.9
ISSUER_SCORE = 0.6
OTHER_FIELD_SCORE = 0.2  # 索引号, 主题分类, 主题词: worth a version, rarely an alert
UNMARKED = "未标注"  # shown for a field the page did not give

# Reason prefixes: a reason starting with one of these is a field change of that kind.
REASON_PREFIXES = {
    "validity": "状态变更",
    "repeal_notice": "废止通知",
    "document_number": "文号变更",
    "written_date": "成文日期变更",
    "issuing_authority": "发文机关变更",
    "index_number": "索引号变更",
    "topic": "主题分类变更",
    "keywords": "主题词变更",
}
HIGH_KINDS = ("validity", "repeal_notice", "document_number", "written_date")


class HasFields(Protocol):
    """A stored version or a fresh extraction: both carry the fields by these names."""

    title: str | None
    text: str
    document_number: str | None
    document_number_normalized: str | None
    issuing_authority: list[str] | None
    written_date: str | None
    index_number: str | None
    topic: str | None
    validity: str | None
    keywords: list[str] | None


@dataclass(frozen=True)
class FieldChange:
    kind: str  # a key of REASON_PREFIXES
    old: str | None
    new: str | None
    score: float

    @property
    def reason(self) -> str:
        if self.kind == "repeal_notice":
            return f"{REASON_PREFIXES[self.kind]}：{self.new}"
        return f"{REASON_PREFIXES[self.kind]}：{self.old or UNMARKED} → {self.new or UNMARKED}"


def _joined(items: list[str] | None) -> str | None:
    return "、".join(items) if items else None


def _normalized(value: Any) -> Any:
    if isinstance(value, list):
        return [normalize_body(str(v)) for v in value] or None
    return normalize_body(value) if isinstance(value, str) and value.strip() else None


def field_changes(old: HasFields, new: HasFields) -> list[FieldChange]:
    """How the fields of two versions differ, most significant first."""
    changes: list[FieldChange] = []
    if _normalized(old.validity) != _normalized(new.validity):
        changes.append(FieldChange("validity", old.validity, new.validity, VALIDITY_SCORE))
    old_notice, new_notice = repeal_notice(old.title, old.text), repeal_notice(new.title, new.text)
    if new_notice and not old_notice:
        changes.append(FieldChange("repeal_notice", None, new_notice, VALIDITY_SCORE))
    old_number = old.document_number_normalized or _normalized(old.document_number)
    new_number = new.document_number_normalized or _normalized(new.document_number)
    if old_number != new_number:
        changes.append(
            FieldChange("document_number", old.document_number, new.document_number, NUMBER_SCORE)
        )
    if old.written_date != new.written_date:
        changes.append(
            FieldChange("written_date", old.written_date, new.written_date, WRITTEN_DATE_SCORE)
        )
    if _normalized(old.issuing_authority) != _normalized(new.issuing_authority):
        changes.append(
            FieldChange(
                "issuing_authority",
                _joined(old.issuing_authority),
                _joined(new.issuing_authority),
                ISSUER_SCORE,
            )
        )
    for kind in ("index_number", "topic"):
        before, after = getattr(old, kind), getattr(new, kind)
        if _normalized(before) != _normalized(after):
            changes.append(FieldChange(kind, before, after, OTHER_FIELD_SCORE))
    if _normalized(old.keywords) != _normalized(new.keywords):
        changes.append(
            FieldChange("keywords", _joined(old.keywords), _joined(new.keywords), OTHER_FIELD_SCORE)
        )
    return sorted(changes, key=lambda c: -c.score)


def score_and_reasons(changes: list[FieldChange]) -> tuple[float, list[str]]:
    return max((c.score for c in changes), default=0.0), [c.reason for c in changes]


def field_comparison(old: Any, new: Any) -> tuple[float, list[str]]:
    """Score and reasons of the field changes between two stored versions; nothing when
    either was stored before the fields were read (unknown is not a change)."""
    if not (getattr(old, "fields_read", False) and getattr(new, "fields_read", False)):
        return 0.0, []
    return score_and_reasons(field_changes(old, new))


def status_change(reasons: list[str]) -> str | None:
    """The validity reason among an event's reasons ("状态变更：有效 → 废止"), if any."""
    for prefix in (REASON_PREFIXES["validity"], REASON_PREFIXES["repeal_notice"]):
        for reason in reasons:
            if reason.startswith(prefix):
                return reason
    return None
