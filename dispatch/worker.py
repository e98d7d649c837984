"""A cluster worker (``govwatch worker``): takes crawl tasks and runs each as a child process.

The crawl runs in a child process, as on one machine: Scrapy's reactor cannot be restarted,
so a second crawl inside the worker would fail. The worker's pool is threads, one per
concurrent crawl: a task only starts and watches its child, and the child dies with the
worker (parent-death signal), so a killed worker leaves no crawl running unsupervised. The
task's message is acknowledged when the crawl has ended; a worker that dies before leaves it
to be redelivered. A crawl longer than ``crawl_time_limit`` is stopped (SIGTERM, then
SIGKILL): it stays below the broker's visibility timeout, so a live crawl is never handed
to a second worker.
"""

from __future__ import annotations

import logging
import socket
import subprocess
import threading
import time

from celery import Celery, Task
from celery.worker.control import control_command

from config import Config
from dispatch import metrics
from dispatch.celery_app import CRAWL_TASK, celery_app
from dispatch.cluster import STOP_COMMAND
from dispatch.pausing import paused_sources
from dispatch.process import config_path, start_crawl_process

log = logging.getLogger(__name__)
STOP_GRACE_SECONDS = 30.0
# A crawl that could not start (its database unreachable, no process to be had) is queued
# again this much later, this many times, instead of waiting for the next scheduled slot.
RETRY_SECONDS = 30
RETRIES = 10


class NotStarted(Exception):
    """The crawl's process was never started: nothing of it ran, so running it later is safe."""


class Children:
    """The crawl processes of this worker, by source, for the stop command."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_source: dict[str, subprocess.Popen[bytes]] = {}

    def add(self, name: str, child: subprocess.Popen[bytes]) -> None:
        with self._lock:
            self._by_source[name] = child

    def remove(self, name: str, child: subprocess.Popen[bytes]) -> None:
        with self._lock:
            if self._by_source.get(name) is child:
                del self._by_source[name]

    def terminate(self, name: str) -> bool:
        with self._lock:
            child = self._by_source.get(name)
        if child is None or child.poll() is not None:
            return False
        child.terminate()
        return True


CHILDREN = Children()


@control_command(args=[("name", str)], signature="<source>")
def govwatch_stop_crawl(state: object, name: str) -> dict[str, bool]:
    """Remote control: stop this worker's crawl of a source, if it runs one."""
    return {"stopped": CHILDREN.terminate(name)}


assert govwatch_stop_crawl.__name__ == STOP_COMMAND


def worker_app(config: Config) -> Celery:
    """The Celery app with the crawl task bound to this worker's configuration."""
    assert config.cluster is not None
    app = celery_app(config.cluster)
    config_file = config_path(config)
    time_limit = float(config.cluster.crawl_time_limit)

    # shared=False: the task belongs to this app (this configuration), not to every app made
    @app.task(name=CRAWL_TASK, bind=True, shared=False, max_retries=RETRIES,
              default_retry_delay=RETRY_SECONDS)
    def crawl(self: Task, name: str) -> int:
        try:
            return run_crawl(config, config_file, name, time_limit)
        except NotStarted as exc:
            log.warning("crawl %s: not started (%s); queued again in %d s",
                        name, exc, RETRY_SECONDS)
            raise self.retry(exc=exc) from exc

    return app


def run_crawl(config: Config, config_file: str, name: str, time_limit: float) -> int:
    """Crawl one source in a child process and wait for it; its exit status.

    Raises :class:`NotStarted` when the database cannot be read or no child can be started.
    """
    try:
        known, paused = _sources(config)
    except Exception as exc:  # noqa: BLE001 - whatever it was, no crawl has begun
        raise NotStarted(f"{type(exc).__name__}: {exc}") from exc
    if name not in known:
        log.error("crawl %s: no such source in %s or the database", name, config_file)
        metrics.WORKER_CRAWLS.labels(source=name, outcome="unknown").inc()
        return 2
    if name in paused:
        log.info("crawl %s: skipped, the source is paused", name)
        metrics.WORKER_CRAWLS.labels(source=name, outcome="paused").inc()
        return 0
    started = time.monotonic()
    # Started from this pool thread, which lives as long as the worker: the child gets
    # SIGTERM when the worker dies (dispatch.process).
    try:
        child = start_crawl_process(config_file, config.storage.url, name)
    except OSError as exc:
        raise NotStarted(f"no crawl process: {exc}") from exc
    log.info("crawl %s: started (pid %d)", name, child.pid)
    CHILDREN.add(name, child)
    try:
        with metrics.WORKER_RUNNING.track_inprogress():
            status = _wait(child, name, time_limit)
    finally:
        CHILDREN.remove(name, child)
    outcome = "finished" if status == 0 else "failed"
    metrics.WORKER_CRAWLS.labels(source=name, outcome=outcome).inc()
    metrics.WORKER_CRAWL_SECONDS.observe(time.monotonic() - started)
    log.log(logging.INFO if status == 0 else logging.ERROR,
            "crawl %s (pid %d): exit status %d", name, child.pid, status)
    return status


def run_worker(config: Config, *, concurrency: int, queues: list[str] | None,
               node_name: str | None, loglevel: str = "INFO") -> None:
    """Run a Celery worker in this process until it is stopped (SIGTERM: warm shutdown)."""
    assert config.cluster is not None
    app = worker_app(config)
    if config.cluster.metrics_port:
        metrics.serve(config, config.cluster.metrics_port)
    hostname = node_name or f"govwatch@{socket.gethostname()}"
    app.worker_main([
        "worker",
        "--pool=threads",
        f"--concurrency={concurrency}",
        f"--queues={','.join(queues or [config.cluster.queue])}",
        f"--hostname={hostname}",
        f"--loglevel={loglevel}",
    ])


def _wait(child: subprocess.Popen[bytes], name: str, time_limit: float) -> int:
    try:
        return child.wait(timeout=time_limit)
    except subprocess.TimeoutExpired:
        log.error("crawl %s: over the time limit of %.0f s; stopping it", name, time_limit)
    child.terminate()  # the crawl closes its run as interrupted
    try:
        return child.wait(timeout=STOP_GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        child.kill()
        return child.wait()


def _sources(config: Config) -> tuple[set[str], set[str]]:
    """The sources a crawl may name (the file's and the web app's) and the paused ones."""
    from storage.db import open_database
    from storage.sources import web_sources

    db = open_database(config.storage.url)
    try:
        with db.reader() as session:
            known = {s.name for s in config.sources} | {s.name for s in web_sources(session)}
        return known, set(paused_sources(db))
    finally:
        db.dispose()
