"""HTML rendering: home, listing, article and error pages of a Chinese government CMS.

Every piece of text is HTML-escaped here; nothing else builds markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from portal import govdocs
from portal.state import COLUMN, Article

COLUMN_NAME = "政府工作报告"
NAV = (
    ("首页", "/"),
    ("政务公开", "/zwgk/"),
    ("政务服务", "/zwfw/"),
    ("互动交流", "/hdjl/"),
    ("走进{place}", "/zjca/"),
)
SIDE_COLUMNS = (
    ("政府工作报告", "gzbg"), ("政策文件", "zcwj"), ("通知公告", "tzgg"), ("规划计划", "ghjh"),
)
STYLE = """body{margin:0;font:14px/1.8 "Microsoft YaHei",SimSun,sans-serif;color:#333}
.w{width:1100px;margin:0 auto}.top-bar{background:#f5f5f5;font-size:12px}
.header{background:#c40000;color:#fff;padding:18px 0}.header a{color:#fff;font-size:28px}
.nav{background:#a00000}.nav li{display:inline-block;padding:6px 24px}.nav a{color:#fff}
.crumbs{padding:10px 0;color:#666}h1{text-align:center;font-size:24px}
.info{text-align:center;color:#888;border-bottom:1px dashed #ccc;padding-bottom:8px}
.article-content p{font-size:16px;line-height:2}.footer{background:#eee;text-align:center;
padding:16px 0;margin-top:30px;font-size:12px}.list li{list-style:none;border-bottom:1px dotted
#ccc;padding:4px 0}.list span{float:right;color:#888}.page{text-align:center;margin:16px}"""


@dataclass(frozen=True)
class Site:
    name: str
    host: str
    town: str
    id_code: str
    icp: str
    police: str


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def head(site: Site, title: str, meta_charset: str | None, metas: list[tuple[str, str]],
         content_first: bool = False) -> str:
    charset = f'<meta charset="{_e(meta_charset)}">\n' if meta_charset else ""
    tags = []
    for name, value in metas:
        if content_first:
            tags.append(f'<meta content="{_e(value)}" name="{_e(name)}">')
        else:
            tags.append(f'<meta name="{_e(name)}" content="{_e(value)}">')
    return (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n" + charset
        + '<meta http-equiv="X-UA-Compatible" content="IE=edge,chrome=1">\n'
        + '<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
        + f"<title>{_e(title)}</title>\n" + "\n".join(tags) + "\n"
        + f"<style>{STYLE}</style>\n"
        + "<script>var _hmt = _hmt || []; var siteId = \"" + _e(site.id_code) + "\";</script>\n"
        + "</head>\n"
    )


def site_metas(site: Site) -> list[tuple[str, str]]:
    return [("SiteName", site.name), ("SiteDomain", site.host), ("SiteIDCode", site.id_code)]


def column_metas() -> list[tuple[str, str]]:
    return [
        ("ColumnName", COLUMN_NAME),
        ("ColumnDescription", "发布镇政府工作报告、工作总结和计划执行情况"),
        ("ColumnKeywords", "政府工作报告,工作总结,政务公开"),
        ("ColumnType", COLUMN_NAME),
    ]


def top(site: Site) -> str:
    place = site.town.removesuffix("镇").removesuffix("街道") or site.town
    nav = "".join(
        f'<li><a href="{_e(href)}">{_e(text.format(place=place))}</a></li>' for text, href in NAV
    )
    return (
        '<body>\n<div class="top-bar"><div class="w">欢迎访问' + _e(site.name) + "门户网站"
        ' <a href="javascript:void(0);" id="wza">无障碍浏览</a>'
        ' <a href="javascript:void(0);" id="zzms">长者模式</a>'
        ' <a href="/gate/big5/' + _e(site.host) + '/">繁體版</a></div></div>\n'
        '<div class="header"><div class="w"><a href="/" class="logo">' + _e(site.name) + "</a>"
        '<form class="search" action="/search/" method="get"><input type="text" name="q" '
        'placeholder="请输入关键字"><button type="submit">搜索</button></form></div></div>\n'
        f'<div class="nav"><ul class="w">{nav}</ul></div>\n'
    )


def crumbs() -> str:
    return (
        '<div class="crumbs w">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a>'
        f' &gt; <a href="{COLUMN}index.html">{COLUMN_NAME}</a></div>\n'
    )


def footer(site: Site, text: str) -> str:
    extra = f"<p>{_e(text)}</p>" if text else ""
    return (
        '<div class="footer"><div class="w">'
        '<p><a href="/wzdt/">网站地图</a> | <a href="/lxwm/">联系我们</a> | '
        '<a href="/wzsm/">网站声明</a></p>'
        f"<p>主办单位：{_e(site.name)}　承办单位：{_e(site.town)}政务服务中心</p>"
        f"<p>网站标识码：{_e(site.id_code)}　<a href=\"https://beian.miit.gov.cn/\">"
        f"{_e(site.icp)}</a>　<a href=\"http://www.beian.gov.cn/\">{_e(site.police)}</a></p>"
        f"{extra}"
        '<p><a href="https://bszs.conac.cn/"><img alt="党政机关" src="/images/dzjg.png"></a>'
        ' <img alt="政府网站找错" src="/images/zhaocuo.png"></p></div></div>\n'
    )


def hidden_junk(site: Site) -> str:
    return (
        '<div class="leave-tips" style="display:none">您访问的链接即将离开“'
        + _e(site.name) + "门户网站”，是否继续？ 继续访问 放弃</div>\n"
        '<div style="display:none" id="keywords-cloud">本站热词 办事指南 营业执照 社保查询 '
        "公积金 招聘信息 统计代码 cnzz tongji 访问统计 在线客服</div>\n"
    )


def end() -> str:
    return (
        "<script>function doZoom(size){var z=document.querySelector('.article-content');"
        "if(z){z.style.fontSize=size+'px';}}</script>\n</body>\n</html>\n"
    )


def article_page(site: Site, article: Article, footer_text: str, meta_charset: str | None) -> str:
    metas = site_metas(site) + column_metas() + [
        ("ArticleTitle", article.title),
        ("PubDate", article.published),
        ("ContentSource", article.source),
        ("Keywords", f"{site.town},{COLUMN_NAME}"),
        ("Description", article.paragraphs[0][:80] if article.paragraphs else article.title),
        ("Url", f"http://{site.host}{article.path}"),
    ]
    paragraphs = []
    head_lines, tail_lines = (
        govdocs.body_lines(article.govdoc, article.paragraphs) if article.govdoc else ([], [])
    )
    for text in head_lines:
        paragraphs.append(f'<p style="text-align:center">{_e(text)}</p>')
    for index, text in enumerate(article.paragraphs):
        if (article.id + index) % 3 == 0:
            paragraphs.append(f"<p>　　{_e(text)}</p>")
        else:
            paragraphs.append(f'<p style="text-indent: 2em;">{_e(text)}</p>')
    for text in tail_lines:
        paragraphs.append(f'<p style="text-align:right">{_e(text)}</p>')
    table = decoys = ""
    if article.govdoc:
        table = govdocs.metadata_block(article.govdoc, article.title, article.published)
        decoys = govdocs.sidebar(
            [(t, f"{site.town[:1]}府办〔{2020 + i}〕{17 + i * 3}号", d)
             for i, (t, _p, d) in enumerate(article.related[:3])]
        )
    attachment = ""
    if article.attachment_path:
        attachment = (
            '<div class="fujian">附件：<a href="' + _e(article.attachment_path) + '">'
            + _e(article.title) + "." + _e(article.attachment_kind) + "</a></div>\n"
        )
    related = "".join(
        f'<li><a href="{_e(path)}" target="_blank">{_e(title)}</a><span>{_e(date)}</span></li>'
        for title, path, date in article.related
    )
    return (
        head(site, f"{article.title}_{site.name}", meta_charset, metas, article.id % 3 == 0)
        + top(site) + crumbs()
        + '<div class="main w"><div class="article">\n' + table
        + f'<h1 class="title">{_e(article.title)}</h1>\n'
        + f'<div class="info"><span class="time">发布日期：{_e(article.published)}</span>　'
        + f'<span class="source">来源：{_e(article.source)}</span>　'
        + '<span class="font">【字体：<a href="javascript:doZoom(20)">大</a> '
        + '<a href="javascript:doZoom(16)">中</a> <a href="javascript:doZoom(14)">小</a>】</span>'
        + "</div>\n"
        + '<div class="article-content">\n' + "\n".join(paragraphs) + "\n"
        + '<div class="wx-share" style="display:none">微信扫一扫：分享 微信里点“发现”，'
        + "扫一下 二维码便可将本文分享至朋友圈。</div>\n</div>\n"
        + attachment
        + '<div class="article-tools"><a href="javascript:window.print();">【打印本页】</a>'
        + ' <a href="javascript:window.close();">【关闭窗口】</a></div>\n'
        + '<div class="share">分享到：<a class="bds_weixin" href="javascript:;">微信</a> '
        + '<a class="bds_tsina" href="javascript:;">微博</a> '
        + '<a class="bds_qzone" href="javascript:;">QQ空间</a></div>\n'
        + '<div id="qr_container">扫一扫在手机打开当前页<img alt="二维码" src="/images/qr.png">'
        + "</div>\n"
        + hidden_junk(site)
        + f'<div class="related"><h3>相关新闻</h3><ul class="list">{related}</ul></div>\n'
        + decoys
        + "</div></div>\n" + footer(site, footer_text) + end()
    )


def pager(pages: int, current: int) -> str:
    def name(index: int) -> str:
        return "index.html" if index == 0 else f"index_{index}.html"

    def link(text: str, index: int, enabled: bool) -> str:
        return f'<a href="{name(index)}">{text}</a>' if enabled else f"<span>{text}</span>"

    numbers = " ".join(
        f'<span class="current">{i + 1}</span>' if i == current
        else f'<a href="{name(i)}">{i + 1}</a>'
        for i in range(pages)
    )
    return (
        '<div class="page">\n'
        f"<script>var countPage = {pages}; var currentPage = {current};\n"
        f'createPageHTML({pages}, {current}, "index", "html");</script>\n'
        + link("首页", 0, current > 0) + " "
        + link("上一页", current - 1, current > 0) + " " + numbers + " "
        + link("下一页", current + 1, current < pages - 1) + " "
        + link("尾页", pages - 1, current < pages - 1)
        + f" <span>共{pages}页</span>\n</div>\n"
    )


PAGER_SCRIPT = (
    "<script>function createPageHTML(count, current, prefix, suffix){"
    "/* TRS WCM pager: the links below are the same, written for browsers without JS */}"
    "</script>\n"
)


def listing_page(site: Site, items: list[Article], page: int, pages: int, footer_text: str,
                 meta_charset: str | None, column: str = COLUMN_NAME) -> str:
    rows = "\n".join(
        f'<li><a href="./content/post_{a.id}.html" title="{_e(a.title)}" target="_blank">'
        f"{_e(a.title)}</a><span>{_e(a.published[:10])}</span></li>"
        for a in items
    ) or "<li>暂无信息</li>"
    side = "".join(
        f'<li><a href="/zwgk/{code}/index.html">{_e(name)}</a></li>' for name, code in SIDE_COLUMNS
    )
    return (
        head(site, f"{column}_{site.name}", meta_charset, site_metas(site) + column_metas())
        + top(site) + crumbs() + PAGER_SCRIPT
        + f'<div class="main w"><div class="side"><h3>政务公开</h3><ul>{side}</ul></div>\n'
        + f'<div class="column"><h2>{_e(column)}</h2>\n<ul class="list">\n{rows}\n</ul>\n'
        + pager(pages, page) + "</div></div>\n"
        + footer(site, footer_text) + end()
    )


def trs_listing_page(site: Site, items: list[Article], page: int, pages: int, footer_text: str,
                     meta_charset: str | None) -> str:
    """A TRS WCM column: the pager exists only as script, so no link leads to page two."""
    rows = "\n".join(
        f'<li><a href="../gzbg/content/post_{a.id}.html" target="_blank">{_e(a.title)}</a>'
        f"<span>{_e(a.published[:10])}</span></li>"
        for a in items
    ) or "<li>暂无信息</li>"
    script = (
        '<div class="page"><script language="JavaScript">\n'
        f"var currentPage = {page};//所在页从0开始\nvar countPage = {pages}//共多少页\n"
        f'createPageHTML({pages}, {page}, "index", "html");\n</script></div>\n'
    )
    return (
        head(site, f"{COLUMN_NAME}_{site.name}", meta_charset, site_metas(site) + column_metas())
        + top(site) + crumbs() + PAGER_SCRIPT
        + f'<div class="main w"><div class="column"><h2>{COLUMN_NAME}</h2>\n'
        + f'<ul class="list">\n{rows}\n</ul>\n' + script + "</div></div>\n"
        + footer(site, footer_text) + end()
    )


def hanweb_record(article: Article) -> str:
    """One Hanweb jpage record: an HTML fragment for a CDATA section."""
    title = _e(article.title).replace("]]>", "]]&gt;")
    return (
        f'<li><a href="{_e(article.path)}" title="{title}" target="_blank">{title}</a>'
        f"<span>{_e(article.published[:10])}</span></li>"
    )


def hanweb_datastore(records: list[Article], total: int, per_page: int, proxy_query: str) -> str:
    rows = "".join(f"<record><![CDATA[{hanweb_record(a)}]]></record>\n" for a in records)
    return (
        f'<datastore>\n<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?'
        f'{_e(proxy_query)}"></a>]]></nextgroup>\n'
        f"<recordset>\n{rows}</recordset>\n<totalrecord>{total}</totalrecord>\n"
        f"<totalpage>{-(-total // per_page) if per_page else 1}</totalpage>\n</datastore>"
    )


def hanweb_column_page(site: Site, datastore: str, column_id: int, per_page: int, total: int,
                       footer_text: str, meta_charset: str | None) -> str:
    """A Hanweb jcms column: the first records inline as XML, the rest through dataproxy.jsp."""
    return (
        head(site, f"{COLUMN_NAME}_{site.name}", meta_charset, site_metas(site) + column_metas()
             + [("i_columnid", str(column_id))])
        + top(site) + crumbs()
        + f'<div class="main w"><div class="column"><h2>{COLUMN_NAME}</h2>\n'
        + f'<div id="{column_id}"><script type="text/xml">\n{datastore}\n</script>'
        + "<script>$(document).ready(function(){$('#" + str(column_id) + "').jpage({"
        + f"dataStore: dataStore, perPage: {per_page}, totalRecord: {total}, "
        + "proxyUrl: '/module/web/jpage/dataproxy.jsp', groupSize: 3});});</script></div>\n"
        + "</div></div>\n" + footer(site, footer_text) + end()
    )


def home_page(site: Site, latest: list[Article], footer_text: str,
              meta_charset: str | None) -> str:
    rows = "\n".join(
        f'<li><a href="{a.path}" target="_blank">{_e(a.title)}</a>'
        f"<span>{_e(a.published[:10])}</span></li>"
        for a in latest
    )
    return (
        head(site, site.name, meta_charset, site_metas(site))
        + top(site)
        + '<div class="main w"><div class="banner">' + _e(site.town) + "欢迎您</div>\n"
        + f'<div class="column"><h2><a href="{COLUMN}index.html">{COLUMN_NAME}</a></h2>'
        + f'<a class="more" href="{COLUMN}index.html">更多&gt;&gt;</a>\n'
        + f'<ul class="list">{rows}</ul></div></div>\n'
        + footer(site, footer_text) + end()
    )


def message_page(site: Site, title: str, message: str, footer_text: str) -> str:
    """Error pages and the soft 404: the site's frame around a short message."""
    return (
        head(site, title, "utf-8", site_metas(site)) + top(site)
        + f'<div class="main w"><div class="error"><h1>{_e(title)}</h1><p>{_e(message)}</p>'
        + '<p><a href="/">返回首页</a></p></div></div>\n'
        + footer(site, footer_text) + end()
    )


def robots() -> str:
    return "User-agent: *\nDisallow: /admin/\nDisallow: /search/\n"


def nginx_error(status: int, reason: str) -> str:
    return (
        f"<html>\r\n<head><title>{status} {_e(reason)}</title></head>\r\n<body>\r\n"
        f"<center><h1>{status} {_e(reason)}</h1></center>\r\n<hr><center>nginx</center>\r\n"
        "</body>\r\n</html>\r\n"
    )
