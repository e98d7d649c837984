"""Render an element as a sequence of text blocks: one per line a browser would start."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from extractor import rules, tables
from extractor.tree import text_content


@dataclass(slots=True)
class Block:
    text: str
    chars: int  # characters, white space excluded
    link_chars: int  # of which inside <a>
    punct: int  # prose punctuation marks
    tag: str  # tag of the block element the line belongs to
    element: etree._Element
    chrome: bool = False  # a footer/widget line by its wording (set before scoring)
    cells: tuple[str, ...] | None = None  # a data table row's cells

    @property
    def link_share(self) -> float:
        return self.link_chars / self.chars if self.chars else 0.0


_INVISIBLE = str.maketrans(dict.fromkeys(" \t\r\n\u3000\xa0"))
_PUNCT = re.compile("[" + re.escape("".join(sorted(rules.PROSE_PUNCT))) + "]")


def _visible_len(text: str) -> int:
    return len(text.translate(_INVISIBLE))


# Spaces that str.split() does not know (zero-width, BOM, GBK's full-width space in GB18030).
_OTHER_SPACES = re.compile("[\u200b\ufeff\ue5e5]")


def _one_line(pieces: list[str]) -> str:
    words = "".join(pieces).split()
    if not words:
        return ""
    text = " ".join(words)
    if _OTHER_SPACES.search(text):
        text = rules.SPACES.sub(" ", text).strip()
    return text


def _block(text: str, link_chars: int, owner: etree._Element) -> Block:
    chars = len(text.translate(_INVISIBLE))
    punct = len(_PUNCT.findall(text))
    return Block(text, chars, min(link_chars, chars), punct, str(owner.tag), owner)


def _line_block(text: str, link_chars: int, owner: etree._Element) -> Block:
    """A block of text from _one_line (single spaces only, so counting is cheap)."""
    chars = len(text) - text.count(" ")
    punct = len(_PUNCT.findall(text))
    return Block(text, chars, min(link_chars, chars), punct, owner.tag, owner)


def _row_block(row: tables.Row) -> Block:
    block = _block("\t".join(row.cells), row.link_chars, row.element)
    # a data table's cell boundaries structure its rows as punctuation structures prose
    block.punct += len(row.cells) - 1
    block.cells = tuple(row.cells)
    return block


def _wraps_prose(link: etree._Element) -> bool:
    """A link around whole paragraphs (some sites wrap the article in one <a>) is not navigation."""
    if not len(link) and len(link.text or "") < rules.PROSE_LINK_CHARS:
        return False  # the common case, decided without walking the link
    block_tags = rules.BLOCK_TAGS
    if any(d.tag in block_tags for d in link.iterdescendants()):
        return True
    text = text_content(link)
    return (
        len(text) >= rules.PROSE_LINK_CHARS
        and sum(text.count(c) for c in "，。") >= rules.PROSE_LINK_PUNCT
    )


def render(el: etree._Element, max_elements: int = rules.MAX_ELEMENTS) -> list[Block]:
    """Text blocks of an element in document order (iterative: deep trees are safe).

    A data table becomes one block per row, its cells joined by tabs; a layout table is
    rendered like any other markup (each cell its own line).
    """
    blocks: list[Block] = []
    pieces: list[str] = []
    link_chars = 0
    owners: list[etree._Element] = [el]
    linking: list[etree._Element] = []  # open <a> elements counted as links
    block_tags = rules.BLOCK_TAGS
    prose_link_chars = rules.PROSE_LINK_CHARS
    seen = 0
    walker = etree.iterwalk(el, events=("start", "end"))
    for event, node in walker:
        tag = node.tag  # a comment's or entity's is a function: no block, no link, no table
        is_block = tag in block_tags or node is el
        if event == "start":
            seen += 1
            if seen > max_elements:
                break
            if (is_block or tag == "br") and pieces:
                text = _one_line(pieces)
                if text:
                    blocks.append(_line_block(text, link_chars, owners[-1]))
                pieces, link_chars = [], 0
            if tag == "table" and node is not el:
                rows = tables.data_rows(node)
                if rows is not None:
                    blocks.extend(_row_block(row) for row in rows)
                    walker.skip_subtree()
                    continue
            if is_block:
                owners.append(node)
            # most links hold a few words and no markup: decided here without the call
            if tag == "a" and not (
                (len(node) or len(node.text or "") >= prose_link_chars) and _wraps_prose(node)
            ):
                linking.append(node)
            text = node.text
            if text and (pieces or linking or not text.isspace()):
                pieces.append(text)
                if linking:
                    link_chars += len(text.translate(_INVISIBLE))
        else:
            if linking and linking[-1] is node:
                linking.pop()
            if is_block:
                if pieces:
                    text = _one_line(pieces)
                    if text:
                        blocks.append(_line_block(text, link_chars, owners[-1]))
                    pieces, link_chars = [], 0
                if len(owners) > 1 and owners[-1] is node:
                    owners.pop()
            if node is not el:
                text = node.tail
                # White space between blocks starts no line: leaving it out spares a flush
                # that would find nothing (most tails in indented markup are only that).
                if text and (pieces or linking or not text.isspace()):
                    pieces.append(text)
                    if linking:
                        link_chars += len(text.translate(_INVISIBLE))
    if pieces:
        text = _one_line(pieces)
        if text:
            blocks.append(_line_block(text, link_chars, owners[-1]))
    return blocks
