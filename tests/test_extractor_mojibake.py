"""GBK misalignment mojibake: made-up damage, certain repairs, honest reports."""

from __future__ import annotations

from extractor import extract_text
from extractor.mojibake import find_spans, fix_line, script_charset


def test_real_question_marks_are_never_rewritten() -> None:
    line = "你們好嗎?我們很好。"
    assert fix_line(line, "big5")[0] == line
    assert find_spans("what? yes", "gb2312") == []


def test_repair_of_seed_like_damage() -> None:
    line = "為我們今後開展工作提供了根本遵循?!笔腥舜蟠?、厚街鎮"
    fixed, reports = fix_line(line, "big5")
    assert "”市人大" in fixed
    assert "笔腥舜蟠" not in fixed
    assert [kind for *_, kind in reports] == ["mojibake-partial"]


def test_unrepairable_span_reported_with_offsets() -> None:
    text = "正常的一段文字。\n這是\ue2a8€亂碼?!薄傲的段落。"
    result = extract_text(text)
    spans = [w for w in result.warnings if w["kind"] == "mojibake"]
    assert spans
    for w in spans:
        assert result.text[w["start"] : w["end"]]
        assert w["start"] >= len("正常的一段文字。\n")


def test_replacement_char_in_ordinary_text_is_not_rewritten() -> None:
    line = "出年会上的惊艳靓照、雷人\ufffd图和震撼视频。"
    fixed, reports = fix_line(line, "gb2312")
    assert "图和震撼视频" in fixed
    assert reports


def test_script_charset() -> None:
    assert script_charset(["這是繁體中文的報告，經濟發展。"]) == "big5"
    assert script_charset(["这是简体中文的报告，经济发展。"]) == "gb2312"
