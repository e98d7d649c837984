"""The crawler finds what ``probe`` shows, with the same code, on the simulator's families.

One crawl of several sources with no allow pattern: dated Empire CMS paths on GBK pages, a
page count confirmed by fetching guessed pages, a JS pager, embedded records with a paging
API, a gkmlpt shell page, and a source cut at max_listing_pages.
"""

from __future__ import annotations

from collections import Counter

import pytest

from config import CrawlConfig
from crawler.discovery.preview import probe
from portal import Portal
from portal.listings import start_url, truth

# The test portals listen on 127.0.0.1, which a preview refuses by default.
LOCAL = CrawlConfig(allow_private_addresses=True)

FAMILIES = ("empire", "sitefactory", "jpaas", "hanwebnew", "gkmlpt")


@pytest.fixture
def small_portal():
    """Sixteen documents: two listing pages in every family."""
    site = Portal(articles=16, per_page=10, seed=5)
    with site.serve(host="127.0.0.1", port=0):
        yield site


def test_crawl_watches_what_probe_shows(small_portal, cli_factory, sqlite_url):
    portal = small_portal
    base = portal.server.url
    sources = "".join(
        f'\n[[sources]]\nname = "{name}"\nstart_urls = ["{start_url(base, name)}"]\n'
        for name in FAMILIES
    ) + (f'\n[[sources]]\nname = "limited"\nstart_urls = ["{start_url(base, "custom")}"]\n'
         "max_listing_pages = 1\n")
    cli = cli_factory(sqlite_url, start_urls=[start_url(base, "dede")], extra_source=sources,
                      timeout=20)
    portal.clear_requests()
    cli.run("crawl", "--all")

    # Guessed page URLs that do not exist cost a request each, no more.
    statuses = Counter(r.status for r in portal.requests if "/t/sitefactory/" in r.path)
    assert statuses[404] <= 2
    documents = cli.json("documents")
    found: dict[str, set[str]] = {}
    for document in documents:
        found.setdefault(document["source"], set()).add(document["url"])
    for name in (*FAMILIES, "dede"):
        source = "changan" if name == "dede" else name
        expected = truth(base, name, portal.articles)
        assert found[source] == expected, name
        # exactly what the preview shows
        assert {e.url for e in probe(start_url(base, name), crawl=LOCAL).articles} == expected, name
    assert len(found["limited"]) == 9  # one listing page of nine
    # No decoy (other columns' documents) was ever asked for, and guessed pages that do not
    # exist are no errors of the run.
    assert not [r for r in portal.requests if "/9000" in r.path or "_9000" in r.path]
    assert all(r["errors"] == 0 for r in cli.json("runs"))
    titles = {d["title"] for d in documents if d["source"] == "empire"}
    assert titles == {a.title for a in portal.articles}
