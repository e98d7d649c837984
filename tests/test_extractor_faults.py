"""The faults found reading real government and news pages, each on a made-up page.

Tables dropped, the end of a document dropped, a regenerated PubDate or a date in the
title taken as the publication date, style text and recommendation feeds in the text, a
mojibake warning on clean text.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from extractor import extract

PARA = (
    "各镇街要深入贯彻落实市委市政府的决策部署，切实做好安全生产和民生保障工作，"
    "确保各项任务落到实处。"
)
PARA2 = "采购人、采购代理机构应当自中标通知书发出之日起五个工作日内，在指定媒体上公告中标结果。"
NAV = "".join(f'<li><a href="/col/{i}">栏目{i}</a></li>' for i in range(12))
SIDEBAR = "".join(f"<p><a href='/n{i}'>其他新闻标题第{i}条</a></p>" for i in range(8))
FOOTER = "<div>主办单位：某市人民政府办公室 网站标识码：4419000098 粤ICP备19114884号</div>"


def page(body: str, head: str = "", title: str = "某市人民政府") -> bytes:
    return (
        f"<html><head><meta charset='utf-8'>{head}<title>{title}</title></head><body>"
        f"<div class='nav'><ul>{NAV}</ul></div><div class='side'>{SIDEBAR}</div>"
        f"{body}{FOOTER}</body></html>"
    ).encode()


def lines(text: str) -> list[str]:
    return text.split("\n")


# --- tables ------------------------------------------------------------------------------------

NOTICE = (
    "<div class='main'><h1>某市政务服务中心设备采购项目中标结果公告</h1>"
    "<div class='info'>发布时间：2024-03-05 09:30 来源：市公共资源交易中心</div>"
    "<div class='content'>"
    f"<p>一、项目编号：ZFCG-2024-018。{PARA2}</p>"
    "<p>二、中标信息</p>"
    "<table border='1'>"
    "<tr><th>序号</th><th>供应商名称</th><th>中标金额（元）</th></tr>"
    "<tr><td>1</td><td>某某科技有限公司</td><td>1,280,000.00</td></tr>"
    "<tr><td>2</td><td>某某信息技术有限公司</td><td>960,500.00</td></tr>"
    "<tr><td colspan='2'>合计</td><td>2,240,500.00</td></tr>"
    "</table>"
    "<p>三、评审专家名单</p>"
    "<table><tr><td>组长</td><td rowspan='2'>张三</td></tr><tr><td>成员</td></tr>"
    "<tr><td>成员</td><td>李四</td></tr></table>"
    f"<p>四、公告期限：自本公告发布之日起一个工作日。{PARA2}</p>"
    "</div></div>"
)


def test_data_tables_are_rows_of_tab_separated_cells() -> None:
    result = extract(page(NOTICE, title="中标结果公告_某市人民政府"))
    text = lines(result.text)
    assert "序号\t供应商名称\t中标金额（元）" in text
    assert "1\t某某科技有限公司\t1,280,000.00" in text
    assert "合计\t合计\t2,240,500.00" in text  # a merged cell is repeated
    assert "成员\t张三" in text  # ... down a rowspan too
    # the sections around the tables stay, in order
    assert text.index("二、中标信息") < text.index("序号\t供应商名称\t中标金额（元）")
    assert any(line.startswith("四、公告期限") for line in text)
    assert result.tables == [
        [
            ["序号", "供应商名称", "中标金额（元）"],
            ["1", "某某科技有限公司", "1,280,000.00"],
            ["2", "某某信息技术有限公司", "960,500.00"],
            ["合计", "合计", "2,240,500.00"],
        ],
        [["组长", "张三"], ["成员", "张三"], ["成员", "李四"]],
    ]


def test_layout_table_is_unwrapped_not_a_data_table() -> None:
    grid = (
        "<table><tr><td><table><tr><td>" + NAV + "</td></tr></table></td>"
        f"<td><p>{PARA}</p><p>{PARA2}</p></td></tr></table>"
    )
    result = extract(page(grid))
    assert PARA in lines(result.text) and PARA2 in lines(result.text)
    assert "\t" not in result.text
    assert result.tables == []


# --- every part of a government document --------------------------------------------------------

DOCUMENT = [
    "某府办〔2024〕12号",
    "某市人民政府办公室关于做好安全生产工作的通知",
    "各镇人民政府，市府直属各单位：",
    PARA,
    PARA2,
    "附件：1.安全生产检查表",
    "2.责任人名单",
    "某市人民政府办公室",
    "某市应急管理局",
    "2024年2月26日",
    "（此件公开发布）",
    "抄送：市委办公室，市人大常委会办公室。",
    "附件1",
    "安全生产检查表",
    "单位\t负责人\t检查日期",
    "甲镇\t张三\t3月1日",
    "乙镇\t李四\t3月2日",
    "附件2",
    "责任人名单",
    "张三 李四 王五 赵六",
]


def _document_html() -> str:
    out = []
    for line in DOCUMENT:
        if "\t" in line:
            if not out[-1].startswith("<table>"):
                out.append("<table>")
            out[-1] += "<tr>" + "".join(f"<td>{c}</td>" for c in line.split("\t")) + "</tr>"
            continue
        if out and out[-1].startswith("<table>") and not out[-1].endswith("</table>"):
            out[-1] += "</table>"
        align = " style='text-align:right'" if line in DOCUMENT[7:10] else ""
        out.append(f"<p{align}>{line}</p>")
    return "".join(out)


def test_document_parts_kept_in_a_cms_container() -> None:
    body = f"<div class='TRS_Editor'>{_document_html()}</div>"
    result = extract(page(body, title="关于做好安全生产工作的通知_某市人民政府"))
    assert lines(result.text) == DOCUMENT


def test_document_parts_kept_by_the_general_method() -> None:
    body = f"<div class='article'>{_document_html()}</div>"
    result = extract(page(body, title=f"{DOCUMENT[1]}_某市人民政府"))
    assert lines(result.text)[-len(DOCUMENT) :] == DOCUMENT


def test_attachment_list_after_a_bare_label_is_kept() -> None:
    body = (
        f"<div class='TRS_Editor'><p>{PARA}</p><p>附件：</p>"
        "<p><a href='/a/1.docx'>1.安全生产检查表</a></p><p><a href='/a/2.pdf'>2.责任人名单</a></p>"
        "</div>"
    )
    result = extract(page(body))
    assert lines(result.text)[-2:] == ["1.安全生产检查表", "2.责任人名单"]
    assert [a.text for a in result.attachments] == ["1.安全生产检查表", "2.责任人名单"]


# --- dates ----------------------------------------------------------------------------------------


PUBDATE_LATE = '<meta name="PubDate" content="2024-04-02 03:10">'
PUBDATE_SAME = '<meta name="PubDate" content="2024-02-26 15:01">'
INFO = "发布日期：2024-02-26 来源：市应急管理局"


def _dated(meta: str, info: str, title: str = "关于做好安全生产工作的通知") -> bytes:
    body = (
        f"<div class='title'><h1>{title}</h1></div><div class='info'>{info}</div>"
        f"<div class='TRS_Editor'><p>{PARA}</p></div>"
    )
    return page(body, head=meta, title=f"{title}_某市人民政府")


def test_visible_date_beats_a_regenerated_pubdate() -> None:
    result = extract(
        _dated(
            '<meta name="PubDate" content="2024-04-02 03:10">',
            "发布日期：2024-02-26 来源：市应急管理局",
        )
    )
    assert result.published_at == "2024-02-26"
    assert result.timezone == "+08:00"


def test_meta_date_kept_when_the_page_agrees() -> None:
    result = extract(
        _dated(
            '<meta name="PubDate" content="2024-02-26 15:01">',
            "发布日期：2024-02-26 来源：市应急管理局",
        )
    )
    assert result.published_at == "2024-02-26T15:01"


def test_date_in_the_title_is_not_the_publication_date() -> None:
    title = "2024年3月1日起施行的安全生产新规"
    result = extract(_dated("", "来源：市应急管理局 发布时间：2024-02-20 10:00", title=title))
    assert result.published_at == "2024-02-20T10:00"
    result = extract(_dated("", "来源：市应急管理局", title=title))
    assert result.published_at is None and result.timezone is None


def test_signing_date_is_not_the_publication_date() -> None:
    info = "成文日期：2024-02-01 发布日期：2024-02-26"
    assert extract(_dated("", info)).published_at == "2024-02-26"


def test_explicit_utc_offset_is_returned() -> None:
    meta = '<meta property="article:published_time" content="2018-05-07T11:00:00+09:00">'
    result = extract(_dated(meta, "来源：某报"))
    assert result.published_at == "2018-05-07T11:00:00"
    assert result.timezone == "+09:00"


# --- modern page chrome ---------------------------------------------------------------------------


def test_style_script_and_template_text_never_reach_the_text() -> None:
    body = (
        "<div class='article'><style>.a{color:red}</style>"
        "<p>.TRS_Editor P{margin-top:0;font-size:12pt;line-height:1.5}</p>"
        "<p>var _hmt = _hmt || []; document.write('x');</p>"
        "<template><p>模板里的文字</p></template>"
        f"<p>发布时间：{{{{ item.date }}}}</p><p>{PARA}</p><p>{PARA2}</p></div>"
    )
    result = extract(page(body))
    assert lines(result.text)[-2:] == [PARA, PARA2]
    for leak in ("{", "margin", "_hmt", "模板", "item.date"):
        assert leak not in result.text


def test_recommendation_feed_comments_share_bar_and_teasers_dropped() -> None:
    feed = "".join(f"<li><a href='/r{i}'>推荐的另一篇文章标题{i}</a></li>" for i in range(6))
    body = (
        f"<div class='article'><p>{PARA}</p><p>{PARA2}</p>"
        "<div class='share'>分享到：</div>"
        "<p>打开微信，点击底部的“发现”，使用“扫一扫”即可将网页分享至朋友圈。</p>"
        "<p>未经授权，不得以任何方式转载、摘编、复制。</p>"
        "<p>阅读全文</p>"
        f"<div class='feed'><h3>其他人也在看</h3><ul>{feed}</ul></div>"
        "<div class='comments'><h3>网友评论</h3><p>网友甲：说得好。</p></div></div>"
    )
    result = extract(page(body))
    assert lines(result.text) == [PARA, PARA2]


def test_a_related_box_holding_prose_is_not_the_end() -> None:
    body = (
        f"<div class='article'><p>{PARA}</p><p>【相关阅读】</p>"
        f"<p>另一篇报道的标题</p><p>{PARA2}{PARA2}</p></div>"
    )
    assert lines(extract(page(body)).text)[-1] == PARA2 + PARA2


def test_print_button_in_the_toolbar_above_the_text_does_not_end_it() -> None:
    body = (
        "<div class='article'><h1>关于做好安全生产工作的通知</h1>"
        "<p>发布日期：2024-02-26 来源：某市应急管理局 浏览次数：1234 字号：大 中 小</p>"
        f"<p>打印</p><p>{PARA}</p><p>{PARA2}</p><p>【打印】</p><p>相关链接</p></div>"
    )
    assert lines(extract(page(body)).text)[-2:] == [PARA, PARA2]


# --- warnings -------------------------------------------------------------------------------------


def test_no_mojibake_warning_on_clean_text_with_question_marks() -> None:
    body = (
        f"<div class='article'><p>这项工作做得怎么样?群众满不满意?{PARA}</p>"
        f"<p>“能不能再快一点”?{PARA2}</p></div>"
    )
    result = extract(page(body))
    assert not [w for w in result.warnings if w["kind"].startswith("mojibake")], result.warnings


def test_damaged_text_is_still_reported() -> None:
    body = f"<div class='article'><p>{PARA}擦亮?;I集保障，夯實?xí)箻I。{PARA2}</p></div>"
    result = extract(page(body))
    assert [w for w in result.warnings if w["kind"].startswith("mojibake")]


# --- the command line ---------------------------------------------------------------------------


def test_cli_extract_jsonl_on_several_cores(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_bytes(page(NOTICE, title="中标结果公告_某市人民政府"))
    (tmp_path / "b.html").write_bytes(page(f"<div class='TRS_Editor'>{_document_html()}</div>"))
    repo = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-m", "govwatch", "extract", "--jsonl", "--jobs", "2", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(repo)},
    )
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [Path(r["path"]).name for r in records] == ["a.html", "b.html"]
    assert records[0]["tables"][0][0] == ["序号", "供应商名称", "中标金额（元）"]
    assert records[0]["published_at"] == "2024-03-05T09:30"
    assert records[0]["timezone"] == "+08:00"
    assert records[1]["text"].split("\n") == DOCUMENT
