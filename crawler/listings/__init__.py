"""Listing formats: how a portal lists its documents, one small parser per pattern.

Every parser turns a listing response into a :class:`Listing`: the article entries it names
and the further listing pages to fetch. ``detect`` picks the parser from what the response
reveals; a source's ``listing`` option overrides it.
"""

from __future__ import annotations

from collections.abc import Callable

from scrapy.http import TextResponse

from crawler.discovery.listing import discover
from crawler.links import LinkRules
from crawler.listings import feed, gkmlpt, hanweb, sitemap
from crawler.listings.detect import detect
from crawler.listings.model import Entry, Listing

Parser = Callable[[TextResponse, LinkRules], Listing]

PARSERS: dict[str, Parser] = {
    # HTML listings of any CMS (TRS's script pager included) and JSON list APIs: found by
    # structure, embedded records and pager evidence (crawler.discovery).
    "html": discover,
    "trs": discover,
    "hanweb": hanweb.parse,
    "gkmlpt": gkmlpt.parse,
    "sitemap": sitemap.parse,
    "feed": feed.parse,
}


def parse_listing(response: TextResponse, rules: LinkRules, kind: str = "auto") -> Listing:
    """Parse a listing page with the named parser, or the one ``detect`` picks for "auto"."""
    chosen = detect(response) if kind == "auto" else kind
    listing = PARSERS[chosen](response, rules)
    if chosen != "html" or not listing.kind:
        listing.kind = chosen
    return listing


__all__ = ["PARSERS", "Entry", "Listing", "detect", "parse_listing"]
