"""Accounts and roles in the web app and the API: every write endpoint by role (schemathesis
with each role's token), login sessions and their end on a password change, the login
rate limit, the audit log, and secrets that are never stored or logged in clear."""

from __future__ import annotations

import logging

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance
from web_corpus import web_config

from storage.accounts import add_user, issue_token, set_password
from web.app import create_app

BOOTSTRAP = "write-token-123"
PASSWORDS = {"ada": "ada-password-1", "eve": "eve-password-1", "vic": "vic-password-1"}
ROLES = {"ada": "admin", "eve": "editor", "vic": "viewer"}
ACCOUNTS = ("/api/me", "/api/users", "/api/tokens", "/api/audit", "/api/subscriptions")


@pytest.fixture
def team(recorder, corpus) -> dict[str, str]:
    """Three users, one per role; returns each one's personal API token."""
    tokens = {}
    with recorder.db.transaction() as session:
        for name, role in ROLES.items():
            add_user(session, name, role, password=PASSWORDS[name])
            tokens[name] = issue_token(session, name)[1]
    return tokens


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def write_operations(app) -> list[tuple[str, str, str]]:  # noqa: ANN001 - a FastAPI app
    """(method, path, least role) of every API operation that writes."""
    admin_paths = ("/api/users", "/api/tokens")
    out = []
    for path, methods in app.openapi()["paths"].items():
        for method in methods:
            if method != "get":
                role = "admin" if path.startswith(admin_paths) else "editor"
                out.append((method.upper(), path, role))
    return out


def concrete(path: str) -> str:
    """Names and ids of nothing: the roles are checked before anything is looked up."""
    return (
        path.replace("{name}", "nobody")
        .replace("{token_id}", "9999")
        .replace("{subscription_id}", "9999")
    )


def test_roles_on_every_write_endpoint(recorder, team):
    app = create_app(web_config(), recorder.db)
    operations = write_operations(app)
    assert len(operations) >= 9
    rank = {"viewer": 0, "editor": 1, "admin": 2}
    with TestClient(app) as client:
        for method, path, least in operations:
            url = concrete(path)
            assert client.request(method, url).status_code == 401, (method, path)
            wrong = client.request(method, url, headers=bearer("gw_not-a-token"))
            assert wrong.status_code == 401, (method, path)
            for name, role in ROLES.items():
                response = client.request(method, url, headers=bearer(team[name]), json={})
                if rank[role] < rank[least]:
                    assert response.status_code == 403, (name, method, path, response.text)
                else:
                    assert response.status_code not in (401, 403), (name, method, path)
    # Reading is open here; a wrong token is still refused.
    with TestClient(app) as client:
        assert client.get("/api/changes", headers=bearer(team["vic"])).status_code == 200
        assert client.get("/api/changes", headers=bearer("gw_nope")).status_code == 401
        assert client.get("/api/me", headers=bearer(team["vic"])).json() == {
            "name": "vic",
            "role": "viewer",
            "user": True,
        }
        assert client.get("/api/users", headers=bearer(team["eve"])).status_code == 403
        assert client.get("/api/audit", headers=bearer(team["vic"])).status_code == 403


@pytest.mark.parametrize("who", ["vic", "eve", "ada"])
def test_api_conforms_to_its_schema_for_each_role(recorder, team, who):
    """schemathesis, each role's token: every response is one the schema documents, and a
    viewer's writes are all refused."""
    app = create_app(web_config(), recorder.db)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    headers = bearer(team[who])
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.method.upper() == "GET" and not operation.path.startswith(ACCOUNTS):
            continue  # reading documents and runs: test_web_api.py

        @given(case=operation.as_strategy())
        @settings(
            max_examples=3,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def conforms(case: schemathesis.Case) -> None:
            if who != "vic" and case.path.endswith("/preview"):
                return  # it would fetch the generated URLs: test_web_sources.py covers it
            if case.method.upper() == "POST" and case.path.endswith("/crawl"):
                case.path_parameters = {"name": "no-such-source"}  # start no crawls
            # The role's token replaces any generated one; 401s are checked above, by hand.
            # Apprise URLs and IANA zones are checked by their libraries, which no schema
            # can say: a schema-valid body may still get a documented 422.
            response = case.call_and_validate(
                headers=headers, excluded_checks=[ignored_auth, positive_data_acceptance]
            )
            if who == "vic" and case.method.upper() != "GET":
                assert response.status_code == 403, (case.method, case.path)

        conforms()


def login(client: TestClient, name: str, password: str) -> int:
    response = client.post(
        "/login", data={"name": name, "password": password}, follow_redirects=False
    )
    return (
        response.status_code
        if response.status_code != 303
        else (401 if "failed" in response.headers["location"] else 303)
    )


def test_session_ends_when_the_password_changes(recorder, team):
    app = create_app(web_config(), recorder.db)
    with TestClient(app) as first, TestClient(app) as second:
        assert login(first, "eve", PASSWORDS["eve"]) == 303
        assert login(second, "eve", PASSWORDS["eve"]) == 303
        assert "eve (editor)" in first.get("/account").text
        assert first.get("/").text.count('class="crawl"') == 1
        # A changed password (here by an admin, as the CLI does) ends every session.
        with recorder.db.transaction() as session:
            set_password(session, "eve", "eve-password-2")
        for client in (first, second):
            page = client.get("/account", follow_redirects=False)
            assert page.status_code == 303 and page.headers["location"].startswith("/login")
            assert 'class="crawl"' not in client.get("/").text
        assert login(first, "eve", PASSWORDS["eve"]) == 401
        assert login(first, "eve", "eve-password-2") == 303

        # Changing one's own password ends one's own sessions too.
        csrf = _csrf(first.get("/account").text)
        changed = first.post(
            "/account/password",
            data={"current": "eve-password-2", "new": "eve-password-3", "csrf": csrf},
            follow_redirects=False,
        )
        assert changed.status_code == 303
        assert first.get("/account", follow_redirects=False).status_code == 303


def _csrf(html: str) -> str:
    import re

    return re.search(r'name="csrf" value="([0-9a-f]+)"', html).group(1)


def test_logins_are_rate_limited(recorder, team):
    app = create_app(web_config(), recorder.db)
    with TestClient(app) as client:
        for _ in range(5):
            assert login(client, "ada", "wrong-password") == 401
        assert login(client, "ada", PASSWORDS["ada"]) == 429  # even the right one, for now
        response = client.post("/login", data={"token": BOOTSTRAP}, follow_redirects=False)
        assert response.status_code == 429 and int(response.headers["retry-after"]) > 0
        # Time passes (the throttle's clock is driven here): logins work again.
        throttle = app.state.login_throttle
        now = throttle.clock()
        throttle.clock = lambda: now + throttle.window + 1
        assert login(client, "ada", PASSWORDS["ada"]) == 303


def test_viewer_sees_everything_and_no_write_control(recorder, team):
    app = create_app(web_config(), recorder.db)
    with TestClient(app) as client:
        assert login(client, "vic", PASSWORDS["vic"]) == 303
        for path in ("/", "/changes", "/documents/1", "/search?q=镇", "/subscriptions"):
            page = client.get(path)
            assert page.status_code == 200, path
            assert 'name="csrf"' not in page.text, path
        assert client.get("/users").status_code == 403
        assert client.get("/audit").status_code == 403
        # A forged form post with the session cookie still cannot write.
        forged = client.post("/sources/changan/pause", data={"csrf": "x" * 64})
        assert forged.status_code == 403


def test_audit_log_records_every_write(recorder, team):
    app = create_app(web_config(), recorder.db)
    with TestClient(app) as client:
        admin = bearer(team["ada"])
        client.post("/api/users", json={"name": "neo", "role": "viewer"}, headers=admin)
        client.post("/api/users/neo/tokens", json={"label": "laptop"}, headers=admin)
        client.post("/api/sources/changan/pause", headers=bearer(team["eve"]))
        client.post("/api/sources/changan/resume", headers=bearer(BOOTSTRAP))
        client.delete("/api/users/neo", headers=admin)
        entries = client.get("/api/audit", headers=admin).json()
        done = [(e["actor"], e["via"], e["action"], e["target"]) for e in entries][:5]
        assert done == [
            ("ada", "api", "remove-user", "neo"),
            ("[web] token", "api", "resume", "changan"),
            ("eve", "api", "pause", "changan"),
            ("ada", "api", "issue-token", "neo#4"),
            ("ada", "api", "add-user", "neo"),
        ]
        assert all(e["at"] for e in entries)
        # The admin's page shows it.
        assert login(client, "ada", PASSWORDS["ada"]) == 303
        page = client.get("/audit").text
        assert "remove-user" in page and "eve" in page


def test_secrets_are_never_stored_or_logged_in_clear(recorder, corpus, caplog, tmp_path):
    caplog.set_level(logging.DEBUG)
    app = create_app(web_config(), recorder.db)
    password = "correct-horse-battery"
    with TestClient(app) as client:
        admin = bearer(BOOTSTRAP)
        client.post(
            "/api/users",
            json={"name": "sam", "role": "editor", "password": password},
            headers=admin,
        )
        issued = client.post("/api/users/sam/tokens", json={}, headers=admin).json()
        token = issued["token"]
        assert token.startswith("gw_") and issued["hint"].endswith("…")
        assert client.get("/api/me", headers=bearer(token)).json()["name"] == "sam"
        assert login(client, "sam", password) == 303
        cookie = client.cookies.get("govwatch_session")
        assert cookie and cookie.removeprefix("s:") not in (token, password)
        # Shown once: listing tokens never shows it again.
        listed = client.get("/api/users/sam/tokens", headers=admin).text
        assert token not in listed
        secret_of_session = cookie.removeprefix("s:")
        # Revoked: refused from then on.
        client.delete(f"/api/tokens/{issued['id']}", headers=admin)
        assert client.get("/api/me", headers=bearer(token)).status_code == 401

    dump = "\n".join(_dump(recorder.db))
    for secret in (token, password, secret_of_session, BOOTSTRAP):
        assert secret not in dump
        assert secret not in caplog.text
    assert "$argon2id$" in dump


def _dump(db) -> list[str]:  # noqa: ANN001 - storage.db.Database
    """Every row of every table, as text."""
    from sqlalchemy import inspect, text

    lines = []
    with db.engine.connect() as connection:
        for table in inspect(db.engine).get_table_names():
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):
                lines.append(repr(tuple(row)))
    return lines
