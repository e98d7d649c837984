"""Decide a page's encoding from its bytes.

Order, cheapest and most decisive first: a byte-order mark; a strict UTF-8 decode (random
non-UTF-8 bytes almost never pass it); the declared charsets (HTTP header, then the page's
own declarations) verified by a strict decode; GB18030 and Big5 compared on which one's
common-character rows the bytes fall in; charset-normalizer only as the last resort.
"""

from __future__ import annotations

import codecs
import re

from extractor import rules


def _normalise_name(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().strip("\"'").lower().replace("_", "-")
    name = rules.ENCODING_ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_charsets(data: bytes, content_type: str | None) -> list[str]:
    """Charsets the header and the document declare, in order of appearance, deduplicated."""
    found: list[str] = []
    if content_type and "charset=" in content_type.lower():
        found.append(content_type.lower().split("charset=", 1)[1].split(";")[0])
    head = data[: rules.SNIFF_BYTES]
    found.extend(
        m.group(1).decode("ascii", "ignore") for m in rules.DECLARED_CHARSET.finditer(head)
    )
    names: list[str] = []
    for raw in found:
        name = _normalise_name(raw)
        if name and name not in names:
            names.append(name)
    return names


_PAIR = re.compile(rb"[\x81-\xff][\x00-\xff]", re.DOTALL)
# Per byte: 1 when it may lead (or trail) a GB2312 level-1 character, 2 for Big5 level 1.
_LEAD_CLASS = bytes(((0xB0 <= b <= 0xD7) | (0xA4 <= b <= 0xC6) << 1) for b in range(256))
_TRAIL_CLASS = bytes(
    ((0xA1 <= b <= 0xFE) | (0x40 <= b <= 0x7E or 0xA1 <= b <= 0xFE) << 1) for b in range(256)
)


def _common_share(data: bytes) -> tuple[float, float]:
    """Share of double-byte characters in the frequent-character rows of GB2312 and Big5.

    GB2312 level 1 (leads B0-D7, trails A1-FE) holds the 3755 most used simplified
    characters; Big5 level 1 (leads A4-C6) the 5401 most used traditional ones. Text in one
    encoding read as the other lands mostly outside those rows.
    """
    pairs = b"".join(_PAIR.findall(data[:200_000]))
    count = len(pairs) // 2
    if not count:
        return 0.0, 0.0
    # both bytes of a pair classed, then AND-ed over the whole run at once (big integers)
    leads = int.from_bytes(pairs[0::2].translate(_LEAD_CLASS), "big")
    trails = int.from_bytes(pairs[1::2].translate(_TRAIL_CLASS), "big")
    both = (leads & trails).to_bytes(count, "big")
    gb = count - len(both.translate(None, b"\x01\x03"))
    big5 = count - len(both.translate(None, b"\x02\x03"))
    return gb / count, big5 / count


def _strict(data: bytes, encoding: str, partial: bool = False) -> str | None:
    """Decode without errors; ``partial``: the bytes were cut, so an incomplete last
    character is dropped rather than counted against the encoding."""
    try:
        if partial:
            return codecs.getincrementaldecoder(encoding)().decode(data, final=False)
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def decode(
    data: bytes, content_type: str | None = None, *, partial: bool = False
) -> tuple[str, str, list[dict]]:
    """Return (text, encoding used, warnings); ``partial``: ``data`` is a cut prefix."""
    for bom, name in rules.BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(name, errors="replace"), name, []
    text = _strict(data, "utf-8", partial)
    if text is not None:
        return text, "utf-8", []
    declared = declared_charsets(data, content_type)
    for name in declared:
        if name == "utf-8":
            continue  # the strict UTF-8 decode above already failed
        text = _strict(data, name, partial)
        if text is not None and _plausible(text, name, data):
            return text, name, []
    # No declaration holds: let the bytes choose between the two Chinese multi-byte codecs.
    gb_share, big5_share = _common_share(data)
    order = ["big5hkscs", "gb18030"] if big5_share > gb_share else ["gb18030", "big5hkscs"]
    warnings: list[dict] = []
    if declared:
        warnings.append(
            {
                "kind": "encoding",
                "message": f"declared charset {declared[0]} does not match the bytes",
            }
        )
    for name in order:
        text = _strict(data, name, partial)
        if text is not None and _plausible(text, name, data):
            return text, name, warnings
    # Damaged bytes: accept the Chinese codec with the fewest undecodable characters.
    best = min(order, key=lambda name: data.decode(name, errors="replace").count("\ufffd"))
    text = data.decode(best, errors="replace")
    bad = text.count("\ufffd")
    if bad <= max(8, rules.MAX_REPLACEMENT_RATIO * len(text)):
        warnings.append({"kind": "encoding", "message": f"{bad} undecodable bytes ({best})"})
        return text, best, warnings
    return _last_resort(data, warnings)


def _plausible(text: str, name: str, data: bytes) -> bool:
    """A strict decode can still be wrong: Big5 bytes read as GBK decode without error but
    land in private-use and rare rows; Chinese bytes read as cp1252 decode to accented junk."""
    if name == "cp1252":
        return not _looks_cjk_bytes(data)
    if name not in ("gb18030", "big5hkscs"):
        return True
    sample = text[:100_000]
    wide = len(sample) - len(sample.encode("ascii", "ignore"))
    private = len(_PRIVATE_USE.findall(sample))
    return not wide or private <= rules.MAX_PRIVATE_USE_RATIO * wide


_PRIVATE_USE = re.compile("[\ue000-\ue5e4\ue5e6-\uf8ff]")


def _looks_cjk_bytes(data: bytes) -> bool:
    gb_share, big5_share = _common_share(data)
    return max(gb_share, big5_share) > 0.3


def _last_resort(data: bytes, warnings: list[dict]) -> tuple[str, str, list[dict]]:
    """charset-normalizer: slow, so only for bytes no Chinese codec explains."""
    try:
        from charset_normalizer import from_bytes

        match = from_bytes(data[:200_000]).best()
    except Exception:  # noqa: BLE001 - detection failing must not fail extraction
        match = None
    if match is not None:
        name = _normalise_name(match.encoding) or "utf-8"
        warnings.append({"kind": "encoding", "message": f"encoding guessed as {name}"})
        return data.decode(name, errors="replace"), name, warnings
    warnings.append({"kind": "encoding", "message": "encoding unknown; decoded as UTF-8"})
    return data.decode("utf-8", errors="replace"), "utf-8", warnings
