"""Score govwatch's extractor against readability-lxml and trafilatura on one corpus, in one run.

Usage: .venv/bin/python benchmarks/extraction.py [--corpus DIR] [--tools govwatch,...] [--worst N]

The corpus is a folder of ``<id>.html`` (original bytes) and ``<id>.txt`` (reference text).
Scoring is the shared scorer's (``shared/tools/score_extraction.py``): both sides NFKC
normalised, all white space removed, the longest common subsequence from diff-match-patch
gives character precision, recall and F1 per page; means are printed per id prefix
(``daniel-``, ``autumn-``) and overall, with pages per second of extraction time.

Every tool gets the page's raw bytes:
- govwatch: ``extractor.extract(data)``;
- readability-lxml: ``Document(data).summary()`` (readability decodes bytes itself with its
  meta-charset/chardet-style detection), then the text of that HTML via lxml;
- trafilatura: ``trafilatura.extract(data)`` (trafilatura decodes bytes itself).
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
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "dev"
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

    dmp = diff_match_patch()
    dmp.Diff_Timeout = 5
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


def bench(name: str, pages: list[tuple[str, bytes, str]]) -> tuple[list[tuple], float]:
    tool = TOOLS[name]
    tool(pages[0][1])  # warm up imports so that pages/s measures extraction only
    outputs, elapsed = {}, 0.0
    for key, data, _ in pages:
        start = time.perf_counter()
        try:
            outputs[key] = tool(data)
        except Exception as exc:  # a peer failing on one page scores 0 there, as in the scorer
            print(f"  {name} failed on {key}: {exc!r}", file=sys.stderr)
            outputs[key] = ""
        elapsed += time.perf_counter() - start
    rows = [(key, *prf(ref, outputs[key])) for key, _, ref in pages]
    return rows, len(pages) / elapsed if elapsed else float("inf")


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--tools", default=",".join(TOOLS), help="comma-separated tool names")
    parser.add_argument("--worst", type=int, default=0, help="list the N worst pages per tool")
    args = parser.parse_args(argv)
    pages = load_corpus(args.corpus)
    if not pages:
        print(f"no <id>.html + <id>.txt pairs in {args.corpus}", file=sys.stderr)
        return 2
    print(f"corpus {args.corpus}: {len(pages)} pages")
    for name in args.tools.split(","):
        rows, speed = bench(name, pages)
        print(f"\n{name}  ({speed:.1f} pages/s)")
        print(f"  {'prefix':8s} {'n':>4s} {'P':>6s} {'R':>6s} {'F1':>6s}")
        for prefix, (p, r, f, n) in summarise(rows).items():
            print(f"  {prefix:8s} {n:4d} {p:6.3f} {r:6.3f} {f:6.3f}")
        for key, p, r, f in sorted(rows, key=lambda row: row[3])[: args.worst]:
            print(f"    worst {key}: P={p:.3f} R={r:.3f} F1={f:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
