"""Hanweb jcms (大汉) listings: records in an XML ``<datastore>``, later groups from dataproxy.jsp.

A column page carries its first group of records inline (``<script type="text/xml">``) and a
``<nextgroup>`` link naming the proxy's parameters; the browser's jpage script then POSTs
``/module/web/jpage/dataproxy.jsp?startrecord=&endrecord=&perpage=`` for each further group.
Each ``<record>`` is a CDATA fragment of HTML holding one article link.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import scrapy
from lxml import html as lxml_html
from scrapy.http import TextResponse

from crawler.discovery.blocks import find_list
from crawler.discovery.listing import discover
from crawler.links import LinkRules, clean_url
from crawler.listings.model import Entry, Listing

RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S)
NEXT_GROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[(.*?)\]\]>\s*</nextgroup>", re.S)
TOTAL = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>|totalRecord\s*[:=]\s*['\"]?(\d+)")
PER_PAGE = re.compile(r"perPage\s*[:=]\s*['\"]?(\d+)|<perpage>\s*(\d+)\s*</perpage>")
HREF = re.compile(r"""href\s*=\s*['"]([^'"]+)['"]""")
PROXY_PATH = "/module/web/jpage/dataproxy.jsp"
PAGES_PER_GROUP = 3  # jpage fetches three pages of records per proxy call
DEFAULT_PER_PAGE = 15
MAX_GROUPS = 1000


def parse(response: TextResponse, rules: LinkRules) -> Listing:
    text = response.text
    records = RECORD.findall(text)
    is_group = PROXY_PATH in urlsplit(response.url).path
    if not records and not is_group:
        # The proxy named in a script, but no inline datastore: an ordinary column page.
        return discover(response, rules)
    listing = Listing()
    listing.articles = _entries(records, response, rules)
    if is_group:
        return listing  # a group answer: the column page already asked for every group
    total = _first_int(TOTAL, text)
    next_group = NEXT_GROUP.search(text)
    if total is None or next_group is None:
        return listing
    hrefs = _hrefs(next_group.group(1))
    if not hrefs:
        return listing
    proxy = urlsplit(response.urljoin(hrefs[0]))
    form = dict(parse_qsl(proxy.query, keep_blank_values=True))
    form.pop("page", None)
    form.setdefault("col", "1")
    per_page = _first_int(PER_PAGE, text) or DEFAULT_PER_PAGE
    group = per_page * PAGES_PER_GROUP
    start = len(records) + 1  # the inline records are the first group
    for _ in range(MAX_GROUPS):
        if start > total:
            break
        end = min(start + group - 1, total)
        query = urlencode({"startrecord": start, "endrecord": end, "perpage": per_page})
        url = urlunsplit(proxy._replace(query=query))
        listing.pages.append(scrapy.FormRequest(url, formdata=form))
        start = end + 1
    return listing


def _entries(records: list[str], response: TextResponse, rules: LinkRules) -> list[Entry]:
    """The records' links, with the titles and dates they print (read by structure)."""
    if not records:
        return []
    try:
        root = lxml_html.fragment_fromstring("<ul>" + "".join(records) + "</ul>",
                                             create_parent="div")
        items = {i.url: i for i in find_list(root, response.url, lambda _url: True).items}
    except Exception:  # noqa: BLE001 - broken markup: the links alone, below
        items = {}
    entries = []
    for fragment in records:
        for href in _hrefs(fragment):
            url = clean_url(response.urljoin(href))
            item = items.get(url)
            entries.append(Entry(url, title=item.title if item else None,
                                 published=item.published if item else None))
    return entries


def _hrefs(fragment: str) -> list[str]:
    try:
        document = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # noqa: BLE001 - a broken fragment falls back to a plain pattern
        return HREF.findall(fragment)
    return [a.get("href", "").strip() for a in document.iter("a") if a.get("href", "").strip()]


def _first_int(pattern: re.Pattern[str], text: str) -> int | None:
    match = pattern.search(text)
    if match is None:
        return None
    return int(next(g for g in match.groups() if g is not None))


