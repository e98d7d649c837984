"""Crawls on Celery workers (PostgreSQL and Redis of the machine).

Two workers share one queue and finish every crawl while the portal never sees more than
``concurrency_per_host`` requests at once; a worker killed mid-crawl loses nothing: the
crawl is redelivered to the other worker and completes, with no duplicate and no run left
``running``.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from cluster_support import Cluster, cluster_config, fresh_schema, redis_or_skip
from conftest import REPO, _child_env

from portal import Portal


@pytest.fixture
def cluster(tmp_path, postgres_url):
    redis_or_skip()
    made: list[Cluster] = []

    def make(sources: dict[str, str], **options: int) -> Cluster:
        config = cluster_config(tmp_path / "govwatch.toml", sources, **options)
        made.append(Cluster(config, fresh_schema(postgres_url), tmp_path))
        return made[-1]

    yield make
    for each in made:
        each.stop()


def _documents(db_url: str) -> list[tuple[str, str, int]]:
    from sqlalchemy import func, select

    from storage.db import open_database
    from storage.models import Document, Source, Version

    db = open_database(db_url, upgrade=False)
    try:
        with db.reader() as session:
            return [tuple(row) for row in session.execute(
                select(Source.name, Document.url, func.count(Version.id))
                .join(Source, Source.id == Document.source_id)
                .outerjoin(Version, Version.document_id == Document.id)
                .group_by(Source.name, Document.url)
            )]
    finally:
        db.dispose()


def test_two_workers_share_the_queue_and_the_host_limit(cluster):
    site = Portal(articles=12, per_page=6, seed=11)
    site.traffic.latency = 0.05
    with site.serve():
        names = ["s1", "s2"]
        running = cluster({name: site.listing_url for name in names}, concurrency_per_host=2)
        running.start_worker("w1", concurrency=1)
        running.start_worker("w2", concurrency=1)
        from dispatch import dispatcher_for

        dispatcher = dispatcher_for(running.config())
        for name in names:
            dispatcher.start(name)
        running.wait_for(
            lambda: sorted((s, st) for s, st, _ in running.runs())
            == [(n, "finished") for n in names],
            180, "two finished runs",
        )
        assert 1 <= site.traffic.peak <= 2
    logs = {name: running.log(name) for name in ("w1", "w2")}
    started = {name: log.count(": started (pid") for name, log in logs.items()}
    assert started == {"w1": 1, "w2": 1}, logs
    documents = _documents(running.db_url)
    assert len(documents) == 2 * 12
    assert all(versions == 1 for _, _, versions in documents)


def test_a_killed_workers_crawl_is_redelivered_and_completes(cluster):
    site = Portal(articles=12, per_page=6, seed=12)
    with site.serve():
        running = cluster({"s1": site.listing_url}, visibility_timeout=30, crawl_time_limit=25)
        crawl = subprocess.run(  # the baseline, in the foreground
            [sys.executable, "-m", "govwatch", "--config", str(running.config_path), "--db",
             running.db_url, "crawl", "--quiet", "s1"],
            cwd=REPO, env=_child_env(), capture_output=True, text=True, timeout=120,
        )
        assert crawl.returncode == 0, crawl.stderr
        baseline = _documents(running.db_url)

        edited = site.articles[5]
        site.edit(edited.id, paragraphs=[*edited.paragraphs, "本文已于今日更正。"])
        site.traffic.latency = 0.3  # slow enough to be killed mid-crawl
        running.start_worker("w1", concurrency=1)
        from dispatch import dispatcher_for

        site.clear_requests()
        dispatcher_for(running.config()).start("s1")
        running.wait_for(lambda: len(site.requests) >= 4, 60, "the second crawl under way")
        running.kill("w1")
        site.traffic.latency = 0.0
        running.start_worker("w2", concurrency=1)
        running.wait_for(lambda: "exit status" in running.log("w2"), 120,
                         "the redelivered crawl ended on the other worker")
    # The killed worker's crawl stopped with it (parent-death signal) and closed its run as
    # interrupted; the redelivered crawl ran on w2 from the start.
    statuses = [status for _, status, _ in running.runs()]
    assert statuses == ["finished", "interrupted", "finished"], statuses
    assert running.log("w2").count(": started (pid") == 1
    assert "exit status 0" in running.log("w2")
    documents = _documents(running.db_url)
    assert sorted(url for _, url, _ in documents) == sorted(url for _, url, _ in baseline)
    versions = {url: n for _, url, n in documents}
    assert versions[site.server.url + edited.path] == 2
    assert sum(versions.values()) == len(documents) + 1

    from sqlalchemy import select

    from storage.db import open_database
    from storage.models import ChangeEvent

    db = open_database(running.db_url, upgrade=False)
    with db.reader() as session:
        kinds = [event.kind for event in session.scalars(select(ChangeEvent))]
    db.dispose()
    assert kinds == ["changed"]
