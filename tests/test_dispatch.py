"""Running crawls: child processes started, tracked and stopped; the schedule shares them."""

import pytest

from config import load_config
from dispatch import (
    AlreadyRunning,
    Dispatcher,
    LocalDispatcher,
    Schedule,
    UnknownSource,
    crawl_command,
    run_scheduled_crawl,
    set_paused,
)
from storage.db import open_database

CONFIG = """
[crawl]
timeout = 5
retries = 0

[[sources]]
name = "alpha"
start_urls = ["http://127.0.0.1:9/a/index.html"]
schedule = "@hourly"
"""


@pytest.fixture
def configured(tmp_path, monkeypatch):
    import os

    monkeypatch.setenv("PYTHONPATH", os.getcwd())
    path = tmp_path / "govwatch.toml"
    path.write_text(CONFIG, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'govwatch.db'}"
    db = open_database(url)
    yield load_config(path, db_url=url), db
    db.dispose()


def test_one_crawl_per_source_started_listed_and_stopped(configured):
    config, _db = configured
    dispatcher = LocalDispatcher(config)
    assert isinstance(dispatcher, Dispatcher)
    with pytest.raises(UnknownSource):
        dispatcher.start("nowhere")
    crawl = dispatcher.start("alpha")
    try:
        assert crawl.source == "alpha" and crawl.pid and crawl.ident == str(crawl.pid)
        assert dispatcher.running() == {"alpha"}
        with pytest.raises(AlreadyRunning):
            dispatcher.start("alpha")
        assert dispatcher.stop("alpha") is True
        assert dispatcher.running() == set()
        assert dispatcher.stop("alpha") is False
    finally:
        dispatcher.stop("alpha")


def test_the_scheduled_job_skips_paused_and_running_sources(configured):
    config, db = configured
    path, url = str(config.path.resolve()), config.storage.url
    assert crawl_command(path, "alpha")[-2:] == ["--quiet", "alpha"]
    set_paused(config, db, "alpha", True)
    assert run_scheduled_crawl(path, url, "alpha") == 0
    set_paused(config, db, "alpha", False)

    # While a schedule runs here, its job and the web app share one dispatcher: a crawl
    # started by hand makes the scheduled one a no-op instead of a second crawl.
    dispatcher = LocalDispatcher(config)
    schedule = Schedule(config, dispatcher)
    assert schedule.start() == ["alerts:deliver", "crawl:alpha"]
    try:
        dispatcher.start("alpha")
        assert run_scheduled_crawl(path, url, "alpha") == 0
        assert dispatcher.running() == {"alpha"}
    finally:
        dispatcher.stop("alpha")
        schedule.stop()
