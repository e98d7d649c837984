"""Dates that listings give for their entries, read conservatively.

A date alone, or a time with no zone, is read as Beijing time; a date alone stands for the
end of that day, so an entry is never thought older than it may be.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from crawler.discovery.dates import BEIJING


def parse_date(value: str | None) -> datetime | None:
    """An aware datetime from W3C/ISO 8601 or RFC 822 text, or None."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    else:
        if len(text) <= 10:  # a date alone: the end of that day
            moment = moment + timedelta(days=1) - timedelta(seconds=1)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=BEIJING)
    return moment.astimezone(UTC)
