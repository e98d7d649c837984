"""What clustering knows of a text: a hash of its normalised form and its MinHash signature."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from corpus.minhash import signature
from corpus.shingles import content_hash, normalise, shingle_hashes

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class Fingerprint:
    content_hash: str  # equal for copies that differ only in script-neutral noise
    signature: np.ndarray | None  # None for a text with no letters, digits or ideographs


def fingerprint(text_simplified: str) -> Fingerprint:
    normalised = normalise(text_simplified)
    return Fingerprint(content_hash(normalised), signature(shingle_hashes(normalised)))
