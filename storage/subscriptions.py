"""Personal subscriptions: who wants which change events, where, and when.

A subscription's filters all have to match (an empty filter matches everything): sources,
kinds, a minimum significance, keywords (any one of them, in either script), issuing
bodies (any; part of a name, either script) and 文号 (any; in any printed form, or a prefix
such as 粤府办). Its
destinations are the user's own Apprise URLs; it is delivered at once or as one digest a
day at ``HH:MM`` in the user's time zone. Matching and delivery: ``alerts/subscriptions.py``.
"""

from __future__ import annotations

import re
from typing import Any

import apprise
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from storage.accounts import AccountError, get_user
from storage.models import Subscription, utcnow

KINDS = ("new", "changed", "removed", "restored")
MAX_KEYWORDS = 50
MAX_KEYWORD = 100
_DIGEST = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def check_destination(url: str) -> str:
    """An Apprise URL that Apprise accepts (nothing is sent, nothing is fetched)."""
    url = url.strip()
    if not url or _CONTROL.search(url) or not apprise.Apprise().add(url):
        raise AccountError(f"notify: {redact(url)!r} is not an Apprise URL Apprise accepts")
    return url


def redact(url: str) -> str:
    """Apprise URLs carry secrets: show the scheme and the first characters only."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest[:4]}…" if rest else url[:8] + "…"


def add_subscription(
    session: Session,
    user_name: str,
    *,
    notify: list[str],
    sources: list[str] = (),  # type: ignore[assignment]
    kinds: list[str] = (),  # type: ignore[assignment]
    keywords: list[str] = (),  # type: ignore[assignment]
    issuers: list[str] = (),  # type: ignore[assignment]
    numbers: list[str] = (),  # type: ignore[assignment]
    min_significance: float = 0.0,
    digest_at: str | None = None,
) -> Subscription:
    user = get_user(session, user_name)
    destinations = [check_destination(url) for url in notify]
    if not destinations:
        raise AccountError("notify: give at least one Apprise URL")
    for kind in kinds:
        if kind not in KINDS:
            raise AccountError(f"kind {kind!r}: one of {', '.join(KINDS)}")
    words = _words("keyword", keywords)
    bodies = _words("issuer", issuers)
    document_numbers = _words("number", numbers)
    if not 0.0 <= min_significance <= 1.0:
        raise AccountError("min-significance: between 0 and 1")
    if digest_at is not None and not _DIGEST.fullmatch(digest_at):
        raise AccountError(f"digest {digest_at!r}: a time of day as HH:MM (24 h)")
    now = utcnow()
    subscription = Subscription(
        user_id=user.id,
        sources=sorted(set(sources)),
        kinds=[k for k in KINDS if k in kinds],
        keywords=words,
        issuers=bodies,
        numbers=document_numbers,
        min_significance=min_significance,
        destinations=destinations,
        digest_at=digest_at,
        # The first digest is the next HH:MM to come, not one already past today.
        last_digest_at=now if digest_at else None,
        created_at=now,
    )
    session.add(subscription)
    session.flush()
    subscription.user = user
    return subscription


def _words(option: str, given: list[str]) -> list[str]:
    words = list(dict.fromkeys(w.strip() for w in given if w.strip()))
    if len(words) > MAX_KEYWORDS or any(len(w) > MAX_KEYWORD or _CONTROL.search(w) for w in words):
        raise AccountError(
            f"{option}: at most {MAX_KEYWORDS}, each up to {MAX_KEYWORD} printable characters"
        )
    return words


def list_subscriptions(session: Session, user_name: str | None = None) -> list[Subscription]:
    query = select(Subscription).options(selectinload(Subscription.user))
    if user_name is not None:
        query = query.where(Subscription.user_id == get_user(session, user_name).id)
    return list(session.scalars(query.order_by(Subscription.id)))


def remove_subscription(session: Session, subscription_id: int) -> Subscription | None:
    subscription = session.get(Subscription, subscription_id)
    if subscription is not None:
        session.delete(subscription)
    return subscription


def subscription_record(subscription: Subscription) -> dict[str, Any]:
    return {
        "id": subscription.id,
        "user": subscription.user.name,
        "sources": list(subscription.sources),
        "kinds": list(subscription.kinds),
        "keywords": list(subscription.keywords),
        "issuers": list(subscription.issuers or []),
        "numbers": list(subscription.numbers or []),
        "min_significance": subscription.min_significance,
        "notify": [redact(url) for url in subscription.destinations],
        "digest": subscription.digest_at,
        "time_zone": subscription.user.time_zone,
    }
