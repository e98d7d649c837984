"""Turning stored change events into messages a person can act on from a phone."""

from __future__ import annotations

from dataclasses import dataclass

from extractor.pagetime import page_time
from storage.models import ChangeEvent, CrawlRun
from tracker.compare import compare
from tracker.fields import status_change
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


def event_message(event: ChangeEvent, *, base_url: str | None = None) -> Message:
    """One event as a message: title, URL, kind, significance, reasons, changed passages,
    and a link to the full diff when the web app's ``base_url`` is configured."""
    title = event_title(event)
    lines = [
        title,
        event.document.url,
        f"{event.document.source.name} · {event.kind} · significance {event.significance:.2f}",
    ]
    status = status_change(list(event.reasons or []))
    if status:
        lines.insert(1, status)  # a policy declared 废止 says so first, in words
    version = event.to_version or event.from_version
    number = version.document_number if version is not None else None
    if number:
        lines.insert(1, number)
    link = diff_link(event, base_url)
    if event.kind in ("changed", "restored") and event.from_version and event.to_version:
        lines.append(f"+{event.chars_added} / -{event.chars_removed} characters")
        if event.reasons:
            lines.append("; ".join(event.reasons))
        if link:
            lines.append(f"Full diff: {link}")
        passages = changed_passages(compare(event.from_version, event.to_version).diff)
        if passages:
            lines += ["", "Changed passages:", *passages]
    elif event.kind == "new" and event.to_version is not None:
        if event.to_version.published_at:
            lines.append(f"published {page_time(event.to_version.published_at)}")
        lines += ["", _excerpt(event.to_version.text)]
    elif event.kind == "removed" and event.reasons:
        lines.append("; ".join(event.reasons))
    label = status or KIND_LABELS[event.kind]
    return Message(f"[govwatch] {label}: {title}", cap("\n".join(lines)))


def event_title(event: ChangeEvent) -> str:
    version = event.to_version or event.from_version
    return (version.title if version else None) or event.document.url


def diff_link(event: ChangeEvent, base_url: str | None) -> str | None:
    """The web app's page for this event's diff (``[web] base_url``), if there is one."""
    old, new = event.from_version, event.to_version
    if not base_url or old is None or new is None or old.number == new.number:
        return None
    return f"{base_url}/documents/{event.document_id}/diff?from={old.number}&to={new.number}"


def baseline_message(run: CrawlRun, watched: int) -> Message:
    """``watched``: the source's documents, including those an interrupted first try stored."""
    return Message(
        f"[govwatch] {run.source.name}: now watching {watched} documents",
        f"The first complete crawl of {run.source.name} leaves {watched} documents watched "
        f"({run.errors} errors in its last run). From now on you hear about new, changed "
        "and removed ones.",
    )


def _excerpt(text: str, limit: int = 200) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit] + "…"


def cap(body: str) -> str:
    return body if len(body) <= MAX_BODY_CHARS else body[: MAX_BODY_CHARS - 1] + "…"
