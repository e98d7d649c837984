"""Who is asking, and what they may do: bearer tokens, and a login cookie for the HTML pages.

A request acts as a :class:`~storage.accounts.Principal` with a role (viewer < editor <
admin). The API takes ``Authorization: Bearer TOKEN``: a personal API token (``govwatch
users token NAME``), or the ``[web] token`` of the configuration, which is a bootstrap
admin; ``[web] read_token`` reads only. Reading is open unless ``read_token`` is set.

The HTML pages take a cookie set by the login form. A user's login is a session: the cookie
holds a random secret whose SHA-256 is stored (a password change deletes the user's
sessions); a login with the bootstrap token keeps its HMAC-derived cookie (never the token
itself). Cookies are HttpOnly and SameSite=Strict, and every form that writes also carries
a CSRF value derived from the cookie's secret, checked on submission.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Literal

from fastapi import HTTPException, Request

from config import WebConfig
from storage.accounts import (
    Principal,
    Role,
    count_users,
    principal_for_session,
    principal_for_token,
)
from storage.db import Database
from web.ratelimit import AttemptLimiter

COOKIE = "govwatch_session"
# Per request (the ASGI scope; ``request.state`` may be shared with the app's lifespan state)
SCOPE_KEY = "govwatch.principal"
SESSION_PREFIX = "s:"
Level = Literal["read", "write"]
NO_TOKEN = (
    "write actions are disabled: set a token in the [web] section of the configuration "
    "(or add users: govwatch users add NAME --role admin) and send it as "
    "'Authorization: Bearer TOKEN'"
)
BOOTSTRAP = Principal("[web] token", "admin")
READER = Principal("[web] read_token", "viewer")


class LoginRequired(Exception):
    """An HTML page that needs a login first (reading is restricted)."""


class Access:
    def __init__(self, web: WebConfig, db: Database) -> None:
        self.token = web.token
        self.read_token = web.read_token
        self.db = db
        self.limiter = AttemptLimiter(web.auth_failures_per_minute)

    @property
    def reading_is_open(self) -> bool:
        return self.read_token is None

    def writes_enabled(self) -> bool:
        if self.token:
            return True
        with self.db.reader() as session:
            return count_users(session) > 0

    def _derive(self, secret: str, purpose: str) -> str:
        return hmac.new(secret.encode(), purpose.encode(), hashlib.sha256).hexdigest()

    def token_principal(self, given: str) -> Principal | None:
        """The bootstrap tokens of the configuration, then personal API tokens."""
        if self.token and hmac.compare_digest(given.encode(), self.token.encode()):
            return BOOTSTRAP
        if self.read_token and hmac.compare_digest(given.encode(), self.read_token.encode()):
            return READER
        with self.db.reader() as session:
            return principal_for_token(session, given)

    def guess(self, request: Request, given: str) -> Principal | None:
        """A bearer token, checked within the client's allowance of wrong guesses (429)."""
        client = request.client.host if request.client else "unknown"
        wait = self.limiter.retry_after(client)
        if wait:
            raise HTTPException(
                429, "too many wrong tokens: try again later", {"Retry-After": str(wait)}
            )
        principal = self.token_principal(given)
        if principal is None:
            self.limiter.failed(client)
        return principal

    def bootstrap_cookie(self, principal: Principal) -> str:
        level: Level = "write" if principal is BOOTSTRAP else "read"
        secret = self.token if level == "write" else self.read_token
        assert secret is not None
        return f"{level}:{self._derive(secret, 'govwatch-session:' + level)}"

    def _cookie_principal(self, cookie: str) -> Principal | None:
        if cookie.startswith(SESSION_PREFIX):
            with self.db.reader() as session:
                return principal_for_session(session, cookie[len(SESSION_PREFIX) :])
        for principal, secret in ((BOOTSTRAP, self.token), (READER, self.read_token)):
            if secret and hmac.compare_digest(
                cookie.encode(), self.bootstrap_cookie(principal).encode()
            ):
                return principal
        return None

    def csrf(self, request: Request) -> str:
        """The CSRF value of this login: derived from the cookie's secret."""
        cookie = request.cookies.get(COOKIE, "")
        if cookie.startswith(SESSION_PREFIX):
            return self._derive(cookie[len(SESSION_PREFIX) :], "govwatch-csrf")
        return self._derive(self.token, "govwatch-csrf") if self.token else ""

    def principal(self, request: Request) -> Principal | None:
        """Who the request acts as: bearer token first, then the login cookie."""
        if SCOPE_KEY in request.scope:
            return request.scope[SCOPE_KEY]
        header = request.headers.get("authorization", "")
        scheme, _, given = header.partition(" ")
        if scheme.lower() == "bearer" and given:
            found = self.guess(request, given.strip())
        else:
            found = self._cookie_principal(request.cookies.get(COOKIE, ""))
        request.scope[SCOPE_KEY] = found
        return found

    def may_read(self, request: Request) -> bool:
        return self.reading_is_open or self.principal(request) is not None

    def check_api_write(self, request: Request, role: Role = "editor") -> Principal:
        """Write access through the API: a bearer token only (no cookies, so no CSRF)."""
        header = request.headers.get("authorization", "")
        scheme, _, given = header.partition(" ")
        principal = (
            self.guess(request, given.strip()) if scheme.lower() == "bearer" and given else None
        )
        if principal is None and not self.writes_enabled():
            raise HTTPException(403, NO_TOKEN)
        if scheme.lower() != "bearer" or not given:
            raise HTTPException(401, "send 'Authorization: Bearer TOKEN'")
        if principal is None:
            raise HTTPException(401, "unknown token")
        if not principal.at_least(role):
            raise HTTPException(403, f"this needs the {role} role; you are a {principal.role}")
        request.scope[SCOPE_KEY] = principal
        return principal

    def check_form_write(self, request: Request, csrf: str, role: Role = "editor") -> Principal:
        """Write access from an HTML form: the login cookie and the form's CSRF value."""
        if not self.writes_enabled():
            raise HTTPException(403, NO_TOKEN)
        cookie = request.cookies.get(COOKIE)
        principal = self._cookie_principal(cookie) if cookie else None
        if principal is None:
            raise HTTPException(403, "log in first")
        if not principal.at_least(role):
            raise HTTPException(403, f"this needs the {role} role; you are a {principal.role}")
        if not csrf or not hmac.compare_digest(csrf.encode(), self.csrf(request).encode()):
            raise HTTPException(403, "the form is stale or forged (CSRF check failed)")
        request.scope[SCOPE_KEY] = principal
        return principal


def access_of(request: Request) -> Access:
    return request.app.state.access


def acting(request: Request) -> Principal:
    """Who a write checked by ``check_api_write``/``check_form_write`` acts as."""
    return request.scope[SCOPE_KEY]


def require_read_api(request: Request) -> None:
    if request.method not in ("GET", "HEAD"):
        return  # write operations check their role themselves, which also reads
    access = access_of(request)
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme and (scheme.lower() != "bearer" or access.principal(request) is None):
        # Open reading still refuses a wrong token: a client with a typo should know.
        raise HTTPException(401, "unknown token: send 'Authorization: Bearer TOKEN'")
    if not access.may_read(request):
        raise HTTPException(401, "reading needs a token: 'Authorization: Bearer TOKEN'")


def require_read_page(request: Request) -> None:
    if not access_of(request).may_read(request):
        raise LoginRequired()
