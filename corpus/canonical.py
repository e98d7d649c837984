"""Which copy stands for a cluster: the official one, then the earliest published, then the
cleanest (fewest extraction warnings); the oldest document breaks remaining ties."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    document_id: int
    official: bool
    published_at: str | None  # ISO 8601; date-only and date-time strings compare correctly
    warnings: int

    def rank(self) -> tuple[bool, bool, str, int, int]:
        return (
            not self.official,
            self.published_at is None,
            self.published_at or "",
            self.warnings,
            self.document_id,
        )


def choose(candidates: Iterable[Candidate]) -> Candidate:
    return min(candidates, key=Candidate.rank)
