"""What the charts show: change events per day per source, crawl runs, a document's story."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import ChangeEvent, CrawlRun, Document, Source, utcnow

CHART_KINDS = ("new", "changed", "removed")


def events_per_day(
    session: Session, days: int = 90, now: datetime | None = None
) -> tuple[list[date], dict[str, dict[date, dict[str, int]]]]:
    """The last ``days`` UTC days, and per source per day the count of each kind."""
    today = (now or utcnow()).date()
    first = today - timedelta(days=days - 1)
    start = datetime(first.year, first.month, first.day, tzinfo=(now or utcnow()).tzinfo)
    rows = session.execute(
        select(Source.name, ChangeEvent.at, ChangeEvent.kind)
        .join(Document, ChangeEvent.document_id == Document.id)
        .join(Source, Document.source_id == Source.id)
        .where(ChangeEvent.at >= start, ChangeEvent.kind.in_(CHART_KINDS))
    )
    counts: dict[str, dict[date, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: dict.fromkeys(CHART_KINDS, 0))
    )
    for source, at, kind in rows:
        counts[source][at.date()][kind] += 1
    return [first + timedelta(days=i) for i in range(days)], counts


def recent_runs(session: Session, per_source: int = 60) -> dict[str, list[dict[str, Any]]]:
    """The newest finished runs of each source, oldest first: duration and errors."""
    runs: dict[str, list[dict[str, Any]]] = defaultdict(list)
    rows = session.execute(
        select(Source.name, CrawlRun)
        .join(Source, CrawlRun.source_id == Source.id)
        .where(CrawlRun.finished_at.is_not(None))
        .order_by(CrawlRun.id.desc())
    )
    for name, run in rows:
        if len(runs[name]) < per_source:
            runs[name].append(
                {
                    "id": run.id,
                    "started_at": run.started_at,
                    "seconds": (run.finished_at - run.started_at).total_seconds(),
                    "errors": run.errors,
                    "status": run.status,
                }
            )
    return {name: list(reversed(items)) for name, items in runs.items()}
