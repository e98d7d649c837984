"""The alert outbox: messages are stored before they are sent, and retried until they go.

Composing marks events as notified in the same transaction that queues their messages,
so a crash between the two can neither lose an alert nor send it twice from the queue.
"Notified" means the alert is decided: events that ``alerts.policy`` holds back (below a
source's threshold, not an addition, significance 0) are marked too, with no message.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import apprise
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session, object_session, selectinload

from alerts.channels import channel_ref, resolve
from alerts.compose import Message, baseline_message, event_message
from alerts.digest import digest_message, summary_message
from alerts.policy import RunAlerts, plan, settings_for
from alerts.subscriptions import queue_digests, queue_subscriptions
from config import Config, SourceConfig
from storage.db import Database
from storage.locks import hold_exclusive
from storage.models import ChangeEvent, CrawlRun, Document, Notification, utcnow
from storage.runs import COMPLETED

log = logging.getLogger(__name__)

SEND_LEASE = timedelta(minutes=10)  # longer than any Apprise attempt takes


@dataclass(frozen=True)
class DeliveryReport:
    queued: int
    sent: int
    failed: int
    pending: int


def dispatch(db: Database, config: Config, now: datetime | None = None) -> DeliveryReport:
    """Queue messages for everything not yet alerted, then send what is due.

    ``now`` is the clock that decides whether personal digests are due (tests drive it)."""
    queued = queue_alerts(db, config, now)
    sent, failed, pending = deliver_due(db, config)
    return DeliveryReport(queued, sent, failed, pending)


def queue_alerts(db: Database, config: Config, now: datetime | None = None) -> int:
    with db.transaction() as session:
        hold_exclusive(session, "alerts.queue")
        queued = 0
        for run in _unsummarised_baselines(session):
            watched = _watched(session, run.source_id)
            if watched:
                message = baseline_message(run, watched)
                queued += _queue(session, config, run.source.name, run.source_id, None, message)
            run.summary_notified = True
        sources = {source.name: source for source in config.sources}
        events = _unnotified_events(session)
        # Personal subscriptions see every undecided event, whatever the team's settings.
        queued += queue_subscriptions(session, events, config.web.base_url)
        for run in plan(events, sources):
            for message, event_id in _messages(run, sources, config.web.base_url):
                queued += _queue(session, config, run.source_name, run.source_id, event_id, message)
            for event in [*run.alerted, *(event for event, _ in run.held)]:
                event.notified = True
            if run.held:
                log.info(
                    "%s: %d events not alerted (%s)",
                    run.source_name,
                    len(run.held),
                    ", ".join(sorted({why for _, why in run.held})),
                )
        queued += queue_digests(session, now or utcnow(), config.web.base_url)
        return queued


def _messages(
    run: RunAlerts, sources: dict[str, SourceConfig], base_url: str | None
) -> list[tuple[Message, int | None]]:
    """The run's messages, each with its event's id when it is about one event."""
    if not run.alerted:
        return []
    held = len(run.held)
    if run.delivery == "summary":
        limit = settings_for(sources, run.source_name).max_alerts_per_run
        summary = summary_message(
            run.source_name, run.alerted, limit=limit, held=held, base_url=base_url
        )
        return [(summary, None)]
    if run.delivery == "digest":
        return [(digest_message(run.source_name, run.alerted, held=held, base_url=base_url), None)]
    return [(event_message(event, base_url=base_url), event.id) for event in run.alerted]


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
        if not _claim(db, notification_id):
            continue  # another process is sending it
        with db.transaction() as session:
            notification = session.get_one(Notification, notification_id)
            _attempt(notification, config)
            sent += notification.status == "sent"
            failed += notification.status == "failed"
            pending += notification.status == "pending"
    return sent, failed, pending


def _claim(db: Database, notification_id: int) -> bool:
    """Lease a due message to this process, so that two senders never send it twice.

    If this process dies while sending, the lease runs out and the message is retried.
    """
    now = utcnow()
    with db.transaction() as session:
        claimed = session.execute(
            update(Notification)
            .where(
                Notification.id == notification_id,
                Notification.status == "pending",
                Notification.next_attempt_at <= now,
            )
            .values(next_attempt_at=now + SEND_LEASE)
        )
        return claimed.rowcount == 1


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
                destination=channel_ref(destination),
                title=message.title,
                body=message.body,
            )
        )
    return len(destinations)


def _attempt(notification: Notification, config: Config) -> None:
    notification.attempts += 1
    url = resolve(notification.destination, config, object_session(notification))
    if url is None:
        notification.status = "failed"
        notification.last_error = "the channel is no longer in the configuration"
        log.error("alert %s to %s: no such channel now", notification.id, notification.destination)
        return
    sender = apprise.Apprise()
    with apprise.LogCapture(level=logging.WARNING) as captured:
        accepted = sender.add(url)
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
            notification.destination,
            error,
        )
        return
    delay = config.notify.retry_minutes * 2 ** (notification.attempts - 1)
    notification.next_attempt_at = utcnow() + timedelta(minutes=min(delay, 24 * 60))
    log.warning(
        "alert %s to %s failed (attempt %d), retrying in %d min: %s",
        notification.id,
        notification.destination,
        notification.attempts,
        delay,
        error,
    )


def _unsummarised_baselines(session: Session) -> list[CrawlRun]:
    # Only a baseline that ran to its end is summarised: one killed half-way is resumed by
    # the next run, which is still a baseline and says how many documents are watched.
    return list(
        session.scalars(
            select(CrawlRun)
            .options(selectinload(CrawlRun.source))
            .where(
                CrawlRun.baseline.is_(True),
                CrawlRun.summary_notified.is_(False),
                CrawlRun.status == "finished",
                CrawlRun.finish_reason == COMPLETED,
            )
        )
    )


def _watched(session: Session, source_id: int) -> int:
    """Documents of the source now watched: every one not removed, whichever run found it."""
    return session.scalar(
        select(func.count(Document.id)).where(
            Document.source_id == source_id, Document.status != "removed"
        )
    ) or 0


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
