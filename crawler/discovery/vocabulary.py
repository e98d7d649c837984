"""Words, class names and script names that listing discovery reads as evidence: data only.

Nothing here names a site. Each table is a hint the scorer weighs against the page's
structure; none decides alone.
"""

from __future__ import annotations

import re

# Elements whose text or links are never listing items.
SKIPPED_TAGS = frozenset({
    "script", "style", "noscript", "template", "select", "option", "head", "title", "meta",
    "link", "iframe", "object", "svg", "textarea", "button", "input", "form", "map",
})
# Page regions that hold site chrome rather than a column's documents.
CHROME_TAGS = frozenset({"nav", "header", "footer", "aside"})
# Class/id words of chrome and of side boxes (navigation, breadcrumbs, hot/related/recommended
# lists, friend links, tab strips). Matched against whole tokens split on -, _ and case.
CHROME_WORDS = frozenset({
    "nav", "navbar", "menu", "menus", "submenu", "header", "head", "top", "topbar", "footer",
    "foot", "bottom", "copyright", "crumb", "crumbs", "breadcrumb", "breadcrumbs", "location",
    "position", "weizhi", "dqwz", "friend", "friends", "yqlj", "links", "link", "hot", "hots",
    "rank", "ranking", "top10", "tuijian", "recommend", "related", "relate", "xgxw", "xgwz",
    "rmwz", "rdgz", "tab", "tabs", "side", "sidebar", "aside", "share",
    "search", "sitemap", "lang", "toolbar", "tool", "tools",
})
# Headings of boxes that list other columns' documents or other sites.
DECOY_HEADINGS = re.compile(
    r"相关|热点|热门|推荐|友情链接|友情連結|排行|点击|阅读排行|最新动态|专题|图片新闻|视频|导航|"
    r"快速通道|便民|服务指南|政务服务|猜你|延伸阅读|网站地图"
)
# Words of a pager's links and text.
NEXT_TEXTS = frozenset({
    "下一页", "下页", "下一頁", "后页", "後頁", "next", "nextpage", ">", "›", "»", ">>", "下一页>",
    "下一页>>", "下一页»", "next>", "next»",
})
LAST_TEXTS = frozenset({"尾页", "末页", "最后一页", "尾頁", "末頁", "last", "lastpage"})
FIRST_TEXTS = frozenset({"首页", "第一页", "上一页", "上页", "前页", "<", "‹", "«", "<<", "prev",
                         "previous", "first"})
PAGER_TEXT = re.compile(r"共\s*\d+\s*页|下一页|下页|尾页|末页|第\s*\d+\s*/\s*\d+\s*页|跳转|转到")
PAGER_WORDS = frozenset({"page", "pages", "pager", "paging", "pagination", "fenye", "pagenav",
                         "pagelist", "pagebar", "pg"})
# Words that make an anchor a document's title in a JSON record (key names).
TITLE_KEYS = re.compile(r"title|name|subject|bt|biaoti|headline|wzbt|doctitle|标题", re.I)
URL_KEYS = re.compile(r"url|link|href|path|address|addr|uri|docpuburl|wzlj", re.I)
DATE_KEYS = re.compile(r"date|time|day|pub|publish|created|rq|fbsj|fbrq|writetime|日期|时间", re.I)
# Script variables that hold a pager's page count, a record total or a page size.
PAGE_COUNT_VARS = (
    "totalPage", "totalPages", "pageCount", "pagecount", "countPage", "page_count", "totalpage",
    "allPage", "pageTotal", "pagesCount", "pageNum", "maxPage", "totalPageNum", "pages",
)
RECORD_COUNT_VARS = (
    "totalRecord", "totalRecords", "totalCount", "recordCount", "totalNum", "totalSize",
    "totalrecord", "total", "count", "recordcount", "totalRow", "totalRows",
)
PAGE_SIZE_VARS = ("pageSize", "perPage", "pagesize", "perpage", "rows", "limit", "size",
                  "page_size", "numPerPage", "pageRows")
# Query parameters that number a list's pages, in a URL or an API call.
PAGE_PARAMS = ("page", "pageNo", "pageIndex", "pageNum", "curPage", "currentPage", "p", "pn",
               "pageno", "pageindex", "page_no", "cpage", "start_page")
# Script URLs that serve list data (an API call the page makes to fill its list).
API_HINT = re.compile(
    r"/api/|\.jsp\b|\.do\b|\.action\b|\.ashx\b|\.json\b|/interface|/service|/front/|"
    r"/list(?:data|json)|dataproxy|/gkmlpt/",
    re.I,
)
