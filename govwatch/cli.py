"""The ``govwatch`` command line.

Heavy modules (Scrapy, SQLAlchemy, OpenCC) are imported inside the commands that use them:
``govwatch extract`` over a folder of pages is timed start-up included, and a typo in a
command should not cost a second of imports.
"""

from __future__ import annotations

import html
import json
import sys
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from config import Config
    from storage.db import Database

app = typer.Typer(
    name="govwatch",
    help="Watch government portals: new documents, every edit, a clean corpus.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXTRACT_SUFFIXES = (".html", ".htm", ".txt")


class LogFormat(StrEnum):
    text = "text"
    json = "json"


@dataclass
class Options:
    config_path: Path | None
    db_url: str | None
    debug: bool = False
    log_format: str = "text"

    def configure_logging(self) -> None:
        """Logging of a long-running process (serve, scheduler, worker): text or JSON lines."""
        from govwatch.logs import configure_logging

        configure_logging("json" if self.log_format == "json" else "text")

    def config(self) -> Config:
        from config import ConfigError, load_config
        from govwatch.errors import describe

        try:
            return load_config(self.config_path, db_url=self.db_url)
        except ConfigError as exc:
            if self.debug:
                raise
            fail(*describe(exc))

    def database(self, config: Config | None = None) -> Database:
        from govwatch.errors import describe
        from storage.db import DatabaseError, open_database

        config = config or self.config()
        try:
            return open_database(config.storage.url)
        except DatabaseError as exc:
            if self.debug:
                raise
            fail(*describe(exc))


def fail(message: str, status: int = 1) -> typer.Exit:
    """Print one error line and exit (govwatch/errors.py has the format and statuses)."""
    line = message if message.startswith("govwatch: ") else f"govwatch: {message}"
    typer.echo(line, err=True)
    raise typer.Exit(status)


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


@app.callback()
def main(
    ctx: typer.Context,
    config: Annotated[
        Path | None,
        typer.Option("--config", "-c", help="Configuration file [default: ./govwatch.toml]."),
    ] = None,
    db: Annotated[
        str | None,
        typer.Option(
            "--db", envvar="GOVWATCH_DB", help="SQLAlchemy URL that overrides [storage] url."
        ),
    ] = None,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the traceback of a failure.")
    ] = False,
    log_format: Annotated[
        LogFormat,
        typer.Option("--log-format", help="Logs of serve, scheduler and worker: text or json."),
    ] = LogFormat.text,
) -> None:
    ctx.obj = Options(config, db, debug, log_format.value)


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="Where to write it.")] = Path("govwatch.toml"),
    force: Annotated[bool, typer.Option(help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented sample configuration."""
    from config.sample import SAMPLE_CONFIG

    if path.exists() and not force:
        fail(f"{path} exists; use --force to overwrite it")
    path.write_text(SAMPLE_CONFIG, encoding="utf-8")
    typer.echo(f"wrote {path}; edit its [[sources]] and run: govwatch crawl --all")


@app.command()
def crawl(
    ctx: typer.Context,
    names: Annotated[list[str] | None, typer.Argument(help="Sources to crawl.")] = None,
    all_sources: Annotated[bool, typer.Option("--all", help="Crawl every source.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show Scrapy's log.")] = False,
) -> None:
    """Crawl sources now, in the foreground, and send the alerts they raise."""
    options: Options = ctx.obj
    config = options.config()
    if all_sources == bool(names):
        fail("name the sources to crawl, or use --all", status=2)
    db = options.database(config)
    from config import ConfigError
    from storage.sources import with_stored_sources

    config = with_stored_sources(config, db)  # and the sources added in the web app
    try:
        sources = config.sources if all_sources else [config.source(n) for n in names or []]
    except ConfigError as exc:
        from govwatch.errors import describe

        fail(*describe(exc))
    if not sources:
        fail(f"{config.path}: no sources configured", status=2)
    if all_sources:
        # Paused sources (from the web app or API) are skipped; naming one still crawls it.
        from dispatch import paused_sources

        paused = paused_sources(db)
        for source in sources:
            if source.name in paused:
                typer.echo(f"govwatch: skipping {source.name}: paused", err=True)
        sources = [s for s in sources if s.name not in paused]
        if not sources:
            return
    from govwatch.crawling import crawl_and_alert

    busy: list[str] = []

    def skip_busy(message: str) -> None:
        busy.append(message)
        typer.echo(f"govwatch: {message}; not starting another", err=True)

    summaries = crawl_and_alert(
        config, sources, db, quiet=quiet, verbose=verbose, on_busy=skip_busy
    )
    stopped = [run for run in summaries if run["status"] != "finished"]
    for run in stopped:
        typer.echo(
            f"govwatch: crawl of {run['source']} {run['status']} ({run['finish_reason']}, "
            f"run {run['id']})",
            err=True,
        )
    if busy or stopped:
        raise typer.Exit(1)


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help="Address [default: [web] host].")] = None,
    port: Annotated[
        int | None, typer.Option(min=0, max=65535, help="Port [default: [web] port].")
    ] = None,
    no_scheduler: Annotated[
        bool,
        typer.Option(
            "--no-scheduler", help="Only the web app (another process runs the schedule)."
        ),
    ] = False,
) -> None:
    """Run the web app and, in the same process, the crawl schedule, until SIGTERM/Ctrl-C."""
    import uvicorn

    from web.app import create_app

    options: Options = ctx.obj
    config = options.config()
    db = options.database(config)  # create or upgrade the schema before jobs run
    options.configure_logging()
    app_ = create_app(config, db, run_scheduler=not no_scheduler)
    bind_host = host or config.web.host
    bind_port = config.web.port if port is None else port
    typer.echo(
        f"govwatch is serving http://{bind_host}:{bind_port}/"
        + (" (no scheduler)" if no_scheduler else " with the crawl schedule")
        + "; Ctrl-C stops it"
    )
    # uvicorn handles SIGTERM/SIGINT; the app's lifespan then shuts the scheduler down.
    # log_config=None: uvicorn's loggers go through ours, so --log-format covers them too.
    uvicorn.run(app_, host=bind_host, port=bind_port, log_level="info", log_config=None)
    db.dispose()


@app.command()
def documents(
    ctx: typer.Context,
    source: Annotated[str | None, typer.Option(help="Only this source.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
    number: Annotated[str | None, typer.Option(help="Only this 文号 (any printed form).")] = None,
    issuer: Annotated[str | None, typer.Option(help="Issuing body (part of its name).")] = None,
    validity: Annotated[str | None, typer.Option(help="有效, 失效, 废止 ...")] = None,
    written_from: Annotated[str | None, typer.Option(help="成文日期 on or after.")] = None,
    written_to: Annotated[str | None, typer.Option(help="成文日期 on or before.")] = None,
) -> None:
    """List stored documents, with their 文号, issuing bodies, dates and validity."""
    from corpus.govdocs import field_filter
    from storage.queries import list_documents

    fields = field_filter(
        number,
        issuer,
        validity,
        _parse_date("--written-from", written_from),
        _parse_date("--written-to", written_to),
    )
    db = ctx.obj.database()
    with db.reader() as session:
        rows = list_documents(session, source, fields=fields)
    if as_json:
        emit_json(rows)
        return
    from extractor.pagetime import page_time
    from govwatch.tables import print_table

    shown = [{**row, "published_at": page_time(row["published_at"])} for row in rows]
    columns = ["source", "status", "versions", "published_at", "last_visit", "next_visit",
               "change_rate", "title", "url"]
    if any(row["document_number"] or row["validity"] for row in rows):
        columns[4:4] = ["document_number", "validity"]
    print_table(shown, columns)


class Kind(StrEnum):
    new = "new"
    changed = "changed"
    removed = "removed"
    restored = "restored"


@app.command()
def changes(
    ctx: typer.Context,
    since: Annotated[
        str | None, typer.Option(help="Only changes at or after this ISO 8601 time.")
    ] = None,
    source: Annotated[str | None, typer.Option(help="Only this source.")] = None,
    kind: Annotated[Kind | None, typer.Option(help="Only this kind of change.")] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """List change events, newest first."""
    from storage.queries import list_changes

    moment = _parse_since(since) if since else None
    db = ctx.obj.database()
    with db.reader() as session:
        rows = list_changes(
            session, since=moment, source=source, kind=kind.value if kind else None, limit=limit
        )
    if as_json:
        emit_json(rows)
        return
    from govwatch.tables import print_table

    print_table(
        rows,
        [
            "id",
            "at",
            "source",
            "kind",
            "significance",
            "chars_added",
            "chars_removed",
            "title",
            "url",
        ],
    )


@app.command()
def feed(
    ctx: typer.Context,
    source: Annotated[str | None, typer.Option(help="Only this source.")] = None,
    kind: Annotated[Kind | None, typer.Option(help="Only this kind of change.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="The newest this many.")] = 50,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here [default: stdout].")
    ] = None,
    self_url: Annotated[
        str | None,
        typer.Option(help="Where the feed is published [default: the web app's, or the file]."),
    ] = None,
) -> None:
    """Write an Atom feed of change events, newest first."""
    from alerts.feed import atom_feed, feed_identity
    from storage.queries import list_changes

    options: Options = ctx.obj
    config = options.config()
    _check_folder("--output", output)
    kind_name = kind.value if kind else None
    with options.database(config).reader() as session:
        rows = list_changes(session, source=source, kind=kind_name, limit=limit)
    identity = feed_identity(config.web.base_url, source=source, kind=kind_name)
    xml = atom_feed(
        rows,
        feed_id=identity.id,
        title=identity.title,
        self_url=self_url
        or identity.self_url
        or (output.resolve().as_uri() if output else identity.id),
        alternate_url=identity.alternate_url,
    )
    if output is None:
        sys.stdout.write(xml)
    else:
        output.write_text(xml, encoding="utf-8")


@app.command()
def history(
    ctx: typer.Context,
    url: Annotated[str, typer.Argument(help="The document's URL.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="JSON output, with each version's text.")
    ] = False,
) -> None:
    """List the versions of one document."""
    from storage.queries import NotFound
    from storage.queries import history as versions

    db = ctx.obj.database()
    with db.reader() as session:
        try:
            rows = versions(session, url)
        except NotFound as exc:
            fail(str(exc))
    if as_json:
        emit_json(rows)
        return
    from govwatch.tables import print_table

    print_table(
        [{**r, "characters": len(r["text"])} for r in rows],
        ["version", "fetched_at", "sha256", "characters", "title"],
    )


class DiffFormat(StrEnum):
    text = "text"
    html = "html"


@app.command()
def diff(
    ctx: typer.Context,
    url: Annotated[str, typer.Argument(help="The document's URL.")],
    from_version: Annotated[int | None, typer.Option("--from", help="Old version number.")] = None,
    to_version: Annotated[int | None, typer.Option("--to", help="New version number.")] = None,
    output_format: Annotated[DiffFormat, typer.Option("--format")] = DiffFormat.text,
) -> None:
    """Show what changed between two versions of a document (default: the last two)."""
    from storage.queries import NotFound, find_document, version_pair
    from tracker.compare import compare
    from tracker.render import render_html, render_text

    db = ctx.obj.database()
    with db.reader() as session:
        try:
            document = find_document(session, url)
            old, new = version_pair(session, document.id, from_version, to_version)
        except NotFound as exc:
            fail(str(exc))
        comparison = compare(old, new)
    result = comparison.diff
    summary = f"significance {comparison.significance:.2f}" + "".join(
        f"; {reason}" for reason in comparison.reasons
    )
    if output_format is DiffFormat.html:
        heading = html.escape(f"{url}: version {old.number} → {new.number}")
        typer.echo(
            f'<!doctype html><html lang="zh"><meta charset="utf-8"><title>{heading}</title>'
            f"<h1>{heading}</h1><p>{html.escape(summary)}</p>{render_html(result)}</html>"
        )
        return
    typer.echo(f"--- version {old.number}  {old.fetched_at:%Y-%m-%d %H:%M}  {old.title or ''}")
    typer.echo(f"+++ version {new.number}  {new.fetched_at:%Y-%m-%d %H:%M}  {new.title or ''}")
    typer.echo(f"+{result.chars_added} / -{result.chars_removed} characters; {summary}")
    typer.echo(render_text(result) if result.changed else "(no difference in the text)")


@app.command()
def extract(
    paths: Annotated[list[Path], typer.Argument(help="HTML or text files, or folders of them.")],
    jsonl: Annotated[bool, typer.Option("--jsonl", help="One JSON object per file.")] = False,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", help="Worker processes (default: every core).", min=0)
    ] = 0,
) -> None:
    """Extract clean text from local HTML or text files."""
    from govwatch.extract_files import default_jobs, records

    files = _expand(paths)
    if not files:
        fail("no .html, .htm or .txt files given", status=2)
    for record in records(files, jobs or default_jobs()):
        if jsonl:
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            typer.echo(
                f"== {record['path']}\n{record['title'] or '(no title)'}  "
                f"{record['published_at'] or ''}"
            )
            typer.echo(record["text"])
            for warning in record["warnings"]:
                typer.echo(f"warning: {warning.get('message', warning)}", err=True)


@app.command()
def runs(
    ctx: typer.Context,
    source: Annotated[str | None, typer.Option(help="Only this source.")] = None,
    errors: Annotated[int | None, typer.Option(help="Show the errors of this run.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """List recent crawl runs, or the errors recorded against one."""
    from storage.queries import NotFound, list_runs, run_errors
    from storage.runs import reap_dead_runs

    db = ctx.obj.database()
    reap_dead_runs(db)
    with db.reader() as session:
        try:
            rows = run_errors(session, errors) if errors is not None else list_runs(session, source)
        except NotFound as exc:
            fail(f"{exc} (runs --errors)")
    if as_json:
        emit_json(rows)
        return
    from govwatch.tables import print_table

    columns = (
        ["kind", "http_status", "url", "message"]
        if errors is not None
        else [
            "id",
            "source",
            "started_at",
            "status",
            "baseline",
            "pages",
            "new",
            "changed",
            "removed",
            "restored",
            "errors",
        ]
    )
    print_table(rows, columns)


@app.command()
def demo(
    port: Annotated[int, typer.Option(help="Port of the local portal.")] = 8000,
    rounds: Annotated[int, typer.Option(min=1, help="Rounds of publishing and editing.")] = 3,
    pause: Annotated[float, typer.Option(min=0, help="Seconds between rounds.")] = 5.0,
    workdir: Annotated[
        Path | None, typer.Option(help="Folder for the demo's config and database.")
    ] = None,
) -> None:
    """Run the bundled portal and watch govwatch discover, track and alert, live."""
    from govwatch.demo import run_demo

    run_demo(port=port, rounds=rounds, pause=pause, workdir=workdir)


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    parquet = "parquet"
    csv = "csv"
    warc = "warc"


@app.command()
def export(
    ctx: typer.Context,
    out: Annotated[Path, typer.Argument(help="File to write; '-' is stdout (JSONL, CSV).")],
    output_format: Annotated[ExportFormat, typer.Option("--format", "-f")] = ExportFormat.jsonl,
    versions: Annotated[
        bool, typer.Option("--versions", help="Every version, not only the newest.")
    ] = False,
    source: Annotated[list[str] | None, typer.Option(help="Only this source (repeat).")] = None,
    since: Annotated[str | None, typer.Option(help="Published on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Published on or before YYYY-MM-DD.")] = None,
    canonical_only: Annotated[
        bool, typer.Option("--canonical-only", help="Only each cluster's canonical copy.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Export the corpus with provenance: JSONL, CSV, Parquet, or raw responses as WARC."""
    from rich.console import Console
    from rich.progress import Progress

    from corpus.clusters import update
    from corpus.export import Format
    from corpus.export import export as write_export
    from corpus.records import Filters

    filters = Filters(
        sources=tuple(source or ()),
        since=_parse_date("--since", since),
        until=_parse_date("--until", until),
        canonical_only=canonical_only,
        versions=versions,
    )
    if str(out) == "-" and output_format in (ExportFormat.parquet, ExportFormat.warc):
        fail(f"--format {output_format.value} needs a file, not '-'", status=2)
    _check_folder("OUT", None if str(out) == "-" else out)
    db = ctx.obj.database()
    update(db)  # every stored document clustered, so that canonical URLs are current
    with Progress(console=Console(stderr=True), disable=quiet) as progress:
        task = progress.add_task(f"exporting {output_format.value}", total=None)
        report = write_export(
            db,
            out,
            Format(output_format.value),
            filters,
            on_start=lambda total: progress.update(task, total=total),
            on_progress=lambda n: progress.advance(task, n),
        )
    if not quiet:
        typer.echo(f"{report.records} records written to {out}", err=True)


@app.command()
def stats(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """Corpus statistics: documents, versions, clusters, sources, characters, warnings."""
    from corpus.stats import corpus_stats

    with ctx.obj.database().reader() as session:
        data = corpus_stats(session)
    if as_json:
        emit_json(data)
        return
    for key, value in data.items():
        shown = f"{value:.1%}" if key == "warning_share" else value
        typer.echo(f"{key.replace('_', ' '):<24} {shown}")


corpus_app = typer.Typer(help="Near-duplicate clusters of the corpus.", no_args_is_help=True)
app.add_typer(corpus_app, name="corpus")


@corpus_app.command("update")
def corpus_update(
    ctx: typer.Context,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Cluster everything anew.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """Cluster the documents new or changed since the last crawl (or all, with --rebuild)."""
    from dataclasses import asdict

    from corpus import clusters

    db = ctx.obj.database()
    report = clusters.rebuild(db) if rebuild else clusters.update(db)
    if as_json:
        emit_json(asdict(report))
        return
    typer.echo(f"{report.mode}: {report.documents} documents clustered in {report.seconds:.1f} s")


@corpus_app.command("rebuild")
def corpus_rebuild(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """Cluster every document anew (same as `corpus update --rebuild`)."""
    corpus_update(ctx, rebuild=True, as_json=as_json)


@corpus_app.command("clusters")
def corpus_clusters(
    ctx: typer.Context,
    min_size: Annotated[int, typer.Option(min=1, help="Only clusters this big.")] = 2,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """List clusters of copies, biggest first, with their canonical URL."""
    from corpus.stats import list_clusters

    with ctx.obj.database().reader() as session:
        rows = list_clusters(session, min_size)
    if as_json:
        emit_json(rows)
        return
    from govwatch.tables import print_table

    print_table(
        [{**r, "urls": len(r["urls"])} for r in rows], ["cluster", "size", "canonical_url"]
    )


def _check_folder(option: str, path: Path | None) -> None:
    """A file to write must go into a folder that exists (found before any work is done)."""
    if path is not None and not path.resolve().parent.is_dir():
        fail(f"{option}: no such folder ({path.resolve().parent})", status=2)


def _parse_date(option: str, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{option}: {value!r} is not a date (YYYY-MM-DD)", status=2)


def _expand(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.suffix.lower() in EXTRACT_SUFFIXES)
        elif path.exists():
            files.append(path)
        else:
            fail(f"{path}: no such file or folder", status=2)
    return files


def _parse_since(value: str) -> datetime:
    from datetime import UTC

    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        fail(f"--since: {value!r} is not an ISO 8601 date or time", status=2)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


from govwatch.commands import cluster as _cluster  # noqa: E402
from govwatch.commands import probe as _probe  # noqa: E402
from govwatch.commands import sources as _sources  # noqa: E402
from govwatch.commands import subscriptions as _subscriptions  # noqa: E402
from govwatch.commands import users as _users  # noqa: E402

_users.register(app)
_subscriptions.register(app)
_sources.register(app)
_probe.register(app)
_cluster.register(app)
