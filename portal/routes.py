"""From a path to a response, read from the state (the caller holds the lock)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from portal import documents, feeds, outages, pages
from portal.state import COLUMN, HANWEB_COLUMN_ID, HANWEB_PROXY, Article, Charset, State

LISTING = re.compile(rf"^{COLUMN}(?:index(?:_(\d+))?\.html)?$")
ARTICLE = re.compile(rf"^{COLUMN}content/post_(\d+)\.html$")
ATTACHMENT = re.compile(r"^/attachment/0/403/403768/(\d+)\.(pdf|docx|doc)$")
TRS_LISTING = re.compile(r"^/zwgk/trs/(?:index(?:_(\d+))?\.html)?$")
HANWEB_COLUMN = re.compile(rf"^/col/col{HANWEB_COLUMN_ID}/(?:index\.html)?$")
GKMLPT = re.compile(r"^/gkmlpt/api/all/(\d+)$")
HANWEB_PER_PAGE = 5  # small, so that a 36-article column needs the proxy
OTHER_COLUMN = re.compile(r"^/(?:zwgk/)?(zcwj|tzgg|ghjh|zwgk|zwfw|hdjl|zjca)/(?:index\.html)?$")
SIDE_NAMES = {code: name for name, code in pages.SIDE_COLUMNS} | {
    "zwgk": "政务公开", "zwfw": "政务服务", "hdjl": "互动交流", "zjca": "走进长安",
}


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    content_type: str
    last_modified: datetime | None = None  # set: the page answers conditional requests


@dataclass(frozen=True)
class Settings:
    site: pages.Site
    per_page: int
    charset: Charset
    live_related: bool = False  # article pages list the newest articles (furniture)


def content_type(kind: str, charset: str | None) -> str:
    return f"{kind}; charset={charset}" if charset else kind


def html(settings: Settings, charset: Charset | None, render: Callable[[str | None], str],
         modified: datetime) -> Reply:
    charset = charset or settings.charset
    text = render(charset.declared("meta"))
    return Reply(
        200,
        text.encode(charset.codec, errors="xmlcharrefreplace"),
        content_type("text/html", charset.declared("header")),
        modified,
    )


def message(settings: Settings, state: State, status: int, title: str, text: str) -> Reply:
    body = pages.message_page(settings.site, title, text, state.footer).encode("utf-8")
    return Reply(status, body, "text/html; charset=utf-8")


def not_found(settings: Settings, state: State) -> Reply:
    return message(settings, state, 404, "404 页面不存在", "对不起，您访问的页面不存在或已被删除。")


def resolve(settings: Settings, state: State, path: str,
            query: dict[str, str] | None = None, base: str = "") -> Reply:
    """``query``: the GET query (and POST form) values; ``base``: scheme and host, for feeds."""
    site, footer = settings.site, state.footer
    query = query or {}
    if path == "/robots.txt":
        return Reply(200, pages.robots().encode(), "text/plain; charset=utf-8")
    if path in ("/", "/index.html"):
        latest = state.newest(8)
        return html(settings, None, lambda meta: pages.home_page(site, latest, footer, meta),
                    state.listing_modified)
    if path == outages.SIGN_IN_PATH:
        page = outages.sign_in(query.get("service", ""))
        return Reply(200, page.encode("utf-8"), "text/html; charset=utf-8")
    if path.startswith("/admin/"):
        return Reply(403, pages.nginx_error(403, "Forbidden").encode(), "text/html")
    if match := LISTING.match(path):
        return listing(settings, state, int(match.group(1) or 0))
    if match := ARTICLE.match(path):
        article = state.live(int(match.group(1)))
        return article_reply(settings, state, article) if article else not_found(settings, state)
    if match := ATTACHMENT.match(path):
        article = state.live(int(match.group(1)))
        if article and article.attachment and article.attachment_kind == match.group(2):
            return attachment(article)
        return not_found(settings, state)
    if reply := alternative_listing(settings, state, path, query, base):
        return reply
    if match := OTHER_COLUMN.match(path):
        name = SIDE_NAMES[match.group(1)]
        return html(settings, None, lambda meta: pages.listing_page(
            site, [], 0, 1, footer, meta, column=name), state.footer_modified)
    return not_found(settings, state)


def listing(settings: Settings, state: State, page: int) -> Reply:
    articles = state.current()
    pages_count = max(1, math.ceil(len(articles) / settings.per_page))
    if page >= pages_count or page < 0:
        return not_found(settings, state)
    start = page * settings.per_page
    items = articles[start : start + settings.per_page]
    return html(settings, None, lambda meta: pages.listing_page(
        settings.site, items, page, pages_count, state.footer, meta), state.listing_modified)


def article_reply(settings: Settings, state: State, article: Article) -> Reply:
    modified = max(article.modified, state.footer_modified)
    if settings.live_related:
        newest = [a for a in state.newest(6) if a.id != article.id][:5]
        article = replace(article, related=tuple((a.title, a.path, a.published[:10])
                                                 for a in newest))
        modified = max(modified, state.listing_modified)
    return html(settings, article.charset,
                lambda meta: pages.article_page(settings.site, article, state.footer, meta),
                modified)


def soft_404(settings: Settings, state: State) -> Reply:
    return message(settings, state, 200, "页面不存在", "您访问的页面不存在或已被删除，请返回首页。")


def attachment(article: Article) -> Reply:
    kind = article.attachment_kind
    body = documents.render(kind, article.title, tuple(article.attachment_text))
    return Reply(200, body, documents.CONTENT_TYPES[kind],
                 article.attachment_modified or article.modified)


def alternative_listing(settings: Settings, state: State, path: str, query: dict[str, str],
                        base: str) -> Reply | None:
    """The same column listed as other CMSs list it: TRS, Hanweb, gkmlpt, sitemap, RSS."""
    articles, modified = state.current(), state.listing_modified
    if match := TRS_LISTING.match(path):
        page = int(match.group(1) or 0)
        count = max(1, math.ceil(len(articles) / settings.per_page))
        if page >= count:
            return not_found(settings, state)
        items = articles[page * settings.per_page : (page + 1) * settings.per_page]
        return html(settings, None, lambda meta: pages.trs_listing_page(
            settings.site, items, page, count, state.footer, meta), modified)
    if HANWEB_COLUMN.match(path):
        group = articles[: HANWEB_PER_PAGE * 3]
        store = pages.hanweb_datastore(group, len(articles), HANWEB_PER_PAGE, hanweb_query())
        return html(settings, None, lambda meta: pages.hanweb_column_page(
            settings.site, store, HANWEB_COLUMN_ID, HANWEB_PER_PAGE, len(articles),
            state.footer, meta), modified)
    if path == HANWEB_PROXY:
        return hanweb_proxy(articles, query, modified)
    if match := GKMLPT.match(path):
        page = int(query["page"]) if query.get("page", "").isdigit() else 1
        if page < 1 or "sid" not in query:
            return Reply(400, b'{"error":"bad request"}', "application/json;charset=UTF-8")
        body = feeds.gkmlpt(base, int(match.group(1)), articles, page, settings.per_page)
        return Reply(200, body.encode(), "application/json;charset=UTF-8", modified)
    if path == "/sitemap.xml":
        return Reply(200, feeds.sitemap_index(base).encode(), "application/xml", modified)
    if path == "/sitemap_1.xml":
        entries = [(a, max(a.modified, state.footer_modified)) for a in articles]
        return Reply(200, feeds.sitemap(base, entries).encode(), "application/xml", modified)
    if path == "/rss.xml":
        body = feeds.rss(base, settings.site.name, articles, modified)
        return Reply(200, body.encode(), "application/rss+xml; charset=utf-8", modified)
    return None


def hanweb_query() -> str:
    return (f"page=1&appid=1&webid=1&path=/&columnid={HANWEB_COLUMN_ID}&unitid=11"
            "&webname=changan&permissiontype=0")


def hanweb_proxy(articles: list[Article], query: dict[str, str], modified: datetime) -> Reply:
    """``dataproxy.jsp?startrecord=&endrecord=&perpage=``: a group of records as XML."""
    try:
        start, end = int(query["startrecord"]), int(query["endrecord"])
    except (KeyError, ValueError):
        return Reply(400, b"<error>startrecord and endrecord required</error>", "text/xml")
    if query.get("columnid") != str(HANWEB_COLUMN_ID) or start < 1 or end < start:
        return Reply(200, b"<datastore><recordset></recordset><totalrecord>0</totalrecord>"
                          b"</datastore>", "text/xml;charset=UTF-8")
    store = pages.hanweb_datastore(articles[start - 1 : end], len(articles),
                                   int(query.get("perpage") or HANWEB_PER_PAGE), hanweb_query())
    body = '<?xml version="1.0" encoding="UTF-8"?>\n' + store
    return Reply(200, body.encode(), "text/xml;charset=UTF-8", modified)
