"""Fetching listing pages for a probe: plain blocking HTTP, one request at a time.

A probe reads a handful of pages while a person waits, outside any crawl; the crawler
fetches with Scrapy. Both hand the bytes to the same parsers (``crawler.listings``).
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import scrapy

from config import CrawlConfig
from crawler.middlewares.addresses import PrivateAddress, refusal


@dataclass
class Fetched:
    url: str  # after redirects
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    error: str | None = None  # a fetch that got no answer: why


Fetch = Callable[[scrapy.Request], Fetched]


class HttpFetcher:
    """Blocking HTTP with the crawl's user agent, timeout and size limit."""

    def __init__(self, crawl: CrawlConfig | None = None) -> None:
        crawl = crawl or CrawlConfig()
        self.user_agent = crawl.user_agent
        self.timeout = crawl.timeout
        self.max_bytes = crawl.max_bytes
        self.requests = 0
        # Editors preview sources from the web app: the same address rule as a crawl,
        # checked on the first URL and on every redirect.
        self._opener = urllib.request.build_opener(
            *(() if crawl.allow_private_addresses else (_PublicRedirects(),))
        )
        self._check = (lambda _url: None) if crawl.allow_private_addresses else _refused

    def __call__(self, request: scrapy.Request) -> Fetched:
        self.requests += 1
        headers = {"User-Agent": self.user_agent, "Accept": "text/html,application/json,*/*"}
        headers.update({k.decode(): b", ".join(v).decode("latin-1")
                        for k, v in request.headers.items()})
        data = request.body if request.method == "POST" else None
        wire = urllib.request.Request(request.url, data=data, headers=headers,
                                      method=request.method)
        refused = self._check(request.url)
        if refused:
            return Fetched(request.url, 0, error=refused)
        try:
            with self._opener.open(wire, timeout=self.timeout) as answer:
                body = answer.read(self.max_bytes + 1)
                if len(body) > self.max_bytes:
                    return Fetched(answer.url, answer.status, error="page larger than max_bytes")
                return Fetched(answer.url, answer.status, dict(answer.headers.items()), body)
        except urllib.error.HTTPError as exc:
            return Fetched(request.url, exc.code, dict(exc.headers.items()), b"")
        except PrivateAddress as exc:
            return Fetched(request.url, 0, error=str(exc))
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            return Fetched(request.url, 0, error=str(reason))


def _refused(url: str) -> str | None:
    host = urlsplit(url).hostname or ""
    why = refusal(host)
    return f"{host} {why}: not fetched ([crawl] allow_private_addresses is off)" if why else None


class _PublicRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001, ANN201
        refused = _refused(newurl)
        if refused:
            raise PrivateAddress(refused)
        return super().redirect_request(req, fp, code, msg, headers, newurl)
