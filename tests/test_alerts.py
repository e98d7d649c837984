"""Alert delivery: queued durably, retried on failure, never lost silently."""

from datetime import timedelta

from sqlalchemy import update

from alerts import dispatch
from config import Config, NotifyConfig, SourceConfig
from storage.db import open_database
from storage.models import ChangeEvent, Document, Notification, Source, Version, utcnow


def _config(*urls: str) -> Config:
    return Config(
        notify=NotifyConfig(urls=list(urls), retry_minutes=1, max_attempts=3),
        sources=[SourceConfig(name="changan", start_urls=["http://127.0.0.1:9/index.html"])],
    )


def _store_change(db, old: str, new: str) -> None:
    with db.transaction() as session:
        source = Source(name="changan")
        session.add(source)
        session.flush()
        document = Document(
            source_id=source.id, url="http://127.0.0.1:9/content/post_1.html", version_count=2
        )
        session.add(document)
        session.flush()
        versions = []
        for number, text in ((1, old), (2, new)):
            version = Version(
                document_id=document.id,
                number=number,
                sha256=str(number),
                title="2025年政府工作报告",
                text=text,
                text_simplified=text,
                http_status=200,
                raw_compressed=Version.compress(b""),
            )
            session.add(version)
            versions.append(version)
        session.flush()
        session.add(
            ChangeEvent(
                document_id=document.id,
                kind="changed",
                from_version_id=versions[0].id,
                to_version_id=versions[1].id,
                chars_added=1,
                chars_removed=1,
                significance=0.8,
                reasons=["figures changed"],
            )
        )


def test_change_alert_carries_title_url_and_both_figures(sink, sqlite_url):
    db = open_database(sqlite_url)
    _store_change(
        db,
        "全镇生产总值965.2亿元，增长5.3%。\n第二段。",
        "全镇生产总值985.2亿元，增长5.3%。\n第二段。",
    )
    report = dispatch(db, _config(sink.url))
    assert (report.queued, report.sent) == (1, 1)
    [message] = sink.messages
    assert "2025年政府工作报告" in message["title"]
    assert "http://127.0.0.1:9/content/post_1.html" in message["message"]
    assert "965.2" in message["message"] and "985.2" in message["message"]
    assert dispatch(db, _config(sink.url)).queued == 0  # each event alerts once


def test_failed_delivery_is_retried_then_sent(sink, sqlite_url):
    db = open_database(sqlite_url)
    _store_change(db, "旧文本一。", "新文本二。")
    sink.fail_next = 1
    report = dispatch(db, _config(sink.url))
    assert (report.sent, report.pending) == (0, 1)
    with db.reader() as session:
        [pending] = session.query(Notification).all()
        assert pending.attempts == 1 and pending.last_error
        assert pending.next_attempt_at > utcnow()
    # Not due yet: nothing is sent early.
    assert dispatch(db, _config(sink.url)).sent == 0
    with db.transaction() as session:
        session.execute(
            update(Notification).values(next_attempt_at=utcnow() - timedelta(seconds=1))
        )
    assert dispatch(db, _config(sink.url)).sent == 1
    assert len(sink.messages) == 1


def test_bad_destination_is_marked_failed_not_dropped(sqlite_url, sink):
    from alerts.channels import channel_ref

    db = open_database(sqlite_url)
    _store_change(db, "甲。", "乙。")
    # Loading refuses such a URL now; one that got past (built without checks) still fails
    # cleanly at sending time.
    config = _config(sink.url)
    bad = NotifyConfig.model_construct(
        urls=["notaservice://nothing", sink.url], retry_minutes=1, max_attempts=3
    )
    report = dispatch(db, config.model_copy(update={"notify": bad}))
    assert (report.sent, report.failed) == (1, 1)
    with db.reader() as session:
        failed = session.query(Notification).filter_by(status="failed").one()
        assert failed.destination == channel_ref("notaservice://nothing")
        assert "valid" in failed.last_error


def test_two_processes_queue_and_send_each_alert_once(sink, db_url):
    """The service's alert job and a foreground crawl may dispatch at the same moment."""
    from concurrent.futures import ThreadPoolExecutor

    from alerts.outbox import deliver_due, queue_alerts

    setup = open_database(db_url)
    _store_change(setup, "全镇生产总值965.2亿元。", "全镇生产总值985.2亿元。")
    setup.dispose()
    config = _config(sink.url)
    databases = [open_database(db_url, upgrade=False) for _ in range(4)]
    with ThreadPoolExecutor(4) as pool:
        queued = list(pool.map(lambda db: queue_alerts(db, config), databases))
        sent = list(pool.map(lambda db: deliver_due(db, config)[0], databases))
    assert sum(queued) == 1
    assert sum(sent) == 1
    assert len(sink.wait_for(1)) == 1
    for db in databases:
        db.dispose()
