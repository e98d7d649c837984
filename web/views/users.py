"""Team pages: users and their tokens and the audit log (admins), and subscriptions."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from alerts.subscriptions import pending_digest_counts
from storage.accounts import (
    ROLES,
    AccountError,
    UnknownUser,
    add_user,
    audit,
    audit_log,
    issue_token,
    list_users,
    remove_user,
    revoke_token,
    set_password,
    token_record,
    tokens_of,
    user_record,
)
from storage.subscriptions import (
    KINDS,
    add_subscription,
    list_subscriptions,
    remove_subscription,
    subscription_record,
)
from web.auth import access_of, require_read_page
from web.views.common import db_of, render, source_names

router = APIRouter(include_in_schema=False)
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
Csrf = Annotated[str, Form()]


def _admin_page(request: Request) -> None:
    require_read_page(request)
    who = access_of(request).principal(request)
    if who is None or not who.at_least("admin"):
        raise HTTPException(403, "this page is for admins")


@router.get("/users", response_class=HTMLResponse, dependencies=[Depends(_admin_page)])
def users_page(request: Request, notice: str | None = None) -> HTMLResponse:
    with db_of(request).reader() as session:
        users = [
            {**user_record(u), "tokens": [token_record(t) for t in tokens_of(session, u.name)]}
            for u in list_users(session)
        ]
    return render(
        request, "users.html", {"users": users, "roles": ROLES, "notice": notice, "issued": None}
    )


@router.post("/users")
def add_user_form(
    request: Request,
    name: Annotated[str, Form(max_length=64)],
    role: Annotated[str, Form(max_length=16)],
    password: Annotated[str, Form(max_length=1024)] = "",
    time_zone: Annotated[str, Form(max_length=64)] = "UTC",
    csrf: Csrf = "",
) -> RedirectResponse:
    who = access_of(request).check_form_write(request, csrf, "admin")
    with db_of(request).transaction() as session:
        try:
            add_user(session, name, role, password=password or None, time_zone=time_zone or "UTC")
        except AccountError as exc:
            return _back("/users", str(exc))
        audit(session, who.name, "web", "add-user", name, {"role": role})
    return _back("/users", f"{name} added as {role}")


@router.post("/users/{name}/remove")
def remove_user_form(request: Request, name: str, csrf: Csrf = "") -> RedirectResponse:
    who = access_of(request).check_form_write(request, csrf, "admin")
    with db_of(request).transaction() as session:
        try:
            remove_user(session, name)
        except UnknownUser as exc:
            raise HTTPException(404, str(exc)) from None
        audit(session, who.name, "web", "remove-user", name)
    return _back("/users", f"{name} removed")


@router.post("/users/{name}/password")
def set_password_form(
    request: Request, name: str, password: Annotated[str, Form(max_length=1024)], csrf: Csrf = ""
) -> RedirectResponse:
    who = access_of(request).check_form_write(request, csrf, "admin")
    with db_of(request).transaction() as session:
        try:
            set_password(session, name, password)
        except UnknownUser as exc:
            raise HTTPException(404, str(exc)) from None
        except AccountError as exc:
            return _back("/users", str(exc))
        audit(session, who.name, "web", "password", name)
    return _back("/users", f"password of {name} set; their logins ended")


@router.post("/users/{name}/tokens", response_class=HTMLResponse)
def issue_token_form(
    request: Request,
    name: str,
    label: Annotated[str, Form(max_length=128)] = "",
    csrf: Csrf = "",
) -> HTMLResponse:
    """The new token is in this response only (never in a URL, never stored)."""
    who = access_of(request).check_form_write(request, csrf, "admin")
    with db_of(request).transaction() as session:
        try:
            row, token = issue_token(session, name, label)
        except UnknownUser as exc:
            raise HTTPException(404, str(exc)) from None
        audit(session, who.name, "web", "issue-token", f"{name}#{row.id}")
    with db_of(request).reader() as session:
        users = [
            {**user_record(u), "tokens": [token_record(t) for t in tokens_of(session, u.name)]}
            for u in list_users(session)
        ]
    response = render(
        request,
        "users.html",
        {"users": users, "roles": ROLES, "notice": None, "issued": {"user": name, "token": token}},
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/tokens/{token_id}/revoke")
def revoke_token_form(request: Request, token_id: Id, csrf: Csrf = "") -> RedirectResponse:
    who = access_of(request).check_form_write(request, csrf, "admin")
    with db_of(request).transaction() as session:
        try:
            token = revoke_token(session, token_id)
        except UnknownUser as exc:
            raise HTTPException(404, str(exc)) from None
        audit(session, who.name, "web", "revoke-token", f"{token.user.name}#{token_id}")
    return _back("/users", f"token {token_id} revoked")


@router.get("/audit", response_class=HTMLResponse, dependencies=[Depends(_admin_page)])
def audit_page(request: Request) -> HTMLResponse:
    with db_of(request).reader() as session:
        entries = audit_log(session, limit=200)
    return render(request, "audit.html", {"entries": entries})


@router.get(
    "/subscriptions", response_class=HTMLResponse, dependencies=[Depends(require_read_page)]
)
def subscriptions_page(request: Request, notice: str | None = None) -> HTMLResponse:
    """Admins see everyone's subscriptions; others their own."""
    who = access_of(request).principal(request)
    with db_of(request).reader() as session:
        if who is not None and who.at_least("admin"):
            rows = list_subscriptions(session)
            users = [u.name for u in list_users(session)]
        elif who is not None and who.user_id is not None:
            rows = list_subscriptions(session, who.name)
            users = [who.name]
        else:
            rows, users = [], []
        waiting = pending_digest_counts(session)
    subscriptions = [{**subscription_record(s), "waiting": waiting.get(s.id, 0)} for s in rows]
    return render(
        request,
        "subscriptions.html",
        {
            "subscriptions": subscriptions,
            "users": users,
            "sources": source_names(request),
            "kinds": KINDS,
            "notice": notice,
        },
    )


@router.post("/subscriptions")
def add_subscription_form(
    request: Request,
    notify: Annotated[str, Form(max_length=8192)],
    user: Annotated[str, Form(max_length=64)] = "",
    sources: Annotated[list[str] | None, Form()] = None,
    kinds: Annotated[list[str] | None, Form()] = None,
    keywords: Annotated[str, Form(max_length=5000)] = "",
    issuers: Annotated[str, Form(max_length=5000)] = "",
    numbers: Annotated[str, Form(max_length=5000)] = "",
    min_significance: Annotated[float, Form(ge=0, le=1)] = 0.0,
    digest: Annotated[str, Form(max_length=5)] = "",
    csrf: Csrf = "",
) -> RedirectResponse:
    """Keywords and destinations one per line (keywords also comma-separated)."""
    who = access_of(request).check_form_write(request, csrf, "editor")
    owner = user or who.name
    if owner != who.name and not who.at_least("admin"):
        raise HTTPException(403, "only admins subscribe other users")
    words, bodies, document_numbers = _split(keywords), _split(issuers), _split(numbers)
    with db_of(request).transaction() as session:
        try:
            subscription = add_subscription(
                session,
                owner,
                notify=[u.strip() for u in notify.splitlines() if u.strip()],
                sources=sources or [],
                kinds=kinds or [],
                keywords=words,
                issuers=bodies,
                numbers=document_numbers,
                min_significance=min_significance,
                digest_at=digest or None,
            )
        except (AccountError, UnknownUser) as exc:
            return _back("/subscriptions", str(exc))
        audit(
            session,
            who.name,
            "web",
            "subscribe",
            owner,
            {"id": subscription.id, "keywords": words, "digest": digest or None},
        )
    return _back("/subscriptions", f"subscription #{subscription.id} for {owner} added")


@router.post("/subscriptions/{subscription_id}/delete")
def delete_subscription_form(
    request: Request, subscription_id: Id, csrf: Csrf = ""
) -> RedirectResponse:
    who = access_of(request).check_form_write(request, csrf, "editor")
    with db_of(request).transaction() as session:
        subscription = remove_subscription(session, subscription_id)
        if subscription is None or (
            subscription.user_id != who.user_id and not who.at_least("admin")
        ):
            raise HTTPException(404, f"no subscription {subscription_id} of yours")
        audit(session, who.name, "web", "unsubscribe", f"#{subscription_id}")
    return _back("/subscriptions", f"subscription #{subscription_id} removed")


def _split(text: str) -> list[str]:
    """One per line, or comma-separated."""
    return [w.strip() for line in text.splitlines() for w in line.split(",") if w.strip()]


def _back(path: str, notice: str) -> RedirectResponse:
    return RedirectResponse(f"{path}?notice={quote(notice)}", status_code=303)
