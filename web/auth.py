"""Who may read and who may write: bearer tokens, and a login cookie for the HTML pages.

Write actions need ``[web] token``; with none configured they are refused (403). Reading is
open unless ``[web] read_token`` is set. The API takes ``Authorization: Bearer TOKEN``. The
HTML pages take a cookie set by the login form; the cookie holds an HMAC derived from the
token (never the token itself), is HttpOnly and SameSite=Strict, and every form that writes
also carries a CSRF value derived from the token, checked on submission.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Literal

from fastapi import HTTPException, Request

from config import WebConfig

COOKIE = "govwatch_session"
Level = Literal["read", "write"]
NO_TOKEN = (
    "write actions are disabled: set a token in the [web] section of the configuration "
    "and send it as 'Authorization: Bearer TOKEN'"
)


class LoginRequired(Exception):
    """An HTML page that needs a login first (reading is restricted)."""


class Access:
    def __init__(self, web: WebConfig) -> None:
        self.token = web.token
        self.read_token = web.read_token

    @property
    def reading_is_open(self) -> bool:
        return self.read_token is None

    def _derive(self, secret: str, purpose: str) -> str:
        return hmac.new(secret.encode(), purpose.encode(), hashlib.sha256).hexdigest()

    def level_of_token(self, given: str) -> Level | None:
        if self.token and hmac.compare_digest(given.encode(), self.token.encode()):
            return "write"
        if self.read_token and hmac.compare_digest(given.encode(), self.read_token.encode()):
            return "read"
        return None

    def cookie_for(self, level: Level) -> str:
        secret = self.token if level == "write" else self.read_token
        assert secret is not None
        return f"{level}:{self._derive(secret, 'govwatch-session:' + level)}"

    def csrf(self) -> str:
        return self._derive(self.token, "govwatch-csrf") if self.token else ""

    def level(self, request: Request) -> Level | None:
        """The access a request carries: bearer token first, then the login cookie."""
        header = request.headers.get("authorization", "")
        scheme, _, given = header.partition(" ")
        if scheme.lower() == "bearer" and given:
            return self.level_of_token(given.strip())
        cookie = request.cookies.get(COOKIE, "")
        for level in ("write", "read"):
            secret = self.token if level == "write" else self.read_token
            if secret and hmac.compare_digest(cookie.encode(), self.cookie_for(level).encode()):
                return level  # type: ignore[return-value]
        return None

    def may_read(self, request: Request) -> bool:
        return self.reading_is_open or self.level(request) is not None

    def check_api_write(self, request: Request) -> None:
        """Write access through the API: a bearer token only (no cookies, so no CSRF)."""
        if not self.token:
            raise HTTPException(403, NO_TOKEN)
        header = request.headers.get("authorization", "")
        scheme, _, given = header.partition(" ")
        if scheme.lower() != "bearer" or not given:
            raise HTTPException(401, "send 'Authorization: Bearer TOKEN'")
        level = self.level_of_token(given.strip())
        if level is None:
            raise HTTPException(401, "unknown token")
        if level != "write":
            raise HTTPException(403, "this token may only read")

    def check_form_write(self, request: Request, csrf: str) -> None:
        """Write access from an HTML form: the login cookie and the form's CSRF value."""
        if not self.token:
            raise HTTPException(403, NO_TOKEN)
        if request.cookies.get(COOKIE) is None or self.level(request) != "write":
            raise HTTPException(403, "log in with the write token first")
        if not hmac.compare_digest(csrf.encode(), self.csrf().encode()):
            raise HTTPException(403, "the form is stale or forged (CSRF check failed)")


def access_of(request: Request) -> Access:
    return request.app.state.access


def require_read_api(request: Request) -> None:
    if request.method not in ("GET", "HEAD"):
        return  # write operations check the write token themselves, which also reads
    access = access_of(request)
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme and (scheme.lower() != "bearer" or access.level_of_token(given.strip()) is None):
        # Open reading still refuses a wrong token: a client with a typo should know.
        raise HTTPException(401, "unknown token: send 'Authorization: Bearer TOKEN'")
    if not access.may_read(request):
        raise HTTPException(401, "reading needs a token: 'Authorization: Bearer TOKEN'")


def require_read_page(request: Request) -> None:
    if not access_of(request).may_read(request):
        raise LoginRequired()
