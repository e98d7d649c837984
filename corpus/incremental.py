"""Add one document (its newest version) to the clusters, with lookups rather than a rebuild.

A new text is fingerprinted (or its fingerprint copied from a member with the same
``sha256``: exact duplicates cost nothing), then its candidates are found in SQL: members
with the same content hash, and members sharing an LSH band key (an indexed lookup of 18
band keys in ``corpus_bands``). Candidates whose similarity reaches the
threshold are linked; their clusters merge into one, which the document joins. A document
whose text changed first leaves its cluster, and the members left behind are regrouped,
since it may have been the only link between them. The result is the same relation the
full rebuild computes (corpus/grouping.py).
"""

from __future__ import annotations

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from corpus import store
from corpus.fingerprint import Fingerprint, fingerprint
from corpus.grouping import group
from corpus.lsh import THRESHOLD, band_keys
from corpus.minhash import from_bytes, similarity, to_bytes
from storage.models import CorpusBand, CorpusCluster, CorpusMember, Version, utcnow


def add(session: Session, document_id: int, version_id: int) -> int:
    """Cluster a document on the given version; returns its cluster id."""
    existing = session.get(CorpusMember, document_id)
    if existing is not None:
        _leave(session, existing)
    version = session.execute(
        select(Version.sha256, Version.text_simplified, Version.official).where(
            Version.id == version_id
        )
    ).one()
    if version.official is None:  # stored before the flag existed
        store.decide_official(session, version_id)
    print_ = _known(session, version.sha256) or fingerprint(version.text_simplified)
    clusters = _linked_clusters(session, print_)
    cluster_id = _merge(session, clusters) if clusters else _new_cluster(session)
    session.execute(
        insert(CorpusMember).values(
            document_id=document_id,
            version_id=version_id,
            cluster_id=cluster_id,
            content_hash=print_.content_hash,
            signature=None if print_.signature is None else to_bytes(print_.signature),
        )
    )
    if print_.signature is not None:
        keys = band_keys(print_.signature)
        session.execute(
            insert(CorpusBand),
            [
                {"document_id": document_id, "band": band, "key": int(key)}
                for band, key in enumerate(keys)
            ],
        )
    store.refresh(session, cluster_id)
    return cluster_id


def _known(session: Session, sha256: str) -> Fingerprint | None:
    row = session.execute(
        select(CorpusMember.content_hash, CorpusMember.signature)
        .join(Version, Version.id == CorpusMember.version_id)
        .where(Version.sha256 == sha256)
        .limit(1)
    ).first()
    if row is None:
        return None
    return Fingerprint(
        row.content_hash, None if row.signature is None else from_bytes(row.signature)
    )


def _linked_clusters(session: Session, print_: Fingerprint) -> set[int]:
    found = set(
        session.scalars(
            select(CorpusMember.cluster_id).where(CorpusMember.content_hash == print_.content_hash)
        )
    )
    if print_.signature is None:
        return found
    keys = [int(key) for key in band_keys(print_.signature)]
    sharing = [
        document_id
        for document_id, band, key in session.execute(
            select(CorpusBand.document_id, CorpusBand.band, CorpusBand.key).where(
                CorpusBand.key.in_(keys)  # the (key, band) index; the band is checked here
            )
        )
        if keys[band] == key
    ]
    if not sharing:
        return found
    for cluster_id, data in session.execute(
        select(CorpusMember.cluster_id, CorpusMember.signature).where(
            CorpusMember.document_id.in_(sharing)
        )
    ):
        if cluster_id not in found and similarity(from_bytes(data), print_.signature) >= THRESHOLD:
            found.add(cluster_id)
    return found


def _new_cluster(session: Session) -> int:
    return session.execute(
        insert(CorpusCluster).values(size=0, updated_at=utcnow()).returning(CorpusCluster.id)
    ).scalar_one()


def _merge(session: Session, clusters: set[int]) -> int:
    """Fold the clusters into the biggest of them (fewest rows to move); returns its id."""
    sizes = session.execute(
        select(CorpusMember.cluster_id, func.count())
        .where(CorpusMember.cluster_id.in_(clusters))
        .group_by(CorpusMember.cluster_id)
    ).all()
    target = max(sizes, key=lambda row: (row[1], -row[0]))[0]
    others = clusters - {target}
    if others:
        session.execute(
            update(CorpusMember)
            .where(CorpusMember.cluster_id.in_(others))
            .values(cluster_id=target)
        )
        session.execute(delete(CorpusCluster).where(CorpusCluster.id.in_(others)))
    return target


def _leave(session: Session, member: CorpusMember) -> None:
    """Take a document out of its cluster; split what is left if it no longer hangs together."""
    cluster_id = member.cluster_id
    session.execute(delete(CorpusBand).where(CorpusBand.document_id == member.document_id))
    session.execute(delete(CorpusMember).where(CorpusMember.document_id == member.document_id))
    session.expunge(member)
    rows = session.execute(
        select(CorpusMember.document_id, CorpusMember.content_hash, CorpusMember.signature)
        .where(CorpusMember.cluster_id == cluster_id)
        .order_by(CorpusMember.document_id)
    ).all()
    labels = group(
        [row.content_hash for row in rows],
        [None if row.signature is None else from_bytes(row.signature) for row in rows],
    )
    parts: dict[int, list[int]] = {}
    for row, label in zip(rows, labels, strict=True):
        parts.setdefault(label, []).append(row.document_id)
    pieces = sorted(parts.values(), key=len, reverse=True)
    for piece in pieces[1:]:  # the biggest part keeps the cluster's id
        new_id = _new_cluster(session)
        session.execute(
            update(CorpusMember)
            .where(CorpusMember.document_id.in_(piece))
            .values(cluster_id=new_id)
        )
        store.refresh(session, new_id)
    store.refresh(session, cluster_id)
