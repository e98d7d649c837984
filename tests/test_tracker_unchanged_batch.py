"""Unchanged visits (304s) written in batches: the same records as one at a time, held
visits written before anything else looks at their document, and a removed document's
304 never held."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from extractor.model import Extraction
from storage.db import Database, open_database
from storage.models import CrawlRun, Document, utcnow
from storage.runs import finish_run, start_run
from tracker.observations import Page
from tracker.track import Tracker

BASE = "http://www.changan.gov.cn/zwgk/content/post_{}.html"
URLS = [BASE.format(n) for n in range(1, 5)]
TEXT = "第一段：全镇规模以上工业增加值增长百分之五点三，各项工作稳步推进。"
HEADERS = {"etag": '"v2"', "last-modified": "Tue, 01 Dec 2026 08:00:00 GMT"}


def _page(url: str) -> Page:
    return Page(
        url,
        url,
        200,
        {"content-type": "text/html; charset=utf-8", "etag": '"v1"'},
        TEXT.encode("utf-8"),
        utcnow(),
        extraction=Extraction(
            title="通知", published_at="2026-11-20", text=TEXT, text_simplified=TEXT
        ),
    )


def _not_modified(url: str, minutes: int) -> Page:
    return Page(url, url, 304, dict(HEADERS), b"", utcnow() + timedelta(minutes=minutes))


def _stored(db: Database) -> dict[str, tuple]:
    with db.reader() as session:
        return {
            d.url: (
                d.visits,
                d.etag,
                d.last_modified,
                d.last_visit_at,
                d.next_visit_at,
                d.last_seen,
                d.status,
            )
            for d in session.scalars(select(Document))
        }


def _unchanged(db: Database, run_id: int) -> int:
    with db.reader() as session:
        return session.get_one(CrawlRun, run_id).unchanged


@pytest.fixture
def db(db_url):
    """A database whose source has a finished baseline run that stored every URL."""
    database = open_database(db_url)
    run = start_run(database, "changan")
    tracker = Tracker(database, run)
    for url in URLS:
        tracker.observe_page(_page(url))
    finish_run(database, run.run_id, reason="finished", pages=len(URLS))
    yield database
    database.dispose()


def test_batches_store_what_single_writes_store(db):
    pages = [_not_modified(url, n) for n, url in enumerate(URLS, 1)]
    # Recorded one at a time, then the database is put back as it was.
    before = _stored(db)
    run = start_run(db, "changan")
    assert [Tracker(db, run).observe_page(p) for p in pages] == ["unchanged"] * 4
    single = _stored(db)
    with db.transaction() as session:
        for url, (visits, etag, modified, last_visit, next_visit, seen, _) in before.items():
            session.execute(
                update(Document)
                .where(Document.url == url)
                .values(
                    visits=visits,
                    etag=etag,
                    last_modified=modified,
                    last_visit_at=last_visit,
                    next_visit_at=next_visit,
                    last_seen=seen,
                )
            )
    finish_run(db, run.run_id, reason="finished", pages=4)

    run = start_run(db, "changan")
    tracker = Tracker(db, run, batch=3)
    assert [tracker.observe_page(p) for p in pages[:2]] == ["unchanged"] * 2
    assert _stored(db) == before and _unchanged(db, run.run_id) == 0  # held
    tracker.observe_page(pages[2])  # the third fills the batch: written
    assert _unchanged(db, run.run_id) == 3
    tracker.observe_page(pages[3])
    tracker.flush()
    assert _stored(db) == single and _unchanged(db, run.run_id) == 4
    assert single[URLS[0]][:3] == (2, '"v2"', HEADERS["last-modified"])


def test_held_visit_written_before_its_document_is_looked_at_again(db):
    run = start_run(db, "changan")
    tracker = Tracker(db, run, batch=100)
    assert tracker.observe_page(_not_modified(URLS[0], 1)) == "unchanged"
    assert tracker.observe_page(_not_modified(URLS[1], 1)) == "unchanged"
    assert _unchanged(db, run.run_id) == 0
    # The same document fetched in full: its held visit goes first, then this one.
    assert tracker.observe_page(_page(URLS[0])) == "unchanged"
    assert _stored(db)[URLS[0]][0] == 3  # the first fetch, the 304, this fetch
    assert _unchanged(db, run.run_id) == 3


def test_removed_document_304_is_restored_at_once(db):
    with db.transaction() as session:
        session.execute(update(Document).where(Document.url == URLS[0]).values(status="removed"))
    run = start_run(db, "changan")
    tracker = Tracker(db, run, batch=100)
    assert tracker.observe_page(_not_modified(URLS[0], 1)) == "restored"
    assert _stored(db)[URLS[0]][6] == "active"
