"""Choosing a listing parser from what a response reveals about the portal's software."""

from __future__ import annotations

import re

from scrapy.http import Response

SNIFF_BYTES = 4096
XML_ROOT = re.compile(rb"<(?![?!])(?:[\w-]+:)?([\w-]+)")
TRS_PAGER = re.compile(rb"createPageHTML\s*\(|var\s+countPage\s*=")
HANWEB_STORE = re.compile(rb"<datastore>|dataproxy\.jsp")
FEED_ROOTS = {b"rss", b"feed", b"RDF"}
SITEMAP_ROOTS = {b"urlset", b"sitemapindex"}


def detect(response: Response) -> str:
    """One of the parser names: gkmlpt, sitemap, feed, hanweb, trs or html."""
    content_type = response.headers.get(b"Content-Type", b"").split(b";")[0].strip().lower()
    body = response.body
    head = body[:SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n")
    if content_type.endswith(b"json") or head[:1] in (b"{", b"["):
        return "gkmlpt" if b'"articles"' in body else "html"
    if not head.lower().startswith((b"<!doctype html", b"<html")):
        root = XML_ROOT.search(head)
        name = root.group(1) if root else b""
        if name in SITEMAP_ROOTS:
            return "sitemap"
        if name in FEED_ROOTS:
            return "feed"
        if name == b"datastore":
            return "hanweb"
    if HANWEB_STORE.search(body):
        return "hanweb"
    if TRS_PAGER.search(body):
        return "trs"
    return "html"
