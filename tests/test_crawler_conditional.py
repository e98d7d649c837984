"""Conditional requests: stored validators go out, 304 means unchanged, changes still show.

The crawl scenario runs on SQLite and PostgreSQL; the middleware is also checked alone.
"""

from __future__ import annotations

from scrapy import Request, Spider
from scrapy.utils.test import get_crawler

from crawler.middlewares.conditional import META_KEY, ConditionalRequests
from storage.runs import RunContext


def _middleware(validators):
    crawler = get_crawler(Spider)
    middleware = ConditionalRequests.from_crawler(crawler)
    spider = Spider("x")
    spider.run = RunContext(1, 1, "x", False, tuple(validators), validators)  # type: ignore[attr-defined]
    middleware.spider_opened(spider)
    return middleware


def test_middleware_sends_the_stored_validators_only_when_asked():
    url = "http://www.changan.gov.cn/content/post_1.html"
    middleware = _middleware({url: ('"abc"', "Sun, 01 Mar 2026 01:30:00 GMT")})
    request = Request(url, meta={META_KEY: True, "govwatch_url": url})
    middleware.process_request(request)
    assert request.headers[b"If-None-Match"] == b'"abc"'
    assert request.headers[b"If-Modified-Since"] == b"Sun, 01 Mar 2026 01:30:00 GMT"
    listing = Request(url)  # listing pages are always fetched in full
    middleware.process_request(listing)
    assert b"If-None-Match" not in listing.headers
    unknown = Request(url + "?x", meta={META_KEY: True})
    middleware.process_request(unknown)
    assert b"If-None-Match" not in unknown.headers


def test_recrawl_gets_304s_yet_sees_edits_removals_and_returns(portal, cli_factory, db_url):
    cli = cli_factory(db_url, start_urls=[portal.listing_url])
    cli.run("crawl", "changan")
    first_bytes = sum(r.bytes_sent for r in portal.requests)
    edited, deleted = portal.articles[4], portal.articles[7]
    old = edited.paragraphs[1][:12]
    portal.edit(edited.id, replace=(old, "全面推进改革"))
    portal.delete(deleted.id)

    portal.clear_requests()
    cli.run("crawl", "changan")
    run = cli.json("runs")[0]
    # The 404 is an error of this run; the next run, seeing it again, records the removal.
    assert (run["changed"], run["removed"], run["unchanged"], run["errors"]) == (1, 0, 34, 1)
    statuses = {r.path: r.status for r in portal.requests if "/content/" in r.path}
    assert statuses.pop(edited.path) == 200 and statuses.pop(deleted.path) == 404
    assert set(statuses.values()) == {304}
    assert sum(r.bytes_sent for r in portal.requests) < first_bytes * 0.3
    versions = {d["url"]: d["versions"] for d in cli.json("documents")}
    assert versions[portal.server.url + edited.path] == 2
    assert sum(versions.values()) == 37  # 36 first versions and one edit; no 304 stored
    cli.run("crawl", "changan")
    run = cli.json("runs")[0]
    assert (run["changed"], run["removed"], run["unchanged"], run["errors"]) == (0, 1, 35, 0)

    # The deleted page comes back as it was: its stored validators still match, so the
    # answer is a 304, and that is a restoration.
    portal.restore(deleted.id)
    portal.clear_requests()
    cli.run("crawl", "changan")
    assert {r.status for r in portal.requests if r.path == deleted.path} == {304}
    run = cli.json("runs")[0]
    assert (run["restored"], run["changed"], run["unchanged"]) == (1, 0, 35)
    kinds = sorted(c["kind"] for c in cli.json("changes"))
    assert kinds == ["changed", "removed", "restored"]
