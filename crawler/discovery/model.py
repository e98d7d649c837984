"""What a listing parser returns: documents (with what the listing prints) and further pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import scrapy


@dataclass(frozen=True)
class Entry:
    """A document a listing names; ``modified`` when the portal says when it last changed.

    ``title`` and ``published`` are what the listing prints next to the link: known before
    the document is fetched (alerts on new documents, revisit policies).
    """

    url: str
    modified: datetime | None = None  # aware
    title: str | None = None
    published: datetime | None = None  # aware; a date alone is that day's midnight, Beijing


@dataclass
class Listing:
    articles: list[Entry] = field(default_factory=list)
    # further listing pages: URLs to GET, or requests (a POST); the spider sets callbacks,
    # priority and meta
    pages: list[scrapy.Request | str] = field(default_factory=list)
    kind: str = ""
    warnings: list[str] = field(default_factory=list)
    # Nothing found in the HTML or its scripts: a source that allows it renders the page.
    needs_render: bool = False
