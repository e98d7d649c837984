"""Account helpers of the web app: the login throttle and the audit record of a write."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from fastapi import HTTPException, Request

from storage.accounts import Principal, audit

ATTEMPTS = 5  # failed logins allowed per window, per client address and per user name
WINDOW_SECONDS = 300.0


class LoginThrottle:
    """Failed logins per key in a sliding window; over the limit, logins wait (429).

    Kept in memory: one web process serves a team, and a restart that forgets the count
    costs a guesser a restart, not a bypass.
    """

    def __init__(
        self,
        attempts: int = ATTEMPTS,
        window: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.attempts = attempts
        self.window = window
        self.clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def wait_seconds(self, keys: list[str]) -> int:
        """0 if a login may be tried now, else how long to wait."""
        now = self.clock()
        longest = 0.0
        with self._lock:
            for key in keys:
                failures = self._recent(key, now)
                if len(failures) >= self.attempts:
                    longest = max(longest, failures[0] + self.window - now)
        return int(longest) + 1 if longest > 0 else 0

    def failed(self, keys: list[str]) -> None:
        now = self.clock()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)

    def succeeded(self, keys: list[str]) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures.setdefault(key, deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures


def login_keys(request: Request, name: str | None) -> list[str]:
    client = request.client.host if request.client else "unknown"
    return [f"addr:{client}"] + ([f"name:{name.lower()}"] if name else [])


def throttle(request: Request, keys: list[str]) -> None:
    wait = request.app.state.login_throttle.wait_seconds(keys)
    if wait:
        raise HTTPException(
            429, f"too many failed logins: try again in {wait} s", {"Retry-After": str(wait)}
        )


def record(
    request: Request,
    who: Principal,
    action: str,
    target: str = "",
    detail: dict[str, Any] | None = None,
) -> None:
    """The audit entry of a write done through the web app or the API."""
    via = "api" if request.url.path.startswith("/api/") else "web"
    with request.app.state.db.transaction() as session:
        audit(session, who.name, via, action, target, detail)
