"""Document records in JSON: arrays of objects with a title, a URL and a date, whatever
the keys are called.

Script-rendered listings carry their first page as JSON in the page (``var articleList =
[...]``, ``<script type="application/json">``) and fetch later pages from a JSON API. Both
are read here: every array of objects is a candidate, its keys are given roles by their
values (a URL-like value, a title-like text, a date), and the array whose records read most
like documents wins. JavaScript object literals (unquoted keys, single quotes) are read too.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from urllib.parse import urljoin

from crawler.discovery import vocabulary as words
from crawler.discovery.blocks import CJK, Item, title_likeness
from crawler.discovery.dates import date_from_value
from crawler.links import clean_url

URLISH = re.compile(r"^(?:https?://|/|\./|\.\./)[^\s<>\"']*$|^[\w./-]+\.(?:s?html?|jsp|aspx?|php)"
                    r"(?:\?[^\s<>\"']*)?$", re.I)
ARRAY_START = re.compile(r"\[\s*\{")
JS_KEY = re.compile(r"([{,]\s*)([A-Za-z_$][\w$]*)\s*:")
JS_STRING = re.compile(r"'((?:[^'\\\n]|\\.)*)'")
TRAILING_COMMA = re.compile(r",\s*([}\]])")
MIN_QUALITY = 0.45
MAX_SCRIPT = 2_000_000


def records_in_scripts(scripts: list[str], base_url: str) -> list[Item]:
    """The best list of document records found in the page's scripts."""
    best: list[Item] = []
    best_score = 0.0
    for script in scripts:
        for value in _json_values(script[:MAX_SCRIPT]):
            items, score = best_records(value, base_url)
            if score > best_score:
                best, best_score = items, score
    return best


def best_records(data: object, base_url: str) -> tuple[list[Item], float]:
    """The array of objects in ``data`` that reads most like a list of documents."""
    best: list[Item] = []
    best_score = 0.0
    for array in _arrays_of_objects(data):
        items, quality = _read(array, base_url)
        score = quality * len(items) ** 0.5
        if quality >= MIN_QUALITY and score > best_score:
            best, best_score = items, score
    return best, best_score


def html_fragments(data: object) -> Iterator[str]:
    """Strings in a JSON answer that hold list markup (APIs that return rendered HTML)."""
    if isinstance(data, str):
        if "<a " in data or "<a\n" in data:
            yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from html_fragments(value)
    elif isinstance(data, list):
        for value in data:
            yield from html_fragments(value)


def _arrays_of_objects(data: object, depth: int = 0) -> Iterator[list[dict]]:
    if depth > 8:
        return
    if isinstance(data, list):
        objects = [x for x in data if isinstance(x, dict)]
        if objects and len(objects) >= len(data) / 2:
            yield objects
        for value in data:
            yield from _arrays_of_objects(value, depth + 1)
    elif isinstance(data, dict):
        for value in data.values():
            yield from _arrays_of_objects(value, depth + 1)


def _read(records: list[dict], base_url: str) -> tuple[list[Item], float]:
    url_key = _best_key(records, _url_value, words.URL_KEYS)
    title_key = _best_key(records, _title_value, words.TITLE_KEYS)
    if url_key is None or title_key is None or url_key == title_key:
        return [], 0.0
    date_key = _best_key(records, lambda v: date_from_value(v) is not None, words.DATE_KEYS)
    items = []
    for record in records:
        url, title = record.get(url_key), record.get(title_key)
        if not isinstance(url, str) or not _url_value(url) or not isinstance(title, str):
            continue
        title = html.unescape(re.sub(r"<[^>]+>", "", title)).strip()
        published = date_from_value(record.get(date_key)) if date_key else None
        items.append(Item(clean_url(urljoin(base_url, url.strip())), title, published))
    if not items:
        return [], 0.0
    titles = [i.title for i in items]
    quality = (
        0.5 * sum(title_likeness(t) for t in titles) / len(items)
        + 0.2 * (1.0 if date_key else 0.0)
        + 0.2 * len(items) / len(records)
        + 0.1 * sum(1 for t in titles if CJK.search(t)) / len(items)
    )
    return items, quality


def _best_key(records: list[dict], test, hint: re.Pattern[str]) -> str | None:  # noqa: ANN001
    scores: dict[str, float] = {}
    for record in records:
        for key, value in record.items():
            if test(value):
                scores[key] = scores.get(key, 0.0) + 1.0
    candidates = [
        (count / len(records) + (0.3 if hint.search(key) else 0.0)
         + (_mean_length(records, key) / 1000 if test is _title_value else 0.0), key)
        for key, count in scores.items() if count / len(records) >= 0.6
    ]
    return max(candidates)[1] if candidates else None


def _mean_length(records: list[dict], key: str) -> float:
    values = [len(r[key]) for r in records if isinstance(r.get(key), str)]
    return sum(values) / len(values) if values else 0.0


def _url_value(value: object) -> bool:
    return isinstance(value, str) and 2 < len(value) < 2000 and bool(URLISH.match(value.strip()))


def _title_value(value: object) -> bool:
    return isinstance(value, str) and not _url_value(value) and len(value.strip()) >= 2 and \
        date_from_value(value) is None


def _json_values(script: str) -> Iterator[object]:
    """Every JSON or JS-literal array of objects in a script, and a JSON script as a whole."""
    stripped = script.strip()
    if stripped[:1] in "[{":
        try:
            yield json.loads(stripped)
            return
        except ValueError:
            pass
    decoder = json.JSONDecoder()
    position = 0
    while (match := ARRAY_START.search(script, position)) is not None:
        start = match.start()
        end = matching_bracket(script, start)
        if end is None:
            position = start + 1
            continue
        chunk = script[start:end]
        try:
            value, _ = decoder.raw_decode(chunk)
        except ValueError:
            value = js_literal(chunk)
        if value is not None:
            yield value
        position = end


def matching_bracket(text: str, start: int) -> int | None:
    depth = 0
    quote = ""
    escaped = False
    for index in range(start, min(len(text), start + MAX_SCRIPT)):
        char = text[index]
        if quote:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == quote:
                quote = ""
            continue
        if char in "'\"":
            quote = char
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth == 0:
                return index + 1
    return None


def js_literal(chunk: str) -> object | None:
    text = JS_STRING.sub(lambda m: json.dumps(m.group(1).replace("\\'", "'")), chunk)
    text = JS_KEY.sub(r'\1"\2":', text)
    text = TRAILING_COMMA.sub(r"\1", text)
    try:
        return json.loads(text)
    except ValueError:
        return None
