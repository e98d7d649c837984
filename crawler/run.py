"""Running crawls: one Scrapy process for one or more sources, then the run records.

A Twisted reactor cannot be restarted, so a process runs crawls once; the scheduler starts
a new process (``govwatch crawl NAME``) for every scheduled crawl.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import ExitStack
from typing import Any

from scrapy import signals
from scrapy.crawler import CrawlerProcess

from config import Config, SourceConfig
from crawler.revisiting import policy_for
from crawler.settings import build_settings
from crawler.spider import PortalSpider
from crawler.stopping import close_unfinished, stop_on_signals
from storage.db import Database
from storage.locks import SourceBusy
from storage.models import CrawlRun
from storage.queries import run_record
from storage.runs import RunContext, lock_source, start_run

# Called with (source name, url, outcome) for every observation, e.g. to draw progress.
ProgressCallback = Callable[[str, str, str], None]


def crawl_sources(
    config: Config,
    sources: Sequence[SourceConfig],
    db: Database,
    *,
    on_progress: ProgressCallback | None = None,
    on_busy: Callable[[str], None] | None = None,
    log_level: str = "WARNING",
) -> list[dict[str, Any]]:
    """Crawl the sources concurrently in this process and return what each run saw.

    Each source's crawl lock is held until its run is closed, and dropped by the database
    if this process dies. A source another process is crawling is passed to ``on_busy``
    and skipped; without ``on_busy``, :class:`SourceBusy` is raised before anything runs.
    """
    with ExitStack() as locks:
        free = []
        for source in sources:
            try:
                locks.enter_context(lock_source(db, source.name))
            except SourceBusy as exc:
                if on_busy is None:
                    raise
                on_busy(str(exc))
                continue
            free.append(source)
        return _crawl(config, free, db, on_progress, log_level) if free else []


def _crawl(
    config: Config,
    sources: Sequence[SourceConfig],
    db: Database,
    on_progress: ProgressCallback | None,
    log_level: str,
) -> list[dict[str, Any]]:
    settings = build_settings(
        config.crawl,
        db_url=db.url,
        log_level=log_level,
        host_slots_url=config.cluster.slots_url if config.cluster else None,
    )
    process = CrawlerProcess(settings)
    runs: list[RunContext] = []
    crawlers = []
    for source in sources:
        run = start_run(db, source.name, policy_for(source))
        runs.append(run)
        crawler = process.create_crawler(PortalSpider)
        crawlers.append(crawler)
        if on_progress is not None:
            crawler.signals.connect(
                _progress_forwarder(source.name, on_progress),
                signal=signals.item_scraped,
                weak=False,
            )
        process.crawl(crawler, source=source, run=run)
    stop_on_signals(process)
    process.start(install_signal_handlers=False)
    close_unfinished(db, [run.run_id for run in runs], crawlers)
    return [summarize(db, run.run_id) for run in runs]


def summarize(db: Database, run_id: int) -> dict[str, Any]:
    """What a finished run saw, as ``storage.queries.run_record`` reports it."""
    with db.reader() as session:
        run = session.get_one(CrawlRun, run_id)
        return {"source": run.source.name, **run_record(run)}


def _progress_forwarder(name: str, callback: ProgressCallback) -> Callable[..., None]:
    def forward(item: dict[str, str], **_: object) -> None:
        callback(name, item["url"], item["outcome"])

    return forward
