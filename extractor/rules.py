"""Extraction rules as data: selectors, tag sets, phrases and patterns. No logic lives here.

Phrases are written in simplified script; the text cleaner matches them against the
simplified form of each line, so traditional-script pages are covered by the same lists.
"""

from __future__ import annotations

import re

# --- limits: bounded work per page ---------------------------------------------------------
MAX_ELEMENTS = 60_000  # elements we prune and render; real article pages have a few thousand
MAX_TEXT_LINES = 20_000  # lines of plain text input we clean
MAX_TEXT_CHARS = 3_000_000  # characters of plain text input we clean
SNIFF_BYTES = 4096  # where charset declarations are looked for

# --- encodings -----------------------------------------------------------------------------
# Declared names mapped to the codec we decode with (supersets, as browsers and w3lib do).
ENCODING_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "gb_2312-80": "gb18030",
    "euc-cn": "gb18030",
    "gb18030": "gb18030",
    "big5": "big5hkscs",
    "big5-hkscs": "big5hkscs",
    "x-x-big5": "big5hkscs",
    "cp950": "big5hkscs",
    "utf8": "utf-8",
    "utf-8": "utf-8",
    "unicode-1-1-utf-8": "utf-8",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "cp1252",
}
# Byte-order marks, longest first.
BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
DECLARED_CHARSET = re.compile(
    rb"""(?:charset|encoding)\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.IGNORECASE
)
# Share of private-use characters above which a strict decode is taken as the wrong codec
# (U+E5E5, GBK's A3A0 full-width space in GB18030-2005, is not counted).
MAX_PRIVATE_USE_RATIO = 0.02
# Share of undecodable characters we still accept from the best single-byte-pair decode.
MAX_REPLACEMENT_RATIO = 0.01

# --- tree pruning --------------------------------------------------------------------------
# Elements whose content never belongs to the main text.
DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "svg",
    "math",
    "canvas",
    "template",
    "select",
    "option",
    "textarea",
    "button",
    "input",
    "map",
    "area",
    "audio",
    "video",
    "source",
    "head",
    "link",
    "meta",
    "base",
    "marquee",
)
# Inline style declarations that hide an element (matched against the lower-cased style).
# Each alternative starts with a literal letter so that the regex engine skips to those
# letters; "f(?<![-\w]f)ont-size" is "font-size" not preceded by a word character or "-".
_OFF_SCREEN = r"\s*:\s*-\d{3,}"
_ZERO_BOX = r"\s*:\s*0(?:px)?\s*;.*overflow\s*:\s*hidden"
HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|"
    r"f(?<![-\w]f)ont-size\s*:\s*0(?:\.0+)?(?:px|pt|em|rem|%)?\s*(?:;|$|!)|"
    rf"left{_OFF_SCREEN}|top{_OFF_SCREEN}|text-indent{_OFF_SCREEN}|"
    rf"w(?<![-\w]w)idth{_ZERO_BOX}|h(?<![-\w]h)eight{_ZERO_BOX}",
)
# Simple stylesheet rules (`.cls {...}` / `#id {...}`) whose body hides what they select.
STYLESHEET_RULE = re.compile(r"([.#][\w-]+)\s*\{([^{}]*)\}")
# --- main content --------------------------------------------------------------------------
# Hanweb (大汉) marks the article body with these comments.
HANWEB_MARKER = "ZJEG_RSS.content.begin"
HANWEB_BODY = re.compile(
    r"<!--\s*ZJEG_RSS\.content\.begin\s*-->(.*?)<!--\s*ZJEG_RSS\.content\.end\s*-->", re.S
)
# Government CMS body containers, most specific first, each with a string the raw HTML must
# contain for the XPath to be worth running (most pages have none, so this costs nothing).
CONTENT_CONTAINERS = (
    ("TRS_UEDITOR", "//div[contains(concat(' ', normalize-space(@class), ' '), ' TRS_UEDITOR ')]"),
    ("TRS_Editor", "//div[contains(concat(' ', normalize-space(@class), ' '), ' TRS_Editor ')]"),
    ("UCAP-CONTENT", "//*[@id='UCAP-CONTENT']"),
    ("UCAPCONTENT", "//ucapcontent"),
    ("ucapcontent", "//ucapcontent"),
    ("zoom", "//*[@id='zoom']"),
    (
        "pages_content",
        "//div[contains(concat(' ', normalize-space(@class), ' '), ' pages_content ')]",
    ),
    ("xl_content", "//div[contains(concat(' ', normalize-space(@class), ' '), ' xl_content ')]"),
    (
        "article-content",
        "//div[contains(concat(' ', normalize-space(@class), ' '), ' article-content ')]",
    ),
    ("con_con", "//*[@id='con_con']"),
    (
        "easysite-news-peruse",
        "//div[contains(concat(' ', normalize-space(@class), ' '), ' easysite-news-peruse ')]",
    ),
)
# A known container is trusted when it holds at least this many characters of text.
CONTAINER_MIN_CHARS = 20

# Elements that start a new line of text.
BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "td",
        "th",
        "tr",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "caption",
        "section",
        "article",
        "header",
        "footer",
        "nav",
        "aside",
        "blockquote",
        "pre",
        "form",
        "center",
        "body",
        "html",
        "hr",
        "address",
        "figure",
        "figcaption",
        "main",
        "fieldset",
        "legend",
        "details",
        "summary",
        "title",
        "text",
    ]
)
# Data tables: a cell longer than this is running text, so its table is a page grid.
TABLE_MAX_CELL_CHARS = 300
TABLE_MAX_SPAN_SHARE = 2.0  # cells after repeating merged ones, per cell written: above, a drawing
TABLE_MAX_SPAN = 50  # colspan/rowspan values above this are treated as this (bounded work)
# Blocks whose parent is their container (a <p> belongs to the <div> around it).
PARAGRAPH_TAGS = frozenset(["tr", "p", "li", "dd", "dt", "h4", "h5", "h6", "blockquote", "pre"])
HEADING_TAGS = frozenset(["h1", "h2", "h3"])
# Punctuation that marks running prose (sentences), not menus.
PROSE_PUNCT = frozenset("，。、；：！？“”「」,;")

# Scoring of text blocks for the general (density) method.
BLOCK_OVERHEAD = 12.0  # a block must carry this many characters of prose to count for itself
LINK_PENALTY = 2.0  # each linked character costs this much
NO_PUNCT_FACTOR = 0.35  # blocks without sentence punctuation count for less
LINK_HEAVY = 0.5  # link share above which a block is navigation
PROSE_LINK_CHARS = 150  # a link this long with sentences in it is content, not navigation
PROSE_LINK_PUNCT = 3
TITLE_LOOKBACK = 12  # blocks before the body where the headline is looked for
TITLE_FAR_LOOKBACK = 40  # ... and where a line that is the page's <title> is looked for
HEADLINE_MIN_CHARS = 4
HEADLINE_MAX_CHARS = 60  # a headline above a byline is a short line
NEARBY_MAX_CHARS = 300  # texts before the body longer than this are not bylines

# --- metadata ------------------------------------------------------------------------------
META_TITLE = ("articletitle",)  # trusted above the page's own headline
META_TITLE_FALLBACK = ("og:title",)  # trusted below it
META_DATE = ("pubdate", "publishdate", "article:published_time", "maketime", "firstpublishedtime")
META_PUBLISHER = ("contentsource",)
# The site code of the national government web design standard: the official site marks it.
META_SITE_ID_CODE = ("siteidcode",)
# Site-name suffixes of <title>: "Headline - Site" / "Headline_Column_Site".
TITLE_SEPARATORS = re.compile(r"\s*(?:[-_|–—]{1,2}|::|\s\|\s)\s*")
DATE_PATTERN = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:(?:\s*|T)(?P<H>\d{1,2})\s*[:：时]\s*(?P<M>\d{2})(?:\s*[:：分]\s*(?P<S>\d{2}))?)?"
)
# Labels in front of a date (within DATE_LABEL_REACH characters) that make it the
# publication date, or a date of something else (the document's signing, entry into force).
DATE_LABEL_REACH = 12
PUBLICATION_LABEL = re.compile(r"发布|發布|发表|發表|发稿|時間|时间|更新|日期")
NOT_PUBLICATION_LABEL = re.compile(
    r"成文|印发|生效|施行|实施|實施|截止|有效期|废止|开始|结束|举办|报名"
)
# An explicit UTC offset after a date-time ("2018-05-07T11:00:00+08:00", "...Z").
UTC_OFFSET = re.compile(
    r"\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?\s*(?:(?P<z>Z)|(?P<sign>[+-])(?P<hh>\d{2}):?(?P<mm>\d{2}))\b"
)
# The pages watched here are published in UTC+8 (mainland China, Hong Kong, Macau, Taiwan):
# a date without an offset is read in that zone.
DEFAULT_UTC_OFFSET = "+08:00"
PUBLISHER_PATTERN = re.compile(
    r"(?:来源|來源|信息来源|文章来源|稿源|出处)\s*[:：]\s*(?P<src>[^\s|｜=<>\"'：:]{2,30})(?![=\w])"
)
# A line that is only a date/source/author/views byline (read for metadata, then dropped).
BYLINE = re.compile(
    r"^(?:[\s|｜]*(?:(?:发布|發布|发表|更新|时间|時間|日期|来源|來源|信息来源|作者|编辑|責任編輯|责任编辑|"
    r"浏览|瀏覽|阅读|點擊|点击|访问|字号|字體|字体|分享)[^\s|｜]{0,8}\s*[:：]?\s*[^|｜]{0,40}|"
    r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?))+"
    r"[\s|｜]*$"
)

BYLINE_MAX_CHARS = 80  # a short unpunctuated line with a date near the top is a byline
BYLINE_LABEL = re.compile(r"来源|发布|时间|日期|作者|编辑|浏览|点击|阅读|访问|字号")

# --- text cleaning (plain text and extracted text alike) -------------------------------------
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_PUNCT = "，。、；：！？“”‘’（）《》【】「」『』…—"
# Pinyin syllable with a tone mark, in parentheses (added by SEO mirrors after characters).
# Both start with their literal and look behind it afterwards: the engine then skips to "("
# or "," instead of testing the look-behind at every character.
PINYIN_ANNOTATION = re.compile(
    rf"\((?<=[{CJK}]\()(?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{{1,7}}\)"
)
STRAY_COMMA = re.compile(r",(?=[,，。、；！？;!?])")
CJK_COMMA = re.compile(rf",(?<=[{CJK}”」》）],)(?=[{CJK}“「《（])")
LETTER_SPACED = re.compile(rf"(?<!\S)[{CJK}](?:[ \u3000]+[{CJK}])+(?!\S)")
# U+E5E5 is where GB18030-2005 puts GBK's A3A0, which old pages used as a full-width space.
SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u3000\ufeff\ue5e5]+")

# Lines that are page chrome wherever they appear (matched on the whole simplified line).
CHROME_LINES = re.compile(
    r"^(?:头部|ico|首页|返回顶部|返回首页|打印本页|打印|关闭窗口|关闭|【?\s*字[号体]\s*[:：]?\s*(?:大\s*中\s*小)?\s*】?|"
    r"[【\[]?\s*(?:大|中|小)\s*(?:中|小)?\s*(?:小)?\s*[】\]]?|默认|扫一扫在手机打开当前页|扫一扫在手机上查看当前页面|"
    r"分享到\s*[:：]?.*|分享\s*[|｜:：]?|文章关键词\s*[:：]?|附件\s*[:：]?|相关附件|相关新闻|相关内容|相关链接|相关文章|相关阅读|"
    r"上一篇.*|下一篇.*|【?\s*打印\s*】?|【?\s*关闭\s*】?|收藏本页|加入收藏|设为首页|网站地图|联系我们|"
    r"领取福利|微信扫码领取福利|微信扫码分享|微信扫一扫|手机扫一扫|\d{3,8}|[-–—=_*·•]+|"
    r"您访问的链接即将离开.*|(?:责任|責任|本文|文字|图片)?编辑\s*[:：].{0,20}|(?:本文|文章|信息|稿件)?来源\s*[:：].{0,30}|【\s*我要纠错\s*】|\(?\s*[第]?\s*\d+\s*/\s*\d+\s*页\s*\)?|"
    # "read more" teasers and feed controls
    r"[【\[(（]?\s*(?:阅读全文|展开全文|查看全文|点击查看全文|阅读更多|查看更多|加载更多|点击加载更多|"
    r"展开剩余\d*\s*%?|继续阅读)\s*[】\])）>»]*)$",
)
# Phrases that mark a whole line as footer or content-farm chrome (on the lower-cased line).
# Every alternative starts with a literal character: the regex engine then skips to the
# positions holding one of them instead of trying each alternative at every character.
_REPRINT = r"(?:以任何(?:形式|方式))?(?:转载|复制|摘编)"
CHROME_PHRASES = re.compile(
    r"网站标识码|icp备|icp证|公网安备|主办单位|承办单位|主办\s*[:：]|承办\s*[:：]|技术支持\s*[:：]|"
    r"版权所有|copyright|©|备案号|扫一扫在手机|记住我[,，]?来上我|预计阅读时长|共计\d+个字|"
    r"微信扫码|在手机打开当前页|\(第\d+/\d+页[)）]|（第\d+/\d+页[)）]|即将离开.{0,10}网站|"
    r"建议使用.{0,20}浏览器|分辨率浏览|"
    # share prompts and reprint prohibitions (copyright boilerplate under news articles)
    r"分享[至到给](?:微信)?朋友圈|打开微信|未经.{0,30}(?:授权|许可|同意).{0,30}(?:不得|禁止|严禁)|"
    rf"不得{_REPRINT}|禁止{_REPRINT}|严禁{_REPRINT}|谢绝{_REPRINT}",
)
# A trailing run of short lines after one of these is a menu (相关附件 媒体报道 音频视频 ...).
TAIL_MARKERS = re.compile(
    r"^(?:相关附件|相关新闻|相关内容|相关链接|相关文章|扫一扫在手机打开当前页)$"
)
# A short line like these after the article ends it: what follows is comments, related
# links, disclaimers or paging. Only honoured once some text has been kept.
END_MARKERS = re.compile(
    r"^[【\[#\s]*(?:评论|发表评论|网友评论|我要评论|查看评论|查看全部评论|已有\d+条评论|相关新闻|相关阅读|"
    r"相关文章|相关链接|相关报道|相关专题|相关稿件|延伸阅读|推荐阅读|热点推荐|热门推荐|猜你喜欢|"
    r"更多精彩|声明|免责声明|版权声明|特别声明|上一篇|下一篇|分享到|打印本页|打印|关闭窗口|返回顶部|"
    r"网友留言|留言板|我来说两句|全部评论|最新评论|热门评论|精彩评论|关键字|关键词|标签|热门标签|"
    # recommendation feeds after the article
    r"其他人也在看|大家都在看|他们都在看|你可能感兴趣|您可能感兴趣|你可能还喜欢|您可能还喜欢|为你推荐|"
    r"为您推荐|相关推荐|精彩推荐|更多推荐|编辑推荐|热门文章|热点新闻|热门新闻|最新文章|"
    r"看了本文的人还看了|看过本文的人还看了|更多阅读|更多新闻|"
    r"(?i:comments?|post a comment|leave a (?:reply|comment)|related (?:posts|articles|stories)))"
    r"(?:[\s:：】\]>»]|$)"
)
BARE_END_MARKER = re.compile(END_MARKERS.pattern + r"[\s:：】\]>»\d条()（）]*$")
TOOL_MARKER = re.compile(r"^[【\[#\s]*打印")
TOOL_MARKER_MIN_PROSE = 100  # characters of sentences that must come before a print button
# Of those, the ones that head a box of related items: some sites put whole related
# articles (paragraphs of prose) under them inside the article, so they end the text only
# when what follows reads like a list of headlines.
RELATED_MARKER = re.compile(r"^[【\[#\s]*(?:相关|延伸|推荐|更多)")
RELATED_LOOKAHEAD = 4  # lines after the marker that are checked for prose
PROSE_LINE_CHARS = 60  # a line at least this long with a full stop in it is prose
END_MARKER_MAX_CHARS = 40  # longer lines are prose that happens to start with such a word
END_MARKER_MIN_KEPT = 60  # characters of text that must come before an end marker
# Style sheet, script and template text that reached the text (a <style> written as text,
# a client-side template never filled in): dropped when the line is mostly not CJK.
CODE_LINE = re.compile(
    r"\{\s*[\w-]+\s*:\s*[^{};]+;?[^{}]*\}"
    r"|\bfunction\s*[\w$]*\s*\(|\b(?:var|let|const)\s+[\w$]+\s*=|\bdocument\.\w+|\bwindow\.\w+"
    r"|=>\s*\{|\bjQuery\(|\$\(\s*[\"'\w]"
)
CODE_MAX_CJK_SHARE = 0.3
CODE_HINTS = ("{", "=", "<%", "function", "document.", "window.", "jQuery(", "$(")
# Unfilled template placeholders ({{ item.title }}, {% if %}, <%= x %>) mark a line as template.
TEMPLATE_PLACEHOLDER = re.compile(r"\{\{.{0,80}?\}\}|\{%.{0,80}?%\}|<%.{0,80}?%>")
# Paging and breadcrumb lines: "1 2 3 4 下一页", "您现在的位置：首页 > 娱乐 > 正文".
PAGING_LINE = re.compile(r"^(?:[\d\s\[\]]|上一页|下一页|首页|尾页|末页|共\d+页|第\d+页)+$")
BREADCRUMB_LINE = re.compile(
    r"^(?:您?(?:现在|当前)?的?(?:位置|所在位置)\s*[:：].*|(?:[^>»\s]{1,12}\s*[>»›]\s*){2,}[^>»\s]{0,12})$"
)
# Lines shorter than this without prose punctuation may be menu items in a trailing run.
SHORT_LINE = 12

# SEO spam: keyword-stuffed lines of short items joined by | or commas.
SPAM_SEPARATORS = re.compile(r"[|｜,，]")
SPAM_WORDS = re.compile(
    r"国产|精品|视频|在线|高清|欧美|亚洲|日韩|成人|自拍|伦理|麻豆|av|vlog|无码|有码|免费|"
    r"五月天|综合|一区|二区|三区|福利|午夜|影院|香蕉|久久|91|制片厂|播放|黄色|色哟哟|偷拍|人妻",
    re.IGNORECASE,
)
SPAM_MIN_ITEMS = 4  # items in a stuffed line
SPAM_MAX_ITEM_CHARS = 16  # each item is short
SPAM_MIN_HITS = 3  # spam keywords it contains

# Mojibake: characters that mark undecodable bytes, next to CJK text.
MOJIBAKE_ANCHOR = re.compile(
    rf"[?\ufffd\ue000-\uf8ff]+(?=[^\x00-\x7f])|(?<=[{CJK}{CJK_PUNCT}])[?\ufffd\ue000-\uf8ff]+"
)
QUESTION_CONTEXT = 6  # characters after a `?` that must read as common text for a question mark
MOJIBAKE_MAX_SPAN = 40  # characters a misaligned run lasts at most before we stop looking
