"""One listing response in, its documents (with titles and dates) and further pages out.

The crawler and ``govwatch probe`` both call :func:`discover`; nothing else decides what a
listing page names. In order: the page's document list found by structure (``blocks``),
unless the page's script data holds a longer list and no pager vouches for the printed one;
then records in JSON the page embeds (``records``); then the list API its scripts call
(``endpoints``); then a list found only in a side box (flagged for rendering); last, the
built-in URL shapes. A source's ``allow`` patterns, when given, decide which links are
documents; ``deny`` always removes. Pages come from every kind of pager (``paging``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urljoin

import scrapy
from lxml import etree
from lxml import html as lxml_html
from scrapy.http import TextResponse
from scrapy.utils.response import get_base_url

from crawler.discovery import paging
from crawler.discovery.blocks import Item, anchor_title, find_list, text_outside
from crawler.discovery.dates import date_in_text, date_in_url
from crawler.discovery.endpoints import Call, api_calls, load_json, next_calls
from crawler.discovery.model import Entry, Listing
from crawler.discovery.records import best_records, html_fragments, records_in_scripts
from crawler.links import LinkRules, clean_url

GUESS = "govwatch_page_guess"  # request meta: a guessed page to confirm
CALL = "govwatch_api_call"  # request meta: the list API call a request repeats


@dataclass
class Found:
    """What discovery read from one response, before it becomes a :class:`Listing`."""

    kind: str
    items: list[Item] = field(default_factory=list)
    pages: list[str | scrapy.Request] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    needs_render: bool = False


def discover(response: TextResponse, rules: LinkRules) -> Listing:
    """The listing a response gives: the crawler's and the probe's one entry point."""
    found = read(response, rules)
    listing = Listing(kind=found.kind, warnings=found.warnings, needs_render=found.needs_render)
    listing.articles = [Entry(i.url, title=i.title, published=i.published) for i in found.items]
    listing.pages = found.pages
    return listing


def read(response: TextResponse, rules: LinkRules) -> Found:
    data = load_json(response.text) if _is_json(response) else None
    if data is not None:
        return _read_json(data, response, rules)
    return _read_html(response, rules)


def _read_html(response: TextResponse, rules: LinkRules) -> Found:
    root = _root(response)
    if root is None:
        return Found("html", warnings=["the page has no HTML to read"])
    base = get_base_url(response)
    scripts = [s.text or "" for s in root.iter("script")]
    script_text = "\n".join(scripts)
    # Script data also rides in attributes: <div data-list='[{"title": …}]'>.
    data_attributes = [
        value for element in root.iter() if isinstance(element.tag, str)
        for name, value in element.attrib.items()
        if name.startswith("data-") and value.lstrip()[:1] in ("[", "{")
    ]
    found = Found("html")
    structure = find_list(root, base, rules.admits)
    records = [i for i in records_in_scripts(scripts + data_attributes, base)
               if rules.admits(i.url)]
    if rules.explicit:
        found.items = _by_patterns(root, base, rules, structure.items)
        found.kind = "html (allow patterns)"
    elif structure.confident and (structure.paged or len(records) < len(structure.items)):
        found.items = structure.items
    if not found.items:
        # No list the page's structure vouches for, or a longer one in the page's script
        # data: a script draws the column's list, from records the page embeds or from a
        # list API; a side box is the last choice.
        calls = [] if rules.explicit else api_calls(script_text, response.url)
        if records:
            found.items, found.kind = records, "embedded-json"
            found.pages.extend(_call_request(c) for c in calls)  # its later pages
        elif calls:
            found.kind = "api"
            found.pages.extend(_call_request(c) for c in calls)
        elif not rules.explicit and structure.items:
            found.items = structure.items
            found.needs_render = True
            found.warnings.append(
                "the only list found sits in a side box or page chrome; the column's own list "
                "may be drawn by script (a source can set render = true)")
    if not found.items and not found.pages and not rules.explicit:
        found.items = _by_patterns(root, base, rules, [], defaults=True)
        if found.items:
            found.kind = "url-shapes"
            found.warnings.append("no list found by structure; documents matched by URL shape")
    if not found.items and not found.pages:
        found.needs_render = True
        found.warnings.append("no documents found in the page's HTML or scripts")
    item_urls = {i.url for i in found.items}
    # Page URLs are guessed only from a first page whose list the HTML prints.
    guessing = found.kind == "html" and bool(found.items) and GUESS not in _meta(response)
    pages = paging.find_pages(root, script_text, response.url, base, item_urls, guessing)
    found.pages.extend(pages.urls)
    found.pages.extend(_guess_request(g) for g in pages.guesses)
    if (guess := _meta(response).get(GUESS)) is not None:
        found.pages.extend(_guess_request(p) for p in paging.confirmed(guess, item_urls))
    return found


def _read_json(data: object, response: TextResponse, rules: LinkRules) -> Found:
    found = Found("api")
    items, _ = best_records(data, response.url)
    found.items = [i for i in items if rules.admits(i.url)]
    if not found.items:
        for fragment in html_fragments(data):
            try:
                root = lxml_html.fragment_fromstring(fragment, create_parent="div")
            except (etree.ParserError, ValueError):
                continue
            found.items.extend(find_list(root, response.url, rules.admits).items)
    call = _meta(response).get(CALL) or Call(response.url)
    found.pages.extend(_call_request(c) for c in next_calls(data, call))
    if not found.items:
        found.warnings.append(f"no document records in the JSON answer of {response.url}")
    return found


def _by_patterns(root: etree._Element, base: str, rules: LinkRules, listed: list[Item],
                 defaults: bool = False) -> list[Item]:
    """Links that URL patterns name: the source's ``allow``, or the built-in shapes; with the
    title and date the structure found for them, when it did."""
    structured = {i.url: i for i in listed}
    items: dict[str, Item] = {}
    for anchor in root.iter("a"):
        href = anchor.get("href")
        if not href:
            continue
        url = clean_url(urljoin(base, href.strip()))
        matches = rules.is_known_shape if defaults else rules.is_article
        if url in items or not matches(url):
            continue
        if url in structured:
            items[url] = structured[url]
            continue
        parent = anchor.getparent()
        text = text_outside(parent, anchor) if parent is not None else ""
        items[url] = Item(url, anchor_title(anchor), date_in_text(text) or date_in_url(url))
    return list(items.values())


def _meta(response: TextResponse) -> dict:
    """The request's meta; empty for a response built without one (a saved page)."""
    return response.request.meta if response.request is not None else {}


def _root(response: TextResponse) -> etree._Element | None:
    try:
        root = response.selector.root
    except (ValueError, AttributeError):
        return None
    return root if isinstance(getattr(root, "tag", None), str) else None


def _is_json(response: TextResponse) -> bool:
    content_type = response.headers.get(b"Content-Type", b"").split(b";")[0].strip().lower()
    head = response.body[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    return content_type.endswith(b"json") or content_type.endswith(b"javascript") or head[:1] in (
        b"{", b"[")


def _call_request(call: Call) -> scrapy.Request:
    if call.method == "POST":
        return scrapy.FormRequest(call.url, formdata=dict(call.form), meta={CALL: call})
    return scrapy.Request(call.url, meta={CALL: call})


def _guess_request(guess: paging.Guess) -> scrapy.Request:
    return scrapy.Request(guess.url, meta={GUESS: guess})
