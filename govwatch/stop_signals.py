"""Waiting in the main thread of a long-running command until SIGTERM or Ctrl-C.

Python runs signal handlers in the main thread, between bytecodes. A main thread blocked in
``threading.Event.wait()`` without a timeout runs them only if the kernel happens to deliver
the signal to that thread; delivered to any other thread (APScheduler's, a thread pool's),
the handler waits forever, and so does the process (seen: a scheduler ignoring SIGTERM).
So the main thread sleeps in short steps, and the handlers only record the signal.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Iterable

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
POLL_SECONDS = 0.2  # how soon after a signal wait() returns


class StopSignals:
    """Installed on creation, so that a signal arriving during start-up is kept, not fatal."""

    def __init__(self, signums: Iterable[int] = STOP_SIGNALS) -> None:
        self.received: list[int] = []
        for signum in signums:
            signal.signal(signum, self._record)

    def _record(self, signum: int, _frame: object) -> None:
        self.received.append(signum)

    def wait(self) -> int:
        """Block until one of the signals has arrived; return the first."""
        while not self.received:
            time.sleep(POLL_SECONDS)
        return self.received[0]
