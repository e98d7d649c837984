"""A crawl task whose crawl could not start is queued again; nothing that started is."""

from __future__ import annotations

from cluster_support import cluster_config

from config import load_config
from dispatch import worker
from dispatch.celery_app import CRAWL_TASK
from storage.db import DatabaseUnavailable


def _crawl_task(tmp_path):  # noqa: ANN202 - a Celery task
    path = cluster_config(tmp_path / "govwatch.toml", {"s1": "http://127.0.0.1:9/"})
    # never connected to: the tests stand in for the worker's reads of the database
    config = load_config(path, db_url="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    return worker.worker_app(config).tasks[CRAWL_TASK]


def test_a_crawl_whose_database_was_down_is_queued_again(tmp_path, monkeypatch):
    calls: list[int] = []

    def sources(_config: object) -> tuple[set[str], set[str]]:
        calls.append(1)
        if len(calls) == 1:
            raise DatabaseUnavailable("connection refused")
        return {"s1"}, {"s1"}  # the retry reads the sources: s1 is paused meanwhile

    monkeypatch.setattr(worker, "_sources", sources)
    result = _crawl_task(tmp_path).apply(args=["s1"])  # eager: the retry runs at once
    assert result.get() == 0
    assert len(calls) == 2


def test_retries_end_after_the_limit(tmp_path, monkeypatch):
    calls: list[int] = []

    def sources(_config: object) -> tuple[set[str], set[str]]:
        calls.append(1)
        raise DatabaseUnavailable("connection refused")

    monkeypatch.setattr(worker, "_sources", sources)
    result = _crawl_task(tmp_path).apply(args=["s1"])
    assert result.failed()
    assert isinstance(result.result, worker.NotStarted)
    assert len(calls) == worker.RETRIES + 1


def test_a_crawl_that_ran_and_failed_is_not_repeated(tmp_path, monkeypatch):
    calls: list[int] = []

    def sources(_config: object) -> tuple[set[str], set[str]]:
        calls.append(1)
        return {"s1"}, set()

    class Failing:
        pid = 4242

        def wait(self, timeout: float | None = None) -> int:
            return 1

        def poll(self) -> int:
            return 1

    monkeypatch.setattr(worker, "_sources", sources)
    monkeypatch.setattr(worker, "start_crawl_process", lambda *_args: Failing())
    result = _crawl_task(tmp_path).apply(args=["s1"])
    assert result.get() == 1
    assert len(calls) == 1
