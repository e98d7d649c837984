"""What a new source would watch: its start URLs fetched once and read by the crawler's own
listing parsers (crawler/listings), before anything is stored or any crawl starts.

Only editors can ask (the page and the API check), only for http(s) URLs that the source's
own validation accepts, with a timeout and a size cap; the answer lists what was found,
never the page itself.
"""

from __future__ import annotations

from typing import Any

import httpx
from scrapy.http import HtmlResponse, TextResponse, XmlResponse

from config import SourceConfig
from crawler.links import LinkRules
from crawler.listings import parse_listing

MAX_BYTES = 5 * 1024 * 1024
TIMEOUT = 10.0
SHOWN = 20
USER_AGENT = "govwatch (source preview)"


def preview_source(source: SourceConfig, *, timeout: float = TIMEOUT) -> dict[str, Any]:
    """Per start URL: the HTTP answer, the listing format found and the documents it names."""
    rules = LinkRules(source.start_urls, source.allow, source.deny)
    checks = [_check(url, rules, source.listing, timeout) for url in source.start_urls[:5]]
    return {
        "name": source.name,
        "ok": any(c["ok"] for c in checks),
        "documents": sum(c["documents"] for c in checks),
        "start_urls": checks,
    }


def _check(url: str, rules: LinkRules, listing: str, timeout: float) -> dict[str, Any]:
    result: dict[str, Any] = {
        "url": url,
        "ok": False,
        "status": None,
        "error": None,
        "final_url": None,
        "listing": None,
        "documents": 0,
        "more_pages": 0,
        "examples": [],
    }
    try:
        body, response = _fetch(url, timeout)
    except (httpx.HTTPError, ValueError) as exc:
        result["error"] = f"{type(exc).__name__}: {exc}"[:300]
        return result
    result["status"] = response.status_code
    result["final_url"] = str(response.url)
    if response.status_code >= 400:
        result["error"] = f"HTTP {response.status_code}"
        return result
    page = _scrapy_response(str(response.url), response.headers, body)
    if page is None:
        result["error"] = f"not a listing page ({response.headers.get('content-type', '?')})"
        return result
    found = parse_listing(page, rules, listing)
    result.update(
        ok=bool(found.articles),
        listing=found.kind,
        documents=len(found.articles),
        more_pages=len(found.pages),
        examples=[entry.url for entry in found.articles[:SHOWN]],
    )
    if not found.articles:
        result["error"] = "no document links found: check the URL, or give allow patterns"
    return result


def _fetch(url: str, timeout: float) -> tuple[bytes, httpx.Response]:
    headers = {"User-Agent": USER_AGENT}
    with (
        httpx.Client(follow_redirects=True, timeout=timeout, headers=headers) as client,
        client.stream("GET", url) as response,
    ):
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > MAX_BYTES:
                raise ValueError(f"larger than {MAX_BYTES // (1024 * 1024)} MB")
            chunks.append(chunk)
        return b"".join(chunks), response


def _scrapy_response(url: str, headers: httpx.Headers, body: bytes) -> TextResponse | None:
    kind = headers.get("content-type", "").lower()
    scrapy_headers = {"Content-Type": kind} if kind else {}
    if "html" in kind or not kind:
        return HtmlResponse(url=url, body=body, headers=scrapy_headers)
    if "xml" in kind or "rss" in kind or "atom" in kind:
        return XmlResponse(url=url, body=body, headers=scrapy_headers)
    if kind.startswith("text/") or "json" in kind:
        return TextResponse(url=url, body=body, headers=scrapy_headers)
    return None
