"""Outage pages served with status 200, truncated bodies and one-off 404s leave no trace;
real short notices, real large edits and real removals are recorded and alerted once."""

# Each outage, with the error kind the run records for it.
OUTAGES = {
    "maintenance": "system_page",
    "login": "system_page",
    "login_redirect": "system_page",
    "captcha": "system_page",
    "waf": "system_page",
    "cut": "unconfirmed_change",
    "404": "gone_unconfirmed",
    "410": "gone_unconfirmed",
    "soft404": "gone_unconfirmed",
    "home_redirect": "gone_unconfirmed",
}
BUSY_PAGES = 3  # the CMS's "server busy" notice, in the site's frame, on several pages
NOTICE = "根据上级部署，本文件自2026年12月1日起废止。"


def test_outage_and_recovery_give_no_event_real_changes_one_each(portal, sink, cli_factory, db_url):
    cli = cli_factory(db_url, start_urls=[portal.listing_url], notify=[sink.url])
    cli.run("crawl", "changan")
    assert len(sink.messages) == 1  # the baseline summary

    articles = portal.articles
    url = {a.id: portal.server.url + a.path for a in articles}
    victims = dict(zip((a.id for a in articles), OUTAGES, strict=False))
    for article_id, fault in victims.items():
        portal.fail(article_id, fault)
    busy = [a.id for a in articles[len(OUTAGES) : len(OUTAGES) + BUSY_PAGES]]
    for article_id in busy:
        portal.fail(article_id, "busy")
    notice, rewritten, deleted = articles[-1], articles[-2], articles[-3]
    # Decoys: a real short notice in the site's frame and a real rewrite, both large
    # changes that must be confirmed and then believed; and a real removal.
    portal.edit(notice.id, paragraphs=[NOTICE])
    portal.edit(rewritten.id, paragraphs=[p[::-1] for p in rewritten.paragraphs])
    portal.delete(deleted.id)

    portal.clear_requests()
    cli.run("crawl", "changan")
    run = cli.json("runs")[0]
    changes = cli.json("changes")
    assert sorted((c["kind"], c["url"]) for c in changes) == sorted(
        [("changed", url[notice.id]), ("changed", url[rewritten.id])]
    )
    errors = {e["url"]: e["kind"] for e in cli.json("runs", "--errors", str(run["id"]))}
    for article_id, fault in victims.items():
        assert errors.get(url[article_id]) == OUTAGES[fault], (fault, errors.get(url[article_id]))
    assert {errors.get(url[i]) for i in busy} == {"shared_text"}
    assert errors[url[deleted.id]] == "gone_unconfirmed"
    assert (run["changed"], run["removed"], run["new"]) == (2, 0, 0)
    # The cost of confirmation: one more request for each suspect page, none for the pages
    # that name themselves, none for the pages that share one outage text.
    fetched = [r.path for r in portal.requests]
    for article in (notice, rewritten, portal.article(next(iter(victims)))):
        expected = 2 if article.id in (notice.id, rewritten.id) else 1
        assert fetched.count(article.path) == expected, article.title
    cut = next(i for i, fault in victims.items() if fault == "cut")
    assert fetched.count(portal.article(cut).path) == 2
    assert all(fetched.count(portal.article(i).path) == 1 for i in busy)

    documents = {d["url"]: d for d in cli.json("documents")}
    for article_id in [*victims, *busy]:
        assert documents[url[article_id]]["versions"] == 1
    assert documents[url[notice.id]]["versions"] == 2

    # Recovery: no event for the pages that come back; the real removal is now believed.
    portal.clear_faults()
    cli.run("crawl", "changan")
    run = cli.json("runs")[0]
    assert (run["new"], run["changed"], run["removed"], run["restored"]) == (0, 0, 1, 0)
    assert run["errors"] == 0
    kinds = sorted((c["kind"], c["url"]) for c in cli.json("changes"))
    assert ("removed", url[deleted.id]) in kinds and len(kinds) == 3
    statuses = {d["url"]: d["status"] for d in cli.json("documents")}
    assert statuses[url[deleted.id]] == "removed"
    assert {statuses[url[i]] for i in [*victims, *busy]} == {"active"}
    titles = [m["title"] for m in sink.messages]
    assert len(titles) == 4, titles  # the baseline, two changes and one removal


def test_a_page_that_is_down_for_one_fetch_is_one_error(portal, cli_factory, sqlite_url):
    """A suspect page whose second fetch shows the stored version again: one error, no event."""
    cli = cli_factory(sqlite_url, start_urls=[portal.listing_url])
    cli.run("crawl", "changan")
    victim = portal.articles[5]
    portal.fail(victim.id, "busy", times=1)
    cli.run("crawl", "changan")
    run = cli.json("runs")[0]
    assert (run["changed"], run["errors"]) == (0, 1)
    errors = cli.json("runs", "--errors", str(run["id"]))
    assert [e["kind"] for e in errors] == ["transient_change"]
    assert cli.json("changes") == []
