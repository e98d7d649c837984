"""The Guangdong intensive platform's open-government catalogue: a JSON API.

``/gkmlpt/api/all/<classify>?page=N&sid=<site>`` answers ``{"articles": [{"url": …}, …],
"total": T}``; page 1 says how many pages follow.
"""

from __future__ import annotations

import json
import math
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from scrapy.http import TextResponse

from crawler.discovery.records import best_records
from crawler.links import LinkRules, clean_url
from crawler.listings.model import Entry, Listing

MAX_PAGES = 2000


def parse(response: TextResponse, rules: LinkRules) -> Listing:
    listing = Listing()
    try:
        data = json.loads(response.text)
    except ValueError:
        return listing
    if not isinstance(data, dict):
        return listing
    articles = [a for a in data.get("articles") or [] if isinstance(a, dict)]
    printed = {i.url: i for i in best_records(articles, response.url)[0]}
    for article in articles:
        url = article.get("url")
        if isinstance(url, str) and url.strip():
            url = clean_url(response.urljoin(url))
            item = printed.get(url)
            listing.articles.append(Entry(url, title=item.title if item else None,
                                          published=item.published if item else None))
    query = dict(parse_qsl(urlsplit(response.url).query))
    page = int(query.get("page") or 1) if str(query.get("page") or 1).isdigit() else 1
    total = data.get("total")
    if page == 1 and articles and isinstance(total, int):
        pages = min(math.ceil(total / len(articles)), MAX_PAGES)
        for number in range(2, pages + 1):
            listing.pages.append(_with_page(response.url, number))
    return listing


def _with_page(url: str, page: int) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "page"]
    return urlunsplit(parts._replace(query=urlencode([("page", str(page)), *query])))
