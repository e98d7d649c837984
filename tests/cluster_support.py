"""A small cluster for the tests: a config with [cluster], workers as processes, run polling."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from conftest import REPO, _child_env

REDIS_URL = "redis://127.0.0.1:6379/0"


def redis_or_skip() -> None:
    import pytest

    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {exc}")


def fresh_schema(url: str) -> str:
    from sqlalchemy import create_engine, text

    from storage.db import open_database

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    open_database(url).dispose()  # the schema exists before processes race to make it
    return url


def cluster_config(path: Path, sources: dict[str, str], *, concurrency_per_host: int = 2,
                   visibility_timeout: int = 3600, crawl_time_limit: int = 600) -> Path:
    """A configuration whose crawls go to a queue of its own on the machine's Redis."""
    # revisit = "every_run": the tests edit the portal and crawl again seconds later.
    blocks = "".join(
        f'\n[[sources]]\nname = "{name}"\nstart_urls = ["{url}"]\nrevisit = "every_run"\n'
        for name, url in sources.items()
    )
    path.write_text(
        f"""
[crawl]
obey_robots = false
allow_private_addresses = true  # the test portals listen on 127.0.0.1
concurrency_per_host = {concurrency_per_host}
download_delay = 0
autothrottle = false
timeout = 10
retries = 0

[cluster]
broker_url = "{REDIS_URL}"
queue = "govwatch.test.{uuid.uuid4().hex[:12]}"
visibility_timeout = {visibility_timeout}
crawl_time_limit = {crawl_time_limit}
metrics_port = 0
{blocks}""",
        encoding="utf-8",
    )
    return path


@dataclass
class Cluster:
    config_path: Path
    db_url: str
    logs: Path
    workers: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def config(self):  # noqa: ANN201 - config.Config
        from config import load_config

        return load_config(self.config_path, db_url=self.db_url)

    def start_worker(self, name: str, concurrency: int = 2) -> None:
        log = (self.logs / f"{name}.log").open("ab")
        command = [sys.executable, "-m", "govwatch", "--config", str(self.config_path), "--db",
                   self.db_url, "worker", "-c", str(concurrency), "-n", f"{name}@test"]
        self.workers[name] = subprocess.Popen(command, cwd=REPO, env=_child_env(), stdout=log,
                                              stderr=subprocess.STDOUT)
        self.wait_for(lambda: f"{name}@test" in self.answering(), 60, f"worker {name} up")

    def answering(self) -> set[str]:
        from dispatch.celery_app import celery_app

        app = celery_app(self.config().cluster)
        return {name for reply in app.control.ping(timeout=0.5) for name in reply}

    def kill(self, name: str) -> None:
        self.workers[name].send_signal(signal.SIGKILL)
        self.workers[name].wait(10)

    def stop(self) -> None:
        for worker in self.workers.values():
            if worker.poll() is None:
                worker.terminate()
        for worker in self.workers.values():
            try:
                worker.wait(20)
            except subprocess.TimeoutExpired:
                worker.kill()

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")

    def runs(self) -> list[tuple[str, str, int]]:
        """(source, status, pages) of every crawl run, oldest first."""
        from sqlalchemy import select

        from storage.db import open_database
        from storage.models import CrawlRun, Source

        db = open_database(self.db_url, upgrade=False)
        try:
            with db.reader() as session:
                rows = session.execute(
                    select(Source.name, CrawlRun.status, CrawlRun.pages)
                    .join(Source, Source.id == CrawlRun.source_id)
                    .order_by(CrawlRun.id)
                ).all()
            return [tuple(row) for row in rows]
        finally:
            db.dispose()

    @staticmethod
    def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.2)
        raise AssertionError(f"timed out after {seconds} s waiting for: {what}")
