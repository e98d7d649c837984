"""Attachments: links in the body to documents (reports often come as PDF/DOC/WPS/XLS)."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from lxml import etree

from extractor.model import Attachment
from extractor.tree import text_content

_DOCUMENT_LINK = re.compile(
    r"\.(?:pdf|docx?|wps|xlsx?|et|ofd|zip|rar)(?:$|[?#])|/module/download/downfile\.jsp",
    re.IGNORECASE,
)


def find(scope: etree._Element | None, base_url: str | None) -> list[Attachment]:
    """Document links under scope, absolute when a base URL is known, each once."""
    if scope is None:
        return []
    found: list[Attachment] = []
    seen: set[str] = set()
    for link in scope.iter("a"):
        href = (link.get("href") or "").strip()
        if not href or not _DOCUMENT_LINK.search(href):
            continue
        url = urljoin(base_url, href) if base_url else href
        if url in seen:
            continue
        seen.add(url)
        text = " ".join(text_content(link).split()) or (link.get("title") or "").strip()
        found.append(Attachment(url=url, text=text))
    return found
