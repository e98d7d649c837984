"""Plain HTML listings: article links by the source's rules, pagination by "next" links."""

from __future__ import annotations

from scrapy.http import TextResponse

from crawler.links import LinkRules, clean_url
from crawler.listings.model import Entry, Listing


def parse(response: TextResponse, rules: LinkRules) -> Listing:
    listing = Listing()
    # lxml elements directly: a listing page has hundreds of links and parsel's per-link
    # selectors cost more than the rest of the crawl's handling of the page.
    for link in response.selector.root.iter("a"):
        href = link.get("href")
        if not href:
            continue
        url = clean_url(response.urljoin(href))
        if rules.is_article(url):
            listing.articles.append(Entry(url))
        elif rules.is_listing_page(url, " ".join(link.itertext()), response.url):
            listing.pages.append(url)
    return listing
