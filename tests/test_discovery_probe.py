"""``govwatch probe``: what a source would watch, from a URL or a saved page, as JSON."""

from __future__ import annotations

import json
import re
import urllib.request

from portal.listings import start_url, truth

KEYS = {"url", "listing", "articles", "pages", "suggested_allow", "warnings"}


def test_probe_url_prints_one_object_with_absolute_urls(portal, cli_factory, sqlite_url):
    base = portal.server.url
    cli = cli_factory(sqlite_url, start_urls=[portal.listing_url])
    url = start_url(base, "empire")  # GBK pages, a numbered pager
    data = cli.json("probe", url)
    assert set(data) == KEYS and data["url"] == url and data["listing"] == "html"
    expected = truth(base, "empire", portal.articles)
    assert {a["url"] for a in data["articles"]} == expected
    titles = {a.title for a in portal.articles}
    assert all(set(a) == {"url", "title", "published_at"} for a in data["articles"])
    assert {a["title"] for a in data["articles"]} == titles  # decoded from GBK
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00\+08:00", a["published_at"])
               for a in data["articles"])
    assert data["pages"][0] == url and len(data["pages"]) == 3
    assert all(p.startswith("http://") for p in data["pages"])
    patterns = [re.compile(p) for p in data["suggested_allow"]]
    assert patterns and all(any(p.search(u) for p in patterns) for u in expected)
    assert data["warnings"] == []


def test_probe_a_saved_page_offline(portal, cli_factory, sqlite_url, tmp_path):
    base = portal.server.url
    url = start_url(base, "sitefactory")
    saved = tmp_path / "page.html"
    saved.write_bytes(urllib.request.urlopen(url).read())
    cli = cli_factory(sqlite_url, start_urls=[portal.listing_url])
    portal.clear_requests()
    data = cli.json("probe", str(saved), "--base-url", url)
    assert not portal.requests  # nothing fetched
    assert len(data["articles"]) == 10 and data["pages"][0] == url
    # 共4页 with script page links: the next page's URL is guessed, index_1.html among them
    assert url.replace("index.html", "index_1.html") in data["pages"]
    assert any("offline" in w for w in data["warnings"])
    assert any("guessed" in w for w in data["warnings"])
    text = cli.run("probe", str(saved), "--base-url", url).stdout
    assert "10 documents on" in text and "suggested allow" in text


def test_probe_refuses_what_it_cannot_read(portal, tmp_path):
    from typer.testing import CliRunner

    from govwatch.cli import app

    runner = CliRunner()
    config = tmp_path / "govwatch.toml"
    # the test portal listens on 127.0.0.1, which a probe refuses by default
    config.write_text("[crawl]\nallow_private_addresses = true\n", encoding="utf-8")
    saved = tmp_path / "page.html"
    saved.write_text("<html></html>", encoding="utf-8")
    for args in (["probe", str(saved)], ["probe", str(tmp_path / "missing.html")],
                 ["probe", str(saved), "--base-url", "ftp://x"],
                 ["probe", "http://x.gov.cn/", "--base-url", "http://x.gov.cn/"]):
        result = runner.invoke(app, ["--config", str(config), *args])
        assert result.exit_code == 2, args
    result = runner.invoke(app, ["--config", str(config), "probe", "--json",
                                 portal.server.url + "/no/such/list.html"])
    gone = json.loads(result.stdout)
    assert gone["articles"] == [] and any("HTTP 404" in w for w in gone["warnings"])
