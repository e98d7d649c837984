"""Conditional requests: ask for a known page only if it changed since the last fetch.

Every document (and listing page) keeps the ETag and Last-Modified of its last successful
fetch; the spider puts them on the request (``govwatch_validators``), or they come from
``RunContext.validators``. Sending them back lets the server answer 304 with no body, which
the tracker records as "unchanged". Only requests marked ``govwatch_conditional`` are touched.
"""

from __future__ import annotations

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

META_KEY = "govwatch_conditional"
VALIDATORS = "govwatch_validators"  # (ETag, Last-Modified) for this request


class ConditionalRequests:
    def __init__(self, crawler: Crawler) -> None:
        if not crawler.settings.getbool("GOVWATCH_CONDITIONAL_REQUESTS", True):
            raise NotConfigured("GOVWATCH_CONDITIONAL_REQUESTS is off")
        self.stats = crawler.stats
        self.validators: dict[str, tuple[str | None, str | None]] = {}
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalRequests:
        return cls(crawler)

    def spider_opened(self, spider: Spider) -> None:
        run = getattr(spider, "run", None)
        self.validators = dict(getattr(run, "validators", {}) or {})

    def process_request(self, request: Request) -> None:
        if not request.meta.get(META_KEY):
            return None
        etag, last_modified = request.meta.get(VALIDATORS) or self.validators.get(
            request.meta.get("govwatch_url", request.url), (None, None)
        )
        if etag:
            request.headers.setdefault(b"If-None-Match", etag)
        if last_modified:
            request.headers.setdefault(b"If-Modified-Since", last_modified)
        if etag or last_modified:
            assert self.stats is not None
            self.stats.inc_value("govwatch/conditional/sent")
        return None
