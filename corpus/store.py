"""The clustering tables: the lock, pending documents, cluster canonicals, the official flag."""

from __future__ import annotations

import zlib

from sqlalchemy import Select, delete, func, or_, select, update
from sqlalchemy.orm import Session

from corpus.canonical import Candidate, choose
from corpus.lsh import BANDS, ROWS, THRESHOLD
from corpus.minhash import BINS
from corpus.shingles import K
from extractor.official import is_official, site_id_code_in
from storage.db import Database
from storage.models import CorpusCluster, CorpusMember, CorpusState, Document, Version, utcnow

# Signatures and band keys made under another scheme cannot be compared: rebuild.
SCHEME = f"oph{BINS}-k{K}-b{BANDS}x{ROWS}-t{THRESHOLD}"


def lock(session: Session) -> str | None:
    """Serialise clustering across processes; returns the scheme the stored data was made with."""
    session.execute(update(CorpusState).where(CorpusState.id == 1).values(updated_at=utcnow()))
    return session.scalar(select(CorpusState.scheme).where(CorpusState.id == 1))


def set_scheme(session: Session, scheme: str) -> None:
    session.execute(update(CorpusState).where(CorpusState.id == 1).values(scheme=scheme))


def latest_versions() -> Select:
    """(document id, version id) of each document's newest version, to join further from."""
    return select(Document.id.label("document_id"), Version.id.label("version_id")).join(
        Version, (Version.document_id == Document.id) & (Version.number == Document.version_count)
    )


def pending(session: Session, limit: int) -> list[tuple[int, int]]:
    """Documents whose newest version is not the one they are clustered on (or not at all)."""
    query = (
        latest_versions()
        .outerjoin(CorpusMember, CorpusMember.document_id == Document.id)
        .where(or_(CorpusMember.document_id.is_(None), CorpusMember.version_id != Version.id))
        .order_by(Document.id)
        .limit(limit)
    )
    return [(row.document_id, row.version_id) for row in session.execute(query)]


def refresh(session: Session, cluster_id: int) -> None:
    """Recount a cluster and choose its canonical document again; drop it when empty."""
    rows = session.execute(
        select(CorpusMember.document_id, Version.official, Version.published_at, Version.warnings)
        .join(Version, Version.id == CorpusMember.version_id)
        .where(CorpusMember.cluster_id == cluster_id)
    ).all()
    if not rows:
        session.execute(delete(CorpusCluster).where(CorpusCluster.id == cluster_id))
        return
    best = choose(
        Candidate(row.document_id, bool(row.official), row.published_at, len(row.warnings or []))
        for row in rows
    )
    session.execute(
        update(CorpusCluster)
        .where(CorpusCluster.id == cluster_id)
        .values(canonical_document_id=best.document_id, size=len(rows), updated_at=utcnow())
    )


def decide_official(session: Session, version_id: int) -> bool:
    """Decide and store the official flag of one version stored before the flag existed."""
    url, raw = session.execute(
        select(Document.url, Version.raw_compressed)
        .join(Document, Document.id == Version.document_id)
        .where(Version.id == version_id)
    ).one()
    official = is_official(url, site_id_code_in(zlib.decompress(raw)))
    session.execute(update(Version).where(Version.id == version_id).values(official=official))
    return official


def backfill_official(db: Database, batch: int = 200) -> int:
    """Decide the official flag of every version stored before it existed (a full scan: the
    rebuild runs it; the incremental step decides only the versions it clusters)."""
    done = 0
    while True:
        with db.transaction() as session:
            rows = session.execute(
                select(Version.id, Document.url, Version.raw_compressed)
                .join(Document, Document.id == Version.document_id)
                .where(Version.official.is_(None))
                .limit(batch)
            ).all()
            for row in rows:
                code = site_id_code_in(zlib.decompress(row.raw_compressed))
                session.execute(
                    update(Version)
                    .where(Version.id == row.id)
                    .values(official=is_official(row.url, code))
                )
        done += len(rows)
        if len(rows) < batch:
            return done


def member_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(CorpusMember)) or 0
