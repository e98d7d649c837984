"""Times read from a page (PubDate, 发布时间), shown with the time zone they are in.

Government pages give local times without a zone: China Standard Time (UTC+8). A time that
carries its own offset keeps it. Shown naively, ``2026-12-01T13:29`` reads like UTC next to
the crawl times, which are UTC.
"""

from __future__ import annotations

import re

PAGE_ZONE = "China Standard Time (UTC+8)"
_OFFSET = re.compile(r"(Z|[+-]\d{2}:?\d{2})$")


def page_time(value: str | None) -> str | None:
    """An ISO date or time from a page as a person reads it: ``2026-12-01 13:29 China
    Standard Time (UTC+8)``; a date alone as it is."""
    if not value:
        return value
    if "T" not in value:
        return value
    offset = _OFFSET.search(value)
    moment = value[: offset.start()] if offset else value
    moment = moment.replace("T", " ")
    if offset is None:
        return f"{moment} {PAGE_ZONE}"
    zone = "UTC" if offset.group() == "Z" else f"UTC{offset.group()}"
    return f"{moment} {zone}"
