"""Closing the crawl run record when the spider closes."""

from __future__ import annotations

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from storage.db import open_database
from storage.runs import finish_run


class RunRecorder:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunRecorder:
        return cls(crawler)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        db = open_database(self.crawler.settings["GOVWATCH_DB_URL"], upgrade=False)
        try:
            pages = self.crawler.stats.get_value("response_received_count", 0)
            finish_run(db, spider.run.run_id, reason=reason, pages=pages)  # type: ignore[attr-defined]
        finally:
            db.dispose()
