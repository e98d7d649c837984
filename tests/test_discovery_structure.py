"""Finding a listing's documents by structure: decoys refused, titles and dates kept.

Every simulator family's first page is read offline (no allow pattern) and must give
exactly the column's documents; small hand-written pages cover the shapes real lists take.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from scrapy.http import HtmlResponse, Request

from crawler.discovery.blocks import find_list
from crawler.discovery.dates import BEIJING
from crawler.discovery.preview import probe
from crawler.links import LinkRules
from crawler.listings import parse_listing
from portal import Portal
from portal.listings import FAMILIES, truth
from portal.listings.routes import resolve
from portal.listings.templates import page_url
from portal.routes import Settings

BASE = "http://www.example.gov.cn"
HTML_FAMILIES = [name for name, f in FAMILIES.items() if f.mode == "html"]


@pytest.fixture(scope="module")
def site() -> Portal:
    return Portal(articles=36, per_page=10, seed=7)


def _page(site: Portal, name: str, number: int) -> bytes:
    family = FAMILIES[name]
    url = page_url(family, number, f"/t/{name}")
    path, _, query = url.partition("?")
    params = dict(p.split("=", 1) for p in query.split("&")) if query else {}
    settings: Settings = site.settings
    with site.state.lock:
        reply = resolve(settings, site.state, path, params)
    assert reply is not None and reply.status == 200
    return reply.body


@pytest.mark.parametrize("name", HTML_FAMILIES)
def test_every_family_page_gives_exactly_its_documents(site, name):
    family = FAMILIES[name]
    expected = truth(BASE, name, site.articles)
    pages = -(-len(site.articles) // family.per_page)
    found: set[str] = set()
    for number in (1, pages):  # the first page, and the last, shorter than the side boxes
        url = BASE + page_url(family, number, f"/t/{name}")
        preview = probe(url, html=_page(site, name, number))
        urls = {e.url for e in preview.articles}
        assert urls <= expected, f"{name} p{number}: decoys taken: {sorted(urls - expected)[:3]}"
        assert all(e.title and e.published for e in preview.articles)
        found |= urls
    first = {BASE + _doc_path(site, name, a) for a in site.articles[: family.per_page]}
    assert first <= found


def _doc_path(site: Portal, name: str, article) -> str:
    from portal.listings import article_url

    return article_url("", name, article)


def test_titles_and_dates_are_the_listings_own(site):
    article = site.articles[0]
    preview = probe(BASE + "/t/jpaas/col/col4534/index.html", html=_page(site, "jpaas", 1))
    entry = next(e for e in preview.articles if e.url.endswith(f"_{article.id}.html"))
    # the link text is cut with "..."; the title attribute holds the whole title
    assert entry.title == article.title
    day = datetime.strptime(article.published[:10], "%Y-%m-%d").replace(tzinfo=BEIJING)
    assert entry.published == day


def _items(body: str, url: str = BASE + "/col/list/index.html", allow=()):
    response = HtmlResponse(url, body=body.encode("utf-8"), encoding="utf-8",
                            request=Request(url))
    return parse_listing(response, LinkRules([url], allow, []))


NAV = "".join(f'<li><a href="/c{i}/">栏目{i}</a></li>' for i in range(12))
HOT = "".join(
    f'<li><a href="/col/list/2024{i:02d}/t20240101_{900 + i}.html">关于做好2024年第{i}批'
    f"重点项目申报工作的通知</a><span>2024-01-0{i % 9 + 1}</span></li>"
    for i in range(1, 9)
)


def test_a_short_last_page_beats_a_longer_side_box():
    rows = "".join(
        f'<li><a href="./202401/t20240105_{i}.html">某某镇关于开展第{i}次安全生产大检查的通知</a>'
        f"<span>2024-01-05</span></li>" for i in range(2)
    )
    body = (f'<html><head><title>通知公告_某某镇</title></head><body><ul class="nav">{NAV}</ul>'
            f'<div class="box"><h3>最新文件</h3><ul>{HOT}</ul></div>'
            f'<div class="main"><h2>通知公告</h2><ul class="list">{rows}</ul>'
            '<div class="page"><a href="index_3.html">上一页</a> 共5页</div></div></body></html>')
    listing = _items(body, BASE + "/col/list/index_4.html")
    assert [e.url.rsplit("_", 1)[1] for e in listing.articles] == ["0.html", "1.html"]


def test_bare_links_dated_paths_and_dates_inside_links():
    bare = "".join(
        f'<a href="/2018-07-{10 + i}/{10366 + i}.html">'
        f"镇人民政府关于第{i}季度财政预算执行情况的报告</a> (2018-07-{10 + i})<br>"
        for i in range(6)
    )
    inside = "".join(
        f'<li><a href="/xwfb/20200312/{i:032x}.html"><span>市政府新闻发布会第{i}场实录全文</span>'
        f"<em>2020-03-12</em></a></li>" for i in range(5)
    )
    for body, count in ((f'<div class="newslist">{bare}</div>', 6), (f"<ul>{inside}</ul>", 5)):
        listing = _items(f"<html><body><ul>{NAV}</ul>{body}</body></html>")
        assert len(listing.articles) == count
        assert all(e.published is not None for e in listing.articles)
        assert all(not any(c.isdigit() for c in e.title[-4:]) for e in listing.articles)


def test_navigation_alone_is_no_list_and_allow_patterns_still_decide():
    listing = _items(f"<html><body><ul>{NAV}</ul><ul>{NAV}</ul></body></html>")
    assert listing.articles == []
    body = (f'<html><body><ul class="nav">{NAV}</ul><div class="hot"><h3>热点</h3><ul>{HOT}</ul>'
            "</div></body></html>")
    allowed = _items(body, allow=[r"t20240101_90[1-3]\.html$"])
    assert [e.url[-8:] for e in allowed.articles] == ["901.html", "902.html", "903.html"]
    assert allowed.articles[0].title.startswith("关于做好2024年第1批")


def test_table_rows_and_definition_lists():
    rows = "".join(
        f'<tr><td><a href="content/content_{i}.html">关于公布第{i}批行政许可事项清单的公告</a></td>'
        f"<td>[2023-11-0{i + 1}]</td></tr>" for i in range(7)
    )
    pairs = "".join(
        f'<dt><a href="/zwgk/art_{i}.html">某某区人民政府办公室关于印发第{i}号实施方案的通知</a>'
        f"</dt><dd>2023年11月{i + 1}日</dd>" for i in range(7)
    )
    for body in (f"<table><tbody>{rows}</tbody></table>", f"<dl>{pairs}</dl>"):
        root = HtmlResponse(BASE + "/", body=f"<html><body>{body}</body></html>".encode(),
                            encoding="utf-8").selector.root
        found = find_list(root, BASE + "/zwgk/", lambda url: True)
        assert len(found.items) == 7
        assert all(i.published is not None for i in found.items)


def test_an_undated_single_page_list_beats_a_dated_box_of_another_column():
    main = "".join(
        f'<li><a href="./202312/t20231201_{i}.html">'
        f"某某市人民政府关于印发第{i}号政策文件的通知</a></li>" for i in range(6)
    )
    body = (f'<html><head><title>x</title></head><body><div class="w"><div class="l"><ul>{HOT}'
            f'</ul></div><div class="r"><ul>{main}</ul></div></div></body></html>')
    # the documents live under the listing's folder; the box's under another column's
    listing = _items(body, BASE + "/zwgk/zcwj/index.html")
    assert [e.url.rsplit("_", 1)[1] for e in listing.articles] == [f"{i}.html" for i in range(6)]


def test_a_last_page_of_one_document_among_side_boxes():
    site = Portal(articles=16, per_page=10, seed=5)  # Empire CMS pages of 15: one on page 2
    url = BASE + page_url(FAMILIES["empire"], 2, "/t/empire")
    preview = probe(url, html=_page(site, "empire", 2))
    assert [e.url for e in preview.articles] == [
        BASE + _doc_path(site, "empire", site.articles[-1])]


def test_the_same_site_with_or_without_www():
    rows = "".join(
        f'<li><a href="http://example.gov.cn/zwgk/art_{i}.html">关于第{i}批政府信息主动公开目录的公告'
        f"</a><span>2024-02-01</span></li>" for i in range(4)
    )
    listing = _items(f"<html><body><ul>{rows}</ul></body></html>")  # listed on www.
    assert len(listing.articles) == 4
