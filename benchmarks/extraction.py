"""Score govwatch's extractor against readability-lxml and trafilatura, in one run.

Usage: .venv/bin/python benchmarks/extraction.py [--corpus DIR ...] [--tools govwatch,...]
       [--worst N] [--rounds N] [--no-parsers]

Each corpus is a folder of ``<id>.html`` (original bytes) and ``<id>.txt`` (reference text);
by default ``shared/corpus/dev`` and ``shared/corpus/dev-news``, reported separately.
Scoring is the shared scorer's (``shared/tools/score_extraction.py``): both sides NFKC
normalised, all white space removed, the longest common subsequence from diff-match-patch
gives character precision, recall and F1 per page; means are printed per id prefix and
overall.

Speed is pages per second per core: pages divided by the CPU time this process spent in
the tool (``time.process_time``), the tools taking turns page by page, so that a busy
shared machine slows every tool alike and the ratio to readability-lxml is what counts;
each tool's fastest of ``--rounds`` passes (default 3) is the figure, as timeit takes.

Every tool gets the page's raw bytes:
- govwatch: ``extractor.extract(data)``;
- readability-lxml: ``Document(data).summary()`` (readability decodes bytes itself with its
  meta-charset/chardet-style detection), then the text of that HTML via lxml;
- trafilatura: ``trafilatura.extract(data)`` (trafilatura decodes bytes itself).

The parser table times what the extractor's first stage needs, parsing a decoded page and
walking every node, with each candidate: lxml.etree (what the extractor uses), lxml.html
(the same parser handing out its own element classes), BeautifulSoup with the lxml
builder, and lexbor through selectolax; and it counts the pages whose visible text
(white space removed) the candidate's tree gives exactly as lxml.etree's does.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPORA = [REPO.parent / "shared" / "corpus" / name for name in ("dev", "dev-news")]
sys.path.insert(0, str(REPO))

try:  # the C++ diff the shared scorer uses; the pure-Python one gives the same LCS, slower
    import fast_diff_match_patch as _fdmp
except ImportError:  # pragma: no cover - depends on the environment
    _fdmp = None


def norm(text: str | None) -> str:
    """NFKC, then every white space character removed (as the shared scorer)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def _common_chars(ref: str, pred: str) -> int:
    if _fdmp is not None:
        ops = _fdmp.diff(ref, pred, timelimit=5, checklines=False, counts_only=False)
        return sum(len(s) for op, s in ops if op == "=")
    from diff_match_patch import diff_match_patch

    # No time limit: the pure-Python diff gives up on long pages within the shared scorer's
    # 5 s and then reports nothing in common, scoring a page it has right as 0.
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0
    return sum(len(s) for op, s in dmp.diff_main(ref, pred, False) if op == 0)


def prf(ref: str, pred: str) -> tuple[float, float, float]:
    """Character precision, recall and F1 of ``pred`` against ``ref``."""
    r, p = norm(ref), norm(pred)
    if not r and not p:
        return 1.0, 1.0, 1.0
    if not r or not p:
        return 0.0, 0.0, 0.0
    same = _common_chars(r, p)
    precision, recall = same / len(p), same / len(r)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def run_govwatch(data: bytes) -> str:
    from extractor import extract

    return extract(data).text


def run_readability(data: bytes) -> str:
    import lxml.html
    from readability import Document

    summary = Document(data).summary()
    if not summary.strip():
        return ""
    return "\n".join(lxml.html.fromstring(summary).itertext())


def run_trafilatura(data: bytes) -> str:
    import trafilatura

    return trafilatura.extract(data) or ""


TOOLS: dict[str, Callable[[bytes], str]] = {
    "govwatch": run_govwatch,
    "readability-lxml": run_readability,
    "trafilatura": run_trafilatura,
}


def load_corpus(folder: Path) -> list[tuple[str, bytes, str]]:
    pages = []
    for ref_path in sorted(folder.glob("*.txt")):
        html_path = ref_path.with_suffix(".html")
        if html_path.exists():
            pages.append(
                (ref_path.stem, html_path.read_bytes(), ref_path.read_text(encoding="utf-8"))
            )
    return pages


def bench(
    names: list[str], pages: list[tuple[str, bytes, str]], rounds: int = 3
) -> dict[str, tuple[list[tuple], float]]:
    """Per tool: (key, P, R, F1) rows and pages per CPU second, the tools taking turns.

    Speed is taken from each tool's fastest of ``rounds`` passes over the pages, as timeit
    does: a pass can only be slowed by the rest of the machine, never sped up by it.
    """
    for name in names:
        TOOLS[name](pages[0][1])  # warm up imports so that speed measures extraction only
    outputs: dict[str, dict[str, str]] = {name: {} for name in names}
    best = dict.fromkeys(names, float("inf"))
    for _ in range(rounds):
        cpu = dict.fromkeys(names, 0.0)
        for key, data, _ in pages:
            for name in names:
                start = time.process_time()
                try:
                    outputs[name][key] = TOOLS[name](data)
                except Exception as exc:  # a peer failing on a page scores 0 there (the scorer)
                    print(f"  {name} failed on {key}: {exc!r}", file=sys.stderr)
                    outputs[name][key] = ""
                cpu[name] += time.process_time() - start
        best = {name: min(best[name], cpu[name]) for name in names}
    results = {}
    for name in names:
        rows = [(key, *prf(ref, outputs[name][key])) for key, _, ref in pages]
        results[name] = (rows, len(pages) / best[name] if best[name] else float("inf"))
    return results


def summarise(rows: list[tuple]) -> dict[str, tuple[float, float, float, int]]:
    out = {}
    for prefix in sorted({key.split("-")[0] for key, *_ in rows}) + ["all"]:
        sel = [r for r in rows if prefix == "all" or r[0].startswith(prefix + "-")]
        out[prefix] = (
            # rounded to 4 places first, as the shared scorer does before printing 3
            *(round(statistics.mean(r[i] for r in sel), 4) for i in (1, 2, 3)),
            len(sel),
        )
    return out


def report(
    corpus: Path, names: list[str], pages: list[tuple[str, bytes, str]], worst: int, rounds: int
) -> None:
    results = bench(names, pages, rounds)
    summaries = {name: summarise(rows) for name, (rows, _) in results.items()}
    print(f"\ncorpus {corpus}: {len(pages)} pages")
    print(f"  {'tool':18s} {'prefix':8s} {'n':>4s} {'P':>6s} {'R':>6s} {'F1':>6s}  pages/s/core")
    for name in names:
        speed = results[name][1]
        for i, (prefix, (p, r, f, n)) in enumerate(summaries[name].items()):
            rate = f"{speed:8.1f}" if i == 0 else ""
            label = name if i == 0 else ""
            print(f"  {label:18s} {prefix:8s} {n:4d} {p:6.3f} {r:6.3f} {f:6.3f}  {rate}")
    if "govwatch" in results:
        ours = results["govwatch"][1]
        for peer in names:
            if peer != "govwatch":
                print(f"  govwatch speed / {peer}: {ours / results[peer][1]:.2f}x per core")
        for prefix, (*_, f, _n) in summaries["govwatch"].items():
            beaten = [
                peer for peer in names if peer != "govwatch" and summaries[peer][prefix][2] < f
            ]
            print(f"  govwatch F1 on {prefix}: above {', '.join(beaten) or 'no peer'}")
    for name in names:
        for key, p, r, f in sorted(results[name][0], key=lambda row: row[3])[:worst]:
            print(f"    {name} worst {key}: P={p:.3f} R={r:.3f} F1={f:.3f}")


def _walk_etree(root: object) -> int:
    return sum(1 for _ in root.iter())  # type: ignore[attr-defined]


_NOT_TEXT = ("script", "style", "title", "head", "noscript", "template")


def _visible(text: str) -> str:
    return "".join(text.split())


def parsers(pages: list[tuple[str, bytes, str]]) -> None:
    """Parse-and-walk time per candidate parser, and agreement with lxml.etree's text."""
    import lxml.html
    from lxml import etree

    from extractor import encoding, tree

    candidates: dict[str, Callable[[str], str]] = {}
    lxml_html_parser = lxml.html.HTMLParser(
        remove_comments=True, remove_pis=True, recover=True, no_network=True
    )

    def etree_text(root: etree._Element) -> str:
        _walk_etree(root)
        for el in list(root.iter(*_NOT_TEXT)):
            tree.drop_tree(el)
        body = root.find("body")
        return _visible("".join(body.itertext()) if body is not None else "")

    def with_etree(html: str) -> str:
        return etree_text(tree.parse(html))

    def with_lxml_html(html: str) -> str:
        return etree_text(lxml.html.document_fromstring(html, parser=lxml_html_parser))

    candidates["lxml.etree"] = with_etree
    candidates["lxml.html"] = with_lxml_html
    try:
        from bs4 import BeautifulSoup

        def with_bs4(html: str) -> str:
            soup = BeautifulSoup(html, "lxml")
            sum(1 for _ in soup.descendants)
            for el in soup(list(_NOT_TEXT)):
                el.decompose()
            body = soup.body
            return _visible(body.get_text() if body else "")

        candidates["bs4 (lxml builder)"] = with_bs4
    except ImportError:
        print("  (beautifulsoup4 not installed: skipped)")
    try:
        from selectolax.lexbor import LexborHTMLParser

        def with_lexbor(html: str) -> str:
            doc = LexborHTMLParser(html)
            sum(1 for _ in doc.root.traverse())
            doc.strip_tags(list(_NOT_TEXT))
            return _visible(doc.body.text(deep=True) if doc.body else "")

        candidates["lexbor (selectolax)"] = with_lexbor
    except ImportError:
        print("  (selectolax not installed: skipped)")

    htmls = [encoding.decode(data)[0] for _, data, _ in pages]
    baseline = [with_etree(html) for html in htmls]
    cpu = dict.fromkeys(candidates, 0.0)
    same = dict.fromkeys(candidates, 0)
    for html, expected in zip(htmls, baseline, strict=True):
        for name, parse in candidates.items():
            start = time.process_time()
            text = parse(html)
            cpu[name] += time.process_time() - start
            same[name] += text == expected
    print(f"\nparsers on {len(htmls)} decoded pages: parse + walk every node")
    print(f"  {'parser':20s} {'ms/page':>8s} {'vs lxml.etree':>14s} {'same text':>10s}")
    base = cpu["lxml.etree"]
    for name in candidates:
        agree = "-" if name == "lxml.etree" else f"{same[name]}/{len(htmls)}"
        per_page = 1000 * cpu[name] / len(htmls)
        print(f"  {name:20s} {per_page:8.2f} {base / cpu[name]:13.2f}x {agree:>10s}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, action="append", help="repeatable")
    parser.add_argument("--tools", default=",".join(TOOLS), help="comma-separated tool names")
    parser.add_argument("--worst", type=int, default=0, help="list the N worst pages per tool")
    parser.add_argument("--no-parsers", action="store_true", help="skip the parser table")
    parser.add_argument("--rounds", type=int, default=3,
                        help="passes over the pages; speed from each tool's fastest")
    args = parser.parse_args(argv)
    corpora = args.corpus or DEFAULT_CORPORA
    names = args.tools.split(",")
    everything: list[tuple[str, bytes, str]] = []
    for corpus in corpora:
        pages = load_corpus(corpus)
        if not pages:
            print(f"no <id>.html + <id>.txt pairs in {corpus}", file=sys.stderr)
            return 2
        report(corpus, names, pages, args.worst, args.rounds)
        everything += pages
    if not args.no_parsers:
        parsers(everything)
    return 0


if __name__ == "__main__":
    sys.exit(main())
