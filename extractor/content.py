"""Find the main content: a CMS-marked container when there is one, else the densest run of text.

The general method scores each text block (prose characters earn, linked characters and
short unpunctuated lines cost) and keeps the contiguous run of blocks with the highest
total (a maximum-sum subarray), which is where a page's running text sits between its
navigation, sidebars and footer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from extractor import rules, textclean, tree
from extractor.blocks import Block, render
from extractor.tree import text_length


def known_container(root: etree._Element, html: str) -> etree._Element | None:
    """The first CMS body container (by rule order) that holds real text."""
    for marker, xpath in rules.CONTENT_CONTAINERS:
        if marker not in html:  # the XPaths match classes and ids exactly, so may the test
            continue
        found = [el for el in root.xpath(xpath) if isinstance(el.tag, str)]
        if not found:
            continue
        best = max(found, key=text_length)
        if text_length(best) >= rules.CONTAINER_MIN_CHARS:
            return best
    return None


def block_value(block: Block) -> float:
    """What a block adds to a run of main text (negative for navigation and chrome)."""
    if block.chrome:
        return -float(block.chars)
    if block.link_share > rules.LINK_HEAVY:
        return -rules.LINK_PENALTY * block.link_chars
    prose = block.chars - block.link_chars
    weight = 1.0 if block.punct else rules.NO_PUNCT_FACTOR
    return prose * weight - rules.LINK_PENALTY * block.link_chars - rules.BLOCK_OVERHEAD


def mark_chrome(blocks: list[Block]) -> None:
    """Flag footer and widget lines (主办单位, ICP备, 扫一扫...) so that a long footer cannot
    outscore a short notice. One OpenCC call covers all blocks (phrases are simplified)."""
    simple = textclean.to_simplified("\n".join(b.text.replace("\n", " ") for b in blocks))
    lines = simple.split("\n")
    if len(lines) != len(blocks):
        return
    for block, chrome in zip(blocks, textclean.chrome_flags(lines), strict=True):
        block.chrome = chrome


def densest_run(blocks: list[Block]) -> tuple[int, int]:
    """Indices [start, end) of the run of blocks with the highest total value."""
    best, best_range = 0.0, (0, 0)
    total, start = 0.0, 0
    for i, block in enumerate(blocks):
        if total <= 0:
            total, start = 0.0, i
        total += block_value(block)
        if total > best:
            best, best_range = total, (start, i + 1)
    return best_range


def _container_of(block: Block) -> etree._Element | None:
    if block.tag == "tr":  # a data table's row: the table is a paragraph of its container
        table = next(block.element.iterancestors("table"), None)
        return table.getparent() if table is not None else None
    return block.element.getparent() if block.tag in rules.PARAGRAPH_TAGS else block.element


def _belongs(block: Block, edge: etree._Element | None) -> bool:
    """An unlinked line in the same container as the run's edge: a sentence, or a short
    paragraph of its own (a list of names, a subheading) in a <p>/<li> sibling."""
    if block.link_chars or block.chrome or _container_of(block) is not edge:
        return False
    return bool(block.punct) or block.tag in rules.PARAGRAPH_TAGS


def extend_run(blocks: list[Block], start: int, end: int) -> tuple[int, int]:
    """Grow the run over short unlinked lines that sit in the same container as its edges
    (list items and subheadings score below zero on their own but belong to the text)."""
    edge = _container_of(blocks[start])
    while start > 0:
        block = blocks[start - 1]
        if not _belongs(block, edge):
            break
        start -= 1
    edge = _container_of(blocks[end - 1])
    while end < len(blocks):
        block = blocks[end]
        if not _belongs(block, edge):
            break
        end += 1
    return start, end


def _names_title(text: str, titles: list[str]) -> bool:
    """A line that is the page's title, or the title without its site name around it."""
    if len(text) < rules.HEADLINE_MIN_CHARS:
        return False
    return any(text == t or (text in t and len(text) * 2 >= len(t)) for t in titles)


def headline_index(blocks: list[Block], start: int, titles: list[str]) -> int | None:
    """The page's headline just before the run (references include it).

    In order: a line that is the title (from <title> or the h1 that agrees with it), a
    little further back too; else a short plain line just above a byline (headline, then
    date and source, then the text); else the nearest h1-h3.
    """
    titles = [t for t in titles if t]
    for i in range(start - 1, max(-1, start - 1 - rules.TITLE_FAR_LOOKBACK), -1):
        if blocks[i].link_share < rules.LINK_HEAVY and _names_title(blocks[i].text, titles):
            return i
    # the run may begin with the byline itself
    bylines = int(start < len(blocks) and textclean.is_byline(blocks[start].text))
    i = start - 1
    while i >= 0 and bylines < 2 and textclean.is_byline(blocks[i].text):
        i, bylines = i - 1, bylines + 1
    if bylines and i >= 0:
        block = blocks[i]
        if (
            not block.link_chars
            and not block.chrome
            and block.chars <= rules.HEADLINE_MAX_CHARS
            and "。" not in block.text
        ):
            return i
    for i in range(start - 1, max(-1, start - 1 - rules.TITLE_LOOKBACK), -1):
        block = blocks[i]
        if block.tag in rules.HEADING_TAGS and block.link_share < rules.LINK_HEAVY:
            return i
    return None


@dataclass
class MainContent:
    blocks: list[Block]  # the main text's blocks, in order
    headline: str | None = None  # a heading found just before the text
    nearby: list[str] = field(default_factory=list)  # lines just before it (bylines live there)
    scope: etree._Element | None = None  # where attachment links are looked for
    from_container: bool = False

    def tables(self) -> list[list[list[str]]]:
        """The data tables among the blocks, each as its rows' cells."""
        found: list[list[list[str]]] = []
        current: etree._Element | None = None
        for block in self.blocks:
            if block.cells is None:
                current = None
                continue
            table = block.element.getparent()
            if table is not current:
                found.append([])
                current = table
            found[-1].append(list(block.cells))
        return found

    def lines(self, heading: str | None) -> list[str]:
        """The blocks' text; a container's text starts with the headline that sits above it."""
        lines = [b.text for b in self.blocks]
        if self.from_container and heading and lines and heading not in lines[0]:
            lines.insert(0, heading)
        return lines


def densest(root: etree._Element, titles: list[str]) -> MainContent:
    """The densest run of text, with the headline just before it (references include it)."""
    body = root.find("body")
    blocks = render(body if body is not None else root)
    mark_chrome(blocks)
    start, end = densest_run(blocks)
    if start == end:
        return MainContent([])
    start, end = extend_run(blocks, start, end)
    head = headline_index(blocks, start, titles)
    chosen = blocks[start:end]
    nearby = [b.text for b in blocks[max(0, start - rules.TITLE_LOOKBACK) : start]]
    if head is None:
        return MainContent(chosen, None, nearby)
    return MainContent([blocks[head], *chosen], blocks[head].text, nearby)


def in_container(container: etree._Element) -> MainContent:
    """All the blocks of a CMS container, and the short texts just before it."""
    nearby: list[str] = []
    el: etree._Element | None = container
    for _ in range(3):  # the container's earlier siblings, then its parent's
        if el is None:
            break
        for sibling in el.itersiblings(preceding=True):
            if isinstance(sibling.tag, str) and len(nearby) < rules.TITLE_LOOKBACK:
                text = " ".join(tree.text_content(sibling).split())
                if text and len(text) < rules.NEARBY_MAX_CHARS:
                    nearby.insert(0, text)
        el = el.getparent()
    # Attachment lists sit just after the body container more often than inside it.
    parent = container.getparent()
    scope = parent if parent is not None and parent.tag != "html" else container
    return MainContent(render(container), None, nearby, scope, from_container=True)
