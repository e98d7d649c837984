"""Tables: a data table's rows as cell lists (merged cells repeated); layout tables are not.

A table is a data table when it is a grid of short cells: at least two rows, at least two
cells in some row, no table nested inside, and no cell long enough to be running text.
Everything else (a table used as the page grid, a one-column wrapper around an article)
is a layout table and is rendered like any other markup.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from extractor import rules

_CELL_TAGS = ("td", "th")


@dataclass(slots=True)
class Row:
    cells: list[str]
    link_chars: int  # visible characters inside links, over the row
    element: etree._Element  # the <tr>


def _cell_text(cell: etree._Element) -> tuple[str, int]:
    """A cell's text on one line, and how much of it sits in links."""
    text = rules.SPACES.sub(" ", " ".join(" ".join(cell.itertext()).split())).strip()
    linked = sum(len("".join("".join(a.itertext()).split())) for a in cell.iter("a"))
    return text, linked


def _span(cell: etree._Element, name: str) -> int:
    try:
        return max(1, min(int((cell.get(name) or "1").strip() or 1), rules.TABLE_MAX_SPAN))
    except ValueError:
        return 1


def _own_rows(table: etree._Element) -> list[etree._Element]:
    rows = []
    for child in table:
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            rows.extend(r for r in child if r.tag == "tr")
    return rows


def _fill_spans(cells: list[str], column: int, carry: dict[int, tuple[str, int]]) -> int:
    """Append the cells that rowspans from rows above put at this column; the next column."""
    while column in carry:
        text, left = carry[column]
        cells.append(text)
        if left > 1:
            carry[column] = (text, left - 1)
        else:
            del carry[column]
        column += 1
    return column


def data_rows(table: etree._Element) -> list[Row] | None:
    """The rows of a data table with merged cells repeated, or None for a layout table."""
    if any(inner is not table for inner in table.iter("table")):
        return None  # tables in tables: the page grid
    tr_elements = _own_rows(table)
    # fewer than two rows with two cells of their own: never a grid (decided before any text)
    if sum(sum(cell.tag in _CELL_TAGS for cell in tr) > 1 for tr in tr_elements) < 2:
        return None
    grid: list[Row] = []
    carry: dict[int, tuple[str, int]] = {}  # column -> (text, rows left) from a rowspan
    multi = own_cells = all_cells = 0  # rows with two or more cells of their own; cells
    for tr in tr_elements:
        cells: list[str] = []
        linked = column = own = 0
        for cell in tr:
            if cell.tag not in _CELL_TAGS:
                continue
            own += 1
            column = _fill_spans(cells, column, carry)
            text, in_links = _cell_text(cell)
            if len(text) > rules.TABLE_MAX_CELL_CHARS:
                return None  # running text in a cell: the table is the page grid
            linked += in_links
            rowspan, colspan = _span(cell, "rowspan"), _span(cell, "colspan")
            for _ in range(colspan):
                cells.append(text)
                if rowspan > 1:
                    carry[column] = (text, rowspan - 1)
                column += 1
        _fill_spans(cells, column, carry)
        if not any(cells):
            continue
        multi += own > 1
        own_cells += own
        all_cells += len(cells)
        if own == 1 and len(set(cells)) == 1:
            cells = cells[:1]  # a heading row across the whole table is said once
        grid.append(Row(cells, linked, tr))
    # mostly one cell a row: a wrapper around text, not a grid of figures
    if multi < 2 or multi * 2 < len(grid):
        return None
    # mostly merged cells: a drawing made of cells (a flow chart), not a grid of figures
    if all_cells > rules.TABLE_MAX_SPAN_SHARE * own_cells:
        return None
    return grid
