"""From a path to a response, read from the state (the caller holds the lock)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from portal import pages, responses
from portal.state import COLUMN, Article, Charset, State

LISTING = re.compile(rf"^{COLUMN}(?:index(?:_(\d+))?\.html)?$")
ARTICLE = re.compile(rf"^{COLUMN}content/post_(\d+)\.html$")
ATTACHMENT = re.compile(r"^/attachment/0/403/403768/(\d+)\.pdf$")
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


def resolve(settings: Settings, state: State, path: str) -> Reply:
    site, footer = settings.site, state.footer
    if path == "/robots.txt":
        return Reply(200, pages.robots().encode(), "text/plain; charset=utf-8")
    if path in ("/", "/index.html"):
        latest = state.current()[:8]
        return html(settings, None, lambda meta: pages.home_page(site, latest, footer, meta),
                    state.listing_modified)
    if path.startswith("/admin/"):
        return Reply(403, pages.nginx_error(403, "Forbidden").encode(), "text/html")
    if match := LISTING.match(path):
        return listing(settings, state, int(match.group(1) or 0))
    if match := ARTICLE.match(path):
        article = state.live(int(match.group(1)))
        return article_reply(settings, state, article) if article else not_found(settings, state)
    if match := ATTACHMENT.match(path):
        article = state.live(int(match.group(1)))
        if article and article.attachment:
            return Reply(200, responses.pdf(article.title), "application/pdf", article.modified)
        return not_found(settings, state)
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
    return html(settings, article.charset,
                lambda meta: pages.article_page(settings.site, article, state.footer, meta),
                modified)


def soft_404(settings: Settings, state: State) -> Reply:
    return message(settings, state, 200, "页面不存在", "您访问的页面不存在或已被删除，请返回首页。")
