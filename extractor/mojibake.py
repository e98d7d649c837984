"""GBK byte-misalignment mojibake: find every span, repair what is certain, report the rest.

When a GBK stream loses one byte, each following pair is read one byte off (a trail byte
taken as a lead) until an ASCII byte re-synchronises it; undecodable pairs show as `?`,
U+FFFD or private-use characters. A span is therefore an anchor (`?` etc. next to CJK)
and the characters after it up to the re-synchronising ASCII character. Re-encoding the
span's characters as GBK and decoding them shifted by one byte gives the original text
back; bytes lost inside the anchors stay lost, so a repair keeps only what decodes
cleanly to plausible CJK and the span is still reported when characters were lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor import rules

_CJK_CHAR = re.compile(rf"[{rules.CJK}]")
_CJK_RUN = re.compile(rf"[{rules.CJK}]+")
_PLAUSIBLE = re.compile(rf"^[{rules.CJK}{rules.CJK_PUNCT}\d]+$")
_ANCHOR_CHARS = frozenset("?\ufffd")
_NEXT_ANCHOR = re.compile(
    rf"[^\s{rules.CJK_PUNCT}?\ufffd\ue000-\uf8ff]{{0,12}}[?\ufffd\ue000-\uf8ff]+"
)


@dataclass(slots=True)
class Span:
    start: int
    end: int
    repaired: str | None  # replacement text, None when no certain repair exists
    lost: bool  # characters were lost in undecodable bytes


# Every anchor run holds one of these characters (see rules.MOJIBAKE_ANCHOR).
_ANCHOR_CHAR = re.compile("[?\ufffd\ue000-\uf8ff]")


def _is_anchor(ch: str) -> bool:
    return ch in _ANCHOR_CHARS or "\ue000" <= ch <= "\uf8ff"


def find_spans(line: str, charset: str = "big5") -> list[tuple[int, int]]:
    """(start, end) of every misaligned run in a line (`charset`: see script_charset)."""
    spans: list[tuple[int, int]] = []
    if not _ANCHOR_CHAR.search(line):
        return spans  # the common case, found by a scan the regex engine does quickly
    pos = 0
    while True:
        match = rules.MOJIBAKE_ANCHOR.search(line, pos)
        if not match:
            return spans
        start, end = match.start(), match.end()
        limit = min(len(line), start + rules.MOJIBAKE_MAX_SPAN)
        # The misread pairs: non-ASCII characters (and further anchors) after the anchor.
        while end < limit:
            ch = line[end]
            if ch in rules.CJK_PUNCT:
                break  # real punctuation: the stream is back in step
            # ASCII punctuation right after an anchor is a misread full-width mark ("?!笔").
            if not (
                ord(ch) > 0x7F or _is_anchor(ch) or (ch in "!;:" and _is_anchor(line[end - 1]))
            ):
                break
            end += 1
        # Another anchor close behind with no real punctuation between: one damaged run.
        follow = _NEXT_ANCHOR.match(line, end)
        if follow:
            end = follow.end()
        # The ASCII byte that re-synchronised the stream ends the span ("偨Y" in "??偨Y").
        if end < len(line) and end > match.end() and line[end].isalnum() and line[end].isascii():
            end += 1
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
        pos = max(end, start + 1)


def script_charset(lines: list[str]) -> str:
    """ "big5" for traditional-script text, else "gb2312": the charset its real characters fit.

    Simplified text stays almost wholly inside GB2312; traditional text leaves it often.
    Misread GBK pairs fall outside the text's own charset, which is the evidence we use.
    """
    # one C-level pass: the CJK characters, encoded with every misfit turned into "?"
    chars = "".join(_CJK_RUN.findall("\n".join(lines)))
    cjk = len(chars)
    outside = chars.encode("gb2312", errors="replace").count(b"?")
    return "big5" if cjk and outside > 0.05 * cjk else "gb2312"


def _fits(ch: str, charset: str) -> bool:
    try:
        ch.encode(charset)
    except UnicodeEncodeError:
        return False
    return True


# Lead-byte rows of the most frequent characters: GB2312 level 1, Big5 level 1.
_COMMON_LEADS = {"gb2312": (0xB0, 0xD7), "big5": (0xA4, 0xC6)}


def _rarity(text: str, charset: str) -> int:
    """CJK characters outside the charset's frequent-character rows (or outside it)."""
    low, high = _COMMON_LEADS[charset]
    rare = 0
    for ch in _CJK_CHAR.findall(text):
        try:
            lead = ch.encode(charset)[0]
        except UnicodeEncodeError:
            rare += 1
            continue
        rare += not low <= lead <= high
    return rare


def _gbk_bytes(ch: str) -> bytes | None:
    """GBK bytes of a character; ASCII punctuation is tried as its full-width form, which
    scraped text often turned to ASCII after the damage."""
    if "!" <= ch <= "~" and not ch.isalnum():
        ch = chr(ord(ch) + 0xFEE0)
    try:
        return ch.encode("gbk")
    except UnicodeEncodeError:
        return None


def _shift_decode(segment: str, charset: str) -> str | None:
    raw = b""
    for ch in segment:
        part = _gbk_bytes(ch)
        if part is None:
            return None
        raw += part
    raw = raw[1:]  # the first byte is the trail of a character whose lead was lost
    if len(raw) % 2:
        raw = raw[:-1]  # a lead whose trail was lost
    if not raw:
        return ""
    try:
        text = raw.decode("gbk")
    except UnicodeDecodeError:
        return None
    if not _PLAUSIBLE.match(text) or not all(_fits(ch, charset) for ch in _CJK_CHAR.findall(text)):
        return None
    # The repair must read more like ordinary text than what it replaces.
    if _rarity(text, charset) >= _rarity(segment, charset):
        return None
    return text


def repair(span: str, charset: str = "big5") -> tuple[str | None, bool]:
    """(repaired text or None, whether characters were lost).

    A `?` between ordinary characters may be a real question mark: the rarity test in
    _shift_decode (the repair must read as more common text than what it replaces) keeps
    such spans as they are, and they are only reported.
    """
    segments = [s for s in re.split(r"[?\ufffd\ue000-\uf8ff]+", span) if s]
    lost = any(_is_anchor(ch) for ch in span)
    fixed = []
    for segment in segments:
        text = _shift_decode(segment, charset)
        if text is None:
            return None, lost
        fixed.append(text)
    repaired = "".join(fixed)
    if not repaired or not _CJK_CHAR.search(repaired):
        return None, lost
    return repaired, lost


def _question_mark(line: str, start: int, end: int, charset: str) -> bool:
    """An ASCII `?` that ends a question, not a lost character: it follows a character (not
    punctuation) and the text after it reads as ordinary, common characters."""
    span = line[start:end]
    if set(span) & _DAMAGE or "?" not in span:
        return False  # U+FFFD and private-use characters are damage, never punctuation
    before = line[start - 1] if start else ""
    if not before or before == "?" or (before in rules.CJK_PUNCT and before not in _CLOSING):
        return False  # a question mark never follows an opening or a comma-like mark
    after = line[start + len(span) - len(span.lstrip("?")) :][: rules.QUESTION_CONTEXT]
    if after[:1].isascii() and after[:1] not in " )\"'":
        return False  # "?x", "?;": a lost character's trail byte read as ASCII
    return _rarity(after, charset) == 0


_CLOSING = frozenset("”’）》」』】")


_DAMAGE = frozenset("\ufffd") | {chr(c) for c in range(0xE000, 0xF900)}


def fix_line(line: str, charset: str = "big5") -> tuple[str, list[tuple[int, int, str]]]:
    """The line with certain repairs applied, and (start, end, kind) of spans to report
    (offsets into the returned line)."""
    spans = find_spans(line, charset)
    if not spans:
        return line, []
    out: list[str] = []
    report: list[tuple[int, int, str]] = []
    pos = 0
    for start, end in spans:
        out.append(line[pos:start])
        here = sum(len(p) for p in out)
        repaired, lost = repair(line[start:end], charset)
        if repaired is None:
            out.append(line[start:end])
            if not _question_mark(line, start, end, charset):
                report.append((here, here + end - start, "mojibake"))
        else:
            out.append(repaired)
            if lost:
                report.append((here, here + len(repaired), "mojibake-partial"))
        pos = end
    out.append(line[pos:])
    return "".join(out), report
