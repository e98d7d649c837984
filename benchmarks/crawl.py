"""Benchmark: first crawl and unchanged recrawl of a simulated portal of 5,000 articles.

Run by hand: ``.venv/bin/python benchmarks/crawl.py [--articles 5000] [--listing html]
[--related]``.

The portal simulator serves the articles on 127.0.0.1 from this process; each crawl is a
child process (``govwatch crawl``), as the scheduler runs it, against a fresh SQLite
database. The first crawl stores every article; the second runs with nothing changed, so it
should send conditional requests and get 304s (or skip entries a sitemap shows unchanged).
The source revisits every known document on every run (``revisit = "every_run"``), the
case where conditional requests carry the whole load; adaptive revisits would not even ask.

``--related``: article pages carry a related-articles box of the newest articles, which
the portal regenerates when it publishes. Between the first crawl and the measured one, one
article is published and a crawl runs: every page's furniture changed (full 200s, no new
versions), and the validators of those answers must serve the unchanged recrawl that follows.
Requests and bytes come from the portal's request log (body bytes sent), time is the child
process's wall time, peak memory is the child's maximum resident set size (``wait4``
rusage, the per-child figure that ``RUSAGE_CHILDREN`` would aggregate).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from portal import Portal  # noqa: E402


@dataclass
class Crawl:
    seconds: float
    requests: int
    bytes: int
    statuses: Counter[int]
    peak_mib: float
    cpu_seconds: float
    run: dict


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--per-page", type=int, default=20)
    parser.add_argument("--listing", default="html",
                        choices=["html", "trs", "hanweb", "gkmlpt", "sitemap", "feed"])
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--related", action="store_true",
                        help="article pages carry a related-articles box that changes")
    args = parser.parse_args()

    started = time.perf_counter()
    site = Portal(articles=args.articles, per_page=args.per_page, seed=11,
                  live_related=args.related)
    print(f"portal of {args.articles} articles generated in {time.perf_counter() - started:.1f} s;"
          f" {os.cpu_count()} CPUs")
    with site.serve(), tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "govwatch.toml"
        config.write_text(_config(site.listing_urls()[args.listing], args), encoding="utf-8")
        db_url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        first = crawl(site, config, db_url)
        furniture = None
        if args.related:
            site.publish("关于做好冬季供暖保障工作的通知", ["各单位：", "现就有关工作通知如下。"])
            furniture = crawl(site, config, db_url)
        second = crawl(site, config, db_url)
        documents = _json(config, db_url, "documents")
        versions, stored = sum(d.get("versions", 0) for d in documents), len(documents)
    report(args, first, furniture, second, versions, stored)


def _config(start_url: str, args: argparse.Namespace) -> str:
    return f"""
[crawl]
allow_private_addresses = true
obey_robots = true
concurrency_per_host = {args.concurrency}
download_delay = 0
autothrottle = false
timeout = 60
retries = 2

[[sources]]
name = "bench"
start_urls = ["{start_url}"]
max_pages = {args.articles * 2}
# Every listing page of the column, so that the first crawl stores every article.
max_listing_pages = {min(10000, -(-args.articles // args.per_page) + 10)}
listing = "{args.listing}"
revisit = "every_run"
revisit_budget = {args.articles * 2}
"""


def crawl(site: Portal, config: Path, db_url: str) -> Crawl:
    site.clear_requests()
    command = [sys.executable, "-m", "govwatch", "--config", str(config), "--db", db_url,
               "crawl", "--quiet", "bench"]
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)},
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"crawl failed:\n{child.stderr.read().decode()[-3000:]}")  # type: ignore[union-attr]
    log = site.requests
    run = _json(config, db_url, "runs")[0]
    return Crawl(seconds, len(log), sum(r.bytes_sent for r in log),
                 Counter(r.status for r in log), usage.ru_maxrss / 1024,
                 usage.ru_utime + usage.ru_stime, run)


def _json(config: Path, db_url: str, *args: str) -> list[dict]:
    out = subprocess.run(
        [sys.executable, "-m", "govwatch", "--config", str(config), "--db", db_url, *args,
         "--json"], cwd=REPO, capture_output=True, text=True, check=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    return json.loads(out.stdout)


def report(args: argparse.Namespace, first: Crawl, furniture: Crawl | None, second: Crawl,
           versions: int, stored: int) -> None:
    print(f"\nlisting={args.listing} articles={args.articles} per_page={args.per_page}"
          f" concurrency={args.concurrency} related_box={'changing' if args.related else 'fixed'}"
          "\n")
    if furniture is not None:
        print(f"after one new article (every related box changed): {furniture.requests} requests,"
              f" {furniture.bytes:,} bytes ({furniture.bytes / first.bytes:.1%} of the first"
              f" crawl), {furniture.seconds:.1f} s, statuses {_statuses(furniture.statuses)},"
              f" new/changed/unchanged/errors {_counts(furniture.run)}\n")
    rows = [
        ("requests", f"{first.requests}", f"{second.requests}",
         f"{second.requests / first.requests:.1%}"),
        ("bytes", f"{first.bytes:,}", f"{second.bytes:,}", f"{second.bytes / first.bytes:.1%}"),
        ("time (s)", f"{first.seconds:.1f}", f"{second.seconds:.1f}",
         f"{second.seconds / first.seconds:.1%}"),
        ("crawler CPU (s)", f"{first.cpu_seconds:.1f}", f"{second.cpu_seconds:.1f}",
         f"{second.cpu_seconds / first.cpu_seconds:.1%}"),
        ("pages/s", f"{first.requests / first.seconds:.0f}",
         f"{second.requests / second.seconds:.0f}", ""),
        ("peak RSS (MiB)", f"{first.peak_mib:.0f}", f"{second.peak_mib:.0f}", ""),
        ("statuses", _statuses(first.statuses), _statuses(second.statuses), ""),
        ("new/changed/unchanged/errors", _counts(first.run), _counts(second.run), ""),
    ]
    widths = [max(len(r[i]) for r in [("", "first crawl", "recrawl", "recrawl/first"), *rows])
              for i in range(4)]
    header = ("", "first crawl", "recrawl", "recrawl/first")
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)))
    published = 1 if furniture is not None else 0
    new_versions = versions - first.run["new"] - published
    print(f"\nfirst crawl stored {first.run['new']} of {args.articles} articles; documents"
          f" stored: {stored}, versions stored: {versions} (new versions of known articles:"
          f" {new_versions})")
    ok = (second.bytes < 0.05 * first.bytes and second.seconds < 0.20 * first.seconds
          and new_versions == 0 and second.run["changed"] == 0
          and first.run["new"] == args.articles)
    print("targets (every article stored, bytes < 5 %, time < 20 %, no new versions):",
          "met" if ok else "NOT met")


def _statuses(counts: Counter[int]) -> str:
    return " ".join(f"{status}:{n}" for status, n in sorted(counts.items()))


def _counts(run: dict) -> str:
    return f"{run['new']}/{run['changed']}/{run['unchanged']}/{run['errors']}"


if __name__ == "__main__":
    main()
