"""Render an element as a sequence of text blocks: one per line a browser would start."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from extractor import rules


@dataclass(slots=True)
class Block:
    text: str
    chars: int  # characters, white space excluded
    link_chars: int  # of which inside <a>
    punct: int  # prose punctuation marks
    tag: str  # tag of the block element the line belongs to
    element: etree._Element
    chrome: bool = False  # a footer/widget line by its wording (set before scoring)

    @property
    def link_share(self) -> float:
        return self.link_chars / self.chars if self.chars else 0.0


def _visible_len(text: str) -> int:
    return len(text) - sum(text.count(c) for c in " \t\r\n\u3000\xa0")


class _Renderer:
    """Collects inline text until a block boundary, then emits a Block."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.pieces: list[str] = []
        self.link_chars = 0

    def add(self, text: str | None, in_link: bool) -> None:
        if text:
            self.pieces.append(text)
            if in_link:
                self.link_chars += _visible_len(text)

    def flush(self, owner: etree._Element) -> None:
        if not self.pieces:
            return
        text = rules.SPACES.sub(" ", " ".join("".join(self.pieces).split())).strip()
        self.pieces = []
        link_chars, self.link_chars = self.link_chars, 0
        if not text:
            return
        chars = len(text.replace(" ", ""))
        punct = sum(1 for c in text if c in rules.PROSE_PUNCT)
        self.blocks.append(Block(text, chars, min(link_chars, chars), punct, str(owner.tag), owner))


_BLOCK_TAG_LIST = sorted(rules.BLOCK_TAGS)


def _wraps_prose(link: etree._Element) -> bool:
    """A link around whole paragraphs (some sites wrap the article in one <a>) is not navigation."""
    if not len(link) and len(link.text or "") < rules.PROSE_LINK_CHARS:
        return False  # the common case, decided without walking the link
    if next(link.iter(*_BLOCK_TAG_LIST), link) is not link:
        return True
    text = link.text_content()
    return (
        len(text) >= rules.PROSE_LINK_CHARS
        and sum(text.count(c) for c in "，。") >= rules.PROSE_LINK_PUNCT
    )


def render(el: etree._Element, max_elements: int = rules.MAX_ELEMENTS) -> list[Block]:
    """Text blocks of an element in document order (iterative: deep trees are safe)."""
    out = _Renderer()
    owners: list[etree._Element] = [el]
    link_depth = 0
    linking: list[etree._Element] = []  # open <a> elements counted as links
    seen = 0
    for event, node in etree.iterwalk(el, events=("start", "end")):
        tag = node.tag if isinstance(node.tag, str) else ""
        is_block = tag in rules.BLOCK_TAGS or node is el
        if event == "start":
            seen += 1
            if seen > max_elements:
                break
            if is_block or tag == "br":
                out.flush(owners[-1])
            if is_block:
                owners.append(node)
            if tag == "a" and not _wraps_prose(node):
                link_depth += 1
                linking.append(node)
            out.add(node.text, link_depth > 0)
        else:
            if linking and linking[-1] is node:
                linking.pop()
                link_depth -= 1
            if is_block:
                out.flush(owners[-1])
                if len(owners) > 1:
                    owners.pop()
            if node is not el:
                out.add(node.tail, link_depth > 0)
    out.flush(owners[-1])
    return out.blocks
