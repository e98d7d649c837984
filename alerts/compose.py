"""Turning stored change events into messages a person can act on from a phone."""

from __future__ import annotations

from dataclasses import dataclass

from storage.models import ChangeEvent, CrawlRun
from tracker.diff import diff_texts
from tracker.render import changed_passages

KIND_LABELS = {
    "new": "新发布 new",
    "changed": "内容变更 changed",
    "removed": "已删除 removed",
    "restored": "已恢复 restored",
}
MAX_BODY_CHARS = 3000  # chat robots cut long messages; the web app has the full diff


@dataclass(frozen=True)
class Message:
    title: str
    body: str


def event_message(event: ChangeEvent) -> Message:
    version = event.to_version or event.from_version
    title = (version.title if version else None) or event.document.url
    lines = [
        title,
        event.document.url,
        f"{event.document.source.name} · {event.kind} · significance {event.significance:.2f}",
    ]
    if event.kind in ("changed", "restored") and event.from_version and event.to_version:
        lines.append(f"+{event.chars_added} / -{event.chars_removed} characters")
        if event.reasons:
            lines.append("; ".join(event.reasons))
        diff = diff_texts(event.from_version.text, event.to_version.text)
        passages = changed_passages(diff)
        if passages:
            lines += ["", "Changed passages:", *passages]
    elif event.kind == "new" and version is not None:
        if version.published_at:
            lines.append(f"published {version.published_at}")
        lines += ["", _excerpt(version.text)]
    elif event.kind == "removed" and event.reasons:
        lines.append("; ".join(event.reasons))
    return Message(f"[govwatch] {KIND_LABELS[event.kind]}: {title}", _cap("\n".join(lines)))


def baseline_message(run: CrawlRun) -> Message:
    return Message(
        f"[govwatch] {run.source.name}: now watching {run.new} documents",
        f"The first crawl of {run.source.name} recorded {run.new} documents "
        f"({run.errors} errors). From now on you hear about new, changed and removed ones.",
    )


def _excerpt(text: str, limit: int = 200) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit] + "…"


def _cap(body: str) -> str:
    return body if len(body) <= MAX_BODY_CHARS else body[: MAX_BODY_CHARS - 1] + "…"
