"""tracker.render: unified text, inline and side-by-side HTML, alert snippets."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from tracker.diff import diff_texts
from tracker.render import changed_passages, render_html, render_side_by_side, render_text

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>&amp;'
ALLOWED_TAGS = {"div", "p", "del", "ins", "table", "thead", "tbody", "tr", "th", "td", "span", "br"}


@pytest.fixture(scope="module")
def report(seed_report: str) -> str:
    return seed_report


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)

    def handle_data(self, data: str) -> None:
        self.text += data


def parse(markup: str) -> _Tags:
    parser = _Tags()
    parser.feed(markup)
    parser.close()
    return parser


def test_changed_figure_in_text_and_passages(report: str) -> None:
    diff = diff_texts(report, report.replace("665.48亿元", "685.48亿元"))
    text = render_text(diff)
    assert text.startswith("@@ ¶1 @@\n")
    assert "[-665.48-]{+685.48+}亿元" in text
    assert text.count("@@") == 2  # one hunk
    [passage] = changed_passages(diff)
    assert "[-665.48-]{+685.48+}亿元,全市第4" in passage
    assert passage.startswith("…") and passage.endswith("…")
    assert "\n" not in passage


def test_hunks_are_separated_and_numbered(report: str) -> None:
    paragraphs = report.split("\n")
    paragraphs[9] = paragraphs[9].replace("。", "！", 1)
    paragraphs[40] = "【新增】" + paragraphs[40]
    diff = diff_texts(report, "\n".join(paragraphs))
    text = render_text(diff, context=10)
    hunks = text.strip().split("\n\n")
    assert len(hunks) == 2
    assert hunks[0].startswith("@@ ¶10 @@") and "[-。-]{+！+}" in hunks[0]
    assert hunks[1].startswith("@@ ¶41 @@") and "{+【新增】+}" in hunks[1]
    assert render_text(diff_texts(report, report)) == ""


def test_deleted_paragraph_and_move_markers(report: str) -> None:
    paragraphs = report.split("\n")
    deleted = paragraphs.pop(3)
    moved = paragraphs.pop(10)
    paragraphs.insert(30, moved)
    diff = diff_texts(report, "\n".join(paragraphs))
    text = render_text(diff)
    assert f"[-{deleted}↵-]" in text
    assert "[~moved to ¶31: " in text and "{~moved from ¶12: " in text
    passages = changed_passages(diff)
    assert len(passages) == 2  # the deletion, and the move shown once at its new place
    assert "{~moved from ¶12: " in passages[1]
    inline = render_html(diff)
    assert '<del class="move" title="moved to ¶31">' in inline
    assert '<ins class="move" title="moved from ¶12">' in inline


def test_passages_are_limited_and_short(report: str) -> None:
    paragraphs = report.split("\n")
    for i in range(0, 50, 5):
        paragraphs[i] = "修订" + paragraphs[i]
    paragraphs[2] = "长" * 500
    diff = diff_texts(report, "\n".join(paragraphs))
    passages = changed_passages(diff, context=20, limit=3)
    assert len(passages) == 3
    assert all(len(p) < 300 for p in passages)


@pytest.mark.parametrize("render", [render_html, render_side_by_side])
def test_html_escapes_everything(render, report: str) -> None:
    old = f"第一段{HOSTILE}结束。\n第二段。\n{HOSTILE}段落将被移动。\n第四段。"
    new = f"第一段{HOSTILE.replace('x', 'y')}结束。\n第二段。\n第四段。\n{HOSTILE}段落将被移动。"
    markup = render(diff_texts(old, new))
    assert "<script" not in markup and "<img" not in markup
    assert "&lt;script&gt;" in markup
    parsed = parse(markup)
    assert parsed.tags <= ALLOWED_TAGS
    assert "<script>" in parsed.text  # shown to the reader as text


def test_inline_html_has_a_paragraph_per_paragraph(report: str) -> None:
    new = report.replace("665.48亿元", "685.48亿元")
    markup = render_html(diff_texts(report, new))
    assert markup.count("<p>") == report.count("\n") + 1
    assert "<del>665.48</del><ins>685.48</ins>亿元" in markup


def test_side_by_side_rows(report: str) -> None:
    old = "甲段。\n乙段，增长5%。\n丙段。"
    new = "甲段。\n乙段，增长6%。\n丙段。\n丁段新增。"
    markup = render_side_by_side(diff_texts(old, new))
    rows = markup.split("<tr")[2:]  # after the header row
    assert len(rows) == 4
    assert '<td class="old"><span class="pn">2</span> 乙段，增长<del>5</del>%。</td>' in rows[1]
    assert '<td class="new"><span class="pn">2</span> 乙段，增长<ins>6</ins>%。</td>' in rows[1]
    assert 'class="changed"' in rows[1] and 'class="changed"' not in rows[0]
    assert '<td class="old empty"></td>' in rows[3] and "丁段新增" in rows[3]


def test_text_rendering_neutralises_control_characters() -> None:
    diff = diff_texts("标题\x1b[2J正文", "标题\x1b[2J正文修改")
    assert "\x1b" not in render_text(diff)
    assert all("\x1b" not in p for p in changed_passages(diff))
