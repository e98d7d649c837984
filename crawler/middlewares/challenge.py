"""Anti-bot JS challenges: earn the cookie in a real headless browser, then plain HTTP again.

Portals behind Rivers Security (瑞数) answer 412 with a ``$_ts`` script, those behind 加速乐
answer 521 with a script setting ``__jsl_clearance``, and some answer 200 with a page whose
only job is to set a cookie and reload. None can be passed without running the script. When
an answer looks like one of these, the page is opened in headless Chromium (Playwright, the
same browser scrapy-playwright drives), the cookies the script sets are taken from the
browser and the request is sent again over plain HTTP with them; Scrapy's cookie jar then
carries them on every later request to that host, so the browser runs about once per host
and run. The browser is launched only when the first challenge is seen; without Playwright
or Chromium the middleware switches itself off.
"""

from __future__ import annotations

import asyncio
import importlib.util
import logging
import os
import re
import shutil
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.utils.defer import deferred_from_coro
from twisted.internet.defer import Deferred

log = logging.getLogger(__name__)

CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TRIES = "govwatch_challenge_tries"
MAX_TRIES = 2
SMALL_PAGE = 16 * 1024  # a cookie-setting page is a script, not a document
SETS_COOKIE = re.compile(rb"document\.cookie\s*=")
RELOADS = re.compile(rb"location\.(?:reload|replace|href|assign)|window\.location\s*=")


def is_challenge(response: Response) -> bool:
    """Whether a response is a JS challenge page rather than the document."""
    body = response.body[:SMALL_PAGE * 4]
    if response.status == 412 and b"$_ts" in body:
        return True
    if response.status == 521 and (b"__jsl_clearance" in body or SETS_COOKIE.search(body)):
        return True
    return (
        response.status == 200
        and len(response.body) <= SMALL_PAGE
        and bool(SETS_COOKIE.search(body))
        and bool(RELOADS.search(body))
        and b"<p" not in body.lower()
    )


def chromium_path(configured: str | None) -> str | None:
    candidates = [configured] if configured else list(CHROMIUM_PATHS)
    for path in candidates:
        if path and os.path.exists(path):
            return path
    return shutil.which("chromium")


_said: set[str] = set()


def _say_once(message: str) -> None:
    """An optional capability missing: one line per process, shown only in verbose mode."""
    if message not in _said:
        _said.add(message)
        log.info(message)


class ChallengeMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.getbool("GOVWATCH_BROWSER_ENABLED", True):
            raise NotConfigured("GOVWATCH_BROWSER_ENABLED is off")
        if importlib.util.find_spec("playwright") is None:
            _say_once("Playwright is not installed: JS challenges cannot be passed")
            raise NotConfigured  # without a message: Scrapy would log it as a warning
        executable = chromium_path(settings.get("GOVWATCH_CHROMIUM"))
        if executable is None:
            _say_once("Chromium not found: JS challenges cannot be passed")
            raise NotConfigured
        self.executable = executable
        self.timeout = settings.getfloat("DOWNLOAD_TIMEOUT", 30.0)
        self.user_agent = settings.get("USER_AGENT")
        self.stats = crawler.stats
        self.cookies: dict[str, list[dict[str, Any]]] = {}  # host -> cookies the browser earned
        self.locks: dict[str, asyncio.Lock] = {}
        self.playwright: Any = None
        self.browser: Any = None
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ChallengeMiddleware:
        return cls(crawler)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        tries = request.meta.get(TRIES, 0)
        if tries >= MAX_TRIES or not is_challenge(response):
            return response
        host = urlsplit(request.url).netloc
        self._inc("govwatch/challenge/seen")
        lock = self.locks.setdefault(host, asyncio.Lock())
        async with lock:
            # Another request may have earned the cookies while this one was in flight.
            if host not in self.cookies or tries > 0:
                try:
                    self.cookies[host] = await self._solve(request.url)
                    self._inc("govwatch/challenge/browser")
                except Exception as exc:  # noqa: BLE001 - any browser failure leaves the 412 as is
                    log.warning("browser could not pass the challenge at %s: %s", request.url, exc)
                    self._inc("govwatch/challenge/failed")
                    return response
        cookies = self.cookies[host]
        if not cookies:
            return response
        return request.replace(
            cookies=[{k: c[k] for k in ("name", "value", "domain", "path")} for c in cookies],
            meta={**request.meta, TRIES: tries + 1},
            dont_filter=True,
        )

    async def _solve(self, url: str) -> list[dict[str, Any]]:
        """Open the page in Chromium until it stops being a challenge; return its cookies."""
        if self.browser is None:
            from playwright.async_api import async_playwright

            self.playwright = await async_playwright().start()
            self.browser = await self.playwright.chromium.launch(
                executable_path=self.executable, args=CHROMIUM_ARGS, headless=True
            )
        context = await self.browser.new_context(user_agent=self.user_agent)
        try:
            page = await context.new_page()
            statuses: list[int] = []
            page.on(
                "response",
                lambda r: statuses.append(r.status) if r.request.is_navigation_request() else None,
            )
            timeout_ms = self.timeout * 1000
            await page.goto(url, wait_until="load", timeout=timeout_ms)
            loop = asyncio.get_running_loop()
            deadline = loop.time() + self.timeout
            # The script sets its cookie and reloads; wait for a navigation that passes.
            while not (statuses and statuses[-1] < 400) and loop.time() < deadline:
                await page.wait_for_timeout(100)
            await page.wait_for_load_state("load", timeout=timeout_ms)
            return await context.cookies()
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

    def _inc(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)
