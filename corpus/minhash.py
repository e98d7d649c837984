"""MinHash signatures by one-permutation hashing: one hash per shingle, not one per slot.

Classic MinHash applies 128 hash functions to every shingle; a 10,000-character report
has about 10,000 shingles, so that is 1.3 million hash evaluations per document, and
datasketch's ``MinHash.update`` does them one shingle at a time in Python. One-permutation
hashing (Li, Owen and Zhang, 2012) hashes each shingle once, uses its top 7 bits to pick
one of 128 bins and keeps the smallest value per bin; empty bins (short texts only) are
filled from the next non-empty bin with an offset (rotation densification, Shrivastava and
Li, 2014). The share of equal bins estimates the Jaccard similarity of the shingle sets,
as with classic MinHash, at a cost linear in the text. Values are the next 32 bits of the
hash, so a signature is 512 bytes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

BINS = 128
_BIN_SHIFT = 64 - 7  # log2(BINS) top bits choose the bin
_VALUE_SHIFT = _BIN_SHIFT - 32
_ROTATION = 0x9E3779B1  # odd offset per bin of distance when densifying


def signature(hashes: np.ndarray) -> np.ndarray | None:
    """The BINS uint32 minima of the shingle hashes, or None for a text with no shingles."""
    import numpy as np

    if hashes.size == 0:
        return None
    bins = (hashes >> np.uint64(_BIN_SHIFT)).astype(np.intp)
    values = ((hashes >> np.uint64(_VALUE_SHIFT)) & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    sig = np.full(BINS, 0xFFFFFFFF, dtype=np.uint32)
    np.minimum.at(sig, bins, values)
    filled = np.bincount(bins, minlength=BINS) > 0
    if not filled.all():
        sig = _densify(sig, filled)
    return sig


def _densify(sig: np.ndarray, filled: np.ndarray) -> np.ndarray:
    import numpy as np

    present = np.flatnonzero(filled)
    empty = np.flatnonzero(~filled)
    nearest = np.searchsorted(present, empty) % present.size  # next filled bin, circularly
    distance = (present[nearest] - empty) % BINS
    out = sig.copy()
    offset = (distance.astype(np.uint64) * np.uint64(_ROTATION)) & np.uint64(0xFFFFFFFF)
    out[empty] = (sig[present[nearest]].astype(np.uint64) + offset) & np.uint64(0xFFFFFFFF)
    return out


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the two shingle sets."""
    import numpy as np

    return float(np.count_nonzero(a == b)) / BINS


def to_bytes(sig: np.ndarray) -> bytes:
    return sig.astype("<u4").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    import numpy as np

    return np.frombuffer(data, dtype="<u4").astype(np.uint32)
