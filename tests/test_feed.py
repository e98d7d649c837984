"""alerts.feed: Atom feeds of change events, valid per RFC 4287, hostile text escaped."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from lxml import etree

from alerts.feed import atom_feed, entry_id

NS = {"a": "http://www.w3.org/2005/Atom"}
# RFC 3339 date-time, as RFC 4287 3.3 requires (an upper-case T and Z or an offset).
DATE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)\Z")
HOSTILE = '报告</title><script>alert("x")</script>&amp;\x07\x1b[31m'


def row(event_id: int, **fields: object) -> dict:
    base = {
        "id": event_id,
        "url": f"http://www.changan.gov.cn/content/post_{event_id}.html?a=1&b=2",
        "source": "changan",
        "title": "2024年长安镇政府工作报告",
        "kind": "changed",
        "at": f"2026-11-23T0{event_id % 10}:00:00+00:00",
        "significance": 0.6,
        "chars_added": 5,
        "chars_removed": 5,
        "from_version": 1,
        "to_version": 2,
        "reasons": ["figures changed: 965.2 → 985.2"],
    }
    return {**base, **fields}


def check_rfc4287(xml: str) -> etree._Element:
    """The MUSTs of RFC 4287 that a generated feed can break, checked one by one."""
    assert xml.startswith('<?xml version="1.0" encoding="utf-8"?>')
    feed = etree.fromstring(xml.encode("utf-8"))  # well-formed, or this raises
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"

    def one(parent: etree._Element, name: str) -> etree._Element:
        found = parent.findall(f"a:{name}", NS)
        assert len(found) == 1, f"{parent.tag} needs exactly one atom:{name}"
        return found[0]

    def iri(value: str | None) -> None:
        assert value and urlsplit(value).scheme, f"{value!r} is not an absolute IRI"

    iri(one(feed, "id").text)
    assert one(feed, "title").text
    assert DATE.match(one(feed, "updated").text or "")
    entries = feed.findall("a:entry", NS)
    # 4.1.1: an author on the feed unless every entry has one.
    if not all(e.find("a:author", NS) is not None for e in entries):
        assert one(one(feed, "author"), "name").text
    links = feed.findall("a:link", NS)
    assert [link.get("rel") for link in links].count("self") == 1
    alternates = {
        (link.get("type"), link.get("hreflang"))
        for link in links
        if link.get("rel", "alternate") == "alternate"
    }
    assert len(alternates) == len([lk for lk in links if lk.get("rel", "alternate") == "alternate"])
    for link in links:
        iri(link.get("href"))
    ids = []
    for entry in entries:
        ids.append(one(entry, "id").text)
        iri(ids[-1])
        assert one(entry, "title").text
        assert DATE.match(one(entry, "updated").text or "")
        has_content = entry.find("a:content", NS) is not None
        entry_links = entry.findall("a:link", NS)
        if not has_content:  # 4.1.2: then an alternate link is required
            assert any(lk.get("rel", "alternate") == "alternate" for lk in entry_links)
        for link in entry_links:
            iri(link.get("href"))
        summary = entry.find("a:summary", NS)
        assert summary is None or summary.get("type", "text") in ("text", "html", "xhtml")
        for category in entry.findall("a:category", NS):
            assert category.get("term")
    assert len(ids) == len(set(ids)), "entry ids must be unique"
    return feed


def test_feed_is_valid_atom_with_every_field() -> None:
    rows = [row(3), row(2, kind="new", from_version=None, reasons=["new document"]), row(1)]
    xml = atom_feed(
        rows,
        feed_id="urn:uuid:2e4c1b6a-7a4c-5b8e-9d1f-000000000001",
        title="govwatch changes",
        self_url="https://govwatch.example.org/feeds/changes.atom",
        alternate_url="https://govwatch.example.org/",
    )
    feed = check_rfc4287(xml)
    assert feed.findtext("a:updated", namespaces=NS) == "2026-11-23T03:00:00Z"  # the newest
    first = feed.find("a:entry", NS)
    assert first.findtext("a:title", namespaces=NS) == "内容变更 changed: 2024年长安镇政府工作报告"
    assert first.find("a:link", NS).get("href") == rows[0]["url"]
    summary = first.findtext("a:summary", namespaces=NS)
    assert "significance 0.60" in summary and "figures changed: 965.2 → 985.2" in summary
    terms = {(c.get("scheme"), c.get("term")) for c in first.findall("a:category", NS)}
    assert terms == {("urn:govwatch:kind", "changed"), ("urn:govwatch:source", "changan")}


def test_entry_ids_are_stable_and_distinct() -> None:
    assert entry_id(row(1)) == entry_id(row(1, title="renamed", significance=0.9))
    assert entry_id(row(1)).startswith("urn:uuid:")
    assert entry_id(row(1)) != entry_id(row(2))
    # The same event number in another database (another URL or time) is another event.
    assert entry_id(row(1)) != entry_id(row(1, url="http://other.gov.cn/a.html"))
    # An event has the same id in the feed of all changes and in a per-source feed.
    everything = atom_feed([row(1), row(2)], feed_id="urn:a", title="all", self_url="http://h/a")
    one_source = atom_feed([row(2)], feed_id="urn:b", title="changan", self_url="http://h/b")
    assert entry_id(row(2)) in everything and entry_id(row(2)) in one_source


def test_hostile_text_is_escaped() -> None:
    xml = atom_feed(
        [row(1, title=HOSTILE, reasons=[HOSTILE], url='http://x.gov.cn/a?"<b>')],
        feed_id="urn:x",
        title=HOSTILE,
        self_url="http://h/feed",
    )
    feed = check_rfc4287(xml)
    assert "<script>" not in xml and "\x07" not in xml and "\x1b" not in xml
    title = feed.findtext("a:entry/a:title", namespaces=NS)
    assert '</title><script>alert("x")</script>&amp;' in title  # shown as text, not markup


def test_empty_feed_is_still_valid() -> None:
    feed = check_rfc4287(atom_feed([], feed_id="urn:x", title="nothing yet", self_url="http://h/"))
    assert feed.findall("a:entry", NS) == []


@pytest.mark.parametrize("moment", ["2026-11-23T08:00:00", "2026-11-23T16:00:00+08:00"])
def test_times_are_rfc3339_utc(moment: str) -> None:
    feed = check_rfc4287(
        atom_feed([row(1, at=moment)], feed_id="urn:x", title="t", self_url="http://h/")
    )
    assert feed.findtext("a:entry/a:updated", namespaces=NS) == "2026-11-23T08:00:00Z"
