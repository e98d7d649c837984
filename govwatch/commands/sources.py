"""``govwatch sources ...``: the sources as the database has them, file and web app."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from govwatch.cli import Options, emit_json

sources_app = typer.Typer(help="Sources: where each is defined, and export.", no_args_is_help=True)


@sources_app.command("export")
def export(
    ctx: typer.Context,
    include_file: Annotated[
        bool, typer.Option("--all", help="Also the configuration file's own sources.")
    ] = False,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
) -> None:
    """The sources added in the web app, as [[sources]] tables for the configuration file."""
    from storage.sources import sources_toml, web_sources, with_stored_sources

    options: Options = ctx.obj
    config = options.config()
    db = options.database(config)
    if include_file:
        chosen = with_stored_sources(config, db).sources
    else:
        with_stored_sources(config, db)  # the file's sources imported first
        with db.reader() as session:
            chosen = web_sources(session)
    text = sources_toml(chosen)
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {len(chosen)} sources to {output}", err=True)


@sources_app.command("list")
def list_(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """Every source and where it is defined (file or web app)."""
    from storage.sources import origins, with_stored_sources

    options: Options = ctx.obj
    config = options.config()
    db = options.database(config)
    merged = with_stored_sources(config, db)
    with db.reader() as session:
        defined_in = origins(session)
    rows = [
        {
            "name": s.name,
            "defined_in": defined_in.get(s.name) or "file",
            "start_urls": s.start_urls,
            "schedule": s.schedule,
        }
        for s in merged.sources
    ]
    if as_json:
        emit_json(rows)
        return
    for row in rows:
        typer.echo(f"{row['name']:<20} {row['defined_in']:<5} {' '.join(row['start_urls'])}")


def register(app: typer.Typer) -> None:
    app.add_typer(sources_app, name="sources")
