"""RSS 2.0, RSS 1.0 and Atom feeds: each item's link; Atom's ``<updated>`` as its change time.

RSS ``pubDate`` is when an item was published, not when it last changed, so it is not used
to skip a document.
"""

from __future__ import annotations

from lxml import etree
from scrapy.http import TextResponse

from crawler.links import LinkRules, clean_url
from crawler.listings.dates import parse_date
from crawler.listings.model import Entry, Listing

PARSER = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)


def parse(response: TextResponse, rules: LinkRules) -> Listing:
    listing = Listing()
    try:
        root = etree.fromstring(response.body, parser=PARSER)
    except etree.XMLSyntaxError:
        return listing
    if root is None:
        return listing
    for item in root.iter("{*}item", "{*}entry"):
        href, modified = _link(item)
        if href:
            listing.articles.append(Entry(clean_url(response.urljoin(href)), modified))
    return listing


def _link(item: etree._Element) -> tuple[str | None, object]:
    if etree.QName(item).localname == "entry":  # Atom
        links = item.findall("{*}link")
        chosen = next((x for x in links if x.get("rel", "alternate") == "alternate"), None)
        href = chosen.get("href") if chosen is not None else None
        return (href.strip() if href else None), parse_date(item.findtext("{*}updated"))
    text = item.findtext("{*}link")
    return (text.strip() if text and text.strip() else None), None
