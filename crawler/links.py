"""Which links on a listing page are articles, and which lead to further listing pages."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urldefrag, urlsplit

# Article URL shapes of the common government CMSs (see FIELD-NOTES section 2), used when a
# source names no `allow` patterns.
DEFAULT_ARTICLE_PATTERNS = (
    r"/content/m?post_\d+\.html?$",  # Guangdong intensive platform
    r"/t\d{8}_\d+\.s?html?$",  # TRS WCM
    r"/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html?$",  # Hanweb jcms
    r"/\d{4}-?\d{2}/\d{2}/(?:content|c)_\d+\.html?$",  # www.gov.cn and peers
    r"/(?:content|article|detail|info)[_/-]?\d+\.html?$",
    r"/\d{6,}\.s?html?$",
)
NEXT_PAGE_TEXTS = ("下一页", "下页", "下一頁", "后页", "next", "Next", "›", "»", ">")
LISTING_PAGE = re.compile(r"/index_(\d+)\.s?html?$")
SKIPPED_EXTENSIONS = re.compile(
    r"\.(?:jpg|jpeg|png|gif|bmp|svg|webp|ico|css|js|zip|rar|7z|mp3|mp4|avi|flv|exe|apk)$", re.I
)


class LinkRules:
    """Decides what to follow from one source's listing pages."""

    def __init__(self, start_urls: Iterable[str], allow: Iterable[str], deny: Iterable[str]):
        # "www.x.gov.cn" and "x.gov.cn" are one site: portals link both ways.
        self.hosts = {_bare(urlsplit(url).hostname) for url in start_urls}
        # Without allow patterns, documents are found by the listing's structure
        # (crawler.discovery); the built-in shapes are a last resort there.
        self.explicit = bool(list(allow))
        patterns = list(allow) or list(DEFAULT_ARTICLE_PATTERNS)
        self.allow = [re.compile(p) for p in patterns]
        self.shapes = [re.compile(p) for p in DEFAULT_ARTICLE_PATTERNS]
        self.deny = [re.compile(p) for p in deny]
        # Pagers repeat the same links on every listing page: decide each URL once a run.
        self._articles: dict[str, bool] = {}

    def is_article(self, url: str) -> bool:
        known = self._articles.get(url)
        if known is None:
            known = self._articles[url] = self._is_article(url)
        return known

    def _is_article(self, url: str) -> bool:
        if not self.same_site(url) or SKIPPED_EXTENSIONS.search(urlsplit(url).path):
            return False
        if any(p.search(url) for p in self.deny):
            return False
        return any(p.search(url) for p in self.allow)

    def admits(self, url: str) -> bool:
        """Whether a link a listing names may be a document of this source: on its site, not
        a static file, not denied, and matching ``allow`` when the source gives patterns."""
        if not self.same_site(url) or SKIPPED_EXTENSIONS.search(urlsplit(url).path):
            return False
        if any(p.search(url) for p in self.deny):
            return False
        return not self.explicit or any(p.search(url) for p in self.allow)

    def is_known_shape(self, url: str) -> bool:
        """A built-in article URL shape (the fallback when no list is found by structure)."""
        return self.admits(url) and any(p.search(url) for p in self.shapes)

    def is_listing_page(self, url: str, text: str, listing_url: str) -> bool:
        """A pagination link: a "next" link, or an ``index_N.html`` sibling of the listing."""
        if not self.same_site(url) or self.is_article(url):
            return False
        if text.strip() in NEXT_PAGE_TEXTS:
            return True
        match = LISTING_PAGE.search(urlsplit(url).path)
        return bool(match) and _same_folder(url, listing_url)

    def same_site(self, url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and _bare(parts.hostname) in self.hosts


def _bare(host: str | None) -> str | None:
    return host[4:] if host and host.startswith("www.") else host


def clean_url(url: str) -> str:
    return urldefrag(url.strip())[0]


def _same_folder(url: str, other: str) -> bool:
    return urlsplit(url).path.rsplit("/", 1)[0] == urlsplit(other).path.rsplit("/", 1)[0]
