"""The exported record: one document (or one version) with its provenance, streamed.

Rows come from one query with ``yield_per``, so an export never holds more than a batch of
texts in memory, whatever the size of the corpus.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from corpus.govdocs import copies
from extractor.model import DOCUMENT_FIELDS
from storage.models import CorpusCluster, CorpusMember, Document, Source, Version

# Every record has these, in this order (CSV columns, Parquet schema).
FIELDS = (
    "url",
    "source",
    "title",
    "published_at",
    "publisher",
    "text",
    "text_simplified",
    "sha256",
    "version",
    "fetched_at",
    "canonical_url",
    "official",
    "canonical",
    "cluster_id",
    "cluster_size",
    "status",
    "http_status",
    "content_type",
    "warnings",
    "warc_record_id",
    # a government document's own fields (null when its page does not show them)
    *DOCUMENT_FIELDS,
    # the issuer's own copy when this is the same document on another portal (by 文号)
    "copy_of_url",
)
LIST_FIELDS = ("issuing_authority", "keywords")
DOCUMENT_FIELDS = FIELDS[FIELDS.index("document_number") : FIELDS.index("copy_of_url")]
STREAM_BATCH = 200
_WARC_NAMESPACE = uuid.UUID("6f1c3d2e-8f44-5d0e-9a57-3c1b7a0e2c11")


@dataclass(frozen=True)
class Filters:
    sources: tuple[str, ...] = ()
    since: date | None = None  # published on or after (documents without a date are left out)
    until: date | None = None  # published on or before
    canonical_only: bool = False
    versions: bool = False  # every version, not only each document's newest


def warc_record_id(url: str, number: int, sha256: str, fetched_at: str) -> str:
    """The WARC-Record-ID of a version's response record: the same in every export."""
    name = f"{url}\n{number}\n{sha256}\n{fetched_at}"
    return f"<urn:uuid:{uuid.uuid5(_WARC_NAMESPACE, name)}>"


def _query(filters: Filters, *, raw: bool) -> Select:
    canonical = aliased(Document)
    columns = [
        Document.id.label("document_id"),
        Document.url,
        Source.name.label("source"),
        Version.title,
        Version.published_at,
        Version.publisher,
        Version.text,
        Version.text_simplified,
        Version.sha256,
        Version.number,
        Version.fetched_at,
        canonical.url.label("canonical_url"),
        Version.official,
        CorpusCluster.canonical_document_id,
        CorpusMember.cluster_id,
        CorpusCluster.size.label("cluster_size"),
        Document.status,
        Version.http_status,
        Version.headers,
        Version.warnings,
        *(getattr(Version, name) for name in DOCUMENT_FIELDS),
    ]
    if raw:
        columns.append(Version.raw_compressed)
    query = (
        select(*columns)
        .select_from(Version)
        .join(Document, Document.id == Version.document_id)
        .join(Source, Source.id == Document.source_id)
        .outerjoin(CorpusMember, CorpusMember.document_id == Document.id)
        .outerjoin(CorpusCluster, CorpusCluster.id == CorpusMember.cluster_id)
        .outerjoin(canonical, canonical.id == CorpusCluster.canonical_document_id)
    )
    return _filtered(query, filters)


def _filtered(query: Select, filters: Filters) -> Select:
    if not filters.versions:
        query = query.where(Version.number == Document.version_count)
    if filters.sources:
        query = query.where(Source.name.in_(filters.sources))
    if filters.since:
        query = query.where(Version.published_at >= filters.since.isoformat())
    if filters.until:  # "2024-12-31T10:00" < "2025-01-01": ISO strings compare as dates
        query = query.where(Version.published_at < (filters.until + timedelta(days=1)).isoformat())
    if filters.canonical_only:
        query = query.where(CorpusCluster.canonical_document_id == Document.id)
    return query


def count(session: Session, filters: Filters) -> int:
    query = _query(filters, raw=False).with_only_columns(func.count()).order_by(None)
    return session.scalar(query) or 0


def records(session: Session, filters: Filters, *, raw: bool = False) -> Iterator[dict[str, Any]]:
    """Export records in document then version order; with ``raw``, ``raw_compressed`` too."""
    query = (
        _query(filters, raw=raw)
        .order_by(Document.id, Version.number)
        .execution_options(yield_per=STREAM_BATCH)
    )
    canonical_of: dict[str, str | None] = {}
    for row in session.execute(query):
        record = _record(row, raw)
        number = row.document_number_normalized
        if number:
            if number not in canonical_of:
                canonical_of[number] = _canonical_url(session, row.document_id)
            if canonical_of[number] != row.url:
                record["copy_of_url"] = canonical_of[number]
        yield record


def _canonical_url(session: Session, document_id: int) -> str | None:
    """The URL of the issuer's own copy of a document linked across portals by 文号."""
    linked = copies(session, document_id)
    if linked["linked_by"] != "document_number":
        return None
    return next((c["url"] for c in linked["copies"] if c["canonical"]), None)


def _record(row: Any, raw: bool) -> dict[str, Any]:
    fetched_at = row.fetched_at.isoformat(timespec="seconds")
    headers = {k.lower(): v for k, v in (row.headers or {}).items()}
    record = {
        "url": row.url,
        "source": row.source,
        "title": row.title,
        "published_at": row.published_at,
        "publisher": row.publisher,
        "text": row.text,
        "text_simplified": row.text_simplified,
        "sha256": row.sha256,
        "version": row.number,
        "fetched_at": fetched_at,
        "canonical_url": row.canonical_url,
        "official": bool(row.official),
        "canonical": row.canonical_document_id == row.document_id,
        "cluster_id": row.cluster_id,
        "cluster_size": row.cluster_size,
        "status": row.status,
        "http_status": row.http_status,
        "content_type": headers.get("content-type"),
        "warnings": list(row.warnings or []),
        "warc_record_id": warc_record_id(row.url, row.number, row.sha256, fetched_at),
        **{name: getattr(row, name) for name in DOCUMENT_FIELDS},
        "copy_of_url": None,
    }
    if raw:
        record["raw_compressed"] = row.raw_compressed
        record["headers"] = headers
        record["fetched_at_datetime"] = row.fetched_at
    return record
