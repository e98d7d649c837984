"""Patterns written for the regex engine's speed match exactly what their plain forms match.

CHROME_PHRASES and HIDDEN_STYLE start every alternative with a literal character so that
the engine skips ahead to those characters; these are the straightforward spellings.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from extractor import mojibake, rules

PLAIN_CHROME_PHRASES = re.compile(
    r"网站标识码|icp备|icp证|公网安备|主办单位|承办单位|主办\s*[:：]|承办\s*[:：]|技术支持\s*[:：]|"
    r"版权所有|copyright|©|备案号|扫一扫在手机|记住我[,，]?来上我|预计阅读时长|共计\d+个字|"
    r"微信扫码|在手机打开当前页|[(（]第\d+/\d+页[)）]|即将离开.{0,10}网站|建议使用.{0,20}浏览器|分辨率浏览|"
    r"分享[至到给](?:微信)?朋友圈|打开微信|未经.{0,30}(?:授权|许可|同意).{0,30}(?:不得|禁止|严禁)|"
    r"(?:不得|禁止|严禁|谢绝)(?:以任何(?:形式|方式))?(?:转载|复制|摘编)"
)
PLAIN_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|"
    r"(?<![-\w])font-size\s*:\s*0(?:\.0+)?(?:px|pt|em|rem|%)?\s*(?:;|$|!)|"
    r"(?:left|top|text-indent)\s*:\s*-\d{3,}|"
    r"(?<![-\w])(?:width|height)\s*:\s*0(?:px)?\s*;.*overflow\s*:\s*hidden"
)

_CHROME_PIECES = [
    "主办", "承办", "单位", "：", ":", " ", "\n", "icp备", "版权所有", "copyright", "©", "(", "（",
    "第", "12", "/", "页", ")", "）", "即将离开", "本", "网站", "未经", "授权", "不得", "禁止",
    "谢绝", "以任何", "形式", "转载", "摘编", "分享到", "朋友圈", "正文", "x",
]
_STYLE_PIECES = [
    "display", "visibility", ":", " ", "none", "hidden", "font-size", "line-", "x", "-", "0",
    "0px", "px", ";", "!", "left", "top", "text-indent", "999", "width", "height", "max-",
    "overflow", "1",
]


@given(st.lists(st.sampled_from(_CHROME_PIECES), max_size=14).map("".join))
@settings(max_examples=500, deadline=None)
def test_chrome_phrases_match_as_the_plain_pattern(text: str) -> None:
    fast = [m.span() for m in rules.CHROME_PHRASES.finditer(text)]
    assert fast == [m.span() for m in PLAIN_CHROME_PHRASES.finditer(text)]


@given(st.lists(st.sampled_from(_STYLE_PIECES), max_size=14).map("".join))
@settings(max_examples=500, deadline=None)
def test_hidden_style_matches_as_the_plain_pattern(style: str) -> None:
    fast = [m.span() for m in rules.HIDDEN_STYLE.finditer(style)]
    assert fast == [m.span() for m in PLAIN_HIDDEN_STYLE.finditer(style)]


@given(st.text(alphabet="?\ufffd\ue000a文。 ，!", max_size=20))
@settings(max_examples=300, deadline=None)
def test_mojibake_spans_need_an_anchor_character(line: str) -> None:
    """The quick pre-scan only skips lines where the anchor pattern finds nothing."""
    if rules.MOJIBAKE_ANCHOR.search(line):
        assert mojibake.find_spans(line)
    else:
        assert mojibake.find_spans(line) == []


PLAIN_PINYIN_ANNOTATION = re.compile(
    rf"(?<=[{rules.CJK}])\((?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])"
    r"[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)"
)
PLAIN_CJK_COMMA = re.compile(rf"(?<=[{rules.CJK}”」》）]),(?=[{rules.CJK}“「《（])")


@given(st.text(alphabet="發展(fāzhǎn)a,，”「 文", max_size=24))
@settings(max_examples=500, deadline=None)
def test_pinyin_and_comma_patterns_match_as_the_plain_ones(line: str) -> None:
    for fast, plain in ((rules.PINYIN_ANNOTATION, PLAIN_PINYIN_ANNOTATION),
                        (rules.CJK_COMMA, PLAIN_CJK_COMMA)):
        assert [m.span() for m in fast.finditer(line)] == [m.span() for m in plain.finditer(line)]
