"""The portal's state: articles, faults, footer and the request log, behind one lock."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from portal.govdocs import GovDoc

COLUMN = "/zwgk/gzbg/"
HANWEB_COLUMN_ID = 4530
HANWEB_PROXY = "/module/web/jpage/dataproxy.jsp"
FAULT_KINDS = (
    "500", "timeout", "404", "410", "reset", "truncated", "huge", "binary", "empty",
    "soft404", "home_redirect",
    # Outages served with status 200 (portal.outages): a gateway's maintenance, sign-in,
    # captcha and WAF pages, a redirect to the sign-in page, the CMS's "server busy" notice
    # in the site's frame, and a body cut mid-paragraph with a matching Content-Length.
    "maintenance", "login", "login_redirect", "captcha", "waf", "busy", "cut",
)
AUTO = "auto"  # a declared charset equal to the encoding actually used


@dataclass(frozen=True)
class Charset:
    """How a page is encoded and what it claims (None: no declaration at all)."""

    encoding: str = "utf-8"
    header: str | None = AUTO
    meta: str | None = AUTO

    @property
    def codec(self) -> str:
        return "gb18030" if self.encoding.lower() in ("gbk", "gb2312", "gb18030") else self.encoding

    def declared(self, where: str) -> str | None:
        value = self.header if where == "header" else self.meta
        return self.encoding if value == AUTO else value


@dataclass(frozen=True)
class Article:
    """One version of an article. Editing makes a new Article; old ones stay as they were."""

    id: int
    title: str
    paragraphs: list[str]
    published: str  # "YYYY-MM-DD HH:MM", Beijing time, as in the PubDate meta tag
    modified: datetime  # UTC, second precision: the Last-Modified header
    source: str = ""
    attachment: bool = False
    related: tuple[tuple[str, str, str], ...] = ()  # (title, path, date) fixed at publication
    charset: Charset | None = None  # None: the site's
    attachment_kind: str = "pdf"  # pdf, docx or doc
    attachment_paragraphs: tuple[str, ...] = ()  # empty: a generated summary of the article
    attachment_modified: datetime | None = None  # None: as the article
    govdoc: GovDoc | None = None  # a policy document: metadata table, 文号, 落款

    @property
    def path(self) -> str:
        return f"{COLUMN}content/post_{self.id}.html"

    @property
    def attachment_path(self) -> str | None:
        if not self.attachment:
            return None
        return f"/attachment/0/403/403768/{self.id}.{self.attachment_kind}"

    @property
    def attachment_text(self) -> list[str]:
        """The attachment's paragraphs: set ones, or the article's own under a heading."""
        if self.attachment_paragraphs:
            return list(self.attachment_paragraphs)
        return ["附件：" + self.title, *self.paragraphs[:6]]

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass(frozen=True)
class RequestLog:
    method: str
    path: str
    status: int  # 0: the connection was reset without an answer
    bytes_sent: int  # body bytes
    headers: dict[str, str]


@dataclass
class Fault:
    kind: str
    remaining: int | None  # None: until cleared


@dataclass
class State:
    """Everything the handler reads; mutate only while holding ``lock``."""

    articles: dict[int, Article] = field(default_factory=dict)
    deleted: set[int] = field(default_factory=set)
    faults: dict[str, Fault] = field(default_factory=dict)
    footer: str = ""
    footer_modified: datetime = datetime(2000, 1, 1, tzinfo=UTC)
    listing_modified: datetime = datetime(2000, 1, 1, tzinfo=UTC)
    requests: list[RequestLog] = field(default_factory=list)
    challenge: str | None = None  # the cookie a JS challenge wants; None: no challenge
    lock: threading.RLock = field(default_factory=threading.RLock)
    _clock: datetime = datetime(2000, 1, 1, tzinfo=UTC)
    # (article count, deleted ids) -> live ids, newest first: see _newest_ids
    _order: tuple[tuple[int, frozenset[int]], list[int]] | None = None

    def tick(self) -> datetime:
        """Now (UTC, whole seconds), strictly later than any earlier tick."""
        now = datetime.now(UTC).replace(microsecond=0)
        self._clock = max(now, self._clock + timedelta(seconds=1))
        return self._clock

    def current(self) -> list[Article]:
        """Live articles, newest first."""
        return [self.articles[i] for i in self._newest_ids()]

    def newest(self, count: int) -> list[Article]:
        """The ``count`` newest live articles (every article page's related box)."""
        return [self.articles[i] for i in self._newest_ids()[:count]]

    def _newest_ids(self) -> list[int]:
        # Articles are only added, never dropped, and keep their publication date: the order
        # changes only when one is added, deleted or restored. Sorting thousands of articles
        # for every page served would cost the portal more than serving it.
        key = (len(self.articles), frozenset(self.deleted))
        if self._order is None or self._order[0] != key:
            live = [a for i, a in self.articles.items() if i not in self.deleted]
            live.sort(key=lambda a: (a.published, a.id), reverse=True)
            self._order = (key, [a.id for a in live])
        return self._order[1]

    def live(self, article_id: int) -> Article | None:
        if article_id in self.deleted:
            return None
        return self.articles.get(article_id)

    def take_fault(self, path: str) -> str | None:
        """The fault kind for this request to ``path``, counting down ``times``."""
        fault = self.faults.get(path)
        if fault is None:
            return None
        if fault.remaining is not None:
            fault.remaining -= 1
            if fault.remaining <= 0:
                del self.faults[path]
        return fault.kind
