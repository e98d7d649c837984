"""The state of every configured source: schedule, last run, next run and health."""

from __future__ import annotations

from typing import Any

from config import Config
from dispatch import next_run
from storage.db import Database
from storage.queries import iso, sources_status
from storage.runs import reap_dead_runs
from storage.sources import origins

# Health at a glance, worst first.
HEALTH = ("failing", "degraded", "never", "running", "paused", "ok")


def health(paused: bool, run: dict[str, Any] | None, running_here: bool) -> str:
    if paused:
        return "paused"
    if running_here or (run is not None and run["status"] == "running"):
        return "running"
    if run is None:
        return "never"
    seen = run["new"] + run["changed"] + run["unchanged"] + run["removed"] + run["restored"]
    if run["status"] == "interrupted" or (run["errors"] and not seen):
        return "failing"
    if run["errors"]:
        return "degraded"
    return "ok"


def sources_overview(config: Config, db: Database, running: set[str]) -> list[dict[str, Any]]:
    reap_dead_runs(db)
    with db.reader() as session:
        stored = sources_status(session)
        defined_in = origins(session)
    rows = []
    for source in config.sources:
        state = stored.get(
            source.name, {"paused": False, "documents": 0, "overdue": 0, "last_run": None}
        )
        rows.append(
            {
                "name": source.name,
                "schedule": source.schedule,
                "start_urls": list(source.start_urls),
                "paused": state["paused"],
                "documents": state["documents"],
                "overdue": state["overdue"],
                "last_run": state["last_run"],
                "next_run": None if state["paused"] else iso(next_run(source)),
                "health": health(state["paused"], state["last_run"], source.name in running),
                "origin": defined_in.get(source.name) or "file",
            }
        )
    return rows
