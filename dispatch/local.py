"""Crawls as child processes of this process: the embedded, single-machine dispatcher."""

from __future__ import annotations

import logging
import subprocess
import threading
from datetime import UTC, datetime

from config import Config
from dispatch.base import AlreadyRunning, Crawl, UnknownSource
from dispatch.process import config_path, start_crawl_process

log = logging.getLogger(__name__)


class LocalDispatcher:
    """Starts each crawl as a child process and tracks the children it started.

    One crawl per source at a time from here. Crawls started by other processes (another
    ``govwatch serve``, a ``govwatch crawl`` in a shell) are not children of this one: the
    check that covers them belongs in ``_refuse_if_running``, next to the local one.
    """

    def __init__(self, config: Config) -> None:
        self.config = config
        self.config_file = config_path(config)
        self._children: dict[str, subprocess.Popen[bytes]] = {}
        self._lock = threading.Lock()

    def start(self, name: str) -> Crawl:
        if name not in {s.name for s in self.config.sources}:
            raise UnknownSource(name)
        with self._lock:
            self._refuse_if_running(name)
            child = start_crawl_process(self.config_file, self.config.storage.url, name)
            self._children[name] = child
        log.info("crawl %s: started (pid %d)", name, child.pid)
        # Reap the child when it ends, so that no zombie is left behind.
        threading.Thread(target=child.wait, name=f"reap-{name}", daemon=True).start()
        return Crawl(source=name, started_at=datetime.now(UTC), ident=str(child.pid), pid=child.pid)

    def running(self) -> set[str]:
        with self._lock:
            return {name for name, child in self._children.items() if child.poll() is None}

    def stop(self, name: str, timeout: float = 10.0) -> bool:
        """SIGTERM (Scrapy then closes the run as interrupted), SIGKILL after the timeout."""
        with self._lock:
            child = self._children.get(name)
        if child is None or child.poll() is not None:
            return False
        child.terminate()
        try:
            child.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            log.warning("crawl %s (pid %d) ignored SIGTERM; killing it", name, child.pid)
            child.kill()
            child.wait()
        return True

    def wait(self, name: str, timeout: float | None = None) -> int | None:
        with self._lock:
            child = self._children.get(name)
        if child is None:
            return None
        try:
            return child.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def wait_all(self, timeout: float) -> None:
        """On shutdown and in tests: let started crawls finish."""
        with self._lock:
            children = list(self._children.items())
        for name, child in children:
            try:
                child.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                log.warning("crawl %s (pid %d) still running at shutdown", name, child.pid)

    def _refuse_if_running(self, name: str) -> None:
        """Raise AlreadyRunning when a crawl of the source is under way (caller holds _lock)."""
        child = self._children.get(name)
        if child is not None and child.poll() is None:
            raise AlreadyRunning(f"a crawl of {name} is still running (pid {child.pid})")
