"""One dispatcher leads: with two running, every slot fires exactly once, across a kill -9.

Each dispatcher is a process running the real leader election (dispatch/leader.py and
dispatch/leading.py) over an APScheduler job stored in PostgreSQL, like the crawl jobs,
firing every second.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest
from cluster_support import fresh_schema
from conftest import REPO, _child_env


def _dispatcher(db_url: str, name: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(REPO / "tests" / "cluster_dispatcher.py"), db_url, name],
        cwd=REPO / "tests", env=_child_env(), stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True,
    )


def _slots(db_url: str) -> list[tuple[float, str]]:
    import psycopg

    with psycopg.connect(db_url.replace("+psycopg", ""), autocommit=True) as connection:
        rows = connection.execute("SELECT at, who FROM test_slots ORDER BY at").fetchall()
    return [(at.timestamp(), who) for at, who in rows]


def _wait(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def pg(postgres_url):
    import psycopg

    url = fresh_schema(postgres_url)
    with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as connection:
        connection.execute("CREATE TABLE test_slots (at timestamptz, who text)")
    return url


def test_a_standby_takes_over_and_every_slot_fires_once(pg):
    from dispatch.leader import current_leader

    first = _dispatcher(pg, "first")
    _wait(lambda: current_leader(pg) == "first", 30, "the first dispatcher to lead")
    second = _dispatcher(pg, "second")
    try:
        _wait(lambda: len(_slots(pg)) >= 4, 30, "slots fired by the leader")
        assert {who for _, who in _slots(pg)} == {"first"}  # the standby never fires
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        killed_at = time.time()
        _wait(lambda: current_leader(pg) == "second", 10, "the standby to take over")
        took_over = time.time() - killed_at
        _wait(lambda: sum(who == "second" for _, who in _slots(pg)) >= 4, 30,
              "slots fired by the new leader")
    finally:
        second.terminate()
        second.wait(20)
        if first.poll() is None:
            first.kill()
    slots = _slots(pg)
    times = [at for at, _ in slots]
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    # Once each: no two firings of one slot (they would be a fraction of a second apart) ...
    assert min(gaps) > 0.5, gaps
    # ... and none missed, the one due during the takeover included.
    assert len(slots) == round(times[-1] - times[0]) + 1, gaps
    assert took_over < 5


def test_taking_over_keeps_unchanged_jobs_so_a_missed_slot_still_fires(tmp_path):
    from datetime import UTC, datetime, timedelta

    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore

    import scheduler
    from config import Config
    from dispatch import run_scheduled_crawl

    def config(schedule: str) -> Config:
        return Config.model_validate({
            "storage": {"url": f"sqlite:///{tmp_path / 'jobs.db'}"},
            "sources": [{"name": "s1", "start_urls": ["http://127.0.0.1:9/"],
                         "schedule": schedule}],
        })

    def sync(chosen: Config) -> datetime:
        running = scheduler.build_scheduler(chosen)
        running.start(paused=True)
        try:
            scheduler.sync_jobs(running, chosen, crawl_job=run_scheduled_crawl,
                                config_path="/etc/govwatch.toml")
            return running.get_job("crawl:s1").next_run_time
        finally:
            running.shutdown(wait=False)

    sync(config("0 */6 * * *"))
    # The slot fell due while no dispatcher led.
    missed = datetime.now(UTC) - timedelta(minutes=3)
    store = SQLAlchemyJobStore(url=f"sqlite:///{tmp_path / 'jobs.db'}")
    store.start(None, "default")
    job = store.lookup_job("crawl:s1")
    job.next_run_time = missed
    store.update_job(job)
    store.shutdown()

    assert sync(config("0 */6 * * *")) == missed  # kept: it fires once on resume
    assert sync(config("30 */6 * * *")) > datetime.now(UTC)  # a changed schedule replaces it
