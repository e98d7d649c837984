"""Benchmark: finding a listing's documents and pages with no allow pattern, per CMS family.

Run by hand: ``.venv/bin/python benchmarks/discovery.py [--articles 36]``.

The portal simulator serves each family's column (``portal.listings``: twelve CMS
templates with navigation, hot/recommended boxes, tab strips of other columns' documents in
the same URL shapes, friend links, script-rendered lists and GBK pages) on 127.0.0.1. Each
column is walked twice, from its first page, with no ``allow`` pattern:

- **discovery**: ``crawler.discovery.preview.probe``, the code the crawler runs (for the
  family whose list only a browser draws, as a source with ``render = true``: one page
  load in headless Chromium, counted as a request);
- **URL shapes**: the previous code path, kept here as the peer: article links by the
  built-in URL shapes (``crawler.links.DEFAULT_ARTICLE_PATTERNS``), further pages by "next"
  links and ``index_N.html`` siblings, the TRS script pager, and the Hanweb/gkmlpt parsers.

Per family it prints precision and recall of the document URLs against the column's truth
(``portal.listings.truth``), listing pages followed (answered 200) and requests spent, then
pooled figures (sums over families).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import scrapy  # noqa: E402
from scrapy.http import TextResponse  # noqa: E402

from crawler.discovery.fetch import Fetched, HttpFetcher  # noqa: E402
from crawler.discovery.preview import _response, probe  # noqa: E402
from crawler.links import LinkRules, clean_url  # noqa: E402
from crawler.listings import PARSERS, detect  # noqa: E402
from crawler.listings.model import Listing  # noqa: E402
from portal import Portal  # noqa: E402
from portal.listings import FAMILIES, start_url, truth  # noqa: E402


@dataclass
class Result:
    found: set[str]
    pages: int
    requests: int


class CountingFetcher(HttpFetcher):
    def __call__(self, request: scrapy.Request) -> Fetched:
        fetched = super().__call__(request)
        if fetched.status == 200:
            self.answered += 1
        return fetched

    answered = 0


def discovery(url: str, render: bool) -> Result:
    fetcher = CountingFetcher()
    preview = probe(url, fetch=fetcher, render=render)
    requests = fetcher.requests + (1 if preview.listing.startswith("rendered") else 0)
    return Result({e.url for e in preview.articles}, len(preview.pages), requests)


# -- the previous code path: URL shapes and next links ------------------------------------

CREATE_PAGE = re.compile(
    r"createPageHTML\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)['\"]?"
    r"(?:\s*,\s*['\"]([\w-]+)['\"]\s*,\s*['\"](\w+)['\"])?"
)


def shapes_html(response: TextResponse, rules: LinkRules) -> Listing:
    listing = Listing()
    for link in response.selector.root.iter("a"):
        href = link.get("href")
        if not href:
            continue
        url = clean_url(response.urljoin(href))
        if rules.is_article(url):
            listing.articles.append(scrapy_entry(url))
        elif rules.is_listing_page(url, " ".join(link.itertext()), response.url):
            listing.pages.append(url)
    if (match := CREATE_PAGE.search(response.text)) and int(match.group(2)) == 0:
        prefix, suffix = match.group(3) or "index", match.group(4) or "html"
        for index in range(int(match.group(1))):
            name = f"{prefix}.{suffix}" if index == 0 else f"{prefix}_{index}.{suffix}"
            listing.pages.append(response.urljoin(name))
    return listing


def scrapy_entry(url: str):  # noqa: ANN201
    from crawler.listings.model import Entry

    return Entry(url)


def url_shapes(url: str, render: bool) -> Result:
    rules = LinkRules([url], [], [])
    fetcher = CountingFetcher()
    queue = [scrapy.Request(url)]
    seen = {("GET", url, b"")}
    found: set[str] = set()
    while queue:
        request = queue.pop(0)
        fetched = fetcher(request)
        if fetched.status != 200 or fetched.error:
            continue
        response = _response(request, fetched)
        kind = detect(response)
        parse: Callable = shapes_html if kind in ("html", "trs") else PARSERS[kind]
        listing = parse(response, rules)
        found |= {e.url for e in listing.articles if rules.is_article(e.url)}
        for page in listing.pages:
            following = scrapy.Request(page) if isinstance(page, str) else page
            key = (following.method, following.url, following.body)
            if key not in seen and rules.same_site(following.url) and len(seen) < 100:
                seen.add(key)
                queue.append(following)
    return Result(found, fetcher.answered, fetcher.requests)


# -- the table ------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--articles", type=int, default=36)
    args = parser.parse_args()
    site = Portal(articles=args.articles, per_page=10, seed=7)
    methods = {"discovery": discovery, "URL shapes": url_shapes}
    totals = {name: [0, 0, 0, 0, 0] for name in methods}  # tp, found, truth, pages, requests
    header = f"{'family':<12} {'method':<10} {'precision':>9} {'recall':>7} {'pages':>6} " \
             f"{'requests':>8} {'ms':>6}"
    with site.serve():
        base = site.server.url
        print(f"{args.articles} documents per column, no allow pattern\n")
        print(header)
        print("-" * len(header))
        for name in FAMILIES:
            expected = truth(base, name, site.articles)
            for method, run in methods.items():
                started = time.perf_counter()
                # A family only a browser can read is probed as a source with render = true.
                result = run(start_url(base, name), FAMILIES[name].mode == "render")
                elapsed = (time.perf_counter() - started) * 1000
                hits = len(result.found & expected)
                precision = hits / len(result.found) if result.found else 0.0
                recall = hits / len(expected)
                row = totals[method]
                for index, value in enumerate(
                    (hits, len(result.found), len(expected), result.pages, result.requests)
                ):
                    row[index] += value
                print(f"{name:<12} {method:<10} {precision:>9.2f} {recall:>7.2f} "
                      f"{result.pages:>6} {result.requests:>8} {elapsed:>6.0f}")
        print("-" * len(header))
        for method, (hits, found, expected, pages, requests) in totals.items():
            precision = hits / found if found else 0.0
            print(f"{'pooled':<12} {method:<10} {precision:>9.2f} {hits / expected:>7.2f} "
                  f"{pages:>6} {requests:>8}")


if __name__ == "__main__":
    main()
