"""``govwatch probe``: what a source starting at a listing page would watch."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from dispatch.preview import Preview

URL = re.compile(r"^https?://[^/\s]+", re.I)


def register(app: typer.Typer) -> None:
    app.command()(probe)


def probe(
    ctx: typer.Context,
    target: Annotated[str, typer.Argument(help="A listing page's URL, or a saved page's file.")],
    base_url: Annotated[
        str | None, typer.Option("--base-url", help="The saved page's address (with FILE).")
    ] = None,
    source: Annotated[
        str | None,
        typer.Option("--source", help="Use this configured source's allow, deny and limits."),
    ] = None,
    allow: Annotated[
        list[str] | None, typer.Option("--allow", help="An allow pattern to try (repeatable).")
    ] = None,
    max_listing_pages: Annotated[
        int | None, typer.Option("--max-pages", min=1, help="Listing pages to read at most.")
    ] = None,
    render: Annotated[
        bool, typer.Option("--render", help="Render in Chromium if nothing else is found.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Show the documents, titles, dates and pages a source starting here would watch."""
    from dispatch.base import UnknownSource
    from dispatch.preview import preview_url
    from govwatch.cli import Options, emit_json, fail

    options: Options = ctx.obj
    config = options.config()
    html: bytes | None = None
    if not URL.match(target):
        path = Path(target)
        if not path.is_file():
            fail(f"{target}: not an http(s) URL or a readable file", status=2)
        if not base_url or not URL.match(base_url):
            fail("a saved page needs --base-url, the http(s) address it was saved from", status=2)
        html = path.read_bytes()
    elif base_url:
        fail("--base-url is for a saved page; a URL is its own address", status=2)
    url = base_url if html is not None else target
    assert url is not None
    try:
        preview = preview_url(config, url, html=html, source=source, allow=allow or (),
                              max_listing_pages=max_listing_pages, render=render)
    except UnknownSource:
        fail(f"{config.path}: no source named {source!r}", status=2)
    if as_json:
        emit_json(preview.to_json())
    else:
        _show(preview)


def _show(preview: Preview) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console()
    console.print(f"[bold]{escape(preview.url)}[/bold]  listing: {escape(preview.listing)}")
    table = Table(show_lines=False)
    table.add_column("#", justify="right")
    table.add_column("published", no_wrap=True)
    table.add_column("title", overflow="fold")
    table.add_column("url", overflow="fold")  # whole, never cut with "…"
    for number, entry in enumerate(preview.articles, 1):
        published = entry.published.strftime("%Y-%m-%d") if entry.published else ""
        table.add_row(str(number), published, escape(entry.title or ""), escape(entry.url))
    console.print(table)
    console.print(f"{len(preview.articles)} documents on {len(preview.pages)} listing page(s)")
    for page in preview.pages:
        console.print(f"  page: {escape(page)}")
    for pattern in preview.suggested_allow:
        console.print(f"suggested allow: {escape(pattern)}")
    for warning in preview.warnings:
        console.print(f"[yellow]warning:[/yellow] {escape(warning)}")
