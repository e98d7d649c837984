"""Scraped text is hostile: every page renders it inert. Tokens, redirects and files.

The browser test (test_web_browser.py) checks the same hostile document in Chromium; here
the served HTML is parsed and searched for anything that could run.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

import lxml.html
import pytest
from fastapi.testclient import TestClient
from web_corpus import BASE, web_config

from web.app import create_app

EVIL_URL = f"{BASE}/content/post_6666.html"
EVIL_TITLE = '<script>alert("title")</script><img src=x onerror=alert(1)>"\'&'
EVIL_TEXT = (
    "<script>window.pwned=1</script>\n"
    '<a href="javascript:alert(2)">点击</a> <iframe src="javascript:alert(3)"></iframe>\n'
    "</article></p><svg onload=alert(4)> {{ 7*7 }} {% raw %}\x1b[31m\n"
    "正文：政府工作报告全文。"
)
EVIL_ATTACHMENTS = [
    ("javascript:alert(5)", "恶意附件"),
    ("data:text/html,<script>alert(6)</script>", "data"),
    ('http://x.gov.cn/a.pdf" onmouseover="alert(7)', "引号"),
]


@pytest.fixture
def evil(recorder):
    recorder.observe(f"{BASE}/content/post_1.html", "正常文件", "正常内容。")
    recorder.observe(EVIL_URL, EVIL_TITLE, EVIL_TEXT, attachments=EVIL_ATTACHMENTS)
    recorder.observe(
        EVIL_URL, EVIL_TITLE + "<b>", EVIL_TEXT + "\n<script>alert(8)</script>追加内容。"
    )
    with TestClient(create_app(web_config(), recorder.db)) as client:
        yield client


CHART_TAGS = {"svg", "rect", "line", "circle", "text", "title"}


def assert_inert(html: str) -> lxml.html.HtmlElement:
    tree = lxml.html.fromstring(html)
    assert not tree.xpath("//script | //iframe | //object | //embed | //img")
    # The only SVG is the app's own charts (web/charts.py), made of plain shapes and text.
    for svg in tree.xpath("//svg"):
        assert svg.get("class") == "chart"
        assert {element.tag for element in svg.iter()} <= CHART_TAGS
    for element in tree.iter():
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (element.tag, name)
            if name in ("href", "src", "action"):
                assert value.startswith(("/", "http://", "https://", "?")), value
    return tree


def test_hostile_text_renders_inert_everywhere(evil):
    pages = [
        "/",
        "/changes",
        "/documents/2",
        "/documents/2?script=simplified",
        "/documents/2?script=traditional",
        "/documents/2?version=1",
        "/documents/2/diff",
        "/documents/2/diff?view=inline",
        "/search?q=政府工作报告",
        "/search?q=<script>",
        "/search?q=alert",
    ]
    for path in pages:
        response = evil.get(path, headers={"accept": "text/html"})
        assert response.status_code == 200, path
        tree = assert_inert(response.text)
        if path.startswith("/documents/2?"):
            # The text is shown as text, exactly.
            assert "<script>window.pwned=1</script>" in tree.text_content()
    document = lxml.html.fromstring(evil.get("/documents/2").text)
    assert document.cssselect("h1")[0].text_content() == EVIL_TITLE + "<b>"
    # Only the attachment with an http(s) URL is a link; the others are plain text.
    first = lxml.html.fromstring(evil.get("/documents/2?version=1").text)
    assert len(first.cssselect("ul.attachments li")) == 3
    assert [a.get("href") for a in first.cssselect("ul.attachments a")] == [
        'http://x.gov.cn/a.pdf" onmouseover="alert(7)'
    ]
    search = lxml.html.fromstring(evil.get("/search", params={"q": "<script>"}).text)
    assert [m.text_content() for m in search.cssselect("mark")][:1] == ["<script>"]


def test_feed_escapes_hostile_titles(evil):
    feed = ET.fromstring(evil.get("/feeds/changes.atom").content)  # well-formed despite \x1b
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("a:title", namespaces=ns) for e in feed.findall("a:entry", ns)]
    assert any(title.endswith(f": {EVIL_TITLE}<b>") for title in titles)


def test_api_returns_hostile_text_as_json_data(evil):
    response = evil.get("/api/documents/2/versions/2")
    assert response.headers["content-type"] == "application/json"
    assert response.json()["title"] == EVIL_TITLE + "<b>"


def test_headers_forbid_inline_scripts_and_framing(evil):
    headers = evil.get("/").headers
    csp = headers["content-security-policy"]
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp and "script-src" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert evil.get("/api/sources").headers["content-security-policy"] == csp


def test_no_file_is_read_and_no_url_fetched_on_request(evil):
    for path in (
        "/static/../govwatch.toml",
        "/static/%2e%2e/app.py",
        "/static/..%2fapp.py",
        "/static//etc/passwd",
        "/documents/..%2f..%2fetc%2fpasswd",
    ):
        response = evil.get(path)
        assert response.status_code in (400, 404, 422), path
        assert "root:" not in response.text and "create_app" not in response.text
    assert evil.get("/static/style.css").status_code == 200
    # Login only redirects within the site.
    for target in ("//evil.example/", "http://evil.example/", "/\\evil.example"):
        response = evil.post(
            "/login", data={"token": "write-token-123", "next": target}, follow_redirects=False
        )
        assert response.headers["location"] == "/"


def test_login_cookie_is_httponly_and_strict(evil):
    response = evil.post("/login", data={"token": "write-token-123"}, follow_redirects=False)
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert "write-token-123" not in cookie
