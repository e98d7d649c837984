"""``Portal``: the simulated town-government site that tests crawl and change."""

from __future__ import annotations

import random
from dataclasses import replace as replaced
from datetime import UTC, datetime, timedelta, timezone

from portal import challenge, content, documents, pages
from portal.govdocs import GovDoc
from portal.routes import Settings
from portal.server import Server, Traffic
from portal.state import (
    AUTO,
    COLUMN,
    FAULT_KINDS,
    HANWEB_COLUMN_ID,
    Article,
    Charset,
    Fault,
    RequestLog,
    State,
)

BEIJING = timezone(timedelta(hours=8))
NEWEST = datetime(2026, 3, 1, 9, 30)  # the newest generated article


class Portal:
    """A Chinese town-government portal kept in memory, served on demand.

    ``encoding`` is the site's byte encoding ("gbk" serves GB18030 bytes);
    ``header_charset`` and ``meta_charset`` are what the Content-Type header and
    ``<meta charset>`` declare: "auto" (the truth), None (nothing) or any other name.
    ``live_related``: article pages carry a "related articles" box of the newest articles,
    regenerated (new ETag and Last-Modified) whenever the column changes, as static-page
    CMSs do; the article's text stays the same.
    """

    def __init__(self, articles: int = 36, per_page: int = 10, seed: int = 1,
                 site_name: str = "长安镇人民政府", host_name: str = "www.changan.gov.cn",
                 encoding: str = "utf-8", header_charset: str | None = AUTO,
                 meta_charset: str | None = AUTO, attachments: bool = False,
                 live_related: bool = False) -> None:
        self.seed = seed
        self.timeout_sleep = 10.0
        self.traffic = Traffic()  # requests in flight at this portal, and added latency
        self.server: Server | None = None
        rng = random.Random(seed)
        town = content.town_of(site_name)
        site = pages.Site(
            name=site_name, host=host_name, town=town,
            id_code=f"44190{rng.randrange(10000, 99999)}",
            icp=f"粤ICP备{rng.randrange(10000000, 99999999)}号",
            police=f"粤公网安备 4419000{rng.randrange(1000000, 9999999)}号",
        )
        self.settings = Settings(site, per_page, Charset(encoding, header_charset, meta_charset),
                                 live_related)
        self.state = State()
        self._rng = rng
        self._next_id = 4_400_000 + rng.randrange(0, 100_000)
        for draft in reversed(content.generate(rng, articles, town, NEWEST)):
            # Generated attachments are opt-in: each is a document of its own to a crawler.
            self._add(draft.title, draft.paragraphs, draft.published, draft.source,
                      draft.attachment and attachments, None)
        newest = self.state.current()
        self.state.listing_modified = newest[0].modified if newest else self.state.tick()

    # -- reading -------------------------------------------------------------------------

    @property
    def articles(self) -> list[Article]:
        """Live articles, newest first."""
        with self.state.lock:
            return self.state.current()

    def article(self, article_id: int) -> Article:
        """The current version of an article, deleted or not."""
        with self.state.lock:
            return self.state.articles[int(article_id)]

    @property
    def requests(self) -> list[RequestLog]:
        """A copy of the request log."""
        with self.state.lock:
            return list(self.state.requests)

    def clear_requests(self) -> None:
        with self.state.lock:
            self.state.requests.clear()

    @property
    def listing_url(self) -> str:
        return self._url() + COLUMN + "index.html"

    def listing_urls(self) -> dict[str, str]:
        """The same column listed each way real portals list: one start URL per pattern."""
        base = self._url()
        return {
            "html": base + COLUMN + "index.html",
            "trs": base + "/zwgk/trs/index.html",
            "hanweb": f"{base}/col/col{HANWEB_COLUMN_ID}/index.html",
            "gkmlpt": base + "/gkmlpt/api/all/4530?page=1&sid=441900",
            "sitemap": base + "/sitemap.xml",
            "feed": base + "/rss.xml",
        }

    def url(self, article_id: int) -> str:
        return self._url() + self.article(article_id).path

    # -- changing ------------------------------------------------------------------------

    def publish(self, title: str, paragraphs: list[str], published: str | datetime | None = None,
                *, source: str | None = None, attachment: bool = False,
                charset: Charset | None = None) -> Article:
        """A new article; without ``published`` it is the newest (now, Beijing time)."""
        with self.state.lock:
            if published is None:
                moment = datetime.now(BEIJING).replace(tzinfo=None, second=0, microsecond=0)
                latest = self.state.current()
                if latest:
                    newest = datetime.strptime(latest[0].published, "%Y-%m-%d %H:%M")
                    moment = max(moment, newest + timedelta(minutes=1))
            elif isinstance(published, str):
                moment = datetime.strptime(published, "%Y-%m-%d %H:%M")
            else:
                moment = published
            source = source or f"{self.settings.site.town}人民政府办公室"
            article = self._add(title, paragraphs, moment, source, attachment, charset,
                                modified=self.state.tick())
            self.state.listing_modified = article.modified
            return article

    def edit(self, article_id: int, *, title: str | None = None,
             paragraphs: list[str] | None = None,
             replace: tuple[str, str] | None = None) -> Article:
        """A new version. ``replace=(old, new)`` changes the first ``old`` in the body."""
        with self.state.lock:
            article = self.state.articles[int(article_id)]
            new_paragraphs = list(paragraphs if paragraphs is not None else article.paragraphs)
            if replace is not None:
                new_paragraphs = _replace_first(new_paragraphs, *replace)
            changed = replaced(article, title=title if title is not None else article.title,
                               paragraphs=new_paragraphs, modified=self.state.tick())
            self.state.articles[article.id] = changed
            if changed.title != article.title:
                self.state.listing_modified = changed.modified
            return changed

    def publish_document(self, title: str, paragraphs: list[str], doc: GovDoc,
                         published: str | datetime | None = None, *,
                         source: str | None = None) -> Article:
        """A policy document: its metadata table, 文号 line and 落款 in the page."""
        article = self.publish(title, paragraphs, published,
                               source=source or (doc.issuers[0] if doc.issuers else None))
        with self.state.lock:
            changed = replaced(article, govdoc=doc)
            self.state.articles[article.id] = changed
            return changed

    def set_validity(self, article_id: int, validity: str | None,
                     notice: str | None = None) -> Article:
        """The document is declared 失效/废止: the table's 有效性 flips and, with ``notice``,
        a line saying so appears above the text."""
        with self.state.lock:
            article = self.state.articles[int(article_id)]
            if article.govdoc is None:
                raise ValueError(f"article {article_id} is not a policy document")
            doc = replaced(article.govdoc, validity=validity, notice=notice)
            changed = replaced(article, govdoc=doc, modified=self.state.tick())
            self.state.articles[article.id] = changed
            return changed

    def set_charset(self, article_id: int, charset: Charset | None) -> Article:
        """Serve one article in another encoding (None: the site's)."""
        with self.state.lock:
            article = self.state.articles[int(article_id)]
            changed = replaced(article, charset=charset, modified=self.state.tick())
            self.state.articles[article.id] = changed
            return changed

    def attach(self, article_id: int, kind: str = "pdf",
               paragraphs: list[str] | None = None) -> Article:
        """Give an article an attachment (pdf, docx or doc); ``paragraphs``: its text."""
        if kind not in documents.WRITERS:
            known = ", ".join(documents.WRITERS)
            raise ValueError(f"unknown attachment kind {kind!r}; one of {known}")
        with self.state.lock:
            article = self.state.articles[int(article_id)]
            moment = self.state.tick()
            changed = replaced(article, attachment=True, attachment_kind=kind,
                               attachment_paragraphs=tuple(paragraphs or ()),
                               attachment_modified=moment, modified=moment)
            self.state.articles[article.id] = changed
            return changed

    def edit_attachment(self, article_id: int, *, replace: tuple[str, str]) -> Article:
        """A new version of the attachment only: the article page stays the same."""
        with self.state.lock:
            article = self.state.articles[int(article_id)]
            paragraphs = _replace_first(article.attachment_text, *replace)
            changed = replaced(article, attachment_paragraphs=tuple(paragraphs),
                               attachment_modified=self.state.tick())
            self.state.articles[article.id] = changed
            return changed

    def challenge(self, enabled: bool = True) -> None:
        """Answer every request without the JS-earned cookie with a 412 challenge page."""
        with self.state.lock:
            self.state.challenge = challenge.new_nonce(self.seed) if enabled else None

    def delete(self, article_id: int) -> None:
        """Gone from the listings; its page answers 404."""
        with self.state.lock:
            article = self.state.articles[int(article_id)]
            self.state.deleted.add(article.id)
            self.state.listing_modified = self.state.tick()

    def restore(self, article_id: int) -> Article:
        """A deleted article comes back, unchanged."""
        with self.state.lock:
            article = self.state.articles[int(article_id)]
            self.state.deleted.discard(article.id)
            self.state.listing_modified = self.state.tick()
            return article

    def fail(self, target: int | str, kind: str, times: int | None = None) -> None:
        """Make requests to a path (or an article's page) fail; ``times=None``: until cleared."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {kind!r}; one of {', '.join(FAULT_KINDS)}")
        if times is not None and times < 1:
            raise ValueError("times must be at least 1")
        with self.state.lock:
            path = self._path(target)
            self.state.faults[path] = Fault(kind, times)

    def clear_faults(self, target: int | str | None = None) -> None:
        with self.state.lock:
            if target is None:
                self.state.faults.clear()
            else:
                self.state.faults.pop(self._path(target), None)

    def set_footer(self, text: str) -> None:
        """A site-wide footer line: every page changes."""
        with self.state.lock:
            self.state.footer = text
            self.state.footer_modified = self.state.tick()
            self.state.listing_modified = self.state.footer_modified

    # -- serving -------------------------------------------------------------------------

    def serve(self, host: str = "127.0.0.1", port: int = 0) -> Server:
        """Start serving in a daemon thread; use as a context manager or call ``stop()``."""
        self.server = Server(self.state, self.settings, host, port, lambda: self.timeout_sleep,
                             self.traffic)
        return self.server

    # -- helpers -------------------------------------------------------------------------

    def _url(self) -> str:
        if self.server is None:
            raise RuntimeError("the portal is not served; call serve() first")
        return self.server.url

    def _path(self, target: int | str) -> str:
        if isinstance(target, str) and target.startswith("/"):
            return target
        return self.state.articles[int(target)].path

    def _add(self, title: str, paragraphs: list[str], published: datetime, source: str,
             attachment: bool, charset: Charset | None,
             modified: datetime | None = None) -> Article:
        self._next_id += self._rng.randrange(7, 400)
        related = tuple(
            (a.title, a.path, a.published[:10]) for a in self.state.newest(5)
        )
        if modified is None:
            modified = published.replace(tzinfo=BEIJING).astimezone(UTC)
        article = Article(
            id=self._next_id, title=title, paragraphs=list(paragraphs),
            published=published.strftime("%Y-%m-%d %H:%M"), modified=modified, source=source,
            attachment=attachment, related=related, charset=charset,
        )
        self.state.articles[article.id] = article
        return article


def _replace_first(paragraphs: list[str], old: str, new: str) -> list[str]:
    for index, paragraph in enumerate(paragraphs):
        if old in paragraph:
            return [*paragraphs[:index], paragraph.replace(old, new, 1), *paragraphs[index + 1 :]]
    raise ValueError(f"{old!r} is not in the article's body")
