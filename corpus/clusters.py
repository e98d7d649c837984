"""When clustering runs: incrementally after every crawl, and in full on demand.

``update(db)`` is called by ``govwatch crawl`` between the crawl and the alerts: it
clusters only the documents whose newest version is not yet clustered, a few SQL lookups
each (corpus/incremental.py), in batches of short transactions. ``rebuild(db)`` (``govwatch
corpus rebuild``) reads every document's newest version once, fingerprints each distinct
text once, groups everything in memory (corpus/grouping.py) and rewrites the tables in one
transaction; ``update`` falls back to it when the stored signatures were made with another
scheme. Both hold the clustering lock (corpus/store.py) while they write.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from corpus import incremental, store
from corpus.canonical import Candidate, choose
from corpus.fingerprint import Fingerprint, fingerprint
from corpus.grouping import group
from corpus.lsh import band_keys
from corpus.minhash import to_bytes
from storage.db import Database
from storage.models import CorpusBand, CorpusCluster, CorpusMember, Version, utcnow

log = logging.getLogger(__name__)

BATCH = 200  # documents per transaction in the incremental step: locks stay short
WRITE_CHUNK = 5_000


@dataclass(frozen=True)
class ClusterReport:
    mode: str  # incremental | rebuild
    documents: int  # documents (re)clustered
    clusters: int  # clusters after the run, when known (rebuild); else -1
    seconds: float


def update(db: Database) -> ClusterReport:
    """Cluster the documents that are new or changed since the last run."""
    started = time.monotonic()
    with db.transaction() as session:
        scheme = store.lock(session)
        if scheme != store.SCHEME and store.member_count(session):
            stale = True
        else:
            stale = False
            store.set_scheme(session, store.SCHEME)
    if stale:
        log.warning("corpus clusters were made with %s; rebuilding with %s", scheme, store.SCHEME)
        return rebuild(db)
    done = 0
    while True:
        with db.transaction() as session:
            store.lock(session)
            batch = store.pending(session, BATCH)
            for document_id, version_id in batch:
                incremental.add(session, document_id, version_id)
        done += len(batch)
        if len(batch) < BATCH:
            return ClusterReport("incremental", done, -1, time.monotonic() - started)


@dataclass
class _Row:
    document_id: int
    version_id: int
    print_: Fingerprint
    candidate: Candidate


def rebuild(db: Database, on_progress: Callable[[int], None] | None = None) -> ClusterReport:
    """Cluster every document from scratch; ``on_progress(n)`` after each n documents read."""
    started = time.monotonic()
    store.backfill_official(db)
    rows = _read(db, on_progress)
    labels = group(
        [row.print_.content_hash for row in rows], [row.print_.signature for row in rows]
    )
    members: dict[int, list[_Row]] = {}
    for row, label in zip(rows, labels, strict=True):
        members.setdefault(label, []).append(row)
    with db.transaction() as session:
        store.lock(session)
        session.execute(delete(CorpusBand))
        session.execute(delete(CorpusMember))
        session.execute(delete(CorpusCluster))
        _write(session, list(members.values()))
        store.set_scheme(session, store.SCHEME)
    return ClusterReport("rebuild", len(rows), len(members), time.monotonic() - started)


def _read(db: Database, on_progress: Callable[[int], None] | None) -> list[_Row]:
    """Every document's newest version, streamed; each distinct text fingerprinted once."""
    query = (
        store.latest_versions()
        .add_columns(
            Version.sha256,
            Version.text_simplified,
            Version.official,
            Version.published_at,
            Version.warnings,
        )
        .order_by(Version.document_id)
        .execution_options(yield_per=500)
    )
    by_sha: dict[str, Fingerprint] = {}
    rows: list[_Row] = []
    with db.reader() as session:
        for row in session.execute(query):
            print_ = by_sha.get(row.sha256)
            if print_ is None:
                print_ = by_sha[row.sha256] = fingerprint(row.text_simplified)
            candidate = Candidate(
                row.document_id, bool(row.official), row.published_at, len(row.warnings or [])
            )
            rows.append(_Row(row.document_id, row.version_id, print_, candidate))
            if on_progress and len(rows) % 500 == 0:
                on_progress(500)
    if on_progress:
        on_progress(len(rows) % 500)
    return rows


def _write(session: Session, clusters: list[list[_Row]]) -> None:
    now = utcnow()
    ids = session.scalars(
        insert(CorpusCluster).returning(CorpusCluster.id, sort_by_parameter_order=True),
        [
            {
                "canonical_document_id": choose(r.candidate for r in rows).document_id,
                "size": len(rows),
                "updated_at": now,
            }
            for rows in clusters
        ],
    ).all()
    member_rows: list[dict] = []
    band_rows: list[dict] = []
    for cluster_id, rows in zip(ids, clusters, strict=True):
        for row in rows:
            signature = row.print_.signature
            member_rows.append(
                {
                    "document_id": row.document_id,
                    "version_id": row.version_id,
                    "cluster_id": cluster_id,
                    "content_hash": row.print_.content_hash,
                    "signature": None if signature is None else to_bytes(signature),
                }
            )
            if signature is not None:
                band_rows += [
                    {"document_id": row.document_id, "band": band, "key": int(key)}
                    for band, key in enumerate(band_keys(signature))
                ]
            if len(member_rows) >= WRITE_CHUNK:
                _flush(session, member_rows, band_rows)
    _flush(session, member_rows, band_rows)


def _flush(session: Session, member_rows: list[dict], band_rows: list[dict]) -> None:
    if member_rows:
        session.execute(insert(CorpusMember), member_rows)
    if band_rows:
        session.execute(insert(CorpusBand), band_rows)
    member_rows.clear()
    band_rows.clear()
