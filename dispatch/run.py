"""What a crawl process does: crawl the sources, cluster what changed, send the alerts."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from alerts import DeliveryReport, dispatch
from config import Config, SourceConfig
from corpus.clusters import update as update_clusters
from crawler.run import crawl_sources
from dispatch.process import die_with_parent
from storage.db import Database

log = logging.getLogger(__name__)


def run_crawl(
    config: Config,
    sources: Sequence[SourceConfig],
    db: Database,
    *,
    on_progress: Callable[[str, str, str], None] | None = None,
    on_busy: Callable[[str], None] | None = None,
    log_level: str = "WARNING",
) -> tuple[list[dict[str, Any]], DeliveryReport]:
    """One crawl run per source, then clusters and alerts; the run summaries and alerts sent.

    Sources another process is crawling go to ``on_busy`` (see ``crawl_sources``).
    """
    die_with_parent()  # a crawl started by the service stops when the service dies
    summaries = crawl_sources(
        config, sources, db, on_progress=on_progress, on_busy=on_busy, log_level=log_level
    )
    if any(run["status"] == "interrupted" for run in summaries):
        # Stopped by a signal: end quickly. The events are stored; the next crawl or the
        # service's alert job clusters and alerts them.
        return summaries, DeliveryReport(0, 0, 0, 0)
    _cluster(db)
    return summaries, dispatch(db, config)


def _cluster(db: Database) -> None:
    """Put the new and changed documents into near-duplicate clusters (corpus/clusters.py).

    Best effort: a failure here must not cost the run its alerts; the next run, or
    ``govwatch corpus update``, picks the same documents up again.
    """
    try:
        update_clusters(db)
    except Exception:  # noqa: BLE001 - logged; clustering is state-based and catches up
        log.warning("clustering the corpus failed; it will be retried", exc_info=True)
