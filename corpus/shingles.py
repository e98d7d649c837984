"""Normalised text and its character shingles, hashed to 64 bits, vectorised with numpy.

Copies of one report differ in script, punctuation, spacing, pinyin after characters and
stray commas; none of that should count. So the text is folded (NFKC, lower case), pinyin
annotations are dropped, and only CJK ideographs, letters and digits are kept before
cutting it into overlapping runs of ``K`` characters. Five characters are about two
Chinese words: short enough that a paragraph edit touches few shingles, long enough that
two reports built from the same stock phrases share few.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import TYPE_CHECKING

from extractor.rules import PINYIN_ANNOTATION

if TYPE_CHECKING:
    import numpy as np

K = 5
_DROP = re.compile(r"[^0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# splitmix64 finaliser constants: a cheap, well-mixed 64-bit hash of each shingle
_MIX1 = 0xBF58476D1CE4E5B9
_MIX2 = 0x94D049BB133111EB
_BASE = 0x100000001B3  # FNV prime, to combine the K code points


def normalise(text: str) -> str:
    """The comparable core of a (simplified-script) text: ideographs, letters and digits."""
    text = PINYIN_ANNOTATION.sub("", text)
    return _DROP.sub("", unicodedata.normalize("NFKC", text).lower())


def content_hash(normalised: str) -> str:
    """Equal for copies that differ only in what ``normalise`` drops."""
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def shingle_hashes(normalised: str, k: int = K) -> np.ndarray:
    """uint64 hashes of every k-character run (the whole text when shorter than k)."""
    import numpy as np

    points = np.frombuffer(normalised.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if points.size == 0:
        return np.empty(0, dtype=np.uint64)
    width = min(k, points.size)
    count = points.size - width + 1
    combined = np.zeros(count, dtype=np.uint64)
    base = np.uint64(_BASE)
    for offset in range(width):  # polynomial hash; uint64 arithmetic wraps, as intended
        combined = combined * base + points[offset : offset + count]
    return _mix(combined)


def _mix(x: np.ndarray) -> np.ndarray:
    import numpy as np

    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(_MIX1)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(_MIX2)
    return x ^ (x >> np.uint64(31))
