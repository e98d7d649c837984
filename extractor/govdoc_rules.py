"""Government-document vocabulary as data: metadata labels, 文号 and 落款 shapes, citation cues.

No logic lives here (extractor/govdoc.py reads these). Labels are written in simplified
script without spaces or colons; the reader allows white space (ASCII or full-width)
between their characters and an optional colon after them, and matches them on the
simplified form of the page text.
"""

from __future__ import annotations

import re

# --- the 政务公开 metadata table -------------------------------------------------------------
# Field -> the labels portals print for it, longest first within a field where one label is
# the prefix of another (主题分类 before 主题). Order across fields does not matter: a label is
# matched whole, so 主题词 never reads as 主题.
FIELD_LABELS: dict[str, tuple[str, ...]] = {
    "index_number": ("索引号", "索取号", "信息索引号", "索引"),
    "topic": ("主题分类", "主题类别", "信息分类", "组配分类", "分类", "类别", "主题"),
    "issuing_authority": (
        "发文机关", "发文单位", "发文机构", "发布机构", "发布单位", "发布机关", "制发机关",
        "成文单位", "信息来源单位", "公开责任部门", "发文部门", "发布部门", "所属机构",
        "联合发文单位", "联合发文机关",
    ),
    "written_date": ("成文日期", "成文时间", "印发日期", "签发日期", "发文日期", "生成日期"),
    "published_at": ("发布日期", "发布时间", "公开日期", "公布日期", "公开时间", "发文时间"),
    "document_number": ("发文字号", "文号", "发文号", "文件编号", "文件字号", "字号", "文件号"),
    "validity": ("有效性", "时效性", "时效", "效力状态", "效力", "是否有效", "有效状态"),
    "keywords": ("主题词", "关键词", "关键字"),
    "title": ("标题", "名称", "文件名称", "信息名称"),
}
# Labels found almost only in metadata tables, by field: a page whose text (white space
# removed) holds fewer than MIN_MARKED_FIELDS of these fields is not searched for a table.
MARKER_LABELS: dict[str, tuple[str, ...]] = {
    "index_number": ("索引号", "索取号"),
    "topic": ("主题分类", "信息分类", "组配分类"),
    "issuing_authority": ("发文机关", "发文单位", "发布机构", "发文机构", "制发机关"),
    "written_date": ("成文日期", "成文时间", "印发日期"),
    "document_number": ("文号", "发文字号", "文件编号"),
    "validity": ("有效性", "时效", "效力状态"),
    "keywords": ("主题词",),
}
MIN_MARKED_FIELDS = 2
# Labels of the same tables that carry nothing we keep: they still mark a label-value grid
# (and end the value before them) and are removed from the text with the table.
OTHER_LABELS = (
    "公开方式", "公开范围", "公开时限", "公开形式", "体裁分类", "服务对象", "信息来源",
    "来源", "有效期", "废止日期", "失效日期", "施行日期", "生效日期", "文种", "内容概述", "摘要",
    "统一编号", "登记号", "备注", "公开属性", "实施日期", "文件类型", "发布层级", "适用范围",
)
# Fields whose values add up when several labels give them (发文机构 and 联合发文单位).
MERGED_FIELDS = frozenset(("issuing_authority",))
# A label-value grid is the metadata table when it names at least this many of our fields.
MIN_TABLE_FIELDS = 3
# Fields that only a document's own table gives (a list of documents shows titles, 文号 and
# dates too): labels in columns must name one of these to be read as a metadata table.
OWN_FIELDS = frozenset(("index_number", "topic", "written_date", "validity", "keywords"))
# Elements whose boundaries separate a label from its value.
CELL_TAGS = frozenset(
    ("td", "th", "dt", "dd", "li", "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
     "table", "tbody", "thead", "ul", "ol", "dl", "section", "br")
)
# Inline elements separate one only when they hold a label (<span class="tit">文号</span>):
# empty spacing spans inside a label (索<span></span>引<span></span>号) and markup inside a
# value (粤府办〔<span>2024</span>〕12号) do not break it.
INLINE_CELL_TAGS = frozenset(("span", "label", "b", "strong", "em", "i", "font"))
# Share of a grid's text that its labels and values must make up for the grid to be the
# metadata table as a whole (what is left is removed from the main text with it).
TABLE_PAIR_SHARE = 0.6
VALUE_MAX_CHARS = 200  # longer "values" are prose, not a metadata value
CHUNK_MAX_CHARS = 400  # longer cells are prose: never searched for labels
# Values that mean "not given".
EMPTY_VALUES = frozenset(["", "无", "暂无", "-", "--", "—", "——", "/", "／", "空", "null", "none"])
# Splitting lists of issuing bodies and keywords.
LIST_SEPARATORS = re.compile(r"[、,，;；\s|｜/]+")
KEYWORD_SEPARATORS = re.compile(r"[、,，;；\s|｜]+")

# Meta tags named like a field (some CMSs write the table into <meta name="文号" ...>): the
# label vocabulary above is matched against meta names too.

# --- 文号 -----------------------------------------------------------------------------------
# 粤府办〔2024〕12号, 粤府办[2024]12号, 粤府办（2024）12号, 国发〔2023〕第5号.
DOCUMENT_NUMBER = re.compile(
    r"(?P<org>[\u4e00-\u9fff]{1,15}?)\s*"
    r"[〔\[［(（【﹝〖｛{]\s*(?P<year>(?:19|20)\d{2})\s*[〕\]］)）】﹞〗｝}]\s*"
    r"第?\s*(?P<num>\d{1,5})\s*号"
)
# What every 文号 contains: a year in brackets (a cheap test before DOCUMENT_NUMBER).
NUMBER_HINT = re.compile(r"[〔\[［(（【﹝〖｛{]\s*(?:19|20)\d{2}\s*[〕\]］)）】﹞〗｝}]")
# Words that open a sentence, not an issuer's prefix: stripped from the front of a 文号 found in
# running text ("根据粤府〔2023〕5号" -> 粤府〔2023〕5号).
NUMBER_PREFIX_NOISE = re.compile(
    r"^(?:根据|按照|依据|依照|参照|执行|落实|贯彻|印发|转发|见|详见|即|和|及|与|的|是|为|经|以|了)+"
)
# A line under the title that is only a 文号 (maybe with the year's 〔〕 in other brackets).
NUMBER_LINE_MAX_CHARS = 30
NUMBER_LINE_LOOKAHEAD = 6  # lines after the title where the 文号 line is looked for

# A 文号 in brackets closing the title.
TITLE_NUMBER = re.compile(
    r"[(（]\s*(?P<number>[\u4e00-\u9fff]{1,15}\s*[〔\[［(（【]\s*(?:19|20)\d{2}\s*[〕\]］)）】]"
    r"\s*第?\s*\d{1,5}\s*号)\s*[)）]\s*$"
)

# --- 落款 (signature) and 成文日期 at the end -------------------------------------------------
SIGNATURE_LOOKBACK = 14  # last lines of the text where the 落款 is looked for
SIGNATURE_MAX_BODIES = 6  # issuing bodies on consecutive lines above the date
BODY_MAX_CHARS = 40
# An issuing body ends with the name of an organ of government.
ISSUER_SUFFIX = re.compile(
    r"(?:人民政府|政府|办公厅|办公室|委员会|委|局|厅|部|署|院|会|中心|处|所|站|队|办|组|"
    r"街道办事处|管理委员会|管委会|党委|党组|总局|总署|银行|联合会|协会|分局|支队|大队|中央)$"
)
# Lines that follow a 落款 and are not part of it.
AFTER_SIGNATURE = re.compile(r"^[（(].{0,30}[)）]$|^(?:抄送|印发|附件)")
CN_NUMERALS = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4,
               "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
# A whole line that is a date: 2024年3月5日, 2024-03-05, 二〇二四年三月五日.
DATE_LINE = re.compile(
    r"^(?P<y>(?:19|20)\d{2}|[〇○零ＯO一二三四五六七八九]{4})\s*年\s*"
    r"(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*"
    r"(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日$"
    r"|^(?P<y2>(?:19|20)\d{2})[-/.](?P<m2>\d{1,2})[-/.](?P<d2>\d{1,2})$"
)
# A 落款 line that ends with its date: 东莞市人民政府办公室　2024年3月5日.
BODY_AND_DATE = re.compile(
    r"^(?P<bodies>.+?)\s+(?P<date>(?:(?:19|20)\d{2}|[〇○零ＯO一二三四五六七八九]{4})\s*年.+日)$"
)
CN_DATE = re.compile(
    r"(?P<y>[〇○零ＯO一二三四五六七八九]{4})\s*年\s*(?P<m>[一二三四五六七八九十]{1,3})\s*月\s*"
    r"(?P<d>[一二三四五六七八九十]{1,3})\s*日"
)

# --- validity -------------------------------------------------------------------------------
# A notice in the text that the document no longer applies (added when it is abolished).
REPEAL_NOTICE = re.compile(
    r"(?:本|该|此)(?:文件|文|规定|办法|通知|意见|政策|规范性文件|决定|细则|方案)"
    r"[^。\n，,；;《》]{0,30}?(?:已|宣布|予以|起)[^。\n，,；;《》]{0,20}?(?:废止|失效)"
    r"|[【\[（(]\s*已?(?:废止|失效)\s*[】\]）)]"
)
REPEALED = "废止"  # the validity a repeal notice implies when the page gives none

# --- citations ------------------------------------------------------------------------------
# 《title》（文号）
CITED_TITLE_NUMBER = re.compile(
    r"《(?P<title>[^《》\n]{2,80})》\s*[(（]\s*(?P<number>[^()（）\n]{4,30}?号)\s*[)）]"
)
# 根据《title》 / 按照《title》 ... : a title cited without its number.
CITATION_CUE = re.compile(
    r"(?:根据|按照|依据|依照|参照|贯彻|落实|执行|遵照|对照|结合|转发|印发)(?:[^《》。\n]{0,12})"
    r"《(?P<title>[^《》\n]{2,80})》"
)
# Further titles in the same list: 根据《A》（…）、《B》和《C》, 按照《公司法》《证券法》.
CITATION_LIST_NEXT = re.compile(
    r"\s*(?:[(（][^()（）\n]{0,30}[)）])?\s*(?:、|和|及|以及|与|，)?\s*《(?P<title>[^《》\n]{2,80})》"
)
# 根据 粤府〔2023〕5号 文件精神 / 根据…号文 : a number cited without its title.
CITED_NUMBER = DOCUMENT_NUMBER
