"""Personal alerts: each user's subscriptions matched against change events, and queued.

Matching runs in the outbox's transaction (``alerts.outbox.queue_alerts``), on the same
undecided events as the team-wide alerts, so a personal alert is queued exactly once and
goes out with the outbox's retries and send leases. Keywords match in either script: the
keyword and the text are both compared in simplified script (OpenCC). A new, restored or
removed document is matched on its title and text; a changed one on its changed passages
(a change and the text around it in its paragraph, in the old or the new version). A digest
subscription's matches wait in ``subscription_matches`` until its time of day comes in the
user's time zone; then they go out as one message.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from alerts.channels import channel_ref
from alerts.compose import KIND_LABELS, MAX_BODY_CHARS, Message, cap, diff_link, event_title
from extractor.govdoc import normalize_body, normalize_number
from extractor.textclean import to_simplified
from storage.models import (
    ChangeEvent,
    Document,
    Notification,
    Subscription,
    SubscriptionMatch,
    Version,
)
from tracker.diff import diff_texts

EACH_LIMIT = 10  # more matches than this in one go for one subscription: one message
SNIPPET = 40  # characters of context on each side of a keyword
PASSAGE = 30  # context of a change that makes it a changed passage (as tracker.render's)
MARK = ("【", "】")  # a keyword highlighted in a plain-text message


@dataclass(frozen=True)
class Match:
    event: ChangeEvent
    matched: list[str]  # the filters that matched, for the message
    keywords: list[str]  # the keywords found, as the user wrote them


class _Texts:
    """An event's searchable text in simplified script, built once for all subscriptions."""

    def __init__(self, event: ChangeEvent) -> None:
        self.event = event

    @functools.cached_property
    def whole(self) -> str:
        version = self.event.to_version or self.event.from_version
        if version is None:
            return ""
        return to_simplified(version.title or "").lower() + "\n" + version.text_simplified.lower()

    @functools.cached_property
    def sides(self) -> tuple[str, str, list[tuple[int, int]], list[tuple[int, int]]]:
        """The old and new simplified texts and the spans of changed text in each."""
        old, new = self.event.from_version, self.event.to_version
        assert old is not None and new is not None
        diff = diff_texts(old.text_simplified, new.text_simplified)
        texts: dict[str, list[str]] = {"old": [], "new": []}
        spans: dict[str, list[tuple[int, int]]] = {"old": [], "new": []}
        at = {"old": 0, "new": 0}
        for op in diff.ops:
            if op.kind == "equal":
                sides = ("old", "new")
            elif op.kind == "delete":
                sides = ("old",)
            elif op.kind == "insert":
                sides = ("new",)
            else:
                sides = (op.side or "new",)
            for side in sides:
                texts[side].append(op.text)
                if op.kind != "equal":
                    spans[side].append((at[side], at[side] + len(op.text)))
                at[side] += len(op.text)
        old_titles = to_simplified(old.title or "")
        new_titles = to_simplified(new.title or "")
        if old_titles != new_titles:  # a changed title is a changed passage too
            texts["new"].append("\n" + new_titles)
            at["new"] += 1 + len(new_titles)
            spans["new"].append((at["new"] - len(new_titles), at["new"]))
        return (
            "".join(texts["old"]).lower(),
            "".join(texts["new"]).lower(),
            spans["old"],
            spans["new"],
        )

    def has(self, keyword: str) -> bool:
        word = to_simplified(keyword).lower()
        if self.event.kind != "changed" or not (self.event.from_version and self.event.to_version):
            return word in self.whole
        old, new, old_spans, new_spans = self.sides
        return _touches(old, old_spans, word) or _touches(new, new_spans, word)


def _touches(text: str, spans: list[tuple[int, int]], word: str) -> bool:
    """Whether ``word`` is in a changed passage: a change and up to ``PASSAGE`` characters
    around it within its paragraph ("专项债100亿元" edited to 120 is news about 专项债)."""
    for start, end in spans:
        left = max(start - PASSAGE, text.rfind("\n", 0, start) + 1)
        newline = text.find("\n", end)
        right = min(end + PASSAGE, newline if newline >= 0 else len(text))
        if word in text[left:right]:
            return True
    return False


def match(subscription: Subscription, event: ChangeEvent, texts: _Texts) -> Match | None:
    """The event as this subscription sees it, or None when a filter does not match."""
    if event.significance <= 0:
        return None  # whitespace, script or page furniture only: never news
    source = event.document.source.name
    matched = []
    if subscription.sources:
        if source not in subscription.sources:
            return None
        matched.append(f"source {source}")
    if subscription.kinds:
        if event.kind not in subscription.kinds:
            return None
        matched.append(f"kind {event.kind}")
    if subscription.min_significance:
        if event.significance < subscription.min_significance:
            return None
        matched.append(f"significance ≥ {subscription.min_significance:.2f}")
    version = event.to_version or event.from_version
    if subscription.issuers:
        issuer = _issuer(version, subscription.issuers)
        if issuer is None:
            return None
        matched.append(f"issuer {issuer}")
    if subscription.numbers:
        number = _number(version, subscription.numbers)
        if number is None:
            return None
        matched.append(f"文号 {number}")
    found: list[str] = []
    if subscription.keywords:
        found = [word for word in subscription.keywords if texts.has(word)]
        if not found:
            return None
        matched.append("keyword " + ", ".join(found))
    return Match(event, matched or ["everything"], found)


def _issuer(version: Version | None, wanted: list[str]) -> str | None:
    """The first wanted issuing body that is part of one of the version's issuers."""
    bodies = [normalize_body(b) for b in (version.issuing_authority or [])] if version else []
    for name in wanted:
        part = normalize_body(name)
        if part and any(part in body for body in bodies):
            return name
    return None


def _number(version: Version | None, wanted: list[str]) -> str | None:
    """The first wanted 文号 equal to the version's, or a prefix of it (粤府办, 粤府办〔2024〕)."""
    own = version.document_number_normalized if version else None
    if not own:
        return None
    for given in wanted:
        full = normalize_number(given)
        prefix = normalize_body(given)
        if own == full or (prefix and own.startswith(prefix)):
            return given
    return None


def queue_subscriptions(
    session: Session, events: Sequence[ChangeEvent], base_url: str | None
) -> int:
    """Personal alerts for these (undecided) events: messages now, or digest entries."""
    if not events:
        return 0
    subscriptions = list(
        session.scalars(select(Subscription).options(selectinload(Subscription.user)))
    )
    texts = {event.id: _Texts(event) for event in events}
    queued = 0
    for subscription in subscriptions:
        matches = [
            m for event in events if (m := match(subscription, event, texts[event.id])) is not None
        ]
        if not matches:
            continue
        if subscription.digest_at:
            for m in matches:
                session.add(
                    SubscriptionMatch(
                        subscription_id=subscription.id,
                        change_event_id=m.event.id,
                        matched=m.matched,
                        keywords=m.keywords,
                    )
                )
            continue
        if len(matches) > EACH_LIMIT:
            messages = [(list_message(subscription, matches, base_url, "alerts"), None)]
        else:
            messages = [(match_message(subscription, m, base_url), m.event) for m in matches]
        for message, event in messages:
            queued += _queue(session, subscription, message, event)
    return queued


def queue_digests(session: Session, now: datetime, base_url: str | None) -> int:
    """Every digest whose time of day has come since it last went: one message each."""
    queued = 0
    subscriptions = session.scalars(
        select(Subscription)
        .options(selectinload(Subscription.user))
        .where(Subscription.digest_at.is_not(None))
    )
    for subscription in subscriptions:
        moment = latest_digest_time(subscription, now)
        if subscription.last_digest_at is not None and subscription.last_digest_at >= moment:
            continue
        pending = list(
            session.scalars(
                select(SubscriptionMatch)
                .options(
                    selectinload(SubscriptionMatch.event).options(
                        selectinload(ChangeEvent.document).selectinload(Document.source),
                        selectinload(ChangeEvent.from_version),
                        selectinload(ChangeEvent.to_version),
                    )
                )
                .where(
                    SubscriptionMatch.subscription_id == subscription.id,
                    SubscriptionMatch.delivered_at.is_(None),
                )
                .order_by(SubscriptionMatch.id)
            )
        )
        subscription.last_digest_at = now
        if not pending:
            continue  # no empty digests
        matches = [Match(p.event, list(p.matched), list(p.keywords)) for p in pending]
        queued += _queue(session, subscription, list_message(subscription, matches, base_url))
        for entry in pending:
            entry.delivered_at = now
    return queued


def latest_digest_time(subscription: Subscription, now: datetime) -> datetime:
    """The most recent HH:MM in the user's time zone at or before ``now``."""
    zone = ZoneInfo(subscription.user.time_zone)
    local = now.astimezone(zone)
    hour, minute = (int(part) for part in (subscription.digest_at or "00:00").split(":"))
    moment = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if moment > local:
        moment = (local - timedelta(days=1)).replace(
            hour=hour, minute=minute, second=0, microsecond=0
        )
    return moment


def _queue(
    session: Session,
    subscription: Subscription,
    message: Message,
    event: ChangeEvent | None = None,
) -> int:
    for destination in subscription.destinations:
        session.add(
            Notification(
                source_id=event.document.source_id if event is not None else None,
                change_event_id=event.id if event is not None else None,
                destination=channel_ref(destination),
                title=message.title,
                body=message.body,
            )
        )
    return len(subscription.destinations)


def match_message(subscription: Subscription, m: Match, base_url: str | None) -> Message:
    """One event for one subscriber: which filters matched, the keyword marked in context."""
    event = m.event
    lines = [
        f"Your subscription #{subscription.id} matched: {'; '.join(m.matched)}",
        "",
        *_entry_lines(m, base_url),
    ]
    words = f" · {', '.join(m.keywords)}" if m.keywords else ""
    title = f"[govwatch] {KIND_LABELS[event.kind]}: {event_title(event)}{words}"
    return Message(title, cap("\n".join(lines)))


def list_message(
    subscription: Subscription,
    matches: Sequence[Match],
    base_url: str | None,
    what: str = "digest",
) -> Message:
    """Many matches in one message: a digest, or a burst too large to send one by one."""
    name = subscription.user.name
    head = (
        f"{len(matches)} events for {name} (subscription #{subscription.id}"
        + (
            f", daily at {subscription.digest_at} {subscription.user.time_zone}"
            if what == "digest"
            else ""
        )
        + ")."
    )
    lines = [head, ""]
    for number, m in enumerate(matches, 1):
        entry = "\n".join(
            [
                f"{number}. matched: {'; '.join(m.matched)}",
                *("   " + x for x in _entry_lines(m, base_url)),
            ]
        )
        if len("\n".join([*lines, entry])) > MAX_BODY_CHARS - 120:
            lines.append(f"… and {len(matches) - number + 1} more: govwatch changes")
            break
        lines += [entry, ""]
    return Message(
        f"[govwatch] {what} for {name}: {len(matches)} events", cap("\n".join(lines).rstrip())
    )


def _entry_lines(m: Match, base_url: str | None) -> list[str]:
    event = m.event
    lines = [
        highlight(event_title(event), m.keywords),
        event.document.url,
        f"{event.document.source.name} · {event.kind} · significance {event.significance:.2f}",
    ]
    link = diff_link(event, base_url)
    if link:
        lines.append(f"Full diff: {link}")
    version = event.to_version or event.from_version
    if version is not None:
        snippets = [s for word in m.keywords for s in _in_context(version.text, word)][:3]
        if not snippets:
            flat = " ".join(version.text.split())
            snippets = [flat[:200] + ("…" if len(flat) > 200 else "")]
        lines += [highlight(s, m.keywords) for s in snippets]
    return lines


def _in_context(text: str, keyword: str) -> list[str]:
    """Up to two passages around the keyword, found in either script."""
    flat = " ".join(text.split())
    simplified = to_simplified(flat).lower()
    word = to_simplified(keyword).lower()
    if len(simplified) != len(flat):  # OpenCC changed the length: show simplified text
        flat = to_simplified(flat)
    out, at = [], 0
    while len(out) < 2 and (found := simplified.find(word, at)) >= 0:
        start, end = max(0, found - SNIPPET), found + len(word) + SNIPPET
        out.append(("…" if start else "") + flat[start:end] + ("…" if end < len(flat) else ""))
        at = found + len(word)
    return out


def highlight(text: str, keywords: Sequence[str]) -> str:
    """The keywords marked 【like this】, matched in either script."""
    if not keywords:
        return text
    simplified = to_simplified(text).lower()
    if len(simplified) != len(text):
        text = to_simplified(text)
    marks: list[tuple[int, int]] = []
    for keyword in keywords:
        word = to_simplified(keyword).lower()
        at = 0
        while word and (found := simplified.find(word, at)) >= 0:
            marks.append((found, found + len(word)))
            at = found + len(word)
    out, at = [], 0
    for start, end in sorted(marks):
        if start < at:
            continue  # overlapping matches: the first one is marked
        out += [text[at:start], MARK[0], text[start:end], MARK[1]]
        at = end
    out.append(text[at:])
    return "".join(out)


def pending_digest_counts(session: Session) -> dict[int, int]:
    """Matches waiting for each digest subscription (for the web app's list)."""
    counts: dict[int, int] = defaultdict(int)
    for (subscription_id,) in session.execute(
        select(SubscriptionMatch.subscription_id).where(SubscriptionMatch.delivered_at.is_(None))
    ):
        counts[subscription_id] += 1
    return dict(counts)
