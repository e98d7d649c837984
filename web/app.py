"""The app factory: ``create_app(config, db)`` wires pages, API, static files and headers."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from config import Config
from dispatch import Dispatcher, dispatcher_for, schedule_for
from storage.db import Database
from storage.sources import with_stored_sources
from web import api, api_accounts, api_sources, preview
from web.accounts import LoginThrottle
from web.auth import Access, LoginRequired
from web.inputs import refuse_control_characters
from web.rendering import environment
from web.views import account, changes, documents, operations, overview, search, sources, users
from web.views.common import render

log = logging.getLogger(__name__)

UNREADABLE_BODY = "There was an error parsing the body"

STATIC = Path(__file__).with_name("static")
# No inline script or style, no plugins, no framing; forms post only to this site.
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def create_app(
    config: Config,
    db: Database,
    *,
    run_scheduler: bool = False,
    dispatcher: Dispatcher | None = None,
) -> FastAPI:
    """The web app over one database; with run_scheduler, the crawl scheduler runs inside.

    Crawls started from the app go through ``dispatcher`` (by default the one the
    configuration asks for); the schedule, when it runs here, starts its crawls the same way.
    """
    file_config = config
    # The web app's own sources join the file's (the file's imported: storage/sources.py).
    config = with_stored_sources(config, db)
    dispatcher = dispatcher or dispatcher_for(config)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        schedule = schedule_for(config, dispatcher) if run_scheduler else None
        if schedule is not None:
            schedule.start()
        app.state.schedule = schedule
        try:
            yield
        finally:
            if schedule is not None:
                schedule.stop()
            dispatcher.stop_all()  # crawls started from the app end with it

    app = FastAPI(
        title="govwatch",
        summary="Government portals watched: sources, runs, documents, versions, changes.",
        version="1",
        docs_url=None,  # the interactive docs load scripts from a CDN; the schema is enough
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
        dependencies=[Depends(refuse_control_characters)],
    )
    app.state.config = config
    app.state.file_config = file_config
    app.state.db = db
    app.state.access = Access(config.web, db)
    app.state.login_throttle = LoginThrottle()
    app.state.dispatcher = dispatcher
    app.state.schedule = None
    app.state.templates = Jinja2Templates(env=environment())

    app.include_router(api.router)
    app.include_router(api_accounts.router)
    app.include_router(api_sources.router)
    app.include_router(preview.api)
    app.include_router(preview.pages)
    # sources and preview first: their /sources/NAME/... before the overview's actions
    for module in (sources, overview, changes, documents, search, account, users, operations):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.exception_handler(LoginRequired)
    async def login_first(request: Request, _exc: LoginRequired) -> Response:
        target = quote(request.url.path, safe="/")
        return RedirectResponse(f"/login?next={target}", status_code=303)

    @app.exception_handler(StarletteHTTPException)  # FastAPI raises both kinds
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 400 and exc.detail == UNREADABLE_BODY:
            # FastAPI's answer to a body that is not JSON: the documented 422 instead.
            problem = {"type": "json_invalid", "loc": ["body"], "msg": UNREADABLE_BODY}
            return JSONResponse({"detail": [problem]}, status_code=422)
        if request.url.path.startswith("/api/") or "text/html" not in request.headers.get(
            "accept", ""
        ):
            return JSONResponse(
                {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
            )
        return render(
            request,
            "error.html",
            {"status": exc.status_code, "message": str(exc.detail)},
            status=exc.status_code,
        )

    return app
