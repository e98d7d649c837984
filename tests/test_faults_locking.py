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


def test_crawl_now_answers_409_while_another_process_crawls(db_url):
    from fastapi.testclient import TestClient
    from web_corpus import web_config

    from config import StorageConfig
    from web.app import create_app

    db = open_database(db_url)
    config = web_config().model_copy(update={"storage": StorageConfig(url=db_url)})
    child, _run_id = _holder(db_url)
    try:
        with TestClient(create_app(config, db)) as client:
            response = client.post(
                "/api/sources/changan/crawl", headers={"Authorization": "Bearer write-token-123"}
            )
            assert response.status_code == 409, response.text
            assert "running in another process" in response.json()["detail"]
            [source] = client.get("/api/sources").json()
            assert source["health"] == "running"
    finally:
        _kill(child)
    db.dispose()


def _gone(pid: int) -> bool:
    # An orphan is reaped by whatever adopted it, or lingers as a zombie: both are dead.
    try:
        with open(f"/proc/{pid}/status") as status:
            return any(line.startswith("State:\tZ") for line in status)
    except FileNotFoundError:
        return True


PARENT = """
import sys, time
from config import load_config
from dispatch import LocalDispatcher
crawl = LocalDispatcher(load_config(sys.argv[1], db_url=sys.argv[2])).start("changan")
print(crawl.pid, flush=True)
time.sleep(300)
"""


def _slow_portal_config(portal, cli_factory, sqlite_url):
    portal.timeout_sleep = 30.0
    for article in portal.articles[-4:]:
        portal.fail(article.id, "timeout")
    cli = cli_factory(sqlite_url, start_urls=[portal.listing_url], timeout=60.0)
    with cli.config_path.open("a") as config:
        config.write('\n[web]\ntoken = "write-token-123"\n')
    return cli


def _crawling(db) -> bool:
    with db.reader() as session:
        runs = list_runs(session)
    return bool(runs) and runs[0]["status"] == "running" and runs[0]["new"] >= 3


def test_crawl_child_dies_with_its_parent(portal, cli_factory, sqlite_url):
    cli = _slow_portal_config(portal, cli_factory, sqlite_url)
    db = open_database(sqlite_url)
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, str(cli.config_path), sqlite_url],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": REPO},
    )
    crawl_pid = int(parent.stdout.readline())  # type: ignore[union-attr]
    try:
        assert _eventually(lambda: _crawling(db), timeout=60)
    finally:
        _kill(parent)  # kill -9: the parent cannot stop anything itself
    assert _eventually(lambda: _gone(crawl_pid), timeout=15)
    with db.reader() as session:
        run = list_runs(session)[0]
    assert run["status"] == "interrupted" and run["finish_reason"] == "shutdown"
    assert run["new"] >= 3
    db.dispose()


def test_serve_stops_its_crawls_within_seconds_on_sigterm(portal, cli_factory, sqlite_url):
    import socket

    import httpx

    cli = _slow_portal_config(portal, cli_factory, sqlite_url)
    db = open_database(sqlite_url)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "govwatch", "--config", str(cli.config_path), "--db"]
    serve = subprocess.Popen(
        [*command, sqlite_url, "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONPATH": REPO},
    )
    base = f"http://127.0.0.1:{port}"

    def crawl_now() -> bool:
        try:
            response = httpx.post(
                f"{base}/api/sources/changan/crawl",
                headers={"Authorization": "Bearer write-token-123"},
                timeout=5,
            )
        except httpx.TransportError:
            return False
        assert response.status_code == 202, response.text
        return True

    try:
        assert _eventually(crawl_now, timeout=60)
        assert _eventually(lambda: _crawling(db), timeout=60)
        again = httpx.post(
            f"{base}/api/sources/changan/crawl",
            headers={"Authorization": "Bearer write-token-123"},
            timeout=5,
        )
        assert again.status_code == 409
    finally:
        started = time.monotonic()
        serve.send_signal(signal.SIGTERM)
        output = serve.communicate(timeout=60)[0].decode()
    assert time.monotonic() - started < 15, output
    assert "cannot schedule new futures" not in output and "Traceback" not in output, output
    with db.reader() as session:
        run = list_runs(session)[0]
    assert run["status"] == "interrupted" and run["finish_reason"] == "shutdown", run
    db.dispose()
