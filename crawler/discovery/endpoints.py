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
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from crawler.discovery import vocabulary as words
from crawler.discovery.records import _from_js

STRING = re.compile(r"""(['"])((?:https?://|/|\.{1,2}/)?[\w\-./]+(?:\?[^'"\s]*)?)\1""")
# $.ajax({url: …, data: {…}}) or $.get(url, {…})
DATA_OBJECT = re.compile(r"(?:\bdata\s*:\s*|^\s*,\s*)(\{[^{}]{0,600}\})")
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
        if (data := DATA_OBJECT.search(window)) is not None:
            value = _from_js(data.group(1))
            if isinstance(value, dict):
                params = {k: str(v) for k, v in value.items() if isinstance(v, str | int | float)}
        url = urljoin(page_url, path)
        query = dict(parse_qsl(urlsplit(url).query)) | params
        if not any(p in query for p in words.PAGE_PARAMS) and not LIST_PATH.search(path):
            continue  # a counter, a login check, a weather widget: not a list
        method = "POST" if POST.search(window) else "GET"
        if method == "POST":
            call = Call(url, "POST", tuple(params.items()))
        else:
            call = Call(_with_params(url, params))
        if call not in calls:
            calls.append(call)
    return calls


def next_calls(data: object, call: Call) -> list[Call]:
    """From the first page's JSON answer: the calls for every later page."""
    params = dict(parse_qsl(urlsplit(call.url).query, keep_blank_values=True)) | dict(call.form)
    name = next((p for p in words.PAGE_PARAMS if p in params), None)
    if name is None or not params[name].isdigit():
        return []
    current = int(params[name])
    if current > 1:
        return []  # the first page names them all
    total = _total_pages(data, params)
    if total is None:
        return []
    calls = []
    for number in range(current + 1, min(total + current, MAX_PAGES + 1)):
        if call.method == "POST" and name in dict(call.form):
            form = tuple((k, str(number) if k == name else v) for k, v in call.form)
            calls.append(Call(call.url, "POST", form))
        else:
            calls.append(Call(_with_params(call.url, {name: str(number)}), call.method,
                              call.form))
    return calls


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
