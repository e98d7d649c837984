"""Handing each observation to the tracker, and suspect pages to their second fetch."""

from __future__ import annotations

from scrapy.crawler import Crawler

from crawler.confirm import Confirmations
from storage.db import Database, open_database
from tracker.observations import Failure, Page
from tracker.track import Tracker

# Unchanged visits (304s) written per transaction: one each would cost a recrawl more than
# its requests do.
UNCHANGED_BATCH = 250


class TrackingPipeline:
    # No spider arguments (Scrapy 2.14+): the crawler knows its spider.
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.db_url: str = crawler.settings["GOVWATCH_DB_URL"]
        self.db: Database | None = None
        self.tracker: Tracker | None = None
        self.confirmations = Confirmations(
            crawler, crawler.settings.getfloat("GOVWATCH_CONFIRM_DELAY"), self._record
        )

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TrackingPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        self.db = open_database(self.db_url, upgrade=False)
        run = self.crawler.spider.run  # type: ignore[union-attr]
        self.tracker = Tracker(self.db, run, confirm=True, batch=UNCHANGED_BATCH)

    def close_spider(self) -> None:
        try:
            if self.tracker is not None:
                self.tracker.flush()
        finally:
            if self.db is not None:
                self.db.dispose()

    def process_item(self, item: object) -> dict[str, str]:
        assert self.tracker is not None
        if isinstance(item, Page):
            outcome = self.tracker.observe_page(item)
            if item.suspicion is not None and item.confirming is None:
                self.confirmations.hold(item.suspicion)
        elif isinstance(item, Failure):
            outcome = self.tracker.observe_failure(item)
        else:
            raise TypeError(f"unexpected item {type(item).__name__}")
        return {"url": item.url, "outcome": outcome}

    def _record(self, failure: Failure) -> None:
        assert self.tracker is not None
        self.tracker.observe_failure(failure)
