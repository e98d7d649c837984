"""Benchmark: crawls on one Celery worker against two, at download delay 0 and polite.

Run by hand (PostgreSQL and Redis of the machine):
``.venv/bin/python benchmarks/cluster.py [--sources 4] [--pages 60] [--latency 0.1] [--json]``.

K portals of M articles each are served from this process, each on a loopback address of
its own (127.0.0.2, 127.0.0.3, …) so that each is a host of its own to the per-host limit,
each answer delayed by ``--latency`` like a distant portal. Every configuration crawls all
K sources once (a baseline) into a fresh PostgreSQL database, through the Redis queue, with
workers as separate processes (``govwatch worker -n NAME``, two crawls at once each):

- seconds: from queueing the K crawls until every run has finished;
- cpu_ms_per_page: CPU time of the workers and their crawl processes over pages fetched;
- peak_in_flight_per_host: the most requests one portal was answering at once, measured
  at the portal, against configured_per_host;
- duplicates: crawl runs beyond one per source, plus stored versions beyond one per
  document;
- recovery_s: in a second run, a worker is killed with SIGKILL in the middle of its crawls
  (with one worker, a new one is started at once, as a supervisor would); seconds from the
  kill until every crawl has finished (the broker's visibility timeout, ``--visibility``,
  dominates it).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from portal import Portal  # noqa: E402

PG_ADMIN = os.environ.get("GOVWATCH_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = "redis://127.0.0.1:6379/0"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sources", type=int, default=4)
    parser.add_argument("--pages", type=int, default=60)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--per-host", type=int, default=2)
    parser.add_argument("--visibility", type=int, default=60)
    parser.add_argument("--polite", action="store_true",
                        help="also measure at the polite default (delay 0.5 s, AutoThrottle)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    portals = [Portal(articles=args.pages, per_page=20, seed=100 + i) for i in range(args.sources)]
    for index, site in enumerate(portals):
        site.traffic.latency = args.latency
        site.serve(host=f"127.0.0.{index + 2}")
    try:
        results = {
            "one_worker": _with_recovery(portals, args, workers=1),
            "two_workers": _with_recovery(portals, args, workers=2),
        }
        polite = {}
        if args.polite:
            polite = {
                "one_worker_polite": _measure(portals, args, workers=1, delay=0.5),
                "two_workers_polite": _measure(portals, args, workers=2, delay=0.5),
            }
    finally:
        for site in portals:
            site.server.stop()
    if args.json:
        print(json.dumps(results, separators=(",", ":")))
        return
    _table(args, {**results, **polite})


def _with_recovery(portals: list[Portal], args: argparse.Namespace, *,
                   workers: int) -> dict[str, float | int | None]:
    """A timed run at delay 0, then a run with a worker killed mid-crawl for recovery_s."""
    timed = _measure(portals, args, workers=workers, delay=0.0)
    killed = _measure(portals, args, workers=workers, delay=0.0, kill=True)
    timed["recovery_s"] = killed["recovery_s"]
    timed["duplicates"] = int(timed["duplicates"] or 0) + int(killed["duplicates"] or 0)
    return timed


def _measure(portals: list[Portal], args: argparse.Namespace, *, workers: int, delay: float,
             kill: bool = False) -> dict[str, float | int | None]:
    for site in portals:
        site.traffic.reset_peak()
        site.clear_requests()
    with tempfile.TemporaryDirectory() as tmp, _database() as db_url:
        config = _config(Path(tmp) / "govwatch.toml", portals, args, delay)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        processes = [_worker(config, db_url, f"bench{n}-{uuid.uuid4().hex[:6]}", Path(tmp))
                     for n in range(workers)]
        try:
            _wait_until(lambda: _answering(config, db_url) >= workers, 90)
            started = time.monotonic()
            _enqueue(config, db_url, len(portals))
            recovery = None
            if kill:
                _wait_until(lambda: sum(len(s.requests) for s in portals) > args.pages, 120)
                processes[0].send_signal(signal.SIGKILL)
                processes[0].wait()
                killed_at = time.monotonic()
                if workers == 1:  # a supervisor (systemd, Kubernetes) starts a new one
                    processes.append(_worker(config, db_url, f"bench-{uuid.uuid4().hex[:6]}",
                                             Path(tmp)))
            _wait_until(lambda: _finished_sources(db_url) >= len(portals), 900)
            seconds = time.monotonic() - started
            if kill:
                recovery = time.monotonic() - killed_at
        finally:
            for process in processes:
                if process.poll() is None:
                    process.terminate()
            for process in processes:
                process.wait(60)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        pages = sum(len(site.requests) for site in portals)
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        return {
            "workers": workers,
            "delay": delay,
            "seconds": round(seconds, 2),
            "pages": pages,
            "cpu_ms_per_page": round(1000 * cpu / max(pages, 1), 1),
            "peak_in_flight_per_host": max(site.traffic.peak for site in portals),
            "configured_per_host": args.per_host,
            "duplicates": _duplicates(db_url, len(portals)),
            "recovery_s": None if recovery is None else round(recovery, 1),
        }


def _config(path: Path, portals: list[Portal], args: argparse.Namespace, delay: float) -> Path:
    sources = "".join(
        f'\n[[sources]]\nname = "s{i}"\nstart_urls = ["{site.listing_url}"]\n'
        for i, site in enumerate(portals)
    )
    path.write_text(
        f"""
[crawl]
obey_robots = false
allow_private_addresses = true  # the portals listen on loopback addresses
concurrency_per_host = {args.per_host}
download_delay = {delay}
autothrottle = {"true" if delay else "false"}
timeout = 30
retries = 0

[cluster]
broker_url = "{REDIS_URL}"
queue = "govwatch.bench.{uuid.uuid4().hex[:12]}"
visibility_timeout = {args.visibility}
crawl_time_limit = {args.visibility - 5}
metrics_port = 0
{sources}""",
        encoding="utf-8",
    )
    return path


class _database:
    """A PostgreSQL database of its own, dropped afterwards."""

    def __enter__(self) -> str:
        import psycopg

        self.name = f"govwatch_bench_{uuid.uuid4().hex[:8]}"
        self.admin = psycopg.connect(PG_ADMIN, autocommit=True)
        self.admin.execute(f'CREATE DATABASE "{self.name}"')
        base = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
        url = f"{base}/{self.name}"
        from storage.db import open_database

        open_database(url).dispose()
        return url

    def __exit__(self, *exc: object) -> None:
        self.admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self.admin.close()


def _worker(config: Path, db_url: str, name: str, logs: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    log = (logs / f"{name}.log").open("ab")
    return subprocess.Popen(
        [sys.executable, "-m", "govwatch", "--config", str(config), "--db", db_url, "worker",
         "-c", "2", "-n", f"{name}@bench"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
    )


def _load(config: Path, db_url: str):  # noqa: ANN202 - config.Config
    from config import load_config

    return load_config(config, db_url=db_url)


def _answering(config: Path, db_url: str) -> int:
    from dispatch.celery_app import celery_app

    app = celery_app(_load(config, db_url).cluster)
    return len([name for reply in app.control.ping(timeout=0.5) for name in reply])


def _enqueue(config: Path, db_url: str, sources: int) -> None:
    from dispatch import dispatcher_for

    dispatcher = dispatcher_for(_load(config, db_url))
    for index in range(sources):
        dispatcher.start(f"s{index}")


def _finished_sources(db_url: str) -> int:
    import psycopg

    with psycopg.connect(db_url.replace("+psycopg", ""), autocommit=True) as connection:
        row = connection.execute(
            "SELECT count(DISTINCT source_id) FROM crawl_runs WHERE status = 'finished'"
        ).fetchone()
    return int(row[0])


def _duplicates(db_url: str, sources: int) -> int:
    import psycopg

    with psycopg.connect(db_url.replace("+psycopg", ""), autocommit=True) as connection:
        finished = connection.execute(
            "SELECT count(*) FROM crawl_runs WHERE status = 'finished'"
        ).fetchone()[0]
        versions = connection.execute(
            "SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM versions"
            " GROUP BY document_id) AS per_document"
        ).fetchone()[0]
    return int(finished - sources + versions)


def _wait_until(condition, seconds: float) -> None:  # noqa: ANN001
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise SystemExit(f"timed out after {seconds} s")


def _table(args: argparse.Namespace, results: dict[str, dict]) -> None:
    print(f"{args.sources} sources x {args.pages} articles, {args.latency * 1000:.0f} ms latency,"
          f" {args.per_host} requests per host, {os.cpu_count()} CPUs; each worker -c 2")
    columns = ("workers", "delay", "seconds", "pages", "cpu_ms_per_page",
               "peak_in_flight_per_host", "configured_per_host", "duplicates", "recovery_s")
    print(f"{'configuration':<20}" + "".join(f"{c:>12}" for c in
                                            ("workers", "delay", "seconds", "pages", "cpu ms/p",
                                             "peak/host", "limit/host", "duplicates",
                                             "recovery s")))
    for name, row in results.items():
        print(f"{name:<20}" + "".join(f"{str(row[c]):>12}" for c in columns))
    one, two = results["one_worker"], results["two_workers"]
    print(f"speed-up of two workers at delay 0: {one['seconds'] / two['seconds']:.2f}x")


if __name__ == "__main__":
    main()
