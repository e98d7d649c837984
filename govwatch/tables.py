"""Human-readable tables for the command line."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table


def print_table(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> None:
    console = Console()
    if not rows:
        console.print("(nothing yet)")
        return
    table = Table(*columns, show_lines=False)
    for row in rows:
        # markup=False on purpose: scraped titles may contain Rich markup such as "[red]".
        table.add_row(*(_cell(row.get(column)) for column in columns))
    console.print(table)


def _cell(value: Any) -> str:
    from rich.markup import escape

    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.2f}"
    return escape(str(value))
