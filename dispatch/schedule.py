"""Crawls on a schedule: next runs, the scheduled crawl job and the scheduler's lifetime."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler

import scheduler
from config import Config, ConfigError, SourceConfig, load_config
from dispatch.base import AlreadyRunning, Dispatcher, UnknownSource
from dispatch.factory import dispatcher_for
from dispatch.pausing import paused_sources
from dispatch.process import config_path

log = logging.getLogger(__name__)

# The dispatcher of each running schedule in this process, by (config file, database), so
# that a scheduled crawl and one started from the web app never run side by side.
_active: dict[tuple[str, str], Dispatcher] = {}
_active_lock = threading.Lock()


def next_run(source: SourceConfig, now: datetime | None = None) -> datetime | None:
    """When the source's schedule fires next (the trigger its job has)."""
    return scheduler.crawl_trigger(source).get_next_fire_time(None, now or datetime.now(UTC))


def run_scheduled_crawl(config_file: str, db_key: str, name: str) -> int:
    """The scheduled job: crawl one source in a child process and wait for it to end.

    ``db_key`` names the database without its password (``scheduler.database_key``).
    Returns the crawl's exit status; 0 when it was skipped (paused, or already running).
    """
    from storage.db import open_database

    db_url = scheduler.database_url(db_key)
    db = open_database(db_url)  # the first job may run before anything made the schema
    try:
        if name in paused_sources(db):
            log.info("crawl %s: skipped, the source is paused", name)
            return 0
    finally:
        db.dispose()
    dispatcher = _dispatcher_for(config_file, db_url)
    if dispatcher is None:
        return 2
    try:
        crawl = dispatcher.start(name)
    except AlreadyRunning as exc:
        log.info("crawl %s: skipped, %s", name, exc)
        return 0
    except UnknownSource:
        log.error("crawl %s: no such source in %s", name, config_file)
        return 2
    if crawl.pid is None:
        log.info("crawl %s: queued for the cluster's workers (task %s)", name, crawl.ident)
        return 0
    status = dispatcher.wait(name)
    level = logging.INFO if status == 0 else logging.ERROR
    log.log(level, "crawl %s (pid %s): exit status %s", name, crawl.ident, status)
    return -1 if status is None else status


def _dispatcher_for(config_file: str, db_url: str) -> Dispatcher | None:
    with _active_lock:
        shared = _active.get((config_file, db_url))
    if shared is not None:
        return shared
    from storage.db import open_database
    from storage.sources import with_stored_sources

    try:
        config = load_config(config_file, db_url=db_url)
    except ConfigError as exc:
        log.error("crawl job: %s", exc)
        return None
    db = open_database(db_url)
    try:  # the sources added in the web app are crawled too
        return dispatcher_for(with_stored_sources(config, db))
    finally:
        db.dispose()


class Schedule:
    """The crawl schedule of one configuration, run in this process until ``stop``."""

    def __init__(self, config: Config, dispatcher: Dispatcher) -> None:
        self.config = config
        self.dispatcher = dispatcher
        self._key = (config_path(config), config.storage.url)
        self._scheduler: BackgroundScheduler | None = None

    def start(self) -> list[str]:
        """Start the scheduler with jobs matching the configuration; returns the job ids."""
        running = scheduler.build_scheduler(self.config)
        running.start(paused=True)
        ids = scheduler.sync_jobs(
            running, self.config, crawl_job=run_scheduled_crawl, config_path=self._key[0]
        )
        with _active_lock:
            _active[self._key] = self.dispatcher
        running.resume()
        self._scheduler = running
        for job in running.get_jobs():
            log.info("%s: next run %s", job.id, job.next_run_time)
        return ids

    def update(self, config: Config) -> None:
        """Jobs for a changed set of sources (added or deleted in the web app)."""
        self.config = config
        if hasattr(self.dispatcher, "config"):  # a dispatcher that starts crawls by name
            self.dispatcher.config = config
        if self._scheduler is not None:
            scheduler.sync_jobs(
                self._scheduler, config, crawl_job=run_scheduled_crawl, config_path=self._key[0]
            )

    def stop(self) -> None:
        """Stop the scheduler and its running crawls, within seconds.

        No new job starts; the crawls under way get SIGTERM and close their runs as
        interrupted (their jobs, waiting for them, then return).
        """
        if self._scheduler is None:
            return
        log.info("stopping scheduler")
        self._scheduler.shutdown(wait=False)
        self.dispatcher.stop_all()
        self._scheduler = None
        with _active_lock:
            if _active.get(self._key) is self.dispatcher:
                del _active[self._key]
