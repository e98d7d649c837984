"""Parse decoded HTML and prune what can never be main text (scripts, hidden elements).

Plain ``lxml.etree`` elements, not ``lxml.html`` ones: the html flavour looks up a Python
element class for every node it hands out, which cost a fifth of the whole extraction
(figures in benchmarks/extraction.py --parsers). The few helpers it offered are here.
"""

from __future__ import annotations

import re

import lxml.html.defs
from lxml import etree

from extractor import rules

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>", re.IGNORECASE)
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, recover=True, no_network=True)
_KNOWN_HTML = frozenset(lxml.html.defs.tags) | {"ucapcontent"}


def parse(html: str) -> etree._Element | None:
    """The document's root element, or None when nothing parseable is there."""
    html = _XML_DECLARATION.sub("", html, count=1).replace("\x00", "")
    if not html or html.isspace():  # (strip() would copy the whole page)
        return None
    try:
        root = etree.fromstring(html, parser=_PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    if root is None or not isinstance(root.tag, str):
        return None
    if root.tag != "html":  # a fragment: give it the document shape the stages expect
        html_el = etree.Element("html")
        body = etree.SubElement(html_el, "body")
        body.append(root)
        root = html_el
    elif root.find("body") is None:
        etree.SubElement(root, "body")
    return root


def text_content(el: etree._Element) -> str:
    """All text under an element (the ``lxml.html`` method of the same name)."""
    return "".join(el.itertext())


def drop_tree(el: etree._Element) -> None:
    """Remove an element and its children, keeping the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        previous = el.getprevious()
        if previous is None:
            parent.text = (parent.text or "") + el.tail
        else:
            previous.tail = (previous.tail or "") + el.tail
    parent.remove(el)


def drop_tag(el: etree._Element) -> None:
    """Remove an element's tag, keeping its text and children in place."""
    parent = el.getparent()
    if parent is None:
        return
    previous = el.getprevious()
    if el.text:
        if previous is None:
            parent.text = (parent.text or "") + el.text
        else:
            previous.tail = (previous.tail or "") + el.text
    if el.tail:
        if len(el):
            last = el[-1]
            last.tail = (last.tail or "") + el.tail
        elif previous is None:
            parent.text = (parent.text or "") + el.tail
        else:
            previous.tail = (previous.tail or "") + el.tail
    index = parent.index(el)
    parent[index : index + 1] = el[:]


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
        drop_tag(children[0])


def hidden_selectors(root: etree._Element) -> tuple[set[str], set[str]]:
    """Classes and ids that the page's own stylesheets hide (simple `.x{}` / `#x{}` rules only)."""
    classes: set[str] = set()
    ids: set[str] = set()
    for style in root.iter("style"):
        for selector, body in rules.STYLESHEET_RULE.findall(style.text or ""):
            if rules.HIDDEN_STYLE.search(body.lower()):
                (classes if selector[0] == "." else ids).add(selector[1:])
    return classes, ids


def _is_hidden(el: etree._Element, classes: set[str], ids: set[str]) -> bool:
    attrib = el.attrib
    if "hidden" in attrib:
        return True
    style = attrib.get("style")
    if style and rules.HIDDEN_STYLE.search(style.lower()):
        return True
    if ids and attrib.get("id") in ids:
        return True
    return bool(classes and classes.intersection(attrib.get("class", "").split()))


# Only elements carrying one of these attributes can be hidden; XPath finds them in C (from
# the attributes up, which libxml2 does faster than testing a predicate on every element).
_MAYBE_HIDDEN = etree.XPath("//@style/..|//@hidden/..")
_MAYBE_HIDDEN_BY_SHEET = etree.XPath("//@style/..|//@hidden/..|//@class/..|//@id/..")
_DROP = frozenset(rules.DROP_TAGS) | {"title"}


def prune(root: etree._Element) -> None:
    """Remove non-content elements and hidden elements, keeping tails (text after them)."""
    classes, ids = hidden_selectors(root)
    candidates = (_MAYBE_HIDDEN_BY_SHEET if classes or ids else _MAYBE_HIDDEN)(root)
    doomed = list(root.iter(*_DROP, etree.Comment, etree.ProcessingInstruction, etree.Entity))
    doomed.extend(el for el in candidates[: rules.MAX_ELEMENTS] if _is_hidden(el, classes, ids))
    for el in doomed:
        if el.getparent() is not None:
            drop_tree(el)


def text_length(el: etree._Element) -> int:
    """Characters of text (white space excluded) under an element."""
    return sum(len("".join(s.split())) for s in el.itertext())
