"""Locality-sensitive banding of signatures, and the rule that makes two documents copies.

Two documents are *linked* when their signatures agree on all ``ROWS`` values of at least
one of ``BANDS`` bands (the LSH candidate test) and their estimated Jaccard similarity is at
least ``THRESHOLD`` (the check). Clusters are the connected components of that relation;
the full rebuild and the incremental step apply this same rule, so they agree.

The threshold: on the seed reports, copies in the other script, with pinyin annotations,
stray commas, a spam line or a paragraph rewritten score 0.90 to 1.0; unrelated work
reports of one town and year, built from the same stock phrases, score at most 0.28. With
128 slots, 0.6 and (18 bands, 7 rows) is what datasketch's ``MinHashLSH`` picks for that
threshold (a test checks); a pair at 0.9 becomes a candidate with probability above
0.9999, a pair at 0.3 with probability 0.004.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from corpus.minhash import BINS

if TYPE_CHECKING:
    import numpy as np

THRESHOLD = 0.6
BANDS = 18
ROWS = 7
assert BANDS * ROWS <= BINS

_MIX = 0x9E3779B97F4A7C15


def band_keys(signatures: np.ndarray) -> np.ndarray:
    """int64 keys (non-negative, for SQL BIGINT) of each band: shape (n, BANDS), or (BANDS,)."""
    import numpy as np

    single = signatures.ndim == 1
    sigs = np.atleast_2d(signatures)[:, : BANDS * ROWS].astype(np.uint64)
    bands = sigs.reshape(sigs.shape[0], BANDS, ROWS)
    key = np.arange(1, BANDS + 1, dtype=np.uint64)[None, :].repeat(sigs.shape[0], axis=0)
    for row in range(ROWS):
        key = (key * np.uint64(_MIX)) ^ bands[:, :, row]
        key = key ^ (key >> np.uint64(29))
    keys = (key >> np.uint64(1)).astype(np.int64)
    return keys[0] if single else keys


def linked(sig_a: np.ndarray, sig_b: np.ndarray) -> bool:
    """The clustering rule: an LSH candidate pair whose similarity reaches the threshold."""
    import numpy as np

    from corpus.minhash import similarity

    if not np.any(band_keys(sig_a) == band_keys(sig_b)):
        return False
    return similarity(sig_a, sig_b) >= THRESHOLD
