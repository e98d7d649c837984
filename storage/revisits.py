"""The revisit state in the database: recording visits, and the indexed planning query.

``due_documents`` reads a bounded slice of ``ix_documents_source_next_visit`` (a source's
documents due by a moment, most overdue first), so planning a run costs the same for a
thousand known documents as for a million. The policy itself is ``revisits.policy``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone

from sqlalchemy import Connection, bindparam, func, select, update
from sqlalchemy.orm import Session

from revisits.policy import (
    Policy,
    RevisitState,
    after_visit,
    change_rate,
    first_visit,
    listing_signal,
)
from storage.models import Document, ListingPage, Source

# Listing lookups go in chunks: SQLite allows a limited number of bound parameters.
CHUNK = 500
BEIJING = timezone(timedelta(hours=8))  # the portals' time when a page gives none


@dataclass(frozen=True)
class Known:
    """A stored document as a run's planning sees it."""

    url: str
    etag: str | None
    last_modified: str | None
    state: RevisitState
    status: str = "active"


def state_of(document: Document) -> RevisitState:
    """The policy's view of a stored document (rows from before revisits are due now)."""
    last_visit = document.last_visit_at or document.last_seen or document.first_seen
    return RevisitState(
        first_seen=document.first_seen,
        last_visit=last_visit,
        next_visit=document.next_visit_at or last_visit,
        visits=document.visits or 0,
        changes=document.changes or 0,
        last_change=document.last_change_at,
        weight=document.change_weight if document.change_weight is not None else 0.5,
        published=document.published_at,
    )


def record_visit(document: Document, at: datetime, *, outcome: str, policy: Policy,
                 headers: dict[str, str] | None = None, significance: float = 0.0,
                 published: datetime | None = None) -> None:
    """After a successful fetch (200 or 304): validators and the next visit.

    ``outcome``: new, changed, restored, unchanged or removed. Validators are replaced on
    every fetch that sent them, whether or not a version was stored: a page whose furniture
    changed but whose text did not still gets a 304 next time.
    """
    if headers is not None and (headers.get("etag") or headers.get("last-modified")):
        document.etag = (headers.get("etag") or None) and headers["etag"][:256]
        document.last_modified = (headers.get("last-modified") or None) and \
            headers["last-modified"][:64]
    if published is not None:
        document.published_at = published
    if outcome == "new" or document.visits == 0 and document.last_visit_at is None:
        state = first_visit(at, policy, published=document.published_at)
    elif outcome == "missing":
        # Gone once: looked at again on the next run, which believes or drops the removal.
        state = state_of(document)
        state = replace(state, last_visit=at, next_visit=at, visits=state.visits + 1)
    elif outcome == "removed":
        # Gone: looked at again only rarely, to see it come back.
        state = state_of(document)
        state = replace(state, last_visit=at, next_visit=at + policy.max_interval,
                        visits=state.visits + 1)
    else:
        state = after_visit(state_of(document), at, changed=outcome in ("changed", "restored"),
                            significance=significance, policy=policy)
    _store(document, state)


def revisit_summary(document: Document, now: datetime) -> dict[str, object]:
    """Last and next visit and the estimated change rate (changes per day), for people."""
    if document.last_visit_at is None:
        return {"last_visit": None, "next_visit": None, "change_rate": None}
    rate = change_rate(state_of(document), now, Policy())
    return {
        "last_visit": document.last_visit_at.isoformat(timespec="seconds"),
        "next_visit": document.next_visit_at.isoformat(timespec="seconds")
        if document.next_visit_at else None,
        "change_rate": round(rate, 4),
    }


def published_moment(text: str | None) -> datetime | None:
    """A page's own publication date ("2026-03-01", "2026-03-01 09:30"), read as Beijing time."""
    value = (text or "").strip().replace("/", "-")[:16]
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment.replace(tzinfo=BEIJING) if moment.tzinfo is None else moment


def _store(document: Document, state: RevisitState) -> None:
    document.last_visit_at = state.last_visit
    document.next_visit_at = state.next_visit
    document.visits = state.visits
    document.changes = state.changes
    document.last_change_at = state.last_change
    document.change_weight = state.weight


_KNOWN_COLUMNS = (
    Document.url, Document.etag, Document.last_modified, Document.status, Document.first_seen,
    Document.last_seen, Document.published_at, Document.last_visit_at, Document.next_visit_at,
    Document.visits, Document.changes, Document.last_change_at, Document.change_weight,
)


def _known(row: object) -> Known:
    last_visit = row.last_visit_at or row.last_seen  # type: ignore[attr-defined]
    state = RevisitState(
        first_seen=row.first_seen,  # type: ignore[attr-defined]
        last_visit=last_visit,
        next_visit=row.next_visit_at or last_visit,  # type: ignore[attr-defined]
        visits=row.visits or 0,  # type: ignore[attr-defined]
        changes=row.changes or 0,  # type: ignore[attr-defined]
        last_change=row.last_change_at,  # type: ignore[attr-defined]
        weight=row.change_weight if row.change_weight is not None else 0.5,  # type: ignore[attr-defined]
        published=row.published_at,  # type: ignore[attr-defined]
    )
    return Known(row.url, row.etag, row.last_modified, state, row.status)  # type: ignore[attr-defined]


_ACTIVE_BY_URL = (
    select(Document.id, *_KNOWN_COLUMNS)
    .where(
        Document.source_id == bindparam("p_source"),
        Document.url == bindparam("p_url"),
        Document.status == "active",
    )
)


def record_unchanged(session: Session, source_id: int, url: str, at: datetime, *,
                     policy: Policy, headers: dict[str, str]) -> bool:
    """A 304 for an active document, in one SELECT and one UPDATE (the common recrawl case).

    False when ``url`` is not an active document of the source (the caller handles it).
    """
    visit = unchanged_visit(session, source_id, url, at, policy=policy, headers=headers)
    if visit is None:
        return False
    write_unchanged(session, [visit])
    return True


def unchanged_visit(reader: Session | Connection, source_id: int, url: str, at: datetime, *,
                    policy: Policy, headers: dict[str, str]) -> dict[str, object] | None:
    """What a 304 for an active document changes, for ``write_unchanged`` now or later.

    None when ``url`` is not an active document of the source (the caller handles it).
    """
    row = reader.execute(_ACTIVE_BY_URL, {"p_source": source_id, "p_url": url}).first()
    if row is None:
        return None
    state = after_visit(_known(row).state, at, changed=False, policy=policy)
    etag, modified = row.etag, row.last_modified
    if headers.get("etag") or headers.get("last-modified"):
        etag = (headers.get("etag") or "")[:256] or None
        modified = (headers.get("last-modified") or "")[:64] or None
    return {
        "p_id": row.id, "p_seen": at, "p_visit": state.last_visit, "p_next": state.next_visit,
        "p_visits": state.visits, "p_etag": etag, "p_modified": modified,
    }


def write_unchanged(session: Session, visits: Sequence[dict[str, object]]) -> None:
    """Store unchanged visits from ``unchanged_visit``, many in one statement."""
    if visits:
        session.connection().execute(_UNCHANGED, list(visits))


# Built once, on the table (no ORM bookkeeping): a recrawl runs it for nearly every
# document, and building costs more than running.
_DOCUMENTS = Document.__table__
_UNCHANGED = (
    update(_DOCUMENTS)
    .where(_DOCUMENTS.c.id == bindparam("p_id"))
    .values(
        last_seen=bindparam("p_seen"), last_visit_at=bindparam("p_visit"),
        next_visit_at=bindparam("p_next"), visits=bindparam("p_visits"),
        etag=bindparam("p_etag"), last_modified=bindparam("p_modified"),
    )
)


def due_documents(session: Session, source_id: int, due_by: datetime,
                  limit: int | None) -> list[Known]:
    """Up to ``limit`` documents due by ``due_by``, most overdue first (an index range scan)."""
    query = (
        select(*_KNOWN_COLUMNS)
        .where(Document.source_id == source_id, Document.next_visit_at <= due_by)
        .order_by(Document.next_visit_at, Document.id)
    )
    if limit is not None:
        query = query.limit(limit)
    return [_known(row) for row in session.execute(query)]


def lookup(session: Session, source_id: int, urls: Iterable[str]) -> dict[str, Known]:
    """The stored documents among ``urls`` (a listing page's entries)."""
    wanted = list(dict.fromkeys(urls))
    found: dict[str, Known] = {}
    for start in range(0, len(wanted), CHUNK):
        rows = session.execute(
            select(*_KNOWN_COLUMNS).where(
                Document.source_id == source_id, Document.url.in_(wanted[start : start + CHUNK])
            )
        )
        found.update((row.url, _known(row)) for row in rows)
    return found


def mark_due(session: Session, source_id: int, urls: Sequence[str], at: datetime) -> None:
    """Make documents due at ``at`` (a listing shows them newer than their last visit)."""
    for start in range(0, len(urls), CHUNK):
        session.execute(
            update(Document)
            .where(Document.source_id == source_id, Document.url.in_(urls[start : start + CHUNK]),
                   Document.next_visit_at > at)
            .values(next_visit_at=at)
            .execution_options(synchronize_session=False)
        )


def signal(known: Known, listed: datetime, now: datetime) -> bool:
    """True when a listing date shows the document changed after it was last fetched."""
    return listing_signal(known.state, listed, now).next_visit <= now


def mark_listed(session: Session, source_id: int, urls: Sequence[str], at: datetime) -> None:
    """A full sweep saw these documents on a listing page."""
    for start in range(0, len(urls), CHUNK):
        session.execute(
            update(Document)
            .where(Document.source_id == source_id, Document.url.in_(urls[start : start + CHUNK]))
            .values(last_listed_at=at)
            .execution_options(synchronize_session=False)
        )


def due_unlisted(session: Session, source_id: int, sweep_started: datetime,
                 at: datetime) -> int:
    """After a full sweep: active articles no listing named are due (were they removed?)."""
    result = session.execute(
        update(Document)
        .where(
            Document.source_id == source_id,
            Document.status == "active",
            Document.parent_id.is_(None),
            Document.first_seen < sweep_started,  # found in this sweep: listed
            (Document.last_listed_at.is_(None)) | (Document.last_listed_at < sweep_started),
            Document.next_visit_at > at,
        )
        .values(next_visit_at=at)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount  # type: ignore[attr-defined]


def sweep_due(session: Session, source_id: int, now: datetime, interval: timedelta) -> bool:
    """Whether this run reads every listing page (never swept, or swept too long ago)."""
    last = session.scalar(select(Source.last_full_sweep_at).where(Source.id == source_id))
    return last is None or now - last >= interval


def finish_sweep(session: Session, source_id: int, started: datetime) -> None:
    session.execute(
        update(Source).where(Source.id == source_id).values(last_full_sweep_at=started)
        .execution_options(synchronize_session=False)
    )


def listing_validators(session: Session, source_id: int,
                       url: str) -> tuple[str | None, str | None]:
    row = session.execute(
        select(ListingPage.etag, ListingPage.last_modified)
        .where(ListingPage.source_id == source_id, ListingPage.url == url)
    ).first()
    return (row.etag, row.last_modified) if row is not None else (None, None)


def record_listing(session: Session, source_id: int, url: str, headers: dict[str, str],
                   at: datetime) -> None:
    """Keep a listing page's validators from a 200 (or refresh them from a 304)."""
    page = session.scalar(
        select(ListingPage).where(ListingPage.source_id == source_id, ListingPage.url == url)
    )
    if page is None:
        page = ListingPage(source_id=source_id, url=url[:2048])
        session.add(page)
    etag, modified = headers.get("etag"), headers.get("last-modified")
    if etag or modified:
        page.etag = etag[:256] if etag else None
        page.last_modified = modified[:64] if modified else None
    page.fetched_at = at


def overdue_counts(session: Session, now: datetime) -> dict[str, int]:
    """Per source name: active documents whose next visit has passed."""
    rows = session.execute(
        select(Source.name, func.count(Document.id))
        .join(Document, Document.source_id == Source.id)
        .where(Document.next_visit_at < now, Document.status == "active")
        .group_by(Source.name)
    )
    return {name: count for name, count in rows}
