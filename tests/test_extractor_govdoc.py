"""A government document's own fields, read from every metadata-table layout, meta tags and
the text; never invented on pages that do not show them."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from extractor import extract, extract_text
from extractor.govdoc import citations, normalize_number, repeal_notice
from portal import pages
from portal.govdocs import LAYOUTS, GovDoc, expected
from portal.state import Article

SITE = pages.Site(
    name="东莞市人民政府", host="www.dg.gov.cn", town="东莞市", id_code="4419000001",
    icp="粤ICP备12345678号", police="粤公网安备 44190002000001号",
)
TITLE = "东莞市人民政府办公室关于印发东莞市促进生态环境保护若干措施的通知"
PARAGRAPHS = [
    "各镇人民政府（街道办事处），市府直属各单位：",
    "根据《广东省人民政府关于加强生态环境保护工作的意见》（粤府〔2023〕45号）和"
    "东府〔2022〕7号文件精神，现将《东莞市促进生态环境保护若干措施》印发给你们，请认真贯彻执行。",
    "执行中遇到的问题，请径向市生态环境局反映。",
]
DOC = GovDoc(
    number="东府办〔2024〕12号",
    issuers=("东莞市人民政府办公室",),
    written="2024-03-05",
    index_number="11441900007330010K/2024-00123",
    topic="生态环境",
    validity="有效",
    keywords=("环境保护", "生态"),
)


def page(doc: GovDoc | None, title: str = TITLE, paragraphs: list[str] = PARAGRAPHS) -> bytes:
    article = Article(
        id=4_400_123, title=title, paragraphs=list(paragraphs), published="2024-03-08 10:00",
        modified=datetime(2024, 3, 8, tzinfo=UTC), source="东莞市人民政府办公室",
        related=(("东莞市关于做好防汛工作的通知", "/zwgk/a.html", "2024-02-01"),), govdoc=doc,
    )
    return pages.article_page(SITE, article, "", "utf-8").encode("utf-8")


FIELD_NAMES = list(expected(DOC))


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_gives_the_fields_it_shows(layout: str) -> None:
    doc = replace(DOC, layout=layout)
    result = extract(page(doc))
    assert {name: getattr(result, name) for name in FIELD_NAMES} == expected(doc)
    assert result.document_number_normalized == "东府办〔2024〕12号"
    assert result.published_at == "2024-03-08T10:00"
    # the table is not repeated in the text; the 文号 line and the 落款 stay
    shown = ("索引号", "索　引　号", "主题分类", "成文日期", "公开方式", "有效性", "1144190000733")
    for label in shown:
        assert label not in result.text, (layout, label)
    lines = result.text.split("\n")
    assert lines[0] == TITLE and lines[1] == "东府办〔2024〕12号"
    assert lines[-3:] == ["东莞市人民政府办公室", "2024年3月5日", "（此件公开发布）"]
    assert PARAGRAPHS[1] in result.text


@pytest.mark.parametrize("layout", ["trs", "gkmlpt", "lines"])
def test_table_alone_without_number_line_or_signature(layout: str) -> None:
    doc = replace(DOC, layout=layout, number_in_text=False, signed=False)
    result = extract(page(doc))
    assert {name: getattr(result, name) for name in FIELD_NAMES} == expected(doc)


def test_text_alone_number_line_and_signature() -> None:
    """No table: the 文号 under the title and the 落款 with its date still give the fields."""
    result = extract(page(replace(DOC, layout=None)))
    assert result.document_number == "东府办〔2024〕12号"
    assert result.issuing_authority == ["东莞市人民政府办公室"]
    assert result.written_date == "2024-03-05"


def test_joint_issuers_and_chinese_numeral_date_in_the_signature() -> None:
    text = "\n".join(
        [
            "关于进一步规范涉企收费的通知",
            "东发改〔2024〕3号",
            "各有关单位：",
            "为减轻企业负担，现就有关事项通知如下。",
            "东莞市发展和改革局　东莞市财政局",
            "东莞市市场监督管理局",
            "二〇二四年十二月二十一日",
        ]
    )
    result = extract_text(text)
    assert result.document_number == "东发改〔2024〕3号"
    assert result.issuing_authority == [
        "东莞市发展和改革局",
        "东莞市财政局",
        "东莞市市场监督管理局",
    ]
    assert result.written_date == "2024-12-21"


def test_an_ordinary_article_gets_no_invented_fields() -> None:
    prose = ["过去一年，全镇实现地区生产总值320亿元，增长5.2%。"]
    result = extract(page(None, "长安镇2025年政府工作报告", prose))
    assert result.text and result.title
    for name in (*FIELD_NAMES, "document_number_normalized"):
        assert getattr(result, name) is None, name
    assert result.citations == []


def test_decoys_are_not_fields() -> None:
    """A byline with 发布日期/来源, the 字号 switch, prose starting like a label, a date at
    the end without any issuing body: none is a metadata table or a 落款."""
    body = (
        "<div class='info'>发布日期：2024-03-08 来源：本网 【字号：大 中 小】</div>"
        "<div class='TRS_Editor'>"
        "<p>分类推进老旧小区改造，主题教育成果持续转化，文号管理更加规范。</p>"
        "<p>全年完成投资12亿元，惠及居民3万户，群众满意度明显提升。</p><p>2024年3月5日</p></div>"
    )
    html = f"<html><head><title>某镇推进老旧小区改造</title></head><body>{body}</body></html>"
    result = extract(html.encode())
    for name in FIELD_NAMES:
        assert getattr(result, name) is None, name
    assert "分类推进" in result.text


def test_traditional_script_labels_and_meta_tags() -> None:
    table = (
        "<table><tr><td>索引號：</td><td>000014349/2024-00012</td></tr>"
        "<tr><td>發文機關：</td><td>廣東省人民政府辦公廳</td></tr>"
        "<tr><td>發文字號：</td><td>粵府辦[2024]5號</td></tr>"
        "<tr><td>成文日期：</td><td>2024/1/9</td></tr></table>"
    )
    html = (
        "<html><head><title>關於印發某方案的通知</title><meta name='主题词' content='经济 方案'>"
        f"</head><body>{table}<div id='zoom'>"
        "<p>各地級以上市人民政府，省政府各部門、各直屬機構：</p>"
        "<p>現將某方案印發給你們，請認真組織實施。</p></div></body></html>"
    )
    result = extract(html.encode())
    assert result.index_number == "000014349/2024-00012"
    assert result.issuing_authority == ["廣東省人民政府辦公廳"]
    assert result.document_number == "粵府辦[2024]5號"
    assert result.document_number_normalized == "粤府办〔2024〕5号"
    assert result.written_date == "2024-01-09"
    assert result.keywords == ["经济", "方案"]
    assert "索引" not in result.text and "000014349" not in result.text


@pytest.mark.parametrize(
    "printed",
    ["粤府办〔2024〕12号", "粤府办[2024]12号", "粤府办（2024）12号", "粤府办(2024)第12号",
     "粤府办 〔2024〕 012号", "粵府辦〔2024〕12號", "粤府办［２０２４］１２号"],
)
def test_document_numbers_normalise_alike(printed: str) -> None:
    assert normalize_number(printed) == "粤府办〔2024〕12号"


def test_citations_with_titles_numbers_and_cues() -> None:
    text = (
        "根据《国务院关于加强数字政府建设的指导意见》（国发〔2022〕14号）、"
        "《广东省数字政府改革建设“十四五”规划》和粤府办[2021]44号文件精神，结合我市实际，"
        "制定本方案。本方案印发后，东府办〔2019〕3号同时废止。"
    )
    found = citations(text, own_number="东府办〔2024〕12号")
    by_number = {c["document_number_normalized"]: c for c in found if c["document_number"]}
    assert by_number["国发〔2022〕14号"]["title"] == "国务院关于加强数字政府建设的指导意见"
    assert by_number["粤府办〔2021〕44号"]["document_number"] == "粤府办[2021]44号"
    assert "东府办〔2019〕3号" in by_number
    titles = [c["title"] for c in found if not c["document_number"]]
    assert titles == ["广东省数字政府改革建设“十四五”规划"]
    assert citations("本通知（东府办〔2024〕12号）自印发之日起施行。", "东府办〔2024〕12号") == []
    laws = citations("按照《公司法》《证券法》和《企业债券管理条例》要求")
    assert [c["title"] for c in laws] == ["公司法", "证券法", "企业债券管理条例"]


def test_repeal_notices_and_what_is_not_one() -> None:
    notice = "本文件已于2026年11月30日废止"
    assert repeal_notice(None, notice + "。\n正文") == notice
    assert repeal_notice("某办法（已废止）", "正文") == "（已废止）"
    assert repeal_notice(None, "本规定自发布之日起施行，《某办法》同时予以废止。") is None
    assert repeal_notice(None, "下列文件予以废止：") is None


def test_a_repeal_notice_alone_gives_the_validity() -> None:
    doc = replace(DOC, layout="jpaas", validity=None, notice="本文件已于2026年11月30日废止。")
    result = extract(page(doc))
    assert result.validity == "废止"
    assert result.text.split("\n")[1] == "本文件已于2026年11月30日废止。"


BODY = (
    "<div class='pages_content'><p>各区人民政府，市政府各部门：</p>"
    "<p>经市政府同意，现将有关事项通知如下，请认真贯彻执行，确保各项工作落到实处。</p></div>"
)


def test_labels_in_a_header_row_and_values_in_the_next() -> None:
    table = (
        "<table><tr><th>索引号</th><th>发文机关</th><th>文号</th><th>成文日期</th></tr>"
        "<tr><td>000014349/2024-00012</td><td>某市人民政府</td><td>某府〔2024〕3号</td>"
        "<td>2024-01-09</td></tr></table>"
    )
    result = extract(f"<html><body>{table}{BODY}</body></html>".encode())
    assert result.index_number == "000014349/2024-00012"
    assert result.issuing_authority == ["某市人民政府"]
    assert result.document_number == "某府〔2024〕3号"
    assert result.written_date == "2024-01-09"
    assert "000014349" not in result.text


def test_a_list_of_other_documents_is_nobodys_metadata() -> None:
    listing = (
        "<table><tr><th>标题</th><th>文号</th><th>发布日期</th></tr>"
        "<tr><td>关于甲的通知</td><td>某府〔2023〕1号</td><td>2023-01-01</td></tr>"
        "<tr><td>关于乙的通知</td><td>某府〔2023〕2号</td><td>2023-02-01</td></tr></table>"
    )
    result = extract(f"<html><body>{BODY}{listing}</body></html>".encode())
    for name in FIELD_NAMES:
        assert getattr(result, name) is None, name


def test_spacing_spans_inside_labels_and_markup_inside_values() -> None:
    pad = "<span style='padding-left:0.5em'></span>"
    table = (
        f"<table class='bd1'><tr><td><b>索{pad}引{pad}号：</b></td><td>000014349/2024-00012</td>"
        "<td><b>主题分类：</b></td><td>综合政务\\其他</td></tr>"
        "<tr><td><b>发文机关：</b></td><td>国务院办公厅</td>"
        "<td><b>发文字号：</b></td><td>国办发〔<span>2024</span>〕3号</td></tr></table>"
    )
    result = extract(f"<html><body>{table}{BODY}</body></html>".encode())
    assert result.index_number == "000014349/2024-00012"
    assert result.topic == "综合政务\\其他"
    assert result.document_number == "国办发〔2024〕3号"
    assert result.issuing_authority == ["国务院办公厅"]


def test_one_row_list_of_documents_is_not_a_columnar_table() -> None:
    listing = (
        "<table><tr><th>标题</th><th>文号</th><th>发布日期</th></tr>"
        "<tr><td>关于甲的通知</td><td>某府〔2023〕1号</td><td>2023-01-01</td></tr></table>"
    )
    result = extract(f"<html><body>{BODY}{listing}</body></html>".encode())
    assert result.document_number is None and result.published_at is None


def test_extract_jsonl_prints_the_fields(tmp_path) -> None:  # noqa: ANN001
    import json

    from typer.testing import CliRunner

    from govwatch.cli import app

    html = tmp_path / "policy.html"
    html.write_bytes(page(replace(DOC, layout="gkmlpt")))
    result = CliRunner().invoke(app, ["extract", str(html), "--jsonl"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["document_number"] == "东府办〔2024〕12号"
    assert record["issuing_authority"] == ["东莞市人民政府办公室"]
    assert record["written_date"] == "2024-03-05"
    assert record["validity"] == "有效"
    assert record["keywords"] == ["环境保护", "生态"]
    assert record["publisher"] == "东莞市人民政府办公室"
    assert "索引号" not in record["text"]


def test_bracketed_labels_and_joint_issuers_in_a_list() -> None:
    info = (
        "<ol class='doc-info'><li><span>[ 标题 ]</span>关于某事项的通知</li>"
        "<li><span>[ 发文机构 ]</span>某市发展和改革委员会</li>"
        "<li><span>[ 联合发文单位 ]</span>某市财政局</li>"
        "<li><span>[ 发文字号 ]</span>某发改〔2024〕8号</li>"
        "<li><span>[ 成文日期 ]</span>2024-02-01</li><li><span>[ 有效性 ]</span>有效</li></ol>"
    )
    result = extract(f"<html><body>{info}{BODY}</body></html>".encode())
    assert result.issuing_authority == ["某市发展和改革委员会", "某市财政局"]
    assert result.document_number == "某发改〔2024〕8号"
    assert result.written_date == "2024-02-01"
    assert result.validity == "有效"
    assert "发文机构" not in result.text


def test_signature_and_date_on_one_line() -> None:
    text = "关于某事项的通知\n各单位：\n现将有关事项通知如下。\n中共某市委办公室　2024年5月6日"
    result = extract_text(text)
    assert result.issuing_authority == ["中共某市委办公室"]
    assert result.written_date == "2024-05-06"


def test_number_in_brackets_under_or_closing_the_title() -> None:
    rest = "\n各单位：\n现将有关事项通知如下。"
    under = extract_text("关于某事项的通知\n（某府办〔2024〕5号）" + rest)
    assert under.document_number == "某府办〔2024〕5号"
    closing = extract_text("关于某事项的通知（某府办〔2024〕6号）" + rest)
    assert closing.document_number == "某府办〔2024〕6号"
    forwarded = extract_text("关于转发《某办法》（国发〔2023〕1号）的通知" + rest)
    assert forwarded.document_number is None
    assert forwarded.citations[0]["document_number"] == "国发〔2023〕1号"
