"""No secret in the database or on a command line (issue item 9), on SQLite and PostgreSQL.

Notification URLs carry tokens: the outbox names the channel by reference. The database
URL may carry a password: crawl children get it in their environment, scheduler jobs hold
it with the password hidden.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config as AlembicConfig
from conftest import write_config
from sqlalchemy import text
from test_alerts import _config, _store_change

from alerts import dispatch
from alerts.channels import channel_ref
from config import load_config
from storage.db import MIGRATIONS, open_database
from storage.models import Notification

SECRET = "tok-3f9a81c2d7e4b6a5"
PASSWORD = "pw-hunter2-e81c"


def _with_password(db_url: str) -> str:
    """The same database, reached with a password in its URL (ignored by trust auth)."""
    if db_url.startswith("sqlite"):
        return db_url
    return db_url.replace("postgres@", f"postgres:{PASSWORD}@", 1)


def _dump(db, table: str) -> str:
    with db.reader() as session:
        rows = session.execute(text(f"SELECT * FROM {table}")).all()  # noqa: S608 - fixed names
    return repr(rows)


def test_outbox_keeps_channel_references_not_urls(db_url, sink):
    secret_hook = sink.url.rstrip("/") + f"/hooks/{SECRET}"
    db = open_database(db_url)
    _store_change(db, "全镇生产总值965.2亿元。", "全镇生产总值985.2亿元。")
    report = dispatch(db, _config(secret_hook))
    assert report.sent == 1  # the reference was resolved through the configuration
    assert SECRET not in _dump(db, "notifications")
    with db.reader() as session:
        (notification,) = session.query(Notification).all()
    assert notification.destination == channel_ref(secret_hook)
    assert notification.destination.startswith("channel:json:")

    # The channel leaves the configuration: a message still queued for it fails, saying why.
    with db.transaction() as session:
        session.add(Notification(destination=channel_ref(secret_hook), title="t", body="b"))
    report = dispatch(db, _config(sink.url))
    assert (report.sent, report.failed) == (0, 1)
    with db.reader() as session:
        failed = session.query(Notification).filter_by(status="failed").one()
    assert failed.last_error == "the channel is no longer in the configuration"
    db.dispose()


def test_migration_converts_stored_urls(db_url, sink):
    engine_db = open_database(db_url, upgrade=False)
    with engine_db.engine.begin() as connection:
        config = AlembicConfig()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        command.upgrade(config, "0007")
    hook = sink.url.rstrip("/") + f"/hooks/{SECRET}"
    with engine_db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO notifications (created_at, destination, title, body, status,"
                " attempts, next_attempt_at) VALUES (:at, :d, 't', 'b', 'pending', 0, :at)"
            ),
            {"d": hook, "at": "2026-11-30 00:00:00+00:00"},
        )
    engine_db.dispose()
    db = open_database(db_url)  # upgrades to the newest revision
    assert SECRET not in _dump(db, "notifications")
    report = dispatch(db, _config(hook))
    assert report.sent == 1  # the converted row still finds its channel
    assert len(sink.wait_for(1)) == 1
    db.dispose()


def test_crawl_children_and_jobs_hold_no_password(db_url, tmp_path):
    import scheduler
    from dispatch import LocalDispatcher, run_scheduled_crawl

    url = _with_password(db_url)
    open_database(url).dispose()
    path = write_config(tmp_path / "govwatch.toml", start_urls=["http://127.0.0.1:9/list"])
    config = load_config(path, db_url=url)

    dispatcher = LocalDispatcher(config)
    crawl = dispatcher.start("changan")
    try:
        cmdline = Path(f"/proc/{crawl.pid}/cmdline").read_bytes().decode()
        environ = Path(f"/proc/{crawl.pid}/environ").read_bytes().decode()
    finally:
        dispatcher.stop_all(timeout=20)
    assert "--db" not in cmdline.split("\0") and PASSWORD not in cmdline
    assert f"GOVWATCH_DB={url}" in environ.split("\0")

    running = scheduler.build_scheduler(config)
    running.start(paused=True)
    try:
        scheduler.sync_jobs(
            running, config, crawl_job=run_scheduled_crawl, config_path=str(path.resolve())
        )
        for job in running.get_jobs():
            assert PASSWORD not in repr(job.args)
    finally:
        running.shutdown(wait=False)
    db = open_database(url, upgrade=False)
    with db.reader() as session:
        stored = session.execute(text("SELECT job_state FROM apscheduler_jobs")).scalars().all()
    assert len(stored) == 2
    for state in stored:
        assert PASSWORD.encode() not in bytes(state)
        args = pickle.loads(bytes(state))["args"]  # noqa: S301 - our own job store
        if args[-1] == "changan" and PASSWORD in url:
            assert scheduler.database_url(args[1]) == url  # the job finds the real URL
    db.dispose()


@pytest.mark.parametrize("field", ["notify.urls", "sources[0].notify"])
def test_unusable_notify_urls_are_refused_at_load(tmp_path, field):
    from config import ConfigError

    bad = f"notaservice://{SECRET}"
    extra = f'notify = ["{bad}"]\n' if field.startswith("sources") else ""
    path = write_config(
        tmp_path / "govwatch.toml",
        start_urls=["http://127.0.0.1:9/list"],
        notify=[bad] if field == "notify.urls" else [],
        extra_source=extra,
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert field in str(caught.value) and "Apprise" in str(caught.value)
    assert SECRET not in str(caught.value)  # the message names the field, not the token
