"""Crontab expressions as people write them, translated for APScheduler 3.

APScheduler's ``CronTrigger.from_crontab`` counts weekday 0 as Monday, while crontab(5)
counts 0 (and 7) as Sunday. Users copy schedules from crontab, so the weekday field is
expanded here into explicit day names, which mean the same thing in both worlds.
"""

from __future__ import annotations

import re

ALIASES = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}
FIELDS = ("minute", "hour", "day", "month", "day_of_week")
BOUNDS = {
    "minute": (0, 59),
    "hour": (0, 23),
    "day": (1, 31),
    "month": (1, 12),
    "day_of_week": (0, 7),
}
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
_TOKEN = re.compile(r"^(?:(\*)|([a-z0-9]+)(?:-([a-z0-9]+))?)(?:/(\d+))?$")


class CrontabError(ValueError):
    """A schedule that is not a five-field crontab expression."""


def parse_crontab(expression: str) -> dict[str, str]:
    """Return APScheduler ``CronTrigger`` keyword arguments for a crontab expression."""
    text = ALIASES.get(expression.strip().lower(), expression.strip().lower())
    parts = text.split()
    if len(parts) != 5:
        raise CrontabError(
            f"{expression!r} is not a crontab expression: expected 5 fields "
            "(minute hour day-of-month month day-of-week), e.g. '0 */6 * * *'"
        )
    fields = dict(zip(FIELDS, parts, strict=True))
    for name, value in fields.items():
        _check_field(name, value)
    if fields["day"] != "*" and fields["day_of_week"] != "*":
        # crontab fires when either matches, APScheduler only when both do.
        raise CrontabError(
            f"{expression!r}: restricting both day-of-month and day-of-week is not supported"
        )
    if fields["day"] != "*" and not _some_date_exists(fields["day"], fields["month"]):
        raise CrontabError(f"{expression!r} never fires: no month has such a day")
    if fields["day_of_week"] != "*":
        fields["day_of_week"] = ",".join(DAYS[d] for d in sorted(_weekdays(fields["day_of_week"])))
    return fields


# The longest each month gets (February in leap years).
MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _some_date_exists(day: str, month: str) -> bool:
    days = _values("day", day)
    return any(min(days) <= MONTH_DAYS[m - 1] for m in _values("month", month))


def _values(name: str, value: str) -> set[int]:
    """The numbers a (checked) day or month field matches."""
    low, high = BOUNDS[name]
    found: set[int] = set()
    for token in value.split(","):
        star, first, last, step = _TOKEN.match(token).groups()  # type: ignore[union-attr]
        start = low if star else _number(name, first)
        if star:
            stop = high
        elif last is not None:
            stop = _number(name, last)
        else:
            stop = high if step else start
        found.update(range(start, stop + 1, int(step or 1)))
    return found


def _check_field(name: str, value: str) -> None:
    low, high = BOUNDS[name]
    for token in value.split(","):
        match = _TOKEN.match(token)
        if not match:
            raise CrontabError(f"{name} field {value!r}: cannot read {token!r}")
        star, first, last, step = match.groups()
        if step is not None and int(step) == 0:
            raise CrontabError(f"{name} field {value!r}: a step of 0")
        if star:
            continue
        for item in (first, last):
            if item is not None and not low <= _number(name, item) <= high:
                raise CrontabError(f"{name} field {value!r}: {item} is outside {low}-{high}")
        if last is not None and _number(name, first) > _number(name, last):
            raise CrontabError(f"{name} field {value!r}: range {first}-{last} runs backwards")


def _number(name: str, item: str) -> int:
    if item.isdigit():
        return int(item)
    names = {"month": MONTHS, "day_of_week": DAYS}.get(name)
    if names is None or item[:3] not in names:
        raise CrontabError(f"{name} field: {item!r} is not a number")
    return names.index(item[:3]) + (1 if name == "month" else 0)


def _weekdays(value: str) -> set[int]:
    days: set[int] = set()
    for token in value.split(","):
        star, first, last, step = _TOKEN.match(token).groups()  # type: ignore[union-attr]
        start = 0 if star else _number("day_of_week", first)
        if star:
            stop = 6
        elif last is not None:
            stop = _number("day_of_week", last)
        else:
            stop = 6 if step else start
        days.update(d % 7 for d in range(start, stop + 1, int(step or 1)))
    return days
