"""Revisits in real crawls: validators that stay fresh, listings that stop early, budgets.

Time is driven by moving the stored next visits and the last full sweep, not by waiting.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from portal import Portal
from storage.db import open_database
from storage.models import Document, Source, utcnow
from storage.revisits import due_documents

ARTICLE = "/content/post_"


@pytest.fixture
def related_portal():
    """36 articles over four listing pages; article pages carry a live related-articles box."""
    site = Portal(articles=36, per_page=10, seed=7, live_related=True)
    with site.serve(host="127.0.0.1", port=0):
        yield site


def _articles(portal: Portal) -> list:
    return [r for r in portal.requests if ARTICLE in r.path]


def _listings(portal: Portal) -> list[str]:
    return [r.path for r in portal.requests if "/zwgk/gzbg/index" in r.path]


def _set(db_url: str, **values: object) -> None:
    db = open_database(db_url, upgrade=False)
    with db.transaction() as session:
        if "documents" in values:
            session.execute(update(Document).values(**values["documents"]))  # type: ignore[arg-type]
        if "sources" in values:
            session.execute(update(Source).values(**values["sources"]))  # type: ignore[arg-type]
    db.dispose()


def test_validators_are_refreshed_after_a_furniture_only_200(related_portal, cli_factory,
                                                              sqlite_url):
    portal = related_portal
    cli = cli_factory(sqlite_url, start_urls=[portal.listing_url])
    cli.run("crawl", "changan")
    first_bytes = sum(r.bytes_sent for r in portal.requests)

    # One new article: every other article's related box changes, its text does not.
    portal.publish("关于开展冬季安全生产大检查的通知", ["各村（社区）：", "现将有关事项通知如下。"])
    portal.clear_requests()
    cli.run("crawl", "changan")
    run = cli.json("runs")[0]
    assert (run["new"], run["changed"], run["errors"]) == (1, 0, 0)
    assert {r.status for r in _articles(portal)} == {200}  # furniture changed: full answers
    assert sum(d["versions"] for d in cli.json("documents")) == 37  # and no new versions

    # Nothing changed since: the validators of those 200s go out, and every answer is a 304.
    portal.clear_requests()
    cli.run("crawl", "changan")
    run = cli.json("runs")[0]
    assert (run["unchanged"], run["changed"], run["new"]) == (37, 0, 0)
    assert {r.status for r in _articles(portal)} == {304}
    assert len(_articles(portal)) == 37
    assert sum(r.bytes_sent for r in portal.requests) < 0.05 * first_bytes


def test_listings_stop_early_a_full_sweep_reads_them_all_and_the_budget_holds(
    portal, cli_factory, sqlite_url
):
    cli = cli_factory(sqlite_url, start_urls=[portal.listing_url], revisit="adaptive",
                      extra_source="revisit_budget = 3")
    cli.run("crawl", "changan")  # the first run is a full sweep
    assert len(_listings(portal)) == 4 and len(_articles(portal)) == 36

    # Nothing changed: the first listing page answers 304 and nothing else is asked for,
    # as no document is due yet.
    portal.clear_requests()
    cli.run("crawl", "changan")
    assert [(r.path, r.status) for r in portal.requests if "/zwgk/gzbg/" in r.path] == [
        ("/zwgk/gzbg/index.html", 304)
    ]

    # Time passes: every document is due. Twelve new articles push the column down by
    # more than a page; paging stops at the first page with nothing new (page 3 of 5).
    _set(sqlite_url, documents={"next_visit_at": utcnow() - timedelta(days=1)})
    new = [portal.publish(f"关于第{n}批惠民补贴发放情况的公示", [f"第{n}批补贴已发放。"])
           for n in range(12)]
    portal.clear_requests()
    cli.run("crawl", "changan")
    assert _listings(portal) == ["/zwgk/gzbg/index.html", "/zwgk/gzbg/index_1.html",
                                 "/zwgk/gzbg/index_2.html"]
    fetched = {r.path for r in _articles(portal)}
    new_paths = {a.path for a in new}
    assert new_paths <= fetched  # never deferred, never counted against the budget
    assert len(fetched - new_paths) == 3  # the budget, spent in full and not exceeded
    run = cli.json("runs")[0]
    assert (run["new"], run["errors"]) == (12, 0)

    # A deletion deep in the column, on a document not due for weeks: only the full sweep,
    # due again after full_sweep_interval days, sees it gone from the listings.
    _set(sqlite_url, documents={"next_visit_at": utcnow() + timedelta(days=20)})
    deleted = portal.articles[-1]
    portal.delete(deleted.id)
    portal.clear_requests()
    cli.run("crawl", "changan")
    assert len(_listings(portal)) <= 2 and deleted.path not in {r.path for r in _articles(portal)}
    _set(sqlite_url, sources={"last_full_sweep_at": utcnow() - timedelta(days=8)})
    portal.clear_requests()
    cli.run("crawl", "changan")
    assert len(_listings(portal)) == 5  # 47 live articles, ten to a page
    assert [r.status for r in _articles(portal)] == [404]
    # A removal is believed when the next run finds it gone too: the document is due then.
    portal.clear_requests()
    cli.run("crawl", "changan")
    assert [(r.path, r.status) for r in _articles(portal)] == [(deleted.path, 404)]
    assert cli.json("runs")[0]["removed"] == 1


def test_the_planning_query_takes_the_most_overdue_first(db_url):
    db = open_database(db_url)
    now = utcnow()
    with db.transaction() as session:
        source = Source(name="s")
        session.add(source)
        session.flush()
        for index in range(30):
            session.add(Document(source_id=source.id, url=f"http://x/{index}",
                                 next_visit_at=now + timedelta(hours=index - 20)))
    with db.reader() as session:
        due = due_documents(session, source.id, now, limit=5)
        assert [k.url for k in due] == [f"http://x/{i}" for i in range(5)]
        assert len(due_documents(session, source.id, now, limit=None)) == 21
        assert session.scalar(select(Document.next_visit_at).limit(1)) is not None
    db.dispose()
