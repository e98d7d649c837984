"""Parse decoded HTML and prune what can never be main text (scripts, hidden elements)."""

from __future__ import annotations

import re
from itertools import islice

import lxml.html
from lxml import etree

from extractor import rules

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>", re.IGNORECASE)
_PARSER = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, recover=True, no_network=True)
_KNOWN_HTML = frozenset(lxml.html.defs.tags) | {"ucapcontent"}


def parse(html: str) -> etree._Element | None:
    """The document's root element, or None when nothing parseable is there."""
    html = _XML_DECLARATION.sub("", html, count=1).replace("\x00", "")
    if not html.strip():
        return None
    try:
        return lxml.html.document_fromstring(html, parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None


def unwrap_wrappers(root: etree._Element) -> None:
    """Unwrap non-HTML elements that wrap the whole page (e.g. `<text id= title= encoding=>`).

    Archived pages put the original document inside such an element; the parser then
    nests the page's <title> and <meta> inside it. Unwrapping restores an ordinary body.
    """
    body = root.find("body")
    while body is not None:
        children = [c for c in body if isinstance(c.tag, str)]
        if len(children) != 1 or children[0].tag in _KNOWN_HTML:
            return
        wrapper = children[0]
        wrapper.drop_tag()


def hidden_selectors(root: etree._Element) -> tuple[set[str], set[str]]:
    """Classes and ids that the page's own stylesheets hide (simple `.x{}` / `#x{}` rules only)."""
    classes: set[str] = set()
    ids: set[str] = set()
    for style in root.iter("style"):
        for selector, body in rules.STYLESHEET_RULE.findall(style.text or ""):
            if rules.HIDDEN_STYLE.search(body):
                (classes if selector[0] == "." else ids).add(selector[1:])
    return classes, ids


def _is_hidden(el: etree._Element, classes: set[str], ids: set[str]) -> bool:
    attrib = el.attrib
    if "hidden" in attrib:
        return True
    style = attrib.get("style")
    if style and rules.HIDDEN_STYLE.search(style):
        return True
    if ids and attrib.get("id") in ids:
        return True
    return bool(classes and classes.intersection(attrib.get("class", "").split()))


def prune(root: etree._Element) -> None:
    """Remove non-content elements and hidden elements, keeping tails (text after them)."""
    classes, ids = hidden_selectors(root)
    doomed = [
        el
        for el in islice(root.iter(), rules.MAX_ELEMENTS)
        if not isinstance(el.tag, str)
        or el.tag in _DROP
        or (el.attrib and _is_hidden(el, classes, ids))
    ]
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()


_DROP = frozenset(rules.DROP_TAGS) | {"title"}


def text_length(el: etree._Element) -> int:
    """Characters of text (white space excluded) under an element."""
    return sum(len("".join(s.split())) for s in el.itertext())
