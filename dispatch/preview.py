"""What a source would watch, before it is crawled: the crawler's probe, for the shell and
the web app (which reach the crawler only through dispatch).

A preview runs in the caller's process, not as a crawl: it reads a handful of listing pages
over blocking HTTP, with the crawler's own parsers and limits
(``crawler.discovery.preview.probe``), so it shows what a crawl of the source would fetch.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from config import Config, ConfigError, CrawlConfig, SourceConfig
from crawler.discovery.preview import Preview, probe
from dispatch.base import UnknownSource

# Listing pages a preview reads while a person waits in the web app.
WEB_PREVIEW_PAGES = 10
SHOWN = 20  # document URLs listed per start URL by check_source

__all__ = ["WEB_PREVIEW_PAGES", "Preview", "check_source", "preview_source", "preview_url"]


def preview_source(config: Config, name: str, max_listing_pages: int | None = None
                   ) -> list[Preview]:
    """One preview per start URL of the configured source ``name``; only its own URLs."""
    try:
        source = config.source(name)
    except ConfigError:
        raise UnknownSource(name) from None
    limit = min(source.max_listing_pages, max_listing_pages or source.max_listing_pages)
    return [
        probe(url, allow=source.allow, deny=source.deny, listing=source.listing,
              max_listing_pages=limit, render=source.render, crawl=config.crawl)
        for url in source.start_urls
    ]


def preview_url(config: Config, url: str, *, html: bytes | None = None,
                source: str | None = None, allow: Iterable[str] = (),
                max_listing_pages: int | None = None, render: bool = False) -> Preview:
    """A preview of a start URL (or of a saved page at that address, offline), with a
    configured source's patterns and limits when ``source`` names one."""
    configured = None
    if source is not None:
        try:
            configured = config.source(source)
        except ConfigError:
            raise UnknownSource(source) from None
    return probe(
        url,
        html=html,
        allow=list(allow) or (configured.allow if configured else []),
        deny=configured.deny if configured else (),
        listing=configured.listing if configured else "auto",
        max_listing_pages=max_listing_pages
        or (configured.max_listing_pages if configured else 100),
        render=render or bool(configured and configured.render),
        crawl=config.crawl,
    )


def check_source(source: SourceConfig, crawl: CrawlConfig | None = None,
                 max_listing_pages: int = WEB_PREVIEW_PAGES) -> dict[str, Any]:
    """What a source that is not stored yet would watch, per start URL (the add-source form).

    The same probe as ``govwatch probe``, summarised: whether documents were found, how many,
    the listing kind, how many listing pages, the first documents' URLs and any warning.
    """
    checks = []
    for url in source.start_urls[:5]:
        found = probe(url, allow=source.allow, deny=source.deny, listing=source.listing,
                      max_listing_pages=min(max_listing_pages, source.max_listing_pages),
                      render=source.render, crawl=crawl)
        checks.append({
            "url": url,
            "ok": bool(found.articles),
            "status": None,
            "error": "; ".join(found.warnings) or None,
            "final_url": found.pages[0] if found.pages else None,
            "listing": found.listing or None,
            "documents": len(found.articles),
            "more_pages": max(0, len(found.pages) - 1),
            "examples": [entry.url for entry in found.articles[:SHOWN]],
        })
    return {
        "name": source.name,
        "ok": any(check["ok"] for check in checks),
        "documents": sum(check["documents"] for check in checks),
        "start_urls": checks,
    }
