"""What a listing parser returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import scrapy


@dataclass(frozen=True)
class Entry:
    """A document a listing names; ``modified`` when the portal says when it last changed."""

    url: str
    modified: datetime | None = None  # aware


@dataclass
class Listing:
    articles: list[Entry] = field(default_factory=list)
    # further listing pages: URLs to GET, or requests (a POST); the spider sets callbacks,
    # priority and meta
    pages: list[scrapy.Request | str] = field(default_factory=list)
    kind: str = ""
