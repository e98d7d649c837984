"""Turning a Scrapy response into a page observation: the one place extraction happens.

HTML and text pages go through the page extractor, attachments (PDF, DOCX, …) through
``extractor.documents``; anything else is passed on unextracted and recorded as an error.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

from scrapy.http import Response

from config import MAX_PAGE_BYTES
from crawler.confirm import CONFIRMING
from extractor import extract
from extractor.documents import document_format, extract_document
from tracker.observations import Page

EXTRACTABLE_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "")
# Titles that error pages served with status 200 carry.
ERROR_TITLE = re.compile(
    r"页面不存在|页面未找到|找不到.{0,4}页面|页面已删除|^\s*404\b|\bnot found\b|^\s*出错了", re.I
)
HOME_PATHS = ("", "/", "/index.html", "/index.htm", "/index.shtml", "/index.jsp", "/default.htm")


def page_from_response(
    response: Response,
    requested_url: str,
    parent_url: str | None = None,
    *,
    max_bytes: int = MAX_PAGE_BYTES,
) -> Page:
    headers = {
        key.decode("latin-1").lower(): b", ".join(values).decode("latin-1")
        for key, values in response.headers.items()
    }
    page = Page(
        url=requested_url,
        final_url=response.url,
        status=response.status,
        headers=headers,
        body=response.body,
        fetched_at=datetime.now(UTC),
        parent_url=parent_url,
        confirming=response.meta.get(CONFIRMING),
    )
    if response.status != 200:
        return page
    content_type = headers.get("content-type", "").split(";")[0].strip().lower()
    kind = document_format(response.url, content_type, response.body)
    if kind is not None:
        page.extraction = extract_document(response.body, response.url, kind=kind)
    elif content_type in EXTRACTABLE_TYPES:
        page.extraction = extract(
            response.body, response.url, content_type=content_type, max_bytes=max_bytes
        )
        page.soft_404 = _soft_404(page, requested_url)
    return page


def _soft_404(page: Page, requested_url: str) -> str | None:
    if (
        urlsplit(requested_url).path not in HOME_PATHS
        and urlsplit(page.final_url).path in HOME_PATHS
    ):
        return f"redirected to the home page {page.final_url}"
    title = page.extraction.title if page.extraction else None
    if title and len(title) < 40 and ERROR_TITLE.search(title):
        return f"error page: {title}"
    return None
