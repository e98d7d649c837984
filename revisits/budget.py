"""Spending a run's revisit budget: the due documents worth most, first."""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from datetime import datetime
from typing import TypeVar

from revisits.policy import Policy, RevisitState, expected_value

Key = TypeVar("Key")


def choose(candidates: Iterable[tuple[Key, RevisitState]], now: datetime, budget: int | None,
           policy: Policy) -> list[Key]:
    """The keys to revisit, best first: at most ``budget`` (None: every candidate)."""
    scored = ((expected_value(state, now, policy), index, key)
              for index, (key, state) in enumerate(candidates))
    if budget is None:
        best = sorted(scored, key=lambda item: (-item[0], item[1]))
    else:
        best = heapq.nsmallest(max(budget, 0), scored, key=lambda item: (-item[0], item[1]))
    return [key for _, _, key in best]
