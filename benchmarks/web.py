"""Benchmark: the web app's response times on a database of 100,000 versions.

Run by hand: ``.venv/bin/python benchmarks/web.py [--versions 100000] [--requests 200]``.

A SQLite database is filled with bulk inserts through SQLAlchemy core (the search index is
kept by migration 0004's triggers, as in production): 3 sources, documents of 4 versions
each on average, texts drawn from the local portal's generated government prose (about
1,500 characters, the size of a typical notice or report section), each later version
with a few figures changed, and one change event per version. Then the changes page (with
and without filters, various pages), document pages and searches are requested through
the real app (Starlette's TestClient: routing, templates, middleware), and p50/p95 printed.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from config import Config  # noqa: E402
from portal import content  # noqa: E402
from portal.site import NEWEST  # noqa: E402
from storage.db import open_database  # noqa: E402
from storage.models import ChangeEvent, CrawlRun, Document, Source, Version  # noqa: E402
from web.app import create_app  # noqa: E402

SOURCES = ("changan", "humen", "houjie")
BATCH = 5_000
FIGURE = re.compile(r"\d+\.\d")


def build(url: str, versions: int, seed: int = 7) -> dict[str, int]:
    rng = random.Random(seed)
    drafts = content.generate(rng, 400, content.town_of("长安镇人民政府"), NEWEST)
    db = open_database(url)
    started = time.perf_counter()
    now = datetime(2026, 11, 1, tzinfo=UTC)
    with db.engine.begin() as connection:
        connection.execute(
            insert(Source), [{"name": n, "paused": False, "created_at": now} for n in SOURCES]
        )
        connection.execute(
            insert(CrawlRun),
            [
                {
                    "source_id": i + 1,
                    "started_at": now,
                    "finished_at": now,
                    "status": "finished",
                    "baseline": False,
                    "pages": 100,
                    "unchanged": 100,
                    "new": 0,
                    "changed": 0,
                    "removed": 0,
                    "restored": 0,
                    "errors": 0,
                    "summary_notified": True,
                }
                for i in range(len(SOURCES))
            ],
        )
    raw = zlib.compress(b"<html><body>...</body></html>")
    version_id = event_id = 0
    document_id = 0
    versions_rows: list[dict] = []
    events_rows: list[dict] = []
    documents_rows: list[dict] = []

    def flush() -> None:
        with db.engine.begin() as connection:
            if documents_rows:
                connection.execute(insert(Document), documents_rows)
            if versions_rows:
                connection.execute(insert(Version), versions_rows)
            if events_rows:
                connection.execute(insert(ChangeEvent), events_rows)
        documents_rows.clear()
        versions_rows.clear()
        events_rows.clear()

    while version_id < versions:
        document_id += 1
        draft = rng.choice(drafts)
        paragraphs = list(draft.paragraphs)
        rng.shuffle(paragraphs)
        text = "\n".join(paragraphs[: rng.randint(6, len(paragraphs))])
        count = min(rng.choice((1, 2, 3, 4, 5, 6, 7)), versions - version_id)
        source_id = rng.randrange(len(SOURCES)) + 1
        first_seen = now - timedelta(days=rng.randrange(300), minutes=rng.randrange(1440))
        documents_rows.append(
            {
                "id": document_id,
                "source_id": source_id,
                "status": "active",
                "url": f"http://www.town{source_id}.gov.cn/content/post_{document_id}.html",
                "first_seen": first_seen,
                "last_seen": now,
                "version_count": count,
            }
        )
        previous = None
        for number in range(1, count + 1):
            if number > 1:
                figures = FIGURE.findall(text)
                for figure in rng.sample(figures, min(2, len(figures))):
                    text = text.replace(figure, f"{rng.randrange(1, 999)}.{rng.randrange(10)}", 1)
            version_id += 1
            fetched = first_seen + timedelta(days=number * 3)
            versions_rows.append(
                {
                    "id": version_id,
                    "document_id": document_id,
                    "number": number,
                    "crawl_run_id": source_id,
                    "fetched_at": fetched,
                    "sha256": f"{version_id:064x}",
                    "title": draft.title,
                    "published_at": draft.published.strftime("%Y-%m-%d"),
                    "publisher": draft.source,
                    "text": text,
                    "text_simplified": text,
                    "warnings": [],
                    "attachments": [],
                    "http_status": 200,
                    "headers": {},
                    "encoding": "utf-8",
                    "raw_compressed": raw,
                }
            )
            event_id += 1
            events_rows.append(
                {
                    "id": event_id,
                    "document_id": document_id,
                    "crawl_run_id": source_id,
                    "kind": "new" if number == 1 else "changed",
                    "at": fetched,
                    "from_version_id": previous,
                    "to_version_id": version_id,
                    "chars_added": 5 if number > 1 else len(text),
                    "chars_removed": 5 if number > 1 else 0,
                    "significance": 1.0 if number == 1 else round(rng.random(), 3),
                    "reasons": ["figures changed"] if number > 1 else ["new document"],
                    "notified": True,
                }
            )
            previous = version_id
        if len(versions_rows) >= BATCH:
            flush()
    flush()
    db.dispose()
    return {
        "documents": document_id,
        "versions": version_id,
        "events": event_id,
        "seconds": round(time.perf_counter() - started, 1),
    }


TOKEN = "benchmark-token"


def timed(client: TestClient, paths: list[str], token: str | None = None) -> list[float]:
    headers = {"accept": "text/html"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    times = []
    for path in paths:
        start = time.perf_counter()
        response = client.get(path, headers=headers)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--versions", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--db", help="reuse (or keep) this SQLite file")
    args = parser.parse_args()
    path = Path(args.db) if args.db else Path(tempfile.mkdtemp()) / "web-bench.db"
    url = f"sqlite:///{path}"
    if not path.exists():
        stats = build(url, args.versions)
        print(
            f"built {path}: {stats['documents']:,} documents, {stats['versions']:,} versions, "
            f"{stats['events']:,} change events in {stats['seconds']} s "
            f"({path.stat().st_size / 1e6:.0f} MB)"
        )
    db = open_database(url)
    with db.engine.connect() as connection:
        documents = connection.exec_driver_sql("SELECT max(id) FROM documents").scalar()
        texts = [
            row[0]
            for row in connection.exec_driver_sql(
                "SELECT text_simplified FROM versions ORDER BY random() LIMIT 200"
            )
        ]
    config = Config.model_validate(
        {
            "sources": [{"name": n, "start_urls": [f"http://{n}.gov.cn/"]} for n in SOURCES],
            "web": {"token": TOKEN},
        }
    )
    rng = random.Random(1)
    n = args.requests
    phrases = []
    for text in texts:
        paragraph = max(text.split("\n"), key=len)
        at = rng.randrange(max(1, len(paragraph) - 8))
        phrases.append(quote(paragraph[at : at + rng.randint(3, 6)].strip() or "政府"))
    workloads = {
        "changes page (newest, page 1-20)": [
            f"/changes?page={rng.randint(1, 20)}" for _ in range(n)
        ],
        "changes page (filtered)": [
            f"/changes?source={rng.choice(SOURCES)}&kind=changed&min_significance=0.5"
            f"&page={rng.randint(1, 5)}"
            for _ in range(n)
        ],
        "document page": [f"/documents/{rng.randint(1, documents)}" for _ in range(n)],
        "diff page (side by side)": [
            f"/documents/{rng.randint(1, documents)}/diff" for _ in range(n)
        ],
        "search (3-6 characters, FTS5 trigram)": [
            f"/search?q={phrases[i % len(phrases)]}" for i in range(n)
        ],
        "search (2 characters, LIKE scan)": [
            f"/search?q={quote(rng.choice(['政府', '工作', '项目', '社区', '亿元']))}"
            for _ in range(max(10, n // 10))
        ],
        # A term that occurs nowhere: the LIKE scan reads every current version, or, for a
        # visitor without a token, those among the newest versions (ANONYMOUS_SCAN_WINDOW).
        "search (2 characters, no match, no token)": [f"/search?q={quote('龘龘')}"] * 10,
        "search (2 characters, no match: full scan)*": [f"/search?q={quote('龘龘')}"] * 10,
    }
    # Rows marked * are requested with the token (reading stays open without one).
    with TestClient(create_app(config, db)) as client:
        client.get("/changes")  # warm up: templates compiled, caches filled
        print(f"\n{'request':<44} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
        for name, paths in workloads.items():
            times = sorted(timed(client, paths, TOKEN if name.endswith("*") else None))
            p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
            p50 = statistics.median(times)
            print(f"{name:<44} {len(times):>5} {p50:>8.1f} {p95:>8.1f} {times[-1]:>8.1f}")
    db.dispose()


if __name__ == "__main__":
    main()
