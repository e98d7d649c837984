"""The JSON shapes of the accounts API: users, tokens, subscriptions, the audit log."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

RoleName = Literal["viewer", "editor", "admin"]
KindName = Literal["new", "changed", "removed", "restored"]
Name = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Me(BaseModel):
    name: str
    role: RoleName
    user: bool  # False for the configuration's bootstrap tokens


class User(BaseModel):
    name: str
    role: RoleName
    time_zone: str
    has_password: bool
    created_at: str


class NewUser(_Strict):
    name: Name
    role: RoleName
    password: Annotated[str, Field(min_length=8, max_length=1024)] | None = None
    time_zone: Annotated[str, Field(min_length=1, max_length=64)] = "UTC"


class NewToken(_Strict):
    label: Annotated[str, Field(max_length=128)] = ""


class Token(BaseModel):
    id: int
    user: str
    hint: str
    label: str
    created_at: str
    last_used_at: str | None
    revoked: bool


class IssuedToken(Token):
    token: str  # shown this once; only its hash is stored


class NewSubscription(_Strict):
    user: Name | None = Field(None, description="Whose (admins only); default: yourself")
    sources: Annotated[list[Annotated[str, Field(max_length=64)]], Field(max_length=100)] = []
    kinds: list[KindName] = []
    keywords: Annotated[list[Annotated[str, Field(max_length=100)]], Field(max_length=50)] = []
    issuers: Annotated[list[Annotated[str, Field(max_length=100)]], Field(max_length=50)] = []
    numbers: Annotated[list[Annotated[str, Field(max_length=100)]], Field(max_length=50)] = []
    min_significance: Annotated[float, Field(ge=0, le=1)] = 0.0
    notify: Annotated[list[Annotated[str, Field(max_length=2048)]], Field(min_length=1)]
    digest: Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")] | None = None


class Subscription(BaseModel):
    id: int
    user: str
    sources: list[str]
    kinds: list[str]
    keywords: list[str]
    issuers: list[str]
    numbers: list[str]
    min_significance: float
    notify: list[str]  # redacted: Apprise URLs carry secrets
    digest: str | None
    time_zone: str


class AuditEntry(BaseModel):
    id: int
    at: str
    actor: str
    via: str
    action: str
    target: str
    detail: dict
