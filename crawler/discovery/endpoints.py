"""List APIs a script-rendered page calls, found in its scripts, and their JSON answers' paging.

A page that renders its list in the browser names the API it calls (``$.ajax({url: …,
data: {pageNo: 1, pageSize: 15, columnId: …}})``, ``fetch('/api/…?page=1')``); the call is
repeated here, and the answer's totals (``totalPage``, ``total`` over ``pageSize``) give the
further pages by the page parameter the call used.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from crawler.discovery import vocabulary as words
from crawler.discovery.paging import TEXT_TOTALS
from crawler.discovery.records import html_fragments, js_literal, matching_bracket

STRING = re.compile(r"""(['"])((?:https?://|/|\.{1,2}/)?[\w\-./]+(?:\?[^'"\s]*)?)\1""")
# $.ajax({url: …, data: {…}}) or $.get(url, {…})
DATA_OBJECT = re.compile(r"(?:\bdata\s*:\s*|^\s*,\s*)\{")
LIST_PATH = re.compile(r"list|article|docs?\b|column|gkml|catalog|info", re.I)
POST = re.compile(r"""\b(?:type|method)\s*:\s*['"]post['"]""", re.I)
CALL_WINDOW = 600
MAX_PAGES = 2000


@dataclass(frozen=True)
class Call:
    url: str
    method: str = "GET"
    form: tuple[tuple[str, str], ...] = ()


def api_calls(scripts: str, page_url: str) -> list[Call]:
    """Calls to list APIs that the page's scripts make, first page first."""
    calls: list[Call] = []
    for match in STRING.finditer(scripts):
        path = match.group(2)
        if not words.API_HINT.search(path) or path.endswith((".js", ".css")):
            continue
        window = scripts[match.end(): match.end() + CALL_WINDOW]
        params: dict[str, str] = {}
        data = DATA_OBJECT.search(window)
        end = matching_bracket(window, data.end() - 1) if data is not None else None
        if data is not None and end is not None:
            value = js_literal(window[data.end() - 1: end])
            if isinstance(value, dict):
                params = {k: str(v) for k, v in value.items() if isinstance(v, str | int | float)}
        url = urljoin(page_url, path)
        method = "POST" if POST.search(window) else "GET"
        probe_call = Call(_with_params(url, params))
        if _page_slot(probe_call) is None and not LIST_PATH.search(path):
            continue  # a counter, a login check, a weather widget: not a list
        if method == "POST":
            call = Call(url, "POST", tuple(params.items()))
        else:
            call = Call(_with_params(url, params))
        if call not in calls:
            calls.append(call)
    return calls


def next_calls(data: object, call: Call) -> list[Call]:
    """From the first page's JSON answer: the calls for every later page."""
    slot = _page_slot(call)
    if slot is None:
        return []
    current, with_page, params = slot
    if current > 1:
        return []  # the first page names them all
    total = _total_pages(data, params)
    if total is None:
        return []
    return [with_page(n) for n in range(current + 1, min(total + current, MAX_PAGES + 1))]


def _page_slot(call: Call) -> tuple[int, Callable[[int], Call], dict[str, str]] | None:
    """Where a call numbers its page: (current page, a call for page n, all parameters).

    A query or form parameter (``pageNo=1``), or a key inside a parameter that holds JSON
    (``paramJson={"pageNo":1,"pageSize":15}``, as newer CMS platforms send).
    """
    query = dict(parse_qsl(urlsplit(call.url).query, keep_blank_values=True))
    form = dict(call.form)
    for in_form, params in ((True, form), (False, query)):
        for name in words.PAGE_PARAMS:
            if params.get(name, "").isdigit():
                return (int(params[name]), partial(_set, call, in_form, name, None),
                        query | form)
        for key, value in params.items():
            inner = _json_object(value)
            for name in words.PAGE_PARAMS:
                if inner is not None and str(inner.get(name, "")).isdigit():
                    flat = {k: str(v) for k, v in inner.items()}
                    return (int(inner[name]), partial(_set, call, in_form, key, (inner, name)),
                            query | form | flat)
    return None


def _set(call: Call, in_form: bool, key: str, inner: tuple[dict, str] | None,
         number: int) -> Call:
    if inner is None:
        value = str(number)
    else:
        obj, name = inner
        value = json.dumps({**obj, name: number}, ensure_ascii=False, separators=(",", ":"))
    if in_form:
        return Call(call.url, call.method, tuple((k, value if k == key else v)
                                                 for k, v in call.form))
    return Call(_with_params(call.url, {key: value}), call.method, call.form)


def _json_object(value: str) -> dict | None:
    if not value.startswith("{"):
        return None
    try:
        parsed = json.loads(value)
    except ValueError:
        return None
    return parsed if isinstance(parsed, dict) else None


def _total_pages(data: object, params: dict[str, str]) -> int | None:
    found = _numbers(data)
    for name in words.PAGE_COUNT_VARS:
        if name in found:
            return found[name]
    size = next((found[n] for n in words.PAGE_SIZE_VARS if n in found), None)
    size = size or next((int(params[n]) for n in words.PAGE_SIZE_VARS
                         if params.get(n, "").isdigit()), None)
    records = next((found[n] for n in words.RECORD_COUNT_VARS if n in found), None)
    if size and records is not None:
        return max(1, math.ceil(records / size))
    for fragment in html_fragments(data):  # an answer of rendered HTML prints its pager
        for pattern in TEXT_TOTALS:
            if match := pattern.search(fragment):
                return int(match.group(1))
    return None


def _numbers(data: object, depth: int = 0) -> dict[str, int]:
    found: dict[str, int] = {}
    if depth > 4 or not isinstance(data, dict):
        return found
    for key, value in data.items():
        if isinstance(value, int) and not isinstance(value, bool):
            found.setdefault(key, value)
        elif isinstance(value, str) and value.isdigit() and len(value) < 9:
            found.setdefault(key, int(value))
        elif isinstance(value, dict):
            for inner, number in _numbers(value, depth + 1).items():
                found.setdefault(inner, number)
    return found


def _with_params(url: str, params: dict[str, str]) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True)) | params
    return urlunsplit(parts._replace(query=urlencode(query), fragment=""))


def load_json(text: str) -> object | None:
    stripped = text.strip()
    if stripped.startswith(("(", "callback(")) or re.match(r"^[\w$.]+\(", stripped):
        stripped = stripped[stripped.index("(") + 1: stripped.rindex(")")]  # JSONP
    try:
        return json.loads(stripped)
    except ValueError:
        return None
