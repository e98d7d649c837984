"""Dates as listings print them, and as document URLs embed them."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

BEIJING = timezone(timedelta(hours=8))

FULL_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:\s*(\d{1,2})[:：](\d{2})(?:[:：]\d{2})?)?(?!\d)"
)
# A month and day alone ("03-01", "[03-01]"): evidence of a dated list, not a usable date.
SHORT_DATE = re.compile(r"(?<![\d-])(0?[1-9]|1[0-2])[-/.月](0?[1-9]|[12]\d|3[01])日?(?![\d-])")
URL_DATES = (
    re.compile(r"(?<!\d)((?:19|20)\d{2})-(\d{2})-(\d{2})(?!\d)"),  # /2018-07-27/
    re.compile(r"/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})/"),  # /art/2026/3/1/
    re.compile(r"(?<!\d)((?:19|20)\d{2})(\d{2})(\d{2})(?!\d)"),  # t20260301_, /20200312/
    re.compile(r"/((?:19|20)\d{2})(\d{2})/(\d{2})/"),  # /202603/01/
)


def date_in_text(text: str) -> datetime | None:
    """The first full date in a listing's text, Beijing time, or None."""
    for match in FULL_DATE.finditer(text):
        moment = _moment(*match.groups())
        if moment is not None:
            return moment
    return None


def has_date(text: str) -> bool:
    return FULL_DATE.search(text) is not None or SHORT_DATE.search(text) is not None


def date_in_url(url: str) -> datetime | None:
    for pattern in URL_DATES:
        for match in pattern.finditer(url):
            moment = _moment(*match.groups())
            if moment is not None:
                return moment
    return None


def date_from_value(value: object) -> datetime | None:
    """A JSON record's date: text, or seconds or milliseconds since the epoch."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float) and 9e8 < value < 5e12:
        seconds = value / 1000 if value > 1e11 else value
        return datetime.fromtimestamp(seconds, BEIJING)
    if isinstance(value, str):
        text = value.strip()
        if text.isdigit() and len(text) in (10, 13):
            return date_from_value(int(text))
        return date_in_text(text)
    return None


def _moment(year: str, month: str, day: str, hour: str | None = None,
            minute: str | None = None) -> datetime | None:
    try:
        return datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                        tzinfo=BEIJING)
    except ValueError:
        return None
