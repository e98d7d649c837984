"""The JSON shapes of the API (they make the OpenAPI schema at /openapi.json)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

ChangeKind = Literal["new", "changed", "removed", "restored"]


class Run(BaseModel):
    id: int
    started_at: str | None
    finished_at: str | None
    duration_seconds: float | None = None
    status: str
    finish_reason: str | None
    baseline: bool
    pages: int
    new: int
    changed: int
    removed: int
    restored: int
    unchanged: int
    errors: int


class SourceRun(Run):
    source: str


class Source(BaseModel):
    name: str
    schedule: str
    start_urls: list[str]
    paused: bool
    documents: int
    overdue: int = Field(0, description="active documents past their next visit")
    last_run: Run | None
    next_run: str | None
    health: Literal["failing", "degraded", "never", "running", "paused", "ok"]
    origin: str = "file"  # "file": edit it in the configuration file; "web": the web app's


class SourceState(BaseModel):
    source: str
    paused: bool


class CrawlStarted(BaseModel):
    source: str
    pid: int


class RunError(BaseModel):
    url: str
    kind: str
    http_status: int | None
    message: str
    at: str | None


class DocumentFields(BaseModel):
    """A government document's own fields; null when its page does not show them."""

    document_number: str | None = None
    document_number_normalized: str | None = None
    issuing_authority: list[str] | None = None
    written_date: str | None = None
    index_number: str | None = None
    topic: str | None = None
    validity: str | None = None
    keywords: list[str] | None = None


class DocumentSummary(DocumentFields):
    id: int
    url: str
    source: str
    title: str | None
    published_at: str | None
    publisher: str | None = None
    status: str
    versions: int
    first_seen: str | None
    last_seen: str | None
    last_visit: str | None = None
    next_visit: str | None = None
    change_rate: float | None = Field(None, description="estimated changes per day")


class VersionSummary(BaseModel):
    version: int
    fetched_at: str | None
    title: str | None
    published_at: str | None
    sha256: str
    characters: int | None


class DocumentChange(BaseModel):
    id: int
    kind: ChangeKind
    at: str | None
    significance: float
    chars_added: int
    chars_removed: int
    from_version: int | None
    to_version: int | None
    reasons: list[str]


class DocumentCopy(BaseModel):
    document_id: int
    url: str
    source: str
    title: str | None
    publisher: str | None
    document_number: str | None
    official: bool | None
    canonical: bool


class CitationLink(BaseModel):
    title: str | None
    document_number: str | None
    document_id: int | None  # the stored document it resolves to, if any


class CitedBy(BaseModel):
    document_id: int
    url: str
    source: str
    title: str | None
    document_number: str | None


class DocumentDetail(BaseModel):
    id: int
    url: str
    source: str
    status: str
    first_seen: str | None
    last_seen: str | None
    fields: DocumentFields | None = None
    # the same document on other portals: by 文号 + issuing body, else near-duplicate cluster
    linked_by: Literal["document_number", "near_duplicate"] | None = None
    canonical_document_id: int | None = None
    copies: list[DocumentCopy] = []
    cites: list[CitationLink] = []
    cited_by: list[CitedBy] = []
    last_visit: str | None = None
    next_visit: str | None = None
    change_rate: float | None = Field(None, description="estimated changes per day")
    versions: list[VersionSummary]
    changes: list[DocumentChange]


class Attachment(BaseModel):
    url: str | None = None
    text: str | None = None


class VersionDetail(DocumentFields):
    document_id: int
    version: int
    fetched_at: str | None
    title: str | None
    published_at: str | None
    publisher: str | None
    sha256: str
    http_status: int
    encoding: str | None
    text: str
    text_simplified: str
    attachments: list[Attachment]


class Change(DocumentChange):
    document_id: int
    url: str
    source: str
    title: str | None


class DiffOp(BaseModel):
    kind: Literal["equal", "insert", "delete", "move"]
    text: str
    side: Literal["old", "new"] | None


class DiffResult(BaseModel):
    document_id: int
    from_version: int
    to_version: int
    chars_added: int
    chars_removed: int
    exact: bool
    reasons: list[str]
    ops: list[DiffOp]


class SearchHit(BaseModel):
    document_id: int
    version: int
    url: str
    source: str
    title: str | None
    status: str
    published_at: str | None
    document_number: str | None = None
    issuing_authority: list[str] | None = None
    validity: str | None = None
    fetched_at: str
    snippet: str
    highlights: list[list[int]]


class Problem(BaseModel):
    detail: str


class StartUrlCheck(BaseModel):
    url: str
    ok: bool
    status: int | None
    error: str | None
    final_url: str | None
    listing: str | None
    documents: int
    more_pages: int
    examples: list[str]


class SourcePreview(BaseModel):
    name: str
    ok: bool
    documents: int
    start_urls: list[StartUrlCheck]


class PreviewArticle(BaseModel):
    url: str
    title: str | None
    published_at: str | None


class Preview(BaseModel):
    """What a source starting at ``url`` would watch (``govwatch probe --json``)."""

    url: str
    listing: str
    articles: list[PreviewArticle]
    pages: list[str]
    suggested_allow: list[str]
    warnings: list[str]
