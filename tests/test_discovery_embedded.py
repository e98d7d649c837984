"""Script-rendered lists: records embedded in the page, whatever their keys, and list APIs."""

from __future__ import annotations

import json
from datetime import datetime

from scrapy.http import HtmlResponse, Request, TextResponse

from config import CrawlConfig
from crawler.discovery.dates import BEIJING
from crawler.discovery.endpoints import Call, api_calls, next_calls
from crawler.discovery.listing import CALL
from crawler.discovery.preview import probe
from crawler.discovery.records import records_in_scripts
from crawler.links import LinkRules
from crawler.listings import parse_listing
from portal.listings import start_url, truth

# The test portals listen on 127.0.0.1, which a preview refuses by default.
LOCAL = CrawlConfig(allow_private_addresses=True)

BASE = "http://www.example.gov.cn"
MENU = json.dumps([{"name": n, "url": f"/{n}/"} for n in ("首页", "政务公开", "互动交流")],
                  ensure_ascii=False)


def test_an_article_list_array_among_other_script_data():
    records = [{"title": f"关于印发第{i}批重点民生实事项目实施方案的通知",
                "url": f"/xwfb/20200312/{i:032x}.html", "publishTime": "2020-03-12 10:00:00"}
               for i in range(12)]
    script = (f"var menu = {MENU};\nvar articleList = "
              f"{json.dumps(records, ensure_ascii=False)};\nvar pageInfo = {{totalPage: 5}};")
    items = records_in_scripts([script], BASE + "/col/col4532/index.html")
    assert [i.url for i in items] == [BASE + r["url"] for r in records]
    assert items[0].title == records[0]["title"]
    assert items[0].published == datetime(2020, 3, 12, 10, 0, tzinfo=BEIJING)


def test_js_literals_with_any_key_names_and_epoch_dates():
    rows = ",".join(
        f"{{bt: '某某县人民政府关于第{i}号建设项目环境影响评价的批复', lj: '../art/{i}.html', "
        f"rq: {1700000000000 + i * 86400000}, hits: {i}}}" for i in range(6)
    )
    script = f"window.__DATA__ = {{data: {{rows: [{rows}], total: 6}}}};"
    items = records_in_scripts([script], BASE + "/zwgk/list/index.html")
    assert len(items) == 6
    assert items[0].url == BASE + "/zwgk/art/0.html"
    assert items[1].published is not None and items[1].published.year == 2023


def test_a_page_with_only_embedded_records_is_read_by_the_crawler_parser():
    records = [{"name": f"某某镇2023年第{i}季度财政预算执行情况公示", "link": f"/a/{i}.html",
                "date": "2023-10-01"} for i in range(4)]
    body = (f"<html><body><ul id='list'></ul><script>var list = "
            f"{json.dumps(records, ensure_ascii=False)};</script></body></html>")
    url = BASE + "/col/list.html"
    response = HtmlResponse(url, body=body.encode(), encoding="utf-8", request=Request(url))
    listing = parse_listing(response, LinkRules([url], [], []))
    assert listing.kind == "embedded-json"
    assert [e.title for e in listing.articles] == [r["name"] for r in records]


def test_api_calls_in_scripts_and_their_later_pages():
    script = ("$(function(){ $.ajax({url: '/api/column/articles', type: 'get', "
              "data: {columnId: 12, pageNo: 1, pageSize: 15}, success: draw}); });")
    calls = api_calls(script, BASE + "/col/col12/index.html")
    assert calls == [Call(BASE + "/api/column/articles?columnId=12&pageNo=1&pageSize=15")]
    answer = {"data": {"list": [], "total": 40, "pageSize": 15}}
    assert [c.url.rsplit("pageNo=", 1)[1][:1] for c in next_calls(answer, calls[0])] == ["2", "3"]
    later = Call(BASE + "/api/column/articles?columnId=12&pageNo=2&pageSize=15")
    assert next_calls(answer, later) == []  # the first page names them all


def test_a_json_answer_holding_list_html():
    rows = "".join(f'<li><a href="/art/{i}.html">关于第{i}批政府信息主动公开目录的公告</a>'
                   f"<span>2024-02-0{i + 1}</span></li>" for i in range(5))
    body = json.dumps({"code": 0, "data": {"html": f"<ul>{rows}</ul>", "totalPage": 3}})
    url = BASE + "/front/page/list?columnId=4&pageNo=1"
    request = Request(url, meta={CALL: Call(url)})
    response = TextResponse(url, body=body.encode(), encoding="utf-8", request=request,
                            headers={"Content-Type": "application/json"})
    listing = parse_listing(response, LinkRules([url], [], []))
    assert len(listing.articles) == 5 and listing.articles[0].published is not None
    assert [p.url[-8:] for p in listing.pages] == ["pageNo=2", "pageNo=3"]


def test_script_rendered_families_end_to_end(portal):
    base = portal.server.url
    for name, kind in (("hanwebnew", "embedded-json"), ("gkmlpt", "api"),
                       ("jsonhtml", "api")):
        preview = probe(start_url(base, name), crawl=LOCAL)
        assert preview.listing == kind
        assert {e.url for e in preview.articles} == truth(base, name, portal.articles), name
        assert all(e.title and e.published for e in preview.articles), name


def test_the_page_number_inside_a_json_parameter():
    script = ("$.ajax({url: '/api-gateway/front/page/build/unit', data: {webId: 1, "
              "pageType: 'column', paramJson: '{\"pageNo\":1,\"pageSize\":15}'}});")
    [call] = api_calls(script, BASE + "/col/col9/index.html")
    answer = {"data": {"html": '<ul><li><a href="/a.html">x</a></li></ul><p>共3页</p>'}}
    later = next_calls(answer, call)
    assert [c.url.split("paramJson=")[1] for c in later] == [
        "%7B%22pageNo%22%3A2%2C%22pageSize%22%3A15%7D",
        "%7B%22pageNo%22%3A3%2C%22pageSize%22%3A15%7D",
    ]


def test_records_in_a_data_attribute():
    records = [{"title": f'关于第{i}批"放管服"改革事项的<em>公告</em>', "href": f"/a/{i}.html",
                "time": "2024-03-01"} for i in range(5)]
    data = json.dumps(records, ensure_ascii=False).replace("'", "&#39;")
    body = f"<html><body><div id='list' data-list='{data}'></div></body></html>"
    url = BASE + "/col/list.html"
    response = HtmlResponse(url, body=body.encode(), encoding="utf-8", request=Request(url))
    listing = parse_listing(response, LinkRules([url], [], []))
    assert [e.url for e in listing.articles] == [f"{BASE}/a/{i}.html" for i in range(5)]
    assert listing.articles[0].title == '关于第0批"放管服"改革事项的公告'
