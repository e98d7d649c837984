"""Running totals of the service, for monitoring (Prometheus ``/metrics``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import ChangeEvent, CrawlError, CrawlRun, Document, Source


@dataclass
class Totals:
    runs: dict[tuple[str, str], int] = field(default_factory=dict)  # (source, status) -> runs
    pages: dict[str, int] = field(default_factory=dict)  # source -> pages fetched
    errors: dict[str, int] = field(default_factory=dict)  # source -> errors recorded
    events: dict[tuple[str, str], int] = field(default_factory=dict)  # (source, kind) -> n
    documents: dict[str, int] = field(default_factory=dict)  # source -> documents watched


def service_totals(session: Session) -> Totals:
    """Counts since the database was made: a few grouped queries, cheap at scrape time."""
    totals = Totals()
    runs = session.execute(
        select(
            Source.name, CrawlRun.status, func.count(), func.coalesce(func.sum(CrawlRun.pages), 0)
        )
        .join(Source, Source.id == CrawlRun.source_id)
        .group_by(Source.name, CrawlRun.status)
    )
    for name, status, count, pages in runs:
        totals.runs[(name, status)] = count
        totals.pages[name] = totals.pages.get(name, 0) + int(pages)
    errors = session.execute(
        select(Source.name, func.count())
        .select_from(CrawlError)
        .join(CrawlRun, CrawlRun.id == CrawlError.crawl_run_id)
        .join(Source, Source.id == CrawlRun.source_id)
        .group_by(Source.name)
    )
    totals.errors = {name: count for name, count in errors}
    events = session.execute(
        select(Source.name, ChangeEvent.kind, func.count())
        .select_from(ChangeEvent)
        .join(Document, Document.id == ChangeEvent.document_id)
        .join(Source, Source.id == Document.source_id)
        .group_by(Source.name, ChangeEvent.kind)
    )
    totals.events = {(name, kind): count for name, kind, count in events}
    documents = session.execute(
        select(Source.name, func.count())
        .select_from(Document)
        .join(Source, Source.id == Document.source_id)
        .group_by(Source.name)
    )
    totals.documents = {name: count for name, count in documents}
    return totals
