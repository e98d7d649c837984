"""Adding, editing and deleting sources in the web app (editors), with a preview first."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from config import SourceConfig
from dispatch.preview import check_source
from storage.accounts import audit
from storage.sources import (
    FILE,
    WEB,
    SourceConflict,
    UnknownStoredSource,
    add_web_source,
    delete_web_source,
    origins,
    update_web_source,
)
from web.auth import access_of, require_read_page
from web.sources import refresh
from web.views.common import config_of, db_of, render

router = APIRouter(include_in_schema=False)
LISTINGS = ("auto", "html", "trs", "hanweb", "gkmlpt", "sitemap", "feed")
Text = Annotated[str, Form(max_length=20_000)]


def _editor_page(request: Request) -> None:
    require_read_page(request)
    who = access_of(request).principal(request)
    if who is None or not who.at_least("editor"):
        raise HTTPException(403, "adding and editing sources is for editors")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _source(fields: dict[str, Any]) -> tuple[SourceConfig | None, list[str]]:
    """The form as a source, or the validation errors, each naming its field."""
    data = {
        "name": fields["name"].strip(),
        "start_urls": _lines(fields["start_urls"]),
        "schedule": fields["schedule"].strip() or "0 */6 * * *",
        "allow": _lines(fields["allow"]),
        "deny": _lines(fields["deny"]),
        "listing": fields["listing"] or "auto",
        "max_pages": fields["max_pages"],
    }
    try:
        return SourceConfig.model_validate(data), []
    except ValidationError as exc:
        return None, [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]


def _form(
    request: Request,
    fields: dict[str, Any],
    *,
    editing: str | None = None,
    preview: dict[str, Any] | None = None,
    errors: list[str] = (),  # type: ignore[assignment]
) -> HTMLResponse:
    return render(
        request,
        "source_form.html",
        {
            "fields": fields,
            "editing": editing,
            "preview": preview,
            "errors": list(errors),
            "listings": LISTINGS,
        },
    )


EMPTY = {
    "name": "",
    "start_urls": "",
    "schedule": "0 */6 * * *",
    "allow": "",
    "deny": "",
    "listing": "auto",
    "max_pages": 500,
}


@router.get("/sources/new", response_class=HTMLResponse, dependencies=[Depends(_editor_page)])
def new_source_page(request: Request) -> HTMLResponse:
    return _form(request, dict(EMPTY))


@router.post("/sources/preview", response_class=HTMLResponse)
def preview_page(
    request: Request,
    name: Annotated[str, Form(max_length=64)] = "",
    start_urls: Text = "",
    schedule: Annotated[str, Form(max_length=200)] = "",
    allow: Text = "",
    deny: Text = "",
    listing: Annotated[str, Form(max_length=16)] = "auto",
    max_pages: Annotated[int, Form(ge=1, le=1_000_000)] = 500,
    editing: Annotated[str, Form(max_length=64)] = "",
    csrf: Annotated[str, Form()] = "",
) -> HTMLResponse:
    """What the source would watch, then the button that adds (or saves) it."""
    access_of(request).check_form_write(request, csrf, "editor")
    fields = {
        "name": name,
        "start_urls": start_urls,
        "schedule": schedule,
        "allow": allow,
        "deny": deny,
        "listing": listing,
        "max_pages": max_pages,
    }
    source, errors = _source(fields)
    if source is None:
        return _form(request, fields, editing=editing or None, errors=errors)
    preview = check_source(source, config_of(request).crawl)
    return _form(request, fields, editing=editing or None, preview=preview)


@router.post("/sources/new")
def add_source(
    request: Request,
    name: Annotated[str, Form(max_length=64)] = "",
    start_urls: Text = "",
    schedule: Annotated[str, Form(max_length=200)] = "",
    allow: Text = "",
    deny: Text = "",
    listing: Annotated[str, Form(max_length=16)] = "auto",
    max_pages: Annotated[int, Form(ge=1, le=1_000_000)] = 500,
    csrf: Annotated[str, Form()] = "",
) -> Any:
    who = access_of(request).check_form_write(request, csrf, "editor")
    fields = {
        "name": name,
        "start_urls": start_urls,
        "schedule": schedule,
        "allow": allow,
        "deny": deny,
        "listing": listing,
        "max_pages": max_pages,
    }
    source, errors = _source(fields)
    if source is None:
        return _form(request, fields, errors=errors)
    with db_of(request).transaction() as session:
        try:
            add_web_source(session, source)
        except SourceConflict as exc:
            return _form(request, fields, errors=[str(exc)])
        audit(
            session, who.name, "web", "add-source", source.name, {"start_urls": source.start_urls}
        )
    refresh(request.app)
    return _back(f"source {source.name} added")


@router.get(
    "/sources/{name}/edit", response_class=HTMLResponse, dependencies=[Depends(_editor_page)]
)
def edit_source_page(request: Request, name: str) -> HTMLResponse:
    with db_of(request).reader() as session:
        origin = origins(session).get(name)
    if origin == FILE:
        raise HTTPException(
            409, f"source {name!r} is defined in the configuration file: edit it there"
        )
    if origin != WEB:
        raise HTTPException(404, f"no source named {name!r}")
    source = next(s for s in config_of(request).sources if s.name == name)
    fields = {
        "name": source.name,
        "start_urls": "\n".join(source.start_urls),
        "schedule": source.schedule,
        "allow": "\n".join(source.allow),
        "deny": "\n".join(source.deny),
        "listing": source.listing,
        "max_pages": source.max_pages,
    }
    return _form(request, fields, editing=name)


@router.post("/sources/{name}/edit")
def save_source(
    request: Request,
    name: str,
    start_urls: Text = "",
    schedule: Annotated[str, Form(max_length=200)] = "",
    allow: Text = "",
    deny: Text = "",
    listing: Annotated[str, Form(max_length=16)] = "auto",
    max_pages: Annotated[int, Form(ge=1, le=1_000_000)] = 500,
    csrf: Annotated[str, Form()] = "",
) -> Any:
    who = access_of(request).check_form_write(request, csrf, "editor")
    fields = {
        "name": name,
        "start_urls": start_urls,
        "schedule": schedule,
        "allow": allow,
        "deny": deny,
        "listing": listing,
        "max_pages": max_pages,
    }
    source, errors = _source(fields)
    if source is None:
        return _form(request, fields, editing=name, errors=errors)
    with db_of(request).transaction() as session:
        try:
            update_web_source(session, name, source)
        except UnknownStoredSource as exc:
            raise HTTPException(404, str(exc)) from None
        except SourceConflict as exc:
            raise HTTPException(409, str(exc)) from None
        audit(session, who.name, "web", "edit-source", name)
    refresh(request.app)
    return _back(f"source {name} saved")


@router.post("/sources/{name}/delete")
def delete_source(
    request: Request,
    name: str,
    delete_documents: Annotated[bool, Form()] = False,
    csrf: Annotated[str, Form()] = "",
) -> RedirectResponse:
    who = access_of(request).check_form_write(request, csrf, "editor")
    with db_of(request).transaction() as session:
        try:
            delete_web_source(session, name, keep_documents=not delete_documents)
        except UnknownStoredSource as exc:
            raise HTTPException(404, str(exc)) from None
        except SourceConflict as exc:
            raise HTTPException(409, str(exc)) from None
        audit(
            session,
            who.name,
            "web",
            "delete-source",
            name,
            {"documents": "deleted" if delete_documents else "kept"},
        )
    refresh(request.app)
    kept = "its documents deleted" if delete_documents else "its documents kept"
    return _back(f"source {name} deleted, {kept}")


def _back(notice: str) -> RedirectResponse:
    return RedirectResponse(f"/?notice={quote(notice)}", status_code=303)
