"""A first crawl killed half-way stays a baseline until one completes: no false `new`."""

import os
import signal
import subprocess
import sys
import time

from sqlalchemy import create_engine, func, select

from storage.models import Document


def _documents(db_url: str) -> int:
    engine = create_engine(db_url)
    try:
        with engine.connect() as connection:
            return connection.scalar(select(func.count(Document.id))) or 0
    except Exception:  # noqa: BLE001 - the schema may not exist yet
        return 0
    finally:
        engine.dispose()


def _crawl_until_documents(cli, stored: int, kill: signal.Signals) -> None:  # noqa: ANN001
    """Start a crawl, let it store ``stored`` documents or more, then send it ``kill``."""
    command = [sys.executable, "-m", "govwatch", "--config", str(cli.config_path),
               "--db", cli.db_url, "crawl", "changan", "--quiet"]
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    env.pop("GOVWATCH_DB", None)
    child = subprocess.Popen(command, cwd=cli.config_path.parent, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 90
        while _documents(cli.db_url) < stored and child.poll() is None:
            assert time.monotonic() < deadline, "the crawl stored nothing"
            time.sleep(0.1)
        assert child.poll() is None, "the crawl ended before it could be interrupted"
        child.send_signal(kill)
        child.wait(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


def test_interrupted_baselines_then_a_complete_one_give_no_new(portal, sink, cli_factory, db_url):
    cli = cli_factory(db_url, start_urls=[portal.listing_url], notify=[sink.url],
                      download_delay=0.1)
    _crawl_until_documents(cli, 4, signal.SIGTERM)
    _crawl_until_documents(cli, 12, signal.SIGKILL)
    partial = _documents(db_url)
    assert 12 <= partial < 36

    cli.run("crawl", "changan")
    runs = cli.json("runs")
    assert [r["baseline"] for r in runs] == [True, True, True]
    assert runs[0]["status"] == "finished" and runs[0]["new"] == 36 - partial
    assert [c for c in cli.json("changes") if c["kind"] == "new"] == []
    summaries = [m["title"] for m in sink.messages]
    assert summaries == ["[govwatch] changan: now watching 36 documents"], summaries

    # The baseline is over: the next document published is new, and alerted.
    portal.publish("关于2026年冬季安全生产检查的通知", ["各单位：现将有关事项通知如下。"])
    cli.run("crawl", "changan")
    assert cli.json("runs")[0]["baseline"] is False
    assert [c["kind"] for c in cli.json("changes")] == ["new"]
