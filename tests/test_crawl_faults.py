"""Bad responses are recorded against the run and never touch a good stored version."""

import socket


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


FAULTS = {
    "500": "http_500",
    "timeout": "timeout",
    "binary": "not_html",
    "huge": "too_large",
    "truncated": "truncated",
    "empty": "empty_text",
    "reset": None,  # the exact kind depends on when the connection drops
}


def test_faults_are_recorded_and_nothing_is_lost(portal, sink, cli_factory, db_url):
    cli = cli_factory(db_url, start_urls=[portal.listing_url], notify=[sink.url], timeout=2.0)
    cli.run("crawl", "changan")
    before = {d["url"]: d for d in cli.json("documents")}
    assert len(before) == 36

    victims = {}
    for article, fault in zip(portal.articles, FAULTS, strict=False):
        portal.fail(article.id, fault)
        victims[portal.server.url + article.path] = fault
    cli.run("crawl", "changan")

    run = cli.json("runs")[0]
    assert run["status"] == "finished"
    assert run["errors"] == len(FAULTS)
    assert (run["new"], run["changed"], run["removed"]) == (0, 0, 0)
    assert run["unchanged"] == 36 - len(FAULTS)
    errors = {e["url"]: e for e in cli.json("runs", "--errors", str(run["id"]))}
    for url, fault in victims.items():
        assert url in errors, f"{fault} not recorded"
        if FAULTS[fault]:
            assert errors[url]["kind"] == FAULTS[fault], (fault, errors[url])
    after = {d["url"]: d for d in cli.json("documents")}
    assert after.keys() == before.keys()
    for url in victims:
        assert after[url]["versions"] == 1 and after[url]["status"] == "active"
    assert cli.json("changes") == []
    assert len(sink.messages) == 1  # the baseline summary, nothing since

    # The faults clear: the next crawl sees the same documents, still no event.
    portal.clear_faults()
    cli.run("crawl", "changan")
    run = cli.json("runs")[0]
    assert (run["errors"], run["unchanged"], run["changed"]) == (0, 36, 0)


def test_soft_404_and_home_redirect_mean_removed(portal, cli_factory, sqlite_url):
    cli = cli_factory(sqlite_url, start_urls=[portal.listing_url])
    cli.run("crawl", "changan")
    soft, redirected = portal.articles[0], portal.articles[1]
    portal.fail(soft.id, "soft404")
    portal.fail(redirected.id, "home_redirect")
    cli.run("crawl", "changan")
    assert cli.json("changes") == []  # a removal is believed when the next run agrees
    cli.run("crawl", "changan")
    changes = {c["url"]: c for c in cli.json("changes")}
    assert {c["kind"] for c in changes.values()} == {"removed"}
    assert set(changes) == {portal.server.url + soft.path, portal.server.url + redirected.path}


def test_unreachable_site_is_an_error_not_a_crash(cli_factory, sqlite_url):
    listing = f"http://127.0.0.1:{_closed_port()}/zwgk/gzbg/index.html"
    cli = cli_factory(sqlite_url, start_urls=[listing])
    cli.run("crawl", "changan")
    run = cli.json("runs")[0]
    assert run["status"] == "finished" and run["errors"] >= 1
    errors = cli.json("runs", "--errors", str(run["id"]))
    assert {e["kind"] for e in errors} <= {"connection_refused", "connection", "robots"}
    assert any(e["url"] == listing for e in errors)
    assert cli.json("documents") == []


def test_listing_failure_keeps_revisiting_known_documents(portal, cli_factory, sqlite_url):
    cli = cli_factory(sqlite_url, start_urls=[portal.listing_url])
    cli.run("crawl", "changan")
    portal.fail("/zwgk/gzbg/index.html", "500")
    cli.run("crawl", "changan")
    run = cli.json("runs")[0]
    assert run["unchanged"] == 36 and run["removed"] == 0
    errors = cli.json("runs", "--errors", str(run["id"]))
    assert [e["kind"] for e in errors] == ["http_500"]
