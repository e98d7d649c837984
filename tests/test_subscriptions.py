"""Personal subscriptions end to end: keyword filters in either script, each user's own
webhook, a digest at its time of day (a driven clock), and matching on changed passages."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from alerts import dispatch
from alerts.subscriptions import highlight
from config import load_config
from govwatch.sink import WebhookSink
from storage.accounts import add_user
from storage.db import open_database
from storage.models import Notification
from storage.subscriptions import add_subscription

SHANGHAI = ZoneInfo("Asia/Shanghai")


def in_process(cli):  # noqa: ANN001, ANN201 - conftest's Cli; a runner function
    """The CLI's account commands run in this process (a crawl still runs as a child)."""
    from typer.testing import CliRunner

    from govwatch.cli import app

    def run(*args: str, input: str | None = None, status: int = 0) -> str:  # noqa: A002
        base = ["--config", str(cli.config_path), "--db", cli.db_url]
        result = CliRunner().invoke(app, [*base, *args], input=input)
        assert result.exit_code == status, (args, result.output)
        return result.output

    return run


@pytest.fixture
def small_portal():
    from portal import Portal

    site = Portal(articles=6, per_page=10, seed=11)
    with site.serve(host="127.0.0.1", port=0):
        yield site


@pytest.fixture
def hooks():
    with WebhookSink() as ana, WebhookSink() as ben, WebhookSink() as dai:
        yield ana, ben, dai


def test_each_user_gets_exactly_their_own_alerts(small_portal, hooks, cli_factory, sqlite_url):
    ana, ben, dai = hooks
    portal = small_portal
    cli = cli_factory(sqlite_url, start_urls=[portal.listing_url])
    govwatch = in_process(cli)
    govwatch("users", "add", "ana", "--role", "editor")
    govwatch("users", "add", "ben", "--role", "viewer")
    govwatch("users", "add", "dai", "--role", "viewer", "--time-zone", "Asia/Shanghai")
    govwatch("subscribe", "ana", "--keyword", "专项债", "--notify", ana.url)
    # Ben writes his keyword in traditional script; the portal publishes in simplified.
    govwatch("subscribe", "ben", "--keyword", "土地出讓", "--kind", "new", "--notify", ben.url)
    govwatch(
        "subscribe",
        "dai",
        "--keyword",
        "专项债",
        "--keyword",
        "土地出让",
        "--notify",
        dai.url,
        "--digest",
        "08:00",
    )
    subscriptions = json.loads(govwatch("subscriptions", "--json"))
    assert [s["user"] for s in subscriptions] == ["ana", "ben", "dai"]
    assert all("127.0.0.1" not in url for s in subscriptions for url in s["notify"])  # redacted

    cli.run("crawl", "changan")  # the baseline: nothing is news yet
    bond = portal.publish(
        title="关于下达2026年新增专项债券额度的通知",
        paragraphs=["各镇街：", "现将2026年新增专项债额度下达给你们，请抓紧组织项目申报。"],
    )
    land = portal.publish(
        title="长安镇2026年第四季度国有建设用地供应计划",
        paragraphs=["本季度计划通过土地出让方式供应国有建设用地12宗。", "详见附表。"],
    )
    portal.publish(
        title="关于开展冬季消防安全检查的通知",
        paragraphs=["各社区：", "为做好冬季消防安全工作，现就有关事项通知如下。"],
    )
    cli.run("crawl", "changan")

    [to_ana] = ana.wait_for(1)
    [to_ben] = ben.wait_for(1)
    assert bond.title in to_ana["title"] and "专项债" in to_ana["title"]
    assert "keyword 专项债" in to_ana["message"] and "【专项债】" in to_ana["message"]
    assert land.title in to_ben["title"]
    assert "keyword 土地出讓" in to_ben["message"] and "kind new" in to_ben["message"]
    assert "【土地出让】" in to_ben["message"]  # marked in the text's own script
    # Nothing else arrives, and the digest waits for its time.
    assert len(ana.wait_for(2, timeout=1)) == 1 and len(ben.wait_for(2, timeout=0.2)) == 1
    assert dai.messages == []

    # The digest: 08:00 in Shanghai, on a driven clock.
    config = load_config(cli.config_path, db_url=sqlite_url)
    db = open_database(sqlite_url)
    try:
        now = datetime.now(SHANGHAI)
        eight = now.replace(hour=8, minute=0, second=0, microsecond=0)
        eight = eight if eight > now else eight + timedelta(days=1)
        dispatch(db, config, now=(eight - timedelta(minutes=1)).astimezone(UTC))
        assert dai.wait_for(1, timeout=0.5) == []
        dispatch(db, config, now=(eight + timedelta(minutes=1)).astimezone(UTC))
        [digest] = dai.wait_for(1)
        assert "digest for dai: 2 events" in digest["title"]
        assert highlight(bond.title, ["专项债"]) in digest["message"]
        assert highlight(land.title, ["土地出让"]) in digest["message"]
        assert "keyword 专项债" in digest["message"] and "keyword 土地出让" in digest["message"]
        dispatch(db, config, now=(eight + timedelta(hours=3)).astimezone(UTC))
        assert len(dai.wait_for(2, timeout=0.5)) == 1  # one message a day
    finally:
        db.dispose()
    assert len(ana.messages) == 1 and len(ben.messages) == 1


def test_changed_passages_not_the_whole_text(recorder):
    """A change matches a keyword only where the keyword touches changed text."""
    config = _config()
    with recorder.db.transaction() as session:
        add_user(session, "ana", "editor")
        add_subscription(session, "ana", notify=["json://127.0.0.1:9/a"], keywords=["专项债"])
    url = "http://www.example.gov.cn/a/1.html"
    text = "今年发行專項債100亿元。\n全镇生产总值965.2亿元。"
    recorder.observe(url, "预算报告", text)  # first run: a baseline, no events
    recorder.observe(url, "预算报告", text.replace("965.2", "985.2"))
    assert _queued(recorder.db, config) == []  # the keyword is in unchanged text
    recorder.observe(url, "预算报告", text.replace("100", "120").replace("965.2", "985.2"))
    [(title, body)] = _queued(recorder.db, config)
    assert "預算" not in title and "专项债" in title
    assert "【專項債】" in body  # marked in the document's own script
    # A new document in traditional script matches the simplified keyword.
    recorder.observe("http://www.example.gov.cn/a/2.html", "通知", "關於專項債券的通知。")
    [(_, body)] = _queued(recorder.db, config)
    assert "【專項債】券" in body


def _config():
    from config import Config

    return Config.model_validate({"sources": [{"name": "changan", "start_urls": ["http://x/"]}]})


def _queued(db, config) -> list[tuple[str, str]]:  # noqa: ANN001 - storage.db.Database
    """The personal messages queued by one alert pass (nothing is sent: no due sender)."""
    from alerts.outbox import queue_alerts

    with db.reader() as session:
        before = session.scalar(select(Notification.id).order_by(Notification.id.desc()).limit(1))
    queue_alerts(db, config)
    with db.reader() as session:
        rows = session.execute(
            select(Notification.title, Notification.body).where(Notification.id > (before or 0))
        ).all()
    return [tuple(row) for row in rows]


def test_highlight_marks_either_script():
    assert highlight("關於專項債券", ["专项债"]) == "關於【專項債】券"
    assert highlight("abc GDP def", ["gdp"]) == "abc 【GDP】 def"
    assert highlight("土地出让土地出让", ["土地出让"]) == "【土地出让】【土地出让】"


def test_users_cli(cli_factory, sqlite_url):
    cli = cli_factory(sqlite_url, start_urls=["http://127.0.0.1:9/"])
    govwatch = in_process(cli)
    govwatch("users", "add", "ada", "--role", "admin", "--password-stdin", input="pw-ada-123\n")
    govwatch("users", "add", "vic", "--role", "viewer")
    assert "exists" in govwatch("users", "add", "vic", "--role", "viewer", status=2)
    assert "one of viewer" in govwatch("users", "add", "x", "--role", "boss", status=2)
    assert "at least 8" in govwatch(
        "users", "add", "y", "--role", "viewer", "--password-stdin", input="short\n", status=2
    )
    token = govwatch("users", "token", "vic").strip()
    assert token.startswith("gw_")
    users = json.loads(govwatch("users", "list", "--json"))
    assert [(u["name"], u["role"], u["has_password"]) for u in users] == [
        ("ada", "admin", True),
        ("vic", "viewer", False),
    ]
    assert token not in json.dumps(users) and users[1]["tokens"][0]["hint"] == token[:7] + "…"
    assert "no such source" in govwatch(
        "subscribe", "vic", "--source", "nowhere", "--notify", "json://127.0.0.1:9/", status=2
    )
    govwatch("users", "remove", "vic")
    assert [u["name"] for u in json.loads(govwatch("users", "list", "--json"))] == ["ada"]
    actions = [e["action"] for e in json.loads(govwatch("users", "audit", "--json"))]
    assert actions == ["remove-user", "issue-token", "add-user", "add-user"]


def test_accounts_and_digests_on_both_backends(db_url):
    """Storage of accounts, sessions, subscriptions and digest matches on SQLite and
    PostgreSQL: a digest collects its matches and goes once, at its time."""
    from conftest import Recorder

    from alerts.outbox import queue_alerts
    from storage.accounts import (
        issue_token,
        principal_for_session,
        principal_for_token,
        remove_user,
        set_password,
        start_session,
        verify_password,
    )

    db = open_database(db_url)
    try:
        with db.transaction() as session:
            user = add_user(
                session, "dai", "viewer", password="pw-dai-123", time_zone="Asia/Shanghai"
            )
            secret = start_session(session, user)
            token = issue_token(session, "dai")[1]
            add_subscription(
                session,
                "dai",
                notify=["json://127.0.0.1:9/d"],
                keywords=["通知"],
                digest_at="08:00",
            )
        with db.transaction() as session:
            assert verify_password(session, "dai", "pw-dai-123") is not None
            assert verify_password(session, "dai", "wrong") is None
            assert principal_for_token(session, token).role == "viewer"
            assert principal_for_session(session, secret).name == "dai"
            set_password(session, "dai", "pw-dai-456")
        with db.reader() as session:
            assert principal_for_session(session, secret) is None

        recorder = Recorder(db)
        recorder.observe("http://www.example.gov.cn/a/1.html", "首页", "正文。")
        recorder.observe("http://www.example.gov.cn/a/2.html", "关于放假的通知", "通知正文。")
        recorder.observe("http://www.example.gov.cn/a/3.html", "另一份通知", "通知内容。")
        config = _config()
        now = datetime.now(SHANGHAI)
        eight = now.replace(hour=8, minute=0, second=0, microsecond=0)
        eight = eight if eight > now else eight + timedelta(days=1)
        assert queue_alerts(db, config, (eight - timedelta(minutes=5)).astimezone(UTC)) == 0
        assert queue_alerts(db, config, (eight + timedelta(minutes=5)).astimezone(UTC)) == 1
        assert queue_alerts(db, config, (eight + timedelta(minutes=9)).astimezone(UTC)) == 0
        with db.reader() as session:
            [title] = session.scalars(select(Notification.title)).all()
        assert title == "[govwatch] digest for dai: 2 events"
        with db.transaction() as session:
            remove_user(session, "dai")  # subscriptions and their matches go with the user
        with db.reader() as session:
            assert principal_for_token(session, token) is None
    finally:
        db.dispose()


def test_issuer_and_document_number_filters(recorder):
    """Issue 16's fields: issuing body (part of a name, either script) and 文号 (any printed
    form, or a prefix)."""
    from sqlalchemy import update

    from storage.models import Version

    config = _config()
    with recorder.db.transaction() as session:
        add_user(session, "ana", "editor")
        add_subscription(session, "ana", notify=["json://127.0.0.1:9/a"], issuers=["發展和改革局"])
        add_subscription(
            session, "ana", notify=["json://127.0.0.1:9/b"], numbers=["粵府辦[2024]第012號"]
        )
        add_subscription(session, "ana", notify=["json://127.0.0.1:9/c"], numbers=["东府"])
    recorder.observe("http://www.example.gov.cn/a/0.html", "首页", "正文。")  # the baseline
    documents = {
        "http://www.example.gov.cn/a/1.html": (["长安镇发展和改革局"], "粤府办〔2024〕12号"),
        "http://www.example.gov.cn/a/2.html": (["长安镇财政局"], "东府〔2023〕5号"),
    }
    for url, (issuers, number) in documents.items():
        recorder.observe(url, f"通知 {number}", "正文内容。")
        with recorder.db.transaction() as session:
            session.execute(
                update(Version)
                .where(Version.id == select(func.max(Version.id)).scalar_subquery())
                .values(issuing_authority=issuers, document_number_normalized=number)
            )
    queued = _queued(recorder.db, config)
    with recorder.db.reader() as session:
        rows = session.execute(
            select(Notification.destination, Notification.body).order_by(Notification.id)
        ).all()
    assert len(queued) == 3
    from alerts.channels import channel_ref

    # The outbox names each destination by reference (alerts/channels.py), never its URL.
    hooks = {channel_ref(f"json://127.0.0.1:9/{hook}"): hook for hook in "abc"}
    by_hook = {hooks[destination]: body for destination, body in rows}
    assert "issuer 發展和改革局" in by_hook["a"] and "粤府办〔2024〕12号" in by_hook["a"]
    assert "文号 粵府辦[2024]第012號" in by_hook["b"]
    assert "文号 东府" in by_hook["c"] and "东府〔2023〕5号" in by_hook["c"]
