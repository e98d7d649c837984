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
    assert "figures changed: 665.48 → 685.48" in reasons


@pytest.mark.parametrize(
    ("old", "new", "figure"),
    [
        ("同比增长3%", "同比增长5%", "3% → 5%"),
        ("2023年9月", "2023年10月", "9 → 10"),
        ("总量居全市第六。", "总量居全市第四。", "第六 → 第四"),
        ("增速高于全市11.7个百分点", "增速高于全市", "11.7 → –"),
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
    assert reasons[0] == "figures changed: 665.48 → 685.48"
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
