"""At most ``concurrency_per_host`` requests in flight at a portal, measured at the portal.

Two sources on one host, download delay 0 (where Scrapy 2.14+ lets 9-14 requests through
to a host limited to 2): in one process, and in two processes sharing Redis slots.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, _child_env

from portal import Portal

LIMIT = 2
REDIS_URL = "redis://127.0.0.1:6379/0"


def _config(path: Path, start_url: str, names: list[str], cluster: bool) -> Path:
    sources = "".join(
        f'\n[[sources]]\nname = "{name}"\nstart_urls = ["{start_url}"]\n' for name in names
    )
    section = f'\n[cluster]\nbroker_url = "{REDIS_URL}"\n' if cluster else ""
    path.write_text(
        f"""
[crawl]
obey_robots = false
allow_private_addresses = true  # the test portal listens on 127.0.0.1
concurrency_per_host = {LIMIT}
download_delay = 0
autothrottle = false
timeout = 10
retries = 0
{section}{sources}""",
        encoding="utf-8",
    )
    return path


def _crawl(config: Path, db_url: str, *args: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "govwatch", "--config", str(config), "--db", db_url,
               "crawl", "--quiet", *args]
    return subprocess.Popen(command, cwd=REPO, env=_child_env(), text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


@pytest.fixture
def busy_portal():
    site = Portal(articles=20, per_page=10, seed=5)
    site.traffic.latency = 0.05  # each answer takes a while, so requests overlap
    with site.serve():
        yield site


def test_two_sources_in_one_process_share_the_host_limit(busy_portal, tmp_path):
    config = _config(tmp_path / "govwatch.toml", busy_portal.listing_url, ["a", "b"], False)
    crawl = _crawl(config, f"sqlite:///{tmp_path / 'g.db'}", "--all")
    output, _ = crawl.communicate(timeout=120)
    assert crawl.returncode == 0, output
    assert len(busy_portal.requests) > 40  # both sources crawled every page
    assert 1 <= busy_portal.traffic.peak <= LIMIT


def test_two_processes_share_the_host_limit_through_redis(busy_portal, tmp_path, postgres_url):
    from cluster_support import fresh_schema, redis_or_skip

    redis_or_skip()
    db_url = fresh_schema(postgres_url)  # a cluster keeps its data in PostgreSQL
    crawls = []
    for name in ("a", "b"):
        config = _config(tmp_path / f"{name}.toml", busy_portal.listing_url, [name], True)
        crawls.append(_crawl(config, db_url, name))
    for crawl in crawls:
        output, _ = crawl.communicate(timeout=120)
        assert crawl.returncode == 0, output
    assert len(busy_portal.requests) > 40
    assert 1 <= busy_portal.traffic.peak <= LIMIT


def test_a_stopped_crawl_gives_its_host_slots_back(tmp_path, postgres_url):
    """SIGTERM with requests in flight: the slots are free at once, not a lease later."""
    import signal
    import time

    import redis
    from cluster_support import fresh_schema, redis_or_skip

    from crawler.hostslots import KEY_PREFIX

    redis_or_skip()
    site = Portal(articles=20, per_page=10, seed=6)
    site.traffic.latency = 3.0  # every request is still in flight when the crawl is stopped
    with site.serve():
        config = _config(tmp_path / "g.toml", site.listing_url, ["a"], True)
        crawl = _crawl(config, fresh_schema(postgres_url), "a")
        key = KEY_PREFIX + "127.0.0.1"
        client = redis.Redis.from_url(REDIS_URL)
        deadline = time.monotonic() + 60
        while client.zcard(key) < LIMIT:  # the article requests have taken both slots
            assert time.monotonic() < deadline and crawl.poll() is None, "no requests in flight"
            time.sleep(0.05)
        crawl.send_signal(signal.SIGTERM)
        crawl.communicate(timeout=60)
        assert client.zcard(key) == 0
