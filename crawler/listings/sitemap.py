"""Sitemaps: ``<urlset>`` entries with their ``<lastmod>``, ``<sitemapindex>`` children followed."""

from __future__ import annotations

from scrapy.http import TextResponse
from scrapy.utils.sitemap import Sitemap

from crawler.links import LinkRules, clean_url
from crawler.listings.dates import parse_date
from crawler.listings.model import Entry, Listing


def parse(response: TextResponse, rules: LinkRules) -> Listing:
    listing = Listing()
    try:
        sitemap = Sitemap(response.body)
    except Exception:  # noqa: BLE001 - lxml's errors on broken XML vary; an unusable map is empty
        return listing
    for entry in sitemap:
        loc = (entry.get("loc") or "").strip()
        if not loc:
            continue
        url = clean_url(response.urljoin(loc))
        if sitemap.type == "sitemapindex":
            listing.pages.append(url)
        else:
            listing.articles.append(Entry(url, parse_date(entry.get("lastmod"))))
    return listing
