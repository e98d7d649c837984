"""Sources managed through the API by editors: preview, add, replace, delete.

A source defined in the configuration file is edited there (409 here); a deleted source
keeps its stored documents unless ``delete_documents`` is set.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response

from config import SourceConfig
from dispatch.preview import check_source
from storage.accounts import audit
from storage.sources import (
    SourceConflict,
    UnknownStoredSource,
    add_web_source,
    delete_web_source,
    update_web_source,
)
from web import schemas
from web.api import NOT_FOUND, PROBLEMS, read_access, write_access
from web.auth import acting
from web.inputs import SourceName
from web.overview import sources_overview
from web.sources import refresh

CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {"model": schemas.Problem, "description": "Taken, or defined in the configuration file"}
}
router = APIRouter(
    prefix="/api/sources",
    dependencies=[Depends(read_access)],
    responses=PROBLEMS,
    tags=["sources"],
)
Editor = [Depends(write_access)]


@router.post("/preview", response_model=schemas.SourcePreview, dependencies=Editor)
def preview(request: Request, source: SourceConfig) -> dict[str, Any]:
    """Read the start URLs as a crawl would and list the documents they name; nothing is
    stored."""
    return check_source(source, request.app.state.config.crawl)


@router.post(
    "", status_code=201, response_model=schemas.Source, dependencies=Editor, responses=CONFLICT
)
def add_source(request: Request, source: SourceConfig) -> dict[str, Any]:
    with request.app.state.db.transaction() as session:
        try:
            add_web_source(session, source)
        except SourceConflict as exc:
            raise HTTPException(409, str(exc)) from None
        audit(
            session,
            acting(request).name,
            "api",
            "add-source",
            source.name,
            {"start_urls": source.start_urls},
        )
    return _row(request, source.name)


@router.put(
    "/{name}",
    response_model=schemas.Source,
    dependencies=Editor,
    responses={**NOT_FOUND, **CONFLICT},
)
def replace_source(request: Request, name: SourceName, source: SourceConfig) -> dict[str, Any]:
    with request.app.state.db.transaction() as session:
        try:
            update_web_source(session, name, source)
        except UnknownStoredSource as exc:
            raise HTTPException(404, str(exc)) from None
        except SourceConflict as exc:
            raise HTTPException(409, str(exc)) from None
        audit(session, acting(request).name, "api", "edit-source", name)
    return _row(request, name)


@router.delete("/{name}", status_code=204, dependencies=Editor, responses={**NOT_FOUND, **CONFLICT})
def delete_source(
    request: Request, name: SourceName, delete_documents: Annotated[bool, Query()] = False
) -> Response:
    """The source stops being crawled; its documents stay unless ``delete_documents``."""
    with request.app.state.db.transaction() as session:
        try:
            delete_web_source(session, name, keep_documents=not delete_documents)
        except UnknownStoredSource as exc:
            raise HTTPException(404, str(exc)) from None
        except SourceConflict as exc:
            raise HTTPException(409, str(exc)) from None
        audit(
            session,
            acting(request).name,
            "api",
            "delete-source",
            name,
            {"documents": "deleted" if delete_documents else "kept"},
        )
    refresh(request.app)
    return Response(status_code=204)


def _row(request: Request, name: str) -> dict[str, Any]:
    config = refresh(request.app)
    rows = sources_overview(config, request.app.state.db, request.app.state.dispatcher.running())
    return next(row for row in rows if row["name"] == name)
