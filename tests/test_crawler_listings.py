"""Listing patterns: each portal flavour is detected and parsed, and crawls find every article.

One crawl scenario covers all six patterns (one source each, crawled together) plus a GBK
site whose header names the wrong charset; the recrawl shows conditional requests and
sitemap skips. Parsers and the detector are also checked on small bodies.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime

import pytest
from scrapy.http import HtmlResponse, Request, TextResponse, XmlResponse

from crawler.links import LinkRules
from crawler.listings import PARSERS, detect, parse_listing
from portal import Portal

BASE = "http://www.changan.gov.cn"
RULES = LinkRules([BASE + "/"], [], [])


def _response(url: str, body: str, content_type: str = "text/html; charset=utf-8"):
    cls = (
        XmlResponse
        if "xml" in content_type
        else TextResponse if "json" in content_type else HtmlResponse
    )
    return cls(url, body=body.encode("utf-8"), headers={"Content-Type": content_type},
               request=Request(url))


TRS_PAGE = """<html><body><ul>
<li><a href="./202603/t20260301_4501.html">关于印发工作方案的通知</a></li></ul>
<script>var currentPage = 0; var countPage = 4;
createPageHTML(4, 0, "index", "shtml");</script></body></html>"""
PROXY = (
    "/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=3&path=/&columnid=4530&unitid=11"
    "&webname=x&permissiontype=0"
)
HANWEB_COLUMN = (
    '<html><body><div id="4530"><script type="text/xml">\n<datastore>'
    f'<nextgroup><![CDATA[<a href="{PROXY}"></a>]]></nextgroup>\n<recordset>'
    '<record><![CDATA[<li><a href="/art/2026/3/1/art_4530_101.html">一</a></li>]]></record>\n'
    '<record><![CDATA[<li><a href="/art/2026/3/1/art_4530_102.html">二</a></li>]]></record>\n'
    "</recordset><totalrecord>7</totalrecord></datastore></script>\n"
    "<script>$('#4530').jpage({perPage: 1, totalRecord: 7});</script></div></body></html>"
)
ATOM = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<feed xmlns="http://www.w3.org/2005/Atom"><title>政策</title>\n'
    '<entry><title>一</title><link href="/content/post_11.html"/>'
    "<updated>2026-03-01T10:00:00+08:00</updated></entry>\n"
    '<entry><title>二</title><link rel="alternate" '
    'href="http://www.changan.gov.cn/content/post_12.html"/></entry>\n</feed>'
)
SITEMAP_INDEX = """<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>http://www.changan.gov.cn/sitemap_1.xml</loc></sitemap></sitemapindex>"""
URLSET = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>http://www.changan.gov.cn/content/post_11.html</loc><lastmod>2026-03-01</lastmod></url>
</urlset>"""
GKMLPT = json.dumps({"articles": [{"url": f"{BASE}/gkmlpt/content/4/4530/post_{i}.html"}
                                  for i in range(3)], "total": 8})


@pytest.mark.parametrize(
    ("url", "body", "content_type", "kind"),
    [
        (BASE + "/zwgk/index.html", TRS_PAGE, "text/html", "trs"),
        (BASE + "/col/col4530/index.html", HANWEB_COLUMN, "text/html", "hanweb"),
        (BASE + "/atom.xml", ATOM, "application/atom+xml", "feed"),
        (BASE + "/sitemap.xml", SITEMAP_INDEX, "text/xml", "sitemap"),
        (BASE + "/gkmlpt/api/all/4530?page=1&sid=1", GKMLPT, "application/json", "gkmlpt"),
        (BASE + "/list.html", "<html><a href='/content/post_1.html'>x</a></html>", "text/html",
         "html"),
    ],
)
def test_detector_names_the_pattern(url, body, content_type, kind):
    assert detect(_response(url, body, content_type)) == kind


def test_trs_pager_in_js_gives_every_page_from_the_first():
    listing = parse_listing(_response(BASE + "/zwgk/index.html", TRS_PAGE), RULES)
    assert [e.url for e in listing.articles] == [BASE + "/zwgk/202603/t20260301_4501.html"]
    assert listing.pages == [
        BASE + "/zwgk/index.shtml", *(f"{BASE}/zwgk/index_{i}.shtml" for i in (1, 2, 3))
    ]
    later = TRS_PAGE.replace("createPageHTML(4, 0", "createPageHTML(4, 2")
    assert parse_listing(_response(BASE + "/zwgk/index_2.shtml", later), RULES).pages == []


def test_hanweb_column_posts_for_the_groups_after_the_inline_one():
    listing = parse_listing(_response(BASE + "/col/col4530/index.html", HANWEB_COLUMN), RULES)
    assert [e.url.rsplit("/", 1)[1] for e in listing.articles] == [
        "art_4530_101.html", "art_4530_102.html"
    ]
    # perPage 1, three pages a group: records 3-5 and 6-7 remain after the inline two
    assert [(r.method, r.url.split("?")[1]) for r in listing.pages] == [
        ("POST", "startrecord=3&endrecord=5&perpage=1"),
        ("POST", "startrecord=6&endrecord=7&perpage=1"),
    ]
    assert b"columnid=4530" in listing.pages[0].body and b"page=" not in listing.pages[0].body


def test_feed_sitemap_and_gkmlpt_entries():
    atom = PARSERS["feed"](_response(BASE + "/atom.xml", ATOM, "application/atom+xml"), RULES)
    assert [e.url for e in atom.articles] == [BASE + "/content/post_11.html",
                                              BASE + "/content/post_12.html"]
    assert atom.articles[0].modified == datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
    assert atom.articles[1].modified is None
    index = PARSERS["sitemap"](_response(BASE + "/sitemap.xml", SITEMAP_INDEX, "text/xml"), RULES)
    assert index.pages == [BASE + "/sitemap_1.xml"] and not index.articles
    urlset = PARSERS["sitemap"](_response(BASE + "/sitemap_1.xml", URLSET, "text/xml"), RULES)
    # a date alone is the end of that day, Beijing time: never older than it may be
    assert urlset.articles[0].modified == datetime(2026, 3, 1, 15, 59, 59, tzinfo=UTC)
    gk = PARSERS["gkmlpt"](
        _response(BASE + "/gkmlpt/api/all/4530?page=1&sid=1", GKMLPT, "application/json"), RULES
    )
    assert len(gk.articles) == 3
    assert gk.pages == [
        f"{BASE}/gkmlpt/api/all/4530?page={n}&sid=1" for n in (2, 3)
    ]


def test_every_listing_pattern_crawled_then_recrawled_cheaply(portal, cli_factory, sqlite_url):
    gbk = Portal(articles=12, per_page=5, seed=3, encoding="gbk", header_charset="utf-8",
                 meta_charset=None)
    with gbk.serve() as gbk_server:
        urls = portal.listing_urls()
        sources = {name: url for name, url in urls.items() if name != "html"}
        extra = 'listing = "html"\n' + "".join(
            f'\n[[sources]]\nname = "{name}"\nstart_urls = ["{url}"]\nrevisit = "every_run"\n'
            for name, url in sources.items()
        ) + f'\n[[sources]]\nname = "gbk"\nstart_urls = ["{gbk.listing_url}"]\n'
        extra += 'revisit = "every_run"\n'  # as the first source: revisit all, every run
        cli = cli_factory(sqlite_url, start_urls=[urls["html"]], extra_source=extra, timeout=20)
        cli.run("crawl", "--all")

        documents = cli.json("documents")
        by_source = Counter(d["source"] for d in documents)
        assert by_source == {"changan": 36, "trs": 36, "hanweb": 36, "gkmlpt": 36,
                             "sitemap": 36, "feed": 20, "gbk": 12}
        titles = {d["url"]: d["title"] for d in documents if d["source"] == "trs"}
        assert sorted(titles.values()) == sorted(a.title for a in portal.articles)
        # The TRS pager is script only, yet its pages were read; Hanweb's later groups came
        # from POSTs to dataproxy.jsp; gkmlpt's pages from its JSON API.
        paths = Counter((r.method, r.path.split("?")[0]) for r in portal.requests)
        assert all(paths["GET", f"/zwgk/trs/index_{n}.html"] == 1 for n in (1, 2, 3))
        assert paths["POST", "/module/web/jpage/dataproxy.jsp"] == 2
        assert paths["GET", "/gkmlpt/api/all/4530"] == 4
        # GBK bytes under a header that says UTF-8: decoded from the bytes, not mojibake
        gbk_titles = {d["title"] for d in documents if d["source"] == "gbk"}
        assert gbk_titles == {a.title for a in gbk.articles}
        assert all(r["errors"] == 0 for r in cli.json("runs"))

        portal.clear_requests()
        cli.run("crawl", "--all")
        runs = {r["source"]: r for r in cli.json("runs")[:7]}
        for name, run in runs.items():
            assert (run["new"], run["changed"], run["errors"]) == (0, 0, 0), name
            assert run["unchanged"] == by_source[name], name
        articles = [r for r in portal.requests if "/content/post_" in r.path]
        # Every article came back 304 (no body): these sources revisit every known document
        # on every run, 5 sources x 36 + the feed's 20. The listings themselves were asked
        # conditionally, and the unchanged sitemap answered 304 too.
        assert {r.status for r in articles} == {304}
        assert len(articles) == 5 * 36 + 20
        assert {r.status for r in portal.requests if r.path == "/sitemap_1.xml"} == {304}
        assert all("If-None-Match" in r.headers for r in articles)
        assert gbk_server.url  # served until here


def test_gbk_listing_under_a_utf8_header_is_read_from_its_bytes():
    from scrapy.utils.test import get_crawler

    from crawler.middlewares.encoding import META_KEY, ListingEncoding

    page = (
        "<html><head><title>通知公告</title></head><body><ul>"
        "<li><a href='/content/post_7.html'>关于做好防汛工作的通知</a></li></ul>"
        "<a href='/tzgg/list_2.html'>下一页</a></body></html>"
    )
    url = BASE + "/tzgg/list.html"
    request = Request(url, meta={META_KEY: True})
    wrong = HtmlResponse(url, body=page.encode("gbk"), request=request,
                         headers={"Content-Type": "text/html; charset=utf-8"})
    assert "下一页" not in wrong.text  # what Scrapy alone makes of it
    fixed = ListingEncoding.from_crawler(get_crawler()).process_response(request, wrong)
    assert fixed.encoding == "gb18030"
    listing = parse_listing(fixed, RULES)
    assert listing.pages == [BASE + "/tzgg/list_2.html"]
    assert [e.url for e in listing.articles] == [BASE + "/content/post_7.html"]


def test_listing_option_is_checked(tmp_path):
    from config import ConfigError, load_config

    path = tmp_path / "govwatch.toml"
    path.write_text('[[sources]]\nname = "a"\nstart_urls = ["http://x.gov.cn/"]\n'
                    'listing = "rss"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"sources\[0\]\.listing"):
        load_config(path)
    path.write_text(path.read_text(encoding="utf-8").replace('"rss"', '"feed"'),
                    encoding="utf-8")
    assert load_config(path).sources[0].listing == "feed"
