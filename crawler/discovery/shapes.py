"""URL shapes: a URL with its numbers and ids abstracted, and allow patterns built from them.

Two documents of one column differ only in their numbers, dates and ids, so their shapes
agree; navigation links name different folders and do not. The same abstraction writes the
``allow`` pattern a probe suggests.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from urllib.parse import urlsplit

# A long hex id (a 32-hex UUID or digest); a run of 16 or more digits reads the same.
HEX_ID = re.compile(r"(?<![0-9a-zA-Z])(?=[0-9a-f]*\d)[0-9a-f]{16,}(?![0-9a-zA-Z])")
DIGITS = re.compile(r"\d+")
TOKEN = re.compile(r"(\x00H|\x00D)")
LEAF_DOCUMENT = re.compile(r"\d|\.(?:s?html?|jsp|aspx?|php|do|pdf|docx?|wps|xlsx?)$", re.I)
INDEX_LEAF = re.compile(r"^(?:index|default|list|more)(?:[_-]\d+)?\.\w+$", re.I)


def shape(url: str) -> str:
    """The path and query keys of a URL with hex ids and digit runs abstracted."""
    parts = urlsplit(url)
    path = HEX_ID.sub("\x00H", parts.path)
    path = DIGITS.sub("\x00D", path)
    keys = "&".join(sorted(k.split("=", 1)[0] for k in parts.query.split("&") if k))
    return f"{path}?{DIGITS.sub(chr(0) + 'D', keys)}" if keys else path


def looks_like_document(url: str) -> bool:
    """A leaf that names one thing (a number, an id, a file), not a folder or an index."""
    parts = urlsplit(url)
    leaf = parts.path.rsplit("/", 1)[-1]
    if not leaf:
        return bool(re.search(r"(?:^|&)\w*id=\d", parts.query))
    if INDEX_LEAF.match(leaf):
        return False
    return bool(LEAF_DOCUMENT.search(leaf)) or bool(parts.query)


def dominant_share(urls: list[str]) -> tuple[str, float]:
    """The most common shape among URLs, and the share of URLs that have it."""
    if not urls:
        return "", 0.0
    counts = Counter(shape(u) for u in urls)
    top, count = counts.most_common(1)[0]
    return top, count / len(urls)


def allow_patterns(urls: Iterable[str], cover: float = 0.9) -> list[str]:
    """Regular expressions, one per common shape, that together match ``cover`` of the URLs."""
    urls = list(urls)
    counts = Counter(_pattern(u) for u in urls)
    chosen: list[str] = []
    covered = 0
    for pattern, count in counts.most_common():
        if covered >= cover * len(urls):
            break
        chosen.append(pattern)
        covered += count
    return chosen


def _pattern(url: str) -> str:
    parts = urlsplit(url)
    text = HEX_ID.sub("\x00H", parts.path)
    text = DIGITS.sub("\x00D", text)
    pieces = []
    for piece in TOKEN.split(text):
        if piece == "\x00H":
            pieces.append("[0-9a-f]{16,}")
        elif piece == "\x00D":
            pieces.append(r"\d+")
        elif piece:
            pieces.append(re.escape(piece))
    pattern = "".join(pieces)
    if parts.query:
        keys = [k.split("=", 1)[0] for k in parts.query.split("&") if k]
        id_keys = [k for k in keys if k.lower() == "id"] or [
            k for k in keys if re.search(r"id$", k, re.I)][-1:] or keys[-1:]
        pattern += r"\?" + "".join(rf"(?:.*&)?{re.escape(k)}=\w+" for k in id_keys)
        return pattern
    return pattern + "$"
