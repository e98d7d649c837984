"""Is a page the official copy? A ``*.gov.cn`` host, or a page with a ``SiteIDCode`` meta tag.

The extractor decides it for every page (``Extraction.official``); ``site_id_code_in``
reads the tag from stored raw bytes, for versions stored before the flag existed.

The 2017 national web design standard gives every government site a ``SiteIDCode``;
mirrors and content farms copy the text but rarely the head of the page.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# <meta name="SiteIDCode" content="..."> in either attribute order, in the raw bytes.
_SITE_ID_CODE = re.compile(rb"<meta\s[^>]*?name\s*=\s*[\"']?SiteIDCode[\"']?[^>]*>", re.IGNORECASE)
_CONTENT = re.compile(rb"content\s*=\s*[\"']?([^\"'\s>]+)", re.IGNORECASE)


def is_gov_host(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return host == "gov.cn" or host.endswith(".gov.cn")


def is_official(url: str, site_id_code: str | None) -> bool:
    return is_gov_host(url) or bool(site_id_code and site_id_code.strip())


def site_id_code_in(raw: bytes) -> str | None:
    """The SiteIDCode of a stored raw page (for versions stored before the flag existed)."""
    match = _SITE_ID_CODE.search(raw[:200_000])
    if not match:
        return None
    content = _CONTENT.search(match.group())
    return content.group(1).decode("ascii", "replace") if content else None
