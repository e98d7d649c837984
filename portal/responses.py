"""Bodies that are not pages: the attachment PDF, the huge page, binary junk."""

from __future__ import annotations

import random
from collections.abc import Iterator

HUGE_BYTES = 50 * 1024 * 1024
_HUGE_HEAD = (
    b'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>\xe6\x95\xb0\xe6\x8d\xae'
    b"</title></head><body><div class=\"article-content\">\n"
)
_HUGE_TAIL = b"</div></body></html>\n"
_HUGE_LINE = ("<p>" + "统计数据表格内容" * 40 + "</p>\n").encode("utf-8")
_HUGE_BLOCK = _HUGE_LINE * (65536 // len(_HUGE_LINE))


def huge_chunks() -> Iterator[bytes]:
    """A 50 MB HTML page in 64 KB pieces, exactly ``HUGE_BYTES`` long."""
    yield _HUGE_HEAD
    left = HUGE_BYTES - len(_HUGE_HEAD) - len(_HUGE_TAIL)
    while left > 0:
        piece = _HUGE_BLOCK[:left]
        left -= len(piece)
        yield piece
    yield _HUGE_TAIL


def binary(seed: int, size: int = 65536) -> bytes:
    data = random.Random(seed).randbytes(size)
    return b"\x00\x01\xfe\xff" + data[4:]


def pdf(title: str) -> bytes:
    """A small valid one-page PDF (ASCII text: the title is kept in the Info dictionary)."""
    stream = b"BT /F1 18 Tf 72 720 Td (Government work report attachment) Tj ET"
    info_title = title.encode("utf-16-be")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Title <feff" + info_title.hex().encode() + b"> >>",
    ]
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
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 6 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)
