"""A run's revisits: which listing pages and known documents it fetches, within its budget.

The spider asks this planner three things. For each listing page: which of its entries to
fetch now (new documents always, free of the budget; known ones whose listing date is
newer than the last visit, from the budget), and which further listing pages to read (in a
normal run paging stops at the first page with nothing new; a full sweep, due every
``full_sweep_interval`` days, reads them all). When the listings are done: which due
documents the rest of the budget buys (``storage.revisits.due_documents``, ranked by
``revisits.budget``). The policy that sets each document's next visit is
``revisits.policy``; the tracker applies it after every fetch.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import TypeVar

from config import SourceConfig
from crawler.listings import Entry
from revisits.budget import choose
from revisits.policy import Policy
from storage.db import open_database
from storage.models import utcnow
from storage.revisits import (
    Known,
    due_documents,
    due_unlisted,
    finish_sweep,
    listing_validators,
    lookup,
    mark_due,
    mark_listed,
    record_listing,
    signal,
    sweep_due,
)
from storage.runs import RunContext

Page = TypeVar("Page")
# The planning query reads this many times the remaining budget of the most overdue
# documents, and the budget goes to the best of them by expected value.
CANDIDATES_PER_REQUEST = 4
EVERY_RUN_HORIZON = timedelta(days=365 * 100)


def policy_for(source: SourceConfig) -> Policy:
    """The revisit policy with a source's bounds."""
    return Policy(max_interval=timedelta(days=source.max_revisit_interval))


@dataclass
class Triage:
    """A listing page's entries, sorted by what the run does with them."""

    new: list[str] = field(default_factory=list)  # fetched, free of the budget
    due: list[Known] = field(default_factory=list)  # listing says changed: fetched now
    unchanged: list[str] = field(default_factory=list)  # listing says unchanged since stored

    @property
    def news(self) -> bool:
        return bool(self.new or self.due)


class RevisitPlanner:
    def __init__(self, db_url: str, source: SourceConfig, run: RunContext) -> None:
        self.db = open_database(db_url, upgrade=False)
        self.source = source
        self.run = run
        self.started = utcnow()
        with self.db.reader() as session:
            self.full_sweep = run.baseline or sweep_due(
                session, run.source_id, self.started, timedelta(days=source.full_sweep_interval)
            )
        self.spent = 0
        self.planned = False
        self.listing_failures = 0
        self._pending: dict[str, list[Page]] = {}  # type: ignore[valid-type]

    # -- listings --------------------------------------------------------------------------

    def listing_validators(self, url: str) -> tuple[str | None, str | None] | None:
        """Validators for a listing request; None in a full sweep, which reads every page."""
        if self.full_sweep:
            return None
        with self.db.reader() as session:
            return listing_validators(session, self.run.source_id, url)

    def listing_fetched(self, url: str, headers: dict[str, str]) -> None:
        with self.db.transaction() as session:
            record_listing(session, self.run.source_id, url, headers, utcnow())

    def triage(self, entries: Sequence[Entry]) -> Triage:
        """What to do with each entry of one listing page."""
        now = utcnow()
        with self.db.transaction() as session:
            known = lookup(session, self.run.source_id, (e.url for e in entries))
            if self.full_sweep and known:
                mark_listed(session, self.run.source_id, list(known), self.started)
        triage = Triage()
        for entry in entries:
            stored = known.get(entry.url)
            if stored is None:
                triage.new.append(entry.url)
            elif stored.status == "removed":
                triage.due.append(stored)  # listed again: has it come back?
            elif entry.modified is not None:
                validator = _http_date(stored.last_modified)
                if validator is not None and entry.modified <= validator:
                    triage.unchanged.append(entry.url)
                elif signal(stored, entry.modified, now):
                    triage.due.append(stored)
        return triage

    def next_pages(self, chain: str, pages: Iterable[Page], triage: Triage,
                   entries: int) -> list[Page]:
        """Further listing pages to request after a page of ``chain`` (a start URL).

        A full sweep reads them all; a page that names no documents (an index of listing
        pages) hands on all it names. Otherwise pages are read one after another, and
        paging stops at the first page with no new entry and no entry newer than stored.
        """
        pages = list(pages)
        if self.full_sweep or entries == 0:
            return pages
        pending = self._pending.setdefault(chain, [])
        pending.extend(pages)
        # Pagers name pages in any order (last page, guessed pages): read them by number.
        pending.sort(key=_page_order)
        if not triage.news:
            pending.clear()
            return []
        return [pending.pop(0)] if pending else []

    def listing_failed(self) -> None:
        self.listing_failures += 1

    # -- the budget --------------------------------------------------------------------------

    @property
    def budget_left(self) -> int | None:
        if self.source.revisit_budget is None:
            return None
        return max(self.source.revisit_budget - self.spent, 0)

    def spend(self, known: Sequence[Known]) -> list[Known]:
        """The ones of ``known`` the budget still pays for; the rest are due next run."""
        left = self.budget_left
        granted = list(known) if left is None else list(known)[:left]
        self.spent += len(granted)
        deferred = [k.url for k in known[len(granted):]]
        if deferred:
            with self.db.transaction() as session:
                mark_due(session, self.run.source_id, deferred, utcnow())
        return granted

    def plan(self, exclude: set[str]) -> list[Known]:
        """Once the listings are done: the due documents the rest of the budget buys."""
        if self.planned:
            return []
        self.planned = True
        now = utcnow()
        with self.db.transaction() as session:
            if self.full_sweep and self.listing_failures == 0:
                due_unlisted(session, self.run.source_id, self.started, now)
            if self.full_sweep:
                finish_sweep(session, self.run.source_id, self.started)
        left = self.budget_left
        if left == 0:
            return []
        every_run = self.source.revisit == "every_run"
        due_by = now + EVERY_RUN_HORIZON if every_run else now
        limit = None if left is None else left * (1 if every_run else CANDIDATES_PER_REQUEST)
        with self.db.reader() as session:
            candidates = [k for k in due_documents(session, self.run.source_id, due_by, limit)
                          if k.url not in exclude]
        if every_run:
            chosen = candidates if left is None else candidates[:left]
        else:
            chosen = choose(((k, k.state) for k in candidates), now, left, self.run.policy)
        self.spent += len(chosen)
        return chosen

    def close(self) -> None:
        self.db.dispose()


def _page_order(page: object) -> list[object]:
    """A natural sort key: the page numbers in a URL (or form body) compared as numbers."""
    text = page if isinstance(page, str) else f"{page.url} {page.body!r}"  # type: ignore[attr-defined]
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def _http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
