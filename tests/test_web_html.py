"""The HTML pages, in process: overview, login and buttons, changes, document, diff, search,
feed. Pages are read with lxml, not compared as bytes."""

from __future__ import annotations

from xml.etree import ElementTree as ET

import lxml.html
from fastapi.testclient import TestClient
from web_corpus import NOTICE_TITLE, REPORT_URL, web_config

from web.app import create_app

TOKEN = "write-token-123"
HTML = {"accept": "text/html"}


def page(client: TestClient, path: str, **params: object) -> lxml.html.HtmlElement:
    response = client.get(path, params=params or None, headers=HTML)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    return lxml.html.fromstring(response.text)


def texts(tree: lxml.html.HtmlElement, css: str) -> list[str]:
    return [element.text_content().strip() for element in tree.cssselect(css)]


def login(client: TestClient, token: str = TOKEN) -> None:
    response = client.post("/login", data={"token": token, "next": "/"}, follow_redirects=False)
    assert response.status_code == 303


def test_overview_shows_each_source_and_its_last_run(client):
    tree = page(client, "/")
    [row] = tree.cssselect("table.sources tbody tr")
    cells = [td.text_content().strip() for td in row.cssselect("td")]
    assert cells[0].endswith("ok") and cells[1].startswith("changan")
    assert cells[2] == "0 */6 * * *"
    assert cells[6] == "0 / 0 / 1"  # the last run removed a page
    assert not tree.cssselect("button.crawl")  # not logged in: no write buttons
    assert tree.cssselect("a[href='/login']")


def test_login_then_pause_and_resume_with_csrf(client):
    response = client.post("/login", data={"token": "wrong-token!"}, follow_redirects=False)
    assert response.headers["location"].startswith("/login?failed=1")
    login(client)
    cookie = client.cookies.get("govwatch_session")
    assert cookie and TOKEN not in cookie  # the cookie never holds the token itself
    tree = page(client, "/")
    assert tree.cssselect("button.crawl")
    csrf = tree.cssselect("form[action='/sources/changan/pause'] input[name=csrf]")[0].value

    forged = client.post("/sources/changan/pause", data={"csrf": "forged"}, headers=HTML)
    assert forged.status_code == 403 and "CSRF" in forged.text
    done = client.post("/sources/changan/pause", data={"csrf": csrf}, follow_redirects=False)
    assert done.status_code == 303
    tree = page(client, "/", notice="changan paused")
    assert texts(tree, ".notice") == ["changan paused"]
    assert "paused" in texts(tree, "table.sources td")[0]
    assert tree.cssselect("form[action='/sources/changan/resume']")
    client.post("/sources/changan/resume", data={"csrf": csrf})
    assert "ok" in texts(page(client, "/"), "table.sources td")[0]

    client.post("/logout")
    anonymous = client.post("/sources/changan/pause", data={"csrf": csrf}, headers=HTML)
    assert anonymous.status_code == 403


def test_changes_filter_and_link_to_diffs(client, corpus, monkeypatch):
    tree = page(client, "/changes")
    assert texts(tree, "table.changes .badge") == ["removed", "changed", "new", "new"]
    links = [a.get("href") for a in tree.cssselect("a.change-link")]
    assert links[1] == f"/documents/{corpus.report_id}/diff?from=1&to=2"
    assert links[0] == f"/documents/{corpus.gone_id}?version=1"
    assert tree.cssselect("link[type='application/atom+xml']")

    assert texts(page(client, "/changes", kind="new"), ".badge") == ["new", "new"]
    tree = page(client, "/changes", min_significance=0.99, source="changan")
    assert "changed" not in texts(tree, "table.changes .badge")

    from web.views import changes

    monkeypatch.setattr(changes, "PER_PAGE", 3)
    first = page(client, "/changes")
    assert len(first.cssselect("table.changes tbody tr")) == 3
    following = first.cssselect("a[rel=next]")[0].get("href")
    assert texts(page(client, following), "table.changes .badge") == ["new"]


def test_document_page_switches_script(client, corpus):
    tree = page(client, f"/documents/{corpus.report_id}")
    assert texts(tree, "h1") == ["長安鎮2025年政府工作報告"]
    meta = dict(zip(texts(tree, "dl.meta dt"), texts(tree, "dl.meta dd"), strict=True))
    assert meta["网址 URL"] == REPORT_URL and meta["发布机构 Publisher"] == "长安镇人民政府"
    assert meta["状态 Status"] == "active" and meta["版本 Version"].startswith("2 / 2")
    assert "全鎮地區生產總值985.2億元" in tree.cssselect("article.text")[0].text_content()
    assert texts(tree, "ul.attachments a") == ["报告全文.pdf"]
    assert len(tree.cssselect("ol.timeline li")) == 2

    simplified = page(client, f"/documents/{corpus.report_id}", script="simplified")
    assert "全镇地区生产总值985.2亿元" in simplified.cssselect("article.text")[0].text_content()
    notice = page(client, f"/documents/{corpus.notice_id}", script="traditional")
    assert "各社區、各有關單位" in notice.cssselect("article.text")[0].text_content()
    old = page(client, f"/documents/{corpus.report_id}", version=1)
    assert "965.2" in old.cssselect("article.text")[0].text_content()


def test_diff_side_by_side_and_inline(client, corpus):
    tree = page(client, f"/documents/{corpus.report_id}/diff", **{"from": 1, "to": 2})
    assert texts(tree, "table.govwatch-side-by-side tr.changed del") == ["965.2"]
    assert texts(tree, "table.govwatch-side-by-side tr.changed ins") == ["985.2"]
    assert any(
        "965.2" in reason and "985.2" in reason for reason in texts(tree, ".reasons-list li")
    )
    inline = page(client, f"/documents/{corpus.report_id}/diff", view="inline")
    assert texts(inline, ".govwatch-diff del") == ["965.2"]
    assert client.get(f"/documents/{corpus.report_id}/diff?from=9", headers=HTML).status_code == 404


def test_search_page_highlights(client, corpus):
    tree = page(client, "/search", q="生產總值")  # traditional query, any script matches
    assert [a.get("href") for a in tree.cssselect("a.hit")] == [
        f"/documents/{corpus.report_id}?version=2"
    ]
    assert texts(tree, ".snippet mark") == ["生产总值"]
    assert "没有找到" in page(client, "/search", q="不存在的词语").text_content()


def test_feed_is_atom_and_linked_from_the_pages(client, corpus):
    tree = page(client, "/changes", kind="changed")
    [feed_link] = tree.cssselect("a.feed")
    response = client.get(feed_link.get("href"))
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    [entry] = feed.findall("a:entry", ns)
    assert entry.find("a:link", ns).get("href") == REPORT_URL
    feed = ET.fromstring(client.get("/feeds/changes.atom").content)
    titles = [e.findtext("a:title", namespaces=ns) for e in feed.findall("a:entry", ns)]
    assert any(NOTICE_TITLE in title for title in titles) and len(titles) == 4


def test_errors_and_login_when_reading_is_closed(recorder, corpus):
    config = web_config(read_token="read-token-456")
    with TestClient(create_app(config, recorder.db)) as client:
        response = client.get("/changes", headers=HTML, follow_redirects=False)
        assert (
            response.status_code == 303 and response.headers["location"] == "/login?next=/changes"
        )
        login(client, "read-token-456")
        tree = page(client, "/")
        assert tree.cssselect("table.sources") and not tree.cssselect("button.crawl")
        missing = client.get("/documents/424242", headers=HTML)
        assert missing.status_code == 404
        assert "no document with id 424242" in lxml.html.fromstring(missing.text).text_content()


def test_cli_and_web_app_publish_the_same_feed_for_a_selection(recorder, corpus, tmp_path):
    from typer.testing import CliRunner

    from config import load_config
    from govwatch.cli import app as cli

    base = "https://watch.example.org"
    path = tmp_path / "govwatch.toml"
    path.write_text(
        f'[web]\nbase_url = "{base}"\n\n[[sources]]\nname = "changan"\n'
        'start_urls = ["http://127.0.0.1:9/index.html"]\n',
        encoding="utf-8",
    )
    ns = {"a": "http://www.w3.org/2005/Atom"}

    def identity(xml: bytes) -> tuple[str | None, ...]:
        feed = ET.fromstring(xml)
        self_link = feed.find("a:link[@rel='self']", ns)
        return (
            feed.findtext("a:id", namespaces=ns),
            feed.findtext("a:title", namespaces=ns),
            None if self_link is None else self_link.get("href"),
        )

    written = CliRunner().invoke(
        cli, ["--config", str(path), "--db", recorder.db.url, "feed", "--kind", "changed"]
    )
    assert written.exit_code == 0, written.output
    config = load_config(path, db_url=recorder.db.url)
    with TestClient(create_app(config, recorder.db)) as client:
        served = client.get("/feeds/changes.atom", params={"kind": "changed"}).content
    assert identity(written.stdout.encode()) == identity(served)
    assert identity(served)[2] == f"{base}/feeds/changes.atom?kind=changed"
