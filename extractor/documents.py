"""Reports published as documents: PDF (pypdf) and DOCX (python-docx) to clean text.

Returns the same :class:`Extraction` as pages, so the tracker stores and diffs a report like
any article. Word 97 ``.doc`` and WPS files have no pure-Python reader good enough to trust;
they come back with empty text and an ``unsupported_format`` warning, which the tracker
records as an error rather than a version.
"""

from __future__ import annotations

import io
import logging
import re
from urllib.parse import urlsplit

from extractor.core import extract_text
from extractor.model import Extraction

log = logging.getLogger(__name__)

UNSUPPORTED = "unsupported_format"
UNREADABLE = "unreadable_document"
CONTENT_TYPES = {
    "application/pdf": "pdf",
    "application/x-pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/msword": "doc",
    "application/vnd.ms-word": "doc",
    "application/kswps": "wps",
    "application/vnd.ms-works": "wps",
    "application/wps-office.wps": "wps",
}
EXTENSION = re.compile(r"\.(pdf|docx|doc|wps)$", re.I)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc and .wps share the OLE container


def document_format(url: str, content_type: str, body: bytes) -> str | None:
    """pdf, docx, doc or wps when the response is such a document, else None.

    The bytes decide first (servers often send ``application/octet-stream``), then the
    content type, then the URL's extension for a generic binary type.
    """
    head = body[:8]
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04") and b"word/" in body[:4096]:
        return "docx"
    if head == OLE_MAGIC:
        by_name = EXTENSION.search(urlsplit(url).path)
        return "wps" if by_name and by_name.group(1).lower() == "wps" else "doc"
    if content_type in CONTENT_TYPES:
        return CONTENT_TYPES[content_type]
    if content_type in ("application/octet-stream", "application/download", ""):
        by_name = EXTENSION.search(urlsplit(url).path)
        if by_name and body.lstrip()[:1] != b"<":
            return by_name.group(1).lower()
    return None


def extract_document(data: bytes, url: str | None = None, *, kind: str = "pdf") -> Extraction:
    """Text and title of a PDF or DOCX; never raises (a broken file gives a warning)."""
    try:
        if kind == "pdf":
            title, text = _pdf(data)
        elif kind == "docx":
            title, text = _docx(data)
        else:
            return _warning(UNSUPPORTED, f"{kind} documents cannot be read (no pure-Python reader)")
    except Exception as exc:  # noqa: BLE001 - pypdf and python-docx raise many kinds on bad files
        log.warning("cannot read %s document %s", kind, url, exc_info=True)
        return _warning(UNREADABLE, f"{kind} document unreadable: {type(exc).__name__}: {exc}")
    extraction = extract_text(text)
    if title:
        extraction.title = title
    return extraction


def _warning(kind: str, message: str) -> Extraction:
    return Extraction(warnings=[{"kind": kind, "message": message}])


def _pdf(data: bytes) -> tuple[str | None, str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    pages = [page.extract_text() or "" for page in reader.pages]
    title = reader.metadata.title if reader.metadata else None
    return _clean_title(title), "\n".join(pages)


def _docx(data: bytes) -> tuple[str | None, str]:
    import docx

    document = docx.Document(io.BytesIO(data))
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    return _clean_title(document.core_properties.title), "\n".join(lines)


def _clean_title(title: object) -> str | None:
    text = " ".join(str(title or "").split())
    return text or None
