"""Benchmark: exact diffs of a 50,000-character report with 2 % of it edited in 40 places.

Run by hand: ``.venv/bin/python benchmarks/diff.py``.

The report is the seed texts concatenated (repeated to reach 50,000 characters). The 40
edits (seeded random) cycle through replacements, insertions and deletions of about 25
characters, 1,000 characters (2 %) in all, one per 1/40 of the text, within a paragraph
and with no digit at their edges (govwatch widens edits inside figures to whole numbers,
by design). Inserted text is drawn from CJK characters that do not occur in the report, so
the true edit is unambiguous: any correct minimal diff must report exactly the deleted and
inserted characters, no more, no fewer. Two stress scenarios follow: 10 % edited in 200
places, with and without paragraph breaks. After each table, the time the significance
score adds to a change event (it normalizes both texts and diffs them again).
"""

from __future__ import annotations

import difflib
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from diff_match_patch import diff_match_patch

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tracker.diff import diff_texts  # noqa: E402
from tracker.significance import significance  # noqa: E402

SEEDS = REPO.parent / "shared" / "seeds"
LENGTH = 50_000
EDITS = 40
EDITED_CHARS = LENGTH * 2 // 100


def build_report() -> str:
    texts = [p.read_text(encoding="utf-8").strip("\n") for p in sorted(SEEDS.glob("*.txt"))]
    if not texts:
        raise SystemExit(f"no seed texts in {SEEDS}")
    report = ""
    while len(report) < LENGTH:
        report += "\n".join(texts) + "\n"
    return report[:LENGTH]


def edit(
    report: str, edits: int = EDITS, edited_chars: int = EDITED_CHARS, seed: int = 20261123
) -> tuple[str, int, int]:
    """The edited report, and the true numbers of characters removed and added.

    Edits cycle through replacement, insertion and deletion; a replacement's span counts
    once towards edited_chars.
    """
    rng = random.Random(seed)
    used = set(report)
    alphabet = [chr(c) for c in range(0x4E00, 0x9FA6) if chr(c) not in used]
    mean = edited_chars // edits
    sizes = [mean + rng.randint(-mean // 3, mean // 3) for _ in range(edits)]
    sizes[-1] += edited_chars - sum(sizes)
    slot = len(report) // edits
    pieces, removed, added, cursor = [], 0, 0, 0
    for i, size in enumerate(sizes):
        kind = ("replace", "insert", "delete")[i % 3]
        length = 0 if kind == "insert" else size
        # Starts in the middle 3/4 of this edit's slot whose span, with one character on
        # each side, holds no newline and has no digit at its edges.
        starts = [
            start
            for start in range(i * slot + slot // 8, (i + 1) * slot - slot // 8 - length)
            if _clean_span(report[start - 1 : start + length + 1])
        ]
        if not starts:
            raise SystemExit(f"edit {i}: no place for {length} characters; use fewer edits")
        start = rng.choice(starts)
        end = start + length
        inserted = "" if kind == "delete" else "".join(rng.choice(alphabet) for _ in range(size))
        pieces += [report[cursor:start], inserted]
        removed += end - start
        added += len(inserted)
        cursor = end
    pieces.append(report[cursor:])
    return "".join(pieces), removed, added


def _clean_span(span: str) -> bool:
    """No newline inside, and no part of a number at either edge (see the docstring)."""
    edges = span[:2] + span[-2:]
    return "\n" not in span and not any(c.isdigit() or c in ".．" for c in edges)


def govwatch(old: str, new: str) -> tuple[int, int, str, str]:
    diff = diff_texts(old, new)
    return diff.chars_removed, diff.chars_added, diff.old_text(), diff.new_text()


def dmp_default(old: str, new: str) -> tuple[int, int, str, str]:
    dmp = diff_match_patch()  # Diff_Timeout = 1.0 s, checklines=True: the defaults
    return _counts(dmp.diff_main(old, new))


def dmp_chars(old: str, new: str) -> tuple[int, int, str, str]:
    dmp = diff_match_patch()  # default 1 s timeout, character mode only
    return _counts(dmp.diff_main(old, new, False))


def difflib_chars(old: str, new: str) -> tuple[int, int, str, str]:
    matcher = difflib.SequenceMatcher(None, old, new)  # autojunk=True, the default
    return _counts(_opcodes(matcher, old, new))


def difflib_paragraphs(old: str, new: str) -> tuple[int, int, str, str]:
    """SequenceMatcher on paragraphs, then on the characters of each replaced block."""
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    ops: list[tuple[int, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b).get_opcodes():
        old_block, new_block = "".join(a[i1:i2]), "".join(b[j1:j2])
        if tag == "replace":
            matcher = difflib.SequenceMatcher(None, old_block, new_block)
            ops += _opcodes(matcher, old_block, new_block)
        elif tag == "equal":
            ops.append((0, old_block))
        else:
            ops += [(-1, old_block), (1, new_block)]
    return _counts(ops)


def _opcodes(matcher: difflib.SequenceMatcher[str], a: str, b: str) -> list[tuple[int, str]]:
    ops = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops.append((0, a[i1:i2]))
        else:
            ops += [(-1, a[i1:i2]), (1, b[j1:j2])]
    return ops


def _counts(ops: list[tuple[int, str]]) -> tuple[int, int, str, str]:
    removed = sum(len(t) for op, t in ops if op == -1)
    added = sum(len(t) for op, t in ops if op == 1)
    old = "".join(t for op, t in ops if op <= 0)
    new = "".join(t for op, t in ops if op >= 0)
    return removed, added, old, new


def main() -> None:
    report = build_report()
    print(
        f"report: {len(report)} characters, {report.count(chr(10)) + 1} paragraphs "
        f"(seed texts repeated); every method's ops are checked to rebuild both texts\n"
    )
    for title, edits, percent, one_paragraph in (
        ("the brief: 2 % edited in 40 places", EDITS, 2, False),
        ("stress: 10 % edited in 200 places", 200, 10, False),
        ("stress: 10 % edited in 200 places, newlines removed (one paragraph)", 200, 10, True),
    ):
        old = report
        new, true_removed, true_added = edit(old, edits, len(old) * percent // 100)
        if one_paragraph:
            old, new = old.replace("\n", ""), new.replace("\n", "")  # edits avoid newlines
        print(f"{title}: true edit -{true_removed} +{true_added} characters")
        table(old, new, true_removed, true_added)
        scoring(old, new)
        print()


def scoring(old: str, new: str, repeats: int = 5) -> None:
    """What a change event costs on top of its diff: the significance score (normalizing
    both texts with NFKC and OpenCC t2s, then diffing the normalized texts again)."""
    significance(old, new, diff_texts(old, new))  # load OpenCC's dictionaries first
    times = []
    for _ in range(repeats):
        diff = diff_texts(old, new)
        started = time.perf_counter()
        score, reasons = significance(old, new, diff)
        times.append(time.perf_counter() - started)
    print(
        f"significance score on top of the diff: {statistics.median(times) * 1000:.1f} ms "
        f"(score {score}: {'; '.join(reasons)[:100]})"
    )


def table(old: str, new: str, true_removed: int, true_added: int) -> None:
    rows: list[tuple[str, Callable[[str, str], tuple[int, int, str, str]], int]] = [
        ("govwatch diff_texts", govwatch, 15),
        ("diff-match-patch, defaults (1 s timeout, line speedup)", dmp_default, 5),
        ("diff-match-patch, char mode (1 s timeout)", dmp_chars, 5),
        ("difflib, paragraphs then characters", difflib_paragraphs, 5),
        ("difflib, characters", difflib_chars, 3),
    ]
    header = f"| {'method':<55} | {'median time':>11} | {'reported -/+':>13} | "
    header += f"{'true -/+':>13} | exact |"
    print(header)
    print("|" + "|".join("-" * (len(c)) for c in header.split("|")[1:-1]) + "|")
    for name, run, repeats in rows:
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            removed, added, old_back, new_back = run(old, new)
            times.append(time.perf_counter() - started)
        assert old_back == old and new_back == new, f"{name} does not reconstruct the texts"
        exact = (removed, added) == (true_removed, true_added)
        print(
            f"| {name:<55} | {statistics.median(times) * 1000:>8.1f} ms | "
            f"{f'-{removed} +{added}':>13} | {f'-{true_removed} +{true_added}':>13} | "
            f"{'yes' if exact else 'no':<5} |"
        )


if __name__ == "__main__":
    main()
