"""The govwatch.toml configuration models: every option, its default and its validation.

Every error names the file, the field and what is wrong, so that a person can fix
the file without reading code; the CLI turns :class:`ConfigError` into exit status 2.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from config.crontab import CrontabError, parse_crontab

DEFAULT_PATH = Path("govwatch.toml")
DB_ENV = "GOVWATCH_DB"


class ConfigError(Exception):
    """A configuration file that cannot be used; the message names file and field."""


class _Strict(BaseModel):
    # Unknown keys are errors: a misspelt option silently ignored is worse than a refusal.
    model_config = ConfigDict(extra="forbid", frozen=True)


class StorageConfig(_Strict):
    url: str = "sqlite:///govwatch.db"


class NotifyConfig(_Strict):
    urls: list[str] = Field(default_factory=list)
    retry_minutes: Annotated[int, Field(ge=1, le=24 * 60)] = 5
    max_attempts: Annotated[int, Field(ge=1, le=100)] = 10


class CrawlConfig(_Strict):
    """Politeness and fault limits shared by every source."""

    user_agent: str = (
        "govwatch/0.1 (+https://github.com/govwatch/govwatch; government portal monitor)"
    )
    obey_robots: bool = True
    concurrency_per_host: Annotated[int, Field(ge=1, le=16)] = 2
    download_delay: Annotated[float, Field(ge=0, le=60)] = 0.5
    autothrottle: bool = True
    timeout: Annotated[float, Field(gt=0, le=600)] = 30.0
    retries: Annotated[int, Field(ge=0, le=10)] = 2
    max_bytes: Annotated[int, Field(ge=1024)] = 20 * 1024 * 1024


class WebConfig(_Strict):
    """The web app (``govwatch serve``): where it listens and who may do what."""

    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=0, le=65535)] = 8080
    # Write actions (crawl now, pause, resume) need this as a bearer token; none: refused.
    token: Annotated[str, Field(min_length=8)] | None = None
    # When set, reading (pages, feeds, API) needs it too (or the write token).
    read_token: Annotated[str, Field(min_length=8)] | None = None
    # The app's public address, e.g. "https://govwatch.example.org": alerts link to diffs.
    base_url: str | None = None

    @field_validator("base_url")
    @classmethod
    def _base_url_is_http(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"https?://[^/\s]+", value):
            raise ValueError(f"{value!r} is not an http(s) URL")
        return value.rstrip("/") if value is not None else None


class SourceConfig(_Strict):
    name: Annotated[str, Field(min_length=1, max_length=64)]
    start_urls: Annotated[list[str], Field(min_length=1)]
    schedule: str = "0 */6 * * *"
    allow: list[str] = Field(default_factory=list)
    deny: list[str] = Field(default_factory=list)
    max_pages: Annotated[int, Field(ge=1)] = 500
    notify: list[str] = Field(default_factory=list)
    # Alerting (alerts/policy.py): events below min_significance are stored, not alerted;
    # additions_only alerts new documents and changes that remove nothing; digest sends one
    # message per crawl run; above max_alerts_per_run a run sends one summary instead.
    min_significance: Annotated[float, Field(ge=0, le=1)] = 0.0
    additions_only: bool = False
    digest: bool = False
    max_alerts_per_run: Annotated[int, Field(ge=1)] = 20
    # How the start URLs list documents (crawler/listings/); "auto" detects it per response.
    listing: Literal["auto", "html", "trs", "hanweb", "gkmlpt", "sitemap", "feed"] = "auto"

    @field_validator("name")
    @classmethod
    def _name_is_a_word(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", value):
            raise ValueError(
                "use letters, digits, '-', '_' or '.', starting with a letter or digit"
            )
        return value

    @field_validator("start_urls")
    @classmethod
    def _urls_are_http(cls, value: list[str]) -> list[str]:
        for url in value:
            if not re.match(r"https?://[^/\s]+", url):
                raise ValueError(f"{url!r} is not an http(s) URL")
        return value

    @field_validator("schedule")
    @classmethod
    def _schedule_is_crontab(cls, value: str) -> str:
        try:
            parse_crontab(value)
        except CrontabError as exc:
            raise ValueError(str(exc)) from None
        return value

    @field_validator("allow", "deny")
    @classmethod
    def _patterns_compile(cls, value: list[str]) -> list[str]:
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"{pattern!r} is not a valid regular expression: {exc}") from None
        return value


class Config(_Strict):
    storage: StorageConfig = Field(default_factory=StorageConfig)
    notify: NotifyConfig = Field(default_factory=NotifyConfig)
    crawl: CrawlConfig = Field(default_factory=CrawlConfig)
    web: WebConfig = Field(default_factory=WebConfig)
    sources: list[SourceConfig] = Field(default_factory=list)
    path: Path | None = Field(default=None, exclude=True)

    @model_validator(mode="after")
    def _unique_names(self) -> Config:
        seen: set[str] = set()
        for source in self.sources:
            if source.name in seen:
                raise ValueError(f"sources: the name {source.name!r} is used twice")
            seen.add(source.name)
        return self

    def source(self, name: str) -> SourceConfig:
        for source in self.sources:
            if source.name == name:
                return source
        known = ", ".join(s.name for s in self.sources) or "none"
        raise ConfigError(f"{self.path or 'config'}: no source named {name!r} (known: {known})")

    def notify_urls(self, source: SourceConfig | None) -> list[str]:
        urls = list(self.notify.urls)
        if source is not None:
            urls += [u for u in source.notify if u not in urls]
        return urls
