"""The JSON API under /api: the same query functions as the pages and the CLI's --json."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Security
from fastapi.exceptions import RequestValidationError
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from corpus.govdocs import field_filter as govdoc_filter
from corpus.govdocs import links
from dispatch import AlreadyRunning, UnknownSource, set_paused
from storage.govdocs import FieldFilter, field_values
from storage.queries import (
    WIDEST_INTEGER,
    NotFound,
    document_detail,
    document_version,
    iso,
    list_changes,
    list_documents,
    list_runs,
    run_errors,
    version_pair,
)
from storage.runs import reap_dead_runs
from tracker.compare import compare
from web import schemas
from web.accounts import record
from web.auth import access_of, acting, require_read_api
from web.inputs import (
    NO_CONTROL,
    DocumentId,
    RunId,
    SearchQuery,
    SourceFilter,
    SourceName,
    VersionNumber,
)
from web.overview import sources_overview
from web.views.search import run_search

bearer = HTTPBearer(
    auto_error=False,
    description="A personal API token (govwatch users token NAME), or the [web] token",
)


def read_access(
    request: Request,
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)] = None,
) -> None:
    require_read_api(request)


def write_access(
    request: Request,
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)] = None,
) -> None:
    """Sources: crawl, pause, resume need an editor (or an admin)."""
    access_of(request).check_api_write(request, "editor")


PROBLEMS: dict[int | str, dict[str, Any]] = {
    401: {"model": schemas.Problem, "description": "No token, or a wrong one"},
    403: {"model": schemas.Problem, "description": "Not allowed (or no token configured)"},
    429: {"model": schemas.Problem, "description": "Too many wrong tokens from this address"},
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": schemas.Problem, "description": "No such thing"}
}

router = APIRouter(prefix="/api", dependencies=[Depends(read_access)], responses=PROBLEMS)

Kind = Annotated[schemas.ChangeKind | None, Query()]
Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]


@router.get("/sources", response_model=list[schemas.Source], tags=["sources"])
def get_sources(request: Request) -> list[dict[str, Any]]:
    return sources_overview(
        request.app.state.config, request.app.state.db, request.app.state.dispatcher.running()
    )


@router.post(
    "/sources/{name}/crawl",
    status_code=202,
    response_model=schemas.CrawlStarted,
    dependencies=[Depends(write_access)],
    responses={**NOT_FOUND, 409: {"model": schemas.Problem, "description": "Already running"}},
    tags=["sources"],
)
def crawl_source(request: Request, name: SourceName) -> dict[str, Any]:
    try:
        crawl = request.app.state.dispatcher.start(name)
    except UnknownSource:
        raise HTTPException(404, f"no source named {name!r}") from None
    except AlreadyRunning as exc:
        raise HTTPException(409, str(exc)) from None
    record(request, acting(request), "crawl", name)
    return {"source": name, "pid": crawl.pid}


def _set_paused(request: Request, name: str, paused: bool) -> dict[str, Any]:
    try:
        set_paused(request.app.state.config, request.app.state.db, name, paused)
    except UnknownSource:
        raise HTTPException(404, f"no source named {name!r}") from None
    record(request, acting(request), "pause" if paused else "resume", name)
    return {"source": name, "paused": paused}


@router.post(
    "/sources/{name}/pause",
    response_model=schemas.SourceState,
    dependencies=[Depends(write_access)],
    responses=NOT_FOUND,
    tags=["sources"],
)
def pause_source(request: Request, name: SourceName) -> dict[str, Any]:
    return _set_paused(request, name, True)


@router.post(
    "/sources/{name}/resume",
    response_model=schemas.SourceState,
    dependencies=[Depends(write_access)],
    responses=NOT_FOUND,
    tags=["sources"],
)
def resume_source(request: Request, name: SourceName) -> dict[str, Any]:
    return _set_paused(request, name, False)


@router.get("/runs", response_model=list[schemas.SourceRun], tags=["runs"])
def get_runs(request: Request, source: SourceFilter = None, limit: Limit = 20) -> Any:
    reap_dead_runs(request.app.state.db)
    with request.app.state.db.reader() as session:
        return list_runs(session, source or None, limit=limit)


@router.get(
    "/runs/{run_id}/errors",
    response_model=list[schemas.RunError],
    responses=NOT_FOUND,
    tags=["runs"],
)
def get_run_errors(request: Request, run_id: RunId) -> Any:
    with request.app.state.db.reader() as session:
        try:
            return run_errors(session, run_id)
        except NotFound as exc:
            raise HTTPException(404, str(exc)) from None


def field_filter(
    number: Annotated[
        str | None, Query(max_length=100, pattern=NO_CONTROL, description="文号, as printed")
    ] = None,
    issuer: Annotated[
        str | None, Query(max_length=100, pattern=NO_CONTROL, description="part of 发文机关")
    ] = None,
    validity: Annotated[
        str | None, Query(max_length=20, pattern=NO_CONTROL, description="有效, 失效, 废止…")
    ] = None,
    written_from: date | None = None,
    written_to: date | None = None,
    published_from: date | None = None,
    published_to: date | None = None,
) -> FieldFilter:
    """Filters on a government document's own fields (its current version)."""
    return govdoc_filter(
        number, issuer, validity, written_from, written_to, published_from, published_to
    )


Fields = Annotated[FieldFilter, Depends(field_filter)]


@router.get("/documents", response_model=list[schemas.DocumentSummary], tags=["documents"])
def get_documents(
    request: Request,
    fields: Fields,
    source: SourceFilter = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Any:
    with request.app.state.db.reader() as session:
        return list_documents(session, source or None, limit=limit, offset=offset, fields=fields)


@router.get(
    "/documents/{document_id}",
    response_model=schemas.DocumentDetail,
    responses=NOT_FOUND,
    tags=["documents"],
)
def get_document(request: Request, document_id: DocumentId) -> Any:
    with request.app.state.db.reader() as session:
        try:
            return {**document_detail(session, document_id), **links(session, document_id)}
        except NotFound as exc:
            raise HTTPException(404, str(exc)) from None


@router.get(
    "/documents/{document_id}/versions/{number}",
    response_model=schemas.VersionDetail,
    responses=NOT_FOUND,
    tags=["documents"],
)
def get_version(request: Request, document_id: DocumentId, number: VersionNumber) -> Any:
    with request.app.state.db.reader() as session:
        try:
            v = document_version(session, document_id, number)
        except NotFound as exc:
            raise HTTPException(404, str(exc)) from None
    return {
        "document_id": document_id,
        "version": v.number,
        "fetched_at": iso(v.fetched_at),
        "title": v.title,
        "published_at": v.published_at,
        "publisher": v.publisher,
        "sha256": v.sha256,
        "http_status": v.http_status,
        "encoding": v.encoding,
        "text": v.text,
        "text_simplified": v.text_simplified,
        "attachments": [a for a in v.attachments or [] if isinstance(a, dict)],
        **field_values(v),
    }


@router.get(
    "/documents/{document_id}/diff",
    response_model=schemas.DiffResult,
    responses=NOT_FOUND,
    tags=["documents"],
)
def get_diff(
    request: Request,
    document_id: DocumentId,
    from_version: Annotated[int | None, Query(alias="from", ge=1, le=WIDEST_INTEGER)] = None,
    to_version: Annotated[int | None, Query(alias="to", ge=1, le=WIDEST_INTEGER)] = None,
) -> Any:
    """The exact diff of two versions (default: the last two)."""
    with request.app.state.db.reader() as session:
        try:
            old, new = version_pair(session, document_id, from_version, to_version)
        except NotFound as exc:
            raise HTTPException(404, str(exc)) from None
        comparison = compare(old, new)
    diff = comparison.diff
    return {
        "document_id": document_id,
        "from_version": old.number,
        "to_version": new.number,
        "chars_added": diff.chars_added,
        "chars_removed": diff.chars_removed,
        "exact": diff.exact,
        "reasons": comparison.reasons,
        "ops": [{"kind": op.kind, "text": op.text, "side": op.side} for op in diff.ops],
    }


@router.get("/changes", response_model=list[schemas.Change], tags=["changes"])
def get_changes(
    request: Request,
    source: SourceFilter = None,
    kind: Kind = None,
    min_significance: Annotated[float, Query(ge=0, le=1)] = 0.0,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    with request.app.state.db.reader() as session:
        return list_changes(
            session,
            source=source or None,
            kind=kind,
            min_significance=min_significance or None,
            limit=limit,
            offset=offset,
        )


@router.get("/search", response_model=list[schemas.SearchHit], tags=["search"])
def get_search(
    request: Request,
    fields: Fields,
    q: SearchQuery = "",
    source: SourceFilter = None,
    all_versions: bool = False,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Any:
    """Versions containing every whitespace-separated term (current versions by default),
    narrowed by the document fields given; a query needs terms or a field filter."""
    if not q.strip() and not fields:
        # The documented 422 body (a list of problems), as for any other invalid query.
        raise RequestValidationError(
            [
                {
                    "type": "missing",
                    "loc": ("query", "q"),
                    "msg": "give q or at least one field filter",
                    "input": q,
                }
            ]
        )
    return run_search(request, q, source, all_versions, limit, offset, fields)
