"""Source previews in the web app: what a configured source's start pages would watch.

The preview is ``crawler.discovery.preview.probe``, the code ``govwatch probe`` and the
crawler run. It fetches the portal, so it is a write action (the write token), and it only
ever reads the start URLs of a source in the configuration: never a URL a request names.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse

from config import Config, ConfigError
from crawler.discovery.preview import Preview, probe
from web import schemas
from web.api import NOT_FOUND, PROBLEMS, read_access, write_access
from web.auth import access_of
from web.views.common import config_of, render

MAX_PREVIEW_PAGES = 10  # listing pages a preview reads while a person waits

api = APIRouter(prefix="/api", dependencies=[Depends(read_access)], responses=PROBLEMS)
pages = APIRouter(include_in_schema=False)


def source_previews(config: Config, name: str) -> list[Preview]:
    """One preview per start URL of the configured source ``name`` (``LookupError`` if none)."""
    try:
        source = config.source(name)
    except ConfigError as exc:
        raise LookupError(str(exc)) from None
    return [
        probe(url, allow=source.allow, deny=source.deny, listing=source.listing,
              max_listing_pages=min(source.max_listing_pages, MAX_PREVIEW_PAGES),
              render=source.render, crawl=config.crawl)
        for url in source.start_urls
    ]


@api.post(
    "/sources/{name}/preview",
    response_model=list[schemas.Preview],
    dependencies=[Depends(write_access)],
    responses=NOT_FOUND,
    tags=["sources"],
)
def preview_source(request: Request, name: str) -> list[dict[str, Any]]:
    """What the source's start pages list now: documents with titles and dates, pages."""
    try:
        return [p.to_json() for p in source_previews(request.app.state.config, name)]
    except LookupError:
        raise HTTPException(404, f"no source named {name!r}") from None


@pages.post("/sources/{name}/preview", response_class=HTMLResponse)
def preview_page(request: Request, name: str,
                 csrf: Annotated[str, Form()] = "") -> HTMLResponse:
    access_of(request).check_form_write(request, csrf)
    try:
        previews = source_previews(config_of(request), name)
    except LookupError:
        raise HTTPException(404, f"no source named {name!r}") from None
    return render(request, "preview.html", {"name": name, "previews": previews})
