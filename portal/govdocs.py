"""Policy documents as portals publish them: a 政务公开 metadata table above the text, the
文号 under the title, the 落款 and 成文日期 at the end.

Each layout is modelled on a family of real detail pages: the State Council policy library
table (TRS), the Zhejiang/Jiangsu open-government table (Hanweb jcms), the Guangdong
platform's label/span grid (gkmlpt), the jpaas list rows, a plain bordered table without
colons, a <dl>, and "label：value" lines with two pairs each. Decoys sit around them: a
byline with 发布日期 and 来源, the 字号 size switch, a sidebar of other documents' 文号.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

LAYOUTS = ("trs", "hanweb", "gkmlpt", "jpaas", "table", "dl", "lines")


@dataclass(frozen=True)
class GovDoc:
    """What a policy document says about itself (what its metadata table shows)."""

    number: str | None = None  # 文号 as printed, e.g. 东府办〔2024〕12号
    issuers: tuple[str, ...] = ()  # 发文机关 (several when issued jointly)
    written: str | None = None  # 成文日期, YYYY-MM-DD
    index_number: str | None = None
    topic: str | None = None
    validity: str | None = "有效"
    keywords: tuple[str, ...] = ()
    layout: str | None = "trs"  # one of LAYOUTS; None: no metadata table at all
    notice: str | None = None  # a 废止 notice shown above the text
    number_in_text: bool = True  # the 文号 line under the title
    signed: bool = True  # the 落款 and date at the end


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _cn_date(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{int(year)}年{int(month)}月{int(day)}日"


def _pairs(doc: GovDoc, title: str, published: str) -> list[tuple[str, str, str]]:
    """(key, label, value) in the order the layout family prints them."""
    if doc.layout is None:
        return []
    issuer = "、".join(doc.issuers)
    rows = {
        "trs": [
            ("index_number", "索　引　号", doc.index_number), ("topic", "主题分类", doc.topic),
            ("issuing_authority", "发文机关", issuer),
            ("written_date", "成文日期", doc.written and _cn_date(doc.written)),
            ("title", "标　　题", title), ("document_number", "发文字号", doc.number),
            ("published_at", "发布日期", _cn_date(published[:10])),
            ("validity", "有  效  性", doc.validity),
        ],
        "hanweb": [
            ("index_number", "索引号", doc.index_number), ("", "公开方式", "主动公开"),
            ("issuing_authority", "发布机构", issuer), ("written_date", "成文日期", doc.written),
            ("document_number", "文号", doc.number), ("validity", "有效性", doc.validity),
            ("topic", "信息分类", doc.topic), ("keywords", "主题词", " ".join(doc.keywords)),
        ],
        "gkmlpt": [
            ("index_number", "索引号", doc.index_number), ("topic", "分类", doc.topic),
            ("issuing_authority", "发布机构", issuer),
            ("written_date", "成文日期", doc.written and doc.written.replace("-", "/")),
            ("title", "名称", title), ("document_number", "文号", doc.number),
            ("published_at", "发布日期", published[:10]),
            ("keywords", "主题词", "，".join(doc.keywords)), ("validity", "时效", doc.validity),
        ],
        "jpaas": [
            ("document_number", "文件编号", doc.number), ("issuing_authority", "发文机关", issuer),
            ("index_number", "索引号", doc.index_number),
            ("written_date", "成文日期", doc.written and _cn_date(doc.written)),
            ("validity", "效力状态", doc.validity), ("topic", "主题分类", doc.topic),
        ],
    }
    default = [
        ("index_number", "索引号", doc.index_number), ("topic", "主题分类", doc.topic),
        ("document_number", "文号", doc.number), ("issuing_authority", "发文机关", issuer),
        ("written_date", "成文日期", doc.written), ("validity", "有效性", doc.validity),
        ("keywords", "主题词", "、".join(doc.keywords)),
    ]
    return [(k, label, value or "") for k, label, value in rows.get(str(doc.layout), default)]


def metadata_block(doc: GovDoc, title: str, published: str) -> str:
    """The metadata table in the document's layout (empty values stay empty cells)."""
    pairs = _pairs(doc, title, published)
    layout = doc.layout
    if not pairs:
        return ""
    if layout == "trs":
        cells = [
            f"<td class='t'><b>{_e(label)}：</b></td><td>{_e(value)}</td>"
            for _k, label, value in pairs
        ]
        rows = "".join(f"<tr>{''.join(cells[i:i + 2])}</tr>" for i in range(0, len(cells), 2))
        return f"<table class='bd1' border='0' cellpadding='1'><tbody>{rows}</tbody></table>\n"
    if layout in ("hanweb", "table"):
        colon = "：" if layout == "hanweb" else ""
        cells = [f"<th>{_e(label)}{colon}</th><td>{_e(value)}</td>" for _k, label, value in pairs]
        rows = "".join(f"<tr>{''.join(cells[i:i + 2])}</tr>" for i in range(0, len(cells), 2))
        css = "xxgk_table" if layout == "hanweb" else "meta"
        return f"<table class='{css}' border='1'>{rows}</table>\n"
    if layout == "gkmlpt":
        items = "".join(
            f"<div class='col'><label>{_e(label)}：</label><span>{_e(value)}</span></div>"
            for _k, label, value in pairs
        )
        return f"<div class='introduce'><div class='row'>{items}</div></div>\n"
    if layout == "jpaas":
        items = "".join(
            f"<li><span class='tit'>{_e(label)}</span><span class='con'>{_e(value)}</span></li>"
            for _k, label, value in pairs
        )
        return f"<ul class='xxgk-info'>{items}</ul>\n"
    if layout == "dl":
        items = "".join(f"<dt>{_e(label)}：</dt><dd>{_e(value)}</dd>" for _k, label, value in pairs)
        return f"<dl class='doc-info'>{items}</dl>\n"
    lines = [f"{label}：{value}" for _k, label, value in pairs]
    paired = ["　　".join(lines[i : i + 2]) for i in range(0, len(lines), 2)]
    return "<div class='doc-meta'>" + "".join(f"<p>{_e(p)}</p>" for p in paired) + "</div>\n"


def expected(doc: GovDoc) -> dict[str, object]:
    """The fields an extractor should read from a page of this document."""
    shown = {key for key, _label, value in _pairs(doc, "", "2000-01-01") if value}
    head, tail = body_lines(doc, [])
    in_text = {
        "document_number": bool(doc.number and doc.number_in_text),
        "issuing_authority": bool(tail),
        "written_date": bool(tail),
    }
    values: dict[str, object] = {
        "document_number": doc.number,
        "issuing_authority": list(doc.issuers) or None,
        "written_date": doc.written,
        "index_number": doc.index_number,
        "topic": doc.topic,
        "validity": doc.validity,
        "keywords": list(doc.keywords) or None,
    }
    return {
        key: value if key in shown or in_text.get(key) else None
        for key, value in values.items()
    }


def body_lines(doc: GovDoc, paragraphs: list[str]) -> tuple[list[str], list[str]]:
    """(lines above the paragraphs, lines below them): notice and 文号, 落款 and date."""
    head = []
    if doc.notice:
        head.append(doc.notice)
    if doc.number and doc.number_in_text:
        head.append(doc.number)
    tail = []
    if doc.signed and doc.issuers and doc.written:
        tail = [*doc.issuers, _cn_date(doc.written), "（此件公开发布）"]
    return head, tail


def sidebar(others: list[tuple[str, str, str]]) -> str:
    """Other documents of the column with their 文号 and dates, under a header row of
    labels: a decoy for the document's own table."""
    rows = "".join(
        f"<tr><td><a href='#'>{_e(t)}</a></td><td>{_e(n)}</td><td>{_e(d)}</td></tr>"
        for t, n, d in others
    )
    return (
        "<div class='side-docs'><h3>相关文件</h3><table class='list'>"
        f"<tr><th>标题</th><th>文号</th><th>发布日期</th></tr>{rows}</table></div>\n"
    )
