"""A list only a browser sees: read in headless Chromium, only for sources that opt in."""

from __future__ import annotations

import importlib.util

import pytest

from config import CrawlConfig
from crawler.discovery.preview import probe
from crawler.middlewares.challenge import chromium_path
from portal import Portal
from portal.listings import start_url, truth

# The test portals listen on 127.0.0.1, which a preview refuses by default.
LOCAL = CrawlConfig(allow_private_addresses=True)

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("playwright") is None or chromium_path(None) is None,
    reason="Playwright or Chromium is not installed",
)


@pytest.fixture
def portal():
    site = Portal(articles=8, per_page=10, seed=3)
    with site.serve(host="127.0.0.1", port=0):
        yield site


def test_render_is_opt_in_and_the_crawler_renders_as_probe_does(portal, cli_factory,
                                                                 sqlite_url):
    base = portal.server.url
    url = start_url(base, "scripted")
    expected = truth(base, "scripted", portal.articles)
    plain = probe(url, crawl=LOCAL)
    assert not {e.url for e in plain.articles} & expected
    assert any("render" in w for w in plain.warnings)
    rendered = probe(url, render=True, crawl=LOCAL)
    assert rendered.listing == "rendered html"
    assert {e.url for e in rendered.articles} == expected
    assert all(e.title and e.published for e in rendered.articles)

    extra = f'\n[[sources]]\nname = "drawn"\nstart_urls = ["{url}"]\nrender = true\n'
    cli = cli_factory(sqlite_url, start_urls=[url], extra_source=extra, timeout=20)
    cli.run("crawl", "drawn")
    assert {d["url"] for d in cli.json("documents")} == expected
