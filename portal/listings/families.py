"""The CMS families' listing templates: URL shapes, item markup, pagers, decoy classes.

Data only; ``templates`` renders it. Placeholders: ``{id}`` the article id, ``{hex}`` a
32-hex id, ``{y} {m} {d} {ym} {ymd}`` the publication date, ``{url} {title} {short}
{date}`` an item's link, title, truncated title and date, ``{n}`` a page number.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Family:
    name: str
    label: str  # the CMS this models
    start: str  # page 1, under /t/<name>
    page: str  # page k >= 2: "{n}" = k + page_offset
    page_offset: int
    article: str  # a document's path, under /t/<name>
    item: str  # one list item
    list_open: str
    list_close: str
    pager: str  # trs-script, links, next-only, js-pagination, total-only, query, none
    mode: str = "html"  # html, datastore, embedded, api, api-html, render
    per_page: int = 10
    charset: str = "utf-8"
    split: int = 0  # items per <ul> when the list is printed in several
    box: str = "box"  # the class side boxes use (neutral names on some families)
    tabs: str = "tab"
    hot_heading: str = "热点信息"
    api: str = ""  # the list API's path, under /t/<name>
    tabbed: bool = False  # the list is one panel of a tab strip; the others list decoys


FAMILIES: dict[str, Family] = {f.name: f for f in (
    Family(
        name="trs", label="TRS WCM",
        start="/zwgk/tzgg/index.html", page="/zwgk/tzgg/index_{n}.html", page_offset=-1,
        article="/zwgk/tzgg/{ym}/t{ymd}_{id}.html",
        item='<li><a href="./{ym}/t{ymd}_{id}.html" target="_blank" title="{title}">{title}</a>'
             "<span>{date}</span></li>",
        list_open='<ul class="list-ul">', list_close="</ul>", pager="trs-script",
        per_page=10, box="bd-box", tabs="tab-con",
    ),
    Family(
        name="hanweb", label="Hanweb jcms (classic, XML datastore and dataproxy.jsp)",
        start="/col/col4531/index.html", page="", page_offset=0,
        article="/art/{y}/{m}/{d}/art_4531_{id}.html",
        item='<li><a href="/t/hanweb/art/{y}/{m}/{d}/art_4531_{id}.html" title="{title}" '
             'target="_blank">{title}</a><span class="bt-data-time">{date}</span></li>',
        list_open="", list_close="", pager="none", mode="datastore", per_page=5,
        box="default_box", tabs="con",
    ),
    Family(
        name="hanwebnew", label="Hanweb new platform (embedded articleList, JSON API)",
        start="/col/col4532/index.html", page="", page_offset=0,
        article="/xwfb/{ymd}/{hex}.html",
        item="", list_open="", list_close="", pager="none", mode="embedded", per_page=12,
        api="/api-gateway/jpaas-publish-server/front/page/build/unit",
    ),
    Family(
        name="empire", label="Empire CMS (帝国CMS), GBK",
        start="/news/index.html", page="/news/index_{n}.html", page_offset=0,
        article="/{y}-{m}-{d}/{id}.html",
        item='<li><span class="date">{date}</span><a href="/t/empire/{y}-{m}-{d}/{id}.html" '
             'target="_blank">{title}</a></li>',
        list_open='<div class="news_list"><ul>', list_close="</ul></div>", pager="links",
        per_page=15, charset="gbk", box="mk", tabs="qh",
    ),
    Family(
        name="dede", label="DedeCMS (织梦), GBK",
        start="/a/zwgk/list_5_1.html", page="/a/zwgk/list_5_{n}.html", page_offset=0,
        article="/a/zwgk/{ymd}/{id}.html",
        item='<li><a href="/t/dede/a/zwgk/{ymd}/{id}.html" class="title">{title}</a>'
             '<span class="info"><small>日期：</small>{date}</span></li>',
        list_open='<div class="listbox"><ul class="e2">', list_close="</ul></div>",
        pager="links", per_page=8, charset="gbk", split=4, box="pright", tabs="tabbox",
    ),
    Family(
        name="phpcms", label="PHPCMS v9",
        start="/index.php?m=content&c=index&a=lists&catid=12",
        page="/index.php?m=content&c=index&a=lists&catid=12&page={n}", page_offset=0,
        article="/index.php?m=content&c=index&a=show&catid=12&id={id}",
        item='<tr><td class="tl"><a href="/t/phpcms/index.php?m=content&amp;c=index&amp;a=show'
             '&amp;catid=12&amp;id={id}" target="_blank">{title}</a></td>'
             '<td class="tr">{date}</td></tr>',
        list_open='<table class="list_table" width="100%"><tbody>',
        list_close="</tbody></table>", pager="query", per_page=12, box="col-auto",
        tabs="switch",
    ),
    Family(
        name="gkmlpt", label="Guangdong intensive platform catalogue (gkmlpt, JSON API)",
        start="/gkmlpt/index", page="", page_offset=0,
        article="/gkmlpt/content/4/4533/post_{id}.html",
        item="", list_open="", list_close="", pager="none", mode="api", per_page=10,
        api="/gkmlpt/api/all/4533",
    ),
    Family(
        name="jpaas", label="jpaas-style column (JS pagination plugin)",
        start="/col/col4534/index.html", page="/col/col4534/index_{n}.html", page_offset=0,
        article="/art/{y}/{m}/{d}/art_4534_{id}.html",
        item='<li><a href="/t/jpaas/art/{y}/{m}/{d}/art_4534_{id}.html" title="{title}" '
             'target="_blank">{short}</a><b>{date}</b></li>',
        list_open='<ul class="zfxxgk_zdgkc">', list_close="</ul>", pager="js-pagination",
        per_page=10, box="right-box", tabs="sub-nav",
    ),
    Family(
        name="sitefactory", label="SiteFactory-like (page count only, script page links)",
        start="/xxgk/index.html", page="/xxgk/index_{n}.html", page_offset=-1,
        article="/xxgk/content/content_{id}.html",
        item='<tr><td class="t"><a href="content/content_{id}.html" target="_blank">{title}</a>'
             '</td><td class="d">[{date}]</td></tr>',
        list_open='<table class="tb" cellspacing="0"><tbody>', list_close="</tbody></table>",
        pager="total-only", per_page=10, box="mod", tabs="items",
        hot_heading="最新文件",
    ),
    Family(
        name="custom", label="A plain custom template (bare links, next links only)",
        start="/news/list.aspx", page="/news/list.aspx?page={n}", page_offset=0,
        article="/news/show.aspx?id={id}",
        item='<a href="show.aspx?id={id}" target="_blank">{title}</a><span>({date})</span><br>',
        list_open='<div class="newslist">', list_close="</div>", pager="next-only",
        per_page=9, box="kuang", tabs="card",
    ),
    Family(
        name="jsonhtml",
        label="jpaas-style unit API: rendered HTML in JSON, the page number in paramJson",
        start="/col/col4535/index.html", page="", page_offset=0,
        article="/art/{y}/{m}/{d}/art_4535_{id}.html",
        item='<li><a href="/t/jsonhtml/art/{y}/{m}/{d}/art_4535_{id}.html" '
             'title="{title}">{title}</a><span>{date}</span></li>',
        list_open="<ul>", list_close="</ul>", pager="none", mode="api-html", per_page=10,
        api="/api-gateway/jpaas-publish-server/front/page/build/unit",
    ),
    Family(
        name="tabbed", label="A column page whose list is one tab of several (same markup)",
        start="/tzgg/index.shtml", page="/tzgg/index_{n}.shtml", page_offset=0,
        article="/tzgg/{ym}/{id}.shtml",
        item='<li><a href="/t/tabbed/tzgg/{ym}/{id}.shtml" title="{title}">{title}</a>'
             "<em>{date}</em></li>",
        list_open='<ul class="news-list">', list_close="</ul>", pager="links", per_page=14,
        box="sidebar", tabs="tab", tabbed=True,
    ),
    Family(
        name="scripted", label="A list only a browser sees (encoded data drawn by script)",
        start="/zwgk/list.html", page="", page_offset=0,
        article="/zwgk/{ymd}/{id}.html",
        item="", list_open="", list_close="", pager="none", mode="render", per_page=60,
    ),
)}

# Decoy boxes: words of other columns and sites.
NAV = ("首页", "政务公开", "政务服务", "互动交流", "走进本镇", "新闻中心", "专题专栏", "数据开放")
SUBMENU = ("领导信息", "机构职能", "政策文件", "规划计划", "财政信息", "人事信息")
SIDE = ("通知公告", "政策文件", "规划计划", "财政预决算", "人事任免", "统计信息", "建议提案")
TABS = ("部门动态", "政策解读", "图片新闻")
FRIENDS = (
    ("中国政府网", "https://www.gov.cn/"), ("广东省人民政府门户网站", "https://www.gd.gov.cn/"),
    ("东莞市人民政府门户网站", "https://www.dg.gov.cn/"),
    ("国家政务服务平台", "https://gjzwfw.www.gov.cn/"),
    ("广东政务服务网", "https://www.gdzwfw.gov.cn/"),
)
DECOY_ID_BASE = 9_000_000  # ids of other columns' documents: not in this column
