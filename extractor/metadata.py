"""Title, publication date and publisher: meta tags first, then the page, then the text."""

from __future__ import annotations

import re
from typing import NamedTuple

from lxml import etree

from extractor import rules
from extractor.tree import text_content


def meta_tags(root: etree._Element) -> dict[str, str]:
    """Lower-cased name/property -> content of the page's <meta> tags (first one wins)."""
    found: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = (meta.get("name") or meta.get("property") or "").strip().lower()
        content = (meta.get("content") or "").strip()
        if key and content and key not in found:
            found[key] = content
    return found


def _first(meta: dict[str, str], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        if meta.get(key):
            return meta[key]
    return None


_TAG = re.compile(r"<[^>]*>")


def _clean(text: str | None) -> str | None:
    """One line of text; markup some CMSs leave in meta values is dropped."""
    text = " ".join(_TAG.sub("", text or "").split())
    return text or None


def iso_date(text: str | None) -> str | None:
    """The first date in text as ISO 8601 ("YYYY-MM-DD" or "YYYY-MM-DDTHH:MM[:SS]")."""
    match = rules.DATE_PATTERN.search(text or "")
    if not match:
        return None
    year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    out = f"{year:04d}-{month:02d}-{day:02d}"
    if match["H"] is not None and int(match["H"]) < 24 and int(match["M"]) < 60:
        out += f"T{int(match['H']):02d}:{match['M']}"
        if match["S"] is not None:
            out += f":{match['S']}"
    return out


def page_title(root: etree._Element) -> str | None:
    """`<title>` without its site-name suffix ("Headline - Column - Site")."""
    element = root.find(".//title")
    full = _clean(text_content(element) if element is not None else None)
    if not full:
        return None
    parts = [p for p in rules.TITLE_SEPARATORS.split(full) if p.strip()]
    if not parts:
        return full
    best = parts[0] if len(parts[0]) >= 4 else max(parts, key=len)
    return best if len(best) >= 2 else None  # "1", "-": not a title


def heading_title(root: etree._Element, title: str | None) -> str | None:
    """An h1 (or h2) that agrees with `<title>`, or the only h1 when there is no `<title>`."""
    for tag in ("h1", "h2"):
        for el in root.iter(tag):
            text = _clean(text_content(el))
            if not text or not 4 <= len(text) <= 120:
                continue
            if title is None or text in title or title in text or _overlap(text, title) > 0.6:
                return text
    return None


def _overlap(a: str, b: str) -> float:
    shared = len(set(a) & set(b))
    return shared / max(1, min(len(set(a)), len(set(b))))


_URL_DATE = re.compile(r"(?:/t|/|_)((?:19|20)\d{2})[-/]?(\d{2})[-/]?(\d{2})(?:[_/.]|\d)")


def url_date(url: str | None) -> str | None:
    match = _URL_DATE.search(url or "")
    if not match:
        return None
    year, month, day = match.groups()
    if 1 <= int(month) <= 12 and 1 <= int(day) <= 31:
        return f"{year}-{month}-{day}"
    return None


def _dates(line: str, title: str | None) -> tuple[str | None, str | None]:
    """(first date, first date under a publication label) in a line, ignoring the title."""
    if title and len(title) >= 4:
        if title in line:
            line = line.replace(title, " ")  # a date inside the headline is not its date
        elif len(line) >= 4 and line in title:
            return None, None  # one line of a headline split over several
    first = labelled = None
    for match in rules.DATE_PATTERN.finditer(line):
        date = iso_date(match.group())
        if date is None:
            continue
        before = line[max(0, match.start() - rules.DATE_LABEL_REACH) : match.start()]
        if rules.NOT_PUBLICATION_LABEL.search(before):
            continue  # 成文日期, 实施日期...: a date of the document, not of its publication
        first = first or date
        if labelled is None and rules.PUBLICATION_LABEL.search(before):
            labelled = date
    return first, labelled


def byline_facts(lines: list[str], title: str | None = None) -> tuple[str | None, str | None, bool]:
    """Date, publisher, and whether the date carries a 发布日期/发布时间-style label, from the
    date/来源 lines among the given ones (a labelled date wins over an earlier bare one)."""
    first = labelled = publisher = None
    for line in lines:
        if labelled is None and len(line) < 120:
            date, with_label = _dates(line, title)
            first = first or date
            labelled = with_label
        if publisher is None:
            match = rules.PUBLISHER_PATTERN.search(line)
            if match:
                publisher = match["src"]
        if labelled and publisher:
            break
    return labelled or first, publisher, labelled is not None


def _offset(text: str | None) -> str | None:
    match = rules.UTC_OFFSET.search(text or "")
    if not match:
        return None
    if match["z"]:
        return "+00:00"
    return f"{match['sign']}{match['hh']}:{match['mm']}"


def publication(
    meta: dict[str, str], lines: list[str], title: str | None, url: str | None
) -> tuple[str | None, str | None, str | None]:
    """(published_at, time zone, publisher from the byline).

    The meta tag is trusted first, except against a date the page shows under a
    发布日期/发布时间 label on another day: some CMSs fill PubDate with the time the page
    was regenerated. Pages carry local time; without an explicit offset that is China
    Standard Time.
    """
    meta_value = _first(meta, rules.META_DATE)
    meta_date = iso_date(meta_value)
    seen, publisher, labelled = byline_facts(lines, title)
    if seen and (meta_date is None or (labelled and seen[:10] != meta_date[:10])):
        published, zone = seen, None
    elif meta_date:
        same_day_with_time = seen and seen[:10] == meta_date[:10] and len(seen) > len(meta_date)
        published = seen if same_day_with_time else meta_date
        zone = _offset(meta_value)
    else:
        published, zone = url_date(url), None
    if published is None:
        return None, None, publisher
    return published, zone or rules.DEFAULT_UTC_OFFSET, publisher


class PageFacts(NamedTuple):
    title: str | None
    published_at: str | None
    timezone: str | None
    publisher: str | None


def meta_date(meta: dict[str, str]) -> str | None:
    """The publication date a page's meta tags give, as written."""
    return _first(meta, rules.META_DATE)


def read(
    meta: dict[str, str],
    tag_title: str | None,
    heading: str | None,
    nearby_lines: list[str],
    url: str | None,
) -> PageFacts:
    """Title, publication date and zone, publisher in the order of trust the portals deserve."""
    title = _clean(_first(meta, rules.META_TITLE)) or heading
    title = title or _clean(_first(meta, rules.META_TITLE_FALLBACK)) or tag_title
    published, zone, line_publisher = publication(meta, nearby_lines, title, url)
    publisher = _clean(_first(meta, rules.META_PUBLISHER)) or line_publisher
    return PageFacts(title, published, zone, publisher)


def site_id_code(meta: dict[str, str]) -> str | None:
    """The site code of the national web design standard, when the page carries one."""
    return _first(meta, rules.META_SITE_ID_CODE)
