"""Second fetches of suspect pages, within the run that saw them.

The tracker holds back a change too large to believe from one fetch (``tracker.suspicion``).
Once the run has fetched everything else, the held pages are grouped by their text: when
several documents turned into one same text, that text is the site's outage page and each
is recorded as an error without another request. Every other held page is fetched again,
no sooner than ``GOVWATCH_CONFIRM_DELAY`` seconds after the first fetch, and the tracker
believes the change only if the second fetch shows the same text. The spider stays open
until the second fetches are done, so a confirmed change alerts with its own run.
"""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Any

import scrapy
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.asyncio import call_later

from crawler.middlewares.conditional import META_KEY as CONDITIONAL
from tracker import outage_rules
from tracker.observations import Failure, Suspicion
from tracker.track import GONE_STATUSES, NOT_MODIFIED

CONFIRMING = "govwatch_confirming"  # request meta: the suspicion a fetch is the second look at
STATS_KEY = "govwatch/confirm/requests"


class Confirmations:
    """Holds a run's suspect pages and fetches them again once the run is otherwise done."""

    def __init__(self, crawler: Crawler, delay: float, record: Any) -> None:
        """``record``: called with a :class:`Failure` for each page found to be an outage."""
        self.crawler = crawler
        self.delay = delay
        self.record = record
        self.held: list[Suspicion] = []
        self.waiting = 0  # second fetches scheduled but not yet handed to the engine
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)

    def hold(self, suspicion: Suspicion) -> None:
        self.held.append(suspicion)

    def spider_idle(self, spider: Spider) -> None:
        if self.waiting:
            raise DontCloseSpider
        if not self.held:
            return
        engine = self.crawler.engine
        assert engine is not None
        if not engine.spider_is_idle():
            # Another handler (the revisit of known documents) queued work: judge the held
            # pages once all of it is in, so that shared outage text is counted in full.
            raise DontCloseSpider
        held, self.held = self.held, []
        outages, singles = shared_text(held)
        for suspicion, count in outages:
            self.record(
                Failure(
                    suspicion.url,
                    "shared_text",
                    f"{suspicion.reason}; {count} documents of this run turned into the "
                    "same text (an outage page)",
                )
            )
        for suspicion in singles:
            wait = suspicion.observed_at.timestamp() + self.delay - time.time()
            self.waiting += 1
            call_later(max(0.0, wait), self._fetch_again, spider, suspicion)
        if self.waiting:
            raise DontCloseSpider

    def _fetch_again(self, spider: Spider, suspicion: Suspicion) -> None:
        self.waiting -= 1
        engine = self.crawler.engine
        if engine is None or engine.spider is None:
            return  # the crawl was stopped meanwhile
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(STATS_KEY)
        engine.crawl(request_again(spider, suspicion))


def shared_text(held: list[Suspicion]) -> tuple[list[tuple[Suspicion, int]], list[Suspicion]]:
    """Split held pages into (those sharing one text with many others, count), and the rest."""
    by_text: dict[str, list[Suspicion]] = defaultdict(list)
    for suspicion in held:
        by_text[suspicion.sha256].append(suspicion)
    outages: list[tuple[Suspicion, int]] = []
    singles: list[Suspicion] = []
    for group in by_text.values():
        if len({s.url for s in group}) >= outage_rules.SHARED_TEXT_MIN_DOCUMENTS:
            outages.extend((s, len(group)) for s in group)
        else:
            singles.extend(group)
    return outages, singles


def request_again(spider: Spider, suspicion: Suspicion) -> scrapy.Request:
    meta: dict[str, Any] = {
        "govwatch_url": suspicion.url,
        "handle_httpstatus_list": [*GONE_STATUSES, NOT_MODIFIED],
        # With the stored version's validators: a 304 says the stored version is back.
        CONDITIONAL: True,
        CONFIRMING: suspicion,
    }
    return scrapy.Request(
        suspicion.url,
        callback=spider.parse_article,  # type: ignore[attr-defined]
        errback=spider.on_error,  # type: ignore[attr-defined]
        meta=meta,
        dont_filter=True,
    )
