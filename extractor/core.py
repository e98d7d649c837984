"""The extraction pipeline: small stages applied in a visible order.

extract: bytes -> decode -> parse -> read meta tags -> unwrap wrappers -> prune hidden and
non-content elements -> pick the main content (CMS container, else densest text run) ->
clean lines -> metadata from tags/page/text -> attachments.
"""

from __future__ import annotations

import logging
import re

from lxml import etree

from config import MAX_PAGE_BYTES
from extractor import (
    attachments,
    content,
    encoding,
    govdoc,
    govtable,
    metadata,
    official,
    rules,
    textclean,
    tree,
)
from extractor.model import Extraction

log = logging.getLogger(__name__)

BYLINE_LINES = 4  # leading lines of the main text that may be a date/source byline
TITLE_MAX_CHARS = 80


def _failed(kind: str, message: str, encoding_name: str | None = None) -> Extraction:
    return Extraction(warnings=[{"kind": kind, "message": message}], encoding=encoding_name)


def extract(
    data: bytes,
    url: str | None = None,
    *,
    content_type: str | None = None,
    max_bytes: int = MAX_PAGE_BYTES,
) -> Extraction:
    """Extract title, date, publisher, clean main text and attachments from a page's bytes.

    ``max_bytes``: the most that is read; the crawler passes its own download limit, so a
    page it accepted is read whole. Never raises: unusable input gives an Extraction with
    empty text and a warning.
    """
    try:
        result = _extract(bytes(data or b""), url, content_type, max_bytes)
    except Exception as exc:  # noqa: BLE001 - the crawler must get a result for any page
        log.warning("extraction failed for %s", url, exc_info=True)
        result = _failed("error", f"extraction failed: {type(exc).__name__}: {exc}")
    result.official = official.is_official(url or "", result.site_id_code)
    return result


def extract_text(text: str) -> Extraction:
    """Clean plain text (e.g. scraped text files) with the same line cleaning as pages."""
    try:
        return _from_text(str(text or ""), None, [])
    except Exception as exc:  # noqa: BLE001 - same contract as extract()
        log.warning("text cleaning failed", exc_info=True)
        return _failed("error", f"text cleaning failed: {type(exc).__name__}: {exc}")


def _from_text(text: str, encoding_name: str | None, warnings: list[dict]) -> Extraction:
    if len(text) > rules.MAX_TEXT_CHARS:
        warnings = [
            *warnings,
            {"kind": "truncated", "message": f"only the first {rules.MAX_TEXT_CHARS} characters"},
        ]
        text = text[: rules.MAX_TEXT_CHARS]
    lines = text.splitlines()
    cleaned = textclean.clean_lines(lines, drop_bylines=BYLINE_LINES)
    date, publisher, _ = metadata.byline_facts(cleaned.dropped[:10])
    first = cleaned.text.split("\n", 1)[0]
    # a text's first line is its title when it reads like one (short, not a sentence)
    title = first if 0 < len(first) <= TITLE_MAX_CHARS and not first.endswith("。") else None
    result = Extraction(
        title=title,
        published_at=date,
        timezone=rules.DEFAULT_UTC_OFFSET if date else None,
        publisher=publisher,
        text=cleaned.text,
        text_simplified=cleaned.simplified,
        warnings=warnings + cleaned.warnings,
        encoding=encoding_name,
        **govdoc.extraction_fields(govdoc.read(None, {}, title, cleaned.text)),
    )
    if not result.text:
        result.warnings.append({"kind": "empty", "message": "no text left after cleaning"})
    return result


def _extract(
    data: bytes, url: str | None, content_type: str | None, max_bytes: int
) -> Extraction:
    warnings: list[dict] = []
    if not data or data.isspace():
        return _failed("empty", "empty document")
    cut = len(data) > max_bytes
    if cut:
        warnings.append(
            {"kind": "truncated", "message": f"only the first {max_bytes} bytes were read"}
        )
        data = data[:max_bytes]
    # A cut can end inside a multi-byte character: the decoder drops that partial character
    # instead of failing the strict UTF-8 test and guessing another encoding.
    html, encoding_name, decode_warnings = encoding.decode(data, content_type, partial=cut)
    warnings.extend(decode_warnings)
    if (content_type or "").startswith("text/plain"):
        return _from_text(html, encoding_name, warnings)
    if _binary(html):
        return _failed("not-text", "the bytes do not look like a text document", encoding_name)

    root = tree.parse(html)
    if root is None:
        return _failed("unparseable", "no HTML could be parsed", encoding_name)
    meta = metadata.meta_tags(root)
    tag_title = metadata.page_title(root)
    tree.unwrap_wrappers(root)
    tree.prune(root)
    table = govtable.take_table(root)  # read, and kept out of the main text
    heading = metadata.heading_title(root, tag_title)

    main = _main_content(root, html, heading, tag_title)
    cleaned = textclean.clean_lines(main.lines(heading), drop_bylines=BYLINE_LINES)

    nearby = main.nearby + cleaned.dropped[:10] + cleaned.text.split("\n", 3)[:3]
    facts = metadata.read(meta, tag_title, heading or main.headline, nearby, url)
    fields = govdoc.read(table, meta, facts.title, cleaned.text)
    published, zone = facts.published_at, facts.timezone
    meta_date = metadata.iso_date(metadata.meta_date(meta))
    if fields.published_at and (not meta_date or meta_date[:10] != fields.published_at[:10]):
        # the metadata table's 发布日期 is shown on the page: it beats bylines, URLs and a
        # meta tag that disagrees (filled when the page was regenerated)
        published, zone = fields.published_at, rules.DEFAULT_UTC_OFFSET
    result = Extraction(
        title=facts.title or fields.title or (cleaned.text.split("\n", 1)[0][:100] or None),
        published_at=published,
        timezone=zone,
        publisher=facts.publisher,
        text=cleaned.text,
        text_simplified=cleaned.simplified,
        attachments=attachments.find(main.scope, url),
        tables=main.tables(),
        warnings=warnings + cleaned.warnings,
        encoding=encoding_name,
        site_id_code=metadata.site_id_code(meta),
        **govdoc.extraction_fields(fields),
    )
    if not result.text:
        result.warnings.append({"kind": "empty", "message": "no main text found"})
    return result


def _main_content(
    root: etree._Element, html: str, heading: str | None, tag_title: str | None
) -> content.MainContent:
    """What CMSs mark first (Hanweb comments, known containers), else the densest text run."""
    container = _hanweb_body(html)
    if container is None:
        container = content.known_container(root, html)
    if container is not None:
        return content.in_container(container)
    main = content.densest(root, [t for t in (heading, tag_title) if t])
    main.scope = _common_ancestor([b.element for b in main.blocks])
    return main


def _binary(text: str) -> bool:
    """Control characters or undecodable bytes all over: not a page we can read."""
    sample = text[:20_000]
    if not sample:
        return True
    return len(_CONTROL.findall(sample)) > 0.05 * len(sample)


_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffd]")


def _hanweb_body(html: str) -> etree._Element | None:
    if rules.HANWEB_MARKER not in html:  # a plain substring test spares most pages the regex
        return None
    match = rules.HANWEB_BODY.search(html)
    if not match or not match.group(1).strip():
        return None
    fragment = tree.parse(f"<html><body><div>{match.group(1)}</div></body></html>")
    if fragment is None:
        return None
    tree.prune(fragment)
    govtable.take_table(fragment)  # read from the whole page already; kept out of the text
    body = fragment.find("body")
    return body if body is not None and tree.text_length(body) else None


def _common_ancestor(elements: list[etree._Element]) -> etree._Element | None:
    """The lowest element containing all the given ones (for finding attachment links)."""
    if not elements:
        return None
    path = [elements[0], *elements[0].iterancestors()]
    depth = {id(el): i for i, el in enumerate(path)}
    best = 0
    for el in elements[1:]:
        for anc in (el, *el.iterancestors()):
            if id(anc) in depth:
                best = max(best, depth[id(anc)])
                break
    scope = path[min(best, len(path) - 1)]
    parent = scope.getparent()
    return parent if parent is not None else scope
