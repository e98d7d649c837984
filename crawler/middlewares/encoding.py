"""Listing pages decoded as their bytes say, not as a wrong header or meta tag claims.

Scrapy trusts the Content-Type charset; a GBK listing served as ``charset=utf-8`` would give
mojibake link texts, and "下一页" links would go unseen. The extractor's byte-based decision
(``extractor.encoding``) is applied to listing responses here; article pages need nothing,
as the extractor decides for them from the raw bytes.
"""

from __future__ import annotations

import codecs

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse

from extractor.encoding import decode

META_KEY = "govwatch_listing"


class ListingEncoding:
    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ListingEncoding:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if not request.meta.get(META_KEY) or not isinstance(response, TextResponse):
            return response
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
        _, name, _ = decode(response.body, content_type)
        if _same_codec(name, response.encoding):
            return response
        if self.stats is not None:
            self.stats.inc_value("govwatch/listing/encoding_corrected")
        return response.replace(encoding=name)


def _same_codec(first: str, second: str) -> bool:
    try:
        return codecs.lookup(first).name == codecs.lookup(second).name
    except LookupError:
        return False
