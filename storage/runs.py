"""Crawl runs: starting one, counting what it saw, closing it."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from revisits.policy import Policy
from storage.db import Database
from storage.locks import CrawlLock, SourceBusy, acquire_crawl_lock, crawl_running
from storage.models import CrawlRun, Source, utcnow

COUNTERS = ("unchanged", "new", "changed", "removed", "restored", "errors")
COMPLETED = "finished"  # Scrapy's close reason for a crawl that ran out of work


@dataclass(frozen=True)
class RunContext:
    """What a crawl of one source needs to know about its run."""

    run_id: int
    source_id: int
    source_name: str
    baseline: bool
    # Not loaded by start_run (a run plans its revisits with storage.revisits instead, at a
    # cost that does not grow with the source); kept for callers that set them.
    known_urls: tuple[str, ...] = ()
    # url -> (ETag, Last-Modified), for conditional requests
    validators: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    policy: Policy = field(default_factory=Policy)


def ensure_source(session: Session, name: str) -> Source:
    source = session.scalar(select(Source).where(Source.name == name))
    if source is None:
        source = Source(name=name)
        session.add(source)
        session.flush()
    return source


def lock_source(db: Database, name: str) -> CrawlLock:
    """Take the crawl lock of a source for the life of this process's run of it.

    Raises :class:`SourceBusy` when another live process is crawling it.
    """
    with db.transaction() as session:
        source_id = ensure_source(session, name).id
    try:
        return acquire_crawl_lock(db.url, source_id)
    except SourceBusy:
        raise SourceBusy(f"a crawl of {name} is already running") from None


def start_run(db: Database, name: str, policy: Policy | None = None) -> RunContext:
    """Open a run; until one run of the source has completed, runs are quiet baselines.

    A baseline killed half-way leaves documents behind; the run that resumes it is still a
    baseline, so the documents it reaches first are not reported as new.

    The caller holds the source's crawl lock (``lock_source``).
    """
    with db.transaction() as session:
        source = ensure_source(session, name)
        _close_abandoned_runs(session, source.id)
        baseline = not baseline_completed(session, source.id)
        run = CrawlRun(source_id=source.id, baseline=baseline, pid=os.getpid())
        session.add(run)
        session.flush()
        return RunContext(run.id, source.id, name, run.baseline, policy=policy or Policy())


def baseline_completed(session: Session, source_id: int) -> bool:
    """Whether a run of the source has ever crawled to its end (Scrapy's "finished")."""
    return (
        session.scalar(
            select(CrawlRun.id)
            .where(
                CrawlRun.source_id == source_id,
                CrawlRun.status == "finished",
                CrawlRun.finish_reason == COMPLETED,
            )
            .limit(1)
        )
        is not None
    )


def count(session: Session, run_id: int, counter: str, n: int = 1) -> None:
    """Add ``n`` to a run's counter, inside the transaction that made it true."""
    if counter not in COUNTERS:
        raise ValueError(f"unknown run counter {counter!r}")
    session.execute(_INCREMENTS[counter], {"p_run": run_id, "p_n": n})


# Built once, as they run once per observation; no session synchronisation, as nothing in
# the session holds the run row and matching the identity map costs more than the update.
_INCREMENTS = {
    counter: update(CrawlRun)
    .where(CrawlRun.id == bindparam("p_run"))
    .values({getattr(CrawlRun, counter): getattr(CrawlRun, counter) + bindparam("p_n")})
    .execution_options(synchronize_session=False)
    for counter in COUNTERS
}


def finish_run(db: Database, run_id: int, *, reason: str, pages: int) -> CrawlRun:
    """Close a run: "finished" when the crawl ran out of work, else "interrupted".

    Scrapy's reason is "finished" for a crawl that ran out of work; "shutdown" (a signal),
    "cancelled" or a close-spider limit mean the source was not crawled to the end.
    """
    with db.transaction() as session:
        run = session.get_one(CrawlRun, run_id)
        run.status = "finished" if reason == "finished" else "interrupted"
        run.finish_reason = reason
        run.pages = pages
        run.finished_at = utcnow()
        return run


def _close_abandoned_runs(session: Session, source_id: int) -> None:
    # The caller holds this source's crawl lock, so a run still "running" belongs to a
    # process that died without closing it; its documents and counters were committed one
    # by one, so only the run record needs closing.
    running = session.scalars(
        select(CrawlRun).where(CrawlRun.source_id == source_id, CrawlRun.status == "running")
    ).all()
    for run in running:
        _mark_interrupted(run, "process died")


def source_being_crawled(db: Database, name: str) -> bool:
    """Whether some process, here or on another machine, holds the source's crawl lock."""
    with db.reader() as session:
        source_id = session.scalar(select(Source.id).where(Source.name == name))
        return source_id is not None and crawl_running(session, db.url, source_id)


def reap_dead_runs(db: Database) -> int:
    """Close the runs whose crawl process is gone (its crawl lock is free); returns how many.

    Called wherever runs are shown or their alerts decided, so that a killed crawl reads
    as interrupted as soon as the lock shows it dead, not at the source's next crawl.
    """
    with db.reader() as session:
        running = session.execute(
            select(CrawlRun.id, CrawlRun.source_id).where(CrawlRun.status == "running")
        ).all()
        dead = [
            run_id for run_id, source_id in running if not crawl_running(session, db.url, source_id)
        ]
    if not dead:
        return 0
    with db.transaction() as session:
        for run in session.scalars(
            select(CrawlRun).where(CrawlRun.id.in_(dead), CrawlRun.status == "running")
        ):
            _mark_interrupted(run, "process died")
    return len(dead)


def _mark_interrupted(run: CrawlRun, reason: str) -> None:
    run.status = "interrupted"
    run.finish_reason = run.finish_reason or reason
    run.finished_at = run.finished_at or utcnow()
