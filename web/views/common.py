"""What every page needs: the template response with the visitor's role and CSRF value."""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse

from config import Config
from storage.db import Database
from web.auth import access_of

KINDS = ("new", "changed", "removed", "restored")


def render(
    request: Request, template: str, context: dict[str, Any], status: int = 200
) -> HTMLResponse:
    access = access_of(request)
    try:
        who = access.principal(request)
    except HTTPException:  # a client out of guesses: the page (often that error) still shows
        who = None
    base = {
        "can_write": who is not None and who.at_least("editor"),
        "is_admin": who is not None and who.at_least("admin"),
        "logged_in": who is not None,
        "who": who,
        "write_enabled": access.writes_enabled(),
        "csrf": access.csrf(request) if who is not None else "",
        "nav": template.split(".")[0],
    }
    return request.app.state.templates.TemplateResponse(
        request, template, {**base, **context}, status_code=status
    )


def db_of(request: Request) -> Database:
    return request.app.state.db


def config_of(request: Request) -> Config:
    return request.app.state.config


def source_names(request: Request) -> list[str]:
    return [s.name for s in config_of(request).sources]
