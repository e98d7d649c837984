"""The overview page and the buttons that write (crawl now, pause, resume)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from dispatch import AlreadyRunning, UnknownSource, set_paused
from web.accounts import record
from web.auth import access_of, require_read_page
from web.charts import overview_charts
from web.overview import sources_overview
from web.views.common import config_of, db_of, render
from web.views.operations import cluster_status

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse, dependencies=[Depends(require_read_page)])
def overview_page(request: Request, notice: str | None = None) -> HTMLResponse:
    running = request.app.state.dispatcher.running()
    sources = sources_overview(config_of(request), db_of(request), running)
    charts = overview_charts(db_of(request), [s["name"] for s in sources])
    cluster = cluster_status(request) if config_of(request).cluster else None
    context = {"sources": sources, "notice": notice, "charts": charts, "cluster": cluster}
    return render(request, "overview.html", context)


@router.post("/sources/{name}/crawl")
def crawl_now(request: Request, name: str, csrf: Annotated[str, Form()] = "") -> RedirectResponse:
    who = access_of(request).check_form_write(request, csrf)
    try:
        crawl = request.app.state.dispatcher.start(name)
    except UnknownSource:
        raise HTTPException(404, f"no source named {name!r}") from None
    except AlreadyRunning as exc:
        return _back(f"{exc}")
    record(request, who, "crawl", name)
    if crawl.pid is None:
        return _back(f"crawl of {name} queued for the cluster (task {crawl.ident})")
    return _back(f"crawl of {name} started (process {crawl.ident})")


@router.post("/sources/{name}/{action}")
def pause_or_resume(
    request: Request, name: str, action: str, csrf: Annotated[str, Form()] = ""
) -> RedirectResponse:
    if action not in ("pause", "resume"):
        raise HTTPException(404, "no such action")
    who = access_of(request).check_form_write(request, csrf)
    try:
        set_paused(config_of(request), db_of(request), name, action == "pause")
    except UnknownSource:
        raise HTTPException(404, f"no source named {name!r}") from None
    record(request, who, action, name)
    return _back(f"{name} {'paused' if action == 'pause' else 'resumed'}")


def _back(notice: str) -> RedirectResponse:
    return RedirectResponse(f"/?notice={quote(notice)}", status_code=303)
