"""The whole service against the local portal: baseline, edits, alerts, quiet recrawl.

Runs on SQLite and on PostgreSQL (the ``db_url`` fixture).
"""

from portal_edits import edit_a_figure

from tracker.diff import diff_texts


def _edit_a_figure(portal):
    """Change one figure in one article; returns (article, old figure, new figure)."""
    for article in portal.articles[3:]:
        edit = edit_a_figure(portal, article)
        if edit:
            return article, *edit
    raise AssertionError("the portal has no article with a figure")


def test_discover_track_and_alert(portal, sink, cli_factory, db_url):
    cli = cli_factory(db_url, start_urls=[portal.listing_url], notify=[sink.url])
    url_of = {a.id: portal.server.url + a.path for a in portal.articles}

    # Baseline: every article over four listing pages stored; one summary alert only.
    cli.run("crawl", "changan")
    documents = cli.json("documents")
    assert sorted(d["url"] for d in documents) == sorted(url_of.values())
    assert all(d["status"] == "active" and d["versions"] == 1 for d in documents)
    assert all(d["title"] for d in documents)
    assert cli.json("changes") == []
    assert len(sink.messages) == 1
    assert "36" in sink.messages[0]["title"]

    # One article edited, one published, one deleted.
    edited, old_figure, new_figure = _edit_a_figure(portal)
    published = portal.publish(
        title="长安镇关于开展2026年冬季消防安全检查的通知",
        paragraphs=[
            "各社区、各有关单位：",
            "为切实做好冬季消防安全工作，现就有关事项通知如下。",
            "一、检查时间为2026年12月1日至12月31日。",
        ],
    )
    deleted = portal.articles[-1]
    portal.delete(deleted.id)
    cli.run("crawl", "changan")
    assert "removed" not in {c["kind"] for c in cli.json("changes")}  # not yet believed
    cli.run("crawl", "changan")  # the next run finds it gone too: now it is removed

    changes = cli.json("changes")
    assert sorted((c["kind"], c["url"]) for c in changes) == sorted(
        [
            ("changed", url_of[edited.id]),
            ("new", portal.server.url + published.path),
            ("removed", url_of[deleted.id]),
        ]
    )
    changed = next(c for c in changes if c["kind"] == "changed")
    assert (changed["from_version"], changed["to_version"]) == (1, 2)
    assert changed["chars_removed"] == len(old_figure)
    assert changed["chars_added"] == len(new_figure)
    assert changed["significance"] >= 0.5

    # The diff shows exactly the edit.
    history = cli.json("history", url_of[edited.id])
    assert [v["version"] for v in history] == [1, 2]
    diff = diff_texts(history[0]["text"], history[1]["text"])
    assert "".join(op.text for op in diff.ops if op.kind == "delete") == old_figure
    assert "".join(op.text for op in diff.ops if op.kind == "insert") == new_figure
    shown = cli.run("diff", url_of[edited.id]).stdout
    assert old_figure in shown and new_figure in shown

    # Three alerts arrived, the change's with both figures.
    messages = sink.wait_for(4)
    assert len(messages) == 4
    change_alert = next(m for m in messages[1:] if new_figure in m["message"])
    assert old_figure in change_alert["message"]
    assert url_of[edited.id] in change_alert["message"]

    # An unchanged recrawl adds nothing.
    cli.run("crawl", "changan")
    assert len(cli.json("changes")) == 3
    documents = cli.json("documents")
    assert sum(d["versions"] for d in documents) == 36 + 1 + 1
    last_run = cli.json("runs")[0]
    assert (last_run["new"], last_run["changed"], last_run["removed"]) == (0, 0, 0)
    assert last_run["unchanged"] == 37  # 36 live documents and the one still gone
    assert len(sink.messages) == 4

    # The deleted article comes back: restored.
    portal.restore(deleted.id)
    cli.run("crawl", "changan")
    kinds = [
        c["kind"]
        for c in cli.json(
            "changes",
        )
    ]
    assert kinds.count("restored") == 1
