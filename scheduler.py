"""The service's clock: one APScheduler 3 scheduler, one job per source, jobs in the database.

What a crawl job does (start a crawl process, skip a paused source) belongs to
``dispatch``, which also starts and stops the scheduler: the job function is handed in.
Exactly one scheduler may use a job store (APScheduler 3 does not coordinate schedulers),
so ``govwatch serve`` is the only thing that starts one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.job import Job
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.engine import make_url

from config import Config, SourceConfig, load_config
from config.crontab import parse_crontab

log = logging.getLogger(__name__)

JOB_PREFIX = "crawl:"
ALERT_JOB = "alerts:deliver"
JOB_DEFAULTS = {
    "coalesce": True,  # a backlog of missed runs is one crawl, not many
    "max_instances": 1,  # never two crawls of one source at once
    "misfire_grace_time": 3600,  # a crawl late by less than an hour still runs
}


# Job arguments are pickled into the job store, a table of the database that whoever can
# read the database can read: they name the database by its URL with the password hidden,
# and a job finds the full URL here, registered by ``sync_jobs`` in the same process.
_databases: dict[str, str] = {}


def database_key(url: str) -> str:
    """What job arguments hold for a database (registered for ``database_url``)."""
    key = make_url(url).render_as_string(hide_password=True)
    _databases[key] = url
    return key


def database_url(key: str) -> str:
    """The full URL of a database named in job arguments."""
    return _databases.get(key, key)


def deliver_alerts(config_path: str, db_key: str) -> None:
    """The job that retries alerts which could not be sent yet."""
    from alerts import dispatch
    from storage.db import open_database
    from storage.runs import reap_dead_runs

    db_url = database_url(db_key)
    config = load_config(config_path, db_url=db_url)
    db = open_database(db_url, upgrade=False)
    try:
        # A killed crawl's events wait for its run to close; close it as soon as it is dead.
        reap_dead_runs(db)
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


def crawl_trigger(source: SourceConfig) -> CronTrigger:
    """When a source's crawl job fires: its crontab expression, in UTC."""
    return CronTrigger(**parse_crontab(source.schedule), timezone="UTC")


def sync_jobs(
    scheduler: BackgroundScheduler,
    config: Config,
    *,
    crawl_job: Callable[[str, str, str], object],
    config_path: str,
) -> list[str]:
    """Make the stored jobs match the configuration; returns the job ids it keeps.

    ``crawl_job(config_path, db_key, name)`` must be a module-level function: the job store
    keeps a reference to it by name. ``db_key`` is the database's ``database_key``.
    """
    db_key = database_key(config.storage.url)
    wanted: dict[str, tuple[Callable[..., object], object, tuple[str, ...]]] = {}
    for source in config.sources:
        wanted[JOB_PREFIX + source.name] = (
            crawl_job,
            crawl_trigger(source),
            (config_path, db_key, source.name),
        )
    wanted[ALERT_JOB] = (
        deliver_alerts,
        IntervalTrigger(minutes=1),
        (config_path, db_key),
    )
    existing = {job.id: job for job in scheduler.get_jobs()}
    for job_id, job in existing.items():
        if job_id not in wanted:
            log.info("removing job %s: no longer in the configuration", job_id)
            job.remove()
    for job_id, (func, trigger, args) in wanted.items():
        if _unchanged(existing.get(job_id), func, trigger, args):
            # Kept as stored: a slot that fell due while no scheduler ran (a dispatcher's
            # takeover, a restart) still runs once, which replacing the job would drop.
            continue
        scheduler.add_job(func, trigger, args=args, id=job_id, name=job_id, replace_existing=True)
    return sorted(wanted)


def _unchanged(job: Job | None, func: Callable[..., object], trigger: object,
               args: tuple[str, ...]) -> bool:
    return (
        job is not None
        and job.func is func
        and tuple(job.args) == tuple(args)
        and str(job.trigger) == str(trigger)
        and str(getattr(job.trigger, "timezone", "")) == str(getattr(trigger, "timezone", ""))
    )

