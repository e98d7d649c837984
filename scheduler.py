"""The service's clock: one APScheduler 3 scheduler, one job per source, jobs in the database.

Each crawl runs as its own process (``govwatch crawl NAME``): Scrapy's reactor cannot be
restarted, and a crashed crawl must not take the service down. Exactly one scheduler may
use a job store (APScheduler 3 does not coordinate schedulers), so ``govwatch serve`` is the
only thing that starts one.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from config import DEFAULT_PATH, Config, load_config
from config.crontab import parse_crontab

log = logging.getLogger(__name__)

JOB_PREFIX = "crawl:"
ALERT_JOB = "alerts:deliver"
JOB_DEFAULTS = {
    "coalesce": True,  # a backlog of missed runs is one crawl, not many
    "max_instances": 1,  # never two crawls of one source at once
    "misfire_grace_time": 3600,  # a crawl late by less than an hour still runs
}


def crawl_command(config_path: str, db_url: str, name: str) -> list[str]:
    """The command that crawls one source in a child process (the scheduler, the web app)."""
    return [
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


def crawl_source(config_path: str, db_url: str, name: str) -> int:
    """The job: crawl one source in a child process; returns its exit status."""
    if _is_paused(db_url, name):
        log.info("crawl %s: skipped, the source is paused", name)
        return 0
    command = crawl_command(config_path, db_url, name)
    log.info("crawl %s: starting", name)
    completed = subprocess.run(command, check=False)
    level = logging.INFO if completed.returncode == 0 else logging.ERROR
    log.log(level, "crawl %s: exit status %d", name, completed.returncode)
    return completed.returncode


def _is_paused(db_url: str, name: str) -> bool:
    from storage.db import open_database
    from storage.queries import paused_sources

    db = open_database(db_url)  # the first job may run before anything made the schema
    try:
        with db.reader() as session:
            return name in paused_sources(session)
    finally:
        db.dispose()


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

