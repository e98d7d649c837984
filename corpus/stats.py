"""``govwatch stats``: the size and state of the corpus in a few numbers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from corpus import store
from storage.models import CorpusCluster, CorpusMember, Document, Version


def corpus_stats(session: Session) -> dict[str, Any]:
    """Counts over documents (each one's newest version) and over all versions."""
    latest = store.latest_versions().subquery()
    newest = select(Version).join(latest, latest.c.version_id == Version.id).subquery()
    documents = session.scalar(select(func.count()).select_from(newest)) or 0
    characters, with_warnings, official = session.execute(
        select(
            func.coalesce(func.sum(func.length(newest.c.text)), 0),
            func.count().filter(func.json_array_length(newest.c.warnings) > 0),
            func.count().filter(newest.c.official.is_(True)),
        )
    ).one()
    clusters = session.scalar(select(func.count()).select_from(CorpusCluster)) or 0
    clustered = session.scalar(select(func.count()).select_from(CorpusMember)) or 0
    shared = session.scalar(
        select(func.count()).select_from(CorpusCluster).where(CorpusCluster.size > 1)
    )
    return {
        "documents": documents,
        "versions": session.scalar(select(func.count()).select_from(Version)) or 0,
        "clusters": clusters,
        "clusters_with_copies": shared or 0,
        "duplicate_documents": clustered - clusters,
        "unclustered_documents": documents - clustered,
        "sources": session.scalar(select(func.count(func.distinct(Document.source_id)))) or 0,
        "characters": int(characters),
        "official_documents": official,
        "documents_with_warnings": with_warnings,
        "warning_share": round(with_warnings / documents, 4) if documents else 0.0,
    }


def list_clusters(session: Session, min_size: int = 2) -> list[dict[str, Any]]:
    """Clusters of at least ``min_size`` documents, biggest first, with every member's URL."""
    canonical = select(Document.id, Document.url).subquery()
    clusters = session.execute(
        select(CorpusCluster.id, CorpusCluster.size, canonical.c.url)
        .outerjoin(canonical, canonical.c.id == CorpusCluster.canonical_document_id)
        .where(CorpusCluster.size >= min_size)
        .order_by(CorpusCluster.size.desc(), CorpusCluster.id)
    ).all()
    members: dict[int, list[str]] = {}
    if clusters:
        for cluster_id, url in session.execute(
            select(CorpusMember.cluster_id, Document.url)
            .join(Document, Document.id == CorpusMember.document_id)
            .where(CorpusMember.cluster_id.in_([c.id for c in clusters]))
            .order_by(Document.id)
        ):
            members.setdefault(cluster_id, []).append(url)
    return [
        {"cluster": c.id, "size": c.size, "canonical_url": c.url, "urls": members.get(c.id, [])}
        for c in clusters
    ]
