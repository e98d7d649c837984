"""A government document's own fields: 文号, issuing bodies, dates, validity, citations.

Three places say them, read in this order of trust:

1. the 政务公开 metadata table above the text (extractor/govtable.py), found by its labels
   in any layout and taken out of the tree before the main text is chosen;
2. <meta> tags named like one of the labels;
3. the text: a 文号 line under the title, the 落款 (issuing bodies) and the date under it.

A field the page does not show stays None: nothing is guessed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from extractor import govdoc_rules as rules
from extractor import metadata, textclean
from extractor.govtable import Table, meta_values
from extractor.model import DOCUMENT_FIELDS
from extractor.rules import PROSE_PUNCT


@dataclass
class Fields:
    document_number: str | None = None  # as printed
    document_number_normalized: str | None = None  # for matching copies and citations
    issuing_authority: list[str] | None = None
    written_date: str | None = None  # ISO date
    index_number: str | None = None
    topic: str | None = None
    validity: str | None = None  # as printed: 有效, 失效, 废止, ...
    keywords: list[str] | None = None
    published_at: str | None = None  # the table's 发布日期, when it has one
    title: str | None = None  # the table's 标题/名称, when it has one
    citations: list[dict] = field(default_factory=list)


# --- values ---------------------------------------------------------------------------------


def normalize_number(number: str | None) -> str | None:
    """A 文号 as compared: simplified, half-width digits, 〔YYYY〕, no leading zeros or 第.

    粤府办[2024]012号, 粤府辦（2024）12號 and 粤府办〔2024〕第12号 all give 粤府办〔2024〕12号.
    """
    if not number:
        return None
    text = textclean.to_simplified(unicodedata.normalize("NFKC", number))
    match = rules.DOCUMENT_NUMBER.search(text)
    if match is None:
        squeezed = "".join(text.split())
        return squeezed or None
    org = rules.NUMBER_PREFIX_NOISE.sub("", match["org"]) or match["org"]
    return f"{org}〔{match['year']}〕{int(match['num'])}号"


def _number_as_printed(text: str, match: re.Match[str]) -> str:
    org = match["org"]
    noise = rules.NUMBER_PREFIX_NOISE.match(org)
    start = match.start() + (noise.end() if noise and noise.end() < len(org) else 0)
    return text[start : match.end()]


def normalize_body(name: str) -> str:
    """An issuing body as compared across portals."""
    return "".join(textclean.to_simplified(unicodedata.normalize("NFKC", name)).split())


def _cn_number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if all(c in rules.CN_NUMERALS for c in text):
        if "十" in text:  # 十 / 十二 / 二十 / 二十三
            tens, _, ones = text.partition("十")
            return (rules.CN_NUMERALS[tens] if tens else 1) * 10 + (
                rules.CN_NUMERALS[ones] if ones else 0
            )
        if len(text) == 4:  # a year written digit by digit: 二〇二四
            return int("".join(str(rules.CN_NUMERALS[c]) for c in text))
        if len(text) == 1:
            return rules.CN_NUMERALS[text]
    return None


def _ymd(year: str, month: str, day: str) -> str | None:
    y, m, d = _cn_number(year), _cn_number(month), _cn_number(day)
    if y is None or m is None or d is None or not (1 <= m <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def iso_date(text: str | None, *, with_time: bool = False) -> str | None:
    """A date in Arabic or Chinese numerals as ISO 8601 (date only unless with_time)."""
    if not text:
        return None
    found = metadata.iso_date(unicodedata.normalize("NFKC", text))
    if found:
        return found if with_time else found[:10]
    match = rules.CN_DATE.search(text)
    return _ymd(match["y"], match["m"], match["d"]) if match else None


def _date_line(line: str) -> str | None:
    match = rules.DATE_LINE.match("".join(line.split()))
    if match is None:
        return None
    if match["y"]:
        return _ymd(match["y"], match["m"], match["d"])
    return _ymd(match["y2"], match["m2"], match["d2"])


def _split_list(value: str | None, pattern: re.Pattern[str]) -> list[str] | None:
    if not value:
        return None
    items = [item for item in pattern.split(value) if item]
    return list(dict.fromkeys(items)) or None


# --- the text -------------------------------------------------------------------------------


def number_line(lines: list[str]) -> str | None:
    """A 文号 standing on its own line near the top (under the title)."""
    for line in lines[: rules.NUMBER_LINE_LOOKAHEAD]:
        squeezed = line.strip(" \u3000").removeprefix("（").removesuffix("）")
        squeezed = squeezed.removeprefix("(").removesuffix(")").strip()
        if len(squeezed) > rules.NUMBER_LINE_MAX_CHARS:
            continue
        match = rules.DOCUMENT_NUMBER.fullmatch(squeezed)
        if match:
            return squeezed
    return None


def title_number(title: str | None) -> str | None:
    """A 文号 in brackets at the very end of the title: 关于…的通知（粤府办〔2024〕12号）.
    (One inside the title, 转发《…》（国发〔2023〕1号）的通知, is the cited document's.)"""
    match = rules.TITLE_NUMBER.search(title or "")
    return match["number"] if match else None


def signature(lines: list[str]) -> tuple[list[str], str] | None:
    """The 落款 at the end: the issuing bodies and the date under them (both needed)."""
    window = lines[-rules.SIGNATURE_LOOKBACK :]
    for index in range(len(window) - 1, -1, -1):
        date = _date_line(window[index])
        if date is None:
            together = rules.BODY_AND_DATE.match(window[index].strip())
            date = _date_line(together["date"]) if together else None
            names = _bodies(together["bodies"]) if together and date else None
            if names:
                return names, date  # type: ignore[return-value]
            continue
        bodies: list[str] = []
        for line in reversed(window[max(0, index - rules.SIGNATURE_MAX_BODIES) : index]):
            names = _bodies(line)
            if names is None:
                break
            bodies[:0] = names
        return (bodies, date) if bodies else None
    return None


def _bodies(line: str) -> list[str] | None:
    """The issuing bodies on one 落款 line (joint issuers may share a line), or None."""
    line = line.strip()
    if not line or len(line) > rules.BODY_MAX_CHARS * 3 or any(c in PROSE_PUNCT for c in line):
        return None
    names = line.split()
    if all(len(n) <= rules.BODY_MAX_CHARS and rules.ISSUER_SUFFIX.search(n) for n in names):
        return names
    return None


def repeal_notice(title: str | None, text: str) -> str | None:
    """A notice that the document no longer applies (本文件已废止, 【已失效】), near the top
    or the end of the text or in the title."""
    lines = text.split("\n")
    for line in [title or "", *lines[:5], *lines[-5:]]:
        match = rules.REPEAL_NOTICE.search(line)
        if match:
            return match.group().strip()
    return None


def citations(text: str, own_number: str | None = None) -> list[dict]:
    """References to other documents: 《title》（文号）, 根据《title》, bare 文号."""
    own = normalize_number(own_number)
    found: dict[str, dict] = {}
    covered: list[tuple[int, int]] = []

    def add(title: str | None, number: str | None) -> None:
        norm = normalize_number(number) if number else None
        if norm is not None and norm == own:
            return
        key = norm or f"《{title}》"
        entry = found.setdefault(
            key, {"title": None, "document_number": None, "document_number_normalized": None}
        )
        entry["title"] = entry["title"] or title
        if number:
            entry["document_number"] = entry["document_number"] or number
            entry["document_number_normalized"] = norm

    for match in rules.CITED_TITLE_NUMBER.finditer(text):
        number_match = rules.DOCUMENT_NUMBER.search(match["number"])
        if number_match is None:
            continue
        add(match["title"].strip(), _number_as_printed(match["number"], number_match))
        covered.append(match.span())
    titled = {entry["title"] for entry in found.values()}
    for match in rules.CITATION_CUE.finditer(text):
        listed = [match]
        while (following := rules.CITATION_LIST_NEXT.match(text, listed[-1].end())) is not None:
            listed.append(following)
        for item in listed:
            title = item["title"].strip()
            if title not in titled and not _inside(item.span("title"), covered):
                add(title, None)
                titled.add(title)
    # the number pattern tries every CJK run as an issuer: only worth it where a year in
    # brackets (〔2024〕) is there at all
    numbers = rules.CITED_NUMBER.finditer(text) if rules.NUMBER_HINT.search(text) else ()
    for match in numbers:
        if not _inside(match.span(), covered):
            add(None, _number_as_printed(text, match))
    return list(found.values())


def _inside(span: tuple[int, int], covered: list[tuple[int, int]]) -> bool:
    return any(start <= span[0] and span[1] <= end for start, end in covered)


# --- all together ---------------------------------------------------------------------------


def read(
    table: Table | None, meta: dict[str, str], title: str | None, text: str
) -> Fields:
    """The document's fields: the table first, then meta tags, then the text."""
    given = meta_values(meta)
    if table is not None:
        for name in {p.field for p in table.pairs if p.field}:
            value = table.value(name)
            if name in rules.MERGED_FIELDS:
                value = "、".join(p.value for p in table.pairs if p.field == name and p.value)
            if value:
                given[name] = value
    lines = [line for line in text.split("\n") if line.strip()]
    fields = Fields(
        index_number=given.get("index_number"),
        topic=given.get("topic"),
        validity=given.get("validity"),
        keywords=_split_list(given.get("keywords"), rules.KEYWORD_SEPARATORS),
        published_at=iso_date(given.get("published_at"), with_time=True),
        title=given.get("title"),
        written_date=iso_date(given.get("written_date")),
        issuing_authority=_split_list(given.get("issuing_authority"), rules.LIST_SEPARATORS),
    )
    number = given.get("document_number")
    if number is None:
        number = number_line(lines) or title_number(title)
    fields.document_number = number
    fields.document_number_normalized = normalize_number(number)
    signed = signature(lines)
    if signed is not None:
        bodies, date = signed
        fields.issuing_authority = fields.issuing_authority or bodies
        fields.written_date = fields.written_date or date
    if fields.validity is None:
        notice = repeal_notice(title, text)
        if notice is not None:
            fields.validity = "失效" if "失效" in notice else rules.REPEALED
    fields.citations = citations(text, number)
    return fields


def extraction_fields(fields: Fields) -> dict:
    """The fields as Extraction keyword arguments."""
    return {name: getattr(fields, name) for name in (*DOCUMENT_FIELDS, "citations")}
