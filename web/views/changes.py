"""The newest change events, filtered and paginated, and their Atom feed (the one
``alerts.feed.atom_feed`` builds for ``govwatch feed`` too)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import HTMLResponse

from alerts.feed import atom_feed, feed_identity
from storage.queries import list_changes
from web.auth import require_read_page
from web.views.common import KINDS, config_of, db_of, render, source_names

router = APIRouter(include_in_schema=False, dependencies=[Depends(require_read_page)])

PER_PAGE = 50
FEED_ENTRIES = 50


def change_link(change: dict[str, Any]) -> str:
    """Where a change is best seen: its diff, or the document for new and removed ones."""
    doc = change["document_id"]
    if change["from_version"] and change["to_version"]:
        return f"/documents/{doc}/diff?from={change['from_version']}&to={change['to_version']}"
    version = change["to_version"] or change["from_version"]
    return f"/documents/{doc}" + (f"?version={version}" if version else "")


@router.get("/changes", response_class=HTMLResponse)
def changes_page(
    request: Request,
    source: str | None = None,
    kind: Annotated[str | None, Query(pattern="^(|new|changed|removed|restored)$")] = None,
    min_significance: Annotated[float, Query(ge=0, le=1)] = 0.0,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    rows = _filtered(request, source, kind, min_significance, PER_PAGE + 1, (page - 1) * PER_PAGE)
    filters = {
        k: v
        for k, v in {"source": source, "kind": kind, "min_significance": min_significance}.items()
        if v
    }
    return render(
        request,
        "changes.html",
        {
            "changes": [{**row, "link": change_link(row)} for row in rows[:PER_PAGE]],
            "filters": filters,
            "sources": source_names(request),
            "kinds": KINDS,
            "page": page,
            "previous_url": _page_url(filters, page - 1) if page > 1 else None,
            "next_url": _page_url(filters, page + 1) if len(rows) > PER_PAGE else None,
            "feed_url": "/feeds/changes.atom" + (f"?{urlencode(filters)}" if filters else ""),
        },
    )


def _filtered(
    request: Request,
    source: str | None,
    kind: str | None,
    min_significance: float,
    limit: int,
    offset: int,
) -> list[dict[str, Any]]:
    """Change rows for the page and the feed; empty form fields mean "no filter"."""
    with db_of(request).reader() as session:
        return list_changes(
            session,
            source=source or None,
            kind=kind or None,
            min_significance=min_significance or None,
            limit=limit,
            offset=offset,
        )


def _page_url(filters: dict[str, Any], page: int) -> str:
    return "/changes?" + urlencode({**filters, "page": page})


@router.get("/feeds/changes.atom")
def changes_feed(
    request: Request,
    source: str | None = None,
    kind: Annotated[str | None, Query(pattern="^(|new|changed|removed|restored)$")] = None,
    min_significance: Annotated[float, Query(ge=0, le=1)] = 0.0,
) -> Response:
    rows = _filtered(request, source, kind, min_significance, FEED_ENTRIES, 0)
    identity = feed_identity(
        config_of(request).web.base_url,
        source=source or None,
        kind=kind or None,
        min_significance=min_significance or None,
    )
    # Without [web] base_url the feed's links are where this request found it.
    here = str(request.base_url).rstrip("/")
    body = atom_feed(
        rows,
        feed_id=identity.id,
        title=identity.title,
        self_url=identity.self_url or str(request.url),
        alternate_url=identity.alternate_url or f"{here}/changes",
    )
    return Response(body, media_type="application/atom+xml")
