"""Handing each observation to the tracker."""

from __future__ import annotations

from scrapy import Spider
from scrapy.crawler import Crawler

from storage.db import Database, open_database
from tracker.observations import Failure, Page
from tracker.track import Tracker


class TrackingPipeline:
    def __init__(self, db_url: str) -> None:
        self.db_url = db_url
        self.db: Database | None = None
        self.tracker: Tracker | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TrackingPipeline:
        return cls(crawler.settings["GOVWATCH_DB_URL"])

    def open_spider(self, spider: Spider) -> None:
        self.db = open_database(self.db_url, upgrade=False)
        self.tracker = Tracker(self.db, spider.run)  # type: ignore[attr-defined]

    def close_spider(self, spider: Spider) -> None:
        if self.db is not None:
            self.db.dispose()

    def process_item(self, item: object, spider: Spider) -> dict[str, str]:
        assert self.tracker is not None
        if isinstance(item, Page):
            outcome = self.tracker.observe_page(item)
        elif isinstance(item, Failure):
            outcome = self.tracker.observe_failure(item)
        else:
            raise TypeError(f"unexpected item {type(item).__name__}")
        return {"url": item.url, "outcome": outcome}
