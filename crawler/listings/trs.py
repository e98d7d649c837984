"""TRS WCM listings: ``index.html``, ``index_1.html``…, the page count only in the pager's JS.

The pager is written by ``createPageHTML(count, current, "index", "html")`` (or announced
as ``var countPage = N``), so a crawler that only follows links sees page one alone.
"""

from __future__ import annotations

import re

from scrapy.http import TextResponse

from crawler.links import LinkRules
from crawler.listings import html
from crawler.listings.model import Listing

CREATE_PAGE = re.compile(
    r"createPageHTML\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)['\"]?"
    r"(?:\s*,\s*['\"]([\w-]+)['\"]\s*,\s*['\"](\w+)['\"])?"
)
COUNT_PAGE = re.compile(r"var\s+countPage\s*=\s*['\"]?(\d+)")
CURRENT_PAGE = re.compile(r"var\s+currentPage\s*=\s*['\"]?(\d+)")
MAX_PAGES = 2000  # a guard against a garbled count, not a real portal's limit


def parse(response: TextResponse, rules: LinkRules) -> Listing:
    listing = html.parse(response, rules)
    count, current, prefix, suffix = _pager(response.text)
    if current != 0:
        return listing  # the first page already named every page
    for index in range(min(count, MAX_PAGES)):
        name = f"{prefix}.{suffix}" if index == 0 else f"{prefix}_{index}.{suffix}"
        listing.pages.append(response.urljoin(name))
    return listing


def _pager(text: str) -> tuple[int, int, str, str]:
    """(page count, current page from 0, file prefix, suffix); count 0: no TRS pager."""
    if match := CREATE_PAGE.search(text):
        prefix, suffix = match.group(3) or "index", match.group(4) or "html"
        return int(match.group(1)), int(match.group(2)), prefix, suffix
    if match := COUNT_PAGE.search(text):
        current = CURRENT_PAGE.search(text)
        return int(match.group(1)), int(current.group(1)) if current else 0, "index", "html"
    return 0, 0, "index", "html"
