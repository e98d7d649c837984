"""A token bucket per client address for failed authentication attempts.

Guessing a token (API bearer tokens, the login form) costs one token of the client's
bucket per wrong guess; an empty bucket answers 429 before the guess is even checked, so
a right guess in a flood is not told apart from a wrong one. Buckets refill steadily and
live in this process's memory: a restart forgives, and behind a reverse proxy every
client shares the proxy's address (one bucket for all, which fails safe).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

MAX_CLIENTS = 10_000  # buckets kept; full ones are dropped first when there are more


class AttemptLimiter:
    def __init__(
        self, per_minute: int, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.capacity = float(per_minute)
        self.refill_per_second = per_minute / 60.0
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # client -> (tokens, at)
        self._lock = threading.Lock()

    def retry_after(self, client: str) -> int:
        """Seconds until the client may try again; 0 when it may try now."""
        with self._lock:
            tokens = self._tokens(client)
        if tokens >= 1:
            return 0
        return max(1, math.ceil((1 - tokens) / self.refill_per_second))

    def failed(self, client: str) -> None:
        """Charge one wrong guess to the client."""
        with self._lock:
            tokens = self._tokens(client)
            self._buckets[client] = (max(tokens - 1, 0.0), self._clock())
            if len(self._buckets) > MAX_CLIENTS:
                self._forget_full()

    def _tokens(self, client: str) -> float:
        tokens, at = self._buckets.get(client, (self.capacity, self._clock()))
        return min(self.capacity, tokens + (self._clock() - at) * self.refill_per_second)

    def _forget_full(self) -> None:
        for client in [c for c in self._buckets if self._tokens(c) >= self.capacity]:
            del self._buckets[client]
        while len(self._buckets) > MAX_CLIENTS:  # still too many: the oldest go
            del self._buckets[min(self._buckets, key=lambda c: self._buckets[c][1])]
