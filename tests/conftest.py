"""Shared fixtures: databases (SQLite and PostgreSQL), the local portal, a webhook sink, the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from govwatch.sink import WebhookSink

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
PG_ADMIN_URL = os.environ.get("GOVWATCH_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


def _postgres_database() -> Iterator[str]:
    """A database of its own for this test session, dropped afterwards."""
    psycopg = pytest.importorskip("psycopg")
    name = f"govwatch_test_{uuid.uuid4().hex[:8]}"
    try:
        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN_URL}: {exc}")
    admin.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base.replace('postgresql://', 'postgresql+psycopg://', 1)}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture(scope="session")
def seed_report() -> str:
    """Seed 001: a simplified-script work report of about 12,000 characters, 55 paragraphs."""
    path = next(iter(sorted(SEEDS.glob("001_*.txt"))), None)
    if path is None:
        pytest.skip(f"seed texts not found in {SEEDS}")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    yield from _postgres_database()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database URL of each kind."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'govwatch.db'}"
    url = request.getfixturevalue("postgres_url")
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'govwatch.db'}"


@pytest.fixture
def portal():
    """A served local portal with 36 articles over four listing pages."""
    from portal import Portal

    site = Portal(articles=36, per_page=10, seed=7)
    site.timeout_sleep = 6.0
    with site.serve(host="127.0.0.1", port=0):
        yield site


@pytest.fixture
def sink() -> Iterator[WebhookSink]:
    with WebhookSink() as receiver:
        yield receiver


@dataclass
class Cli:
    """Runs ``govwatch`` in a child process, as a user and the scheduler do."""

    config_path: Path
    db_url: str

    def run(
        self, *args: str, check: bool = True, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        command = [
            sys.executable,
            "-m",
            "govwatch",
            "--config",
            str(self.config_path),
            "--db",
            self.db_url,
            *args,
        ]
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=self.config_path.parent,
            env=_child_env(),
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"{command} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
            )
        return result

    def json(self, *args: str) -> object:
        import json

        return json.loads(self.run(*args, "--json").stdout)


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("GOVWATCH_DB", None)
    env["PYTHONPATH"] = str(REPO)
    return env


def write_config(
    path: Path,
    *,
    start_urls: list[str],
    notify: list[str] | None = None,
    timeout: float = 3.0,
    retries: int = 0,
    max_bytes: int = 5_000_000,
    confirm_delay: float = 0.5,
    download_delay: float = 0,
    extra_source: str = "",
    # Tests that change the portal and crawl again seconds later mean "revisit everything";
    # adaptive revisits are tested on their own (tests/test_revisits_*.py).
    revisit: str = "every_run",
) -> Path:
    urls = ", ".join(f'"{u}"' for u in start_urls)
    hooks = ", ".join(f'"{u}"' for u in notify or [])
    path.write_text(
        f"""
[notify]
urls = [{hooks}]
retry_minutes = 1

[crawl]
allow_private_addresses = true  # the test portals listen on 127.0.0.1
obey_robots = true
concurrency_per_host = 8
download_delay = {download_delay}
autothrottle = false
timeout = {timeout}
retries = {retries}
max_bytes = {max_bytes}
confirm_delay = {confirm_delay}

[[sources]]
name = "changan"
start_urls = [{urls}]
schedule = "0 */6 * * *"
revisit = "{revisit}"
{extra_source}
""",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def cli_factory(tmp_path: Path):
    def make(db_url: str, **config: object) -> Cli:
        return Cli(write_config(tmp_path / "govwatch.toml", **config), db_url)  # type: ignore[arg-type]

    return make


@dataclass
class Recorder:
    """Stores observed pages straight through the tracker, as a crawl would (no crawl)."""

    db: object
    source: str = "changan"

    def observe(
        self,
        url: str,
        title: str | None,
        text: str,
        *,
        attachments: list[tuple[str, str]] = (),
        publisher: str | None = None,
        status: int = 200,
    ) -> str:
        from extractor.model import Attachment, Extraction
        from extractor.textclean import to_simplified
        from storage.models import utcnow
        from storage.runs import finish_run, start_run
        from tracker.observations import Page
        from tracker.track import Tracker

        extraction = Extraction(
            title=title,
            published_at="2026-11-20",
            publisher=publisher,
            text=text,
            text_simplified=to_simplified(text),
            attachments=[Attachment(u, t) for u, t in attachments],
        )
        page = Page(
            url=url,
            final_url=url,
            status=status,
            headers={"content-type": "text/html; charset=utf-8"},
            body=text.encode("utf-8"),
            fetched_at=utcnow(),
            extraction=extraction if status == 200 else None,
        )
        run = start_run(self.db, self.source)  # type: ignore[arg-type]
        outcome = Tracker(self.db, run).observe_page(page)  # type: ignore[arg-type]
        finish_run(self.db, run.run_id, reason="finished", pages=1)  # type: ignore[arg-type]
        return outcome


@pytest.fixture
def recorder(sqlite_url: str) -> Iterator[Recorder]:
    from storage.db import open_database

    db = open_database(sqlite_url)
    yield Recorder(db)
    db.dispose()


@pytest.fixture
def corpus(recorder: Recorder):
    """A recorded corpus: a report, then a new notice, an edited figure, a removed page."""
    from web_corpus import record_corpus

    return record_corpus(recorder)


@pytest.fixture
def client(recorder: Recorder, corpus):
    """The web app over the recorded corpus, served in-process."""
    from fastapi.testclient import TestClient
    from web_corpus import web_config

    from web.app import create_app

    with TestClient(create_app(web_config(), recorder.db)) as test_client:
        yield test_client
