"""Write actions shared by the HTML pages and the API: crawl now, pause, resume.

A crawl always runs as a child process (``govwatch crawl NAME``), never in the web process:
Scrapy's reactor cannot be restarted, and a crashed crawl must not take the server down.
"""

from __future__ import annotations

import logging
import subprocess
import threading
from pathlib import Path

from config import DEFAULT_PATH, Config
from scheduler import crawl_command
from storage.db import Database
from storage.runs import ensure_source

log = logging.getLogger(__name__)


class UnknownSource(LookupError):
    pass


class AlreadyRunning(RuntimeError):
    pass


class Crawls:
    """The crawls this process started, so that one source never runs twice from here."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._running: dict[str, subprocess.Popen[bytes]] = {}
        self._lock = threading.Lock()

    def start(self, name: str) -> int:
        """Start crawling a configured source now; returns the child's process id."""
        if name not in {s.name for s in self.config.sources}:
            raise UnknownSource(name)
        config_path = str(Path(self.config.path or DEFAULT_PATH).resolve())
        with self._lock:
            running = self._running.get(name)
            if running is not None and running.poll() is None:
                raise AlreadyRunning(f"a crawl of {name} started here is still running")
            child = subprocess.Popen(
                crawl_command(config_path, self.config.storage.url, name),
                stdin=subprocess.DEVNULL,
            )
            self._running[name] = child
        log.info("crawl %s: started from the web app (pid %d)", name, child.pid)
        # Reap the child when it ends, so that no zombie is left behind.
        threading.Thread(target=child.wait, name=f"reap-{name}", daemon=True).start()
        return child.pid

    def running(self) -> set[str]:
        with self._lock:
            return {name for name, child in self._running.items() if child.poll() is None}

    def wait_all(self, timeout: float) -> None:
        """Used on shutdown and by tests: let started crawls finish."""
        with self._lock:
            children = list(self._running.values())
        for child in children:
            try:
                child.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                log.warning("crawl (pid %d) still running at shutdown", child.pid)


def set_paused(config: Config, db: Database, name: str, paused: bool) -> None:
    if name not in {s.name for s in config.sources}:
        raise UnknownSource(name)
    with db.transaction() as session:
        ensure_source(session, name).paused = paused
