"""The service's clock: one APScheduler 3 scheduler, one job per source, jobs in the database.

Each crawl runs as its own process (``govwatch crawl NAME``): Scrapy's reactor cannot be
restarted, and a crashed crawl must not take the service down. Exactly one scheduler may
use a job store (APScheduler 3 does not coordinate schedulers), so ``govwatch serve`` is the
only thing that starts one.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from govwatch.config import DEFAULT_PATH, Config, load_config
from govwatch.crontab import parse_crontab

log = logging.getLogger(__name__)

JOB_PREFIX = "crawl:"
ALERT_JOB = "alerts:deliver"
JOB_DEFAULTS = {
    "coalesce": True,  # a backlog of missed runs is one crawl, not many
    "max_instances": 1,  # never two crawls of one source at once
    "misfire_grace_time": 3600,  # a crawl late by less than an hour still runs
}


def crawl_source(config_path: str, db_url: str, name: str) -> int:
    """The job: crawl one source in a child process; returns its exit status."""
    command = [
        sys.executable,
        "-m",
        "govwatch",
        "--config",
        config_path,
        "--db",
        db_url,
        "crawl",
        "--quiet",
        name,
    ]
    log.info("crawl %s: starting", name)
    completed = subprocess.run(command, check=False)
    level = logging.INFO if completed.returncode == 0 else logging.ERROR
    log.log(level, "crawl %s: exit status %d", name, completed.returncode)
    return completed.returncode


def deliver_alerts(config_path: str, db_url: str) -> None:
    """The job that retries alerts which could not be sent yet."""
    from alerts import dispatch
    from storage.db import open_database

    config = load_config(config_path, db_url=db_url)
    db = open_database(db_url, upgrade=False)
    try:
        dispatch(db, config)
    finally:
        db.dispose()


def build_scheduler(config: Config) -> BackgroundScheduler:
    """A scheduler whose jobs match the configuration: one per source, plus alert retries."""
    return BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(url=config.storage.url)},
        executors={"default": ThreadPoolExecutor(max_workers=4)},
        job_defaults=JOB_DEFAULTS,
        timezone="UTC",
    )


def sync_jobs(scheduler: BackgroundScheduler, config: Config) -> list[str]:
    """Make the stored jobs match the configuration; returns the job ids it keeps."""
    config_path = str(Path(config.path or DEFAULT_PATH).resolve())
    wanted: dict[str, tuple[Callable[..., object], object, tuple[str, ...]]] = {}
    for source in config.sources:
        trigger = CronTrigger(**parse_crontab(source.schedule), timezone="UTC")
        wanted[JOB_PREFIX + source.name] = (
            crawl_source,
            trigger,
            (config_path, config.storage.url, source.name),
        )
    wanted[ALERT_JOB] = (
        deliver_alerts,
        IntervalTrigger(minutes=1),
        (config_path, config.storage.url),
    )
    for job in scheduler.get_jobs():
        if job.id not in wanted:
            log.info("removing job %s: no longer in the configuration", job.id)
            job.remove()
    for job_id, (func, trigger, args) in wanted.items():
        scheduler.add_job(func, trigger, args=args, id=job_id, name=job_id, replace_existing=True)
    return sorted(wanted)


def run_forever(
    config: Config, *, on_started: Callable[[BackgroundScheduler], None] | None = None
) -> None:
    """Run the scheduler until SIGTERM or SIGINT; running crawls finish their current page."""
    scheduler = build_scheduler(config)
    scheduler.start(paused=True)
    sync_jobs(scheduler, config)
    scheduler.resume()
    stopping: list[int] = []

    def stop(signum: int, _frame: object) -> None:
        stopping.append(signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        if on_started is not None:
            on_started(scheduler)
        while not stopping:
            signal.pause()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        log.info("stopping scheduler")
        scheduler.shutdown(wait=True)
