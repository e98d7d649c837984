"""Attachment files: a PDF with Chinese text, a DOCX, and a Word 97 file the crawler cannot read.

The PDF is written by hand the way Chinese office software writes simple reports: the
Adobe standard font STSong-Light with the ``UniGB-UCS2-H`` CMap, text shown as UCS-2 hex
strings, one line per paragraph, forty lines a page; the title is in the Info dictionary.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence

LINES_PER_PAGE = 40
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def pdf(title: str, paragraphs: Sequence[str]) -> bytes:
    lines = [title, *paragraphs]
    pages = [lines[i : i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)] or [[]]
    first_page = 7  # objects 1-6 are catalog, pages, fonts, descriptor and info
    kids = " ".join(f"{first_page + 2 * i} 0 R" for i in range(len(pages)))
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode(),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H"
        b" /DescendantFonts [4 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo"
        b" << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 5 0 R"
        b" /DW 1000 >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6"
        b" /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120"
        b" /CapHeight 880 /StemV 93 >>",
        b"<< /Title <feff" + title.encode("utf-16-be").hex().encode()
        + b"> /Producer (govwatch portal) >>",
    ]
    for index, page_lines in enumerate(pages):
        stream = _text_stream(page_lines)
        contents = first_page + 2 * index + 1
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
            b" /Resources << /Font << /F1 3 0 R >> >> /Contents "
            + f"{contents} 0 R".encode() + b" >>"
        )
        objects.append(
            b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream
            + b"\nendstream"
        )
    return _assemble(objects, info=6)


def _text_stream(lines: Sequence[str]) -> bytes:
    shown = b" T*\n".join(b"<" + _ucs2(line).hex().encode() + b"> Tj" for line in lines)
    return b"BT /F1 11 Tf 16 TL 56 790 Td\n" + shown + b"\nET"


def _ucs2(text: str) -> bytes:
    # UCS-2 covers the Basic Multilingual Plane only: anything beyond becomes a white square
    return "".join(c if ord(c) <= 0xFFFF else "\u25a1" for c in text).encode("utf-16-be")


def _assemble(objects: list[bytes], info: int) -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {info} 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


def docx(title: str, paragraphs: Sequence[str]) -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    document.core_properties.title = title
    document.add_heading(title, level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def doc(title: str, paragraphs: Sequence[str]) -> bytes:
    """A Word 97 file as far as any sniffer can tell: the OLE signature, then the text.

    Real ``.doc`` files need a binary-format writer; what matters here is that the crawler
    recognises the format and records that it cannot read it.
    """
    body = "\n".join([title, *paragraphs]).encode("utf-16-le")
    return OLE_MAGIC + b"\x00" * 504 + body


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
}
WRITERS = {"pdf": pdf, "docx": docx, "doc": doc}


@functools.lru_cache(maxsize=256)
def render(kind: str, title: str, paragraphs: tuple[str, ...]) -> bytes:
    """The same file for the same text, byte for byte, so ETags hold between requests
    (python-docx stamps the time into every file it saves)."""
    return WRITERS[kind](title, paragraphs)
