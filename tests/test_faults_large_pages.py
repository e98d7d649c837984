"""Large pages: the crawler's and the extractor's size limits are one, and no cut splits a
character (a UTF-8 page cut inside one used to decode as GB18030, with a mojibake title)."""

from scrapy.http import HtmlResponse, Request

from config import MAX_PAGE_BYTES, CrawlConfig
from crawler.pages import page_from_response
from crawler.settings import build_settings
from extractor import extract

TITLE = "2026年统计数据公报"
HEAD = f'<html><head><meta charset="utf-8"><title>{TITLE}</title></head><body><div id="zoom">'
LINE = "<p>" + "全镇规模以上工业增加值比上年增长百分之六点三。" * 20 + "</p>\n"


def _page(size: int) -> bytes:
    """Whole lines, at least ``size`` bytes, valid UTF-8 to the end."""
    return HEAD.encode() + LINE.encode() * (size // len(LINE.encode()) + 1)


def test_a_cut_inside_a_character_keeps_the_encoding():
    page = _page(300_000)
    # Every cut through the last few characters: 3-byte characters, so each offset differs.
    for limit in range(200_000, 200_006):
        extraction = extract(page, "http://example.gov.cn/a.html", max_bytes=limit)
        assert extraction.encoding == "utf-8", limit
        assert extraction.title == TITLE, limit
        assert "\ufffd" not in extraction.text
        assert {w["kind"] for w in extraction.warnings} == {"truncated"}


def test_the_crawler_and_the_extractor_share_one_limit():
    settings = build_settings(CrawlConfig(), db_url="sqlite://")
    assert settings["DOWNLOAD_MAXSIZE"] == CrawlConfig().max_bytes == MAX_PAGE_BYTES
    assert extract.__kwdefaults__["max_bytes"] == MAX_PAGE_BYTES


def test_a_page_the_crawler_accepts_is_read_whole():
    body = _page(6_500_000) + b"</div></body></html>"
    url = "http://www.example.gov.cn/art/2026/1/1/art_1_1.html"
    response = HtmlResponse(url, body=body, headers={"Content-Type": "text/html"},
                            request=Request(url))
    page = page_from_response(response, url, max_bytes=8_000_000)
    assert page.extraction is not None
    assert page.extraction.title == TITLE and page.extraction.encoding == "utf-8"
    assert not page.extraction.warnings
    # A byte more changes nothing: no flip between good and garbled.
    grown = page_from_response(response.replace(body=body + b" "), url, max_bytes=8_000_000)
    assert grown.extraction is not None and grown.extraction.text == page.extraction.text
