"""Pagers of every common kind give a listing's further pages; guesses are confirmed by
fetching; paging stops at the last page or at max_listing_pages."""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse, Request

from config import CrawlConfig
from crawler.discovery import paging
from crawler.discovery.listing import GUESS
from crawler.discovery.preview import probe
from crawler.links import LinkRules
from crawler.listings import parse_listing
from portal.listings import start_url, truth

# The test portals listen on 127.0.0.1, which a preview refuses by default.
LOCAL = CrawlConfig(allow_private_addresses=True)

BASE = "http://www.example.gov.cn"
ITEMS = "".join(
    f'<li><a href="./202401/t20240105_{i}.html">某某镇关于开展第{i}次安全生产大检查的通知</a>'
    f"<span>2024-01-05</span></li>" for i in range(10)
)


def _listing(pager: str, url: str = BASE + "/zwgk/tzgg/index.html", meta: dict | None = None):
    body = (f'<html><head><title>通知公告</title></head><body><div class="main"><ul>{ITEMS}</ul>'
            f"{pager}</div></body></html>")
    response = HtmlResponse(url, body=body.encode("utf-8"), encoding="utf-8",
                            request=Request(url, meta=meta or {}))
    listing = parse_listing(response, LinkRules([url], [], []))
    plain = [p for p in listing.pages if isinstance(p, str)]
    guesses = [p.url for p in listing.pages if not isinstance(p, str) and GUESS in p.meta]
    return listing, plain, guesses


def test_next_numbered_and_last_links_with_a_page_count():
    pager = ('<div class="page"><span>1</span> <a href="index_1.html">2</a> '
             '<a href="index_2.html">3</a> <a href="index_1.html">下一页</a> '
             '<a href="index_53.html">尾页</a> 共54页</div>')
    _, pages, guesses = _listing(pager)
    assert pages[0] == BASE + "/zwgk/tzgg/index_1.html"
    assert set(pages) == {f"{BASE}/zwgk/tzgg/index_{n}.html" for n in range(1, 54)}
    assert not guesses


@pytest.mark.parametrize("pager", [
    "<script>pagination({el: '#page', totalPage: 54, currentPage: 1, callBack: function(i){"
    " location.href = 'index_' + i + '.html'; }});</script>",
    "<script>var pageSize = 20; var totalRecord = 1075;\n"
    "function go(i){ window.location = 'index_' + i + '.html'; }</script>",
])
def test_a_js_pager_configuration_names_every_page(pager):
    _, pages, guesses = _listing(pager)
    # 1-based or 0-based numbering cannot be told apart: both ends are guesses
    assert set(pages) == {f"{BASE}/zwgk/tzgg/index_{n}.html" for n in range(2, 54)}
    assert set(guesses) == {f"{BASE}/zwgk/tzgg/index_{n}.html" for n in (1, 54)}


def test_trs_count_page_and_query_pages():
    _, pages, _ = _listing("<script>var currentPage = 0; var countPage = 3;</script>")
    # every page but the one read
    assert pages == [BASE + "/zwgk/tzgg/index_1.html", BASE + "/zwgk/tzgg/index_2.html"]
    url = BASE + "/news/list.aspx"
    _, pages, _ = _listing('<div class="pg">上页 <a href="list.aspx?page=2">下页</a> '
                           '<a href="list.aspx?page=2">&gt;</a></div>', url)
    assert pages == [url + "?page=2"]


def test_a_page_count_with_script_links_is_guessed_then_confirmed():
    pager = ('<div class="fy">共4页 <a href="javascript:goPage(2)">2</a> '
             '<a href="javascript:goPage(2)">下一页</a></div>')
    listing, pages, guesses = _listing(pager)
    assert not pages
    assert guesses[:2] == [BASE + "/zwgk/tzgg/index_1.html", BASE + "/zwgk/tzgg/index_2.html"]
    first = next(p for p in listing.pages if p.url == guesses[0]).meta[GUESS]
    # The guess answered with new documents: the pages after it, up to the count.
    new_items = {f"{BASE}/zwgk/tzgg/202401/t20240105_{i}.html" for i in range(20, 30)}
    assert [g.url for g in paging.confirmed(first, new_items)] == [
        BASE + "/zwgk/tzgg/index_2.html", BASE + "/zwgk/tzgg/index_3.html"]
    # A server that ignores the page number answers page 1 again: not a confirmation.
    assert paging.confirmed(first, set(first.known)) == []
    # A guessed page does not guess again.
    _, _, again = _listing(pager, BASE + "/zwgk/tzgg/index_1.html", {GUESS: first})
    assert again == []


def test_pager_words_elsewhere_are_not_pages():
    body = ('<div class="crumbs"><a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a></div>'
            '<div class="nav"><a href="/">首页</a><a href="/zwgk/">&gt;</a></div>')
    _, pages, guesses = _listing(body)
    assert pages == [BASE + "/zwgk/"]  # a ">" link is taken as "next"; "首页" is not a page
    assert not guesses


def test_probe_follows_guesses_quietly_and_stops_at_the_limit(portal):
    base = portal.server.url
    preview = probe(start_url(base, "sitefactory"), crawl=LOCAL)
    assert {e.url for e in preview.articles} == truth(base, "sitefactory", portal.articles)
    assert len(preview.pages) == 4 and not preview.warnings
    limited = probe(start_url(base, "custom"), crawl=LOCAL, max_listing_pages=2)
    assert len(limited.pages) == 2 and len(limited.articles) == 18
    assert any("max_listing_pages" in w for w in limited.warnings)


@pytest.mark.parametrize(("script", "url"), [
    ("createPageHTML('page_div', 4, 1, 'index', 'shtml', 40);", "/zwgk/tzgg/index.shtml"),
    ("var countPage = 4; var currentPage = 0;\n"
     "createPageHTML(countPage, currentPage, \"index\", \"shtml\");", "/zwgk/tzgg/index.shtml"),
])
def test_trs_pager_calls_of_every_version(script, url):
    _, pages, _ = _listing(f"<script>{script}</script>", BASE + url)
    assert pages == [f"{BASE}/zwgk/tzgg/index_{n}.shtml" for n in (1, 2, 3)]


def test_image_next_links_and_page_jump_menus():
    image = '<div class="pages"><a href="index_1.html"><img src="next.gif" alt="下一页"></a></div>'
    _, pages, _ = _listing(image)
    assert pages == [BASE + "/zwgk/tzgg/index_1.html"]
    menu = ('<select onchange="location.href=this.value"><option value="index.html">1</option>'
            '<option value="index_1.html">2</option><option value="index_2.html">3</option>'
            '</select><select><option value="2023">2023</option><option value="2024">2024'
            "</option></select>")
    _, pages, _ = _listing(menu)
    assert pages == [BASE + "/zwgk/tzgg/index_1.html", BASE + "/zwgk/tzgg/index_2.html"]
