"""Read-side queries shared by the command line (and its ``--json`` output)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from storage.models import ChangeEvent, CrawlError, CrawlRun, Document, Source, Version


class NotFound(LookupError):
    """A URL, version or source that is not in the database."""


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


def list_documents(session: Session, source: str | None = None) -> list[dict[str, Any]]:
    latest = (
        select(Version.document_id, func.max(Version.number).label("number"))
        .group_by(Version.document_id)
        .subquery()
    )
    query = (
        select(Document, Source.name, Version)
        .join(Source, Document.source_id == Source.id)
        .join(latest, latest.c.document_id == Document.id)
        .join(
            Version,
            (Version.document_id == Document.id) & (Version.number == latest.c.number),
        )
        .order_by(Document.id)
    )
    if source:
        query = query.where(Source.name == source)
    return [
        {
            "url": document.url,
            "source": source_name,
            "title": version.title,
            "published_at": version.published_at,
            "status": document.status,
            "versions": document.version_count,
            "first_seen": iso(document.first_seen),
            "last_seen": iso(document.last_seen),
        }
        for document, source_name, version in session.execute(query)
    ]


def list_changes(
    session: Session,
    *,
    since: datetime | None = None,
    source: str | None = None,
    kind: str | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    from_version = aliased(Version)
    to_version = aliased(Version)
    query = (
        select(ChangeEvent, Document.url, Source.name, from_version, to_version)
        .join(Document, ChangeEvent.document_id == Document.id)
        .join(Source, Document.source_id == Source.id)
        .outerjoin(from_version, ChangeEvent.from_version_id == from_version.id)
        .outerjoin(to_version, ChangeEvent.to_version_id == to_version.id)
        .order_by(ChangeEvent.at.desc(), ChangeEvent.id.desc())
    )
    if since is not None:
        query = query.where(ChangeEvent.at >= since)
    if source:
        query = query.where(Source.name == source)
    if kind:
        query = query.where(ChangeEvent.kind == kind)
    if limit:
        query = query.limit(limit)
    rows = []
    for event, url, source_name, old, new in session.execute(query):
        title = (new.title if new else None) or (old.title if old else None)
        rows.append(
            {
                "id": event.id,
                "url": url,
                "source": source_name,
                "title": title,
                "kind": event.kind,
                "at": iso(event.at),
                "significance": round(event.significance, 3),
                "chars_added": event.chars_added,
                "chars_removed": event.chars_removed,
                "from_version": old.number if old else None,
                "to_version": new.number if new else None,
                "reasons": list(event.reasons or []),
            }
        )
    return rows


def find_document(session: Session, url: str) -> Document:
    documents = session.scalars(select(Document).where(Document.url == url)).all()
    if not documents:
        raise NotFound(f"no document with URL {url}")
    # The same URL under two sources is the same page; the oldest record has the history.
    return min(documents, key=lambda d: d.id)


def versions_of(session: Session, document: Document) -> list[Version]:
    return list(
        session.scalars(
            select(Version).where(Version.document_id == document.id).order_by(Version.number)
        )
    )


def history(session: Session, url: str) -> list[dict[str, Any]]:
    document = find_document(session, url)
    return [
        {
            "version": version.number,
            "fetched_at": iso(version.fetched_at),
            "sha256": version.sha256,
            "title": version.title,
            "published_at": version.published_at,
            "text": version.text,
        }
        for version in versions_of(session, document)
    ]


def version_pair(
    session: Session, url: str, old: int | None, new: int | None
) -> tuple[Version, Version]:
    """Two versions to compare: by number, defaulting to the last two."""
    versions = {v.number: v for v in versions_of(session, find_document(session, url))}
    if not versions:
        raise NotFound(f"{url} has no stored versions")
    new = new if new is not None else max(versions)
    old = old if old is not None else max(new - 1, 1)
    for number in (old, new):
        if number not in versions:
            raise NotFound(f"{url} has no version {number} (it has 1 to {max(versions)})")
    return versions[old], versions[new]


def list_runs(session: Session, source: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
    query = (
        select(CrawlRun, Source.name)
        .join(Source, CrawlRun.source_id == Source.id)
        .order_by(CrawlRun.id.desc())
        .limit(limit)
    )
    if source:
        query = query.where(Source.name == source)
    return [
        {
            "id": run.id,
            "source": name,
            "started_at": iso(run.started_at),
            "finished_at": iso(run.finished_at),
            "status": run.status,
            "finish_reason": run.finish_reason,
            "baseline": run.baseline,
            "pages": run.pages,
            "new": run.new,
            "changed": run.changed,
            "removed": run.removed,
            "restored": run.restored,
            "unchanged": run.unchanged,
            "errors": run.errors,
        }
        for run, name in session.execute(query)
    ]


def run_errors(session: Session, run_id: int) -> list[dict[str, Any]]:
    errors = session.scalars(
        select(CrawlError).where(CrawlError.crawl_run_id == run_id).order_by(CrawlError.id)
    )
    return [
        {
            "url": e.url,
            "kind": e.kind,
            "http_status": e.http_status,
            "message": e.message,
            "at": iso(e.at),
        }
        for e in errors
    ]
