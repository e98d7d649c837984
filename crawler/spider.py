"""The one generic spider: a source's listing pages in, article pages and attachments out.

Listing pages are read on every run (conditionally), in whatever format the portal lists
documents (``crawler.listings``); paging stops at the first page with nothing new, except in
a periodic full sweep. New documents they name are always fetched; known ones when the
listing dates them after the last visit; entries whose listing shows no change since the
stored version are not fetched at all. Once the listings are done, the run's revisit budget
goes to the due known documents (``crawler.revisiting``), fetched conditionally.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure as TwistedFailure

from config import SourceConfig
from crawler.discovery.listing import GUESS
from crawler.failures import classify
from crawler.links import LinkRules, clean_url
from crawler.listings import Entry, parse_listing
from crawler.middlewares.conditional import META_KEY as CONDITIONAL
from crawler.middlewares.conditional import VALIDATORS
from crawler.middlewares.encoding import META_KEY as LISTING
from crawler.middlewares.render import META_KEY as RENDER
from crawler.pages import page_from_response
from crawler.revisiting import RevisitPlanner, Triage
from storage.revisits import Known
from storage.runs import RunContext
from tracker.observations import Failure, Page
from tracker.track import GONE_STATUSES, NOT_MODIFIED

LISTING_PRIORITY = 10  # discover before revisiting, so new documents are never cut by max_pages


class PortalSpider(scrapy.Spider):
    name = "portal"

    def __init__(self, source: SourceConfig, run: RunContext, **kwargs: Any) -> None:
        super().__init__(name=f"portal:{source.name}", **kwargs)
        self.source = source
        self.run = run
        self.rules = LinkRules(source.start_urls, source.allow, source.deny)
        self.articles_requested: set[str] = set()
        self.listings_requested: set[tuple[str, str, bytes]] = set()
        self.planner: RevisitPlanner | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> PortalSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.planner = RevisitPlanner(crawler.settings["GOVWATCH_DB_URL"], spider.source,
                                        spider.run)
        crawler.signals.connect(spider.revisit_known, signal=signals.spider_idle)
        crawler.signals.connect(spider.planner.close, signal=signals.spider_closed)
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.source.start_urls:
            self.listings_requested.add(("GET", url, b""))
            yield self._listing_request(scrapy.Request(url), chain=url)

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request | Failure | Page]:
        assert self.planner is not None
        if response.status == NOT_MODIFIED:  # the listing page did not change: nothing new
            self.planner.listing_fetched(response.meta["govwatch_url"], _headers(response))
            return
        if response.status != 200 or not isinstance(response, TextResponse):
            self.planner.listing_failed()
            yield Failure(
                response.url, f"http_{response.status}", "listing page unusable", response.status
            )
            return
        listing = parse_listing(response, self.rules, self.source.listing)
        self.crawler.stats.inc_value(f"govwatch/listing/{listing.kind}")
        if listing.needs_render and self.source.render and not response.meta.get(RENDER):
            # No list the HTML or its scripts vouch for: read the one the browser draws.
            yield self._listing_request(
                scrapy.Request(response.url, meta={RENDER: True}, dont_filter=True),
                chain=response.meta["govwatch_chain"],
            )
            return
        entries = [e for e in listing.articles if self.rules.admits(e.url)]
        if entries and response.request is not None and response.request.method == "GET":
            # Only pages that list documents are asked conditionally: an index of listing
            # pages (a sitemap index) may stay the same while the pages it names change.
            self.planner.listing_fetched(response.meta["govwatch_url"], _headers(response))
        triage = self.planner.triage(entries)
        yield from self._visit(triage)
        pages = []
        for page in listing.pages:
            # Pagers link every page from every page: drop repeats here, before Scrapy's
            # middlewares and duplicate filter spend time on thousands of them.
            if isinstance(page, str):
                key = ("GET", page, b"")
            else:
                key = (page.method, page.url, page.body)
            if key in self.listings_requested or not self.rules.same_site(key[1]):
                continue
            if len(self.listings_requested) >= self.source.max_listing_pages:
                self.crawler.stats.inc_value("govwatch/listing/page_limit")
                break
            self.listings_requested.add(key)
            pages.append(page)
        chain = response.meta["govwatch_chain"]
        for page in self.planner.next_pages(chain, pages, triage, len(entries)):
            request = scrapy.Request(page) if isinstance(page, str) else page
            yield self._listing_request(request, chain=chain)

    def parse_article(self, response: Response) -> Iterator[object]:
        page = page_from_response(
            response,
            response.meta["govwatch_url"],
            parent_url=response.meta.get("govwatch_parent"),
            max_bytes=self.crawler.settings.getint("DOWNLOAD_MAXSIZE"),
        )
        yield page
        if page.extraction is None or page.soft_404 or page.parent_url:
            return
        urls = [url for a in page.extraction.attachments
                if self.rules.same_site(url := clean_url(a.url))]
        if not urls:
            return
        assert self.planner is not None
        # New attachments are fetched now; known ones keep their own revisit schedule.
        for url in self.planner.triage([Entry(url) for url in urls]).new:
            request = self._article_request(url, parent=page.url)
            if request is not None:
                yield request

    def on_error(self, failure: TwistedFailure) -> Iterator[Failure]:
        request = failure.request  # type: ignore[attr-defined]
        kind, message = classify(failure)
        status = getattr(getattr(failure.value, "response", None), "status", None)
        if kind == "http_error" and status is not None:
            kind = f"http_{status}"
        if request.meta.get(LISTING) and self.planner is not None:
            self.planner.listing_failed()  # a sweep with a failed page proves no removal
        yield Failure(request.meta.get("govwatch_url", request.url), kind, message, status)

    def guess_failed(self, failure: TwistedFailure) -> None:
        self.crawler.stats.inc_value("govwatch/listing/guess_refused")

    def revisit_known(self) -> None:
        """When the listings are done: revisit the due documents the budget buys."""
        assert self.planner is not None
        requests = [
            request
            for known in self.planner.plan(self.articles_requested)
            if (request := self._article_request(known.url, validators=known)) is not None
        ]
        if not requests:
            return
        assert self.crawler.engine is not None
        for request in requests:
            self.crawler.engine.crawl(request)
        raise DontCloseSpider

    def _visit(self, triage: Triage) -> Iterator[scrapy.Request | Page]:
        assert self.planner is not None
        for url in triage.unchanged:
            # The portal says the document has not changed since the stored version.
            if self._claim(url):
                self.crawler.stats.inc_value("govwatch/skipped_by_listing")
                yield _not_modified(url)
        for url in triage.new:  # never deferred, never counted against the budget
            request = self._article_request(url)
            if request is not None:
                yield request
        due = [k for k in triage.due if k.url not in self.articles_requested]
        for known in self.planner.spend(due):
            request = self._article_request(known.url, validators=known)
            if request is not None:
                yield request

    def _listing_request(self, request: scrapy.Request, chain: str) -> scrapy.Request:
        # Listing pages are read on every run; Scrapy's duplicate filter stops loops. A page
        # whose URL was guessed from a pager's count may not exist: its failure is no fault.
        assert self.planner is not None
        meta = {**request.meta, "govwatch_url": request.url, "govwatch_chain": chain,
                LISTING: True, "handle_httpstatus_list": [NOT_MODIFIED]}
        validators = self.planner.listing_validators(request.url)
        if (request.method == "GET" and not request.meta.get(RENDER) and validators is not None
                and any(validators)):
            meta.update({CONDITIONAL: True, VALIDATORS: validators})
        return request.replace(
            callback=self.parse_listing,
            errback=self.guess_failed if GUESS in request.meta else self.on_error,
            priority=LISTING_PRIORITY,
            meta=meta,
        )

    def _claim(self, url: str) -> bool:
        if url in self.articles_requested or len(self.articles_requested) >= self.source.max_pages:
            return False
        self.articles_requested.add(url)
        return True

    def _article_request(self, url: str, parent: str | None = None,
                         validators: Known | None = None) -> scrapy.Request | None:
        if not self._claim(url):
            return None
        meta: dict[str, Any] = {
            "govwatch_url": url,
            # A 404 or 410 is how a document is seen to go away, and a 304 that it did not
            # change, so the tracker gets them; redirects are followed (one to the home page
            # is a removal too) and other errors reach on_error after their retries.
            "handle_httpstatus_list": [*GONE_STATUSES, NOT_MODIFIED],
            CONDITIONAL: True,
        }
        if parent:
            meta["govwatch_parent"] = parent
        if validators is not None:
            meta[VALIDATORS] = (validators.etag, validators.last_modified)
        return scrapy.Request(
            url, callback=self.parse_article, errback=self.on_error, meta=meta, dont_filter=True
        )


def _not_modified(url: str) -> Page:
    return Page(
        url=url, final_url=url, status=NOT_MODIFIED, headers={}, body=b"",
        fetched_at=datetime.now(UTC),
    )


def _headers(response: Response) -> dict[str, str]:
    return {
        key.decode("latin-1").lower(): b", ".join(values).decode("latin-1")
        for key, values in response.headers.items()
    }
