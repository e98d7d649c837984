"""Scrapy settings for a govwatch crawl, built from the ``[crawl]`` configuration."""

from __future__ import annotations

from typing import Any

from scrapy.settings import default_settings

from config import CrawlConfig

PIPELINES = {"crawler.pipelines.TrackingPipeline": 300}
EXTENSIONS = {"crawler.extensions.RunRecorder": 500}
DOWNLOADER_MIDDLEWARES = {
    # First of all, so that no other component fetches anything for a refused request;
    # GOVWATCH_ALLOW_PRIVATE_ADDRESSES (False) switches it off.
    "crawler.middlewares.addresses.PublicAddressesOnly": 50,
    # Before the cookie middleware (700), so the cookies a browser earned join the jar.
    "crawler.middlewares.challenge.ChallengeMiddleware": 650,
    # After the default headers (400) and the user agent (500): it only adds headers.
    "crawler.middlewares.conditional.ConditionalRequests": 560,
    # Below decompression (590), so it sees the decoded bytes.
    "crawler.middlewares.encoding.ListingEncoding": 580,
    # Answers a listing request itself, from Chromium, when the spider asks to render.
    "crawler.middlewares.render.RenderListing": 600,
    # Last before the downloader, so a slot of the host is held only for what is sent.
    "crawler.middlewares.politeness.HostConcurrency": 900,
}
SPIDER_MIDDLEWARES = {
    # No depth limit is used, and wrapping every callback's output is a noticeable share of
    # what an unchanged (304) article costs.
    "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
}
# Settings of these components, with their defaults: GOVWATCH_CONDITIONAL_REQUESTS (True)
# sends the stored validators; GOVWATCH_BROWSER_ENABLED (True) lets a JS challenge be passed
# in Chromium, found at GOVWATCH_CHROMIUM (None: /usr/bin/chromium or on PATH);
# GOVWATCH_CONFIRM_DELAY (seconds) is how long a suspect page waits for its second fetch.


def _jitter(delay: float) -> dict[str, Any]:
    # DOWNLOAD_DELAY_JITTER replaces RANDOMIZE_DOWNLOAD_DELAY (deprecated) where it exists.
    if hasattr(default_settings, "DOWNLOAD_DELAY_JITTER"):
        return {"DOWNLOAD_DELAY_JITTER": 0.5 if delay > 0 else 0.0}
    return {"RANDOMIZE_DOWNLOAD_DELAY": delay > 0}


def build_settings(
    crawl: CrawlConfig,
    *,
    db_url: str,
    log_level: str = "WARNING",
    host_slots_url: str | None = None,
) -> dict[str, Any]:
    """Scrapy settings; ``host_slots_url`` (Redis) shares the per-host limit with a cluster."""
    return {
        "BOT_NAME": "govwatch",
        "USER_AGENT": crawl.user_agent,
        "ROBOTSTXT_OBEY": crawl.obey_robots,
        "CONCURRENT_REQUESTS": 16,
        # The tracking pipeline is synchronous, so items gain nothing from running in
        # parallel; Scrapy would start this many asyncio tasks for every response.
        "CONCURRENT_ITEMS": 4,
        "CONCURRENT_REQUESTS_PER_DOMAIN": crawl.concurrency_per_host,
        # Held at any delay and across crawls (crawler/middlewares/politeness.py).
        "GOVWATCH_HOST_SLOTS": crawl.concurrency_per_host,
        "GOVWATCH_HOST_SLOTS_URL": host_slots_url,
        "DOWNLOAD_DELAY": crawl.download_delay,
        # Each delay varies by ±50 % (Scrapy's default), so requests do not tick like a clock.
        **_jitter(crawl.download_delay),
        "AUTOTHROTTLE_ENABLED": crawl.autothrottle,
        "AUTOTHROTTLE_START_DELAY": max(crawl.download_delay, 1.0),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
        "DOWNLOAD_TIMEOUT": crawl.timeout,
        "RETRY_ENABLED": crawl.retries > 0,
        "RETRY_TIMES": crawl.retries,
        "DOWNLOAD_MAXSIZE": crawl.max_bytes,
        "DOWNLOAD_WARNSIZE": 0,
        "DOWNLOAD_FAIL_ON_DATALOSS": True,
        "COOKIES_ENABLED": True,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": log_level,
        "LOG_INSTALL_ROOT_HANDLER": True,
        # Scrapy reads a callback's source to warn about generators that return a value, and
        # its cache forgets a bound method as soon as a request lets go of it: that costs
        # more than an unchanged (304) article does.
        "WARN_ON_GENERATOR_RETURN_VALUE": False,
        # Govwatch keeps every version itself; Scrapy's cache would only hide changes.
        "HTTPCACHE_ENABLED": False,
        "ITEM_PIPELINES": PIPELINES,
        "EXTENSIONS": EXTENSIONS,
        "DOWNLOADER_MIDDLEWARES": DOWNLOADER_MIDDLEWARES,
        "SPIDER_MIDDLEWARES": SPIDER_MIDDLEWARES,
        "GOVWATCH_DB_URL": db_url,
        "GOVWATCH_ALLOW_PRIVATE_ADDRESSES": crawl.allow_private_addresses,
        "GOVWATCH_CONFIRM_DELAY": crawl.confirm_delay,
    }
