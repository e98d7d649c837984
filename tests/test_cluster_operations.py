"""Operating govwatch: health, Prometheus metrics, the cluster panel, JSON logs."""

from __future__ import annotations

import json
import signal
import subprocess
import sys

from cluster_support import REDIS_URL, cluster_config, fresh_schema, redis_or_skip
from conftest import REPO, _child_env
from fastapi.testclient import TestClient


def test_healthz_answers_without_a_token(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] is True


def test_metrics_count_runs_documents_and_events(client):
    text = client.get("/metrics").text
    assert 'govwatch_database_up 1.0' in text
    assert 'govwatch_documents{source="changan"}' in text
    assert 'govwatch_events{kind="changed",source="changan"} 1.0' in text
    assert 'govwatch_crawl_runs{source="changan",status="finished"}' in text


def test_metrics_need_read_access_when_reading_is_protected(recorder, corpus):
    from web_corpus import web_config

    from web.app import create_app

    app = create_app(web_config(read_token="read-token-456"), recorder.db)
    with TestClient(app) as protected:
        assert protected.get("/metrics").status_code == 401
        answer = protected.get("/metrics", headers={"Authorization": "Bearer read-token-456"})
        assert answer.status_code == 200 and "govwatch_documents" in answer.text
        assert protected.get("/healthz").status_code == 200


def test_the_overview_shows_the_leader_and_what_is_queued(tmp_path, postgres_url):
    redis_or_skip()
    from config import load_config
    from dispatch import dispatcher_for
    from storage.db import open_database
    from web.app import create_app

    url = fresh_schema(postgres_url)
    path = cluster_config(tmp_path / "govwatch.toml", {"s1": "http://127.0.0.1:9/"})
    path.write_text(path.read_text() + '\n[web]\ntoken = "write-token-123"\n')
    config = load_config(path, db_url=url)
    db = open_database(url)
    dispatcher_for(config).start("s1")  # no worker runs: it stays queued
    with TestClient(create_app(config, db, run_scheduler=True)) as app:
        app.app.state.schedule.lead.wait_until_leading(10)
        status = app.get("/api/cluster").json()
        assert status["mode"] == "cluster"
        assert status["queued"] == {"s1": 1} and status["queue_length"] == 1
        assert status["leader"] and status["workers"] == {}
        page = app.get("/").text
        assert status["leader"] in page and "s1 ×1" in page
        assert app.get("/healthz").json()["leading"] is True
        text = app.get("/metrics").text
        assert "govwatch_queue_length 1.0" in text and "govwatch_dispatcher_leading 1.0" in text
        started = app.post("/api/sources/s1/crawl",
                           headers={"Authorization": "Bearer write-token-123"})
        assert started.status_code == 409  # queued already: not queued twice
    import redis

    redis.Redis.from_url(REDIS_URL).delete(config.cluster.queue)
    db.dispose()


def test_scheduler_logs_json_lines_on_request(tmp_path):
    config = tmp_path / "govwatch.toml"
    config.write_text('[[sources]]\nname = "s1"\nstart_urls = ["http://127.0.0.1:9/"]\n')
    process = subprocess.Popen(
        [sys.executable, "-m", "govwatch", "--log-format", "json", "--config", str(config),
         "--db", f"sqlite:///{tmp_path / 'g.db'}", "scheduler"],
        cwd=REPO, env=_child_env(), stderr=subprocess.PIPE, text=True,
    )
    lines = []
    for line in process.stderr:
        lines.append(line)
        if "next run" in line:
            break
    process.send_signal(signal.SIGTERM)
    rest, _ = process.communicate(timeout=30)
    assert process.returncode == 0, "".join(lines) + rest
    records = [json.loads(line) for line in lines if line.startswith("{")]
    assert any("crawl:s1" in record["message"] for record in records)
    assert all({"time", "level", "logger", "message"} <= record.keys() for record in records)
