"""Teams in real headless Chromium: an admin creates a viewer and an editor; the viewer sees
everything (charts included, also on a phone) and can change nothing; the editor adds a
source after seeing its preview, and crawls it.

Screenshots go to test-artifacts/web/.
"""

from __future__ import annotations

import time

import httpx
import pytest
from test_web_browser import SHOTS, _watch_for_scripts, browser  # noqa: F401
from web_corpus import ServedApp

from config import load_config
from storage.accounts import add_user
from storage.db import open_database
from web.app import create_app

PASSWORDS = {"root": "root-password-1", "vera": "vera-password-1", "eddie": "eddie-password-1"}


@pytest.fixture
def small_portal():
    from portal import Portal

    site = Portal(articles=6, per_page=10, seed=5)
    with site.serve(host="127.0.0.1", port=0):
        yield site


def _wait_for_source_run(base: str, name: str, timeout: float = 90) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        runs = httpx.get(f"{base}/api/runs", params={"source": name}).json()
        if runs and runs[0]["status"] != "running":
            return runs[0]
        time.sleep(0.3)
    raise AssertionError(f"the crawl of {name} did not finish")


def _log_in(page, base: str, name: str) -> None:  # noqa: ANN001 - a Playwright page
    page.goto(base + "/login")
    page.fill("form.user-login input[name=name]", name)
    page.fill("form.user-login input[name=password]", PASSWORDS[name])
    page.click("form.user-login button")
    assert page.locator("a.me").inner_text().startswith(name)


def _log_out(page) -> None:  # noqa: ANN001
    page.click("text=退出 Log out")


def test_admin_viewer_and_editor_in_the_browser(browser, small_portal, cli_factory, sqlite_url):  # noqa: F811
    # The file's source is never crawled here; the editor adds the portal as a source.
    cli = cli_factory(sqlite_url, start_urls=["http://127.0.0.1:9/index.html"])
    config = load_config(cli.config_path, db_url=sqlite_url)  # no [web] token: users only
    db = open_database(sqlite_url)
    with db.transaction() as session:
        add_user(session, "root", "admin", password=PASSWORDS["root"])
    app = create_app(config, db)
    try:
        with ServedApp(app) as served:
            base = served.url
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            ran = _watch_for_scripts(page)

            # The admin adds a viewer and an editor, and issues the viewer an API token.
            _log_in(page, base, "root")
            page.click("nav >> text=用户 Users")
            for name, role in (("vera", "viewer"), ("eddie", "editor")):
                page.fill("form.add-user input[name=name]", name)
                page.select_option("form.add-user select[name=role]", role)
                page.fill("form.add-user input[name=password]", PASSWORDS[name])
                page.click("form.add-user button")
                assert f"{name} added as {role}" in page.locator(".notice").inner_text()
            assert page.locator("tr.user-vera td.role").inner_text() == "viewer"
            assert page.locator("tr.user-eddie td.role").inner_text() == "editor"
            page.click("tr.user-vera form.issue-token button")
            token = page.locator("code.token").inner_text().strip()
            assert token.startswith("gw_")
            page.screenshot(path=str(SHOTS / "users.png"), full_page=True)
            _log_out(page)

            # The viewer reads everything and finds nothing to change.
            _log_in(page, base, "vera")
            for path in ("/", "/changes", "/search?q=通知", "/subscriptions", "/account"):
                page.goto(base + path)
                assert page.locator("button.crawl").count() == 0, path
                assert page.locator("form.subscribe").count() == 0, path
                if path != "/account":  # one's own password is one's own
                    assert page.locator("input[name=csrf]").count() == 0, path
            page.goto(base + "/")
            assert page.locator("table.sources td.name").inner_text().startswith("changan")
            assert page.locator("nav >> text=用户 Users").count() == 0
            assert page.goto(base + "/users").status == 403
            vera = {"Authorization": f"Bearer {token}"}
            assert httpx.post(f"{base}/api/sources/changan/crawl", headers=vera).status_code == 403
            assert httpx.post(f"{base}/api/sources/changan/pause", headers=vera).status_code == 403
            assert httpx.post(f"{base}/api/sources/changan/pause").status_code == 401
            _log_out(page)

            # The editor adds a source after seeing what it will watch, and crawls it.
            _log_in(page, base, "eddie")
            page.click("a.new-source")
            page.fill("form.source-form input[name=name]", "jiangnan")
            page.fill("form.source-form textarea[name=start_urls]", small_portal.listing_url)
            page.click("button.preview")
            assert page.locator(".preview-result strong.found").inner_text() == "6"
            assert page.locator("ul.examples li").count() == 6
            page.screenshot(path=str(SHOTS / "source-preview.png"), full_page=True)
            page.click("button.add-source")
            assert "source jiangnan added" in page.locator(".notice").inner_text()
            row = page.locator("table.sources tr", has_text="jiangnan")
            assert "added here" in row.locator(".origin").inner_text()
            row.locator("button.crawl").click()
            assert "crawl of jiangnan started" in page.locator(".notice").inner_text()
            run = _wait_for_source_run(base, "jiangnan")
            assert run["baseline"] and run["new"] == 6
            page.goto(base + "/")
            row = page.locator("table.sources tr", has_text="jiangnan")
            assert "6" in row.locator("td.name").inner_text()
            assert page.locator("svg.chart rect.run").count() == 1
            page.screenshot(path=str(SHOTS / "overview-charts.png"), full_page=True)

            # The charts on a phone: no sideways scrolling, the labels still there.
            phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
            phone.context.add_cookies(page.context.cookies())
            phone.goto(base + "/")
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"the overview is {width}px wide on a 390px screen"
            chart = phone.locator("figure.chart-events svg.chart").last
            assert chart.is_visible() and chart.bounding_box()["width"] <= 390
            phone.screenshot(path=str(SHOTS / "overview-charts-phone.png"), full_page=True)
            phone.close()
            _log_out(page)

            # The admin sees who did what.
            _log_in(page, base, "root")
            page.click("nav >> text=审计 Audit")
            rows = page.locator("table.audit tbody tr").all_inner_texts()
            assert any("eddie" in row and "crawl" in row for row in rows)
            assert any("root" in row and "add-user" in row and "vera" in row for row in rows)
            # Nothing ran; the one failed load is the viewer's refused /users page.
            assert [r for r in ran if "status of 403" not in r] == []
            page.close()
    finally:
        app.state.dispatcher.wait_all(timeout=30)
        db.dispose()
