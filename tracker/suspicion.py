"""Judging a fetched page before it may become a version.

Portals and their security gateways serve outage pages with status 200: maintenance notices,
sign-in walls, captchas, WAF block pages, bodies cut off mid-paragraph. A ``system`` verdict
is such a page by its own signals and is never stored. A ``suspect`` verdict is a change too
large to believe from one fetch (most of the stored text gone, a body that stops where the
stored one goes on): it is fetched again after a delay and recorded only if it holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from tracker import outage_rules as rules
from tracker.observations import Page

HTML_TYPES = ("text/html", "application/xhtml+xml", "")


@dataclass(frozen=True)
class Verdict:
    kind: Literal["system", "suspect", "truncated"]
    reason: str


@dataclass(frozen=True)
class Stored:
    """What the judgement needs of the stored version."""

    text: str
    title: str | None
    raw: bytes


def judge(page: Page, stored: Stored | None) -> Verdict | None:
    """A verdict on a fetched, extracted page, or None when it may be believed as it is."""
    reason = system_page(page, stored)
    if reason:
        return Verdict("system", reason)
    if stored is None:
        return None
    text = page.extraction.text if page.extraction else ""
    if (
        _is_html(page)
        and len(text) < len(stored.text)  # a cut body loses text; a new template need not
        and _closed(stored.raw)
        and not _closed(page.body)
    ):
        return Verdict("truncated", "the page stops before its end, where the stored one closes")
    if stops_mid_sentence(text, stored.text):
        return Verdict("suspect", "the text stops mid-sentence where the stored version goes on")
    kept = kept_share(stored.text, text)
    if kept < rules.KEPT_SHARE_MIN:
        return Verdict("suspect", f"only {kept:.0%} of the stored text is left")
    return None


def system_page(page: Page, stored: Stored | None) -> str | None:
    """Why the page is a sign-in, captcha, block or maintenance page, or None."""
    if not _is_html(page) or page.extraction is None:
        return None
    if page.final_url != page.url and _sign_in_url(page.final_url) and not _sign_in_url(page.url):
        return f"redirected to a sign-in page {page.final_url}"
    stored_raw = stored.raw if stored else b""
    if rules.PASSWORD_FIELD.search(page.body) and not rules.PASSWORD_FIELD.search(stored_raw):
        return "a password form the stored page did not have (a login wall)"
    if rules.CAPTCHA_FIELD.search(page.body) and not rules.CAPTCHA_FIELD.search(stored_raw):
        return "a captcha the stored page did not have"
    text, title = page.extraction.text, page.extraction.title or ""
    if not text.strip() or len(text) >= rules.TINY_TEXT_CHARS:
        return None  # an empty page is an error of its own kind (empty_text)
    # A short page in the site's own frame is a short document (a notice, a withdrawal).
    share = frame_share(stored.raw, page.body) if stored is not None else None
    if share is not None and share < rules.FRAME_SHARE_MIN:
        return (
            f"{len(text)} characters outside the site's frame "
            f"({share:.0%} of the stored page's links)"
        )
    if (
        share is None
        and not page.extraction.published_at  # notices are dated; system pages are not
        and rules.SYSTEM_TITLE.search(title)
        and not (stored and stored.title and rules.SYSTEM_TITLE.search(stored.title))
    ):
        return f"a system page titled {title!r}"
    return None


def kept_share(old: str, new: str) -> float:
    """The share of the old text's character pairs that the new text still has."""
    before = _pairs(old)
    if not before:
        return 1.0
    return len(before & _pairs(new)) / len(before)


def stops_mid_sentence(new: str, old: str) -> bool:
    """The new text's last line ends without a full stop, and the old one goes on from it."""
    lines = new.rstrip().splitlines()
    if not lines or not lines[-1].strip():
        return False
    last = lines[-1].strip()
    if last[-1] in rules.SENTENCE_ENDS or len(old) <= len(new):
        return False
    return any(
        line.strip().startswith(last) and len(line.strip()) > len(last)
        for line in old.splitlines()
    )


def frame_share(stored_raw: bytes, body: bytes) -> float | None:
    """The share of the stored page's links (its menus and footer) the new page still has."""
    before = _links(stored_raw)
    if len(before) < rules.FRAME_MIN_LINKS:
        return None
    return len(before & _links(body)) / len(before)


def _links(body: bytes) -> set[bytes]:
    return {
        match.group(1)
        for match in rules.LINK.finditer(body)
        if not rules.IGNORED_LINK.match(match.group(1))
    }


def _pairs(text: str) -> set[str]:
    compact = "".join(text.split())
    return {compact[i : i + 2] for i in range(len(compact) - 1)}


def _closed(body: bytes) -> bool:
    return rules.CLOSING_TAG.search(body[-rules.TAIL_BYTES :]) is not None


def _sign_in_url(url: str) -> bool:
    parts = urlsplit(url)
    return rules.SIGN_IN_URL.search(f"{parts.path}?{parts.query}") is not None


def _is_html(page: Page) -> bool:
    content_type = page.headers.get("content-type", "").split(";")[0].strip().lower()
    return content_type in HTML_TYPES and not page.body.startswith(b"%PDF")
