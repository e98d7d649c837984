"""Read-side queries shared by the command line (and its ``--json`` output)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from storage import govdocs
from storage.models import ChangeEvent, CrawlError, CrawlRun, Document, Source, Version, utcnow
from storage.revisits import overdue_counts, revisit_summary


class NotFound(LookupError):
    """A URL, version or source that is not in the database."""


# The largest value an ``Integer`` column (ids, version numbers) holds: PostgreSQL's
# ``integer`` is 32-bit, SQLite stores any integer in at most 8 bytes. A number beyond it
# names nothing, and the drivers refuse to send it (an error, not an empty result).
INTEGER_MAX = {"postgresql": 2**31 - 1}
WIDEST_INTEGER = 2**63 - 1


def integers_fit(session: Session, *values: int | None) -> bool:
    """Whether every value fits the backend's integer columns (None: no value given)."""
    top = INTEGER_MAX.get(session.get_bind().dialect.name, WIDEST_INTEGER)
    return all(value is None or -top - 1 <= value <= top for value in values)


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


def list_documents(
    session: Session,
    source: str | None = None,
    *,
    limit: int | None = None,
    offset: int = 0,
    fields: govdocs.FieldFilter | None = None,
) -> list[dict[str, Any]]:
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
    query = govdocs.apply(query, fields)
    if limit:
        query = query.limit(limit)
    if offset:
        query = query.offset(offset)
    now = utcnow()
    return [
        {
            "id": document.id,
            "url": document.url,
            "source": source_name,
            "title": version.title,
            "published_at": version.published_at,
            "publisher": version.publisher,
            **govdocs.field_values(version),
            "status": document.status,
            "versions": document.version_count,
            "first_seen": iso(document.first_seen),
            "last_seen": iso(document.last_seen),
            **revisit_summary(document, now),
        }
        for document, source_name, version in session.execute(query)
    ]


def list_changes(
    session: Session,
    *,
    since: datetime | None = None,
    source: str | None = None,
    kind: str | None = None,
    min_significance: float | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[dict[str, Any]]:
    from_version = aliased(Version)
    to_version = aliased(Version)
    query = (
        # Only the versions' numbers and titles: their texts are large.
        select(
            ChangeEvent,
            Document.url,
            Source.name,
            from_version.number,
            from_version.title,
            to_version.number,
            to_version.title,
        )
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
    if min_significance:
        query = query.where(ChangeEvent.significance >= min_significance)
    if limit:
        query = query.limit(limit)
    if offset:
        query = query.offset(offset)
    rows = []
    for event, url, source_name, old, old_title, new, new_title in session.execute(query):
        title = new_title or old_title
        rows.append(
            {
                "id": event.id,
                "document_id": event.document_id,
                "url": url,
                "source": source_name,
                "title": title,
                "kind": event.kind,
                "at": iso(event.at),
                "significance": round(event.significance, 3),
                "chars_added": event.chars_added,
                "chars_removed": event.chars_removed,
                "from_version": old,
                "to_version": new,
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
    session: Session, document_id: int, old: int | None = None, new: int | None = None
) -> tuple[Version, Version]:
    """Two versions of a document to compare, by number.

    The default rule: ``new`` is the newest version, ``old`` the one before ``new`` (``new``
    itself when it is the first).
    """
    newer = document_version(session, document_id, new)
    older_number = old if old is not None else max(newer.number - 1, 1)
    return document_version(session, document_id, older_number), newer


def list_runs(session: Session, source: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
    query = (
        select(CrawlRun, Source.name)
        .join(Source, CrawlRun.source_id == Source.id)
        .order_by(CrawlRun.id.desc())
        .limit(limit)
    )
    if source:
        query = query.where(Source.name == source)
    return [{"source": name, **run_record(run)} for run, name in session.execute(query)]


def run_errors(session: Session, run_id: int) -> list[dict[str, Any]]:
    """The errors recorded against a run; NotFound when there is no such run."""
    if not integers_fit(session, run_id) or session.get(CrawlRun, run_id) is None:
        raise NotFound(f"no crawl run with id {run_id}")
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


def run_record(run: CrawlRun) -> dict[str, Any]:
    """One crawl run as plain data, with its duration when it has finished."""
    duration = (run.finished_at - run.started_at).total_seconds() if run.finished_at else None
    return {
        "id": run.id,
        "started_at": iso(run.started_at),
        "finished_at": iso(run.finished_at),
        "duration_seconds": round(duration, 1) if duration is not None else None,
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


def sources_status(session: Session) -> dict[str, dict[str, Any]]:
    """Every stored source by name: paused or not, its document count and its last run."""
    last = (
        select(CrawlRun.source_id, func.max(CrawlRun.id).label("run_id"))
        .group_by(CrawlRun.source_id)
        .subquery()
    )
    counts = (
        select(Document.source_id, func.count(Document.id).label("documents"))
        .group_by(Document.source_id)
        .subquery()
    )
    query = (
        select(Source, CrawlRun, counts.c.documents)
        .outerjoin(last, last.c.source_id == Source.id)
        .outerjoin(CrawlRun, CrawlRun.id == last.c.run_id)
        .outerjoin(counts, counts.c.source_id == Source.id)
        .order_by(Source.name)
    )
    overdue = overdue_counts(session, utcnow())
    return {
        source.name: {
            "paused": source.paused,
            "documents": documents or 0,
            "overdue": overdue.get(source.name, 0),
            "last_run": run_record(run) if run is not None else None,
        }
        for source, run, documents in session.execute(query)
    }


def paused_sources(session: Session) -> set[str]:
    return set(session.scalars(select(Source.name).where(Source.paused.is_(True))))


def document_detail(session: Session, document_id: int) -> dict[str, Any]:
    """A document with the metadata of every version (not their texts) and its changes."""
    if not integers_fit(session, document_id):
        raise NotFound(f"no document with id {document_id}")
    row = session.execute(
        select(Document, Source.name)
        .join(Source, Document.source_id == Source.id)
        .where(Document.id == document_id)
    ).first()
    if row is None:
        raise NotFound(f"no document with id {document_id}")
    document, source_name = row
    versions = session.execute(
        select(
            Version.id,
            Version.number,
            Version.fetched_at,
            Version.title,
            Version.published_at,
            Version.sha256,
            func.length(Version.text).label("characters"),
        )
        .where(Version.document_id == document_id)
        .order_by(Version.number)
    )
    number_of = {}
    version_rows = []
    for v in versions:
        number_of[v.id] = v.number
        version_rows.append(
            {
                "version": v.number,
                "fetched_at": iso(v.fetched_at),
                "title": v.title,
                "published_at": v.published_at,
                "sha256": v.sha256,
                "characters": v.characters,
            }
        )
    events = session.scalars(
        select(ChangeEvent)
        .where(ChangeEvent.document_id == document_id)
        .order_by(ChangeEvent.at, ChangeEvent.id)
    )
    current = session.scalar(
        select(Version).where(
            Version.document_id == document_id, Version.number == document.version_count
        )
    )
    return {
        "id": document.id,
        "url": document.url,
        "source": source_name,
        "status": document.status,
        "first_seen": iso(document.first_seen),
        "last_seen": iso(document.last_seen),
        "fields": govdocs.field_values(current) if current is not None else None,
        **revisit_summary(document, utcnow()),
        "versions": version_rows,
        "changes": [
            {
                "id": e.id,
                "kind": e.kind,
                "at": iso(e.at),
                "significance": round(e.significance, 3),
                "chars_added": e.chars_added,
                "chars_removed": e.chars_removed,
                "from_version": number_of.get(e.from_version_id),
                "to_version": number_of.get(e.to_version_id),
                "reasons": list(e.reasons or []),
            }
            for e in events
        ],
    }


def document_version(session: Session, document_id: int, number: int | None = None) -> Version:
    """One version of a document by number; the newest when number is None."""
    if not integers_fit(session, document_id, number):
        raise NotFound(f"document {document_id} has no version {number}")
    query = select(Version).where(Version.document_id == document_id)
    if number is None:
        query = query.order_by(Version.number.desc()).limit(1)
    else:
        query = query.where(Version.number == number)
    version = session.scalar(query)
    if version is None:
        if number is None:
            raise NotFound(f"document {document_id} has no stored versions")
        count = session.scalar(select(Document.version_count).where(Document.id == document_id))
        if count is None:
            raise NotFound(f"no document with id {document_id}")
        raise NotFound(f"document {document_id} has no version {number} (it has 1 to {count})")
    return version
