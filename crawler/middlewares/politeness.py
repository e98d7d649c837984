"""At most ``concurrency_per_host`` requests in flight at one host, whatever else is running.

Scrapy's ``CONCURRENT_REQUESTS_PER_DOMAIN`` counts within one crawl, and Scrapy 2.14 and
later do not hold it when ``DOWNLOAD_DELAY`` is 0. This middleware takes a slot of the host
before a request goes to the downloader and gives it back when the response or the error
comes back. The slots are shared by every crawl of this process and, with
``GOVWATCH_HOST_SLOTS_URL`` (a Redis URL, set by ``[cluster]``), by every worker of the
cluster. It sits last before the downloader (900) so that it holds a slot only for what is
really sent.
"""

from __future__ import annotations

from functools import cache

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.httpobj import urlparse_cached

from crawler.hostslots import HostSlots, LocalSlots, RedisSlots

META_KEY = "govwatch_host_slot"
# How long a slot outlives its holder. Live holders renew their slots every third of it, so
# it bounds only how long a crawl that died without giving them back (SIGKILL, a lost
# machine) blocks the host for the crawl that takes over.
LEASE_SECONDS = 20.0


@cache
def shared_slots(url: str | None, limit: int, lease_seconds: float) -> HostSlots:
    """One set of slots per process and store: every crawl of the process counts together.

    Shared slots are given back when the reactor shuts down: a crawl stopped by a signal
    ends its reactor with requests still in flight, and their slots would otherwise block
    the host for a lease after the process has gone.
    """
    if not url:
        return LocalSlots(limit)
    from twisted.internet import reactor

    slots = RedisSlots(url, limit, lease_seconds=lease_seconds)
    reactor.addSystemEventTrigger(  # type: ignore[attr-defined]
        "before", "shutdown", lambda: deferred_from_coro(slots.close())
    )
    return slots


class HostConcurrency:
    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        limit = settings.getint("GOVWATCH_HOST_SLOTS", 0)
        if limit <= 0:
            raise NotConfigured("GOVWATCH_HOST_SLOTS is not set")
        self.slots = shared_slots(settings.get("GOVWATCH_HOST_SLOTS_URL"), limit, LEASE_SECONDS)
        self.stats = crawler.stats
        self._held: set[tuple[str, str]] = set()  # this crawl's slots, (host, token)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HostConcurrency:
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        host = urlparse_cached(request).hostname or ""
        token = await self.slots.acquire(host)
        request.meta[META_KEY] = (host, token)
        self._held.add((host, token))
        return None

    async def process_response(self, request: Request, response: Response) -> Response:
        await self._release(request)
        return response

    async def process_exception(self, request: Request, exception: BaseException) -> None:
        await self._release(request)
        return None

    async def spider_closed(self) -> None:
        """Give back what requests cut off by the close still hold (a stopped crawl's
        downloads end without a response or an error reaching this middleware)."""
        held, self._held = self._held, set()
        for host, token in held:
            await self.slots.release(host, token)

    async def _release(self, request: Request) -> None:
        held = request.meta.pop(META_KEY, None)
        if held is not None:
            self._held.discard(held)
            await self.slots.release(*held)
