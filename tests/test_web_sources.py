"""Sources managed from the API (editors): preview, add, edit, delete keeping documents; the
file's sources imported and edited only there; ``govwatch sources export``."""

from __future__ import annotations

import tomllib

import pytest
from conftest import Recorder
from fastapi.testclient import TestClient
from web_corpus import web_config

from config import Config, SourceConfig
from storage.accounts import add_user, issue_token
from storage.sources import sources_toml, with_stored_sources
from web.app import create_app


@pytest.fixture
def small_portal():
    from portal import Portal

    site = Portal(articles=6, per_page=10, seed=3)
    with site.serve(host="127.0.0.1", port=0):
        yield site


@pytest.fixture
def team(recorder) -> dict[str, dict[str, str]]:
    headers = {}
    with recorder.db.transaction() as session:
        for name, role in (("eve", "editor"), ("vic", "viewer")):
            add_user(session, name, role)
            headers[name] = {"Authorization": f"Bearer {issue_token(session, name)[1]}"}
    return headers


def test_editor_previews_adds_edits_and_deletes_a_source(recorder, team, small_portal):
    eve, vic = team["eve"], team["vic"]
    body = {"name": "jiangnan", "start_urls": [small_portal.listing_url]}
    with TestClient(create_app(web_config(), recorder.db)) as client:
        assert client.post("/api/sources/preview", json=body, headers=vic).status_code == 403
        assert client.post("/api/sources", json=body, headers=vic).status_code == 403
        assert client.post("/api/sources", json=body).status_code == 401

        preview = client.post("/api/sources/preview", json=body, headers=eve).json()
        assert preview["ok"] and preview["documents"] == 6
        [check] = preview["start_urls"]
        assert check["error"] is None and check["listing"] and len(check["examples"]) == 6

        added = client.post("/api/sources", json=body, headers=eve)
        assert added.status_code == 201 and added.json()["origin"] == "web"
        assert {s["name"]: s["origin"] for s in client.get("/api/sources").json()} == {
            "changan": "file",
            "jiangnan": "web",
        }
        assert client.post("/api/sources", json=body, headers=eve).status_code == 409
        taken = client.post("/api/sources", json={**body, "name": "changan"}, headers=eve)
        assert taken.status_code == 409 and "configuration file" in taken.json()["detail"]
        # A file source is edited in the file.
        edit_file = client.put(
            "/api/sources/changan", json={**body, "name": "changan"}, headers=eve
        )
        assert edit_file.status_code == 409
        bad = client.post(
            "/api/sources", json={**body, "name": "x", "schedule": "nope"}, headers=eve
        )
        assert bad.status_code == 422 and "schedule" in bad.text

        edited = client.put(
            "/api/sources/jiangnan", json={**body, "schedule": "15 8 * * *"}, headers=eve
        )
        assert edited.json()["schedule"] == "15 8 * * *"

        # Deleted, its stored documents kept.
        Recorder(recorder.db, source="jiangnan").observe(
            small_portal.listing_url.replace("index", "x"), "存档", "已存的文档。"
        )
        assert client.delete("/api/sources/jiangnan", headers=eve).status_code == 204
        assert [s["name"] for s in client.get("/api/sources").json()] == ["changan"]
        assert len(client.get("/api/documents", params={"source": "jiangnan"}).json()) == 1
        assert client.delete("/api/sources/jiangnan", headers=eve).status_code == 404

        # Added again, then deleted with its documents.
        client.post("/api/sources", json=body, headers=eve)
        gone = client.delete(
            "/api/sources/jiangnan", params={"delete_documents": True}, headers=eve
        )
        assert gone.status_code == 204
        assert client.get("/api/documents", params={"source": "jiangnan"}).json() == []
        actions = [e["action"] for e in client.get("/api/audit", headers=_admin(recorder)).json()]
        assert actions[:3] == ["delete-source", "add-source", "delete-source"]


def _admin(recorder) -> dict[str, str]:  # noqa: ANN001
    with recorder.db.transaction() as session:
        add_user(session, "ada", "admin")
        return {"Authorization": f"Bearer {issue_token(session, 'ada')[1]}"}


def test_the_file_takes_over_a_name_and_export_round_trips(recorder, caplog):
    web_only = SourceConfig(
        name="nanshan",
        start_urls=["http://www.nanshan.gov.cn/xxgk/"],
        schedule="30 7 * * mon-fri",
        allow=[r"/content/post_\d+\.html$"],
        max_pages=50,
    )
    with TestClient(create_app(web_config(), recorder.db)) as client:
        admin = _admin(recorder)
        for source in (web_only, web_only.model_copy(update={"name": "taken"})):
            response = client.post(
                "/api/sources", json=source.model_dump(mode="json"), headers=admin
            )
            assert response.status_code == 201
    # The file now defines "taken" too: the file wins, and says so.
    file_config = Config.model_validate(
        {"sources": [{"name": "taken", "start_urls": ["http://www.example.gov.cn/"]}]}
    )
    merged = with_stored_sources(file_config, recorder.db)
    assert [s.name for s in merged.sources] == ["taken", "nanshan"]
    assert merged.sources[0].start_urls == ["http://www.example.gov.cn/"]
    assert "now defined in" in caplog.text
    with recorder.db.reader() as session:
        from storage.accounts import audit_log

        [entry] = [e for e in audit_log(session) if e["action"] == "take-over-source"]
    assert (
        entry["target"] == "taken" and entry["detail"]["replaced"]["schedule"] == "30 7 * * mon-fri"
    )

    exported = tomllib.loads(sources_toml(merged.sources[1:]))
    assert [SourceConfig.model_validate(s) for s in exported["sources"]] == [web_only]


def test_sources_export_cli(cli_factory, sqlite_url):
    from test_subscriptions import in_process

    from storage.db import open_database
    from storage.models import Source

    cli = cli_factory(sqlite_url, start_urls=["http://127.0.0.1:9/"])
    govwatch = in_process(cli)
    govwatch("sources", "list")  # imports the file's source
    db = open_database(sqlite_url)
    with db.transaction() as session:
        session.add(
            Source(
                name="web1",
                origin="web",
                settings={"name": "web1", "start_urls": ["http://www.example.gov.cn/a/"]},
            )
        )
    db.dispose()
    rows = __import__("json").loads(govwatch("sources", "list", "--json"))
    assert [(r["name"], r["defined_in"]) for r in rows] == [("changan", "file"), ("web1", "web")]
    text = govwatch("sources", "export")
    assert tomllib.loads(text)["sources"] == [
        {"name": "web1", "start_urls": ["http://www.example.gov.cn/a/"]}
    ]
    assert [
        s["name"] for s in tomllib.loads(govwatch("sources", "export", "--all"))["sources"]
    ] == ["changan", "web1"]
