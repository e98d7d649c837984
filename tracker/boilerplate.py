"""Page furniture that changes on its own and says nothing about a document: rules as data.

The extractor removes most of it; what slips through (a view counter inside the article
box, a "last updated" stamp, a footer year, print/share controls) must not make a change
look significant. The patterns run on text already normalized for significance: NFKC
(so `：` is `:` and `（` is `(`), simplified script, no whitespace inside a paragraph.

Each rule has a label, used in the reason given for a score of 0.
"""

from __future__ import annotations

import re

_DATE = (
    r"(?:\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?|\d{1,2}[-/.月]\d{1,2}日?|\d{4}年\d{1,2}月)"
    r"(?:\d{1,2}[:时点]\d{1,2}(?:[:分]\d{1,2}秒?)?分?)?"
    r"(?:星期[一二三四五六日天]|周[一二三四五六日天])?"
)
_COUNT = r"\[?\d[\d,]*\]?(?:次|人次)?"

# Spans inside a paragraph: (label, pattern). Only the span is ignored, not its paragraph.
SPANS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "view counter",
        re.compile(
            # A label and a colon ("浏览次数:1234"), or "1234次浏览": prose says neither.
            rf"(?:浏览|阅读|点击|访问)(?:次数|数|量|人次)?:{_COUNT}"
            r"|(?:已有|共有)?\[?\d[\d,]*\]?次(?:浏览|阅读|点击)"
            rf"|(?:views?|hits|pageviews):{_COUNT}",
            re.I,
        ),
    ),
    (
        "last-updated date",
        re.compile(
            # Labels only: "该规划更新于2024年3月" in prose is a real date.
            rf"(?:网站|页面|本页)?(?:最后|最近)?更新(?:时间|日期):{_DATE}"
            rf"|(?:网站|页面|本页)?(?:最后|最近)(?:更新|修改)(?:时间|日期|于)?:?{_DATE}"
            rf"|last(?:updated|modified):?{_DATE}",
            re.I,
        ),
    ),
    ("today's date", re.compile(rf"今天是:?{_DATE}")),
    (
        "footer date",
        re.compile(r"(?:copyright|©|\(c\)|版权所有)[^\n]{0,40}?\d{4}(?:-\d{4})?", re.I),
    ),
)

# Whole short paragraphs that are controls, not content (print, close, share, font size).
CONTROL_LINE = re.compile(
    r"^(?:[【\[(]?(?:打印本页|打印|关闭窗口|关闭|收藏本页|加入收藏|返回顶部|返回|分享到:?"
    r"(?:微信|微博|QQ空间|QQ|朋友圈|新浪微博|腾讯微博)*|字[号体]:?(?:大|中|小|默认)*"
    r"|扫一扫在手机打开当前页|[大中小]|我要纠错|纠错)[】\])]?)+$",
    re.I,
)
CONTROL_LINE_MAX = 40  # longer paragraphs are prose even if they start like a control


def strip_boilerplate(text: str) -> tuple[str, list[str]]:
    """The text without furniture, and the labels of the rules that removed something."""
    labels: list[str] = []
    paragraphs = []
    for paragraph in text.split("\n"):
        if len(paragraph) <= CONTROL_LINE_MAX and CONTROL_LINE.match(paragraph):
            labels.append("print/share controls")
            continue
        for label, pattern in SPANS:
            paragraph, found = pattern.subn("", paragraph)
            if found:
                labels.append(label)
        if paragraph:
            paragraphs.append(paragraph)
    return "\n".join(paragraphs), labels
