"""Notification channels by reference: the outbox stores which channel, never its URL.

Apprise URLs carry their credentials (a DingTalk token, a WeCom key, a mail password), and
the database is read by more people and tools than the configuration file. A queued
message names its destination as ``channel:<scheme>:<digest>``, the digest of the URL; at
sending time the reference is matched against the channels configured now (and the users'
subscription destinations). A channel removed since leaves its messages undeliverable
(failed, with the reason).
The digest is a plain SHA-256 so that a migration can convert stored rows without the
configuration; channel URLs hold long random tokens, which a digest does not give away.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from config import Config
from storage.models import Subscription

PREFIX = "channel:"
DIGEST_CHARS = 24


def channel_ref(url: str) -> str:
    """The reference stored for a channel URL."""
    scheme = url.partition("://")[0] if "://" in url else "unknown"
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:DIGEST_CHARS]
    return f"{PREFIX}{scheme}:{digest}"


def configured_channels(config: Config) -> dict[str, str]:
    """Every channel URL of the configuration (global and per source), by reference."""
    urls = list(config.notify.urls)
    for source in config.sources:
        urls += source.notify
    return {channel_ref(url): url for url in urls}


def subscribed_channels(session: Session) -> dict[str, str]:
    """Every destination of the users' subscriptions, by reference."""
    lists = session.scalars(select(Subscription.destinations))
    return {channel_ref(url): url for urls in lists for url in urls or []}


def resolve(destination: str, config: Config, session: Session | None = None) -> str | None:
    """The URL a stored destination refers to, or None when no channel has it any more.

    The configuration's channels first, then (given a session) the subscriptions' own.
    """
    if not destination.startswith(PREFIX):
        return destination  # a URL stored before references (migration 0007 converts them)
    found = configured_channels(config).get(destination)
    if found is None and session is not None:
        found = subscribed_channels(session).get(destination)
    return found
