"""Clean extracted or scraped text, line by line, in a visible order of small steps.

Character fixes come first (spaces, letter-spacing, mojibake, pinyin, commas) so that the
line filters after them (spam, chrome, trailing menus) see normal text. Filters match the
simplified form of each line, so one phrase list serves both scripts.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from extractor import mojibake, rules

_t2s = None


def to_simplified(text: str) -> str:
    """OpenCC t2s, loaded on first use (keeps `import extractor` cheap)."""
    global _t2s  # noqa: PLW0603 - a lazily built converter, created once and never changed
    if _t2s is None:
        import opencc

        _t2s = opencc.OpenCC("t2s")
    return _t2s.convert(text) if text else text


# --- character-level steps (str -> str) ------------------------------------------------------


def normalise_spaces(line: str) -> str:
    """Full-width spaces, NBSP and indentation become single spaces, then the line is stripped.

    A tab separates a table row's cells: each cell is normalised on its own.
    """
    if "\t" in line:
        cells = [rules.SPACES.sub(" ", cell).strip() for cell in line.split("\t")]
        return "\t".join(cells) if any(cells) else ""
    return rules.SPACES.sub(" ", line).strip()


def join_letter_spaced(line: str) -> str:
    """`政 府 工 作 報 告` -> `政府工作報告`: runs of single CJK characters split by spaces."""
    if " " not in line and "\u3000" not in line:
        return line  # no run without a space: most lines of Chinese prose
    return rules.LETTER_SPACED.sub(lambda m: "".join(m.group().split()), line)


Spans = list[tuple[int, int, str]]


def _sub(pattern: re.Pattern[str], repl: str, line: str, spans: Spans) -> tuple[str, Spans]:
    """pattern.sub(repl, line), moving the (start, end, kind) spans with the text."""
    out: list[str] = []
    shifts: list[tuple[int, int]] = []  # (position in the old line, change in length so far)
    pos = delta = 0
    for match in pattern.finditer(line):
        out.append(line[pos : match.start()])
        out.append(repl)
        delta += len(repl) - (match.end() - match.start())
        shifts.append((match.end(), delta))
        pos = match.end()
    if not shifts:
        return line, spans
    out.append(line[pos:])

    def moved(index: int) -> int:
        change = 0
        for at, total in shifts:
            if at > index:
                break
            change = total
        return index + change

    return "".join(out), [(moved(a), moved(b), kind) for a, b, kind in spans]


def drop_pinyin(line: str, spans: Spans) -> tuple[str, Spans]:
    """`發(fā)展` -> `發展`: a tone-marked syllable in parentheses right after a CJK character."""
    return _sub(rules.PINYIN_ANNOTATION, "", line, spans)


def drop_stray_commas(line: str) -> str:
    """`現在,,我` `意見,。` -> drop the ASCII comma stuck before punctuation (before the
    mojibake pass, so that `,?` does not hide a damaged span's anchor)."""
    return rules.STRAY_COMMA.sub("", line)


def cjk_commas(line: str, spans: Spans) -> tuple[str, Spans]:
    """`要求,目標` -> `要求，目標`: an ASCII comma between CJK characters is a `，`."""
    return _sub(rules.CJK_COMMA, "，", line, spans)


CHAR_STEPS: tuple[Callable[[str], str], ...] = (
    normalise_spaces,
    join_letter_spaced,
    drop_stray_commas,
)
# After the mojibake repair (a repaired character may carry a pinyin annotation); these keep
# the reported mojibake offsets in step with the text.
AFTER_MOJIBAKE_STEPS: tuple[Callable[[str, Spans], tuple[str, Spans]], ...] = (
    drop_pinyin,
    cjk_commas,
)


# --- line filters (simplified line -> drop?) ---------------------------------------------------


def is_spam(simple: str) -> bool:
    """Keyword-stuffed line of short items joined by | or commas (SEO injection)."""
    if "。" in simple:
        return False  # sentences: decided before splitting
    items = [i for i in rules.SPAM_SEPARATORS.split(simple) if i.strip()]
    if len(items) < rules.SPAM_MIN_ITEMS:
        return False
    if sum(len(i) > rules.SPAM_MAX_ITEM_CHARS for i in items) > len(items) // 4:
        return False
    return len(rules.SPAM_WORDS.findall(simple)) >= rules.SPAM_MIN_HITS


def is_chrome(simple: str) -> bool:
    """Navigation, print/font controls, share widgets, footers, content-farm banners."""
    lowered = simple.lower()  # the patterns are lower-case: cheaper than IGNORECASE
    if rules.CHROME_LINES.match(lowered.strip(" :：|-•·»>")):
        return True
    return len(simple) < 200 and bool(rules.CHROME_PHRASES.search(lowered))


def chrome_flags(lines: list[str]) -> list[bool]:
    """``is_chrome`` of each line, the same answers with one phrase search for all lines.

    A page has hundreds of blocks and few footer phrases: searching the joined text once and
    checking only the lines a match touches saves a regex call per block. A match can span a
    line break (``\\s`` does), so every line it touches is checked on its own, as is_chrome does.
    """
    lowered = [line.lower() for line in lines]
    joined = "\n".join(lowered)
    starts = [0]
    for line in lowered[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    touched: set[int] = set()
    for match in rules.CHROME_PHRASES.finditer(joined):
        first = bisect.bisect_right(starts, match.start()) - 1
        last = bisect.bisect_right(starts, max(match.end() - 1, match.start())) - 1
        touched.update(range(first, last + 1))
    chrome_line = rules.CHROME_LINES.match
    return [
        bool(chrome_line(low.strip(" :：|-•·»>")))
        or (i in touched and len(line) < 200 and bool(rules.CHROME_PHRASES.search(low)))
        for i, (line, low) in enumerate(zip(lines, lowered, strict=True))
    ]


_CJK_RUN = re.compile(f"[{rules.CJK}]")
# One search for any of the hints (each starts with a literal, so the engine skips ahead).
_CODE_HINT = re.compile("|".join(map(re.escape, rules.CODE_HINTS)))


def is_code(simple: str) -> bool:
    """Style sheet rules, script or template text (`.a{color:red}`, `var x=`, `{{ t }}`)."""
    if not _CODE_HINT.search(simple):
        return False  # every pattern below needs one of these: most lines are spared the regex
    if rules.TEMPLATE_PLACEHOLDER.search(simple):
        return True
    if not rules.CODE_LINE.search(simple):
        return False
    return len(_CJK_RUN.findall(simple)) < rules.CODE_MAX_CJK_SHARE * len(simple)


def is_paging_or_breadcrumb(simple: str) -> bool:
    """`1 2 3 下一页`, `您现在的位置：首页 > 娱乐 > 正文`."""
    return bool(rules.PAGING_LINE.match(simple) or rules.BREADCRUMB_LINE.match(simple))


def is_byline(simple: str) -> bool:
    """A date/source/author line under a headline (`网站名 2024-02-26 15:01 来源: 本网`)."""
    if rules.BYLINE.match(simple):
        return True
    date = rules.DATE_PATTERN.search(simple)
    return (
        date is not None
        and len(simple) <= rules.BYLINE_MAX_CHARS
        and not any(mark in simple for mark in "。，；！？")
        # a date alone may be a subtitle (——2024年2月27日在…会议上): want a time or a label
        and (date["H"] is not None or bool(rules.BYLINE_LABEL.search(simple)))
    )


def _is_short_menu_line(simple: str) -> bool:
    return len(simple) <= rules.SHORT_LINE and not any(c in rules.PROSE_PUNCT for c in simple)


def end_marker_index(simple_lines: list[str]) -> int:
    """Index of the bare `评论` / `相关新闻` / `声明：` line that ends the article, else len().

    Only a marker standing alone on its line ends the text: `延伸阅读：<headline>` is one
    link of a box inside the article and is dropped on its own as chrome.
    """
    kept = prose = 0
    for i, line in enumerate(simple_lines):
        if (
            kept >= rules.END_MARKER_MIN_KEPT
            and rules.BARE_END_MARKER.match(line)
            and not (rules.RELATED_MARKER.match(line) and _prose_follows(simple_lines, i + 1))
            # a print button also sits in toolbars above the text: only after some prose
            and (prose >= rules.TOOL_MARKER_MIN_PROSE or not rules.TOOL_MARKER.match(line))
        ):
            return i
        kept += len(line)
        if "。" in line:
            prose += len(line)
    return len(simple_lines)


def _prose_follows(simple_lines: list[str], start: int) -> bool:
    following = simple_lines[start : start + rules.RELATED_LOOKAHEAD]
    return any(len(line) >= rules.PROSE_LINE_CHARS and "。" in line for line in following)


def is_end_marker(simple: str) -> bool:
    """A marker line inside the article (its box's links are dropped as chrome or kept)."""
    return len(simple) <= rules.END_MARKER_MAX_CHARS and bool(rules.END_MARKERS.match(simple))


def trailing_menu_start(simple_lines: list[str]) -> int:
    """Index where a trailing menu begins (`相关附件` then only short unpunctuated lines)."""
    menu_from = len(simple_lines)  # every line from here on is menu-like (one backward pass)
    while menu_from > 0 and (
        _is_short_menu_line(simple_lines[menu_from - 1]) or is_chrome(simple_lines[menu_from - 1])
    ):
        menu_from -= 1
    for i in range(max(0, menu_from - 1), len(simple_lines)):
        if rules.TAIL_MARKERS.match(simple_lines[i].strip(" :：")):
            return i
    return len(simple_lines)


LINE_FILTERS: tuple[Callable[[str], bool], ...] = (
    is_spam,
    is_code,
    is_chrome,
    is_paging_or_breadcrumb,
    is_end_marker,
)


def _apply(steps: tuple[Callable[[str], str], ...], line: str) -> str:
    for step in steps:
        line = step(line)
    return line


# --- the whole pass ------------------------------------------------------------------------------


@dataclass
class CleanText:
    text: str = ""
    simplified: str = ""
    warnings: list[dict] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # removed lines (bylines feed metadata)


def clean_lines(lines: list[str], *, drop_bylines: int = 0) -> CleanText:
    """Apply the steps to lines. `drop_bylines`: how many leading lines may be date/source lines."""
    fixed: list[str] = []
    reports: list[Spans] = []
    spaced = [_apply(CHAR_STEPS, raw) for raw in lines[: rules.MAX_TEXT_LINES]]
    charset = mojibake.script_charset(spaced)
    for line in spaced:
        if not line:
            continue
        line, spans = mojibake.fix_line(line, charset)
        for step in AFTER_MOJIBAKE_STEPS:
            line, spans = step(line, spans)
        if line:
            fixed.append(line)
            reports.append(spans)
    simple = to_simplified("\n".join(fixed)).split("\n") if fixed else []
    if len(simple) != len(fixed):  # converter must keep lines; never trust a mismatch
        simple = list(fixed)
    out = CleanText()
    end = min(trailing_menu_start(simple), end_marker_index(simple))
    kept: list[tuple[str, str, Spans]] = []
    for i, (line, simple_line) in enumerate(zip(fixed[:end], simple[:end], strict=True)):
        if any(f(simple_line) for f in LINE_FILTERS) or (
            len(kept) < drop_bylines and is_byline(simple_line)
        ):
            out.dropped.append(line)
            continue
        kept.append((line, simple_line, reports[i]))
    out.dropped.extend(fixed[end:])
    out.warnings = _mojibake_warnings([(line, spans) for line, _, spans in kept])
    out.text = "\n".join(line for line, _, _ in kept)
    out.simplified = "\n".join(simple_line for _, simple_line, _ in kept)
    return out


def _mojibake_warnings(lines: list[tuple[str, Spans]]) -> list[dict]:
    """Warnings with offsets into the joined text ("\n" between lines)."""
    warnings: list[dict] = []
    offset = 0
    for line, spans in lines:
        for start, stop, kind in spans:
            lost = " (repaired, characters lost)" if kind.endswith("partial") else ""
            warnings.append(
                {
                    "kind": kind,
                    "message": f"GBK misalignment mojibake{lost}",
                    "start": offset + start,
                    "end": offset + stop,
                }
            )
        offset += len(line) + 1
    return warnings
