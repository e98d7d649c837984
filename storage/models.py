"""The tables: sources, documents and their versions, change events, crawl runs, alerts.

The schema itself is created and upgraded by the Alembic migrations beside this module;
these classes must stay in step with them (``tests/test_storage_migrations.py`` checks).
"""

from __future__ import annotations

import zlib
from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite keeps no time zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    pass


class Source(Base):
    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Where the source is defined: "file" (the configuration file, imported on start),
    # "web" (added in the web app or API; ``settings`` holds it), "deleted" (its documents
    # kept), None (stored before sources were managed, or no longer in the file).
    origin: Mapped[str | None] = mapped_column(String(8))
    settings: Mapped[dict | None] = mapped_column(JSON)
    # when a run last read every listing page (revisits/: early stop skips the deep pages)
    last_full_sweep_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Document(Base):
    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("source_id", "url", name="uq_documents_source_url"),
        # the planning query: a source's documents due by a moment, most overdue first
        Index("ix_documents_source_next_visit", "source_id", "next_visit_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(String(2048))
    status: Mapped[str] = mapped_column(String(16), default="active")  # active | missing | removed
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version_count: Mapped[int] = mapped_column(Integer, default=0)
    # An attachment (PDF, DOCX, ...) is a document of its own, linked to its article.
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"), index=True
    )

    # Validators of the last successful fetch, stored or not (conditional requests).
    etag: Mapped[str | None] = mapped_column(String(256))
    last_modified: Mapped[str | None] = mapped_column(String(64))
    # The revisit policy's state (revisits/policy.py).
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the page's own date
    last_visit_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_visit_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    visits: Mapped[int] = mapped_column(Integer, default=0)
    changes: Mapped[int] = mapped_column(Integer, default=0)
    last_change_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    change_weight: Mapped[float] = mapped_column(Float, default=0.5)
    # when a full sweep of the listings last named it
    last_listed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    source: Mapped[Source] = relationship()


class ListingPage(Base):
    """A listing page's validators, so that an unchanged listing costs a 304."""

    __tablename__ = "listing_pages"
    __table_args__ = (UniqueConstraint("source_id", "url", name="uq_listing_pages_source_url"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(String(2048))
    etag: Mapped[str | None] = mapped_column(String(256))
    last_modified: Mapped[str | None] = mapped_column(String(64))
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Version(Base):
    __tablename__ = "versions"
    __table_args__ = (
        UniqueConstraint("document_id", "number", name="uq_versions_document_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    crawl_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("crawl_runs.id", ondelete="SET NULL")
    )
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[str | None] = mapped_column(String(32))
    publisher: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    text_simplified: Mapped[str] = mapped_column(Text)
    warnings: Mapped[list] = mapped_column(JSON, default=list)
    attachments: Mapped[list] = mapped_column(JSON, default=list)
    http_status: Mapped[int] = mapped_column(Integer)
    headers: Mapped[dict] = mapped_column(JSON, default=dict)
    encoding: Mapped[str | None] = mapped_column(String(32))
    raw_compressed: Mapped[bytes] = mapped_column(LargeBinary)
    # a *.gov.cn host or a SiteIDCode meta tag (extractor/official.py); None: stored before 0002
    official: Mapped[bool | None] = mapped_column(Boolean)
    # A government document's own fields (extractor/govdoc.py, migration 0005); None when the
    # page does not show them.
    document_number: Mapped[str | None] = mapped_column(Text)  # 文号 as printed
    document_number_normalized: Mapped[str | None] = mapped_column(String(128), index=True)
    issuing_authority: Mapped[list | None] = mapped_column(JSON)
    written_date: Mapped[str | None] = mapped_column(String(10))
    index_number: Mapped[str | None] = mapped_column(Text)
    topic: Mapped[str | None] = mapped_column(Text)
    validity: Mapped[str | None] = mapped_column(String(64))
    keywords: Mapped[list | None] = mapped_column(JSON)
    # False for versions stored before the fields were read: their fields are unknown, not
    # absent, so they are filled in rather than compared (no false change events).
    fields_read: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    document: Mapped[Document] = relationship()

    @property
    def raw(self) -> bytes:
        return zlib.decompress(self.raw_compressed)

    @staticmethod
    def compress(raw: bytes) -> bytes:
        return zlib.compress(raw, 6)


class Citation(Base):
    """A reference in a version's text to another document (《title》（文号）, 根据…号文件).

    Resolved at read time: the cited document is whichever stored document has that
    normalised 文号 (or, without a number, that title).
    """

    __tablename__ = "citations"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("versions.id", ondelete="CASCADE"), index=True
    )
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str | None] = mapped_column(Text)
    document_number: Mapped[str | None] = mapped_column(Text)
    document_number_normalized: Mapped[str | None] = mapped_column(String(128), index=True)


class CrawlRun(Base):
    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # running | finished | interrupted
    status: Mapped[str] = mapped_column(String(16), default="running")
    finish_reason: Mapped[str | None] = mapped_column(String(64))
    baseline: Mapped[bool] = mapped_column(Boolean, default=False)
    pid: Mapped[int | None] = mapped_column(Integer)
    pages: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    new: Mapped[int] = mapped_column(Integer, default=0)
    changed: Mapped[int] = mapped_column(Integer, default=0)
    removed: Mapped[int] = mapped_column(Integer, default=0)
    restored: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    summary_notified: Mapped[bool] = mapped_column(Boolean, default=False)

    source: Mapped[Source] = relationship()


class CrawlError(Base):
    __tablename__ = "crawl_errors"

    id: Mapped[int] = mapped_column(primary_key=True)
    crawl_run_id: Mapped[int] = mapped_column(
        ForeignKey("crawl_runs.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    url: Mapped[str] = mapped_column(String(2048))
    # e.g. http_500, timeout, dns, connection, truncated, too_large, not_html, empty_text
    kind: Mapped[str] = mapped_column(String(32))
    http_status: Mapped[int | None] = mapped_column(Integer)
    message: Mapped[str] = mapped_column(Text, default="")


class ChangeEvent(Base):
    __tablename__ = "change_events"
    __table_args__ = (Index("ix_change_events_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    crawl_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("crawl_runs.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))  # new | changed | removed | restored
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    from_version_id: Mapped[int | None] = mapped_column(ForeignKey("versions.id"))
    to_version_id: Mapped[int | None] = mapped_column(ForeignKey("versions.id"))
    chars_added: Mapped[int] = mapped_column(Integer, default=0)
    chars_removed: Mapped[int] = mapped_column(Integer, default=0)
    significance: Mapped[float] = mapped_column(Float, default=0.0)
    reasons: Mapped[list] = mapped_column(JSON, default=list)
    notified: Mapped[bool] = mapped_column(Boolean, default=False, index=True)

    document: Mapped[Document] = relationship()
    from_version: Mapped[Version | None] = relationship(foreign_keys=[from_version_id])
    to_version: Mapped[Version | None] = relationship(foreign_keys=[to_version_id])


class Notification(Base):
    """One alert message to one destination: an outbox that survives crashes."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"))
    change_event_id: Mapped[int | None] = mapped_column(
        ForeignKey("change_events.id", ondelete="SET NULL")
    )
    destination: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(
        String(16), default="pending", index=True
    )  # pending|sent|failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)


class User(Base):
    """A person with a role: admin (users, sources, settings), editor (sources), viewer."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))  # admin | editor | viewer
    password_hash: Mapped[str | None] = mapped_column(Text)  # argon2id; None: tokens only
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")  # for digest times
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ApiToken(Base):
    """A personal API token: only its SHA-256 is kept; the token is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hint: Mapped[str] = mapped_column(String(16))  # the first characters, to tell tokens apart
    label: Mapped[str] = mapped_column(String(128), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class LoginSession(Base):
    """A web login: the cookie carries a random secret, the table only its SHA-256."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class AuditEntry(Base):
    """Who wrote what, when: every write of the web app, the API and the account CLI."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(80))  # a user name, "[web] token" or "cli"
    via: Mapped[str] = mapped_column(String(8))  # web | api | cli
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[dict] = mapped_column(JSON, default=dict)


class Subscription(Base):
    """One user's filters and destinations: alerts of their own, at once or as a digest."""

    __tablename__ = "subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    sources: Mapped[list] = mapped_column(JSON, default=list)  # empty: every source
    kinds: Mapped[list] = mapped_column(JSON, default=list)  # empty: every kind
    keywords: Mapped[list] = mapped_column(JSON, default=list)  # any one of them; empty: all
    issuers: Mapped[list] = mapped_column(JSON, default=list)  # issuing bodies (any; part of)
    numbers: Mapped[list] = mapped_column(JSON, default=list)  # 文号 (any; or a 文号 prefix)
    min_significance: Mapped[float] = mapped_column(Float, default=0.0)
    destinations: Mapped[list] = mapped_column(JSON, default=list)  # Apprise URLs
    digest_at: Mapped[str | None] = mapped_column(String(5))  # HH:MM in the user's zone
    last_digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()


class SubscriptionMatch(Base):
    """A change event that matched a digest subscription and waits for the digest."""

    __tablename__ = "subscription_matches"
    __table_args__ = (
        UniqueConstraint("subscription_id", "change_event_id", name="uq_subscription_matches"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("subscriptions.id", ondelete="CASCADE"), index=True
    )
    change_event_id: Mapped[int] = mapped_column(ForeignKey("change_events.id", ondelete="CASCADE"))
    matched: Mapped[list] = mapped_column(JSON, default=list)  # the filters that matched
    keywords: Mapped[list] = mapped_column(JSON, default=list)  # the keywords found
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    subscription: Mapped[Subscription] = relationship()
    event: Mapped[ChangeEvent] = relationship()


# The full-text search index (migration 0004) lives outside these models on purpose: an
# FTS5 virtual table and its shadow tables on SQLite, a pg_trgm GIN index on PostgreSQL.
# Schema comparisons (autogenerate, the migration test) must leave them alone.
SEARCH_INDEX_NAMES = frozenset(
    {"versions_fts", "ix_versions_search_trgm", "ix_versions_title_trgm"}
)


def is_search_index(name: str | None, type_: str, _parent_names: object = None) -> bool:
    """True for the search index's tables and indexes (an Alembic ``include_name`` helper)."""
    if name is None:
        return False
    return name in SEARCH_INDEX_NAMES or (type_ == "table" and name.startswith("versions_fts_"))


def include_in_schema_comparison(name: str | None, type_: str, parent_names: object) -> bool:
    return not is_search_index(name, type_, parent_names)


class CorpusState(Base):
    """One row: the clustering scheme the stored signatures were made with.

    Every clustering transaction updates this row first, which serialises clustering
    across processes on both backends (a row lock on PostgreSQL, the write lock on SQLite).
    """

    __tablename__ = "corpus_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CorpusCluster(Base):
    """Near-duplicate documents (corpus/clusters.py) and the copy that stands for them."""

    __tablename__ = "corpus_clusters"

    id: Mapped[int] = mapped_column(primary_key=True)
    canonical_document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL")
    )
    size: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CorpusMember(Base):
    """A document's place in a cluster, decided on the text of one of its versions."""

    __tablename__ = "corpus_members"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    version_id: Mapped[int] = mapped_column(
        ForeignKey("versions.id", ondelete="CASCADE"), index=True
    )
    cluster_id: Mapped[int] = mapped_column(
        ForeignKey("corpus_clusters.id", ondelete="CASCADE"), index=True
    )
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    signature: Mapped[bytes | None] = mapped_column(LargeBinary)


class CorpusBand(Base):
    """LSH band keys of each member's signature, so that finding candidates is a lookup."""

    __tablename__ = "corpus_bands"
    # Keys are 63-bit hashes: the key alone all but identifies the band, so it leads.
    __table_args__ = (Index("ix_corpus_bands_key_band", "key", "band"),)

    document_id: Mapped[int] = mapped_column(
        ForeignKey("corpus_members.document_id", ondelete="CASCADE"), primary_key=True
    )
    band: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[int] = mapped_column(BigInteger)
