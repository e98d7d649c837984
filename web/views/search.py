"""Full-text search over the clean corpus, with highlighted snippets."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from corpus.govdocs import field_filter
from extractor.textclean import to_simplified
from storage.govdocs import FieldFilter
from storage.search import search_terms, search_versions
from web.auth import access_of, require_read_page
from web.views.common import db_of, render, source_names

router = APIRouter(include_in_schema=False, dependencies=[Depends(require_read_page)])

PER_PAGE = 20
# A query of one- and two-character terms cannot use the trigram index and scans: for a
# visitor without a token it scans only the newest this many versions.
ANONYMOUS_SCAN_WINDOW = 5_000


def run_search(
    request: Request,
    q: str,
    source: str | None,
    all_versions: bool,
    limit: int,
    offset: int,
    fields: FieldFilter | None = None,
) -> list[dict]:
    """Shared by the page and the API: the query in simplified script, as the index is."""
    terms = search_terms(to_simplified(q))
    anonymous = access_of(request).principal(request) is None
    with db_of(request).reader() as session:
        return search_versions(
            session,
            terms,
            source=source or None,
            all_versions=all_versions,
            limit=limit,
            offset=offset,
            fields=fields,
            scan_window=ANONYMOUS_SCAN_WINDOW if anonymous else None,
        )


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    q: Annotated[str, Query(max_length=500)] = "",
    source: str | None = None,
    all_versions: bool = False,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    number: Annotated[str, Query(max_length=100)] = "",
    issuer: Annotated[str, Query(max_length=100)] = "",
    validity: Annotated[str, Query(max_length=20)] = "",
    written_from: Annotated[str, Query(max_length=10)] = "",
    written_to: Annotated[str, Query(max_length=10)] = "",
    published_from: Annotated[str, Query(max_length=10)] = "",
    published_to: Annotated[str, Query(max_length=10)] = "",
) -> HTMLResponse:
    # A form sends empty inputs as "": read them as absent, and a malformed date as absent.
    fields = field_filter(
        number,
        issuer,
        validity,
        _date(written_from),
        _date(written_to),
        _date(published_from),
        _date(published_to),
    )
    rows = (
        run_search(request, q, source, all_versions, PER_PAGE + 1, (page - 1) * PER_PAGE, fields)
        if q.strip() or fields
        else []
    )
    given = {
        "q": q,
        "source": source,
        "all_versions": all_versions,
        **{name: getattr(fields, name) for name in FieldFilter.__dataclass_fields__},
    }
    params = {k: str(v) if isinstance(v, date) else v for k, v in given.items() if v}
    return render(
        request,
        "search.html",
        {
            "q": q,
            "fields": fields,
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


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip()) if value.strip() else None
    except ValueError:
        return None
