"""The local portal: pages, changes between crawls, faults, conditional requests, encodings."""

from __future__ import annotations

import http.client
import re
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from html import unescape
from itertools import combinations

import pytest

from portal import FAULT_KINDS, Charset, Portal
from portal.server import Handler


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def get(url: str, headers: dict[str, str] | None = None, timeout: float = 5):
    """(status, headers, body) for any status."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with OPENER.open(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def text(url: str) -> str:
    status, _, body = get(url)
    assert status == 200, url
    return body.decode("utf-8")


@pytest.fixture
def site() -> Iterator[Portal]:
    portal = Portal(articles=36, per_page=10, seed=1, attachments=True)
    portal.timeout_sleep = 1.5
    with portal.serve(host="127.0.0.1", port=0) as server:
        portal.base = server.url  # type: ignore[attr-defined]
        yield portal


def listing_links(site: Portal, page: int) -> list[str]:
    name = "index.html" if page == 0 else f"index_{page}.html"
    html = text(f"{site.base}/zwgk/gzbg/{name}")
    return re.findall(r'href="\./content/(post_\d+\.html)"', html)


# -- the site ---------------------------------------------------------------------------


def test_listing_pages_hold_every_article_newest_first(site):
    pages = [listing_links(site, n) for n in range(4)]
    assert [len(p) for p in pages] == [10, 10, 10, 6]
    expected = [a.path.rsplit("/", 1)[1] for a in site.articles]
    assert sum(pages, []) == expected
    dates = [a.published for a in site.articles]
    assert dates == sorted(dates, reverse=True)
    assert get(f"{site.base}/zwgk/gzbg/index_4.html")[0] == 404
    assert site.listing_url == f"{site.base}/zwgk/gzbg/index.html"


def test_listing_has_a_trs_pager(site):
    first = text(site.listing_url)
    assert "createPageHTML(4, 0" in first and "var countPage = 4" in first
    assert '<a href="index_1.html">下一页</a>' in first
    assert '<a href="index_3.html">尾页</a>' in first
    middle = text(f"{site.base}/zwgk/gzbg/index_2.html")
    assert '<a href="index_1.html">上一页</a>' in middle
    assert '<a href="index.html">首页</a>' in middle
    last = text(f"{site.base}/zwgk/gzbg/index_3.html")
    assert "下一页" in last and '">下一页</a>' not in last


def test_home_robots_and_attachment(site):
    assert 'href="/zwgk/gzbg/index.html"' in text(site.base + "/")
    robots = text(site.base + "/robots.txt")
    assert "Disallow: /admin/" in robots
    with_pdf = next(a for a in site.articles if a.attachment)
    html = text(site.base + with_pdf.path)
    assert f'href="/attachment/0/403/403768/{with_pdf.id}.pdf"' in html
    status, headers, body = get(site.base + with_pdf.attachment_path)
    assert status == 200 and headers["Content-Type"] == "application/pdf"
    assert body.startswith(b"%PDF-1.4") and body.rstrip().endswith(b"%%EOF")


def test_article_page_has_meta_tags_chrome_and_body(site):
    article = site.articles[0]
    status, headers, body = get(site.base + article.path)
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    html = body.decode("utf-8")
    for name, value in [
        ("SiteName", "长安镇人民政府"), ("SiteDomain", "www.changan.gov.cn"),
        ("ColumnName", "政府工作报告"), ("ArticleTitle", article.title),
        ("PubDate", article.published), ("ContentSource", article.source),
    ]:
        assert re.search(
            rf'<meta (name="{name}" content="{re.escape(value)}"|content="{re.escape(value)}" '
            rf'name="{name}")>', html
        ), name
    assert re.search(r'name="SiteIDCode"', html)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", article.published)
    for chrome in ("首页", "政务公开", "扫一扫在手机打开当前页", 'id="qr_container"',
                   "【字体：", "打印本页", "关闭窗口", "相关新闻", "主办单位", "网站标识码",
                   "粤ICP备", "粤公网安备", 'style="display:none"', "来源："):
        assert chrome in html, chrome
    body_html = html.split('<div class="article-content">')[1].split("</div>")[0]
    paragraphs = re.findall(r"<p[^>]*>(?:　　)?(.*?)</p>", body_html)
    assert [unescape(p) for p in paragraphs] == article.paragraphs
    assert "　　" in body_html  # some paragraphs keep full-width indentation
    assert '<div class="wx-share" style="display:none">微信扫一扫' in body_html  # junk to drop


def test_content_and_meta_attribute_order_varies(site):
    pages = [text(site.base + a.path) for a in site.articles]
    assert any('<meta content="' in p for p in pages)
    assert any('<meta name="ArticleTitle"' in p for p in pages)


def test_text_is_escaped(site):
    article = site.publish(
        title="关于<测试>&“引号”的通知", paragraphs=["a < b & c > d", "<script>"]
    )
    html = text(site.base + article.path)
    assert "关于&lt;测试&gt;&amp;“引号”的通知" in html
    body = html.split('<div class="article-content">')[1].split("</div>")[0]
    assert "a &lt; b &amp; c &gt; d" in body and "&lt;script&gt;" in body and "<script" not in body


# -- generated articles -----------------------------------------------------------------


def test_generation_is_deterministic_varied_and_realistic():
    one, again, other = Portal(seed=3), Portal(seed=3), Portal(seed=4)
    assert [a.text for a in one.articles] == [a.text for a in again.articles]
    assert [a.text for a in one.articles] != [a.text for a in other.articles]
    articles = one.articles
    assert len(articles) == 36 and len({a.title for a in articles}) == 36
    assert all(8 <= len(a.paragraphs) <= 30 for a in articles)
    assert any(len(a.text) >= 10_000 for a in articles)
    assert any(re.search(r"\d+\.\d亿元", a.text) for a in articles)
    assert any(re.search(r"增长\d+\.\d%", a.text) for a in articles)
    kinds = {re.sub(r"\d{4}", "", a.title)[-4:] for a in articles}
    assert len(kinds) >= 4
    shingles = [{a.text[i : i + 6] for i in range(len(a.text) - 6)} for a in articles]
    for (i, first), (j, second) in combinations(enumerate(shingles), 2):
        overlap = len(first & second) / len(first | second)
        assert overlap < 0.5, (articles[i].title, articles[j].title)


def test_figures_are_unique_within_an_article():
    for article in Portal(seed=5).articles:
        figures = re.findall(r"\d+\.\d+", article.text)
        assert len(figures) == len(set(figures)), article.title


# -- changes between crawls -------------------------------------------------------------


def test_edit_changes_body_etag_and_last_modified(site):
    article = site.articles[2]
    url = site.base + article.path
    _, before, _ = get(url)
    figure = re.search(r"\d+\.\d+", article.text).group()
    edited = site.edit(article.id, replace=(figure, "9999.9"))
    status, after, body = get(url)
    assert status == 200 and "9999.9" in body.decode("utf-8")
    assert edited.text.count("9999.9") == 1 and article.text.count("9999.9") == 0
    assert after["ETag"] != before["ETag"]
    assert after["Last-Modified"] != before["Last-Modified"]
    assert site.article(article.id) == edited
    site.edit(article.id, title="新标题")
    assert "<h1 class=\"title\">新标题</h1>" in text(url)
    site.edit(article.id, paragraphs=["只有一段。"])
    assert site.article(article.id).paragraphs == ["只有一段。"]
    with pytest.raises(ValueError):
        site.edit(article.id, replace=("不存在的文字", "x"))


def test_conditional_requests_get_304(site):
    for url in (site.base + site.articles[0].path, site.listing_url):
        status, headers, _ = get(url)
        assert status == 200
        etag, modified = headers["ETag"], headers["Last-Modified"]
        assert get(url, {"If-None-Match": etag})[0] == 304
        assert get(url, {"If-Modified-Since": modified})[0] == 304
        assert get(url, {"If-None-Match": '"other"', "If-Modified-Since": modified})[0] == 200
    article = site.articles[0]
    url = site.base + article.path
    _, headers, _ = get(url)
    site.edit(article.id, title=article.title + "（修订）")
    assert get(url, {"If-None-Match": headers["ETag"]})[0] == 200
    assert get(url, {"If-Modified-Since": headers["Last-Modified"]})[0] == 200
    statuses = [entry.status for entry in site.requests]
    assert statuses.count(304) == 4 and statuses[-2:] == [200, 200]


def test_publish_delete_and_restore(site):
    new = site.publish(
        title="关于开展冬季消防安全检查的通知", paragraphs=["各社区：", "现通知如下。"]
    )
    assert site.articles[0] == new and listing_links(site, 0)[0] == f"post_{new.id}.html"
    assert new.path == f"/zwgk/gzbg/content/post_{new.id}.html"
    dated = site.publish(title="旧文", paragraphs=["补录。"], published="2020-01-02 09:30")
    assert dated.published == "2020-01-02 09:30" and site.articles[-1] == dated
    victim = site.articles[5]
    site.delete(victim.id)
    assert get(site.base + victim.path)[0] == 404
    every = sum((listing_links(site, n) for n in range(4)), [])
    assert f"post_{victim.id}.html" not in every and len(every) == 37
    assert victim not in site.articles
    site.restore(victim.id)
    assert get(site.base + victim.path)[0] == 200 and victim in site.articles


def test_set_footer_changes_every_page(site):
    urls = [site.base + "/", site.listing_url] + [site.base + a.path for a in site.articles[:5]]
    before = {url: get(url)[1]["ETag"] for url in urls}
    site.set_footer("本网站支持IPv6访问")
    for url in urls:
        status, headers, body = get(url)
        assert "本网站支持IPv6访问" in body.decode("utf-8")
        assert headers["ETag"] != before[url]


# -- faults -----------------------------------------------------------------------------


def raw_get(url: str, timeout: float = 5) -> tuple[int, dict[str, str], bytes]:
    """A bare HTTP/1.1 request that reads until the server closes (no length checks)."""
    _, _, rest = url.partition("://")
    hostport, _, path = rest.partition("/")
    host, _, port = hostport.partition(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as conn:
        conn.sendall(f"GET /{path} HTTP/1.1\r\nHost: {hostport}\r\nConnection: close\r\n\r\n"
                     .encode())
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, body


@pytest.mark.parametrize("kind,status", [("500", 500), ("404", 404), ("410", 410)])
def test_error_statuses(site, kind, status):
    article = site.articles[0]
    site.fail(article.id, kind)
    assert get(site.base + article.path)[0] == status
    site.clear_faults()
    assert get(site.base + article.path)[0] == 200


def test_fault_times_counts_down_and_paths_work(site):
    site.fail("/zwgk/gzbg/index.html", "500", times=2)
    assert [get(site.listing_url)[0] for _ in range(3)] == [500, 500, 200]
    with pytest.raises(ValueError):
        site.fail(site.articles[0].id, "explode")
    assert all(hasattr(Handler, f"fault_{kind}") for kind in FAULT_KINDS if kind != "soft404")
    assert set(FAULT_KINDS) >= {"timeout", "reset", "huge", "soft404"}


def test_timeout_answers_late_without_blocking_others(site):
    article = site.articles[0]
    site.fail(article.id, "timeout")
    with pytest.raises((TimeoutError, socket.timeout, urllib.error.URLError)):
        get(site.base + article.path, timeout=0.3)
    started = time.monotonic()
    assert get(site.listing_url, timeout=1)[0] == 200
    assert time.monotonic() - started < 0.5
    started = time.monotonic()
    status, _, body = get(site.base + article.path, timeout=5)
    assert status == 200 and article.title in body.decode("utf-8")
    assert time.monotonic() - started >= 1.4


def test_reset_drops_the_connection(site):
    article = site.articles[0]
    site.fail(article.id, "reset")
    with pytest.raises((ConnectionError, http.client.HTTPException, urllib.error.URLError)):
        get(site.base + article.path)
    assert site.requests[-1].status == 0


def test_truncated_body_is_shorter_than_content_length(site):
    article = site.articles[0]
    site.fail(article.id, "truncated")
    with pytest.raises(http.client.IncompleteRead):
        get(site.base + article.path)
    status, headers, body = raw_get(site.base + article.path)
    assert status == 200 and len(body) < int(headers["Content-Length"])


def test_huge_page_is_streamed(site):
    article = site.articles[0]
    site.fail(article.id, "huge")
    request = urllib.request.Request(site.base + article.path)
    with urllib.request.urlopen(request, timeout=5) as response:
        assert int(response.headers["Content-Length"]) == 50 * 1024 * 1024
        assert response.headers["Content-Type"].startswith("text/html")
        assert response.read(100_000).startswith(b"<!DOCTYPE html>")
    site.clear_faults()
    site.fail(article.id, "huge", times=1)
    with urllib.request.urlopen(request, timeout=20) as response:
        total = 0
        while chunk := response.read(1 << 20):
            total += len(chunk)
    assert total == 50 * 1024 * 1024


def test_binary_empty_soft404_and_home_redirect(site):
    a, b, c, d = site.articles[:4]
    site.fail(a.id, "binary")
    site.fail(b.id, "empty")
    site.fail(c.id, "soft404")
    site.fail(d.id, "home_redirect")
    status, headers, body = get(site.base + a.path)
    assert status == 200 and headers["Content-Type"] == "application/octet-stream"
    assert len(body) > 1000 and b"<html" not in body
    status, headers, body = get(site.base + b.path)
    assert status == 200 and headers["Content-Type"].startswith("text/html") and body == b""
    status, _, body = get(site.base + c.path)
    assert status == 200 and "<title>页面不存在</title>" in body.decode("utf-8")
    status, headers, _ = get(site.base + d.path)
    assert status == 302 and headers["Location"] == "/"


def test_request_log(site):
    site.clear_requests()
    get(site.listing_url, {"User-Agent": "govwatch-test"})
    (entry,) = site.requests
    assert (entry.method, entry.path, entry.status) == ("GET", "/zwgk/gzbg/index.html", 200)
    assert entry.bytes_sent > 1000 and entry.headers["User-Agent"] == "govwatch-test"


# -- encodings --------------------------------------------------------------------------


def test_gbk_site_with_missing_declaration():
    site = Portal(articles=12, seed=2, encoding="gbk", header_charset=None, meta_charset=None)
    with site.serve() as server:
        article = site.articles[0]
        status, headers, body = get(server.url + article.path)
        assert headers["Content-Type"] == "text/html"
        assert b"charset" not in body[:300]
        with pytest.raises(UnicodeDecodeError):
            body.decode("utf-8")
        assert article.title in body.decode("gb18030")


def test_one_article_in_gbk_with_a_wrong_header(site):
    article = site.articles[1]
    site.set_charset(article.id, Charset("gbk", header="utf-8", meta="gb2312"))
    _, headers, body = get(site.base + article.path)
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert b'<meta charset="gb2312">' in body
    assert article.title in body.decode("gb18030")
    assert "charset=utf-8" in get(site.base + site.articles[0].path)[1]["Content-Type"]
