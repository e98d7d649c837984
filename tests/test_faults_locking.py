"""One crawl per source at a time, and runs that end truthfully (issue items 5 and 10).

The crawl lock is held by the crawl process for the life of its run and dropped by the
database when the process dies, however it dies.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from storage.db import open_database
from storage.locks import SourceBusy
from storage.queries import list_runs
from storage.runs import lock_source, reap_dead_runs

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# A stand-in crawl process: takes the lock, opens a run, counts one new document, waits.
HOLDER = """
import sys, time
from storage.db import open_database
from storage.runs import count, lock_source, start_run
db = open_database(sys.argv[1], upgrade=False)
lock = lock_source(db, "changan")
run = start_run(db, "changan")
with db.transaction() as session:
    count(session, run.run_id, "new")
print(run.run_id, flush=True)
time.sleep(120)
"""


def _holder(db_url: str) -> tuple[subprocess.Popen[str], int]:
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, db_url],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": REPO},
    )
    line = child.stdout.readline()  # type: ignore[union-attr]
    assert line.strip().isdigit(), f"holder failed: {line!r}"
    return child, int(line)


def _kill(child: subprocess.Popen[str]) -> None:
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)


def _run(db, run_id: int) -> dict:
    from storage.models import CrawlRun
    from storage.queries import run_record

    with db.reader() as session:
        return run_record(session.get_one(CrawlRun, run_id))


def _eventually(predicate, timeout: float = 5.0) -> bool:
    # PostgreSQL ends a dead client's session when it sees the socket close: a moment.
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def test_lock_is_exclusive_and_dies_with_its_process(db_url):
    db = open_database(db_url)
    child, run_id = _holder(db_url)
    try:
        with pytest.raises(SourceBusy, match="changan"):
            lock_source(db, "changan")
        # The run's process is alive: looking at runs leaves it running.
        assert reap_dead_runs(db) == 0
        assert _run(db, run_id)["status"] == "running"
    finally:
        _kill(child)
    # kill -9: nothing in the process closed anything; the database dropped the lock.
    assert _eventually(lambda: reap_dead_runs(db) == 1)
    run = _run(db, run_id)
    assert run["status"] == "interrupted"
    assert run["new"] == 1  # counters committed during the run are kept
    assert run["finished_at"] is not None
    with lock_source(db, "changan"), pytest.raises(SourceBusy):
        lock_source(db, "changan")  # exclusive within one process as well
    lock_source(db, "changan").release()
    db.dispose()


def test_crawl_refuses_while_another_runs(portal, cli_factory, db_url):
    cli = cli_factory(db_url, start_urls=[portal.listing_url])
    db = open_database(db_url)
    child, run_id = _holder(db_url)
    try:
        result = cli.run("crawl", "--quiet", "changan", check=False)
    finally:
        _kill(child)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines == ["govwatch: a crawl of changan is already running; not starting another"]
    assert "Traceback" not in result.stdout + result.stderr
    with db.reader() as session:
        assert [run["id"] for run in list_runs(session)] == [run_id]  # no second run
    db.dispose()


def test_sigterm_interrupts_the_run_and_keeps_its_counters(portal, cli_factory, db_url):
    cli = cli_factory(db_url, start_urls=[portal.listing_url], timeout=20.0)
    db = open_database(db_url)
    portal.timeout_sleep = 15.0
    for article in portal.articles[-4:]:
        portal.fail(article.id, "timeout")  # keeps the crawl busy
    command = [sys.executable, "-m", "govwatch", "--config", str(cli.config_path)]
    child = subprocess.Popen(
        [*command, "--db", db_url, "crawl", "--quiet", "changan"],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": REPO},
    )

    def busy() -> bool:
        with db.reader() as session:
            runs = list_runs(session)
        return len(runs) == 1 and runs[0]["new"] >= 5

    assert _eventually(busy, timeout=60)
    started = time.monotonic()
    child.send_signal(signal.SIGTERM)
    _out, err = child.communicate(timeout=30)
    assert time.monotonic() - started < 10
    assert child.returncode == 1
    assert "Traceback" not in err
    with db.reader() as session:
        run = list_runs(session)[0]
    assert run["status"] == "interrupted"
    assert run["finish_reason"] == "shutdown"
    assert run["new"] >= 5 and run["pages"] >= 5
    assert f"govwatch: crawl of changan interrupted (shutdown, run {run['id']})" in err
    db.dispose()
