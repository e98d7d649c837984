"""A listing's further pages, from every kind of pager portals print.

Read in order of trust: links (下一页/下页/>, numbered page links, 尾页), page counts the
pager announces (TRS ``createPageHTML``/``countPage``, a JS pager's ``totalPage``/
``pageCount``, a record total over a page size, "共N页" in the text) combined with the URL
scheme the links or the pager script reveal (``index_N.html``, ``list_5_N.html``,
``?page=N``). When a page shows there are more pages but no URL for them, the next page's URL
is guessed from the common schemes and confirmed by fetching it: only a guess that answers
with a list of documents is followed further.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from lxml import etree

from crawler.discovery import vocabulary as words
from crawler.discovery.blocks import BAD_HREF, is_pager
from crawler.links import clean_url

# createPageHTML(15, 0, "index", "shtml") and the newer createPageHTML('page_div', 15, 0,
# 'index', 'shtml', 300); arguments may be variables set earlier in the script.
CREATE_PAGE = re.compile(r"createPageHTML\s*\(([^()]*)\)")
SCRIPT_VAR = r"(?:var|let|const)?\s*\b{name}\s*=\s*(['\"]?)([\w.-]*)\1"
COUNT_PAGE = re.compile(r"var\s+countPage\s*=\s*['\"]?(\d+)")
CURRENT_PAGE = re.compile(r"var\s+currentPage\s*=\s*['\"]?(\d+)")
TEXT_TOTALS = (
    re.compile(r"共\s*(\d+)\s*页"),
    re.compile(r"第\s*\d+\s*/\s*(\d+)\s*页"),
    re.compile(r"(?:页次|当前页|页码)[:：]?\s*\d+\s*/\s*(\d+)"),
)
# 'index_' + i + '.html', "?page=" + (n + 1), 'list_5_' + page + ".shtml"
CONCAT = re.compile(
    r"(['\"])([^'\"\n<>]{0,160}?)\1\s*\+\s*\(?\s*[A-Za-z_$][\w$.]*\s*(?:([+-])\s*(\d+))?\s*\)?"
    r"\s*(?:\+\s*(['\"])([^'\"\n<>]{0,40}?)\5)?"
)
PAGE_FILE = re.compile(r"_\d+\.\w+$|[?&](?:page|pageNo|pageIndex|p)=\d+", re.I)
PAGE_SUFFIX = re.compile(r"^(?:\.(?:s?html?|jsp|aspx?|php|do|action)\b|&|/$)", re.I)
JS_NUMBER = re.compile(r"\(\s*['\"]?(\d+)['\"]?\s*[,)]")
DIGIT_RUN = re.compile(r"\d+")
LEAF = re.compile(r"^(?P<stem>[A-Za-z]+)(?:_(?P<n>\d+))?\.(?P<ext>s?html?|jsp|aspx?|php)$")
MAX_PAGES = 2000  # a guard against a garbled count, not a real portal's limit


@dataclass(frozen=True)
class Scheme:
    """Page k of a listing is at ``template`` with ``{n}`` = k + offset (page 1 may differ)."""

    template: str
    offset: int

    def url(self, page: int) -> str:
        return self.template.replace("{n}", str(page + self.offset))


@dataclass(frozen=True)
class Guess:
    """A page URL not seen in any link: fetched to confirm the scheme before going further."""

    url: str
    scheme: Scheme
    page: int
    total: int | None
    expand: bool = True  # once confirmed, name the pages after it
    # Documents the page that guessed had listed: a guess that lists only these is a server
    # ignoring the URL's page number, not a further page.
    known: frozenset[str] = frozenset()


@dataclass
class Pages:
    urls: list[str] = field(default_factory=list)
    guesses: list[Guess] = field(default_factory=list)
    total: int | None = None
    kinds: list[str] = field(default_factory=list)

    def add(self, url: str, kind: str) -> None:
        if url not in self.urls:
            self.urls.append(url)
        if kind not in self.kinds:
            self.kinds.append(kind)


def find_pages(root: etree._Element, scripts: str, page_url: str, base_url: str,
               item_urls: set[str], guessing: bool) -> Pages:
    """Further listing pages a page names, announces or implies (never the page itself)."""
    pages = Pages()
    links = _pager_links(root, base_url, item_urls)
    for url in links.next + links.last + links.previous:
        pages.add(url, "next-link")
    for url in links.numbered.values():
        pages.add(url, "numbered-links")
    total = _announced_total(root, scripts, links)
    pages.total = total
    first = False
    if (trs := _trs_pager(scripts)) is not None:
        count, current, prefix, suffix = trs
        total = None  # the TRS pager's first page names every page
        # Counted from 0, or from 1 in some versions: a first page either way by its name.
        first = current == 0 or not re.search(rf"/{re.escape(prefix)}_\d+\.\w+$", page_url)
    if trs is not None and first:
        scheme = Scheme(urljoin(page_url, f"{prefix}_{{n}}.{suffix}"), -1)
        pages.add(urljoin(page_url, f"{prefix}.{suffix}"), "trs-pager")
        for page in range(2, min(count, MAX_PAGES) + 1):
            pages.add(scheme.url(page), "trs-pager")
    scheme = _scheme_from_links(links, page_url)
    if scheme is not None and not total and links.last:
        # "尾页" names the last page: every page between is in the same scheme.
        last = _number_in(links.last[0], scheme.template)
        total = last - scheme.offset if last is not None else None
    if scheme is not None and total:
        for page in range(2, min(total, MAX_PAGES) + 1):
            pages.add(scheme.url(page), "page-count")
    elif total and (concat := _script_scheme(scripts, page_url)) is not None:
        # The pager script's numbering may count from 0 or 1: ask for both ends, quietly.
        for number in range(1, min(total, MAX_PAGES) + 1):
            url = concat.url(number)
            if number in (1, total):
                pages.guesses.append(Guess(url, concat, number, None, expand=False))
            else:
                pages.add(url, "script-pager")
    elif guessing and scheme is None and (total or links.script_next) and not pages.urls:
        known = frozenset(item_urls)
        for guess_scheme in _guessed_schemes(page_url):
            pages.guesses.append(Guess(guess_scheme.url(2), guess_scheme, 2, total, True, known))
    pages.urls = [u for u in pages.urls if u != page_url and u not in item_urls]
    pages.guesses = [g for g in pages.guesses if g.url != page_url and g.url not in pages.urls]
    return pages


def confirmed(guess: Guess, listed: set[str]) -> list[Guess]:
    """A guessed page answered: if it lists new documents, the pages after it (up to the
    announced total) or the next one; still guesses, as the numbering may be off by one."""
    if not guess.expand or guess.page >= MAX_PAGES or not listed - guess.known:
        return []
    if guess.total is not None:
        last = min(guess.total, MAX_PAGES)
        return [Guess(guess.scheme.url(p), guess.scheme, p, guess.total, expand=False)
                for p in range(guess.page + 1, last + 1)]
    return [Guess(guess.scheme.url(guess.page + 1), guess.scheme, guess.page + 1, None, True,
                  frozenset(listed))]


@dataclass
class _Links:
    next: list[str] = field(default_factory=list)
    last: list[str] = field(default_factory=list)
    previous: list[str] = field(default_factory=list)  # 上一页, 首页: pages already known
    numbered: dict[int, str] = field(default_factory=dict)
    script_next: bool = False  # a "next" link that only runs a script
    last_number: int | None = None


def _pager_links(root: etree._Element, base_url: str, item_urls: set[str]) -> _Links:
    links = _Links()
    for anchor in root.iter("a", "option"):
        text = _link_text(anchor)
        href = (anchor.get("href" if anchor.tag == "a" else "value") or "").strip()
        if not text or len(text) > 8:
            continue
        usable = bool(href) and not BAD_HREF.match(href)
        if anchor.tag == "option" and not (usable and PAGE_FILE.search(href)):
            continue  # a page-jump menu names pages; other menus filter or navigate
        url = clean_url(urljoin(base_url, href)) if usable else ""
        if url in item_urls:
            continue
        if text in words.NEXT_TEXTS:
            if usable:
                links.next.append(url)
            else:
                links.script_next = True
        elif text in words.FIRST_TEXTS:
            # "首页" is also the site's home link: only a pager's own counts.
            if usable and _in_pager(anchor):
                links.previous.append(url)
        elif text in words.LAST_TEXTS:
            if usable:
                links.last.append(url)
            elif (number := JS_NUMBER.search(href or anchor.get("onclick", ""))) is not None:
                links.last_number = int(number.group(1))
        elif text.isdigit() and 0 < int(text) < 100000 and usable:
            links.numbered.setdefault(int(text), url)
    links.numbered = _pager_numbers(links)
    return links


def _link_text(anchor: etree._Element) -> str:
    """A pager link's words: its text, or its title or image's alt ("下一页" as a picture);
    a page-jump ``<option>``'s text."""
    text = "".join(anchor.itertext())
    if not text.strip() and anchor.tag == "a":
        image = next(anchor.iter("img"), None)
        text = anchor.get("title") or (image.get("alt") if image is not None else "") or ""
    return re.sub(r"\s+", "", text).lower().strip("[]【】()（）")


def _in_pager(anchor: etree._Element) -> bool:
    """Inside a pager: a small element (not the page region around it) that reads as one."""
    node = anchor.getparent()
    for _ in range(3):
        if node is None:
            return False
        if is_pager(node):
            return True
        node = node.getparent()
    return False


def _pager_numbers(links: _Links) -> dict[int, str]:
    """Numbered links that share the URL scheme of each other or of a next/last link."""
    anchors = {_digit_shape(u) for u in links.next + links.last + links.previous}
    counts: dict[str, int] = {}
    for url in links.numbered.values():
        counts[_digit_shape(url)] = counts.get(_digit_shape(url), 0) + 1
    return {
        number: url for number, url in links.numbered.items()
        if _digit_shape(url) in anchors or counts[_digit_shape(url)] >= 2
    }


def _digit_shape(url: str) -> str:
    return DIGIT_RUN.sub("0", url)


def _announced_total(root: etree._Element, scripts: str, links: _Links) -> int | None:
    body = root.find(".//body")
    text = " ".join((body if body is not None else root).itertext())
    for pattern in TEXT_TOTALS:
        if match := pattern.search(text):
            return int(match.group(1))
    if (total := _script_total(scripts)) is not None:
        return total
    if links.numbered:
        return max(links.numbered) if links.last_number is None else links.last_number
    return links.last_number


def _script_total(scripts: str) -> int | None:
    for name in words.PAGE_COUNT_VARS:
        if match := re.search(rf"\b{name}\b['\"]?\s*[:=]\s*['\"]?(\d+)", scripts):
            return int(match.group(1))
    size = next(
        (int(m.group(1)) for name in words.PAGE_SIZE_VARS
         if (m := re.search(rf"\b{name}\b['\"]?\s*[:=]\s*['\"]?(\d+)", scripts))), None,
    )
    records = next(
        (int(m.group(1)) for name in words.RECORD_COUNT_VARS
         if (m := re.search(rf"\b{name}\b['\"]?\s*[:=]\s*['\"]?(\d+)", scripts))), None,
    )
    if size and records is not None:
        return max(1, math.ceil(records / size))
    return None


def _trs_pager(scripts: str) -> tuple[int, int, str, str] | None:
    """(page count, current page from 0, file prefix, suffix) of a TRS pager script."""
    for match in CREATE_PAGE.finditer(scripts):
        values = [_argument(a, scripts) for a in match.group(1).split(",")]
        numbers = [i for i, v in enumerate(values) if isinstance(v, int)]
        if len(numbers) < 2:
            continue  # the function's definition, or a template left unfilled
        names = [v for v in values[numbers[1] + 1:] if isinstance(v, str)]
        prefix = names[0] if names else "index"
        suffix = names[1] if len(names) > 1 else "html"
        return values[numbers[0]], values[numbers[1]], prefix, suffix  # type: ignore[return-value]
    if match := COUNT_PAGE.search(scripts):
        current = CURRENT_PAGE.search(scripts)
        return int(match.group(1)), int(current.group(1)) if current else 0, "index", "html"
    return None


def _argument(text: str, scripts: str) -> int | str | None:
    """A call argument's value: a literal, or a variable the script sets to one."""
    text = text.strip()
    if re.fullmatch(r"\d+", text):
        return int(text)
    if quoted := re.fullmatch(r"(['\"])([\w.-]*)\1", text):
        return quoted.group(2)
    variable = re.fullmatch(r"[A-Za-z_$][\w$]*", text)
    if variable and (match := re.search(SCRIPT_VAR.format(name=re.escape(text)), scripts)):
        value = match.group(2)
        return int(value) if value.isdigit() else value or None
    return None


def _scheme_from_links(links: _Links, page_url: str) -> Scheme | None:
    """The scheme two linked pages share, numbered by the page numbers the pager prints."""
    numbered = sorted(links.numbered.items())
    for number, url in numbered:
        template, value = _template(url, [u for _, u in numbered if u != url] + links.next)
        if template is not None and value is not None:
            return Scheme(template, value - number)
    if links.next and not numbered:
        template, value = _template(links.next[0], [page_url])
        if template is None:
            template, value = _template_alone(links.next[0], page_url)
        if template is not None and value is not None:
            current = _number_in(page_url, template)
            page = 2 if current is None else current + 1
            return Scheme(template, value - page)
    return None


def _template(url: str, others: list[str]) -> tuple[str | None, int | None]:
    """``url`` with the digit run that differs from one of the other URLs as ``{n}``."""
    for run in reversed(list(DIGIT_RUN.finditer(url))):
        template = url[: run.start()] + "{n}" + url[run.end():]
        pattern = re.compile(re.escape(template).replace(r"\{n\}", r"(\d+)") + "$")
        if any(pattern.match(other) and other != url for other in others):
            return template, int(run.group())
    return None, None


def _template_alone(url: str, page_url: str) -> tuple[str | None, int | None]:
    """A next link from a first page that has no number (``index.html`` to
    ``index_2.html``, ``list.aspx`` to ``list.aspx?page=2``): its last digit run that the
    page's URL does not have."""
    runs = list(DIGIT_RUN.finditer(url))
    page_runs = DIGIT_RUN.findall(page_url)
    if not runs or len(runs) != len(page_runs) + 1:
        return None, None
    run = runs[-1]
    return url[: run.start()] + "{n}" + url[run.end():], int(run.group())


def _number_in(url: str, template: str) -> int | None:
    pattern = re.compile(re.escape(template).replace(r"\{n\}", r"(\d+)") + "$")
    match = pattern.match(url)
    return int(match.group(1)) if match else None


def _script_scheme(scripts: str, page_url: str) -> Scheme | None:
    """A page URL a pager script builds by concatenation: ``'index_' + i + '.html'``,
    ``'list.aspx?page=' + n`` (never an image or script path)."""
    for match in CONCAT.finditer(scripts):
        prefix, suffix = match.group(2), match.group(6) or ""
        if not re.search(r"\w[_=-]$", prefix) or " " in prefix + suffix:
            continue
        if suffix and not PAGE_SUFFIX.match(suffix):
            continue
        return Scheme(urljoin(page_url, f"{prefix}{{n}}{suffix}"), 0)
    return None


def _guessed_schemes(page_url: str) -> list[Scheme]:
    parts = urlsplit(page_url)
    folder, _, leaf = parts.path.rpartition("/")
    match = LEAF.match(leaf) if leaf else None
    schemes = []
    if match is not None and match.group("n") is None:
        stem, ext = match.group("stem"), match.group("ext")
        schemes.append(Scheme(_with_path(parts, f"{folder}/{stem}_{{n}}.{ext}"), -1))
        schemes.append(Scheme(_with_path(parts, f"{folder}/{stem}_{{n}}.{ext}"), 0))
    elif not leaf:
        schemes.append(Scheme(_with_path(parts, f"{folder}/index_{{n}}.html"), -1))
        schemes.append(Scheme(_with_path(parts, f"{folder}/index_{{n}}.html"), 0))
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "page"]
    paged = urlunsplit(parts._replace(query=urlencode([*query, ("page", "0")]), fragment=""))
    schemes.append(Scheme(paged.replace("page=0", "page={n}"), 0))
    return schemes


def _with_path(parts, path: str) -> str:  # noqa: ANN001 - urllib's SplitResult
    return urlunsplit(parts._replace(path=path, query="", fragment=""))
