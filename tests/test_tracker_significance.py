"""tracker.significance: cosmetic changes score 0, figures/paragraphs/titles at least 0.5."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from tracker.diff import diff_texts
from tracker.significance import significance

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def seed(prefix: str) -> str:
    path = next(iter(sorted(SEEDS.glob(f"{prefix}_*.txt"))), None)
    if path is None:
        pytest.skip(f"seed texts not found in {SEEDS}")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def report() -> str:
    return seed("001")  # simplified script


def score(old: str, new: str, **titles: str) -> tuple[float, list[str]]:
    return significance(old, new, diff_texts(old, new), **titles)


def converter(config: str):
    opencc = pytest.importorskip("opencc")
    return opencc.OpenCC(config)


def test_identical_is_zero_without_reasons(report: str) -> None:
    assert score(report, report) == (0.0, [])


def test_changed_figure_is_significant(report: str) -> None:
    value, reasons = score(report, report.replace("665.48亿元", "685.48亿元"))
    assert value >= 0.5
    assert "figures changed: 地区生产总值 665.48亿元 → 685.48亿元" in reasons


@pytest.mark.parametrize(
    ("old", "new", "figure"),
    [
        ("同比增长3%", "同比增长5%", "3% → 5%"),
        ("2023年9月", "2023年10月", "9月 → 10月"),
        ("总量居全市第六。", "总量居全市第四。", "第六 → 第四"),
        ("增速高于全市11.7个百分点", "增速高于全市", "增速高于全市 11.7个百分点 → –"),
    ],
)
def test_percentages_dates_and_rankings_are_figures(
    report: str, old: str, new: str, figure: str
) -> None:
    assert old in report
    value, reasons = score(report, report.replace(old, new, 1))
    assert value >= 0.5
    assert any(figure in reason for reason in reasons), reasons


def test_whitespace_only_is_zero(report: str) -> None:
    new = report.replace("\n", "\n\n").replace("。", "。 ").replace("坚持", "\u3000坚持")
    assert score(report, new) == (0.0, ["only whitespace, character width or script changed"])


def test_width_only_is_zero(report: str) -> None:
    new = report.replace(",", "，").replace(":", "：").replace("1", "１")
    assert new != report
    assert score(report, new)[0] == 0.0


def test_script_only_is_zero(report: str) -> None:
    traditional = converter("s2t").convert(report)
    assert traditional != report
    assert score(report, traditional)[0] == 0.0
    # And a traditional-script seed republished in simplified script.
    original = seed("003")
    assert score(original, converter("t2s").convert(original))[0] == 0.0


def test_script_change_does_not_hide_or_inflate_a_figure(report: str) -> None:
    new = converter("s2t").convert(report.replace("665.48亿元", "685.48亿元"))
    value, reasons = score(report, new)
    assert value >= 0.5
    assert reasons[0] == "figures changed: 地区生产总值 665.48亿元 → 685.48亿元"
    assert reasons[-1] == "<0.1% of the text changed, longest change 6 characters"


def test_removed_and_added_paragraphs_are_significant(report: str) -> None:
    paragraphs = report.split("\n")
    removed = "\n".join(paragraphs[:7] + paragraphs[8:])
    value, reasons = score(report, removed)
    assert value >= 0.5 and "1 paragraph removed" in reasons
    added = "\n".join([*paragraphs[:20], "二是坚持改革创新，持续优化营商环境。", *paragraphs[20:]])
    value, reasons = score(report, added)
    assert value >= 0.5 and "1 paragraph added" in reasons


def test_moved_paragraph_is_moderate(report: str) -> None:
    paragraphs = report.split("\n")
    paragraphs.insert(25, paragraphs.pop(4))
    value, reasons = score(report, "\n".join(paragraphs))
    assert 0 < value < 0.5
    assert reasons == ["1 paragraph moved"]


def test_title_change(report: str) -> None:
    value, reasons = score(report, report, old_title="2023年政府工作报告", new_title="政府工作报告")
    assert value >= 0.5 and reasons[0].startswith("title changed: ")
    script_only = score(report, report, old_title="政府工作报告", new_title="政府工作報告")
    assert script_only == (0.0, [])


def test_wording_scores_low_and_grows_with_the_change(report: str) -> None:
    small, reasons = score(report, report.replace("稳中求进的工作基调", "稳中求进工作总基调"))
    assert 0 < small < 0.5
    assert reasons == ["<0.1% of the text changed, longest change 1 character"]
    sentence = "坚决落实好“疫情要防住、经济要稳住、发展要安全”三件大事。"
    assert sentence in report
    rewritten = "全面贯彻新发展理念，着力推动高质量发展，奋力谱写现代化建设新篇章，努力走在前列。"
    larger, _ = score(report, report.replace(sentence, rewritten))
    assert small < larger
    many = report
    for word in ("坚持", "推动", "全面"):
        many = many.replace(word, "着力")
    assert score(report, many)[0] > larger


def test_nfkc_is_what_width_means() -> None:
    # Guard for the rule's premise: full-width forms fold to ASCII under NFKC.
    assert unicodedata.normalize("NFKC", "，：１％") == ",:1%"


def test_paragraph_rewritten_in_place_is_not_added_and_removed() -> None:
    old = "一、总体要求\n二、主要目标\n三、工作措施"
    value, reasons = score(old, old.replace("二、主要目标", "贰：目标任务"))
    assert not any("paragraph" in reason for reason in reasons)
    assert value > 0


@pytest.mark.parametrize(
    ("old", "new", "label"),
    [
        ("浏览次数：1024", "浏览次数：1187", "view counter"),
        ("阅读量: 88", "阅读量: 90", "view counter"),
        ("本文已有1,234次浏览", "本文已有1,240次浏览", "view counter"),
        ("最后更新：2026-11-22 10:30", "最后更新：2026-11-23 09:05", "last-updated date"),
        ("更新时间：2026年11月22日", "更新时间：2026年11月23日", "last-updated date"),
        ("今天是2026年11月22日 星期日", "今天是2026年11月23日 星期一", "today's date"),
        ("©2003-2025 长安镇人民政府 版权所有", "©2003-2026 长安镇人民政府 版权所有", "footer date"),
        ("", "【打印本页】【关闭窗口】", "print/share controls"),
        ("分享到：", "分享到：微信 微博 QQ空间", "print/share controls"),
    ],
)
def test_page_furniture_only_is_zero_with_a_reason(
    report: str, old: str, new: str, label: str
) -> None:
    value, reasons = score(f"{report}\n{old}", f"{report}\n{new}")
    assert value == 0.0
    assert reasons == [f"only page furniture changed ({label})"]


def test_furniture_neither_hides_nor_inflates_a_real_change(report: str) -> None:
    old = f"{report}\n浏览次数：1024"
    new = f"{report.replace('665.48亿元', '685.48亿元')}\n浏览次数：99999"
    value, reasons = score(old, new)
    assert value >= 0.5
    assert reasons[0] == "figures changed: 地区生产总值 665.48亿元 → 685.48亿元"  # not the counter
    # A date in prose is content, even after a word like 更新.
    value, reasons = score("该规划更新于2024年3月。", "该规划更新于2025年3月。")
    assert value >= 0.5 and reasons[0] == "figures changed: 该规划更新于 2024年 → 2025年"


PDF = {"url": "http://www.changan.gov.cn/attachment/0/403/403768/4501595.pdf", "text": "附件1.pdf"}
XLS = {"url": "http://www.changan.gov.cn/attachment/0/403/403768/4501596.xls", "text": "附件2.xls"}


@pytest.mark.parametrize(
    ("old", "new", "reasons"),
    [
        ([PDF], [PDF, XLS], ["attachment added: 附件2.xls"]),
        ([PDF, XLS], [XLS], ["attachment removed: 附件1.pdf"]),
        (
            [PDF],
            [{**PDF, "url": PDF["url"][:-5] + "9.pdf"}],
            ["attachment replaced: 附件1.pdf → 4501599.pdf"],
        ),
    ],
)
def test_attachment_added_removed_or_replaced_is_high(old, new, reasons) -> None:
    value, found = significance(
        "正文。", "正文。", diff_texts("正文。", "正文。"), old_attachments=old, new_attachments=new
    )
    assert value >= 0.7
    assert found == reasons


def test_attachment_scheme_or_script_alone_is_no_change() -> None:
    moved = [{"url": PDF["url"].replace("http://", "https://"), "text": "附件1.pdf"}]
    same = diff_texts("正文。", "正文。")
    assert significance("正文。", "正文。", same, old_attachments=[PDF], new_attachments=moved) == (
        0.0,
        [],
    )
    renamed = [{"url": PDF["url"], "text": "附件1：2025年预算表.pdf"}]
    value, reasons = significance(
        "正文。", "正文。", same, old_attachments=[PDF], new_attachments=renamed
    )
    assert 0 < value < 0.5
    assert reasons == ["attachment renamed: 附件1.pdf → 附件1：2025年预算表.pdf"]
