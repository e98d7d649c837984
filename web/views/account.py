"""Logging in and out, and one's own account: password and personal API tokens."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, HTTPException, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from storage.accounts import (
    AccountError,
    Principal,
    end_session,
    get_user,
    revoke_token,
    set_password,
    start_session,
    token_record,
    tokens_of,
    verify_password,
)
from web.accounts import login_keys, record, throttle
from web.auth import COOKIE, SESSION_PREFIX, access_of
from web.views.common import db_of, render

router = APIRouter(include_in_schema=False)
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
COOKIE_DAYS = 30


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/", failed: bool = False) -> HTMLResponse:
    return render(request, "login.html", {"next": _local(next), "failed": failed})


@router.post("/login")
def login(
    request: Request,
    token: Annotated[str, Form(max_length=512)] = "",
    name: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str, Form(max_length=2048)] = "/",
) -> RedirectResponse:
    """With a token (the [web] token or a personal one), or with a user name and password."""
    keys = login_keys(request, name or None)
    throttle(request, keys)
    access = access_of(request)
    cookie: str | None = None
    who: Principal | None = None
    if token:
        who = access.token_principal(token)
        if who is not None and who.user_id is None:
            cookie = access.bootstrap_cookie(who)
        elif who is not None:
            cookie = _session_cookie(request, who.name)
    elif name and password:
        with db_of(request).transaction() as session:
            user = verify_password(session, name, password)
            if user is not None:
                who = Principal(user.name, user.role, user.id)  # type: ignore[arg-type]
                cookie = SESSION_PREFIX + start_session(session, user)
    throttle_state = request.app.state.login_throttle
    if who is None or cookie is None:
        throttle_state.failed(keys)
        return RedirectResponse(f"/login?failed=1&next={quote(_local(next))}", status_code=303)
    throttle_state.succeeded(keys)
    record(request, who, "login")
    response = RedirectResponse(_local(next), status_code=303)
    response.set_cookie(
        COOKIE,
        cookie,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        max_age=COOKIE_DAYS * 24 * 3600,
    )
    return response


def _session_cookie(request: Request, name: str) -> str:
    with db_of(request).transaction() as session:
        return SESSION_PREFIX + start_session(session, get_user(session, name))


@router.post("/logout")
def logout(request: Request) -> RedirectResponse:
    cookie = request.cookies.get(COOKIE, "")
    if cookie.startswith(SESSION_PREFIX):
        with db_of(request).transaction() as session:
            end_session(session, cookie[len(SESSION_PREFIX) :])
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(COOKIE)
    return response


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, notice: str | None = None) -> HTMLResponse:
    who = access_of(request).principal(request)
    if who is None:
        return RedirectResponse("/login?next=/account", status_code=303)  # type: ignore[return-value]
    tokens = []
    if who.user_id is not None:
        with db_of(request).reader() as session:
            tokens = [token_record(t) for t in tokens_of(session, who.name)]
    return render(request, "account.html", {"tokens": tokens, "notice": notice})


@router.post("/account/password")
def change_password(
    request: Request,
    current: Annotated[str, Form(max_length=1024)],
    new: Annotated[str, Form(max_length=1024)],
    csrf: Annotated[str, Form()] = "",
) -> RedirectResponse:
    """One's own password (any role): every login session of the user ends, this one too."""
    who = access_of(request).check_form_write(request, csrf, "viewer")
    if who.user_id is None:
        raise HTTPException(403, "the bootstrap token has no password")
    keys = login_keys(request, who.name)
    throttle(request, keys)
    with db_of(request).transaction() as session:
        if verify_password(session, who.name, current) is None:
            request.app.state.login_throttle.failed(keys)
            return _account("the current password is not right")
        try:
            set_password(session, who.name, new)
        except AccountError as exc:
            return _account(str(exc))
    record(request, who, "password", who.name)
    response = RedirectResponse("/login?next=/account", status_code=303)
    response.delete_cookie(COOKIE)
    return response


@router.post("/account/tokens/{token_id}/revoke")
def revoke_own_token(
    request: Request, token_id: Id, csrf: Annotated[str, Form()] = ""
) -> RedirectResponse:
    """One's own token (any role); an admin revokes anyone's on the users page."""
    who = access_of(request).check_form_write(request, csrf, "viewer")
    with db_of(request).transaction() as session:
        owned = {t.id for t in tokens_of(session, who.name)} if who.user_id else set()
        if token_id not in owned:
            raise HTTPException(404, "no such token of yours")
        revoke_token(session, token_id)
    record(request, who, "revoke-token", f"{who.name}#{token_id}")
    return _account(f"token {token_id} revoked")


def _account(notice: str) -> RedirectResponse:
    return RedirectResponse(f"/account?notice={quote(notice)}", status_code=303)


def _local(target: str) -> str:
    """Only a path on this site: never another host (an open redirect)."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target
