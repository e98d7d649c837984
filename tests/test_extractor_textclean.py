"""Text cleaning on the five seed texts and on small made-up lines."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor import extract_text
from extractor import rules as r
from extractor.textclean import chrome_flags, clean_lines, is_chrome

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
needs_seeds = pytest.mark.skipif(not SEED_FILES, reason=f"seed texts not found in {SEEDS}")

PINYIN = re.compile(r"[\u4e00-\u9fff]\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")
CHROME_LINES = ("頭部", "ico", "文件", "其他", "媒體報道")
CHROME = (
    "【字體",
    "掃一掃在手機打開當前頁",
    "主辦單位",
    "網站標識碼",
    "ICP備",
    "公網安備",
    "分享到",
    "相關新聞",
    "您訪問的鏈接即將離開",
    "观山文库",
    "预计阅读时长",
    "领取福利",
    "微信扫码",
    "第27/65页",
    "相關附件",
    "相关新闻",
    "糖心vlog",
    "香蕉在线视频",
)


def seed(prefix: str) -> str:
    matches = [p for p in SEED_FILES if p.name.startswith(prefix)]
    if not matches:
        pytest.skip(f"seed {prefix} missing")
    return matches[0].read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def cleaned() -> dict[str, object]:
    return {p.name[:3]: extract_text(p.read_text(encoding="utf-8")) for p in SEED_FILES}


@needs_seeds
@pytest.mark.parametrize("key", ["000", "001", "002", "003", "004"])
def test_seed_has_no_artifacts_left(cleaned: dict, key: str) -> None:
    result = cleaned[key]
    assert result.text, result.warnings
    assert not PINYIN.search(result.text), PINYIN.search(result.text)
    for phrase in CHROME:
        assert phrase not in result.text, phrase
    lines = result.text.split("\n")
    for line in CHROME_LINES:
        assert line not in lines, line
    assert not re.search(r",[，。、；！]|,,", result.text)
    assert "\u3000" not in result.text
    assert all(line == line.strip() for line in result.text.split("\n"))


@needs_seeds
def test_seed_report_paragraphs_kept(cleaned: dict) -> None:
    text_003 = cleaned["003"].text
    assert "政府工作報告" in text_003
    assert "肖洪" in text_003
    assert "各位代表：" in text_003 or "各位代表:" in text_003
    assert "現在，我代表長安鎮人民政府，向大會報告政府工作" in text_003
    assert "2023年工作回顧" in text_003
    assert "——2024年2月27日在長安鎮第十八屆" in text_003
    assert "來源: 本網" not in text_003  # the byline feeds the metadata instead
    assert (cleaned["003"].published_at, cleaned["003"].publisher) == (
        "2024-02-26T15:01:56",
        "本網",
    )
    assert cleaned["003"].title == "2024年長安鎮政府工作報告"
    assert "發展" in cleaned["000"].text and "經濟" in cleaned["000"].text
    text_004 = cleaned["004"].text
    assert text_004.startswith("今年全镇经济社会发展的主要预期目标是")
    assert "完善最低生活保障制度。" in text_004
    assert "“三大戰役”厚街交出亮麗答卷" in cleaned["002"].text
    # a report paragraph of 001 survives whole
    assert "年度实现地区生产总值665.48亿元" in cleaned["001"].text


@needs_seeds
def test_seed_real_parentheses_survive(cleaned: dict) -> None:
    assert "雙提升（執行力提升" in cleaned["000"].text or "雙提升(執行力提升" in cleaned["000"].text
    assert "(扩大)会议" in cleaned["001"].text or "（扩大）会议" in cleaned["001"].text
    assert "縣(區)" in cleaned["003"].text


@needs_seeds
@pytest.mark.parametrize("key", ["000", "002", "003"])
def test_seed_mojibake_repaired_or_reported(cleaned: dict, key: str) -> None:
    result = cleaned[key]
    reported = [(w["start"], w["end"]) for w in result.warnings if w["kind"].startswith("mojibake")]
    assert reported, "every mojibake seed has at least one span to report"
    for start, end in reported:
        assert 0 <= start < end <= len(result.text)
    # Every remaining undecodable marker next to CJK lies inside a reported span.
    for match in re.finditer(r"[\ufffd\ue000-\uf8ff]|(?<=[\u4e00-\u9fff])\?", result.text):
        assert any(s <= match.start() < e for s, e in reported), result.text[
            match.start() - 5 : match.end() + 5
        ]


@needs_seeds
def test_seed_000_mojibake_repair_is_the_certain_part(cleaned: dict) -> None:
    text = cleaned["000"].text
    assert "根本遵循”市人大" in text
    assert "笔腥舜蟠" not in text


@needs_seeds
def test_simplified_text_for_traditional_seed(cleaned: dict) -> None:
    result = cleaned["003"]
    assert "政府工作报告" in result.text_simplified
    assert result.text_simplified.count("\n") == result.text.count("\n")
    simple = cleaned["001"]
    assert simple.text_simplified == simple.text


def test_pinyin_only_after_cjk_and_with_tone() -> None:
    text = extract_text("經(jīng)濟發(fā)展要(研究)決定，版本(v2)和f(x)不變。").text
    assert text == "經濟發展要(研究)決定，版本(v2)和f(x)不變。"


def test_commas() -> None:
    assert (
        extract_text("現在,,我代表政府,、鎮委,；意見,。好,！").text
        == "現在，我代表政府、鎮委；意見。好！"
    )
    assert extract_text("要求,目標").text == "要求，目標"
    assert extract_text("1,000 apples, 2 pears").text == "1,000 apples, 2 pears"


def test_letter_spaced_headings_joined() -> None:
    assert extract_text("政 府 工 作 報 告").text == "政府工作報告"
    assert extract_text("長安鎮人民政府鎮長  肖 洪").text == "長安鎮人民政府鎮長 肖洪"
    assert extract_text("我们 今天 开会").text == "我们 今天 开会"


def test_spaces_and_indentation() -> None:
    assert extract_text("\u3000\u3000第一段。\n\n  \u00a0第二段。 ").text == "第一段。\n第二段。"


def test_spam_line_dropped_but_prose_with_commas_kept() -> None:
    spam = "国产精品自产自拍|久久香蕉国产精品|91麻豆免费国产视频|成人一区二区在线电影"
    prose = "国产品牌、在线服务、视频会议系统等方面取得进展，成人教育稳步发展。"
    assert extract_text(f"{spam}\n{prose}").text == prose


def test_chrome_and_trailing_menu_dropped() -> None:
    lines = ["正文第一段，内容很长很长很长很长很长。", "附件:", "相关附件", "媒体报道", "其他"]
    assert clean_lines(lines).text == "正文第一段，内容很长很长很长很长很长。"
    for chrome in (
        "打印本页",
        "关闭窗口",
        "【字号：大 中 小】",
        "扫一扫在手机打开当前页",
        "分享到：",
    ):
        assert extract_text(f"正文。\n{chrome}").text == "正文。"
    footer = "主办单位：某市人民政府办公室 网站标识码：4419000098 粤ICP备19114884号"
    assert extract_text(f"正文。\n{footer}").text == "正文。"


def test_rules_module_is_data_only() -> None:
    source = Path(r.__file__).read_text(encoding="utf-8")
    assert "\ndef " not in source and "\nclass " not in source


_CHROME_PIECES = [
    "主办", "单位", "：", ":", " ", "\n", "\u3000", "ICP备", "icp备", "版权所有", "Copyright",
    "分享到", "朋友圈", "未经", "授权", "不得", "转载", "打印", "返回顶部", "第1/3页",
    "(第2/5页)", "扫一扫在手机", "正文内容", "。", "x" * 190, "2024",
]


@given(st.lists(st.lists(st.sampled_from(_CHROME_PIECES), max_size=8).map("".join), max_size=12))
@settings(max_examples=300, deadline=None)
def test_chrome_flags_answer_as_is_chrome_line_by_line(lines: list[str]) -> None:
    """The one-search form agrees with the per-line test, also where a phrase spans lines."""
    lines = [line.replace("\n", "") for line in lines]
    assert chrome_flags(lines) == [is_chrome(line) for line in lines]
