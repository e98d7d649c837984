"""Finding a listing page's document list by its structure.

A column's documents are printed as a run of sibling elements of one shape (``li``, ``tr``,
``div``, or bare ``a`` elements), each with one main link whose text reads as a title and,
usually, a date. Every run of siblings on the page is a candidate; each is scored on what
distinguishes a document list from navigation, breadcrumbs, side boxes, tab strips and
pagers: how many items repeat, how title-like their link texts are, how many carry a date,
how alike their URLs are, how many links an item holds, and where the run sits (a pager
after it, chrome around it). The best run wins, with its same-shaped siblings (one list
split into several ``ul``); no URL pattern is needed, though a source's patterns still
filter what it admits.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from lxml import etree

from crawler.discovery import vocabulary as words
from crawler.discovery.dates import date_in_text, date_in_url, has_date
from crawler.discovery.shapes import dominant_share, looks_like_document, shape
from crawler.links import clean_url

CJK = re.compile(r"[\u3400-\u9fff]")
SPACE = re.compile(r"\s+")
TOKEN_SPLIT = re.compile(r"[\s_\-]+|(?<=[a-z])(?=[A-Z])|\d+")
BAD_HREF = re.compile(r"^\s*(?:javascript:|mailto:|tel:|#|data:)", re.I)
ELLIPSIS = ("...", "…", "..")
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
MORE_TEXT = re.compile(r"^(?:查看)?更多|^more\b|^[>»]{2}$", re.I)
TITLE_DATE = re.compile(
    r"[\s\[(（【]*((?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?|"
    r"\d{1,2}-\d{1,2})[\])）】]*\s*$"
)
INLINE_TAGS = frozenset({"br", "hr", "img", "span", "em", "i", "b", "strong", "font", "label"})
MIN_QUALITY = 0.5  # below this a run is not taken for a document list
MIN_ITEMS = 2
PAGER_TEXT_LIMIT = 400  # characters: a pager is short, a region around it is not
MAX_LINKS_PER_ITEM = 12  # a sibling with more links is a section holding lists, not an item
PAGER_LOOKAHEAD = 4  # ancestors whose following siblings may hold the list's pager


@dataclass(frozen=True)
class Item:
    """One document a listing names, with the title and date the listing prints."""

    url: str
    title: str
    published: datetime | None = None


@dataclass
class Block:
    """A run of sibling elements taken for a list, with the evidence that scored it."""

    parent: etree._Element
    tag: str
    items: list[Item]
    quality: float
    score: float
    features: dict[str, float] = field(default_factory=dict)


Admit = Callable[[str], bool]


@dataclass
class Found:
    """The page's main list: its items, and whether nothing around it says it is a side box."""

    items: list[Item] = field(default_factory=list)
    confident: bool = False
    paged: bool = False  # a pager follows the list


def find_list(root: etree._Element, page_url: str, admit: Admit) -> Found:
    """The documents of the page's main list, in page order (none when no run reads as one).

    ``confident`` when the list is followed by a pager or sits in no chrome or side box:
    a list that is neither may be a side box on a page whose own list is drawn by script.
    """
    blocks = candidate_blocks(root, page_url, admit)
    if not blocks:
        return Found()
    best = max(blocks, key=lambda b: b.score)
    if best.quality < MIN_QUALITY or (len(best.items) < MIN_ITEMS and not _lone_item_ok(best)):
        return Found()
    order = {id(b): n for n, b in enumerate(blocks)}
    chosen = sorted([best, *_same_list(best, blocks)], key=lambda b: order[id(b)])
    seen: set[str] = set()
    items = []
    for block in chosen:
        for item in block.items:
            if item.url not in seen:
                seen.add(item.url)
                items.append(item)
    return Found(items, best.features["context"] >= 1.0, best.features.get("paged", 0.0) > 0)


def candidate_blocks(root: etree._Element, page_url: str, admit: Admit) -> list[Block]:
    seen = _Seen(root, page_url, admit)
    blocks = []
    lone: list[tuple[etree._Element, str, list[etree._Element]]] = []
    for parent in _elements(root):
        for tag, members in _sibling_runs(parent):
            if len(members) < MIN_ITEMS:
                lone.append((parent, tag, members))  # every link in a list is one of these
                continue
            block = _score(parent, tag, members, seen)
            if block is not None:
                blocks.append(block)
    if not any(b.quality >= MIN_QUALITY and b.features["context"] >= 1.0 for b in blocks):
        # No run of two or more that is not a side box: perhaps a column's last page
        # holding a single document.
        for parent, tag, members in lone:
            block = _score(parent, tag, members, seen)
            if block is not None:
                blocks.append(block)
    return blocks


def _elements(root: etree._Element) -> Iterator[etree._Element]:
    stack = [root]
    while stack:
        element = stack.pop()
        if not isinstance(element.tag, str) or element.tag in words.SKIPPED_TAGS:
            continue
        yield element
        stack.extend(reversed(element))


def _sibling_runs(parent: etree._Element) -> Iterator[tuple[str, list[etree._Element]]]:
    groups: dict[str, list[etree._Element]] = {}
    for child in parent:
        if isinstance(child.tag, str) and child.tag not in words.SKIPPED_TAGS:
            groups.setdefault(child.tag, []).append(child)
    for tag, members in groups.items():
        if tag not in INLINE_TAGS:
            yield tag, members


class _Seen:
    """Each anchor's title and URL, read once: nested runs see the same anchors."""

    def __init__(self, root: etree._Element, page_url: str, admit: Admit) -> None:
        self.page_url = page_url
        self.admit = admit
        self.column = _column_name(root)
        self.paged: set[int] = set()
        self.aside: set[int] = set()  # runs hidden or ending in a "more" link
        folder = urlsplit(page_url).path.rsplit("/", 1)[0] + "/"
        self.folder = folder if folder != "/" else ""
        self.titles: dict[etree._Element, str] = {}
        self.urls: dict[str, str | None] = {}

    def title(self, anchor: etree._Element) -> str:
        title = self.titles.get(anchor)
        if title is None:
            title = self.titles[anchor] = anchor_title(anchor)
        return title

    def url(self, href: str) -> str | None:
        """The absolute URL of an admitted link, None for a link the source does not admit."""
        if href not in self.urls:
            url = clean_url(_join(self.page_url, href))
            self.urls[href] = url if self.admit(url) else None
        return self.urls[href]


def _score(parent: etree._Element, tag: str, members: list[etree._Element],
           seen: _Seen) -> Block | None:
    items: list[Item] = []
    link_counts: list[int] = []
    dated = 0
    titles: list[str] = []
    member_shapes: list[tuple[str, ...]] = []
    for member in members:
        anchors = [a for a in _anchors(member) if not BAD_HREF.match(a.get("href") or "#")]
        if not anchors:
            continue
        if len(anchors) > MAX_LINKS_PER_ITEM or (len(members) == 1 and len(anchors) > 2):
            return None  # these siblings are sections of the page, not a list's items
        main = max(anchors, key=lambda a: len(seen.title(a)))
        title = seen.title(main)
        url = seen.url(main.get("href", "")) if title else None
        if url is None:
            continue
        rest = text_outside(member, main)
        if not has_date(rest):  # a date printed inside the link, after the title
            title, rest = _split_date(title, rest)
        published = date_in_text(rest) or date_in_url(url)
        if has_date(rest):
            dated += 1
        items.append(Item(url, title, published))
        titles.append(title)
        link_counts.append(len(anchors))
        member_shapes.append(tuple(c.tag for c in member if isinstance(c.tag, str))[:6])
    if not items:
        return None
    n = len(items)
    urls = [i.url for i in items]
    features = {
        "items": float(n),
        "title": sum(title_likeness(t) for t in titles) / n,
        "cjk": sum(1 for t in titles if CJK.search(t)) / n,
        "date": dated / n,
        "same_url_shape": dominant_share(urls)[1] if n > 1 else 0.5,
        "document_urls": sum(1 for u in urls if looks_like_document(u)) / n,
        "uniform": Counter(member_shapes).most_common(1)[0][1] / n,
        "links_per_item": sum(link_counts) / n,
        "distinct": len(set(urls)) / n,
    }
    quality = (
        0.30 * features["title"]
        + 0.25 * features["date"]
        + 0.15 * features["same_url_shape"]
        + 0.15 * features["document_urls"]
        + 0.10 * features["uniform"]
        + 0.05 * features["cjk"]
    )
    quality *= 1.0 / (1.0 + 0.4 * max(0.0, features["links_per_item"] - 2.0))
    quality *= features["distinct"]
    # Where the run sits only matters for runs that could be the list: the walk up the
    # tree is the costly part of scoring.
    context = _context(parent, items, seen) if quality >= MIN_QUALITY else 1.0
    features["context"] = context
    features["paged"] = 1.0 if id(parent) in seen.paged else 0.0
    features["aside"] = 1.0 if id(parent) in seen.aside else 0.0
    return Block(parent, tag, items, quality, math.log2(1 + n) * quality * context, features)


def _anchors(member: etree._Element) -> list[etree._Element]:
    if member.tag == "a":
        return [member] if member.get("href") else []
    return [a for a in member.iter("a") if a.get("href")]


def anchor_title(anchor: etree._Element) -> str:
    heading = next((h for h in anchor.iter("h1", "h2", "h3", "h4", "h5", "h6")), None)
    text = _clean(" ".join((heading if heading is not None else anchor).itertext()))
    attribute = _clean(anchor.get("title") or "")
    if attribute and (not text or text.endswith(ELLIPSIS) or len(attribute) > len(text) * 2):
        return attribute
    if not text:
        image = next(anchor.iter("img"), None)
        return _clean(image.get("alt") or "") if image is not None else ""
    return text


def _split_date(title: str, rest: str) -> tuple[str, str]:
    match = TITLE_DATE.search(title)
    if match is None or match.start() < 4:
        return title, rest
    return title[: match.start()].strip(), f"{rest} {match.group(1)}"


def _column_name(root: etree._Element) -> str:
    """The page's column as its ColumnName meta tag or its title's first part says."""
    for meta in root.iter("meta"):
        if (meta.get("name") or "").lower() == "columnname" and (meta.get("content") or "").strip():
            return meta.get("content").strip()
    title = root.find(".//title")
    text = _clean(title.text_content() if title is not None else "")
    first = re.split(r"\s*[_|\-—–]\s*", text)[0] if text else ""
    return first if 2 <= len(first) <= 12 else ""


def _clean(text: str) -> str:
    return SPACE.sub(" ", text).strip()


def title_likeness(title: str) -> float:
    """0 for a menu word ("首页", "政务公开"), 1 for a document title."""
    cjk = len(CJK.findall(title))
    length = cjk + (len(title) - cjk) / 2.5  # Latin letters and digits say less each
    return max(0.0, min(1.0, (length - 5.0) / 9.0))


def text_outside(member: etree._Element, main: etree._Element) -> str:
    """A member's text other than its main link's, with a bare link's following text."""
    if member is main:
        pieces = [member.tail or ""]
        sibling = member.getnext()
        while sibling is not None and sibling.tag != "a":
            if isinstance(sibling.tag, str):
                pieces.append(" ".join(sibling.itertext()))
            pieces.append(sibling.tail or "")
            sibling = sibling.getnext()
        return " ".join(pieces)
    inner = " ".join(main.itertext())
    text = " ".join(member.itertext()).replace(inner, " ", 1)
    follower = member.getnext()
    if (follower is not None and isinstance(follower.tag, str) and follower.tag != member.tag
            and next(follower.iter("a"), None) is None):  # <dt><a/></dt><dd>date</dd>
        text += " " + " ".join(follower.itertext())
    return text


def _context(parent: etree._Element, items: list[Item], seen: _Seen) -> float:
    """A multiplier from where the run sits: a pager after it, a heading naming the page's
    column, links into the listing's own folder; chrome or a side box around it."""
    chrome_tag = chrome_words = decoy = False
    element: etree._Element | None = parent
    for depth in range(6):
        if element is None or not isinstance(element.tag, str):
            break
        chrome_tag |= element.tag in words.CHROME_TAGS
        chrome_words |= depth < 4 and _chrome_words(element)
        decoy |= depth < 3 and _decoy_heading(element)
        element = element.getparent()
    factor = (0.3 if chrome_tag else 1.0) * (0.5 if chrome_words else 1.0) * (
        0.4 if decoy else 1.0)
    if _hidden(parent):  # a tab panel not shown, a menu that drops down
        factor *= 0.3
        seen.aside.add(id(parent))
    if _more_follows(parent):  # a box that summarises another column: "更多>>"
        factor *= 0.6
        seen.aside.add(id(parent))
    if _pager_follows(parent):
        factor *= 1.8
        seen.paged.add(id(parent))
    if seen.column and _heading_names(parent, seen.column):
        factor *= 1.4
    if seen.folder:
        inside = sum(1 for i in items if urlsplit(i.url).path.startswith(seen.folder))
        factor *= 1.0 + 0.6 * inside / len(items)
    return factor


def _heading_names(parent: etree._Element, column: str) -> bool:
    """A short heading just before the run (or its containers) names the page's column."""
    element: etree._Element | None = parent
    for _ in range(3):
        if element is None:
            return False
        sibling = element.getprevious()
        while sibling is not None and not isinstance(sibling.tag, str):
            sibling = sibling.getprevious()
        if sibling is not None and sibling.tag not in words.SKIPPED_TAGS:
            text = _clean(" ".join(sibling.itertext()))
            if 0 < len(text) <= 20 and (column in text or text in column):
                return True
        element = element.getparent()
    return False


def _hidden(element: etree._Element) -> bool:
    node: etree._Element | None = element
    for _ in range(6):
        if node is None or not isinstance(node.tag, str):
            return False
        if node.get("hidden") is not None or HIDDEN_STYLE.search(node.get("style") or ""):
            return True
        node = node.getparent()
    return False


def _more_follows(parent: etree._Element) -> bool:
    """A "更多"/"more" link right after the run (or after its container)."""
    element: etree._Element | None = parent
    for _ in range(2):
        if element is None:
            return False
        sibling = element.getnext()
        if sibling is not None and isinstance(sibling.tag, str):
            links = [sibling] if sibling.tag == "a" else list(sibling.iter("a"))
            if len(links) == 1 and MORE_TEXT.match(_clean(" ".join(links[0].itertext()))):
                return True
        element = element.getparent()
    return False


def _chrome_words(element: etree._Element) -> bool:
    tokens = {
        t.lower() for t in TOKEN_SPLIT.split(f"{element.get('class', '')} {element.get('id', '')}")
        if t
    }
    return bool(tokens & words.CHROME_WORDS)


def _decoy_heading(element: etree._Element) -> bool:
    """A heading just before the run (or at its container's top) names a side box."""
    sibling = element.getprevious()
    for _ in range(2):
        if sibling is None:
            break
        if isinstance(sibling.tag, str) and sibling.tag not in words.SKIPPED_TAGS:
            text = _clean(" ".join(sibling.itertext()))
            if text and len(text) <= 30:
                return bool(words.DECOY_HEADINGS.search(text))
            return False
        sibling = sibling.getprevious()
    return False


def _pager_follows(parent: etree._Element) -> bool:
    element: etree._Element | None = parent
    for _ in range(PAGER_LOOKAHEAD):
        if element is None:
            return False
        sibling = element.getnext()
        for _ in range(3):
            if sibling is None:
                break
            if isinstance(sibling.tag, str) and is_pager(sibling):
                return True
            sibling = sibling.getnext()
        element = element.getparent()
    return False


def is_pager(element: etree._Element) -> bool:
    """A pager: a small element of number and word links ("1 2 3 下一页 尾页 共5页"), or one
    whose class says so; never a region that also holds titles."""
    text = " ".join(element.itertext())
    if len(text) > PAGER_TEXT_LIMIT:
        return False
    if any(len(_clean(" ".join(a.itertext()))) > 8 for a in element.iter("a")):
        return False
    tokens = {
        t.lower() for t in TOKEN_SPLIT.split(f"{element.get('class', '')} {element.get('id', '')}")
        if t
    }
    if tokens & words.PAGER_WORDS:
        return True
    script = " ".join(s.text or "" for s in element.iter("script"))
    return bool(words.PAGER_TEXT.search(text)) or "createPageHTML" in script


def _same_list(best: Block, blocks: list[Block]) -> list[Block]:
    """Runs that continue the best one: one list printed as several ``ul``s (each perhaps in
    a wrapper of its own) under one container, in the same markup and URL shape."""
    best_shape = Counter(shape(i.url) for i in best.items).most_common(1)[0][0]
    best_path = _markup_path(best.parent)
    near = set(_ancestors(best.parent, 3))
    found = []
    for block in blocks:
        if block is best or block.tag != best.tag or block.quality < MIN_QUALITY:
            continue
        if block.features.get("aside"):
            continue  # the same markup in a hidden tab or a "more" box: another column
        if _markup_path(block.parent) != best_path or not near & set(_ancestors(block.parent, 3)):
            continue
        if Counter(shape(i.url) for i in block.items).most_common(1)[0][0] == best_shape:
            found.append(block)
    return found


def _markup_path(element: etree._Element) -> tuple[tuple[str, str], ...]:
    path = []
    for node in [element, *_ancestors(element, 2)]:
        path.append((str(node.tag), node.get("class", "")))
    return tuple(path)


def _ancestors(element: etree._Element, count: int) -> list[etree._Element]:
    found = []
    node = element.getparent()
    while node is not None and len(found) < count:
        found.append(node)
        node = node.getparent()
    return found


def _lone_item_ok(block: Block) -> bool:
    """A one-item list (a column's last page) must look exactly like a dated document."""
    return (
        block.features["title"] >= 0.5
        and block.features["date"] == 1.0
        and block.features["document_urls"] == 1.0
        and block.features["context"] >= 1.0
    )


def _join(base: str, href: str) -> str:
    return urljoin(base, href.strip())
