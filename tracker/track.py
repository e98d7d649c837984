"""Compare what a crawl observed with what is stored, and record what happened.

Each observation is handled in one transaction: the version, the change event, the
document's status and the run's counters are written together or not at all, so a crash
mid-crawl leaves every document consistent. Nothing that failed to fetch, or fetched as an
error or empty page, ever replaces a stored version or raises a change event.

The one exception, when the tracker is made with ``batch``: a 304 for an active document
(nearly every answer of a recrawl) is held and written with others in one transaction,
its visit and the run's "unchanged" count together. A crash loses only such visits, and a
lost one changes nothing but an earlier revisit.
"""

from __future__ import annotations

import hashlib
import logging
import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from extractor import Extraction
from extractor.model import DOCUMENT_FIELDS
from storage.db import Database
from storage.models import ChangeEvent, Citation, CrawlError, Document, Version, utcnow
from storage.revisits import (
    published_moment,
    record_unchanged,
    record_visit,
    unchanged_visit,
    write_unchanged,
)
from storage.runs import RunContext, count
from tracker import fields
from tracker.compare import compare
from tracker.observations import KEPT_HEADERS, Failure, Page, Suspicion
from tracker.suspicion import Stored, Verdict, judge

log = logging.getLogger(__name__)

GONE_STATUSES = (404, 410)
# Document states; a missing document was seen gone once and is removed if the next run
# sees it gone again.
ACTIVE, MISSING, REMOVED = "active", "missing", "removed"
NOT_MODIFIED = 304
# Warnings of extractor.documents that make an attachment an error, under their own kind.
DOCUMENT_PROBLEMS = ("unsupported_format", "unreadable_document")
# Held unchanged visits are written at least this often (seconds), so that what people see
# of a slow crawl does not lag far behind it.
HOLD_SECONDS = 5.0


class Tracker:
    """Records a run's observations against the stored documents of its source."""

    def __init__(self, db: Database, run: RunContext, *, confirm: bool = False,
                 batch: int = 1) -> None:
        """``confirm``: the caller fetches suspect pages again (``page.confirming``), so a
        suspect change is held back (outcome ``suspect``) instead of recorded at once.

        ``batch`` above 1: unchanged visits (304s) are written this many at a time, and the
        caller calls ``flush()`` when it is done."""
        self.db = db
        self.run = run
        self.confirm = confirm
        self.batch = batch
        self._held: dict[str, dict[str, object]] = {}  # url -> its unchanged visit
        self._held_since = 0.0

    def observe_page(self, page: Page) -> str:
        """Record a fetched page; returns the outcome (new, changed, unchanged, removed,
        error, or suspect: nothing recorded, ``page.suspicion`` says what to fetch again)."""
        if self.batch > 1 and page.status == NOT_MODIFIED and page.confirming is None:
            if self._hold_unchanged(page):
                return "unchanged"
        elif page.url in self._held:
            self.flush()  # this observation must see the document as the held visit left it
        with self.db.transaction() as session:
            outcome = self._observe(session, page)
            if outcome != "suspect":
                count(session, self.run.run_id, "errors" if outcome == "error" else outcome)
            if (
                page.confirming is not None
                and page.suspicion is None
                and outcome in ("unchanged", "changed")
            ):
                # The second look shows something else than the first did: that one was
                # an outage or a glitch, an error of this run and nothing more.
                self._record_error(
                    session,
                    page.url,
                    "transient_change",
                    f"{page.confirming.reason}; not seen again on a second fetch",
                    page.status,
                )
                count(session, self.run.run_id, "errors")
            return outcome

    def observe_failure(self, failure: Failure) -> str:
        if failure.url in self._held:
            self.flush()
        with self.db.transaction() as session:
            self._record_error(session, failure.url, failure.kind, failure.message, failure.status)
            count(session, self.run.run_id, "errors")
        return "error"

    def flush(self) -> None:
        """Write the held unchanged visits, with the run's count of them, in one transaction."""
        if not self._held:
            return
        visits = list(self._held.values())
        self._held.clear()  # written now, or (the transaction failing) lost: a revisit
        with self.db.transaction() as session:
            write_unchanged(session, visits)
            count(session, self.run.run_id, "unchanged", len(visits))

    def _hold_unchanged(self, page: Page) -> bool:
        """Hold a 304 for an active document, to be written with others; False if not one."""
        with self.db.engine.connect() as connection:  # a read: no session, no transaction
            visit = unchanged_visit(connection, self.run.source_id, page.url, page.fetched_at,
                                    policy=self.run.policy, headers=page.headers)
        if visit is None:
            return False
        now = time.monotonic()
        if not self._held:
            self._held_since = now
        self._held[page.url] = visit
        if len(self._held) >= self.batch or now - self._held_since >= HOLD_SECONDS:
            self.flush()
        return True

    def _observe(self, session: Session, page: Page) -> str:
        if page.status == NOT_MODIFIED and record_unchanged(
            session, self.run.source_id, page.url, page.fetched_at, policy=self.run.policy,
            headers=page.headers,
        ):
            return "unchanged"  # the common case of a recrawl, without loading the document
        document = self._document(session, page.url)
        if page.status == NOT_MODIFIED and document is not None:
            return self._not_modified(session, document, page)
        gone_reason = _gone_reason(page)
        if gone_reason:
            if document is None:
                self._record_error(session, page.url, "not_found", gone_reason, page.status)
                return "error"
            return self._gone(session, document, page, gone_reason)
        latest = _latest_version(session, document) if document is not None else None
        verdict = judge(page, _stored(latest)) if page.status == 200 else None
        if verdict is not None and verdict.kind == "system":
            self._record_error(session, page.url, "system_page", verdict.reason, page.status)
            return "error"
        problem = _unusable(page)
        if problem:
            kind, message = problem
            self._record_error(session, page.url, kind, message, page.status)
            return "error"
        if document is None:
            return self._new(session, page)
        if verdict is not None:
            held = self._suspect(session, page, verdict)
            if held:
                return held
        return self._seen_again(session, document, page)

    def _suspect(self, session: Session, page: Page, verdict: Verdict) -> str | None:
        """What to do with a suspect change: hold it for a second fetch, call it an error,
        or (None) believe it, when the second fetch showed the very same text."""
        assert page.extraction is not None
        sha = _sha256(page.extraction.text)
        first = page.confirming
        if first is None:
            if self.confirm:
                page.suspicion = Suspicion(page.url, sha, verdict.reason, page.fetched_at)
                return "suspect"
            if verdict.kind == "truncated":
                self._record_error(session, page.url, "truncated", verdict.reason, page.status)
                return "error"
            return None
        # A body that stops before its end is never a version, however often it is served.
        if verdict.kind == "suspect" and first.sha256 == sha:
            page.suspicion = first  # confirmed: the same text twice, a delay apart
            return None
        self._record_error(
            session,
            page.url,
            "unconfirmed_change",
            f"{first.reason}; a second fetch showed other text ({verdict.reason})",
            page.status,
        )
        return "error"

    def _document_id(self, session: Session, url: str | None) -> int | None:
        parent = self._document(session, url) if url else None
        return parent.id if parent is not None else None

    def _document(self, session: Session, url: str) -> Document | None:
        return session.scalar(
            select(Document).where(Document.source_id == self.run.source_id, Document.url == url)
        )

    def _new(self, session: Session, page: Page) -> str:
        document = Document(
            source_id=self.run.source_id,
            url=page.url,
            first_seen=page.fetched_at,
            last_seen=page.fetched_at,
            parent_id=self._document_id(session, page.parent_url),
        )
        session.add(document)
        session.flush()
        version = self._add_version(session, document, page)
        self._visited(document, page, "new")
        if not self.run.baseline:
            session.add(
                ChangeEvent(
                    document_id=document.id,
                    crawl_run_id=self.run.run_id,
                    kind="new",
                    at=page.fetched_at,
                    to_version_id=version.id,
                    chars_added=len(version.text),
                    significance=1.0,
                    reasons=["new document"],
                )
            )
        return "new"

    def _seen_again(self, session: Session, document: Document, page: Page) -> str:
        latest = _latest_version(session, document)
        extraction = page.extraction
        assert extraction is not None  # _unusable() let only extracted pages through
        document.last_seen = page.fetched_at
        was_removed = document.status == REMOVED
        document.status = ACTIVE
        same = (
            latest is not None
            and latest.sha256 == _sha256(extraction.text)
            and latest.title == extraction.title
            # An attachment added, removed or replaced is a change even if the text is not.
            and list(latest.attachments or []) == _attachments(extraction)
            # So is a field of the metadata table (a validity flipped to 废止), once known.
            and (not latest.fields_read or not fields.field_changes(latest, extraction))
        )
        if same and not latest.fields_read:
            _copy_fields(latest, extraction)  # stored before the fields were read
            _add_citations(session, latest, extraction)
        if same:
            outcome, score = "unchanged", 0.0
            if was_removed:
                outcome = "restored"
                score = self._event(session, document, "restored", page, latest, latest)
            self._visited(document, page, outcome, score)
            return outcome
        version = self._add_version(session, document, page)
        outcome = "restored" if was_removed else "changed"
        score = self._event(session, document, outcome, page, latest, version)
        self._visited(document, page, outcome, score)
        return outcome

    def _not_modified(self, session: Session, document: Document, page: Page) -> str:
        """A 304 (or a listing entry the portal marks unchanged): the stored version holds."""
        document.last_seen = page.fetched_at
        if document.status != REMOVED:
            document.status = ACTIVE  # a missing document is back: its removal was not real
            self._visited(document, page, "unchanged")
            return "unchanged"
        document.status = ACTIVE
        latest = _latest_version(session, document)
        if latest is not None:
            self._event(session, document, "restored", page, latest, latest)
        self._visited(document, page, "restored", 1.0)
        return "restored"

    def _gone(self, session: Session, document: Document, page: Page, reason: str) -> str:
        """A removal is believed when two runs in a row see the document gone: one 404, a
        soft 404 or a redirect home during an outage or a redeploy is only an error."""
        if document.status == REMOVED:
            self._visited(document, page, "removed")
            return "unchanged"
        if document.status != MISSING:
            self._visited(document, page, "missing")  # due again next run, to confirm
            document.status = MISSING
            self._record_error(
                session,
                page.url,
                "gone_unconfirmed",
                f"{reason}; recorded as removed if the next run finds it gone too",
                page.status,
                level=logging.INFO,  # the usual first sight of a real removal
            )
            return "error"
        document.status = REMOVED
        self._visited(document, page, "removed")
        latest = _latest_version(session, document)
        session.add(
            ChangeEvent(
                document_id=document.id,
                crawl_run_id=self.run.run_id,
                kind="removed",
                at=utcnow(),
                from_version_id=latest.id if latest else None,
                chars_removed=len(latest.text) if latest else 0,
                significance=1.0,
                reasons=[reason],
            )
        )
        return "removed"

    def _event(
        self,
        session: Session,
        document: Document,
        kind: str,
        page: Page,
        old: Version | None,
        new: Version,
    ) -> float:
        """Record a change event; returns its significance."""
        comparison = compare(old, new)  # field changes (validity, 文号 ...) included
        diff, score, reasons = comparison.diff, comparison.significance, comparison.reasons
        if kind == "restored":
            score, reasons = 1.0, ["document is back", *reasons]
        session.add(
            ChangeEvent(
                document_id=document.id,
                crawl_run_id=self.run.run_id,
                kind=kind,
                at=page.fetched_at,
                from_version_id=old.id if old else None,
                to_version_id=new.id,
                chars_added=diff.chars_added,
                chars_removed=diff.chars_removed,
                significance=score,
                reasons=reasons,
            )
        )
        return score

    def _visited(self, document: Document, page: Page, outcome: str, score: float = 0.0) -> None:
        # Validators and the next visit follow every successful fetch, version or not.
        published = page.extraction.published_at if page.extraction is not None else None
        # A gone page's validators (a soft 404's) must never stand for the stored version.
        headers = None if outcome in ("missing", "removed") else page.headers
        record_visit(document, page.fetched_at, outcome=outcome, policy=self.run.policy,
                     headers=headers, significance=score,
                     published=published_moment(published))

    def _add_version(self, session: Session, document: Document, page: Page) -> Version:
        extraction = page.extraction
        assert extraction is not None
        document.version_count += 1
        version = Version(
            document_id=document.id,
            number=document.version_count,
            crawl_run_id=self.run.run_id,
            fetched_at=page.fetched_at,
            sha256=_sha256(extraction.text),
            title=extraction.title,
            published_at=extraction.published_at,
            publisher=extraction.publisher,
            text=extraction.text,
            text_simplified=extraction.text_simplified,
            warnings=list(extraction.warnings),
            attachments=_attachments(extraction),
            http_status=page.status,
            headers={k: v for k, v in page.headers.items() if k.lower() in KEPT_HEADERS},
            encoding=extraction.encoding,
            raw_compressed=Version.compress(page.body),
            official=extraction.official,
        )
        _copy_fields(version, extraction)
        session.add(version)
        session.flush()
        _add_citations(session, version, extraction)
        return version

    def _record_error(
        self,
        session: Session,
        url: str,
        kind: str,
        message: str,
        status: int | None,
        level: int = logging.WARNING,
    ) -> None:
        log.log(level, "%s: %s %s", url, kind, message)
        session.add(
            CrawlError(
                crawl_run_id=self.run.run_id,
                url=url,
                kind=kind,
                http_status=status,
                message=message[:2000],
            )
        )


def _copy_fields(version: Version, extraction: Extraction) -> None:
    """The document's own fields, as read by the extractor."""
    for name in DOCUMENT_FIELDS:
        setattr(version, name, getattr(extraction, name))
    version.fields_read = True


def _add_citations(session: Session, version: Version, extraction: Extraction) -> None:
    for citation in extraction.citations:
        session.add(
            Citation(
                version_id=version.id,
                document_id=version.document_id,
                title=citation.get("title"),
                document_number=citation.get("document_number"),
                document_number_normalized=citation.get("document_number_normalized"),
            )
        )


def _latest_version(session: Session, document: Document) -> Version | None:
    return session.scalar(
        select(Version)
        .where(Version.document_id == document.id)
        .order_by(Version.number.desc())
        .limit(1)
    )


def _stored(version: Version | None) -> Stored | None:
    if version is None:
        return None
    return Stored(version.text, version.title, version.raw)


def _gone_reason(page: Page) -> str | None:
    if page.status in GONE_STATUSES:
        return f"HTTP {page.status}"
    return page.soft_404


def _unusable(page: Page) -> tuple[str, str] | None:
    """Why a fetched page must not become a version, or None when it may."""
    if page.status != 200:
        return f"http_{page.status}", f"HTTP {page.status}"
    content_type = page.headers.get("content-type", "").split(";")[0].strip().lower()
    if page.extraction is None:  # neither a page nor a document the crawler could read
        return "not_html", f"content type {content_type or 'unknown'} is not a page"
    document_problem = next(
        (w for w in page.extraction.warnings if w.get("kind") in DOCUMENT_PROBLEMS), None
    )
    if document_problem is not None and not page.extraction.text.strip():
        return document_problem["kind"], document_problem.get("message", "")
    if not page.extraction.text.strip():
        warnings = "; ".join(w.get("message", "") for w in page.extraction.warnings)
        return (
            "empty_text",
            f"no main text found ({len(page.body)} bytes){': ' + warnings if warnings else ''}",
        )
    return None


def _attachments(extraction: Extraction) -> list[dict[str, str]]:
    """As stored with a version, and as compared with the stored one."""
    return [{"url": a.url, "text": a.text} for a in extraction.attachments]


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
