"""Accounts: users and roles, argon2 passwords, hashed API tokens and login sessions, audit.

Secrets are never stored: passwords as argon2id hashes (argon2-cffi), API tokens and login
session secrets (random, 256 bits) as their SHA-256, which is enough for a random secret
and lets a request find its token with one indexed lookup. A password change ends every
login session of that user.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from storage.models import ApiToken, AuditEntry, LoginSession, User, utcnow

Role = Literal["viewer", "editor", "admin"]
ROLES: tuple[Role, ...] = get_args(Role)
TOKEN_PREFIX = "gw_"
SESSION_LIFETIME = timedelta(days=30)
MIN_PASSWORD = 8
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_hasher = PasswordHasher()


class AccountError(ValueError):
    """A request about accounts that cannot be done (the message says why)."""


class UnknownUser(LookupError):
    pass


def rank(role: str) -> int:
    """viewer < editor < admin."""
    return ROLES.index(role)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Principal:
    """Who a request or command acts as."""

    name: str
    role: Role
    user_id: int | None = None  # None: the bootstrap [web] token, its read token, the CLI

    def at_least(self, role: Role) -> bool:
        return rank(self.role) >= rank(role)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def check_name(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise AccountError(
            f"user name {name!r}: 1-64 letters, digits, '.', '_' or '-', starting with a "
            "letter or digit"
        )
    return name


def check_role(role: str) -> Role:
    if role not in ROLES:
        raise AccountError(f"role {role!r}: one of {', '.join(ROLES)}")
    return role  # type: ignore[return-value]


def check_time_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise AccountError(f"time zone {name!r}: not an IANA zone like Asia/Shanghai") from None
    return name


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"password: at least {MIN_PASSWORD} characters")
    return password


def user_record(user: User) -> dict[str, Any]:
    return {
        "name": user.name,
        "role": user.role,
        "time_zone": user.time_zone,
        "has_password": user.password_hash is not None,
        "created_at": user.created_at.isoformat(timespec="seconds"),
    }


def add_user(
    session: Session,
    name: str,
    role: str,
    *,
    password: str | None = None,
    time_zone: str = "UTC",
) -> User:
    check_name(name)
    if session.scalar(select(User.id).where(User.name == name)) is not None:
        raise AccountError(f"a user named {name!r} exists")
    user = User(
        name=name,
        role=check_role(role),
        time_zone=check_time_zone(time_zone),
        password_hash=_hasher.hash(check_password(password)) if password is not None else None,
    )
    session.add(user)
    session.flush()
    return user


def get_user(session: Session, name: str) -> User:
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise UnknownUser(f"no user named {name!r}")
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.name)))


def count_users(session: Session) -> int:
    return session.scalar(select(func.count(User.id))) or 0


def remove_user(session: Session, name: str) -> None:
    """The user, their tokens, sessions and subscriptions (cascade); the audit log stays."""
    user = get_user(session, name)
    session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
    session.delete(user)


def set_role(session: Session, name: str, role: str) -> User:
    user = get_user(session, name)
    user.role = check_role(role)
    return user


def set_password(session: Session, name: str, password: str) -> User:
    """A new password ends every login session of the user."""
    user = get_user(session, name)
    user.password_hash = _hasher.hash(check_password(password))
    user.password_changed_at = utcnow()
    session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
    return user


def verify_password(session: Session, name: str, password: str) -> User | None:
    """The user when the password is right; None otherwise (also for unknown names)."""
    user = session.scalar(select(User).where(User.name == name))
    if user is None or user.password_hash is None:
        # Hash anyway, so that timing does not tell which names exist.
        _hasher.hash(password or "-")
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def issue_token(session: Session, name: str, label: str = "") -> tuple[ApiToken, str]:
    """A new personal API token: the row (hash only) and the token, to be shown once."""
    user = get_user(session, name)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=user.id,
        token_hash=digest(token),
        hint=token[: len(TOKEN_PREFIX) + 4],
        label=label[:128],
    )
    session.add(row)
    session.flush()
    return row, token


def tokens_of(session: Session, name: str) -> list[ApiToken]:
    user = get_user(session, name)
    return list(session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)))


def token_record(token: ApiToken) -> dict[str, Any]:
    return {
        "id": token.id,
        "user": token.user.name,
        "hint": token.hint + "…",
        "label": token.label,
        "created_at": token.created_at.isoformat(timespec="seconds"),
        "last_used_at": token.last_used_at.isoformat(timespec="seconds")
        if token.last_used_at
        else None,
        "revoked": token.revoked_at is not None,
    }


def revoke_token(session: Session, token_id: int) -> ApiToken:
    token = session.get(ApiToken, token_id)
    if token is None:
        raise UnknownUser(f"no token with id {token_id}")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
    return token


def principal_for_token(session: Session, token: str) -> Principal | None:
    if not token.startswith(TOKEN_PREFIX):
        return None
    row = session.scalar(
        select(ApiToken).where(ApiToken.token_hash == digest(token), ApiToken.revoked_at.is_(None))
    )
    if row is None:
        return None
    return Principal(row.user.name, row.user.role, row.user_id)  # type: ignore[arg-type]


def start_session(session: Session, user: User) -> str:
    """A new login session; returns the secret for the cookie (stored only as a hash)."""
    secret = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        LoginSession(
            user_id=user.id,
            secret_hash=digest(secret),
            created_at=now,
            expires_at=now + SESSION_LIFETIME,
        )
    )
    # Expired sessions go when new ones come.
    session.execute(delete(LoginSession).where(LoginSession.expires_at < now))
    return secret


def principal_for_session(session: Session, secret: str) -> Principal | None:
    row = session.scalar(
        select(LoginSession).where(
            LoginSession.secret_hash == digest(secret), LoginSession.expires_at > utcnow()
        )
    )
    if row is None:
        return None
    return Principal(row.user.name, row.user.role, row.user_id)  # type: ignore[arg-type]


def end_session(session: Session, secret: str) -> None:
    session.execute(delete(LoginSession).where(LoginSession.secret_hash == digest(secret)))


def audit(
    session: Session,
    actor: str,
    via: str,
    action: str,
    target: str = "",
    detail: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditEntry(actor=actor[:80], via=via, action=action, target=target, detail=detail or {})
    )


def audit_log(session: Session, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit).offset(offset)
    )
    return [
        {
            "id": row.id,
            "at": row.at.isoformat(timespec="seconds"),
            "actor": row.actor,
            "via": row.via,
            "action": row.action,
            "target": row.target,
            "detail": row.detail or {},
        }
        for row in rows
    ]
