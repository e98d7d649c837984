"""Stopping a crawl process on SIGTERM or Ctrl-C within seconds, its runs closed truthfully.

Scrapy's own handler stops gracefully, which waits for every request in flight: a page
that takes its full download timeout keeps a stopped service waiting that long. Here the
first signal asks the crawlers to stop and gives them a few seconds to close their runs;
then the reactor is stopped, and the runs still open are closed as interrupted with what
they counted. A second signal stops at once.
"""

from __future__ import annotations

import signal
from collections.abc import Sequence
from types import FrameType

from scrapy.crawler import Crawler, CrawlerProcess

from storage.db import Database
from storage.models import CrawlRun
from storage.runs import finish_run

STOP_GRACE = 3.0  # seconds a stopped crawl has to close its runs itself
SIGNALS = (signal.SIGTERM, signal.SIGINT)


def stop_on_signals(process: CrawlerProcess, grace: float = STOP_GRACE) -> None:
    """Install the handlers; start the process with ``install_signal_handlers=False``."""
    from twisted.internet import reactor

    def force() -> None:
        if reactor.running:  # type: ignore[attr-defined]
            reactor.stop()  # type: ignore[attr-defined]

    def begin() -> None:
        process.stop()
        reactor.callLater(grace, force)  # type: ignore[attr-defined]

    def second(_signum: int, _frame: FrameType | None) -> None:
        reactor.callFromThread(force)  # type: ignore[attr-defined]

    def first(_signum: int, _frame: FrameType | None) -> None:
        for number in SIGNALS:
            signal.signal(number, second)
        reactor.callFromThread(begin)  # type: ignore[attr-defined]

    for number in SIGNALS:
        signal.signal(number, first)


def close_unfinished(db: Database, run_ids: Sequence[int], crawlers: Sequence[Crawler]) -> None:
    """Close, as interrupted by shutdown, the runs whose spider never got to close them."""
    for run_id, crawler in zip(run_ids, crawlers, strict=True):
        with db.reader() as session:
            still_running = session.get_one(CrawlRun, run_id).status == "running"
        if still_running:
            pages = crawler.stats.get_value("response_received_count", 0) if crawler.stats else 0
            finish_run(db, run_id, reason="shutdown", pages=pages)
