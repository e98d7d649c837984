"""The one generic spider: a source's listing pages in, article pages out."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure as TwistedFailure

from crawler.failures import classify
from crawler.links import LinkRules, clean_url
from crawler.pages import page_from_response
from govwatch.config import SourceConfig
from storage.runs import RunContext
from tracker.observations import Failure
from tracker.track import GONE_STATUSES

LISTING_PRIORITY = 10  # discover before revisiting, so new documents are never cut by max_pages


class PortalSpider(scrapy.Spider):
    name = "portal"

    def __init__(self, source: SourceConfig, run: RunContext, **kwargs: Any) -> None:
        super().__init__(name=f"portal:{source.name}", **kwargs)
        self.source = source
        self.run = run
        self.rules = LinkRules(source.start_urls, source.allow, source.deny)
        self.articles_requested: set[str] = set()

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.source.start_urls:
            yield self._listing_request(url)
        for url in self.run.known_urls:
            request = self._article_request(url)
            if request is not None:
                yield request

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request | Failure]:
        if response.status != 200 or not hasattr(response, "css"):
            yield Failure(
                response.url, f"http_{response.status}", "listing page unusable", response.status
            )
            return
        for link in response.css("a[href]"):
            url = clean_url(response.urljoin(link.attrib["href"]))
            text = " ".join(link.css("::text").getall())
            if self.rules.is_article(url):
                request = self._article_request(url)
                if request is not None:
                    yield request
            elif self.rules.is_listing_page(url, text, response.url):
                yield self._listing_request(url)

    def parse_article(self, response: Response) -> Iterator[object]:
        yield page_from_response(response, response.meta["govwatch_url"])

    def on_error(self, failure: TwistedFailure) -> Iterator[Failure]:
        request = failure.request  # type: ignore[attr-defined]
        kind, message = classify(failure)
        status = getattr(getattr(failure.value, "response", None), "status", None)
        if kind == "http_error" and status is not None:
            kind = f"http_{status}"
        yield Failure(request.meta.get("govwatch_url", request.url), kind, message, status)

    def _listing_request(self, url: str) -> scrapy.Request:
        # Listing pages are read on every run; Scrapy's duplicate filter stops loops.
        return scrapy.Request(
            url,
            callback=self.parse_listing,
            errback=self.on_error,
            priority=LISTING_PRIORITY,
            meta={"govwatch_url": url},
        )

    def _article_request(self, url: str) -> scrapy.Request | None:
        if url in self.articles_requested or len(self.articles_requested) >= self.source.max_pages:
            return None
        self.articles_requested.add(url)
        return scrapy.Request(
            url,
            callback=self.parse_article,
            errback=self.on_error,
            # A 404 or 410 is how a document is seen to go away, so the tracker gets it;
            # redirects are followed (one to the home page is a removal too) and other
            # errors reach on_error after their retries.
            meta={"govwatch_url": url, "handle_httpstatus_list": list(GONE_STATUSES)},
            dont_filter=True,
        )
