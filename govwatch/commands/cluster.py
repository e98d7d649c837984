"""``govwatch worker`` and ``govwatch scheduler``: the processes of a cluster (docs/deploy.md)."""

from __future__ import annotations

from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    app.command()(worker)
    app.command()(scheduler)


def worker(
    ctx: typer.Context,
    concurrency: Annotated[
        int, typer.Option("--concurrency", "-c", min=1, max=64, help="Crawls at once.")
    ] = 2,
    queues: Annotated[
        list[str] | None,
        typer.Option("--queues", "-Q", help="Queues to take crawls from (default: the cluster's)."),
    ] = None,
    node_name: Annotated[
        str | None,
        typer.Option("--node-name", "-n", help="This worker's name (default: govwatch@HOST)."),
    ] = None,
) -> None:
    """Take crawls from the cluster's queue and run them, until SIGTERM (cluster section)."""
    from dispatch.worker import run_worker
    from govwatch.cli import Options, fail

    options: Options = ctx.obj
    config = options.config()
    if config.cluster is None:
        fail(f"{config.path}: cluster: a worker needs a [cluster] section (broker_url)", status=2)
    options.database(config)  # create or upgrade the schema before the first crawl
    options.configure_logging()
    run_worker(config, concurrency=concurrency, queues=queues, node_name=node_name)


def scheduler(ctx: typer.Context) -> None:
    """Run the crawl schedule without the web app, until SIGTERM/Ctrl-C.

    With a cluster section, every such process (and every `govwatch serve`) competes for the lead:
    one schedules, the others stand by and take over when it stops.
    """
    from dispatch import dispatcher_for, schedule_for
    from govwatch.cli import Options
    from govwatch.stop_signals import StopSignals
    from storage.sources import with_stored_sources

    options: Options = ctx.obj
    config = options.config()
    db = options.database(config)
    config = with_stored_sources(config, db)  # and the sources added in the web app
    options.configure_logging()
    stop = StopSignals()
    schedule = schedule_for(config, dispatcher_for(config))
    schedule.start()
    typer.echo("govwatch scheduler running; SIGTERM or Ctrl-C stops it", err=True)
    try:
        stop.wait()
    finally:
        schedule.stop()
        db.dispose()
