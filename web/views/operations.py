"""Operations: ``/healthz`` for load balancers, ``/metrics`` for Prometheus, the cluster panel.

``/healthz`` says only whether the database answers and whether this process leads the
schedule: nothing a stranger could use, so it needs no token. ``/metrics`` and
``/api/cluster`` need read access like every other read.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import text

from dispatch.metrics import registry_for, render
from web.auth import require_read_api
from web.views.common import config_of, db_of

router = APIRouter(include_in_schema=False)
PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8"


@router.get("/healthz")
def healthz(request: Request) -> JSONResponse:
    try:
        with db_of(request).reader() as session:
            session.execute(text("SELECT 1"))
        database = True
    except Exception:  # noqa: BLE001 - an outage is the answer, not an error page
        database = False
    schedule = request.app.state.schedule
    body = {
        "status": "ok" if database else "unavailable",
        "database": database,
        "schedule": schedule is not None,
        "leading": getattr(getattr(schedule, "lead", None), "leading", schedule is not None),
    }
    return JSONResponse(body, status_code=200 if database else 503)


@router.get("/metrics", dependencies=[Depends(require_read_api)])
def metrics(request: Request) -> Response:
    state = request.app.state
    if getattr(state, "metrics_registry", None) is None:
        state.metrics_registry = registry_for(config_of(request), db_of(request))
    return Response(render(state.metrics_registry), media_type=PROMETHEUS_TEXT)


@router.get("/api/cluster", dependencies=[Depends(require_read_api)], tags=["cluster"])
def cluster(request: Request) -> dict[str, Any]:
    """Workers, queued and running crawls per source, and the leading dispatcher."""
    return cluster_status(request)


def cluster_status(request: Request) -> dict[str, Any]:
    dispatcher = request.app.state.dispatcher
    status_of = getattr(dispatcher, "status", None)
    if status_of is None:
        return {"mode": "local", "running": sorted(dispatcher.running())}
    status = status_of()
    return {
        "mode": "cluster",
        "leader": status.leader,
        "workers": status.workers,
        "running": status.running(),
        "queued": status.queued,
        "queue_length": status.queue_length,
        "errors": status.errors,
    }
