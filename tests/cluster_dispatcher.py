"""A dispatcher process for the tests: the real leader election over a one-second schedule.

``python tests/cluster_dispatcher.py DB_URL NAME`` competes for the lead with the other
dispatchers on DB_URL; while leading it runs an APScheduler job every second, stored in
the database like the crawl jobs, which records each firing in ``test_slots``.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from dispatch.leader import Leadership
from dispatch.leading import LeaderOnly
from govwatch.stop_signals import StopSignals
from scheduler import JOB_DEFAULTS

JOB_ID = "test:slot"
# Slots on whole seconds from a fixed start, so both dispatchers build the same trigger.
TRIGGER = IntervalTrigger(seconds=1, start_date=datetime(2026, 1, 1, tzinfo=UTC))


def record(db_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(db_url.replace("+psycopg", ""), autocommit=True) as connection:
        connection.execute("INSERT INTO test_slots (at, who) VALUES (%s, %s)",
                           (datetime.now(UTC), name))


def main(db_url: str, name: str) -> None:
    holder: dict[str, BackgroundScheduler] = {}

    def begin() -> None:
        running = BackgroundScheduler(jobstores={"default": SQLAlchemyJobStore(url=db_url)},
                                      job_defaults=JOB_DEFAULTS, timezone="UTC")
        running.start(paused=True)
        job = running.get_job(JOB_ID)
        if job is None or job.next_run_time is None:
            # A new job; an existing one is kept with its stored next run, as sync_jobs does.
            running.add_job(record, TRIGGER, args=(db_url, name), id=JOB_ID,
                            replace_existing=True,
                            next_run_time=datetime.now(UTC) + timedelta(seconds=1))
        else:
            job.modify(args=(db_url, name))
        running.resume()
        holder["scheduler"] = running
        print("leading", flush=True)

    def end() -> None:
        holder.pop("scheduler").shutdown(wait=False)

    lead = LeaderOnly(Leadership(db_url, name=name), begin, end, check_seconds=0.2)
    stop = StopSignals()
    lead.start()
    print("started", flush=True)
    stop.wait()
    lead.stop()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
