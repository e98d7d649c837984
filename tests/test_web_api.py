"""The JSON API: reads through the shared queries, search, tokens, and the OpenAPI schema."""

from __future__ import annotations

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from web_corpus import (
    GONE_URL,
    NOTICE_TITLE,
    NOTICE_URL,
    REPORT_URL,
    record_corpus,
    web_config,
)

from dispatch import run_scheduled_crawl
from web.app import create_app

TOKEN = "write-token-123"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def test_sources_runs_documents_and_versions(client, corpus):
    [source] = client.get("/api/sources").json()
    assert source["name"] == "changan" and source["health"] == "ok"
    assert source["documents"] == 3 and source["next_run"]
    assert source["last_run"]["pages"] == 1 and source["last_run"]["removed"] == 1

    runs = client.get("/api/runs", params={"limit": 2}).json()
    assert len(runs) == 2 and runs[0]["id"] > runs[1]["id"]

    documents = client.get("/api/documents").json()
    assert {d["url"] for d in documents} == {REPORT_URL, NOTICE_URL, GONE_URL}
    assert client.get("/api/documents", params={"limit": 1, "offset": 1}).json() == documents[1:2]

    report = client.get(f"/api/documents/{corpus.report_id}").json()
    assert [v["version"] for v in report["versions"]] == [1, 2]
    assert [c["kind"] for c in report["changes"]] == ["changed"]
    version = client.get(f"/api/documents/{corpus.report_id}/versions/2").json()
    assert "985.2" in version["text"] and "长安镇" not in version["text"]
    assert version["attachments"] == [
        {"url": "http://www.changan.gov.cn/zwgk/attachment/report.pdf", "text": "报告全文.pdf"}
    ]
    assert client.get("/api/documents/99999").status_code == 404
    assert client.get(f"/api/documents/{corpus.report_id}/versions/7").status_code == 404


def test_changes_filters_and_pages(client, corpus):
    changes = client.get("/api/changes").json()
    assert [c["kind"] for c in changes] == ["removed", "changed", "new", "new"]
    assert client.get("/api/changes", params={"kind": "new"}).json() == changes[2:]
    assert client.get("/api/changes", params={"limit": 2, "offset": 1}).json() == changes[1:3]
    assert client.get("/api/changes", params={"source": "elsewhere"}).json() == []
    significant = client.get("/api/changes", params={"min_significance": 0.99}).json()
    assert {c["kind"] for c in significant} == {"new", "removed"}
    assert client.get("/api/changes", params={"kind": "bogus"}).status_code == 422

    changed = changes[1]
    assert changed["document_id"] == corpus.report_id
    assert (changed["from_version"], changed["to_version"]) == (1, 2)
    diff = client.get(f"/api/documents/{corpus.report_id}/diff").json()
    deleted = [op["text"] for op in diff["ops"] if op["kind"] == "delete"]
    inserted = [op["text"] for op in diff["ops"] if op["kind"] == "insert"]
    assert (deleted, inserted) == (["965.2"], ["985.2"])
    assert any("965.2" in reason for reason in diff["reasons"])


def test_cli_json_and_api_agree(client, recorder):
    from storage.queries import list_changes

    with recorder.db.reader() as session:
        assert client.get("/api/changes").json() == list_changes(session, limit=50)


def test_search_finds_chinese_phrases(client, corpus):
    def urls(q: str, **params: object) -> list[str]:
        response = client.get("/api/search", params={"q": q, **params})
        assert response.status_code == 200, response.text
        return [hit["url"] for hit in response.json()]

    # A traditional-script document found by a simplified phrase, and the other way round.
    assert urls("生产总值") == [REPORT_URL]
    assert urls("生產總值") == [REPORT_URL]
    assert urls("消防安全检查") == [NOTICE_URL]  # in the title and the text
    assert urls("冬季 通知") == [NOTICE_URL]  # every term must occur
    assert urls("冬季 报告") == []
    assert urls("消防") == [NOTICE_URL]  # two characters: below the trigram, LIKE fallback
    assert urls("镇") == [REPORT_URL]
    # The old figure is only in version 1: found among all versions, not current ones.
    assert urls("965.2") == []
    assert urls("965.2", all_versions=True) == [REPORT_URL]
    assert urls("%") == [REPORT_URL]  # LIKE wildcards are literal
    assert urls('"億元') == [] and urls("_") == []
    [hit] = client.get("/api/search", params={"q": "生产总值"}).json()
    start, end = hit["highlights"][0]
    assert hit["snippet"][start:end] == "生产总值"


def test_write_endpoints_need_the_token(client, recorder):
    for path in ("/api/sources/changan/pause", "/api/sources/changan/crawl"):
        assert client.post(path).status_code == 401
        wrong = client.post(path, headers={"Authorization": "Bearer not-the-token"})
        assert wrong.status_code == 401
    assert client.post("/api/sources/nowhere/pause", headers=AUTH).status_code == 404
    assert client.post("/api/sources/nowhere/crawl", headers=AUTH).status_code == 404

    paused = client.post("/api/sources/changan/pause", headers=AUTH)
    assert paused.json() == {"source": "changan", "paused": True}
    [source] = client.get("/api/sources").json()
    assert source["health"] == "paused" and source["next_run"] is None
    # The scheduler's job skips a paused source without starting a crawl.
    assert run_scheduled_crawl("/nonexistent.toml", recorder.db.url, "changan") == 0
    client.post("/api/sources/changan/resume", headers=AUTH)
    assert client.get("/api/sources").json()[0]["paused"] is False


def test_without_a_configured_token_writes_are_refused(recorder, corpus):
    with TestClient(create_app(web_config(token=None), recorder.db)) as client:
        response = client.post("/api/sources/changan/pause", headers=AUTH)
        assert response.status_code == 403
        assert "[web]" in response.json()["detail"]


def test_a_read_token_closes_reading(recorder, corpus):
    config = web_config(read_token="read-token-456")
    with TestClient(create_app(config, recorder.db)) as client:
        assert client.get("/api/changes").status_code == 401
        assert client.get("/feeds/changes.atom", follow_redirects=False).status_code == 303
        reader = {"Authorization": "Bearer read-token-456"}
        assert client.get("/api/changes", headers=reader).status_code == 200
        assert client.get("/api/changes", headers=AUTH).status_code == 200
        assert client.post("/api/sources/changan/pause", headers=reader).status_code == 403
        assert client.get("/openapi.json").status_code == 200


def test_notice_title_is_listed(client):
    titles = {c["title"] for c in client.get("/api/changes", params={"kind": "new"}).json()}
    assert NOTICE_TITLE in titles


def test_api_conforms_to_its_schema(recorder, corpus):
    """schemathesis: generated requests for every operation, responses checked against
    the schema. No token is sent, so write operations must answer 401 as documented."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(web_config(), recorder.db))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=8,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def conforms(case: schemathesis.Case) -> None:
            case.call_and_validate()

        conforms()


def test_search_on_both_backends(db_url):
    """FTS5 trigram on SQLite, pg_trgm on PostgreSQL: the same answers."""
    from conftest import Recorder

    from storage.db import open_database

    db = open_database(db_url)
    try:
        record_corpus(Recorder(db))
        with TestClient(create_app(web_config(), db)) as client:
            for q, expected in [
                ("生产总值", [REPORT_URL]),
                ("消防安全检查", [NOTICE_URL]),
                ("消防", [NOTICE_URL]),
                ("冬季 报告", []),
                ("965.2", []),
            ]:
                hits = client.get("/api/search", params={"q": q}).json()
                assert [h["url"] for h in hits] == expected, q
            hits = client.get("/api/search", params={"q": "965.2", "all_versions": True}).json()
            assert [(h["url"], h["version"]) for h in hits] == [(REPORT_URL, 1)]
    finally:
        db.dispose()


def test_serve_with_and_without_the_scheduler_and_stop_on_sigterm(cli_factory, sqlite_url):
    """`govwatch serve` runs the app with the scheduler; a second `--no-scheduler` process
    serves the same database; both stop cleanly on SIGTERM."""
    import signal
    import socket
    import subprocess
    import sys
    import time

    import httpx
    from conftest import REPO, _child_env

    cli = cli_factory(sqlite_url, start_urls=["http://127.0.0.1:9/index.html"])

    def free_port() -> int:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            return probe.getsockname()[1]

    def wait_until_serving(child: subprocess.Popen, port: int) -> None:
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/api/sources", timeout=2)
                break
            except httpx.TransportError:
                assert child.poll() is None and time.monotonic() < deadline, "not serving"
                time.sleep(0.2)
        assert response.json()[0]["name"] == "changan"

    servers = []
    try:
        # One after the other: the first one creates the schema.
        for extra in ([], ["--no-scheduler"]):
            port = free_port()
            command = [sys.executable, "-m", "govwatch", "--config", str(cli.config_path)]
            command += ["--db", sqlite_url, "serve", "--port", str(port), *extra]
            child = subprocess.Popen(
                command,
                cwd=REPO,
                env=_child_env(),
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
            )
            servers.append(child)
            wait_until_serving(child, port)
    finally:
        outputs = []
        for child in servers:
            child.send_signal(signal.SIGTERM)
            outputs.append(child.communicate(timeout=30)[0].decode())
            # uvicorn shuts down, then re-raises the signal it caught: -SIGTERM is clean.
            assert child.returncode in (0, -signal.SIGTERM), outputs[-1]
            assert "Application shutdown complete" in outputs[-1]
    with_scheduler, without = outputs
    assert "crawl:changan: next run" in with_scheduler and "stopping scheduler" in with_scheduler
    assert "crawl:changan" not in without and "(no scheduler)" in without
