"""The govwatch.toml configuration models: every option, its default and its validation.

Every error names the file, the field and what is wrong, so that a person can fix
the file without reading code; the CLI turns :class:`ConfigError` into exit status 2.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from config.crontab import CrontabError, parse_crontab

DEFAULT_PATH = Path("govwatch.toml")
DB_ENV = "GOVWATCH_DB"
# The one page-size limit: the crawler refuses larger responses and the extractor reads no
# more than this, so a page the crawler accepted is never cut by the extractor.
MAX_PAGE_BYTES = 20 * 1024 * 1024


class ConfigError(Exception):
    """A configuration file that cannot be used; the message names file and field.

    ``problems`` are the same messages without the file, ``where`` the file: the CLI prints
    them as one line, ``govwatch: <problems> (<file>)``.
    """

    def __init__(self, message: str, *, where: str = "", problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.where = where
        self.problems = problems or [message]


class _Strict(BaseModel):
    # Unknown keys are errors: a misspelt option silently ignored is worse than a refusal.
    model_config = ConfigDict(extra="forbid", frozen=True)


class StorageConfig(_Strict):
    url: str = Field(
        "sqlite:///govwatch.db",
        description="Any SQLAlchemy URL; the default keeps everything in one SQLite file.",
        examples=["postgresql+psycopg://user@127.0.0.1:5432/govwatch"],
    )


def _check_notify_urls(urls: list[str]) -> list[str]:
    """Every URL must be one Apprise can send to: found at load, not when an alert fails."""
    if not urls:
        return urls
    import logging

    import apprise  # only when there is something to check: it takes a moment to load

    for index, url in enumerate(urls):
        with apprise.LogCapture(level=logging.ERROR):  # Apprise logs what it cannot parse
            usable = apprise.Apprise.instantiate(url) is not None
        if not usable:
            scheme = url.partition("://")[0] or url[:12]
            # The URL itself may hold a token: name its position and scheme, not its text.
            raise ValueError(f"[{index}] ({scheme}://…) is not a notification URL Apprise can use")
    return urls


class NotifyConfig(_Strict):
    urls: list[str] = Field(
        default_factory=list,
        description="Apprise URLs that receive every source's alerts.",
        examples=[["dingtalk://SECRET@TOKEN", "json://127.0.0.1:8099/hook"]],
    )
    retry_minutes: Annotated[int, Field(ge=1, le=24 * 60)] = Field(
        5, description="Minutes before an unsent alert is retried, doubling each time."
    )
    max_attempts: Annotated[int, Field(ge=1, le=100)] = Field(
        10, description="Attempts before an alert is marked failed (and logged)."
    )

    @field_validator("urls")
    @classmethod
    def _urls_are_usable(cls, value: list[str]) -> list[str]:
        return _check_notify_urls(value)


class CrawlConfig(_Strict):
    """Politeness and fault limits shared by every source."""

    user_agent: str = Field(
        "govwatch/0.1 (+https://github.com/govwatch/govwatch; government portal monitor)",
        description="The User-Agent of every request; it says who is crawling.",
    )
    obey_robots: bool = Field(True, description="Follow each site's robots.txt.")
    concurrency_per_host: Annotated[int, Field(ge=1, le=16)] = Field(
        2, description="Requests in flight to one host at a time."
    )
    download_delay: Annotated[float, Field(ge=0, le=60)] = Field(
        0.5, description="Seconds between requests to one host (varied by ±50 %)."
    )
    autothrottle: bool = Field(
        True, description="Slow down further when a site answers slowly (AutoThrottle)."
    )
    timeout: Annotated[float, Field(gt=0, le=600)] = Field(
        30.0, description="Seconds a request may take."
    )
    retries: Annotated[int, Field(ge=0, le=10)] = Field(
        2, description="Retries of timeouts, connection resets and 5xx answers."
    )
    max_bytes: Annotated[int, Field(ge=1024)] = Field(
        MAX_PAGE_BYTES,
        description="Larger responses are refused and recorded as errors; the extractor"
        " reads pages up to the same size.",
    )
    confirm_delay: Annotated[float, Field(ge=0, le=3600)] = Field(
        30.0,
        description=(
            "Seconds before a suspect change (most of the text replaced or cut, a truncated"
            " body) is fetched again; it is recorded only if the second fetch agrees."
            " Removals are confirmed by the next run instead."
        ),
    )
    allow_private_addresses: bool = Field(
        default=False,
        description=(
            "Fetch loopback, private and link-local addresses too (off: a source cannot aim "
            "the crawler at this machine or its network); on for a portal on the local "
            "network or the bundled simulator."
        ),
    )


class WebConfig(_Strict):
    """The web app (``govwatch serve``): where it listens and who may do what."""

    host: str = Field("127.0.0.1", description="Address the web app listens on.")
    port: Annotated[int, Field(ge=0, le=65535)] = Field(
        8080, description="Port the web app listens on."
    )
    token: Annotated[str, Field(min_length=8)] | None = Field(
        None,
        description="Bearer token for write actions (crawl now, pause, resume); "
        "without one they are refused.",
        examples=["a long random string"],
    )
    read_token: Annotated[str, Field(min_length=8)] | None = Field(
        None,
        description="When set, reading (pages, feeds, API) needs it (or the write token).",
        examples=["another long random string"],
    )
    base_url: str | None = Field(
        None,
        description="The web app's public address: alerts and feeds link there.",
        examples=["https://govwatch.example.org"],
    )
    auth_failures_per_minute: Annotated[int, Field(ge=1, le=10_000)] = Field(
        default=30,
        description=(
            "Wrong bearer tokens a client address may send per minute, in bursts of as "
            "many; beyond that it gets 429 until its allowance refills."
        ),
    )

    @field_validator("base_url")
    @classmethod
    def _base_url_is_http(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"https?://[^/\s]+", value):
            raise ValueError(f"{value!r} is not an http(s) URL")
        return value.rstrip("/") if value is not None else None


class SourceConfig(_Strict):
    name: Annotated[str, Field(min_length=1, max_length=64)] = Field(
        description="The source's name on the command line and in the web app.",
        examples=["example"],
    )
    start_urls: Annotated[list[str], Field(min_length=1)] = Field(
        description="Listing pages where the source's documents are found.",
        examples=[["https://www.example.gov.cn/zwgk/gzbg/index.html"]],
    )
    schedule: str = Field(
        "0 */6 * * *",
        description="Crontab (minute hour day month weekday, 0 = Sunday), in UTC.",
    )
    allow: list[str] = Field(
        default_factory=list,
        description="Regexes article URLs must match (default: none; the listing's document "
        "list is found by its structure; govwatch probe URL suggests a pattern).",
        examples=[["/content/post_\\d+\\.html$"]],
    )
    deny: list[str] = Field(
        default_factory=list, description="Regexes of URLs never to fetch."
    )
    max_pages: Annotated[int, Field(ge=1)] = Field(
        500, description="Articles fetched per run at most."
    )
    notify: list[str] = Field(
        default_factory=list,
        description="Apprise URLs added to [notify] urls for this source.",
        examples=[["wecombot://KEY"]],
    )
    # Alerting: alerts/policy.py.
    min_significance: Annotated[float, Field(ge=0, le=1)] = Field(
        0.0, description="0-1: smaller changes are stored and listed, not alerted."
    )
    additions_only: bool = Field(
        False, description="Alert only new documents and changes that remove nothing."
    )
    digest: bool = Field(False, description="One message per crawl run instead of one per event.")
    max_alerts_per_run: Annotated[int, Field(ge=1)] = Field(
        20, description="Above this, a run sends one summary (e.g. after a site redesign)."
    )
    listing: Literal["auto", "html", "trs", "hanweb", "gkmlpt", "sitemap", "feed"] = Field(
        "auto",
        description="How the start URLs list documents; auto detects it per response.",
    )
    max_listing_pages: Annotated[int, Field(ge=1, le=10000)] = Field(
        100,
        description="Listing pages (pager pages, API pages) read per run at most; paging "
        "stops at the last page or here.",
    )
    render: bool = Field(
        False,
        description="When a listing page holds no document list, embedded records or list "
        "API, load it once in headless Chromium and read the links it draws.",
    )
    revisit: Literal["adaptive", "every_run"] = Field(
        "adaptive",
        description="How known documents are revisited: 'adaptive' visits each when its "
        "change history, age and listing dates make a change likely (revisits/policy.py); "
        "'every_run' revisits every known document on every run.",
    )
    revisit_budget: Annotated[int, Field(ge=0)] | None = Field(
        1000,
        description="Most revisits of known documents per run (requests); the most overdue "
        "by expected value go first. New documents never count against it. None: no limit.",
    )
    max_revisit_interval: Annotated[int, Field(ge=1, le=365)] = Field(
        30, description="Days: every known document is visited at least this often, so that "
        "removals are seen.",
    )
    full_sweep_interval: Annotated[int, Field(ge=1, le=365)] = Field(
        7, description="Days between runs that read every listing page; other runs stop "
        "paging at the first listing page with nothing new.",
    )

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
            try:
                urlsplit(url).port  # noqa: B018 - parsing the port is the check
            except ValueError as exc:
                raise ValueError(f"{url!r}: {exc}") from None
        return value

    @field_validator("schedule")
    @classmethod
    def _schedule_is_crontab(cls, value: str) -> str:
        try:
            parse_crontab(value)
        except CrontabError as exc:
            raise ValueError(str(exc)) from None
        return value

    @field_validator("notify")
    @classmethod
    def _notify_urls_are_usable(cls, value: list[str]) -> list[str]:
        return _check_notify_urls(value)

    @field_validator("allow", "deny")
    @classmethod
    def _patterns_compile(cls, value: list[str]) -> list[str]:
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"{pattern!r} is not a valid regular expression: {exc}") from None
        return value


class ClusterConfig(_Strict):
    """Crawls on Celery workers instead of local child processes (docs/deploy.md)."""

    broker_url: str = Field(
        description="Celery broker shared by the dispatcher and the workers (Redis or "
        "RabbitMQ).",
        examples=["redis://127.0.0.1:6379/0", "amqp://guest:guest@127.0.0.1:5672//"],
    )
    queue: str = Field(default="govwatch.crawls", description="Queue the crawls are sent to.")
    host_slots_url: str | None = Field(
        default=None,
        examples=["redis://127.0.0.1:6379/1"],
        description="Redis URL where workers count requests in flight per host, so that "
        "[crawl] concurrency_per_host holds across the cluster; default: broker_url when it "
        "is a Redis URL.",
    )
    visibility_timeout: Annotated[int, Field(ge=10)] = Field(
        default=3600,
        description="Seconds after which a crawl taken by a worker that died is given to "
        "another worker (Redis broker).",
    )
    crawl_time_limit: Annotated[int, Field(ge=5)] = Field(
        default=3000,
        description="Seconds after which a crawl is stopped; below visibility_timeout, so a "
        "crawl still running is never handed out twice.",
    )
    metrics_port: Annotated[int, Field(ge=0, le=65535)] = Field(
        default=9464, description="Port of a worker's Prometheus /metrics (0: none)."
    )

    @field_validator("broker_url", "host_slots_url")
    @classmethod
    def _known_scheme(cls, value: str | None) -> str | None:
        schemes = ("redis://", "rediss://", "amqp://", "amqps://", "pyamqp://")
        if value is not None and not value.startswith(schemes):
            raise ValueError(f"{value!r}: expected a URL starting with one of {schemes}")
        return value

    @model_validator(mode="after")
    def _limit_below_visibility(self) -> ClusterConfig:
        if self.crawl_time_limit >= self.visibility_timeout:
            raise ValueError(
                f"crawl_time_limit ({self.crawl_time_limit}) must be below "
                f"visibility_timeout ({self.visibility_timeout}), or a running crawl is "
                "handed to a second worker"
            )
        return self

    @property
    def slots_url(self) -> str | None:
        """Where per-host slots are counted: host_slots_url, else a Redis broker."""
        if self.host_slots_url:
            return self.host_slots_url
        return self.broker_url if self.broker_url.startswith(("redis", "rediss")) else None


class Config(_Strict):
    storage: StorageConfig = Field(default_factory=StorageConfig)
    notify: NotifyConfig = Field(default_factory=NotifyConfig)
    crawl: CrawlConfig = Field(default_factory=CrawlConfig)
    web: WebConfig = Field(default_factory=WebConfig)
    cluster: ClusterConfig | None = None
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
        problem = f"no source named {name!r} (known: {known})"
        where = str(self.path or "config")
        raise ConfigError(f"{where}: {problem}", where=where, problems=[problem])

    def notify_urls(self, source: SourceConfig | None) -> list[str]:
        urls = list(self.notify.urls)
        if source is not None:
            urls += [u for u in source.notify if u not in urls]
        return urls
