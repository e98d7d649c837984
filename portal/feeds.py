"""Machine-readable listings of the same articles: sitemap, RSS, the gkmlpt JSON API.

Every value is escaped (XML) or serialised (JSON) here; nothing else builds these bodies.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from xml.sax.saxutils import escape

from portal.state import Article

FEED_ITEMS = 20  # a feed holds the newest items only, as real portals' feeds do
BEIJING = timezone(timedelta(hours=8))


def sitemap_index(base: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"<sitemap><loc>{escape(base)}/sitemap_1.xml</loc></sitemap>\n</sitemapindex>\n"
    )


def sitemap(base: str, entries: list[tuple[Article, datetime]]) -> str:
    urls = "".join(
        f"<url><loc>{escape(base + article.path)}</loc>"
        f"<lastmod>{modified.isoformat()}</lastmod></url>\n"
        for article, modified in entries
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}</urlset>\n'
    )


def rss(base: str, site_name: str, articles: list[Article], modified: datetime) -> str:
    items = "".join(
        f"<item><title>{escape(a.title)}</title><link>{escape(base + a.path)}</link>"
        f"<guid>{escape(base + a.path)}</guid>"
        f"<pubDate>{escape(a.published)}</pubDate></item>\n"
        for a in articles[:FEED_ITEMS]
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>\n'
        f"<title>{escape(site_name)}</title><link>{escape(base)}/</link>"
        f"<lastBuildDate>{format_datetime(modified, True)}</lastBuildDate>\n"
        f"{items}</channel></rss>\n"
    )


def gkmlpt(base: str, classify: int, articles: list[Article], page: int, per_page: int) -> str:
    chosen = articles[(page - 1) * per_page : page * per_page]
    return json.dumps(
        {
            "classify": {"id": classify, "name": "政府工作报告"},
            "articles": [
                {
                    "id": a.id,
                    "title": a.title,
                    "url": base + a.path,
                    "date": int(datetime.strptime(a.published, "%Y-%m-%d %H:%M")
                            .replace(tzinfo=BEIJING).timestamp()),
                    "publisher": a.source,
                }
                for a in chosen
            ],
            "page": page,
            "total": len(articles),
        },
        ensure_ascii=False,
    )
