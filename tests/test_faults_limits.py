"""The smaller faults of issue item 11: token guessing, schedules that never fire, non-public
addresses, and searches that would scan everything."""

from __future__ import annotations

import pytest
from conftest import Recorder, write_config
from fastapi.testclient import TestClient
from web_corpus import NOTICE_URL, record_corpus, web_config

from config import ConfigError, load_config
from storage.db import open_database
from web.app import create_app
from web.ratelimit import AttemptLimiter


def test_wrong_tokens_are_rate_limited_per_address(recorder, corpus):
    app = create_app(web_config(), recorder.db)
    with TestClient(app) as client:
        statuses = [
            client.get("/api/sources", headers={"Authorization": f"Bearer guess-{n}"}).status_code
            for n in range(40)
        ]
        assert statuses[:30] == [401] * 30 and set(statuses[30:]) == {429}  # 30 a minute
        limited = client.post("/api/sources/changan/pause", headers={"Authorization": "Bearer x"})
        assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
        # Even the right token waits: a flood cannot tell a hit from a miss.
        right = {"Authorization": "Bearer write-token-123"}
        assert client.post("/api/sources/changan/pause", headers=right).status_code == 429
        # Reading with no token at all is not an attempt.
        assert client.get("/api/sources").status_code == 200
    # Another address has its own allowance.
    with TestClient(app, client=("203.0.113.9", 5000)) as other:
        response = other.get("/api/sources", headers={"Authorization": "Bearer nope"})
        assert response.status_code == 401  # a wrong token, not yet a limit


def test_the_allowance_refills():
    now = [0.0]
    limiter = AttemptLimiter(6, clock=lambda: now[0])
    for _ in range(6):
        assert limiter.retry_after("a") == 0
        limiter.failed("a")
    assert limiter.retry_after("a") == 10  # one guess per 10 s at 6 a minute
    now[0] += 10
    assert limiter.retry_after("a") == 0 and limiter.retry_after("b") == 0


@pytest.mark.parametrize(
    ("schedule", "fires"),
    [
        ("0 0 30 2 *", False),
        ("0 0 31 4,6,9,11 *", False),
        ("15 3 30-31 feb *", False),
        ("0 0 29 2 *", True),  # leap years
        ("0 0 31 */2 *", True),
    ],
)
def test_schedules_that_never_fire_are_refused(tmp_path, schedule, fires):
    path = write_config(
        tmp_path / "govwatch.toml",
        start_urls=["http://127.0.0.1:9/list"],
        extra_source="",
    )
    path.write_text(
        path.read_text().replace('schedule = "0 */6 * * *"', f'schedule = "{schedule}"')
    )
    if fires:
        assert load_config(path).sources[0].schedule == schedule
        return
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert "sources[0].schedule" in str(caught.value) and "never fires" in str(caught.value)


def test_private_addresses_are_refused_unless_allowed(portal, cli_factory, sqlite_url, tmp_path):
    cli = cli_factory(sqlite_url, start_urls=[portal.listing_url])
    text = cli.config_path.read_text()
    assert "allow_private_addresses = true" in text  # how the tests opt out
    cli.config_path.write_text(text.replace("allow_private_addresses = true", ""))
    assert load_config(cli.config_path).crawl.allow_private_addresses is False  # the default
    result = cli.run("crawl", "--quiet", "changan", check=False)
    assert result.returncode == 0, result.stderr
    from storage.queries import list_runs, run_errors

    db = open_database(sqlite_url, upgrade=False)
    with db.reader() as session:
        run = list_runs(session)[0]
        errors = run_errors(session, run["id"])
    db.dispose()
    assert run["errors"] >= 1 and run["new"] == 0 and run["pages"] == 0
    assert {e["kind"] for e in errors} == {"private_address"}
    assert "127.0.0.1" in errors[0]["message"]
    assert portal.requests == []  # not even robots.txt was fetched


def test_address_checks():
    from crawler.middlewares.addresses import is_public

    for address in ("127.0.0.1", "10.1.2.3", "192.168.0.1", "169.254.169.254", "::1",
                    "fe80::1", "::ffff:127.0.0.1", "100.64.0.1", "0.0.0.0", "fd00::1"):
        assert not is_public(address), address
    for address in ("8.8.8.8", "202.96.128.86", "2400:3200::1"):
        assert is_public(address), address


def test_short_term_search_is_bounded_for_anonymous_visitors(db_url):
    """A one- or two-character query cannot use the trigram index: anonymous visitors scan
    only the newest versions, while token holders search everything."""
    import web.views.search as search_view

    db = open_database(db_url)
    record_corpus(Recorder(db))
    app = create_app(web_config(read_token=None), db)
    try:
        with TestClient(app) as client:
            anonymous = client.get("/api/search", params={"q": "消防"}).json()
            assert [hit["url"] for hit in anonymous] == [NOTICE_URL]
            original = search_view.ANONYMOUS_SCAN_WINDOW
            search_view.ANONYMOUS_SCAN_WINDOW = 1  # only the newest version is looked at
            try:
                assert client.get("/api/search", params={"q": "消防"}).json() == []
                # Three characters or more use the index: no window.
                hits = client.get("/api/search", params={"q": "消防安全"}).json()
                assert [hit["url"] for hit in hits] == [NOTICE_URL]
                authed = {"Authorization": "Bearer write-token-123"}
                hits = client.get("/api/search", params={"q": "消防"}, headers=authed).json()
                assert [hit["url"] for hit in hits] == [NOTICE_URL]
            finally:
                search_view.ANONYMOUS_SCAN_WINDOW = original
    finally:
        db.dispose()


def test_pages_answer_429_not_500_when_out_of_guesses(recorder, corpus):
    app = create_app(web_config(), recorder.db)
    wrong = {"Authorization": "Bearer wrong-guess", "Accept": "text/html"}
    with TestClient(app, raise_server_exceptions=False) as client:
        statuses = {client.get("/changes", headers=wrong).status_code for _ in range(35)}
    assert statuses == {200}  # reading is open: a wrong token is ignored, never a 500
    closed = create_app(web_config(read_token="read-token-456"), recorder.db)
    with TestClient(closed, raise_server_exceptions=False) as client:
        statuses = [client.get("/changes", headers=wrong).status_code for _ in range(35)]
    assert 500 not in statuses and statuses[-1] == 429


def test_source_previews_refuse_private_addresses_too():
    """Editors preview sources from the web app: the probe's fetcher follows the same rule."""
    import scrapy

    from config import CrawlConfig
    from crawler.discovery.fetch import HttpFetcher

    fetched = HttpFetcher(CrawlConfig())(scrapy.Request("http://169.254.169.254/latest/meta-data"))
    assert fetched.status == 0 and "not a public address" in (fetched.error or "")
    fetched = HttpFetcher(CrawlConfig())(scrapy.Request("http://localhost:9/"))
    assert "is this machine" in (fetched.error or "")
