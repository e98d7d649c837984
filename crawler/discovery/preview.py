"""What a source starting at a listing page would watch: ``probe``.

The probe reads the start page and the listing pages it leads to with the crawler's own
parsers and rules (``crawler.listings.parse_listing``, ``LinkRules``, the same page-request
bookkeeping and limits as the spider), so what it shows is what a crawl would fetch. Given a
saved page instead of a URL it reads that page alone, offline.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import scrapy
from scrapy.http import HtmlResponse, TextResponse

from config import CrawlConfig
from crawler.discovery import shapes
from crawler.discovery.fetch import Fetch, Fetched, HttpFetcher
from crawler.discovery.listing import GUESS
from crawler.discovery.render import RenderUnavailable, render_page
from crawler.links import LinkRules
from crawler.listings import Entry, parse_listing
from extractor.encoding import decode


@dataclass
class Preview:
    url: str
    listing: str  # how the start page lists its documents
    articles: list[Entry] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)  # listing pages read (or found, offline)
    suggested_allow: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    requests: int = 0  # HTTP requests spent

    def to_json(self) -> dict[str, Any]:
        """The ``govwatch probe --json`` object."""
        return {
            "url": self.url,
            "listing": self.listing,
            "articles": [
                {"url": e.url, "title": e.title,
                 "published_at": e.published.isoformat() if e.published else None}
                for e in self.articles
            ],
            "pages": list(self.pages),
            "suggested_allow": list(self.suggested_allow),
            "warnings": list(self.warnings),
        }


def probe(url: str, *, html: bytes | str | None = None, allow: Iterable[str] = (),
          deny: Iterable[str] = (), listing: str = "auto", max_listing_pages: int = 100,
          render: bool = False, crawl: CrawlConfig | None = None,
          fetch: Fetch | None = None) -> Preview:
    """Preview a source whose start URL is ``url``.

    With ``html`` (a saved page's bytes or text), ``url`` is its address and nothing is
    fetched. Otherwise the start page and its further listing pages are fetched, up to
    ``max_listing_pages``; ``fetch`` replaces the HTTP client (tests, the web app).
    """
    rules = LinkRules([url], allow, deny)
    preview = Preview(url=url, listing="")
    if html is not None:
        body = html.encode("utf-8") if isinstance(html, str) else html
        response = _response(scrapy.Request(url), Fetched(url, 200, {}, body))
        _read_offline(preview, response, rules, listing)
    else:
        fetcher = fetch or HttpFetcher(crawl)
        _walk(preview, rules, listing, max_listing_pages, render, fetcher, crawl)
    preview.suggested_allow = [] if rules.explicit else shapes.allow_patterns(
        e.url for e in preview.articles
    )
    if not preview.articles:
        preview.warnings.append("no documents found")
    return preview


def _read_offline(preview: Preview, response: TextResponse, rules: LinkRules,
                  kind: str) -> None:
    found = parse_listing(response, rules, kind)
    preview.listing = found.kind
    preview.warnings.extend(found.warnings)
    preview.articles = _admitted(found.articles, rules, {})
    preview.pages = [preview.url]
    guessed = []
    for page in found.pages:
        target = page if isinstance(page, str) else page.url
        if isinstance(page, scrapy.Request) and GUESS in page.meta:
            guessed.append(target)
        elif target not in preview.pages and rules.same_site(target):
            preview.pages.append(target)
    # Guesses last: a saved page cannot confirm them, a crawl does by fetching.
    preview.pages += [g for g in guessed if g not in preview.pages and rules.same_site(g)]
    preview.warnings.append("offline: further listing pages are named, not read")
    if guessed:
        preview.warnings.append(
            f"{len(guessed)} page URL(s) guessed from the pager (last in pages); a crawl "
            "confirms them by fetching")


def _walk(preview: Preview, rules: LinkRules, kind: str, limit: int, render: bool,
          fetch: Fetch, crawl: CrawlConfig | None) -> None:
    queue: list[scrapy.Request] = [scrapy.Request(preview.url)]
    requested = {("GET", preview.url, b"")}
    seen: dict[str, Entry] = {}
    cut = 0
    while queue:
        request = queue.pop(0)
        fetched = fetch(request)
        preview.requests += 1
        guessed = GUESS in request.meta
        if fetched.error or fetched.status != 200:
            if not guessed:
                why = fetched.error or f"HTTP {fetched.status}"
                preview.warnings.append(f"listing page {request.url} unusable: {why}")
            continue
        response = _response(request, fetched)
        found = parse_listing(response, rules, kind)
        if found.needs_render and render:
            drawn = _rendered(preview, request, rules, kind, crawl)
            found = drawn if drawn is not None and drawn.articles else found
        if not preview.listing:
            preview.listing = found.kind
            preview.warnings.extend(found.warnings)
        if guessed and not found.articles:
            continue
        preview.pages.append(request.url)
        preview.articles.extend(_admitted(found.articles, rules, seen))
        for page in found.pages:
            following = scrapy.Request(page) if isinstance(page, str) else page
            key = (following.method, following.url, following.body)
            if key in requested or not rules.same_site(following.url):
                continue
            if len(requested) >= limit:
                cut += 1
                continue
            requested.add(key)
            queue.append(following)
    if cut:
        preview.warnings.append(f"stopped at max_listing_pages ({limit}); {cut} more page(s) "
                                "named")


def _rendered(preview: Preview, request: scrapy.Request, rules: LinkRules, kind: str,
              crawl: CrawlConfig | None) -> Any:
    crawl = crawl or CrawlConfig()
    try:
        html = render_page(request.url, crawl.timeout, crawl.user_agent)
    except RenderUnavailable as exc:
        preview.warnings.append(f"not rendered: {exc}")
        return None
    preview.requests += 1
    response = HtmlResponse(request.url, body=html.encode("utf-8"), encoding="utf-8",
                            request=request)
    found = parse_listing(response, rules, kind)
    found.kind = f"rendered {found.kind}"
    return found


def _admitted(entries: list[Entry], rules: LinkRules, seen: dict[str, Entry]) -> list[Entry]:
    fresh = []
    for entry in entries:
        if entry.url not in seen and rules.admits(entry.url):
            seen[entry.url] = entry
            fresh.append(entry)
    return fresh


def _response(request: scrapy.Request, fetched: Fetched) -> TextResponse:
    """The response the spider would parse, decoded as its bytes say (as the crawl's
    listing-encoding middleware does)."""
    headers = {k: v for k, v in fetched.headers.items()}
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    _, encoding, _ = decode(fetched.body, content_type)
    lowered = content_type.lower()
    cls = TextResponse if ("json" in lowered or "xml" in lowered) else HtmlResponse
    return cls(fetched.url or request.url, status=fetched.status, headers=headers,
               body=fetched.body, encoding=encoding, request=request)
