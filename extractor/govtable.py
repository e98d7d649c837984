"""The 政务公开 metadata table: found by its labels in any layout, read, and taken out.

Portals print it as a <table> (labels beside their values, or a header row of labels over
a row of values), a <dl>, <div>/<span>/<li> grids or "label：value" lines, in any order,
labels with or without colons, spaced with full-width or ASCII spaces, in either script.
No CMS class name is needed: the page is cut into cells, cells that start with a label
(extractor/govdoc_rules.py) are found, and the smallest element holding labels of enough
fields is the table. It is removed from the tree before the main text is chosen, so the
text never repeats it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice

from lxml import etree

from extractor import govdoc_rules as rules
from extractor import textclean
from extractor.rules import MAX_ELEMENTS
from extractor.tree import text_content


@dataclass
class Pair:
    field: str | None  # None: a label we recognise but do not keep (公开方式 ...)
    label: str
    value: str
    elements: list[etree._Element]  # the cells the pair was read from


@dataclass
class Table:
    """The metadata table found on a page: its pairs, by field (first one wins)."""

    pairs: list[Pair] = field(default_factory=list)

    def value(self, name: str) -> str | None:
        for pair in self.pairs:
            if pair.field == name and pair.value:
                return pair.value
        return None


# --- labels ---------------------------------------------------------------------------------

_GAP = r"[\s\u3000\u00a0]*"


@lru_cache(maxsize=1)
def _labels() -> tuple[re.Pattern[str], dict[str, str | None]]:
    """One pattern for every label (white space allowed between characters), and the field
    each label stands for."""
    owner: dict[str, str | None] = {}
    for name, labels in rules.FIELD_LABELS.items():
        for label in labels:
            owner.setdefault(label, name)
    for label in rules.OTHER_LABELS:
        owner.setdefault(label, None)
    spelled = sorted(owner, key=len, reverse=True)
    alternatives = "|".join(_GAP.join(map(re.escape, label)) for label in spelled)
    return re.compile(f"(?P<label>{alternatives})"), owner


_COLON = re.compile(r"[\s\u3000\u00a0]*[:：]")
_LEAD = re.compile(r"^[\s\u3000\u00a0【\[〔]*")
_TRAIL = re.compile(r"[\s\u3000\u00a0】\]〕:：]*$")


def _label_at(simple: str, start: int) -> tuple[str, int] | None:
    """The label starting at `start` of a simplified chunk and where its value begins."""
    pattern, _owner = _labels()
    match = pattern.match(simple, start)
    if match is None:
        return None
    label = re.sub(r"[\s\u3000\u00a0]", "", match["label"])
    end = match.end()
    colon = _COLON.match(simple, end)
    if colon:
        return label, colon.end()
    rest = simple[end:]
    if not _TRAIL.sub("", rest):
        return label, len(simple)  # the chunk is the label alone: its value is the next cell
    if rest[:1] in " \u3000\u00a0\t":
        return label, end  # "索引号 11440..." (a space instead of a colon)
    return None  # a word that starts like a label ("分类推进..."): prose


def _split_chunk(simple: str) -> list[tuple[str, int, int]]:
    """(label, value start, label start) of each label in a chunk: one at its start, others
    only where a colon follows them and white space or a separator precedes them."""
    lead = _LEAD.match(simple)
    start = lead.end() if lead else 0
    first = _label_at(simple, start)
    if first is None:
        return []
    found = [(first[0], first[1], start)]
    pattern, _owner = _labels()
    for match in pattern.finditer(simple, first[1]):
        before = simple[match.start() - 1] if match.start() else " "
        if before not in " \u3000\u00a0\t|｜;；,，" or not _COLON.match(simple, match.end()):
            continue
        label = re.sub(r"[\s\u3000\u00a0]", "", match["label"])
        found.append((label, _COLON.match(simple, match.end()).end(), match.start()))  # type: ignore[union-attr]
    return found


# --- chunks: the text of a grid, cell by cell -------------------------------------------------


@dataclass
class _Chunk:
    text: str
    owner: etree._Element


def _chunks(root: etree._Element) -> list[_Chunk]:
    """Text split at cell boundaries (td, dd, span, li, p, div, br ...), with the cell owning
    each piece."""
    out: list[_Chunk] = []
    pieces: list[str] = []
    owners: list[etree._Element] = [root]

    def flush() -> None:
        text = " ".join("".join(pieces).split())
        pieces.clear()
        if text:
            out.append(_Chunk(text, owners[-1]))

    seen = 0
    for event, node in etree.iterwalk(root, events=("start", "end")):
        tag = node.tag if isinstance(node.tag, str) else ""
        cell = tag in rules.CELL_TAGS or (tag in rules.INLINE_CELL_TAGS and _holds_label(node))
        if event == "start":
            seen += 1
            if seen > MAX_ELEMENTS:
                break
            if cell:
                flush()
                owners.append(node)
            if node.text:
                pieces.append(node.text)
        else:
            if cell:
                flush()
                if len(owners) > 1:
                    owners.pop()
            if node is not root and node.tail:
                pieces.append(node.tail)
    flush()
    return out


def _holds_label(el: etree._Element) -> bool:
    text = "".join(el.itertext()).strip(" \u3000\u00a0\t\r\n【[")
    if not _may_hold_label(text):
        return False
    if text[0] not in _label_initials():
        text = textclean.to_simplified(text)  # a traditional-script label
    return bool(_split_chunk(text))


@lru_cache(maxsize=1)
def _label_initials() -> frozenset[str]:
    """The characters a label starts with, in simplified script."""
    labels = [*rules.OTHER_LABELS, *(x for group in rules.FIELD_LABELS.values() for x in group)]
    return frozenset(label[0] for label in labels)


def _may_hold_label(text: str) -> bool:
    """Cheap test first: a chunk with a label starts with one (most chunks are prose)."""
    if len(text) > rules.CHUNK_MAX_CHARS:
        return False
    start = text.lstrip(" \u3000\u00a0【[〔")
    if not start:
        return False
    # a traditional-script initial through the t2s converter the cleaner loads anyway
    # (building an s2t converter for the other direction cost a quarter of a second)
    return start[0] in _label_initials() or textclean.to_simplified(start[0]) in _label_initials()


def _simplified(chunks: list[_Chunk]) -> list[str]:
    """The chunks in simplified script (labels are matched there): one OpenCC call for the
    chunks that may hold a label; the others are left as they are (never matched)."""
    wanted = [i for i, c in enumerate(chunks) if _may_hold_label(c.text)]
    simple = [""] * len(chunks)
    converted = textclean.to_simplified("\n".join(chunks[i].text for i in wanted)).split("\n")
    if len(converted) != len(wanted):
        converted = [chunks[i].text for i in wanted]
    for i, text in zip(wanted, converted, strict=True):
        simple[i] = text
    return simple


def _pairs(chunks: list[_Chunk], simple: list[str]) -> list[Pair]:
    _pattern, owner = _labels()
    pairs: list[Pair] = []
    i = 0
    while i < len(chunks):
        text = chunks[i].text
        same_length = len(simple[i]) == len(text)
        source = text if same_length else simple[i]
        hits = _split_chunk(simple[i])
        if not hits:
            i += 1
            continue
        header, listing = _header_row(chunks, simple, i)
        if listing:  # a list of documents under a header row: nobody's metadata
            i += header
            continue
        if header:  # labels in one row, their values in the next: pair them by column
            for k in range(header):
                label = _split_chunk(simple[i + k])[0][0]
                value = chunks[i + header + k]
                cells = [chunks[i + k].owner, value.owner]
                pairs.append(Pair(owner.get(label), label, _clean_value(value.text), cells))
            i += 2 * header
            continue
        elements = [chunks[i].owner]
        for n, (label, value_start, _label_start) in enumerate(hits):
            value_end = hits[n + 1][2] if n + 1 < len(hits) else len(source)
            value = source[value_start:value_end].strip(" \u3000\u00a0|｜;；,，")
            cells = list(elements)
            last = n == len(hits) - 1 and i + 1 < len(chunks)
            if not value and last and not _split_chunk(simple[i + 1]):
                value = chunks[i + 1].text
                cells.append(chunks[i + 1].owner)
                i += 1
            pairs.append(Pair(owner.get(label), label, _clean_value(value), cells))
        i += 1
    return pairs


def _owner_of(label: str) -> str | None:
    return _labels()[1].get(label)


def _label_only(simple: str) -> bool:
    hits = _split_chunk(simple)
    return len(hits) == 1 and hits[0][1] >= len(simple.rstrip())


def _header_row(chunks: list[_Chunk], simple: list[str], start: int) -> tuple[int, bool]:
    """(columns, is a listing) when a row of bare labels starts here and the next row holds
    as many values (none a label); a third such row makes it a listing. (0, False) else."""
    width = 0
    while start + width < len(chunks) and _label_only(simple[start + width]):
        width += 1
    if width < 2 or start + 2 * width > len(chunks):
        return 0, False
    values = range(start + width, start + 2 * width)
    if any(_split_chunk(simple[v]) for v in values):
        return 0, False
    first_row = chunks[start].owner.getparent()
    second_row = chunks[start + width].owner.getparent()
    if first_row is None or second_row is None or first_row is second_row:
        return 0, False
    named = {_owner_of(_split_chunk(simple[start + k])[0][0]) for k in range(width)}
    if not named & rules.OWN_FIELDS:
        return width, True  # 标题 文号 发布日期 columns: a list of documents, not one's table
    after = start + 2 * width
    third_row = chunks[after].owner.getparent() if after < len(chunks) else None
    listing = (
        third_row is not None
        and third_row is not second_row
        and third_row.getparent() is second_row.getparent()
        and third_row.tag == second_row.tag
    )
    return width, listing


def _clean_value(value: str) -> str:
    value = " ".join(value.replace("\u3000", " ").split()).strip("：: ")
    if value.lower() in rules.EMPTY_VALUES or len(value) > rules.VALUE_MAX_CHARS:
        return ""
    return value


# --- finding the table ----------------------------------------------------------------------


def take_table(root: etree._Element) -> Table | None:
    """Find the metadata table, read it, and remove it from the tree (so that the main text
    does not repeat it). None when the page has no such table."""
    body = root.find("body")
    scope = body if body is not None else root
    if not _marked(scope):
        return None
    chunks = _chunks(scope)
    if not chunks:
        return None
    simple = _simplified(chunks)
    _pattern, owner = _labels()
    fields_under: dict[etree._Element, set[str]] = {}
    depth: dict[etree._Element, int] = {}
    for chunk, text in zip(chunks, simple, strict=True):
        hits = _split_chunk(text)
        names = {owner.get(label) for label, _v, _s in hits} - {None}
        if not names:
            continue
        for level, ancestor in enumerate(islice(chunk.owner.iterancestors(), 0, 40)):
            fields_under.setdefault(ancestor, set()).update(names)  # type: ignore[arg-type]
            depth.setdefault(ancestor, -level)
        fields_under.setdefault(chunk.owner, set()).update(names)  # type: ignore[arg-type]
        depth[chunk.owner] = 1
    candidates = {
        el for el, names in fields_under.items() if len(names) >= rules.MIN_TABLE_FIELDS
    }
    if not candidates:
        return None
    # The smallest elements holding enough labels are the grids; a byline's 发布日期 must not
    # pull the grid up to the whole article.
    smallest = [
        el for el in candidates if not any(_within(other, el) for other in candidates)
    ]
    grid = max(smallest, key=lambda el: (len(fields_under[el]), _depth(el)))
    pairs = _pairs_in(grid, chunks, simple)
    # Grow over wrappers that are still all label-value pairs (a table split in two).
    parent = grid.getparent()
    while parent is not None and parent.tag not in ("body", "html"):
        wider = _pairs_in(parent, chunks, simple)
        if _pair_share(parent, wider) < rules.TABLE_PAIR_SHARE:
            break
        grid, pairs, parent = parent, wider, parent.getparent()
    if len({p.field for p in pairs if p.field}) < rules.MIN_TABLE_FIELDS or not any(
        p.value for p in pairs
    ):
        return None
    _remove(grid, pairs)
    return Table(pairs)


def _pairs_in(grid: etree._Element, chunks: list[_Chunk], simple: list[str]) -> list[Pair]:
    inside = [i for i, c in enumerate(chunks) if c.owner is grid or _within(c.owner, grid)]
    return _pairs([chunks[i] for i in inside], [simple[i] for i in inside])


def _pair_share(grid: etree._Element, pairs: list[Pair]) -> float:
    total = _visible(text_content(grid))
    pair_chars = sum(_visible(p.label) + _visible(p.value) for p in pairs)
    return pair_chars / total if total else 0.0


@lru_cache(maxsize=1)
def _markers() -> tuple[re.Pattern[str], dict[str, int]]:
    """One pattern for MARKER_LABELS in both scripts, and each label's field."""
    import opencc

    s2t = opencc.OpenCC("s2t")
    field_of: dict[str, int] = {}
    for index, labels in enumerate(rules.MARKER_LABELS.values()):
        for label in labels:
            field_of.setdefault(label, index)
            field_of.setdefault(s2t.convert(label), index)
    longest_first = sorted(field_of, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, longest_first))), field_of


def _marked(scope: etree._Element) -> bool:
    """Whether the page's text names enough table-only labels to hold a metadata table
    (one pass of one pattern instead of walking every element of every page).

    The text comes from libxml2's own serialiser, several times faster than joining
    ``itertext()``: this check runs on every page, most of which have no table.
    """
    text = "".join(etree.tostring(scope, method="text", encoding="unicode").split())
    pattern, field_of = _markers()
    found: set[int] = set()
    for match in pattern.finditer(text):
        found.add(field_of[match.group()])
        if len(found) >= rules.MIN_MARKED_FIELDS:
            return True
    return False


def _depth(el: etree._Element) -> int:
    return sum(1 for _ in el.iterancestors())


def _within(el: etree._Element, ancestor: etree._Element) -> bool:
    return any(a is ancestor for a in el.iterancestors())


def _visible(text: str) -> int:
    return len("".join(text.split()))


def _remove(grid: etree._Element, pairs: list[Pair]) -> None:
    """Drop the grid when it is all pairs; else only the cells the pairs were read from."""
    if _pair_share(grid, pairs) >= rules.TABLE_PAIR_SHARE and grid.getparent() is not None:
        _drop(grid)
        return
    for pair in pairs:
        for cell in pair.elements:
            small = _visible(text_content(cell)) <= _visible(pair.label + pair.value) + 4
            if cell is not grid and small:
                _drop(cell)


def _drop(el: etree._Element) -> None:
    """Remove an element but keep the text after it (lxml's drop_tree, for any element)."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def meta_values(meta: dict[str, str]) -> dict[str, str]:
    """Fields from <meta> tags named like a label (name="文号", name="索引号" ...)."""
    _pattern, owner = _labels()
    out: dict[str, str] = {}
    for name, value in meta.items():
        label = re.sub(r"[\s\u3000:：]", "", textclean.to_simplified(name))
        field_name = owner.get(label)
        cleaned = _clean_value(value)
        if field_name and cleaned and field_name not in out:
            out[field_name] = cleaned
    return out
