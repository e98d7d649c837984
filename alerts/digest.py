"""Messages about many events of one crawl run: a digest, or a summary when there are too many.

A digest lists every alerted event, most significant first, each with its first changed
passage, until the message is as long as chat robots accept; a summary (the rate limit)
counts the events by kind and shows the few most significant, so that a site redesign that
touches every page reads as what it is.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from alerts.compose import KIND_LABELS, MAX_BODY_CHARS, Message, cap, diff_link, event_title
from storage.models import ChangeEvent
from tracker.compare import compare
from tracker.render import changed_passages

SUMMARY_SHOWN = 5  # the most significant events a summary names
KIND_ORDER = ("new", "changed", "restored", "removed")


def digest_message(
    source_name: str,
    events: Sequence[ChangeEvent],
    *,
    held: int = 0,
    base_url: str | None = None,
) -> Message:
    """One message for a crawl run's alerted events; ``held`` were decided not to alert."""
    ordered = _most_significant_first(events)
    lines = [f"{source_name}: {_counts(events)} in one crawl run.", ""]
    for number, event in enumerate(ordered, 1):
        entry = _entry(number, event, base_url, passage=True)
        # Leave room for the closing line; later entries are less significant.
        if len("\n".join([*lines, entry])) > MAX_BODY_CHARS - 120:
            lines.append(f"… and {len(ordered) - number + 1} more: {_where(source_name)}")
            break
        lines += [entry, ""]
    if held:
        lines.append(_held_note(held))
    title = f"[govwatch] {source_name}: {_counts(events)}"
    return Message(title, cap("\n".join(lines).rstrip()))


def summary_message(
    source_name: str,
    events: Sequence[ChangeEvent],
    *,
    limit: int,
    held: int = 0,
    base_url: str | None = None,
) -> Message:
    """The rate limit's one message: more than ``limit`` alerts in one run."""
    ordered = _most_significant_first(events)
    pages = len({event.document_id for event in events})
    lines = [
        f"{source_name}: {_counts(events)} on {pages} page{'s' if pages > 1 else ''} in one "
        f"crawl run: more than the {limit} alerts a run may send, so this is one summary.",
        "Many pages changing at once often means a site redesign or a template change.",
        "",
        f"Most significant {min(SUMMARY_SHOWN, len(ordered))}:",
        "",
    ]
    lines += [
        _entry(number, event, base_url, passage=False)
        for number, event in enumerate(ordered[:SUMMARY_SHOWN], 1)
    ]
    lines += ["", f"All of them: {_where(source_name)}"]
    if held:
        lines.append(_held_note(held))
    title = f"[govwatch] {source_name}: {_counts(events)} (summary)"
    return Message(title, cap("\n".join(lines)))


def _entry(number: int, event: ChangeEvent, base_url: str | None, *, passage: bool) -> str:
    lines = [
        f"{number}. {KIND_LABELS[event.kind]} · {event.significance:.2f} · {event_title(event)}",
        f"   {event.document.url}",
    ]
    if event.reasons:
        lines.append(f"   {'; '.join(event.reasons)}")
    if passage and event.kind == "changed" and event.from_version and event.to_version:
        passages = changed_passages(compare(event.from_version, event.to_version).diff, limit=1)
        lines += [f"   {p}" for p in passages]
    link = diff_link(event, base_url)
    if link:
        lines.append(f"   {link}")
    return "\n".join(lines)


def _most_significant_first(events: Sequence[ChangeEvent]) -> list[ChangeEvent]:
    return sorted(events, key=lambda e: (-e.significance, KIND_ORDER.index(e.kind), e.id))


def _counts(events: Sequence[ChangeEvent]) -> str:
    counted = Counter(event.kind for event in events)
    parts = [f"{counted[kind]} {kind}" for kind in KIND_ORDER if counted[kind]]
    return ", ".join(parts)


def _held_note(held: int) -> str:
    # Held back by significance 0, min_significance or additions_only: not all are minor.
    events = "event" if held == 1 else "events"
    return f"({held} other {events} of this run not alerted, by the source's alert settings.)"


def _where(source_name: str) -> str:
    return f"govwatch changes --source {source_name}"
