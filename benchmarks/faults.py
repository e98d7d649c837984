"""Benchmark: outages served as pages, and real changes, through three crawls.

Run by hand: ``.venv/bin/python benchmarks/faults.py [--pages 5] [--articles 120]``.

A simulated portal is crawled once (the baseline). Then, for each fault kind, ``--pages``
articles answer with that fault (maintenance, sign-in and captcha pages, WAF blocks, a
redirect to the sign-in page, the CMS's "server busy" notice on many pages, bodies cut
mid-paragraph, 404, 410, soft 404, redirect home) while other articles change for real
(a large rewrite, a short notice in place of the text, a removal, a one-figure edit); the
portal is crawled (the outage run), the faults clear and it is crawled twice more (the
recovery run, and the run that confirms removals). Each crawl is a ``govwatch crawl``
child process against one SQLite database, alerts go to a local webhook.

Counted per kind: events recorded for its pages and alerts naming them (all false for a
fault; for a real change, "detected" means the expected event), and the requests spent on
confirmation: requests to its pages beyond one per page and run, from the portal's log.
The peer in the same run is a monitor that believes every fetch, as govwatch did before
(FIELD-NOTES §5): its events are counted from the very responses the portal served, one
when a page's answer differs from the stored page and one when it comes back.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from govwatch.sink import WebhookSink  # noqa: E402
from portal import Portal  # noqa: E402

FAULTS = ("maintenance", "login", "login_redirect", "captcha", "waf", "busy", "cut",
          "404", "410", "soft404", "home_redirect")
REAL = ("large rewrite", "short notice", "removal", "figure edit")
EXPECTED = {"large rewrite": "changed", "short notice": "changed", "removal": "removed",
            "figure edit": "changed"}
RUNS_AFTER_BASELINE = 3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--pages", type=int, default=5, help="pages per fault kind")
    parser.add_argument("--articles", type=int, default=120)
    parser.add_argument("--confirm-delay", type=float, default=2.0)
    args = parser.parse_args()
    needed = args.pages * (len(FAULTS) + len(REAL))
    if needed > args.articles:
        parser.error(f"--articles must be at least {needed}")

    site = Portal(articles=args.articles, per_page=20, seed=5)
    with site.serve(), WebhookSink() as sink, tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "govwatch.toml"
        config.write_text(_config(site.listing_url, sink.url, args.confirm_delay), "utf-8")
        db_url = f"sqlite:///{Path(tmp) / 'faults.db'}"
        seconds = [_crawl(config, db_url)]
        groups = _assign(site, args.pages)
        for kind in FAULTS:
            for article_id in groups[kind]:
                site.fail(article_id, kind)
        _change_for_real(site, groups)
        site.clear_requests()
        seconds.append(_crawl(config, db_url))
        outage_log = site.requests
        site.clear_faults()
        seconds.append(_crawl(config, db_url))
        seconds.append(_crawl(config, db_url))
        log = site.requests
        changes = _cli(config, db_url, "changes")
        sink.wait_for(len(sink.messages), timeout=1)
        rows = _rows(site, groups, changes, sink.messages, log, outage_log)
    _print(rows, args, seconds)


def _assign(site: Portal, pages: int) -> dict[str, list[int]]:
    ids = [a.id for a in site.articles]
    return {kind: ids[i * pages : (i + 1) * pages] for i, kind in enumerate((*FAULTS, *REAL))}


def _change_for_real(site: Portal, groups: dict[str, list[int]]) -> None:
    for article_id in groups["large rewrite"]:
        article = site.article(article_id)
        site.edit(article_id, paragraphs=[p[::-1] for p in article.paragraphs])
    for article_id in groups["short notice"]:
        site.edit(article_id, paragraphs=["根据上级部署，本文件自即日起废止。"])
    for article_id in groups["removal"]:
        site.delete(article_id)
    for article_id in groups["figure edit"]:
        article = site.article(article_id)
        digit = next(c for c in article.text if c.isdigit())
        site.edit(article_id, replace=(digit, str((int(digit) + 1) % 10)))


def _rows(site: Portal, groups: dict[str, list[int]], changes: list[dict],
          messages: list[dict], log: list, outage_log: list) -> list[dict]:
    base = site.server.url if site.server else ""
    per_path = Counter(r.path for r in log)
    outage_status = {r.path: r.status for r in outage_log}
    rows = []
    for kind, ids in groups.items():
        paths = [site.article(i).path for i in ids]
        urls = {base + p for p in paths}
        events = [c for c in changes if c["url"] in urls]
        alerts = [m for m in messages if any(u in str(m.get("message", "")) for u in urls)]
        extra = sum(per_path[p] - RUNS_AFTER_BASELINE for p in paths)
        # The peer believes one fetch: a fault page is a change down and another one up.
        peer = sum(2 for p in paths if outage_status.get(p, 0) in (200, 302, 404, 410))
        rows.append({
            "kind": kind, "real": kind in REAL, "pages": len(ids), "events": len(events),
            "alerts": len(alerts), "extra": extra, "peer": peer,
            "detected": sum(1 for e in events if e["kind"] == EXPECTED.get(kind)),
        })
    return rows


def _print(rows: list[dict], args: argparse.Namespace, seconds: list[float]) -> None:
    print(f"{args.articles} articles, {args.pages} pages per kind, confirm_delay "
          f"{args.confirm_delay} s; crawls took " + ", ".join(f"{s:.1f}" for s in seconds) + " s")
    print()
    print(f"{'fault kind':<16}{'pages':>6}{'false events':>14}{'false alerts':>14}"
          f"{'extra requests':>16}{'peer: false events':>20}")
    for row in (r for r in rows if not r["real"]):
        print(f"{row['kind']:<16}{row['pages']:>6}{row['events']:>14}{row['alerts']:>14}"
              f"{row['extra']:>16}{row['peer']:>20}")
    print()
    print(f"{'real change':<16}{'pages':>6}{'detected':>14}{'alerts':>14}{'extra requests':>16}")
    for row in (r for r in rows if r["real"]):
        print(f"{row['kind']:<16}{row['pages']:>6}{row['detected']:>14}{row['alerts']:>14}"
              f"{row['extra']:>16}")
    faults = [r for r in rows if not r["real"]]
    print()
    print(f"false events: {sum(r['events'] for r in faults)} (peer: "
          f"{sum(r['peer'] for r in faults)}); extra requests for confirmation: "
          f"{sum(r['extra'] for r in rows)}")


def _crawl(config: Path, db_url: str) -> float:
    started = time.perf_counter()
    _run(config, db_url, "crawl", "changan", "--quiet")
    return time.perf_counter() - started


def _cli(config: Path, db_url: str, *args: str) -> list[dict]:
    return json.loads(_run(config, db_url, *args, "--json"))


def _run(config: Path, db_url: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "govwatch", "--config", str(config), "--db", db_url, *args],
        capture_output=True, text=True, cwd=config.parent, check=True,
        env={"PYTHONPATH": str(REPO), "PATH": ""},
    )
    return result.stdout


def _config(listing: str, hook: str, confirm_delay: float) -> str:
    return f"""
[notify]
urls = ["{hook}"]

[crawl]
concurrency_per_host = 8
download_delay = 0
autothrottle = false
timeout = 5
retries = 0
confirm_delay = {confirm_delay}

[[sources]]
name = "changan"
start_urls = ["{listing}"]
schedule = "0 */6 * * *"
max_pages = 1000
"""


if __name__ == "__main__":
    main()
