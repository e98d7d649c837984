"""Crawl runs: starting one, counting what it saw, closing it."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from revisits.policy import Policy
from storage.db import Database
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


def start_run(db: Database, name: str, policy: Policy | None = None) -> RunContext:
    """Open a run; until one run of the source has completed, runs are quiet baselines.

    A baseline killed half-way leaves documents behind; the run that resumes it is still a
    baseline, so the documents it reaches first are not reported as new.
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


def count(session: Session, run_id: int, counter: str) -> None:
    """Add one to a run's counter, inside the transaction that made it true."""
    if counter not in COUNTERS:
        raise ValueError(f"unknown run counter {counter!r}")
    session.execute(_INCREMENTS[counter], {"p_run": run_id})


# Built once, as they run once per observation; no session synchronisation, as nothing in
# the session holds the run row and matching the identity map costs more than the update.
_INCREMENTS = {
    counter: update(CrawlRun)
    .where(CrawlRun.id == bindparam("p_run"))
    .values({getattr(CrawlRun, counter): getattr(CrawlRun, counter) + 1})
    .execution_options(synchronize_session=False)
    for counter in COUNTERS
}


def finish_run(db: Database, run_id: int, *, reason: str, pages: int) -> CrawlRun:
    with db.transaction() as session:
        run = session.get_one(CrawlRun, run_id)
        run.status = "finished"
        run.finish_reason = reason
        run.pages = pages
        run.finished_at = utcnow()
        return run


def _close_abandoned_runs(session: Session, source_id: int) -> None:
    # A run left "running" by a process that no longer exists crashed or was killed;
    # its documents were committed one by one, so only the run record needs closing.
    running = session.scalars(
        select(CrawlRun).where(CrawlRun.source_id == source_id, CrawlRun.status == "running")
    ).all()
    for run in running:
        if run.pid is None or not _process_alive(run.pid) or run.pid == os.getpid():
            run.status = "interrupted"
            run.finished_at = run.finished_at or utcnow()


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
