"""Full-text search over the stored versions, for Chinese (which has no spaces between words).

The index is made by migration 0004: on SQLite an FTS5 table with the trigram tokenizer, on
PostgreSQL pg_trgm GIN indexes that serve ``ILIKE``. A trigram index cannot answer a term of
one or two characters: a query with a longer term lets the index find the candidates and
checks its short terms on them; a query of short terms only falls back to a plain ``LIKE``
scan, which callers can bound to the newest versions (``scan_window``), so that anonymous
visitors cannot make every request scan the whole corpus. Every term must occur (AND);
matching is case-insensitive. Terms are matched against the simplified-script
text and the title, so the caller converts the query to simplified script first.

Snippets are plain text with the positions of the matches; turning them into HTML (escape,
then mark) is the caller's job.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, column, func, or_, select, table, text
from sqlalchemy.orm import Session

from storage.govdocs import FieldFilter
from storage.govdocs import apply as apply_fields
from storage.models import Document, Source, Version

TRIGRAM = 3
MAX_TERMS = 8
MAX_TERM_CHARS = 100
SNIPPET_BEFORE = 60
SNIPPET_AFTER = 140

_fts = table("versions_fts", column("rowid"))


@dataclass(frozen=True)
class Snippet:
    text: str
    highlights: list[tuple[int, int]]  # [start, end) offsets of matches within text


def search_terms(query: str) -> list[str]:
    """The distinct whitespace-separated terms of a query, bounded in number and length."""
    terms: list[str] = []
    for term in query.split():
        term = term[:MAX_TERM_CHARS]
        if term and term.lower() not in (t.lower() for t in terms):
            terms.append(term)
    return terms[:MAX_TERMS]


def search_versions(
    session: Session,
    terms: list[str],
    *,
    source: str | None = None,
    all_versions: bool = False,
    limit: int = 20,
    offset: int = 0,
    fields: FieldFilter | None = None,
    scan_window: int | None = None,
) -> list[dict[str, Any]]:
    """Versions containing every term, newest first: by default only current versions.

    ``fields`` narrows them by document field (文号, issuing body, validity, dates).
    ``scan_window``: when terms are given and none can use the index, look only at the
    newest this many versions (None: all of them).
    """
    if not terms and not fields:
        return []
    query = (
        select(
            Version.id,
            Version.number,
            Version.title,
            Version.fetched_at,
            Version.published_at,
            Version.text_simplified,
            Version.document_number,
            Version.issuing_authority,
            Version.validity,
            Document.id.label("document_id"),
            Document.url,
            Document.status,
            Source.name.label("source"),
        )
        .join(Document, Version.document_id == Document.id)
        .join(Source, Document.source_id == Source.id)
        .order_by(Version.id.desc())
        .limit(limit)
        .offset(offset)
    )
    if terms:
        query = query.where(_matches(session, terms))
    if scan_window is not None and terms and not any(len(t) >= TRIGRAM for t in terms):
        newest = select(func.coalesce(func.max(Version.id), 0)).scalar_subquery()
        query = query.where(Version.id > newest - scan_window)
    query = apply_fields(query, fields)
    if not all_versions:
        query = query.where(Version.number == Document.version_count)
    if source:
        query = query.where(Source.name == source)
    rows = []
    for row in session.execute(query):
        snippet = make_snippet(row.text_simplified or "", terms)
        rows.append(
            {
                "document_id": row.document_id,
                "version": row.number,
                "url": row.url,
                "source": row.source,
                "title": row.title,
                "status": row.status,
                "published_at": row.published_at,
                "document_number": row.document_number,
                "issuing_authority": row.issuing_authority,
                "validity": row.validity,
                "fetched_at": row.fetched_at.isoformat(timespec="seconds"),
                "snippet": snippet.text,
                "highlights": [list(span) for span in snippet.highlights],
            }
        )
    return rows


def _matches(session: Session, terms: list[str]) -> ColumnElement[bool]:
    dialect = session.get_bind().dialect.name
    conditions = []
    if dialect == "sqlite":
        # The index finds the versions with the long terms; short ones are checked on those.
        long_terms = [t for t in terms if len(t) >= TRIGRAM]
        if long_terms:
            phrase = " AND ".join('"' + t.replace('"', '""') + '"' for t in long_terms)
            matching = select(_fts.c.rowid).where(text("versions_fts MATCH :phrase"))
            conditions.append(Version.id.in_(matching.params(phrase=phrase)))
            terms = [t for t in terms if len(t) < TRIGRAM]
    # PostgreSQL's trigram GIN indexes serve ILIKE; short terms alone scan.
    like = "ilike" if dialect == "postgresql" else "like"
    for term in terms:
        pattern = "%" + _escape_like(term) + "%"
        conditions.append(
            or_(
                getattr(Version.text_simplified, like)(pattern, escape="\\"),
                getattr(Version.title, like)(pattern, escape="\\"),
            )
        )
    return and_(*conditions)


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def make_snippet(body: str, terms: list[str]) -> Snippet:
    """A window of the text around the first match, with every match in it located."""
    folded = body.lower()
    if len(folded) != len(body):  # a few characters change length when lowered
        folded = body
    firsts = [i for i in (folded.find(t.lower()) for t in terms) if i >= 0]
    if not firsts:
        return Snippet(_clip(body, 0, SNIPPET_BEFORE + SNIPPET_AFTER), [])
    first = min(firsts)
    start = max(0, first - SNIPPET_BEFORE)
    end = min(len(body), first + SNIPPET_AFTER)
    window = folded[start:end]
    spans: list[tuple[int, int]] = []
    for term in terms:
        needle = term.lower()
        at = window.find(needle)
        while at >= 0:
            spans.append((at, at + len(needle)))
            at = window.find(needle, at + len(needle))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(body) else ""
    shift = len(prefix)
    merged = _merge([(a + shift, b + shift) for a, b in sorted(spans)])
    return Snippet(prefix + body[start:end] + suffix, merged)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _clip(body: str, start: int, length: int) -> str:
    return body[start : start + length] + ("…" if len(body) > start + length else "")
