"""Quiet alerts, end to end: a site-wide footer change is no event, one figure is one alert,
several events are one digest, a burst is one summary, and the feed carries them all.

One scenario of four crawls against the local portal (SQLite: the PostgreSQL path is
covered by tests/test_end_to_end.py, and this is about alerting, not storage).
"""

from __future__ import annotations

from lxml import etree
from portal_edits import edit_a_figure
from test_feed import NS, check_rfc4287

BASE_URL = "https://govwatch.example.org"
QUIET = f"""
digest = true
max_alerts_per_run = 3

[web]
base_url = "{BASE_URL}"
"""


def test_footer_figure_digest_and_rate_limit(portal, sink, cli_factory, sqlite_url, tmp_path):
    cli = cli_factory(
        sqlite_url, start_urls=[portal.listing_url], notify=[sink.url], extra_source=QUIET
    )
    url_of = {a.id: portal.server.url + a.path for a in portal.articles}
    cli.run("crawl", "changan")
    assert len(sink.messages) == 1  # the baseline summary

    # A site-wide footer change and one figure changed in one report.
    portal.set_footer("网站最后更新：2026年11月23日　本站累计访问量：1234567")
    edited, (old_figure, new_figure) = next(
        (a, edit) for a in portal.articles[3:] if (edit := edit_a_figure(portal, a))
    )
    portal.clear_requests()
    cli.run("crawl", "changan")
    article_paths = {a.path for a in portal.articles}
    fetched = [r.status for r in portal.requests if r.path in article_paths]
    assert fetched.count(200) == 36  # every page came back whole, with the new footer
    [change] = cli.json("changes")
    assert (change["kind"], change["url"]) == ("changed", url_of[edited.id])
    run = cli.json("runs")[0]
    assert (run["changed"], run["unchanged"]) == (1, 35)  # the footer changed every page
    messages = sink.wait_for(2)
    assert len(messages) == 2
    alert = messages[1]["message"]
    assert old_figure in alert and new_figure in alert
    assert f"{BASE_URL}/documents/" in alert and "/diff?from=1&to=2" in alert

    # Three events in one run: one digest (digest = true).
    published = portal.publish(
        title="长安镇关于开展2026年冬季消防安全检查的通知",
        paragraphs=["各社区、各有关单位：", "一、检查时间为2026年12月1日至12月31日。"],
    )
    for article in portal.articles[5:7]:
        portal.edit(article.id, paragraphs=[*article.paragraphs, "本文于近日作了补充说明。"])
    cli.run("crawl", "changan")
    messages = sink.wait_for(3)
    assert len(messages) == 3
    digest = messages[2]
    assert "1 new, 2 changed" in digest["title"]
    assert portal.server.url + published.path in digest["message"]

    # Five events in one run: more than max_alerts_per_run, so one summary.
    for article in portal.articles[10:15]:
        portal.edit(article.id, paragraphs=[*article.paragraphs, "本文已根据最新统计数据修订。"])
    cli.run("crawl", "changan")
    messages = sink.wait_for(4)
    assert len(messages) == 4
    assert "5 changed" in messages[3]["title"] and "summary" in messages[3]["title"]
    assert len(cli.json("changes")) == 1 + 3 + 5

    # The feed of changed documents holds the eight changes, valid Atom.
    output = tmp_path / "changes.atom"
    cli.run("feed", "--kind", "changed", "--output", str(output))
    feed = check_rfc4287(output.read_text(encoding="utf-8"))
    entries = feed.findall("a:entry", NS)
    assert len(entries) == 8
    links = {e.find("a:link", NS).get("href") for e in entries}
    assert url_of[edited.id] in links
    self_link = feed.find("a:link[@rel='self']", NS).get("href")
    assert self_link == f"{BASE_URL}/feeds/changes.atom?kind=changed"  # the web app's route
    assert etree.QName(feed).localname == "feed"
