"""Benchmark: a run's planning cost and memory as a source grows from 1,000 to 1,000,000 documents.

Run by hand: ``.venv/bin/python benchmarks/planning.py [--sizes 1000,10000,100000,1000000]
[--budget 1000] [--pg postgresql://postgres@127.0.0.1:5432/test]``.

For each size, a fresh database (SQLite in a file; PostgreSQL in a database of its own) gets
that many documents of one source, one in ten of them due, in one INSERT ... SELECT. Then a
run's planning is timed: ``storage.revisits.due_documents`` for the budget's candidates and
``revisits.budget.choose`` over them, as ``crawler.revisiting.RevisitPlanner.plan`` does;
Python memory is the tracemalloc peak. The peer, timed in the same run on the same rows, is
what a run did before: load every known document's URL and validators.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import select, text  # noqa: E402

from crawler.revisiting import CANDIDATES_PER_REQUEST  # noqa: E402
from revisits.budget import choose  # noqa: E402
from revisits.policy import Policy  # noqa: E402
from storage.db import Database, open_database  # noqa: E402
from storage.models import Document, Source, utcnow  # noqa: E402
from storage.revisits import due_documents  # noqa: E402

FILL = {
    # one in ten due (from ten days overdue), the rest due over the next 30 days
    "sqlite": """
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :count)
        INSERT INTO documents (source_id, url, status, first_seen, last_seen, version_count,
                               visits, changes, change_weight, last_visit_at, next_visit_at,
                               etag, last_modified)
        SELECT :source, 'http://www.example.gov.cn/art/' || i || '.html', 'active',
               datetime('now', '-400 days'), datetime('now', '-3 days'), 1, 3, i % 3, 0.5,
               datetime('now', '-3 days'),
               CASE WHEN i % 10 = 0 THEN datetime('now', '-' || (i % 240) || ' hours')
                    ELSE datetime('now', '+' || (i % 720) || ' hours') END,
               '"' || i || '"', 'Sun, 01 Mar 2026 01:30:00 GMT'
        FROM n
    """,
    "postgresql": """
        INSERT INTO documents (source_id, url, status, first_seen, last_seen, version_count,
                               visits, changes, change_weight, last_visit_at, next_visit_at,
                               etag, last_modified)
        SELECT :source, 'http://www.example.gov.cn/art/' || i || '.html', 'active',
               now() - interval '400 days', now() - interval '3 days', 1, 3, i % 3, 0.5,
               now() - interval '3 days',
               CASE WHEN i % 10 = 0 THEN now() - (i % 240) * interval '1 hour'
                    ELSE now() + (i % 720) * interval '1 hour' END,
               '"' || i || '"', 'Sun, 01 Mar 2026 01:30:00 GMT'
        FROM generate_series(1, :count) AS i
    """,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="1000,10000,100000,1000000")
    parser.add_argument("--budget", type=int, default=1000)
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/test",
                        help="an administrative PostgreSQL URL; 'none' to skip PostgreSQL")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"budget {args.budget} requests: the planning query reads "
          f"{args.budget * CANDIDATES_PER_REQUEST} candidates; median of {args.repeat} runs\n")
    header = ("backend", "documents", "plan (ms)", "plan peak MiB", "chosen", "load all (ms)",
              "load all peak MiB")
    rows: list[tuple[str, ...]] = [header]
    backends = [("sqlite", _sqlite)] + ([] if args.pg == "none" else [("postgresql", _pg(args.pg))])
    for backend, database in backends:
        for size in sizes:
            with database() as db:
                source = _fill(db, backend, size)
                plan_ms, plan_mib, chosen = _measure(partial(_plan, db, source, args.budget),
                                                     args.repeat)
                all_ms, all_mib, _ = _measure(partial(_load_all, db, source), args.repeat)
                rows.append((backend, f"{size:,}", f"{plan_ms:.1f}", f"{plan_mib:.2f}",
                             str(chosen), f"{all_ms:.1f}", f"{all_mib:.1f}"))
                print(f"  {backend} {size:,}: done", file=sys.stderr)
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    for index, row in enumerate(rows):
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)))
        if index == 0:
            print("  ".join("-" * w for w in widths))


def _plan(db: Database, source: int, budget: int) -> int:
    now = utcnow()
    with db.reader() as session:
        candidates = due_documents(session, source, now, budget * CANDIDATES_PER_REQUEST)
    return len(choose(((k, k.state) for k in candidates), now, budget, Policy()))


def _load_all(db: Database, source: int) -> int:
    """What start_run did before: every known document's URL and validators, in memory."""
    with db.reader() as session:
        known = {
            row.url: (row.etag, row.last_modified)
            for row in session.execute(
                select(Document.url, Document.etag, Document.last_modified)
                .where(Document.source_id == source)
            )
        }
    return len(known)


def _measure(work: Callable[[], int], repeat: int) -> tuple[float, float, int]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        times.append((time.perf_counter() - started) * 1000)
    tracemalloc.start()  # once more, traced: tracing slows Python down several times
    work()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return statistics.median(times), peak, result


def _fill(db: Database, backend: str, size: int) -> int:
    with db.transaction() as session:
        source = Source(name="bench")
        session.add(source)
        session.flush()
        session.execute(text(FILL[backend]), {"source": source.id, "count": size})
        source_id = source.id
    with db.engine.begin() as connection:
        connection.execute(text("ANALYZE"))
    return source_id


@contextmanager
def _sqlite() -> Iterator[Database]:
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(f"sqlite:///{Path(tmp) / 'plan.db'}")
        try:
            yield db
        finally:
            db.dispose()


def _pg(admin_url: str) -> Callable[[], contextmanager]:  # type: ignore[type-arg]
    @contextmanager
    def database() -> Iterator[Database]:
        import psycopg

        name = f"govwatch_plan_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        base = admin_url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
        db = open_database(f"{base}/{name}")
        try:
            yield db
        finally:
            db.dispose()
            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return database


if __name__ == "__main__":
    main()
