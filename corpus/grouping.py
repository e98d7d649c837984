"""Connected components of the "copies" relation over fingerprints held in memory.

Used by the full rebuild (all documents), by the incremental step when a document leaves
its cluster (the members left behind may fall apart), and by the benchmark. Exact copies
(equal content hashes) are joined first, at no cost; only one document per content hash
takes part in the banded search, where each bucket of documents sharing a band key is
checked pairwise with the similarity threshold (corpus/lsh.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from corpus.lsh import BANDS, THRESHOLD, band_keys
from corpus.minhash import BINS

if TYPE_CHECKING:
    import numpy as np


class UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))
        self.size = [1] * size

    def find(self, item: int) -> int:
        parent = self.parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]  # path halving keeps trees flat
            item = parent[item]
        return item

    def union(self, a: int, b: int) -> None:
        a, b = self.find(a), self.find(b)
        if a == b:
            return
        if self.size[a] < self.size[b]:
            a, b = b, a
        self.parent[b] = a
        self.size[a] += self.size[b]


def group(content_hashes: Sequence[str], signatures: Sequence[np.ndarray | None]) -> list[int]:
    """For each item, the index of its component's representative (equal labels: one cluster)."""
    import numpy as np

    sets = UnionFind(len(content_hashes))
    first: dict[str, int] = {}
    searched: list[int] = []  # one item per distinct content hash, with a signature
    for index, digest in enumerate(content_hashes):
        earlier = first.setdefault(digest, index)
        if earlier != index:
            sets.union(index, earlier)
        elif signatures[index] is not None:
            searched.append(index)
    if len(searched) > 1:
        matrix = np.stack([signatures[i] for i in searched])
        _link_banded(sets, matrix, np.asarray(searched))
    return [sets.find(i) for i in range(len(content_hashes))]


def _link_banded(sets: UnionFind, matrix: np.ndarray, items: np.ndarray) -> None:
    import numpy as np

    keys = band_keys(matrix)
    for band in range(BANDS):
        order = np.argsort(keys[:, band], kind="stable")
        column = keys[order, band]
        cuts = np.flatnonzero(np.diff(column)) + 1
        starts = np.concatenate(([0], cuts))
        ends = np.concatenate((cuts, [column.size]))
        for start, end in zip(starts[ends - starts > 1], ends[ends - starts > 1], strict=True):
            _link_bucket(sets, matrix, items, order[start:end])


def _link_bucket(
    sets: UnionFind, matrix: np.ndarray, items: np.ndarray, bucket: np.ndarray
) -> None:
    import numpy as np

    rows = matrix[bucket]
    for position in range(bucket.size - 1):
        agree = np.count_nonzero(rows[position + 1 :] == rows[position], axis=1)
        for other in np.flatnonzero(agree >= THRESHOLD * BINS):
            sets.union(int(items[bucket[position]]), int(items[bucket[position + 1 + other]]))
