"""Who hears about what: which change events are alerted, and in how many messages.

Per source (``SourceConfig``):

- an event with significance 0 (whitespace, script, page furniture only) is never alerted;
- one below ``min_significance`` is stored and listed, not alerted;
- with ``additions_only``, only ``new`` documents and changes that remove nothing (no
  text, no attachment) but add something are alerted; a ``restored`` document counts as an
  addition when nothing of it was removed;
- the alerted events of one crawl run go out one message each, or as one digest when
  ``digest`` is set, or as one summary when there are more than ``max_alerts_per_run``
  (a site redesign that touches every page is one alert, not five hundred).

Events that are held back are still marked handled by the outbox, in the same transaction,
so they are decided once and never alerted later by surprise.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from config import SourceConfig
from storage.models import ChangeEvent
from tracker.significance import attachment_changes

Delivery = Literal["each", "digest", "summary"]

# A source no longer in the configuration still has its events decided, by the defaults.
_DEFAULTS = SourceConfig(name="default", start_urls=["http://127.0.0.1/"])


def settings_for(sources: dict[str, SourceConfig], name: str) -> SourceConfig:
    return sources.get(name) or _DEFAULTS


def held_back(event: ChangeEvent, source: SourceConfig | None) -> str | None:
    """Why this event is not alerted, or None when it is."""
    source = source or _DEFAULTS
    if event.significance <= 0:
        return "significance 0"
    if event.significance < source.min_significance:
        return f"below min_significance {source.min_significance:.2f}"
    if source.additions_only and not _is_addition(event):
        return "not an addition"
    return None


def _is_addition(event: ChangeEvent) -> bool:
    if event.kind == "new":
        return True
    if event.kind not in ("changed", "restored") or event.chars_removed:
        return False
    old, new = event.from_version, event.to_version
    files = attachment_changes(
        list(old.attachments or []) if old else [], list(new.attachments or []) if new else []
    )
    if files.removed or files.replaced:
        return False
    return event.kind == "restored" or event.chars_added > 0 or bool(files.added)


@dataclass
class RunAlerts:
    """The events of one source's crawl run, decided."""

    source_name: str
    source_id: int
    run_id: int | None
    alerted: list[ChangeEvent] = field(default_factory=list)
    held: list[tuple[ChangeEvent, str]] = field(default_factory=list)
    delivery: Delivery = "each"


def plan(events: Iterable[ChangeEvent], sources: dict[str, SourceConfig]) -> list[RunAlerts]:
    """Group events by source and crawl run, decide each, and pick how the run is sent."""
    runs: dict[tuple[int, int | None], RunAlerts] = {}
    for event in events:
        source = event.document.source
        key = (source.id, event.crawl_run_id)
        run = runs.setdefault(key, RunAlerts(source.name, source.id, event.crawl_run_id))
        why = held_back(event, sources.get(source.name))
        if why is None:
            run.alerted.append(event)
        else:
            run.held.append((event, why))
    for run in runs.values():
        config = settings_for(sources, run.source_name)
        if len(run.alerted) > config.max_alerts_per_run:
            run.delivery = "summary"
        elif config.digest and len(run.alerted) > 1:
            run.delivery = "digest"  # a digest of one event is that event's own message
    return list(runs.values())
