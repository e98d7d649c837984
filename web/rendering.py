"""Turning stored text into HTML safely, and the Jinja2 environment that does it.

Scraped text is hostile. Autoescape is on for every template; the only markup built in
Python is the diff (``tracker.render`` escapes every piece of text) and search highlights
(escaped here, then marked). Links to scraped URLs are made only for http(s) URLs.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup, escape

from extractor.pagetime import page_time
from storage.models import Version
from tracker.diff import Diff
from tracker.render import render_html, render_side_by_side

TEMPLATES = Path(__file__).with_name("templates")
SCRIPTS = ("original", "simplified", "traditional")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # everywhere, whatever the file name
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["http_url"] = http_url
    env.filters["when"] = when
    env.filters["highlight"] = highlight
    env.filters["page_time"] = page_time
    return env


def http_url(url: str | None) -> str | None:
    """The URL if it is an absolute http(s) URL (never javascript:, data: and the like)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def when(moment: str | None) -> str:
    """An ISO time as 'YYYY-MM-DD HH:MM' (UTC), or a dash."""
    return moment[:16].replace("T", " ") if moment else "—"


def highlight(snippet: str, spans: list[list[int]] | list[tuple[int, int]]) -> Markup:
    """A snippet with its matches in <mark>: every piece escaped first."""
    out: list[str] = []
    at = 0
    for start, end in spans:
        out.append(str(escape(snippet[at:start])))
        out.append(f"<mark>{escape(snippet[start:end])}</mark>")
        at = end
    out.append(str(escape(snippet[at:])))
    return Markup("".join(out))


@functools.cache
def _s2t() -> Any:
    import opencc

    return opencc.OpenCC("s2t")


def text_in_script(version: Version, script: str) -> str:
    """The clean text as stored, in simplified script, or in traditional script.

    Control characters (terminal escapes and the like, never meaningful in a page) are
    shown as U+FFFD, as the tracker's renderings do."""
    if script == "simplified":
        text = version.text_simplified
    elif script == "traditional":
        text = _s2t().convert(version.text_simplified)
    else:
        text = version.text
    return _CONTROL.sub("\ufffd", text)


def diff_markup(diff: Diff, view: str) -> Markup:
    """The diff rendered by the tracker, side by side or inline."""
    rendered = render_side_by_side(diff) if view == "side" else render_html(diff)
    return Markup(rendered)  # tracker.render escapes all text
