"""tracker.diff: exact paragraph-then-character diffs, moves, and the reconstruction property."""

from __future__ import annotations

import random
import time
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.diff import Diff, Op, diff_texts

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


@pytest.fixture(scope="module")
def report(seed_report: str) -> str:
    return seed_report


@pytest.fixture(scope="module")
def long_report() -> str:
    """All seeds concatenated and repeated to 50,000 characters."""
    texts = [p.read_text(encoding="utf-8").strip("\n") for p in sorted(SEEDS.glob("*.txt"))]
    if not texts:
        pytest.skip(f"seed texts not found in {SEEDS}")
    text = ""
    while len(text) < 50_000:
        text += "\n".join(texts) + "\n"
    return text[:50_000]


def changes(diff: Diff, kind: str) -> list[str]:
    return [op.text for op in diff.ops if op.kind == kind]


def check_invariants(old: str, new: str, diff: Diff) -> None:
    assert diff.old_text() == old
    assert diff.new_text() == new
    assert diff.chars_added == sum(len(t) for t in changes(diff, "insert"))
    assert diff.chars_removed == sum(len(t) for t in changes(diff, "delete"))
    assert all(op.text for op in diff.ops)
    assert diff.changed == (old != new)
    moves = [op for op in diff.ops if op.kind == "move"]
    old_side = Counter(op.text for op in moves if op.side == "old")
    new_side = Counter(op.text for op in moves if op.side == "new")
    assert old_side == new_side  # every move appears once at each place
    assert all(op.side is None for op in diff.ops if op.kind != "move")


def test_identical_texts(report: str) -> None:
    diff = diff_texts(report, report)
    assert diff.ops == [Op("equal", report)]
    assert (diff.chars_added, diff.chars_removed, diff.changed) == (0, 0, False)
    assert diff_texts("", "").ops == []


def test_changed_figure_is_exactly_that_figure(report: str) -> None:
    assert report.count("665.48亿元") == 1
    new = report.replace("665.48亿元", "685.48亿元")
    diff = diff_texts(report, new)
    # One digit differs, but the whole figure is shown and counted.
    assert changes(diff, "delete") == ["665.48"]
    assert changes(diff, "insert") == ["685.48"]
    assert (diff.chars_removed, diff.chars_added) == (6, 6)
    check_invariants(report, new, diff)


@pytest.mark.parametrize(
    ("old", "new", "deleted", "inserted"),
    [
        ("增长12.5%,好", "增长12%,好", ["12.5"], ["12"]),
        ("价格123元", "价格1253元", ["123"], ["1253"]),
        ("共25.6亿元", "共9999.9亿元", ["25.6"], ["9999.9"]),
        ("2023年工作", "2024年工作", ["2023"], ["2024"]),
    ],
)
def test_edits_inside_figures_widen_to_the_figure(
    old: str, new: str, deleted: list[str], inserted: list[str]
) -> None:
    diff = diff_texts(old, new)
    assert (changes(diff, "delete"), changes(diff, "insert")) == (deleted, inserted)
    check_invariants(old, new, diff)


def test_deleted_paragraph_is_one_deletion(report: str) -> None:
    paragraphs = report.split("\n")
    gone = paragraphs.pop(7)
    new = "\n".join(paragraphs)
    diff = diff_texts(report, new)
    assert len(changes(diff, "delete")) == 1
    assert changes(diff, "delete")[0].strip("\n") == gone
    assert diff.chars_removed == len(gone) + 1 and diff.chars_added == 0
    check_invariants(report, new, diff)


def test_inserted_paragraph_is_one_insertion(report: str) -> None:
    paragraphs = report.split("\n")
    added = "新增段落：全年完成固定资产投资120.5亿元。"
    new = "\n".join([*paragraphs[:12], added, *paragraphs[12:]])
    diff = diff_texts(report, new)
    assert [t.strip("\n") for t in changes(diff, "insert")] == [added]
    assert diff.chars_added == len(added) + 1 and diff.chars_removed == 0
    check_invariants(report, new, diff)


def test_moved_paragraph_is_a_move(report: str) -> None:
    paragraphs = report.split("\n")
    moved = paragraphs.pop(5)
    paragraphs.insert(20, moved)
    new = "\n".join(paragraphs)
    diff = diff_texts(report, new)
    moves = [op for op in diff.ops if op.kind == "move"]
    assert [(op.side, op.text) for op in moves] == [("old", moved + "\n"), ("new", moved + "\n")]
    assert (diff.chars_added, diff.chars_removed) == (0, 0)
    assert diff.changed
    check_invariants(report, new, diff)


def test_last_paragraph_moved_to_the_front() -> None:
    old = "第一段内容。\n第二段内容。\n第三段内容。"
    new = "第三段内容。\n第一段内容。\n第二段内容。"
    diff = diff_texts(old, new)
    assert [op.text for op in diff.ops if op.kind == "move"] == ["第三段内容。"] * 2
    # Only the newline that the last paragraph lacked is reported.
    assert (diff.chars_added, diff.chars_removed) == (1, 1)
    check_invariants(old, new, diff)


def test_edits_and_a_move_together(report: str) -> None:
    paragraphs = report.split("\n")
    moved = paragraphs.pop(30)
    paragraphs.insert(3, moved)
    paragraphs[10] = paragraphs[10][:20] + "（修订）" + paragraphs[10][20:]
    new = "\n".join(paragraphs)
    diff = diff_texts(report, new)
    assert changes(diff, "insert") == ["（修订）"]
    assert changes(diff, "delete") == []
    assert [op.side for op in diff.ops if op.kind == "move"] == ["new", "old"]
    check_invariants(report, new, diff)


def _edit(text: str, count: int, total: int, seed: int) -> tuple[str, int, int]:
    """Replace `count` spans (no newline or digit at the edges) by unused characters."""
    rng = random.Random(seed)
    used = set(text)
    unused = [chr(c) for c in range(0x4E00, 0x9FA6) if chr(c) not in used]
    slot, size = len(text) // count, total // count
    out, cursor = [], 0
    for i in range(count):
        starts = [
            s
            for s in range(i * slot + slot // 4, (i + 1) * slot - slot // 4 - size)
            if "\n" not in text[s - 1 : s + size + 1]
            and not any(c.isdigit() for c in _edges(text, s, s + size))
        ]
        start = rng.choice(starts)
        out += [text[cursor:start], "".join(rng.choice(unused) for _ in range(size))]
        cursor = start + size
    out.append(text[cursor:])
    return "".join(out), count * size, count * size


def _edges(text: str, start: int, end: int) -> str:
    return text[start - 1 : start + 1] + text[end - 1 : end + 1]


@pytest.mark.parametrize("one_paragraph", [False, True], ids=["paragraphs", "one-paragraph"])
def test_long_report_with_40_edits_is_exact_and_fast(long_report: str, one_paragraph: bool) -> None:
    old = long_report.replace("\n", "") if one_paragraph else long_report
    new, removed, added = _edit(old, 40, len(old) * 2 // 100, seed=7)
    started = time.perf_counter()
    diff = diff_texts(old, new)
    elapsed = time.perf_counter() - started
    assert (diff.chars_removed, diff.chars_added) == (removed, added)
    assert diff.exact
    check_invariants(old, new, diff)
    # The benchmark measures ~6 ms; the bound only catches a fall back to slow paths.
    assert elapsed < 0.5


def test_a_rewrite_is_replaced_whole_quickly_and_says_so(long_report: str) -> None:
    old, new = long_report[:20_000], long_report[20_000:40_000]
    started = time.perf_counter()
    diff = diff_texts(old, new)
    assert time.perf_counter() - started < 6
    assert not diff.exact  # too costly to diff exactly: reported as replaced, and flagged
    check_invariants(old, new, diff)


# Texts built from paragraphs over a small alphabet, so that equal paragraphs, moves, figures
# and near-misses are frequent.
_paragraph = st.text(alphabet="发展经济12.5%，。 ", max_size=12)
_texts = st.lists(_paragraph, max_size=8).map("\n".join)


@st.composite
def _text_pairs(draw: st.DrawFn) -> tuple[str, str]:
    old = draw(st.lists(_paragraph, max_size=8))
    new = list(old)
    for _ in range(draw(st.integers(0, 4))):
        action = draw(st.sampled_from(["move", "edit", "insert", "delete"]))
        if action == "insert" or not new:
            new.insert(draw(st.integers(0, len(new))), draw(_paragraph))
            continue
        i = draw(st.integers(0, len(new) - 1))
        if action == "move":
            new.insert(draw(st.integers(0, len(new) - 1)), new.pop(i))
        elif action == "edit":
            new[i] = draw(_paragraph) + new[i][: draw(st.integers(0, 5))]
        else:
            new.pop(i)
    return "\n".join(old) + draw(st.sampled_from(["", "\n"])), "\n".join(new)


@settings(max_examples=300, deadline=None)
@given(_text_pairs())
def test_ops_rebuild_both_texts_for_edited_pairs(pair: tuple[str, str]) -> None:
    old, new = pair
    check_invariants(old, new, diff_texts(old, new))


@settings(max_examples=200, deadline=None)
@given(_texts, _texts)
def test_ops_rebuild_both_texts_for_any_pair(old: str, new: str) -> None:
    check_invariants(old, new, diff_texts(old, new))
