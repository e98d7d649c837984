"""``govwatch demo``: the local portal, the crawl job and live alerts, narrated.

Each round changes the portal the way real portals change (a new notice, a revised
figure, a withdrawn page), then runs the very job the scheduler runs for a source, and the
alerts arrive at a local webhook that prints them.
"""

from __future__ import annotations

import re
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.panel import Panel

from config import WebConfig
from dispatch import run_scheduled_crawl
from govwatch.sink import WebhookSink
from portal import Portal, Server
from tracker.figures import unit_after

FIGURE = re.compile(r"\d+\.\d+")
NEW_NOTICES = [
    (
        "关于2026年冬季安全生产大检查的通知",
        [
            "各社区、各有关单位：",
            "为深入排查整治各类安全隐患，镇政府决定开展冬季安全生产大检查。",
            "一、检查时间：2026年12月1日至12月31日。",
            "二、检查重点：消防、燃气、危化品及建筑施工。",
        ],
    ),
    (
        "长安镇2026年第三季度财政预算执行情况",
        [
            "2026年1至9月，全镇一般公共预算收入完成28.6亿元，同比增长4.2%。",
            "一般公共预算支出完成31.4亿元，重点保障教育、医疗和社会保障支出。",
        ],
    ),
    (
        "关于公开征求《长安镇老旧小区改造实施方案》意见的公告",
        [
            "为提高决策科学化水平，现将方案全文公开征求社会各界意见。",
            "征求意见时间为2026年12月1日至12月15日。",
        ],
    ),
]

console = Console()


def run_demo(*, port: int, rounds: int, pause: float, workdir: Path | None) -> None:
    folder = Path(workdir or tempfile.mkdtemp(prefix="govwatch-demo-"))
    folder.mkdir(parents=True, exist_ok=True)
    site = Portal(articles=24, per_page=8, seed=2026)
    with (
        _serve(site, port),
        WebhookSink(on_message=_show_alert) as sink,
    ):
        db_url = f"sqlite:///{folder / 'govwatch.db'}"
        config_path = _write_config(folder, db_url, site.listing_url, sink.url)
        say(
            f"The local portal is up: {site.listing_url} ({len(site.articles)} reports and notices)"
        )
        say(f"Alerts go to a local JSON webhook ({sink.url}); the database is in {folder}")
        say("First crawl: the baseline. Every document is stored; one summary alert, no flood.")
        _crawl(config_path, db_url)
        # The withdrawal comes first: a removal is believed when the next crawl agrees.
        changes = [_withdraw, _publish, _revise_figure]
        for number in range(rounds):
            time.sleep(pause)
            change = changes[number % len(changes)]
            say(f"Round {number + 1}: {change(site, number)}")
            _crawl(config_path, db_url)
    say("Done. Look around with:")
    for command in ("documents", "changes", "runs"):
        console.print(f"  govwatch --config {config_path} {command}", markup=False)
    console.print(
        f"  govwatch --config {config_path} diff URL   (a URL from 'changes')", markup=False
    )
    say("Or open the web app on the demo database (Ctrl-C stops it):")
    console.print(f"  govwatch --config {config_path} serve", markup=False)
    web = WebConfig()  # the demo's configuration keeps the web app's defaults
    console.print(f"  then browse http://{web.host}:{web.port}/", markup=False)


def _serve(site: Portal, port: int) -> Server:
    try:
        return site.serve(host="127.0.0.1", port=port)
    except OSError as exc:
        say(f"port {port} is not free ({exc.strerror}); the portal takes another one")
        return site.serve(host="127.0.0.1", port=0)


def say(text: str) -> None:
    console.print(f"[bold cyan]govwatch demo[/] {_escape(text)}")


def _crawl(config_path: Path, db_url: str) -> None:
    started = time.monotonic()
    status = run_scheduled_crawl(str(config_path), db_url, "changan")
    outcome = "finished" if status == 0 else f"failed (exit status {status})"
    say(f"crawl {outcome} in {time.monotonic() - started:.1f} s")


def _publish(site: Portal, number: int) -> str:
    title, paragraphs = NEW_NOTICES[number % len(NEW_NOTICES)]
    site.publish(title=title, paragraphs=paragraphs)
    return f"the portal publishes a new notice: {title}"


def _revise_figure(site: Portal, _number: int) -> str:
    for article in site.articles:
        for paragraph in article.paragraphs:
            match = FIGURE.search(paragraph)
            if match:
                old = match.group()
                new = f"{float(old) * 1.02 + 0.1:.1f}"
                unit = unit_after(paragraph, match.end())
                site.edit(article.id, replace=(old, new))
                return (
                    f"a figure is quietly revised in “{article.title}”: {old}{unit} → {new}{unit}"
                )
    return "nothing to revise"


def _withdraw(site: Portal, _number: int) -> str:
    article = site.articles[-1]
    site.delete(article.id)
    return (
        f"a page is withdrawn: {article.title} (alerted once the next crawl finds it gone too)"
    )


def _show_alert(payload: dict[str, Any]) -> None:
    console.print(
        Panel(
            _escape(str(payload.get("message", ""))),
            title=_escape(str(payload.get("title", "alert"))),
            border_style="green",
        )
    )


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _write_config(folder: Path, db_url: str, listing_url: str, hook: str) -> Path:
    path = folder / "govwatch.toml"
    path.write_text(
        f"""# Written by govwatch demo.
[storage]
url = "{db_url}"

[notify]
urls = ["{hook}"]

[crawl]
# The bundled portal runs on this machine, which crawls refuse unless allowed.
allow_private_addresses = true
download_delay = 0
autothrottle = false
concurrency_per_host = 4
timeout = 10
retries = 1

[[sources]]
name = "changan"
start_urls = ["{listing_url}"]
schedule = "*/5 * * * *"
# The demo edits the portal and crawls again seconds later: revisit every document each
# run instead of when the adaptive policy would (hours later for a fresh, unchanged page).
revisit = "every_run"
""",
        encoding="utf-8",
    )
    return path
