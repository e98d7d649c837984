"""Source previews in the web app: what a configured source's start pages would watch.

The preview is ``dispatch.preview`` (the crawler's probe, the code ``govwatch probe`` and a
crawl run). It fetches the portal, so it is a write action (the write token), and it only
ever reads the start URLs of a source in the configuration: never a URL a request names.
The crawler and Scrapy are imported when a preview is asked for, not with the app.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse

from web import schemas
from web.api import NOT_FOUND, PROBLEMS, read_access, write_access
from web.auth import access_of
from web.inputs import SourceName
from web.views.common import config_of, render

api = APIRouter(prefix="/api", dependencies=[Depends(read_access)], responses=PROBLEMS)
pages = APIRouter(include_in_schema=False)


def _previews(request: Request, name: str) -> list[Any]:
    from dispatch.base import UnknownSource
    from dispatch.preview import WEB_PREVIEW_PAGES, preview_source

    try:
        return preview_source(config_of(request), name, WEB_PREVIEW_PAGES)
    except UnknownSource:
        raise HTTPException(404, f"no source named {name!r}") from None


@api.post(
    "/sources/{name}/preview",
    response_model=list[schemas.Preview],
    dependencies=[Depends(write_access)],
    responses=NOT_FOUND,
    tags=["sources"],
)
def source_preview(request: Request, name: SourceName) -> list[dict[str, Any]]:
    """What the source's start pages list now: documents with titles and dates, pages."""
    return [p.to_json() for p in _previews(request, name)]


@pages.post("/sources/{name}/preview", response_class=HTMLResponse)
def preview_page(request: Request, name: str,
                 csrf: Annotated[str, Form()] = "") -> HTMLResponse:
    access_of(request).check_form_write(request, csrf)
    previews = _previews(request, name)
    return render(request, "preview.html", {"name": name, "previews": previews})
