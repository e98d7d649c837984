"""The alert outbox: messages are stored before they are sent, and retried until they go.

Composing marks events as notified in the same transaction that queues their messages,
so a crash between the two can neither lose an alert nor send it twice from the queue.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

import apprise
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from alerts.compose import Message, baseline_message, event_message
from govwatch.config import Config
from storage.db import Database
from storage.models import ChangeEvent, CrawlRun, Document, Notification, utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeliveryReport:
    queued: int
    sent: int
    failed: int
    pending: int


def dispatch(db: Database, config: Config) -> DeliveryReport:
    """Queue messages for everything not yet alerted, then send what is due."""
    queued = queue_alerts(db, config)
    sent, failed, pending = deliver_due(db, config)
    return DeliveryReport(queued, sent, failed, pending)


def queue_alerts(db: Database, config: Config) -> int:
    with db.transaction() as session:
        queued = 0
        for run in _unsummarised_baselines(session):
            queued += _queue(
                session, config, run.source.name, run.source_id, None, baseline_message(run)
            )
            run.summary_notified = True
        for event in _unnotified_events(session):
            source = event.document.source
            queued += _queue(
                session, config, source.name, source.id, event.id, event_message(event)
            )
            event.notified = True
        return queued


def deliver_due(db: Database, config: Config) -> tuple[int, int, int]:
    """Send every pending message that is due; returns (sent, failed for good, still pending)."""
    sent = failed = pending = 0
    with db.reader() as session:
        due_ids = session.scalars(
            select(Notification.id)
            .where(Notification.status == "pending", Notification.next_attempt_at <= utcnow())
            .order_by(Notification.id)
        ).all()
    for notification_id in due_ids:
        with db.transaction() as session:
            notification = session.get_one(Notification, notification_id)
            _attempt(notification, config)
            sent += notification.status == "sent"
            failed += notification.status == "failed"
            pending += notification.status == "pending"
    return sent, failed, pending


def _queue(
    session: Session,
    config: Config,
    source_name: str,
    source_id: int,
    event_id: int | None,
    message: Message,
) -> int:
    known = {s.name: s for s in config.sources}
    destinations = config.notify_urls(known.get(source_name))
    for destination in destinations:
        session.add(
            Notification(
                source_id=source_id,
                change_event_id=event_id,
                destination=destination,
                title=message.title,
                body=message.body,
            )
        )
    return len(destinations)


def _attempt(notification: Notification, config: Config) -> None:
    notification.attempts += 1
    sender = apprise.Apprise()
    with apprise.LogCapture(level=logging.WARNING) as captured:
        accepted = sender.add(notification.destination)
        ok = accepted and bool(sender.notify(title=notification.title, body=notification.body))
    if ok:
        notification.status = "sent"
        notification.sent_at = utcnow()
        return
    error = captured.getvalue().strip() or "sending failed"
    if not accepted:
        error = f"not a valid Apprise URL: {error}"
    notification.last_error = error[-2000:]
    if not accepted or notification.attempts >= config.notify.max_attempts:
        notification.status = "failed"
        log.error(
            "alert %s to %s failed for good: %s",
            notification.id,
            _redact(notification.destination),
            error,
        )
        return
    delay = config.notify.retry_minutes * 2 ** (notification.attempts - 1)
    notification.next_attempt_at = utcnow() + timedelta(minutes=min(delay, 24 * 60))
    log.warning(
        "alert %s to %s failed (attempt %d), retrying in %d min: %s",
        notification.id,
        _redact(notification.destination),
        notification.attempts,
        delay,
        error,
    )


def _unsummarised_baselines(session: Session) -> list[CrawlRun]:
    return list(
        session.scalars(
            select(CrawlRun)
            .options(selectinload(CrawlRun.source))
            .where(
                CrawlRun.baseline.is_(True),
                CrawlRun.summary_notified.is_(False),
                CrawlRun.status != "running",
                CrawlRun.new > 0,
            )
        )
    )


def _unnotified_events(session: Session) -> list[ChangeEvent]:
    return list(
        session.scalars(
            select(ChangeEvent)
            .outerjoin(CrawlRun, ChangeEvent.crawl_run_id == CrawlRun.id)
            .options(
                selectinload(ChangeEvent.document).selectinload(Document.source),
                selectinload(ChangeEvent.from_version),
                selectinload(ChangeEvent.to_version),
            )
            .where(
                ChangeEvent.notified.is_(False),
                or_(CrawlRun.id.is_(None), CrawlRun.status != "running"),
            )
            .order_by(ChangeEvent.id)
        )
    )


def _redact(url: str) -> str:
    # Apprise URLs carry tokens; logs must not.
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest[:4]}…" if rest else url
