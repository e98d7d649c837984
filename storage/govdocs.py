"""Finding documents by their own fields: 文号, issuing body, validity, dates.

The values a filter compares are normalised by the caller (``corpus.govdocs.field_filter``
reads any printed form of a 文号), since normalising is the extractor's business and storage
does not import it. Copies across portals and citations are in ``corpus/govdocs.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, String, cast

from storage.models import Version

# The document fields versions store (the same names as extractor.model.DOCUMENT_FIELDS,
# which storage may not import; tests/test_govdoc_tracking.py checks they agree).
DOCUMENT_COLUMNS = (
    "document_number",
    "document_number_normalized",
    "issuing_authority",
    "written_date",
    "index_number",
    "topic",
    "validity",
    "keywords",
)


@dataclass(frozen=True)
class FieldFilter:
    number: str | None = None  # a normalised 文号 (extractor.govdoc.normalize_number)
    issuer: str | None = None  # part of an issuing body's name, simplified, no spaces
    validity: str | None = None  # as printed: 有效, 失效, 废止 ...
    written_from: date | None = None
    written_to: date | None = None
    published_from: date | None = None
    published_to: date | None = None

    def __bool__(self) -> bool:
        return any(getattr(self, name) for name in self.__dataclass_fields__)


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def apply(query: Select, fields: FieldFilter | None) -> Select:
    """The query (which selects Version rows) narrowed to versions matching the filter."""
    if not fields:
        return query
    if fields.number:
        query = query.where(Version.document_number_normalized == fields.number)
    if fields.issuer:
        pattern = "%" + _escape_like(fields.issuer) + "%"
        query = query.where(cast(Version.issuing_authority, String).like(pattern, escape="\\"))
    if fields.validity:
        query = query.where(Version.validity == fields.validity.strip())
    # ISO strings compare as dates (a date-time sorts after its date, hence the "~" bound).
    if fields.written_from:
        query = query.where(Version.written_date >= fields.written_from.isoformat())
    if fields.written_to:
        query = query.where(Version.written_date <= fields.written_to.isoformat())
    if fields.published_from:
        query = query.where(Version.published_at >= fields.published_from.isoformat())
    if fields.published_to:
        query = query.where(Version.published_at <= fields.published_to.isoformat() + "~")
    return query


def field_values(version: Version) -> dict[str, Any]:
    """The fields of a version as plain data (None when the page did not show them)."""
    return {name: getattr(version, name) for name in DOCUMENT_COLUMNS}
