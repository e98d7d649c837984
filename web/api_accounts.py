"""The accounts API: who am I, users and their tokens (admins), subscriptions, the audit log.

Roles on every operation: reading one's own things needs any login; subscriptions are
written by editors (their own) and admins (anyone's); users, tokens and the audit log are
for admins. A viewer writes nothing (403); a missing or unknown token is 401.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response, Security
from fastapi.security import HTTPAuthorizationCredentials

from storage.accounts import (
    AccountError,
    Principal,
    UnknownUser,
    add_user,
    audit,
    audit_log,
    get_user,
    issue_token,
    list_users,
    remove_user,
    revoke_token,
    token_record,
    tokens_of,
    user_record,
)
from storage.subscriptions import (
    add_subscription,
    list_subscriptions,
    remove_subscription,
    subscription_record,
)
from web import account_schemas as schemas
from web.api import NOT_FOUND, PROBLEMS, bearer, read_access
from web.auth import access_of, acting
from web.inputs import UserName
from web.schemas import Problem

UNPROCESSABLE: dict[int | str, dict[str, Any]] = {
    422: {"description": "Not acceptable (the detail says why)"}
}


def _signed_in(request: Request) -> Principal:
    who = access_of(request).principal(request)
    if who is None:
        raise HTTPException(401, "send 'Authorization: Bearer TOKEN'")
    return who


def admin_access(
    request: Request,
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)] = None,
) -> None:
    access_of(request).check_api_write(request, "admin")


def editor_access(
    request: Request,
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)] = None,
) -> None:
    access_of(request).check_api_write(request, "editor")


def admin_read(
    request: Request,
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)] = None,
) -> None:
    who = _signed_in(request)
    if not who.at_least("admin"):
        raise HTTPException(403, f"this needs the admin role; you are a {who.role}")


Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
router = APIRouter(prefix="/api", dependencies=[Depends(read_access)], responses=PROBLEMS)
Admin = [Depends(admin_access)]


def _via(request: Request) -> Principal:
    return acting(request)


@router.get("/me", response_model=schemas.Me, tags=["users"])
def me(request: Request) -> dict[str, Any]:
    who = _signed_in(request)
    return {"name": who.name, "role": who.role, "user": who.user_id is not None}


@router.get(
    "/users",
    response_model=list[schemas.User],
    dependencies=[Depends(admin_read)],
    tags=["users"],
)
def get_users(request: Request) -> list[dict[str, Any]]:
    with request.app.state.db.reader() as session:
        return [user_record(u) for u in list_users(session)]


@router.post(
    "/users",
    status_code=201,
    response_model=schemas.User,
    dependencies=Admin,
    responses={409: {"model": Problem, "description": "The name is taken"}, **UNPROCESSABLE},
    tags=["users"],
)
def post_user(request: Request, body: schemas.NewUser) -> dict[str, Any]:
    with request.app.state.db.transaction() as session:
        try:
            user = add_user(
                session, body.name, body.role, password=body.password, time_zone=body.time_zone
            )
        except AccountError as exc:
            code = 409 if "exists" in str(exc) else 422
            raise HTTPException(code, str(exc)) from None
        audit(session, _via(request).name, "api", "add-user", body.name, {"role": body.role})
        return user_record(user)


@router.delete(
    "/users/{name}", status_code=204, dependencies=Admin, responses=NOT_FOUND, tags=["users"]
)
def delete_user(request: Request, name: UserName) -> Response:
    with request.app.state.db.transaction() as session:
        try:
            remove_user(session, name)
        except UnknownUser as exc:
            raise HTTPException(404, str(exc)) from None
        audit(session, _via(request).name, "api", "remove-user", name)
    return Response(status_code=204)


@router.get(
    "/users/{name}/tokens",
    response_model=list[schemas.Token],
    dependencies=[Depends(admin_read)],
    responses=NOT_FOUND,
    tags=["users"],
)
def get_tokens(request: Request, name: UserName) -> list[dict[str, Any]]:
    with request.app.state.db.reader() as session:
        try:
            return [token_record(t) for t in tokens_of(session, name)]
        except UnknownUser as exc:
            raise HTTPException(404, str(exc)) from None


@router.post(
    "/users/{name}/tokens",
    status_code=201,
    response_model=schemas.IssuedToken,
    dependencies=Admin,
    responses=NOT_FOUND,
    tags=["users"],
)
def post_token(request: Request, name: UserName, body: schemas.NewToken) -> dict[str, Any]:
    """A new personal API token: the response is the only time it is shown."""
    with request.app.state.db.transaction() as session:
        try:
            row, token = issue_token(session, name, body.label)
        except UnknownUser as exc:
            raise HTTPException(404, str(exc)) from None
        audit(session, _via(request).name, "api", "issue-token", f"{name}#{row.id}")
        return {**token_record(row), "token": token}


@router.delete(
    "/tokens/{token_id}", status_code=204, dependencies=Admin, responses=NOT_FOUND, tags=["users"]
)
def delete_token(request: Request, token_id: Id) -> Response:
    with request.app.state.db.transaction() as session:
        try:
            token = revoke_token(session, token_id)
        except UnknownUser as exc:
            raise HTTPException(404, str(exc)) from None
        audit(session, _via(request).name, "api", "revoke-token", f"{token.user.name}#{token_id}")
    return Response(status_code=204)


@router.get(
    "/audit",
    response_model=list[schemas.AuditEntry],
    dependencies=[Depends(admin_read)],
    tags=["audit"],
)
def get_audit(
    request: Request,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> list[dict[str, Any]]:
    with request.app.state.db.reader() as session:
        return audit_log(session, limit=limit, offset=offset)


@router.get("/subscriptions", response_model=list[schemas.Subscription], tags=["subscriptions"])
def get_subscriptions(request: Request) -> list[dict[str, Any]]:
    """Admins see everyone's; others their own."""
    who = _signed_in(request)
    with request.app.state.db.reader() as session:
        if who.at_least("admin"):
            rows = list_subscriptions(session)
        elif who.user_id is None:
            rows = []
        else:
            rows = list_subscriptions(session, who.name)
        return [subscription_record(s) for s in rows]


@router.post(
    "/subscriptions",
    status_code=201,
    response_model=schemas.Subscription,
    dependencies=[Depends(editor_access)],
    responses={**NOT_FOUND, **UNPROCESSABLE},
    tags=["subscriptions"],
)
def post_subscription(request: Request, body: schemas.NewSubscription) -> dict[str, Any]:
    who = _via(request)
    owner = body.user or who.name
    if owner != who.name and not who.at_least("admin"):
        raise HTTPException(403, "only admins subscribe other users")
    with request.app.state.db.transaction() as session:
        try:
            get_user(session, owner)
            subscription = add_subscription(
                session,
                owner,
                notify=body.notify,
                sources=body.sources,
                kinds=list(body.kinds),
                keywords=body.keywords,
                issuers=body.issuers,
                numbers=body.numbers,
                min_significance=body.min_significance,
                digest_at=body.digest,
            )
        except UnknownUser as exc:
            raise HTTPException(404, str(exc)) from None
        except AccountError as exc:
            raise HTTPException(422, str(exc)) from None
        record = subscription_record(subscription)
        audit(session, who.name, "api", "subscribe", owner, _audit_detail(record))
        return record


@router.delete(
    "/subscriptions/{subscription_id}",
    status_code=204,
    dependencies=[Depends(editor_access)],
    responses=NOT_FOUND,
    tags=["subscriptions"],
)
def delete_subscription(request: Request, subscription_id: Id) -> Response:
    who = _via(request)
    with request.app.state.db.transaction() as session:
        subscription = remove_subscription(session, subscription_id)
        if subscription is None or (
            subscription.user_id != who.user_id and not who.at_least("admin")
        ):
            raise HTTPException(404, f"no subscription {subscription_id} of yours")
        audit(session, who.name, "api", "unsubscribe", f"#{subscription_id}")
    return Response(status_code=204)


def _audit_detail(record: dict[str, Any]) -> dict[str, Any]:
    """What a subscription filters on; its destinations stay out of the log (secrets)."""
    kept = ("id", "sources", "kinds", "keywords", "issuers", "numbers", "digest")
    return {k: record[k] for k in kept}
