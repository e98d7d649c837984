"""alerts.policy and alerts.digest: who hears about what, in how many messages.

Events are recorded by the real tracker from seed texts edited by the test; the outbox's
queued messages are read back from the notifications table (one test delivers to a sink).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from alerts import dispatch
from alerts.outbox import queue_alerts
from config import Config, NotifyConfig, SourceConfig, WebConfig
from extractor.model import Attachment, Extraction
from storage.db import Database, open_database
from storage.models import ChangeEvent, Notification, utcnow
from storage.runs import finish_run, start_run
from tracker.observations import Page
from tracker.track import Tracker

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
SITE = "http://www.changan.gov.cn/zwgk/gzbg/content/post_{}.html"
HOOK = "json://127.0.0.1:9/hook"


@pytest.fixture(scope="module")
def report() -> str:
    path = next(iter(sorted(SEEDS.glob("003_*.txt"))), None)  # traditional, with 965.2億元
    if path is None:
        pytest.skip(f"seed texts not found in {SEEDS}")
    return path.read_text(encoding="utf-8")


def page(number: int, text: str, attachments: tuple[str, ...] = ()) -> Page:
    url = SITE.format(number)
    return Page(
        url=url,
        final_url=url,
        status=200 if text else 404,
        headers={"content-type": "text/html"},
        body=text.encode("utf-8"),
        fetched_at=utcnow(),
        extraction=Extraction(
            title=f"长安镇政府工作报告之{number}号",
            text=text,
            text_simplified=text,
            attachments=[Attachment(a, "附件.pdf") for a in attachments],
        )
        if text
        else None,
    )


def crawl(db: Database, pages: list[Page]) -> None:
    run = start_run(db, "changan")
    tracker = Tracker(db, run)
    for observed in pages:
        tracker.observe_page(observed)
    finish_run(db, run.run_id, reason="finished", pages=len(pages))


def config(base_url: str | None = None, **source: object) -> Config:
    return Config(
        notify=NotifyConfig(urls=[HOOK]),
        web=WebConfig(base_url=base_url),
        sources=[
            SourceConfig(name="changan", start_urls=["http://127.0.0.1:9/"], **source)  # type: ignore[arg-type]
        ],
    )


def numbers(messages: list[Notification]) -> list[int]:
    """Which documents the messages are about, by the number in their titles."""
    return sorted(int(m.title.rsplit("之", 1)[1].rstrip("号")) for m in messages)


def queued(db: Database, settings: Config) -> list[Notification]:
    queue_alerts(db, settings)
    with db.reader() as session:
        rows = session.query(Notification).order_by(Notification.id).all()
        assert all(e.notified for e in session.query(ChangeEvent)), "every event decided"
        return rows


@pytest.fixture
def db(sqlite_url: str, report: str) -> Database:
    """Ten documents watched (the baseline, summarised and done with)."""
    database = open_database(sqlite_url)
    crawl(database, [page(n, report) for n in range(10)])
    # Document 3 was seen gone by one run already: the next run's 404 is its removal.
    crawl(database, [page(3, "")])
    queue_alerts(database, config())
    with database.transaction() as session:
        session.query(Notification).delete()
    return database


def edits(report: str) -> list[Page]:
    """One run's worth of events: a figure, a wording tweak, a script-only copy, a new page,
    a removal and a paragraph added."""
    paragraphs = report.split("\n")
    return [
        page(0, report.replace("965.2億元", "985.2億元", 1)),
        page(1, report.replace("我們堅定信心", "我們堅定決心", 1)),
        page(2, report.replace("長安", "长安")),  # script only: significance 0
        page(20, "长安镇关于开展冬季消防安全检查的通知\n一、检查时间为2026年12月1日至31日。"),
        page(3, ""),
        page(
            4, "\n".join([*paragraphs[:30], "三是新增一段关于营商环境的内容。", *paragraphs[30:]])
        ),
    ]


def test_each_event_alone_by_default_and_significance_zero_never(db: Database, report: str):
    crawl(db, edits(report))
    messages = queued(db, config())
    assert len(messages) == 5  # six events; the script-only copy is not alerted
    assert all(m.change_event_id is not None for m in messages)
    assert numbers(messages) == [0, 1, 3, 4, 20]
    figure = next(m for m in messages if "之0号" in m.title)
    assert "965.2" in figure.body and "985.2" in figure.body
    assert [m.id for m in queued(db, config())] == [m.id for m in messages]  # decided once


def test_min_significance_holds_back_small_changes(db: Database, report: str):
    crawl(db, edits(report))
    messages = queued(db, config(min_significance=0.5))
    assert numbers(messages) == [0, 3, 4, 20]  # not 1: the wording tweak scores below 0.5


def test_additions_only(db: Database, report: str):
    crawl(db, edits(report))
    messages = queued(db, config(additions_only=True))
    assert numbers(messages) == [4, 20]  # a paragraph added, a new document


def test_attachment_added_is_an_addition_replaced_is_not(db: Database, report: str):
    first, second = "http://www.changan.gov.cn/a/1.pdf", "http://www.changan.gov.cn/a/2.pdf"
    crawl(db, [page(5, report, (first,)), page(6, report, (first,))])
    queue_alerts(db, config(additions_only=True))
    crawl(db, [page(5, report, (first, second)), page(6, report, (second,))])
    with db.transaction() as session:
        session.query(Notification).delete()
    messages = queued(db, config(additions_only=True))
    assert numbers(messages) == [5]
    assert "attachment added" in messages[0].body


def test_digest_is_one_message_listing_every_alerted_event(db: Database, report: str):
    crawl(db, edits(report))
    [digest] = queued(db, config(digest=True))
    assert digest.change_event_id is None
    assert "2 new" not in digest.title and "1 new" in digest.title
    for number in (0, 1, 20, 3, 4):
        assert SITE.format(number) in digest.body
    assert SITE.format(2) not in digest.body
    assert "965.2" in digest.body and "985.2" in digest.body
    assert "(1 other event of this run not alerted" in digest.body  # the script-only copy
    # Most significant first: the removal (1.0) before the wording tweak.
    assert digest.body.index(SITE.format(3)) < digest.body.index(SITE.format(1))


def test_rate_limit_sends_one_summary(db: Database, report: str):
    crawl(db, [page(n, report.replace("長安", "長安鎮", 1 + n)) for n in range(10)])
    [summary] = queued(db, config(max_alerts_per_run=3))
    assert "10 changed" in summary.title and "summary" in summary.title
    assert "on 10 pages" in summary.body and "more than the 3 alerts" in summary.body
    assert summary.body.count(SITE.format("")[:-5]) == 5  # the five most significant
    assert "govwatch changes --source changan" in summary.body


def test_alerts_link_to_the_full_diff_when_the_web_app_is_configured(db: Database, report: str):
    crawl(db, [page(0, report.replace("965.2億元", "985.2億元", 1))])
    [message] = queued(db, config(base_url="https://govwatch.example.org/"))
    with db.reader() as session:
        event = session.query(ChangeEvent).one()
    link = f"https://govwatch.example.org/documents/{event.document_id}/diff?from=1&to=2"
    assert f"Full diff: {link}" in message.body


def test_digest_is_delivered_as_one_message(sink, db: Database, report: str):
    crawl(db, edits(report))
    settings = config(digest=True).model_copy(update={"notify": NotifyConfig(urls=[sink.url])})
    report_ = dispatch(db, settings)
    assert (report_.queued, report_.sent) == (1, 1)
    [message] = sink.messages
    assert "985.2" in message["message"] and SITE.format(20) in message["message"]


@pytest.mark.parametrize(
    ("section", "field", "value"),
    [
        ("source", "min_significance", 1.5),
        ("source", "max_alerts_per_run", 0),
        ("web", "base_url", "govwatch.example.org"),
    ],
)
def test_alert_options_are_validated(tmp_path: Path, section: str, field: str, value: object):
    from config import ConfigError, load_config

    shown = f'"{value}"' if isinstance(value, str) else value
    source = 'name = "changan"\nstart_urls = ["http://127.0.0.1:9/"]\n'
    if section == "source":
        text = f"[[sources]]\n{source}{field} = {shown}\n"
    else:
        text = f"[{section}]\n{field} = {shown}\n"
    path = tmp_path / "govwatch.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=field):
        load_config(path)
