"""What the crawler hands to the tracker: a fetched page, or a fetch that failed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from extractor import Extraction

# Response headers worth keeping with a version: they drive conditional requests and
# explain what the server claimed.
KEPT_HEADERS = ("content-type", "etag", "last-modified", "content-length", "server")


@dataclass(frozen=True)
class Suspicion:
    """A change too large to believe from one fetch, waiting for a second one."""

    url: str
    sha256: str  # of the suspect text: the second fetch must show the same
    reason: str
    observed_at: datetime


@dataclass
class Page:
    url: str  # the URL that was asked for: the document's identity
    final_url: str  # after redirects
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: datetime
    extraction: Extraction | None = None  # None when the body is not an HTML or text page
    soft_404: str | None = None  # why the page is an error page served with 200, if it is
    parent_url: str | None = None  # the article an attachment was linked from
    confirming: Suspicion | None = None  # set: this fetch is the second look at a suspect
    suspicion: Suspicion | None = None  # set by the tracker when this fetch is suspect


@dataclass
class Failure:
    url: str
    kind: str  # timeout, dns, connection, truncated, too_large, robots, http_500, ...
    message: str
    status: int | None = None
    fetched_at: datetime | None = None
    details: dict[str, str] = field(default_factory=dict)
