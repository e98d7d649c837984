"""Full-text search over the clean corpus, with highlighted snippets."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from extractor.textclean import to_simplified
from storage.search import search_terms, search_versions
from web.auth import require_read_page
from web.views.common import db_of, render, source_names

router = APIRouter(include_in_schema=False, dependencies=[Depends(require_read_page)])

PER_PAGE = 20


def run_search(
    request: Request, q: str, source: str | None, all_versions: bool, limit: int, offset: int
) -> list[dict]:
    """Shared by the page and the API: the query in simplified script, as the index is."""
    terms = search_terms(to_simplified(q))
    with db_of(request).reader() as session:
        return search_versions(
            session,
            terms,
            source=source or None,
            all_versions=all_versions,
            limit=limit,
            offset=offset,
        )


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    q: Annotated[str, Query(max_length=500)] = "",
    source: str | None = None,
    all_versions: bool = False,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    rows = (
        run_search(request, q, source, all_versions, PER_PAGE + 1, (page - 1) * PER_PAGE)
        if q.strip()
        else []
    )
    params = {
        k: v for k, v in {"q": q, "source": source, "all_versions": all_versions}.items() if v
    }
    return render(
        request,
        "search.html",
        {
            "q": q,
            "source": source or "",
            "all_versions": all_versions,
            "sources": source_names(request),
            "results": rows[:PER_PAGE],
            "page": page,
            "previous_url": f"/search?{urlencode({**params, 'page': page - 1})}"
            if page > 1
            else None,
            "next_url": f"/search?{urlencode({**params, 'page': page + 1})}"
            if len(rows) > PER_PAGE
            else None,
        },
    )
