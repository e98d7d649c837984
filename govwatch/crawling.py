"""``govwatch crawl``: crawl in the foreground with progress, then alert and summarise."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from rich.console import Console
from rich.live import Live
from rich.table import Table

from config import Config, SourceConfig
from dispatch.run import run_crawl
from storage.db import Database

SUMMARY_COLUMNS = ("pages", "new", "changed", "removed", "restored", "unchanged", "errors")


def crawl_and_alert(
    config: Config,
    sources: Sequence[SourceConfig],
    db: Database,
    *,
    quiet: bool = False,
    verbose: bool = False,
    on_busy: Callable[[str], None] | None = None,
) -> list[dict[str, Any]]:
    """Crawl, then cluster and alert; sources crawled elsewhere go to ``on_busy``."""
    console = Console(stderr=True)
    counts: dict[str, Counter[str]] = {source.name: Counter() for source in sources}
    log_level = "INFO" if verbose else "WARNING"
    if quiet or verbose or not console.is_terminal:
        summaries, report = run_crawl(config, sources, db, on_busy=on_busy, log_level=log_level)
    else:
        with Live(_progress(counts), console=console, refresh_per_second=4) as live:

            def progress(name: str, _url: str, outcome: str) -> None:
                counts[name][outcome] += 1
                live.update(_progress(counts))

            summaries, report = run_crawl(
                config, sources, db, on_progress=progress, on_busy=on_busy, log_level=log_level
            )
    if not quiet:
        Console().print(_summary(summaries))
        if report.queued or report.sent or report.failed or report.pending:
            Console().print(
                f"alerts: {report.sent} sent, {report.pending} to retry, {report.failed} failed"
            )
    return summaries


def _progress(counts: dict[str, Counter[str]]) -> Table:
    table = Table(
        "source", "pages", "new", "changed", "removed", "unchanged", "errors", title="crawling…"
    )
    for name, seen in counts.items():
        table.add_row(
            name,
            str(sum(seen.values())),
            str(seen["new"]),
            str(seen["changed"]),
            str(seen["removed"]),
            str(seen["unchanged"]),
            str(seen["error"]),
        )
    return table


def _summary(summaries: Sequence[dict[str, Any]]) -> Table:
    table = Table("source", "run", *SUMMARY_COLUMNS, "seconds", "note")
    for run in summaries:
        note = "baseline: no alerts per document" if run["baseline"] else ""
        if run["status"] != "finished":
            note = f"run {run['status']}"
        seconds = run["duration_seconds"]
        table.add_row(
            run["source"],
            str(run["id"]),
            *(str(run[c]) for c in SUMMARY_COLUMNS),
            "-" if seconds is None else f"{seconds:.1f}",
            note,
        )
    return table
