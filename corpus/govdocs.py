"""The same document across portals, and documents citing documents.

- Copies: a document reposted by other portals (转发, or republished by a lower-level
  government) is linked to them by normalised 文号 plus an issuing body in common; without
  a 文号, the near-duplicate cluster (corpus/clusters.py) links them. The canonical copy is
  the issuer's own: the site whose name is the issuing body's, then the copy whose
  publisher is the issuer, then an official one, then the earliest published.
- Citations: what a document's current version cites, and which current versions cite it,
  resolved to stored documents by normalised 文号 (to the canonical copy) or, without one,
  by exact title.
- ``field_filter``: a ``storage.govdocs.FieldFilter`` from what a person types (any printed
  form of a 文号, an issuing body in either script).
"""

from __future__ import annotations

import zlib
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from extractor import metadata, tree
from extractor.govdoc import normalize_body, normalize_number
from storage.govdocs import FieldFilter
from storage.models import Citation, CorpusMember, Document, Source, Version

MAX_COPIES = 50  # copies listed for one document
SITE_NAME_META = "sitename"
SITE_NAME_SUFFIXES = ("门户网站", "政府网站", "网站", "官网", "门户")


def field_filter(
    number: str | None = None,
    issuer: str | None = None,
    validity: str | None = None,
    written_from: date | None = None,
    written_to: date | None = None,
    published_from: date | None = None,
    published_to: date | None = None,
) -> FieldFilter:
    """A filter from typed values: 粤府办[2024]第12号 finds 粤府办〔2024〕12号."""
    return FieldFilter(
        normalize_number(number.strip()) if number and number.strip() else None,
        normalize_body(issuer) or None if issuer else None,
        validity.strip() or None if validity else None,
        written_from,
        written_to,
        published_from,
        published_to,
    )


def links(session: Session, document_id: int) -> dict[str, Any]:
    """Copies, cites and cited-by of one document, as the API and the document page give."""
    return {
        **copies(session, document_id),
        "cites": cites(session, document_id),
        "cited_by": cited_by(session, document_id),
    }


# --- copies across portals ------------------------------------------------------------------


def _current(session: Session, document_ids: list[int] | None = None) -> Select:
    query = (
        select(Version, Document, Source.name)
        .join(Document, Version.document_id == Document.id)
        .join(Source, Document.source_id == Source.id)
        .where(Version.number == Document.version_count)
    )
    if document_ids is not None:
        query = query.where(Document.id.in_(document_ids))
    return query


def _bodies(version: Version) -> set[str]:
    return {normalize_body(b) for b in version.issuing_authority or [] if b}


def copies(session: Session, document_id: int) -> dict[str, Any]:
    """The document's copies on other portals (itself included) and the canonical one."""
    row = session.execute(_current(session, [document_id])).first()
    if row is None:
        return {"linked_by": None, "canonical_document_id": None, "copies": []}
    version = row[0]
    rows: list[Any] = []
    linked_by = None
    if version.document_number_normalized:
        candidates = session.execute(
            _current(session)
            .where(Version.document_number_normalized == version.document_number_normalized)
            .limit(MAX_COPIES)
        ).all()
        own = _bodies(version)
        rows = [r for r in candidates if not own or not _bodies(r[0]) or own & _bodies(r[0])]
        linked_by = "document_number"
    if len(rows) < 2:
        cluster = session.scalar(
            select(CorpusMember.cluster_id).where(CorpusMember.document_id == document_id)
        )
        if cluster is not None:
            members = select(CorpusMember.document_id).where(CorpusMember.cluster_id == cluster)
            rows = session.execute(
                _current(session).where(Document.id.in_(members)).limit(MAX_COPIES)
            ).all()
            linked_by = "near_duplicate"
    if len(rows) < 2:
        return {"linked_by": None, "canonical_document_id": document_id, "copies": []}
    canonical = min(rows, key=_rank)[1].id
    return {
        "linked_by": linked_by,
        "canonical_document_id": canonical,
        "copies": [
            {
                "document_id": doc.id,
                "url": doc.url,
                "source": source,
                "title": v.title,
                "publisher": v.publisher,
                "document_number": v.document_number,
                "official": v.official,
                "canonical": doc.id == canonical,
            }
            for v, doc, source in sorted(rows, key=lambda r: r[1].id)
        ],
    }


def _rank(row: Any) -> tuple:
    """The issuer's own copy first: its site is the issuing body's, then a copy whose
    publisher is the issuer, then an official one, then the earliest."""
    version, document, _source = row
    bodies = _bodies(version)
    site = _site_name(version)
    own_site = bool(site) and any(b.startswith(site) or site.startswith(b) for b in bodies)
    publisher = normalize_body(version.publisher) if version.publisher else None
    return (
        not own_site,
        publisher not in bodies,
        not version.official,
        version.published_at or "9999",
        document.id,
    )


def _site_name(version: Version) -> str | None:
    """The SiteName meta tag of the stored page (the site's own name), normalised."""
    try:
        raw = zlib.decompress(version.raw_compressed)[:200_000].decode("utf-8", "replace")
    except (zlib.error, TypeError):
        return None
    root = tree.parse(raw)
    name = metadata.meta_tags(root).get(SITE_NAME_META) if root is not None else None
    if not name:
        return None
    name = normalize_body(name)
    for suffix in SITE_NAME_SUFFIXES:
        name = name.removesuffix(suffix)
    return name or None


# --- citations ------------------------------------------------------------------------------


def _resolve_number(session: Session, normalized: str) -> int | None:
    ids = [
        doc.id
        for _v, doc, _s in session.execute(
            _current(session).where(Version.document_number_normalized == normalized)
        )
    ]
    if not ids:
        return None
    return copies(session, ids[0])["canonical_document_id"] or ids[0]


def _resolve_title(session: Session, title: str) -> int | None:
    return session.scalar(
        select(Document.id)
        .join(Version, Version.document_id == Document.id)
        .where(Version.number == Document.version_count, Version.title == title)
        .order_by(Document.id)
        .limit(1)
    )


def cites(session: Session, document_id: int) -> list[dict[str, Any]]:
    """What the document's current version cites, each resolved to a stored document."""
    current = session.scalar(
        select(Version.id)
        .join(Document, Version.document_id == Document.id)
        .where(Document.id == document_id, Version.number == Document.version_count)
    )
    if current is None:
        return []
    rows = session.scalars(
        select(Citation).where(Citation.version_id == current).order_by(Citation.id)
    )
    out = []
    for citation in rows:
        if citation.document_number_normalized:
            target = _resolve_number(session, citation.document_number_normalized)
        else:
            target = _resolve_title(session, citation.title) if citation.title else None
        out.append(
            {
                "title": citation.title,
                "document_number": citation.document_number,
                "document_id": target if target != document_id else None,
            }
        )
    return out


def cited_by(session: Session, document_id: int) -> list[dict[str, Any]]:
    """Stored documents whose current version cites this one (by 文号, or by exact title)."""
    row = session.execute(_current(session, [document_id])).first()
    if row is None:
        return []
    version = row[0]
    conditions = []
    if version.document_number_normalized:
        conditions.append(
            Citation.document_number_normalized == version.document_number_normalized
        )
    if version.title:
        conditions.append(
            (Citation.title == version.title) & Citation.document_number_normalized.is_(None)
        )
    if not conditions:
        return []
    condition = conditions[0] if len(conditions) == 1 else conditions[0] | conditions[1]
    query = (
        select(Document.id, Document.url, Source.name, Version.title, Version.document_number)
        .join(Version, Version.document_id == Document.id)
        .join(Source, Document.source_id == Source.id)
        .join(Citation, Citation.version_id == Version.id)
        .where(Version.number == Document.version_count, condition, Document.id != document_id)
        .group_by(Document.id, Document.url, Source.name, Version.title, Version.document_number)
        .order_by(Document.id)
    )
    return [
        {"document_id": i, "url": url, "source": source, "title": title, "document_number": num}
        for i, url, source, title, num in session.execute(query)
    ]
