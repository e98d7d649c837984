"""A changed figure as the text says it: what it measures, the number, and its unit.

``地区生产总值完成8.3亿元`` → measure ``地区生产总值``, figure ``8.3``, unit ``亿元``. The
measure is the clause before the figure, without the verbs that only link it to the number
(完成, 达到, 为 ...) and without the scope or time words that open a clause (全镇, 全年 ...).
Patterns are data; they name no site.
"""

from __future__ import annotations

import re

# Units written right after a number: an optional magnitude, then what is counted.
UNIT = re.compile(
    r"\s*(?:个百分点"
    r"|[万亿千百]*(?:美元|港元|元|吨|千瓦时|千瓦|公里|千米|平方米|平方公里|立方米|公顷|亩|米"
    r"|人次|人|户|家|个|件|宗|项|辆|所|套|次|台|座|张|条|倍|岁|天|年|月|日|号|小时|分钟)"
    r"|[万亿])"
)
# Where a clause starts: the measure never reaches back past one of these.
CLAUSE_BREAK = re.compile(r"[，,。；;：:！!？?、\n（(）)“”\"]")
# Words that only link a measure to its number, at the end of the clause before the figure.
LINKING = re.compile(
    r"(?:完成|达到|实现|共计|累计|合计|总计|总额|约为|约|达|为|是|共|近|超过|超|突破|不足|仅)+$"
)
# Scope and time words (and the verbs after them) that open a clause before the measure.
OPENING = re.compile(
    r"^(?:其中|全镇|全市|全区|全县|全省|全国|全年|今年|去年|上年|本年|当年|同期|年度|年内"
    r"|实现|完成|累计|共"
    r"|[上下]半年|前三季度|一季度|二季度|三季度|四季度"
    r"|\d{4}年(?:\d{1,2}(?:[至到-]\d{1,2})?月(?:份)?)?)+"
)
MEASURE_MAX = 16  # characters: a longer clause keeps its end, next to the figure


def unit_after(text: str, end: int) -> str:
    """The unit written right after a figure ending at ``end`` ('' for none)."""
    if text[end - 1 : end] in "%‰％":
        return ""
    match = UNIT.match(text, end)
    return match.group().strip() if match else ""


def measure_before(text: str, start: int) -> str:
    """What a figure starting at ``start`` measures, as the clause before it says ('' if
    the figure opens its clause)."""
    head = text[:start]
    breaks = list(CLAUSE_BREAK.finditer(head))
    clause = head[breaks[-1].end() :] if breaks else head
    clause = LINKING.sub("", clause.strip())
    clause = OPENING.sub("", clause)
    clause = clause.rstrip("第约近超")
    return clause[-MEASURE_MAX:]
