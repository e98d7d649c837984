"""Bodies that are not pages: the huge page, binary junk (attachments: ``portal.documents``)."""

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

