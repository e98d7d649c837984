"""A document (metadata, clean text, attachments, timeline) and the diff of two versions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from corpus.govdocs import links
from storage.queries import (
    WIDEST_INTEGER,
    NotFound,
    document_detail,
    document_version,
    version_pair,
)
from tracker.compare import compare
from web.auth import require_read_page
from web.charts import versions_chart
from web.inputs import DocumentId, OptionalVersion
from web.rendering import SCRIPTS, diff_markup, text_in_script
from web.views.common import db_of, render

router = APIRouter(include_in_schema=False, dependencies=[Depends(require_read_page)])


@router.get("/documents/{document_id}", response_class=HTMLResponse)
def document_page(
    request: Request,
    document_id: DocumentId,
    version: OptionalVersion = None,
    script: Annotated[str, Query(pattern="^(original|simplified|traditional)$")] = "original",
) -> HTMLResponse:
    with db_of(request).reader() as session:
        try:
            document = {**document_detail(session, document_id), **links(session, document_id)}
            shown = document_version(session, document_id, version)
        except NotFound as exc:
            raise HTTPException(404, str(exc)) from None
    return render(
        request,
        "document.html",
        {
            "document": document,
            "version": shown,
            "text": text_in_script(shown, script),
            "script": script,
            "scripts": SCRIPTS,
            "publisher": shown.publisher,
            "attachments": list(shown.attachments or []),
            "timeline_chart": versions_chart(document["versions"], document["changes"]),
        },
    )


@router.get("/documents/{document_id}/diff", response_class=HTMLResponse)
def diff_page(
    request: Request,
    document_id: DocumentId,
    from_version: Annotated[int | None, Query(alias="from", ge=1, le=WIDEST_INTEGER)] = None,
    to_version: Annotated[int | None, Query(alias="to", ge=1, le=WIDEST_INTEGER)] = None,
    view: Annotated[str, Query(pattern="^(side|inline)$")] = "side",
) -> HTMLResponse:
    with db_of(request).reader() as session:
        try:
            document = document_detail(session, document_id)
            old, new = version_pair(session, document_id, from_version, to_version)
        except NotFound as exc:
            raise HTTPException(404, str(exc)) from None
        comparison = compare(old, new)
    diff = comparison.diff
    return render(
        request,
        "diff.html",
        {
            "document": document,
            "old": old,
            "new": new,
            "view": view,
            "diff": diff_markup(diff, view),
            "changed": diff.changed,
            "exact": diff.exact,
            "chars_added": diff.chars_added,
            "chars_removed": diff.chars_removed,
            "reasons": comparison.reasons,
            "title_changed": old.title != new.title,
        },
    )
