"""An Atom feed (RFC 4287) of change events, for feed readers and other programs.

Built with lxml so that every scraped title, URL and reason is escaped. Each entry's
id is a ``urn:uuid:`` derived from the event (its id, document URL and time), so it stays
the same in every feed that carries the event (all changes, one source, one kind) and every
time the feed is written, and two databases do not mint the same id for different events.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from lxml import etree

from alerts.compose import KIND_LABELS

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
GENERATOR = "govwatch"


@dataclass(frozen=True)
class FeedIdentity:
    """What names a feed: the same selection gets the same id, title and links wherever it
    is written (``govwatch feed``, the web app's /feeds/changes.atom) and whenever."""

    id: str
    title: str
    self_url: str | None  # where the web app serves this feed; None without a base URL
    alternate_url: str | None  # the web app's page of the same changes


def feed_identity(
    base_url: str | None,
    *,
    source: str | None = None,
    kind: str | None = None,
    min_significance: float | None = None,
) -> FeedIdentity:
    """The identity of the feed of changes of one selection; ``base_url`` is ``[web]
    base_url`` (the id depends on it so that two installations do not share ids)."""
    base = (base_url or "").rstrip("/")
    threshold = f"{min_significance:g}" if min_significance else None
    selection = f"{base}|{source or '*'}|{kind or '*'}" + (f"|{threshold}" if threshold else "")
    filters = (("source", source), ("kind", kind), ("min_significance", threshold))
    query = urlencode([(name, value) for name, value in filters if value])
    suffix = f"?{query}" if query else ""
    named = (source, kind, f"≥ {threshold}" if threshold else None)
    return FeedIdentity(
        id=uuid.uuid5(uuid.NAMESPACE_URL, f"govwatch:feed:{selection}").urn,
        title=" · ".join(["govwatch: 变更 changes", *(part for part in named if part)]),
        self_url=f"{base}/feeds/changes.atom{suffix}" if base else None,
        alternate_url=f"{base}/changes{suffix}" if base else None,
    )


def atom_feed(
    changes: list[dict],
    *,
    feed_id: str,
    title: str,
    self_url: str,
    alternate_url: str | None = None,
) -> str:
    """The Atom XML of change rows as returned by ``storage.queries.list_changes``."""
    feed = etree.Element(_tag("feed"), {XML_LANG: "zh-CN"}, nsmap={None: ATOM})
    _text(feed, "id", feed_id)
    _text(feed, "title", title)
    moments = [_moment(row.get("at")) for row in changes]
    updated = max((m for m in moments if m), default=None) or datetime.now(UTC)
    _text(feed, "updated", _rfc3339(updated))
    # RFC 4287 4.1.1: a feed needs an author unless every entry has one.
    _text(etree.SubElement(feed, _tag("author")), "name", GENERATOR)
    _text(feed, "generator", GENERATOR)
    etree.SubElement(
        feed,
        _tag("link"),
        {"rel": "self", "href": _xml_safe(self_url), "type": "application/atom+xml"},
    )
    if alternate_url:
        etree.SubElement(feed, _tag("link"), {"rel": "alternate", "href": _xml_safe(alternate_url)})
    for row, moment in zip(changes, moments, strict=True):
        _entry(feed, row, moment or updated)
    etree.indent(feed)
    body = etree.tostring(feed, encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{body}\n'


def entry_id(row: Mapping[str, Any]) -> str:
    """A stable, globally unique id for one change event."""
    name = f"govwatch:change:{row['id']}:{row.get('url', '')}:{row.get('at', '')}"
    return uuid.uuid5(uuid.NAMESPACE_URL, name).urn


def _entry(feed: etree._Element, row: Mapping[str, Any], moment: datetime) -> None:
    entry = etree.SubElement(feed, _tag("entry"))
    kind = str(row.get("kind") or "changed")
    document = row.get("title") or row.get("url") or "(untitled)"
    _text(entry, "id", entry_id(row))
    _text(entry, "title", f"{KIND_LABELS.get(kind, kind)}: {document}")
    _text(entry, "updated", _rfc3339(moment))
    if row.get("url"):
        etree.SubElement(
            entry, _tag("link"), {"rel": "alternate", "href": _xml_safe(str(row["url"]))}
        )
    for term, scheme in ((kind, "kind"), (row.get("source"), "source")):
        if term:
            etree.SubElement(
                entry,
                _tag("category"),
                {"term": _xml_safe(str(term)), "scheme": f"urn:govwatch:{scheme}"},
            )
    summary = _text(entry, "summary", _summary(row, kind))
    summary.set("type", "text")


def _summary(row: Mapping[str, Any], kind: str) -> str:
    lines = [f"{kind} · significance {float(row.get('significance') or 0):.2f}"]
    if row.get("source"):
        lines[0] += f" · source {row['source']}"
    if row.get("from_version") or row.get("to_version"):
        versions = f"version {row.get('from_version') or '–'} → {row.get('to_version') or '–'}"
        lines.append(
            f"{versions}, +{row.get('chars_added', 0)} / -{row.get('chars_removed', 0)} characters"
        )
    reasons: Sequence[str] = row.get("reasons") or []
    lines += [str(reason) for reason in reasons]
    if row.get("url"):
        lines.append(str(row["url"]))
    return "\n".join(lines)


def _tag(name: str) -> str:
    return f"{{{ATOM}}}{name}"


def _text(parent: etree._Element, name: str, text: str) -> etree._Element:
    element = etree.SubElement(parent, _tag(name))
    element.text = _xml_safe(text)
    return element


def _xml_safe(text: str) -> str:
    # XML 1.0 forbids most control characters even escaped; scraped titles can carry them.
    return "".join(
        c
        if c in "\t\n\r"
        or ("\x20" <= c <= "\ud7ff")
        or ("\ue000" <= c <= "\ufffd")
        or c >= "\U00010000"
        else "\ufffd"
        for c in text
    )


def _moment(value: object) -> datetime | None:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str) and value:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return None
    else:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
