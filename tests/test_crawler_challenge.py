"""JS challenges: a plain client is stuck at 412; the crawl passes it once in real Chromium.

The browser test needs Debian's chromium (``apt-get install -y chromium``) and Playwright;
it is skipped without them locally and fails without them in CI.
"""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request

from crawler.middlewares.challenge import is_challenge
from portal.challenge import COOKIE

CHROMIUM = Path("/usr/bin/chromium")
needs_browser = pytest.mark.skipif(
    not CHROMIUM.exists() and not os.environ.get("CI"),
    reason="Chromium not installed (apt-get install -y chromium)",
)


def _response(status: int, body: str) -> HtmlResponse:
    url = "http://www.example.gov.cn/"
    return HtmlResponse(url, status=status, body=body.encode(), request=Request(url))


def test_challenge_pages_are_recognised():
    assert is_challenge(_response(412, "<script>var $_ts=window['$_ts'];</script>"))
    assert is_challenge(
        _response(521, "<script>document.cookie='__jsl_clearance=1.2|0|x';</script>")
    )
    assert is_challenge(_response(
        200, "<html><script>document.cookie='wzws_cid=1';location.reload();</script></html>"
    ))
    assert not is_challenge(_response(412, "<html>Precondition Failed</html>"))
    article = "<html><script>document.cookie='a=1';location.href='/';</script><p>正文</p></html>"
    assert not is_challenge(_response(200, article))


def test_a_plain_http_client_cannot_pass(portal):
    portal.challenge()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    for _ in range(2):  # the server's own cookie, sent back, is not enough
        with pytest.raises(urllib.error.HTTPError) as caught:
            opener.open(portal.listing_url, timeout=5)
        assert caught.value.code == 412
        assert b"$_ts" in caught.value.read()
    portal.challenge(enabled=False)
    assert opener.open(portal.listing_url, timeout=5).status == 200


@needs_browser
def test_crawl_passes_the_challenge_in_chromium_then_uses_plain_http(
    portal, cli_factory, sqlite_url
):
    assert CHROMIUM.exists(), "CI needs Chromium: apt-get install -y chromium"
    if not os.environ.get("CI"):
        pytest.importorskip("playwright")
    portal.challenge()
    cli = cli_factory(sqlite_url, start_urls=[portal.listing_url], timeout=30)
    cli.run("crawl", "changan")
    run = cli.json("runs")[0]
    assert (run["new"], run["errors"]) == (36, 0)
    log = portal.requests
    challenged = [r for r in log if r.status == 412]
    # The first listing request is challenged (Scrapy's and the browser's first load);
    # everything after carries the cookie the browser's script computed.
    assert 1 <= len(challenged) <= 3
    passed = [r for r in log if r.status == 200 and r.path != "/robots.txt"]
    assert len(passed) >= 40
    assert all(COOKIE in r.headers.get("Cookie", "") for r in passed)
    # Chromium announces its navigations (Sec-Fetch-Mode); Scrapy does not.
    browser_loads = [r for r in passed if "Sec-Fetch-Mode" in r.headers]
    assert 1 <= len(browser_loads) <= 2
