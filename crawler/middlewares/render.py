"""Script-drawn listings read in headless Chromium, for sources that opt in (``render``).

Discovery reads a listing's HTML, the records its scripts embed and the list API they call;
only when none of these names a document, and the source sets ``render = true``, does the
spider ask for the page again with this middleware's meta key. The page is then loaded once
in Chromium (the browser the challenge middleware uses) and its drawn DOM handed to
discovery as the response. Without Playwright or Chromium the middleware switches itself off
and such listings stay empty, with a warning in the log.
"""

from __future__ import annotations

import importlib.util
import logging
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse, Response
from scrapy.utils.defer import deferred_from_coro
from twisted.internet.defer import Deferred

from crawler.middlewares.challenge import CHROMIUM_ARGS, chromium_path

log = logging.getLogger(__name__)

META_KEY = "govwatch_render"
SETTLE_MS = 1500  # after "load": scripts that fetch the list finish within this


class RenderListing:
    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.getbool("GOVWATCH_BROWSER_ENABLED", True):
            raise NotConfigured("GOVWATCH_BROWSER_ENABLED is off")
        if importlib.util.find_spec("playwright") is None:
            raise NotConfigured("Playwright is not installed: listings are not rendered")
        executable = chromium_path(settings.get("GOVWATCH_CHROMIUM"))
        if executable is None:
            raise NotConfigured("Chromium not found: listings are not rendered")
        self.executable = executable
        self.timeout = settings.getfloat("DOWNLOAD_TIMEOUT", 30.0)
        self.user_agent = settings.get("USER_AGENT")
        self.stats = crawler.stats
        self.playwright: Any = None
        self.browser: Any = None
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RenderListing:
        return cls(crawler)

    async def process_request(self, request: Request) -> Response | None:
        if not request.meta.get(META_KEY):
            return None
        try:
            html = await self._render(request.url)
        except Exception as exc:  # noqa: BLE001 - a browser failure leaves the listing unread
            log.warning("could not render the listing %s: %s", request.url, exc)
            if self.stats is not None:
                self.stats.inc_value("govwatch/listing/render_failed")
            return None
        if self.stats is not None:
            self.stats.inc_value("govwatch/listing/rendered")
        return HtmlResponse(request.url, body=html.encode("utf-8"), encoding="utf-8",
                            request=request)

    async def _render(self, url: str) -> str:
        if self.browser is None:
            from playwright.async_api import async_playwright

            self.playwright = await async_playwright().start()
            self.browser = await self.playwright.chromium.launch(
                executable_path=self.executable, args=CHROMIUM_ARGS, headless=True
            )
        context = await self.browser.new_context(user_agent=self.user_agent)
        try:
            page = await context.new_page()
            await page.goto(url, wait_until="load", timeout=self.timeout * 1000)
            await page.wait_for_timeout(SETTLE_MS)
            return await page.content()
        finally:
            await context.close()

    def spider_closed(self) -> Deferred | None:
        if self.playwright is None:
            return None
        return deferred_from_coro(self._close())

    async def _close(self) -> None:
        if self.browser is not None:
            await self.browser.close()
        await self.playwright.stop()
        self.browser = self.playwright = None
