"""The web app in real headless Chromium (Debian's package, driven by Playwright).

One scenario against the local portal: open the overview, log in, crawl now (a baseline),
edit a figure on the portal, crawl again, follow the change to its diff (also on a phone
screen), switch the document between scripts, and search for a phrase from it. A second
test serves a document full of script injections and checks that nothing runs. Screenshots
go to test-artifacts/web/.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import httpx
import pytest
from web_corpus import ServedApp

from config import load_config
from storage.db import open_database
from web.app import create_app

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "web"
TOKEN = "browser-token-1"
FIGURE = re.compile(r"\d+\.\d+")

if not CHROMIUM.exists():
    if os.environ.get("CI"):
        raise RuntimeError("CI needs Debian's chromium: apt-get install -y chromium")
    pytest.skip("no /usr/bin/chromium (apt-get install -y chromium)", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def browser():
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


def _watch_for_scripts(page) -> list[str]:  # noqa: ANN001 - a Playwright page
    """Collects anything that shows a script ran: dialogs, errors, console messages."""
    ran: list[str] = []
    page.on("dialog", lambda dialog: (ran.append(f"dialog {dialog.message}"), dialog.dismiss()))
    page.on("pageerror", lambda error: ran.append(f"error {error}"))
    page.on(
        "console",
        lambda message: (
            ran.append(f"console {message.text}") if message.type in ("error", "log") else None
        ),
    )
    return ran


def _wait_for_run(base: str, runs_before: int, timeout: float = 90) -> dict:
    """Until a crawl started from the page has finished (the API says so)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        [source] = httpx.get(f"{base}/api/sources").json()
        runs = httpx.get(f"{base}/api/runs").json()
        if len(runs) > runs_before and source["health"] != "running":
            return runs[0]
        time.sleep(0.3)
    raise AssertionError("the crawl started from the page did not finish")


def _figure_edit(portal) -> tuple[object, str, str]:  # noqa: ANN001 - the portal fixture
    for article in portal.articles[2:]:
        for paragraph in article.paragraphs:
            match = FIGURE.search(paragraph)
            if match:
                old = match.group()
                digit = next(d for d in "9876543210" if d not in old)
                return article, old, f"{digit * 3}.{digit}"
    raise AssertionError("no article with a figure")


def test_watch_a_portal_in_the_browser(browser, portal, cli_factory, sqlite_url):
    cli = cli_factory(sqlite_url, start_urls=[portal.listing_url])
    with cli.config_path.open("a", encoding="utf-8") as handle:
        handle.write(f'\n[web]\ntoken = "{TOKEN}"\n')
    config = load_config(cli.config_path, db_url=sqlite_url)
    db = open_database(sqlite_url)
    app = create_app(config, db)
    try:
        with ServedApp(app) as served:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            ran = _watch_for_scripts(page)
            base = served.url

            # Overview, log in, crawl now: the baseline.
            page.goto(base + "/")
            assert page.locator("table.sources td.name").inner_text().startswith("changan")
            page.click("text=登录 Log in")
            page.fill("input[name=token]", TOKEN)
            page.click("form.login button")
            page.click("button.crawl")
            assert "crawl of changan started" in page.locator(".notice").inner_text()
            baseline = _wait_for_run(base, 0)
            assert baseline["baseline"] and baseline["new"] == 36

            # An edited figure, crawled from the page again.
            article, old, new = _figure_edit(portal)
            portal.edit(article.id, replace=(old, new))
            page.goto(base + "/")
            page.click("button.crawl")
            second = _wait_for_run(base, 1)
            assert second["changed"] == 1
            page.goto(base + "/")
            assert "ok" in page.locator("table.sources td").first.inner_text()
            page.screenshot(path=str(SHOTS / "overview.png"), full_page=True)

            # Follow the change to its diff.
            page.click("nav >> text=变更 Changes")
            page.screenshot(path=str(SHOTS / "changes.png"), full_page=True)
            page.click("a.change-link")
            assert page.locator("tr.changed del").first.inner_text() == old
            assert page.locator("tr.changed ins").first.inner_text() == new
            page.screenshot(path=str(SHOTS / "diff.png"), full_page=False)
            diff_url = page.url

            # The diff on a phone screen: no sideways scrolling, the change visible.
            phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
            phone.context.add_cookies(page.context.cookies())
            phone.goto(diff_url)
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"the diff is {width}px wide on a 390px screen"
            assert phone.locator("tr.changed ins").first.is_visible()
            phone.screenshot(path=str(SHOTS / "diff-phone.png"), full_page=False)
            phone.close()
            page.click("text=行内 Inline")
            assert page.locator(".govwatch-diff ins").first.inner_text() == new

            # The document, in simplified and traditional script.
            page.click("h1.doc-title a")
            text = page.locator("article.text")
            page.click("a.script-traditional")
            traditional = text.inner_text()
            page.click("a.script-simplified")
            simplified = text.inner_text()
            assert traditional != simplified and new in traditional
            assert "镇" in simplified and "鎮" in traditional
            page.screenshot(path=str(SHOTS / "document.png"), full_page=False)

            # Search for a phrase from the report.
            paragraph = max(article.paragraphs, key=len)
            phrase = paragraph[len(paragraph) // 2 : len(paragraph) // 2 + 8].strip()
            page.click("nav >> text=搜索 Search")
            page.fill("input[name=q]", phrase)
            page.click("form.search button")
            hits = page.locator("a.hit")
            assert hits.count() >= 1
            assert article.title in [hits.nth(i).inner_text() for i in range(hits.count())]
            assert phrase in "".join(page.locator(".snippet mark").all_inner_texts())
            page.screenshot(path=str(SHOTS / "search.png"), full_page=False)
            assert ran == []
            page.close()
    finally:
        app.state.dispatcher.wait_all(timeout=30)
        db.dispose()


def test_script_injection_never_runs_in_the_browser(browser, recorder):
    from test_web_security import EVIL_ATTACHMENTS, EVIL_TEXT, EVIL_TITLE, EVIL_URL
    from web_corpus import web_config

    recorder.observe(EVIL_URL.replace("6666", "1"), "正常文件", "正常内容。")
    recorder.observe(EVIL_URL, EVIL_TITLE, EVIL_TEXT, attachments=EVIL_ATTACHMENTS)
    recorder.observe(EVIL_URL, EVIL_TITLE, EVIL_TEXT + "\n<img src=x onerror=alert(9)>")
    with ServedApp(create_app(web_config(), recorder.db)) as served:
        page = browser.new_page()
        ran = _watch_for_scripts(page)
        for path in (
            "/changes",
            "/documents/2?version=1",
            "/documents/2/diff",
            "/documents/2/diff?view=inline",
            "/search?q=script",
        ):
            page.goto(served.url + path)
            # Links with javascript: URLs would run on click: there are none to click.
            for link in page.locator("a").all():
                href = link.get_attribute("href") or ""
                assert not href.strip().lower().startswith(("javascript:", "data:")), href
            assert page.evaluate("typeof window.pwned") == "undefined"
        page.goto(served.url + "/documents/2?version=1")
        page.screenshot(path=str(SHOTS / "hostile-document.png"), full_page=True)
        assert "<script>window.pwned=1</script>" in page.locator("article.text").inner_text()
        assert page.title().startswith(EVIL_TITLE)
        page.close()
    assert ran == []
