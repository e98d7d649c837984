"""Prometheus metrics of the web app, the dispatcher and the workers.

Totals (runs, pages, errors, events, documents) are read from the database when Prometheus
scrapes, so every process reports the same truth whatever it ran itself. A worker adds what
it does (crawls started and their outcome, crawls running, their duration); a dispatcher
says whether it leads; with a cluster, the queue's length is read from the broker.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import generate_latest

from config import Config

if TYPE_CHECKING:
    from storage.db import Database

log = logging.getLogger(__name__)

WORKER_CRAWLS = Counter(
    "govwatch_worker_crawls", "Crawl tasks this worker ran, by outcome", ["source", "outcome"]
)
WORKER_RUNNING = Gauge("govwatch_worker_crawls_running", "Crawls this worker is running now")
WORKER_CRAWL_SECONDS = Histogram(
    "govwatch_worker_crawl_seconds", "How long this worker's crawls took",
    buckets=(5, 15, 60, 300, 900, 1800, 3600, 7200),
)
LEADING = Gauge("govwatch_dispatcher_leading", "1 while this process is the active dispatcher")


class DatabaseCollector:
    """Service totals from the database, and the queue's length from the broker."""

    def __init__(self, config: Config, db: Database | None = None) -> None:
        self.config = config
        self._db = db

    def collect(self) -> Iterator[Metric]:
        from storage.totals import service_totals

        up = GaugeMetricFamily("govwatch_database_up", "1 when the database answered")
        try:
            with self._database().reader() as session:
                totals = service_totals(session)
        except Exception as exc:  # noqa: BLE001 - a scrape reports the outage, not a 500
            log.warning("metrics: the database did not answer: %s", exc)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        runs = GaugeMetricFamily("govwatch_crawl_runs", "Crawl runs by status",
                                 labels=["source", "status"])
        for (source, status), count in sorted(totals.runs.items()):
            runs.add_metric([source, status], count)
        yield runs
        yield _by_source("govwatch_pages", "Pages fetched by all runs", totals.pages)
        yield _by_source("govwatch_crawl_errors", "Errors recorded by all runs", totals.errors)
        yield _by_source("govwatch_documents", "Documents watched", totals.documents)
        events = GaugeMetricFamily("govwatch_events", "Change events by kind",
                                   labels=["source", "kind"])
        for (source, kind), count in sorted(totals.events.items()):
            events.add_metric([source, kind], count)
        yield events
        yield from self._queue()

    def _queue(self) -> Iterator[Metric]:
        if self.config.cluster is None:
            return
        from dispatch.cluster import ClusterDispatcher

        queued = GaugeMetricFamily("govwatch_queue_length", "Crawls waiting in the queue")
        try:
            length, _ = ClusterDispatcher(self.config)._queued()
        except Exception as exc:  # noqa: BLE001
            log.warning("metrics: the broker did not answer: %s", exc)
            return
        queued.add_metric([], length)
        yield queued

    def _database(self) -> Database:
        from storage.db import open_database

        if self._db is None:
            self._db = open_database(self.config.storage.url, upgrade=False)
        return self._db


def registry_for(config: Config, db: Database | None = None) -> CollectorRegistry:
    """This process's metrics plus the database totals, in a registry of their own."""
    from prometheus_client import REGISTRY

    registry = CollectorRegistry(auto_describe=False)
    registry.register(DatabaseCollector(config, db))
    registry.register(_Forward(REGISTRY))
    return registry


def render(registry: CollectorRegistry) -> bytes:
    return generate_latest(registry)


def serve(config: Config, port: int, addr: str = "0.0.0.0") -> None:
    """``/metrics`` on a port of its own, for a worker (which has no web app)."""
    start_http_server(port, addr=addr, registry=registry_for(config))
    log.info("metrics on http://%s:%d/metrics", addr, port)


class _Forward:
    """The process-wide metrics (counters above, Python's own) inside another registry."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry

    def collect(self) -> Iterator[Metric]:
        yield from self.registry.collect()


def _by_source(name: str, documentation: str, values: dict[str, int]) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, documentation, labels=["source"])
    for source, value in sorted(values.items()):
        family.add_metric([source], value)
    return family
