"""Crawls as child processes of this process: the embedded, single-machine dispatcher."""

from __future__ import annotations

import logging
import queue
import subprocess
import threading
import time
from datetime import UTC, datetime

from sqlalchemy.exc import SQLAlchemyError

from config import Config
from dispatch.base import AlreadyRunning, Crawl, UnknownSource
from dispatch.process import config_path, start_crawl_process
from storage.db import Database
from storage.runs import source_being_crawled

log = logging.getLogger(__name__)


class LocalDispatcher:
    """Starts each crawl as a child process and tracks the children it started.

    One crawl per source at a time: a child of this process still running, or the crawl
    lock of the source held by any process on any machine (``storage.locks``), refuses a
    start. The lock is what guarantees it (a crawl that starts anyway exits at once); the
    check here lets "crawl now" answer 409 instead of starting a process that would.

    Each child is started and awaited by a thread of its own, which lives exactly as long as
    the child: Linux signals a child whose parent *thread* ends (``die_with_parent``).
    """

    def __init__(self, config: Config) -> None:
        self.config = config
        self.config_file = config_path(config)
        self._children: dict[str, subprocess.Popen[bytes]] = {}
        self._lock = threading.Lock()
        self._db: Database | None = None

    def start(self, name: str) -> Crawl:
        if name not in {s.name for s in self.config.sources}:
            raise UnknownSource(name)
        with self._lock:
            self._refuse_if_running(name)
            child = self._spawn(name)
            self._children[name] = child
        log.info("crawl %s: started (pid %d)", name, child.pid)
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

    def stop_all(self, timeout: float = 8.0) -> None:
        """On shutdown: SIGTERM every running crawl at once, SIGKILL what outlives timeout."""
        with self._lock:
            children = [(n, c) for n, c in self._children.items() if c.poll() is None]
        for name, child in children:
            log.info("crawl %s (pid %d): stopping", name, child.pid)
            child.terminate()
        deadline = time.monotonic() + timeout
        for name, child in children:
            try:
                child.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.warning("crawl %s (pid %d) ignored SIGTERM; killing it", name, child.pid)
                child.kill()
                child.wait()

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
        if self._database_says_running(name):
            raise AlreadyRunning(f"a crawl of {name} is running in another process")

    def _database_says_running(self, name: str) -> bool:
        if self._db is None:
            self._db = Database(self.config.storage.url)
        try:
            return source_being_crawled(self._db, name)
        except SQLAlchemyError:
            return False  # no schema yet, or the database is away: the crawl will tell

    def _spawn(self, name: str) -> subprocess.Popen[bytes]:
        """Start the child from a thread that then waits for it (and reaps it)."""
        started: queue.Queue[subprocess.Popen[bytes] | BaseException] = queue.Queue(1)

        def run() -> None:
            try:
                child = start_crawl_process(self.config_file, self.config.storage.url, name)
            except BaseException as exc:  # noqa: BLE001 - handed to the caller
                started.put(exc)
                return
            started.put(child)
            child.wait()

        threading.Thread(target=run, name=f"crawl-{name}", daemon=True).start()
        result = started.get()
        if isinstance(result, BaseException):
            raise result
        return result
