"""Running crawls: one Scrapy process for one or more sources, then the run records.

A Twisted reactor cannot be restarted, so a process runs crawls once; the scheduler starts
a new process (``govwatch crawl NAME``) for every scheduled crawl.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from scrapy import signals
from scrapy.crawler import CrawlerProcess

from crawler.settings import build_settings
from crawler.spider import PortalSpider
from govwatch.config import Config, SourceConfig
from storage.db import Database
from storage.models import CrawlRun
from storage.runs import RunContext, start_run

# Called with (source name, url, outcome) for every observation, e.g. to draw progress.
ProgressCallback = Callable[[str, str, str], None]


@dataclass(frozen=True)
class RunSummary:
    source: str
    run_id: int
    baseline: bool
    status: str
    finish_reason: str | None
    pages: int
    new: int
    changed: int
    removed: int
    restored: int
    unchanged: int
    errors: int
    seconds: float


def crawl_sources(
    config: Config,
    sources: Sequence[SourceConfig],
    db: Database,
    *,
    on_progress: ProgressCallback | None = None,
    log_level: str = "WARNING",
) -> list[RunSummary]:
    """Crawl the sources concurrently in this process and return what each run saw."""
    settings = build_settings(config.crawl, db_url=db.url, log_level=log_level)
    process = CrawlerProcess(settings)
    runs: list[RunContext] = []
    for source in sources:
        run = start_run(db, source.name)
        runs.append(run)
        crawler = process.create_crawler(PortalSpider)
        if on_progress is not None:
            crawler.signals.connect(
                _progress_forwarder(source.name, on_progress),
                signal=signals.item_scraped,
                weak=False,
            )
        process.crawl(crawler, source=source, run=run)
    process.start()
    return [summarize(db, run.run_id) for run in runs]


def summarize(db: Database, run_id: int) -> RunSummary:
    with db.reader() as session:
        run = session.get_one(CrawlRun, run_id)
        end = run.finished_at or run.started_at
        return RunSummary(
            source=run.source.name,
            run_id=run.id,
            baseline=run.baseline,
            status=run.status,
            finish_reason=run.finish_reason,
            pages=run.pages,
            new=run.new,
            changed=run.changed,
            removed=run.removed,
            restored=run.restored,
            unchanged=run.unchanged,
            errors=run.errors,
            seconds=(end - run.started_at).total_seconds(),
        )


def _progress_forwarder(name: str, callback: ProgressCallback) -> Callable[..., None]:
    def forward(item: dict[str, str], **_: object) -> None:
        callback(name, item["url"], item["outcome"])

    return forward
