"""Serving the families' listing pages, list APIs and documents under ``/t/<family>/``.

A family's column lists the portal's live articles in the family's URL shapes; each of
those URLs serves the article. Decoy boxes link to other columns' documents (ids from
``DECOY_ID_BASE``), which are not served.
"""

from __future__ import annotations

import json
import math
import random
import re
from datetime import datetime
from functools import cache

from portal import content, routes
from portal.listings import templates
from portal.listings.families import DECOY_ID_BASE, FAMILIES, Family
from portal.listings.templates import Doc
from portal.routes import Reply, Settings
from portal.state import Article, Charset, State

PREFIX = re.compile(r"^/t/([a-z]+)(/.*)$")
PROXY = "/module/web/jpage/dataproxy.jsp"


def start_url(base: str, name: str) -> str:
    return f"{base}/t/{name}{FAMILIES[name].start}"


def article_url(base: str, name: str, article: Article) -> str:
    return base + _doc(FAMILIES[name], article).url


def truth(base: str, name: str, articles: list[Article]) -> set[str]:
    """The URLs of the documents the family's column lists (what discovery should find)."""
    return {article_url(base, name, a) for a in articles}


def resolve(settings: Settings, state: State, path: str, query: dict[str, str]) -> Reply | None:
    match = PREFIX.match(path)
    if match is None or match.group(1) not in FAMILIES:
        return None
    family, rest = FAMILIES[match.group(1)], match.group(2)
    articles = state.current()
    if (article := _article(family, rest, query, state)) is not None:
        return routes.article_reply(settings, state, article)
    pages = max(1, math.ceil(len(articles) / family.per_page))
    number = _page_number(family, rest, query)
    if number is not None:
        if number > pages:
            return routes.not_found(settings, state)
        if family.mode in ("embedded", "api", "api-html", "render") and number > 1:
            return routes.not_found(settings, state)
        return _listing(settings, state, family, articles, number, pages)
    if family.api and rest == family.api:
        return _api(family, articles, query, state)
    if family.mode == "datastore" and rest == PROXY:
        return _proxy(family, articles, query, state)
    return routes.not_found(settings, state)


def _listing(settings: Settings, state: State, family: Family, articles: list[Article],
             number: int, pages: int) -> Reply:
    prefix = f"/t/{family.name}"
    if family.mode == "datastore":
        shown = articles[: family.per_page * 3]
    else:
        shown = articles[(number - 1) * family.per_page: number * family.per_page]
    docs = [_doc(family, a) for a in shown]
    charset = Charset(family.charset) if family.charset != "utf-8" else settings.charset
    decoys = _decoys(family, settings.site.town)

    def render(meta: str | None) -> str:
        text = templates.page(family, settings.site.name, meta, docs, number, pages, decoys,
                              prefix)
        return text.replace("{total}", str(len(articles)))

    return routes.html(settings, charset, render, state.listing_modified)


def _api(family: Family, articles: list[Article], query: dict[str, str], state: State) -> Reply:
    inner = json.loads(query["paramJson"]) if query.get("paramJson", "").startswith("{") else {}
    number_text = str(inner.get("pageNo") or query.get("pageNo") or query.get("page") or "1")
    number = int(number_text) if number_text.isdigit() else 1
    size = family.per_page
    shown = articles[(number - 1) * size: number * size]
    docs = [_doc(family, a) for a in shown]
    if family.mode == "api":  # the gkmlpt catalogue's answer
        data: dict[str, object] = {
            "articles": [{"id": d.id, "title": d.title, "url": d.url,
                          "first_publish_time": int(_moment(d).timestamp())} for d in docs],
            "total": len(articles), "page": number,
        }
    elif family.mode == "api-html":  # rendered HTML with its pager: the count is text only
        rows = "".join(family.item.format(**templates.fields(d)) for d in docs)
        pages = math.ceil(len(articles) / size)
        pager = f'<div class="page">共{pages}页 <a href="javascript:;">下一页</a></div>'
        data = {"success": True,
                "data": {"html": f"{family.list_open}{rows}{family.list_close}{pager}"}}
    else:
        data = {"success": True, "data": {"articleList": templates.records(docs),
                                          "total": len(articles), "pageSize": size}}
    body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    return Reply(200, body, "application/json;charset=UTF-8", state.listing_modified)


def _proxy(family: Family, articles: list[Article], query: dict[str, str], state: State) -> Reply:
    try:
        start, end = int(query["startrecord"]), int(query["endrecord"])
    except (KeyError, ValueError):
        return Reply(400, b"<error>startrecord and endrecord required</error>", "text/xml")
    docs = [_doc(family, a) for a in articles[start - 1: end]]
    body = templates.datastore(family, docs, len(articles)).encode("utf-8")
    return Reply(200, body, "text/xml;charset=UTF-8", state.listing_modified)


def _page_number(family: Family, rest: str, query: dict[str, str]) -> int | None:
    full = rest + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
    if full == family.start or (rest == family.start and family.mode != "html"):
        return 1
    if not family.page:
        return None
    pattern = re.escape(family.page).replace(r"\{n\}", r"(\d+)")
    if match := re.fullmatch(pattern, full):
        number = int(match.group(1)) - family.page_offset
        return number if number >= 2 else None
    return None


def _article(family: Family, rest: str, query: dict[str, str], state: State) -> Article | None:
    full = rest + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
    match = _article_pattern(family.name).fullmatch(full)
    if match is None:
        return None
    value = match.group("id")
    article_id = int(value, 16) if len(value) == 32 else int(value)
    article = state.live(article_id) if article_id in state.articles else None
    if article is None or _doc(family, article).url != f"/t/{family.name}{full}":
        return None
    return article


@cache
def _article_pattern(name: str) -> re.Pattern[str]:
    family = FAMILIES[name]
    pattern = re.escape(family.article)
    for key, regex in (("id", r"(?P<id>\d+)"), ("hex", r"(?P<id>[0-9a-f]{32})"),
                       ("ymd", r"\d{8}"), ("ym", r"\d{6}"), ("y", r"\d{4}"),
                       ("m", r"\d{1,2}"), ("d", r"\d{1,2}")):
        pattern = pattern.replace(re.escape("{" + key + "}"), regex)
    return re.compile(pattern)


def _doc(family: Family, article: Article) -> Doc:
    date = article.published[:10]
    probe = Doc(article.id, article.title, date, "")
    path = family.article.format(**templates.fields(probe))
    return Doc(article.id, article.title, date, f"/t/{family.name}{path}")


@cache
def _decoys(family: Family, town: str) -> list[Doc]:
    """Other columns' documents, in the family's URL shapes."""
    rng = random.Random(f"decoys:{family.name}")
    drafts = content.generate(rng, 21, town, datetime(2026, 2, 20, 10, 0))
    docs = []
    for index, draft in enumerate(drafts):
        probe = Doc(DECOY_ID_BASE + index * 37, draft.title, draft.published.strftime("%Y-%m-%d"),
                    "")
        path = family.article.format(**templates.fields(probe))
        docs.append(Doc(probe.id, probe.title, probe.date, f"/t/{family.name}{path}"))
    return docs


def _moment(doc: Doc) -> datetime:
    return datetime.strptime(doc.date + " 09:00", "%Y-%m-%d %H:%M")
