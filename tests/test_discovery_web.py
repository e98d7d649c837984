"""The web app's source preview: the probe of a configured source, for writers only,
with the listing's hostile text rendered inert."""

from __future__ import annotations

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import lxml.html
import pytest
from fastapi.testclient import TestClient

from config import Config
from web.app import create_app

TOKEN = "write-token-123"
EVIL = '<script>alert(1)</script><img src=x onerror=alert(2)>关于做好安全生产工作的通知'
ROWS = "".join(
    f'<li><a href="/zwgk/art_{i}.html">{EVIL.replace("<", "&lt;")}第{i}号</a>'
    f"<span>2024-05-0{i + 1}</span></li>" for i in range(5)
) + '<li><a href="javascript:alert(3)">javascript:alert(3) 第九号关于印发实施方案的通知</a>' \
    "<span>2024-05-09</span></li>"
PAGE = f"<html><body><ul>{ROWS}</ul></body></html>".encode()


class Listing(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def client(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Listing)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/zwgk/index.html"
    config = Config.model_validate({
        "sources": [{"name": "evil", "start_urls": [url]}], "web": {"token": TOKEN},
        "storage": {"url": f"sqlite:///{tmp_path / 'web.db'}"},
        "crawl": {"allow_private_addresses": True},  # the test listing is on 127.0.0.1
    })
    from storage.db import open_database

    db = open_database(config.storage.url)
    with TestClient(create_app(config, db)) as test_client:
        test_client.start_url = url
        yield test_client
    server.shutdown()
    db.dispose()


def test_api_preview_needs_the_write_token_and_a_configured_source(client):
    assert client.post("/api/sources/evil/preview").status_code == 401
    headers = {"Authorization": f"Bearer {TOKEN}"}
    assert client.post("/api/sources/other/preview", headers=headers).status_code == 404
    answer = client.post("/api/sources/evil/preview", headers=headers)
    assert answer.status_code == 200
    [preview] = answer.json()
    assert preview["url"] == client.start_url and preview["listing"] == "html"
    assert [a["url"].rsplit("/", 1)[1] for a in preview["articles"]] == [
        f"art_{i}.html" for i in range(5)]
    assert preview["articles"][0]["title"] == EVIL + "第0号"
    assert preview["articles"][0]["published_at"] == "2024-05-01T00:00:00+08:00"


def test_preview_page_is_a_write_action_and_renders_inert(client):
    assert client.post("/sources/evil/preview", data={"csrf": ""}).status_code == 403
    client.post("/login", data={"token": TOKEN, "next": "/"})
    overview = client.get("/", headers={"accept": "text/html"}).text
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', overview).group(1)
    assert client.post("/sources/evil/preview", data={"csrf": "forged"}).status_code == 403
    page = client.post("/sources/evil/preview", data={"csrf": csrf},
                       headers={"accept": "text/html"})
    assert page.status_code == 200
    tree = lxml.html.fromstring(page.text)
    assert not tree.xpath("//script | //img | //iframe")
    for element in tree.iter():
        assert not any(name.startswith("on") for name in element.attrib)
        if "href" in element.attrib:
            assert element.get("href").startswith(("/", "http://", "https://"))
    assert EVIL + "第0号" in tree.text_content()
    overview = client.get("/", headers={"accept": "text/html"}).text
    assert 'action="/sources/evil/preview"' in overview
