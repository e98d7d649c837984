"""The interface every way of running crawls offers: start, list, stop."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable


class UnknownSource(LookupError):
    """No source of that name in the configuration."""


class AlreadyRunning(RuntimeError):
    """A crawl of the source is running already."""


@dataclass(frozen=True)
class Crawl:
    """A crawl that was started: which source, when, and how to find it again."""

    source: str
    started_at: datetime
    # The child's process id for local crawls; a task id for a distributed dispatcher.
    ident: str
    pid: int | None = None


@runtime_checkable
class Dispatcher(Protocol):
    """Starts crawls of configured sources and knows which are running.

    ``start`` returns at once; the crawl runs elsewhere (a child process, a worker).
    """

    def start(self, name: str) -> Crawl:
        """Start crawling a source now; UnknownSource, AlreadyRunning otherwise."""
        ...

    def running(self) -> set[str]:
        """The sources with a crawl running that this dispatcher started."""
        ...

    def stop(self, name: str, timeout: float = 10.0) -> bool:
        """Stop the running crawl of a source; False when none was running."""
        ...

    def stop_all(self, timeout: float = 8.0) -> None:
        """On shutdown: stop every running crawl, cleanly (their runs end interrupted)."""
        ...

    def wait(self, name: str, timeout: float | None = None) -> int | None:
        """Wait for the crawl of a source to end; its exit status, None if still running."""
        ...
