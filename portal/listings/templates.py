"""Rendering a family's listing page, its decoys, its pager and its script data.

Every piece of text is HTML-escaped here (titles in scripts are JSON-encoded).
"""

from __future__ import annotations

import base64
import json
import random
from dataclasses import dataclass
from html import escape

from portal.listings.families import FRIENDS, NAV, SIDE, SUBMENU, TABS, Family

SCRIPT_CLOSE = "</"  # never inside a script's JSON: "<\/" is what CMSs print


@dataclass(frozen=True)
class Doc:
    """A document as a listing prints it."""

    id: int
    title: str
    date: str  # YYYY-MM-DD
    url: str  # absolute path


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def fields(doc: Doc) -> dict[str, str]:
    y, m, d = doc.date.split("-")
    short = doc.title if len(doc.title) <= 16 else doc.title[:15] + "..."
    return {
        "id": str(doc.id), "hex": f"{doc.id:032x}", "y": y, "m": str(int(m)),
        "d": str(int(d)), "ym": y + m, "ymd": y + m + d, "title": _e(doc.title),
        "short": _e(short), "date": doc.date, "url": _e(doc.url),
    }


def page(family: Family, site_name: str, meta_charset: str | None, docs: list[Doc],
         number: int, pages: int, decoys: list[Doc], prefix: str) -> str:
    """Listing page ``number`` (from 1) of ``pages``."""
    rng = random.Random(f"{family.name}:{number}")
    body = _list(family, docs, number, pages, prefix)
    if family.tabbed:
        body = _tab_panels(family, body, decoys[6:16])
    side = _side(family, decoys[:6], prefix, rng)
    charset = f'<meta charset="{_e(meta_charset)}">' if meta_charset else ""
    return (
        f"<!DOCTYPE html>\n<html><head>{charset}<title>通知公告_{_e(site_name)}</title>\n"
        '<meta name="ColumnName" content="通知公告"><meta name="ColumnType" content="通知公告">\n'
        "<script>var _hmt = _hmt || [];</script></head>\n<body>\n"
        + _header(site_name, prefix, rng)
        + f'<div class="main w"><div class="{family.box} left">{side}</div>\n'
        + '<div class="content right"><div class="crumbs">当前位置：'
        + f'<a href="{prefix}/">首页</a> &gt; <a href="{prefix}/zwgk/">政务公开</a> &gt; '
        + "<span>通知公告</span></div>\n<h2 class=\"column-title\">通知公告</h2>\n"
        + body + "</div></div>\n"
        + _tabs(family, decoys[6:21], prefix)
        + _friends()
        + _footer(site_name, prefix)
        + "</body></html>\n"
    )


def _list(family: Family, docs: list[Doc], number: int, pages: int, prefix: str) -> str:
    if family.mode == "render":
        return _drawn_list(docs)
    if family.mode in ("embedded", "api", "api-html"):
        return _script_list(family, docs, pages, prefix)
    if family.mode == "datastore":
        return _datastore_column(family, docs, prefix)
    items = [family.item.format(**fields(d)) for d in docs]
    if family.split:
        chunks = [items[i:i + family.split] for i in range(0, len(items), family.split)]
        rows = '<div class="line"></div>'.join(
            family.list_open + "\n".join(c) + family.list_close for c in chunks
        )
    else:
        rows = family.list_open + "\n" + "\n".join(items) + "\n" + family.list_close
    return rows + "\n" + pager(family, number, pages, prefix)


def page_url(family: Family, number: int, prefix: str) -> str:
    if number == 1:
        return prefix + family.start
    return prefix + family.page.replace("{n}", str(number + family.page_offset))


def pager(family: Family, number: int, pages: int, prefix: str) -> str:
    def url(k: int) -> str:
        return _e(page_url(family, k, prefix))

    kind = family.pager
    if kind == "trs-script":
        return (
            '<div class="page"><script language="JavaScript">\n'
            f"var currentPage = {number - 1};//所在页从0开始\nvar countPage = {pages}//共多少页\n"
            f'createPageHTML({pages}, {number - 1}, "index", "html");\n</script></div>\n'
        )
    if kind == "js-pagination":
        return (
            '<div id="page_public" class="pagination"></div>\n<script>\n'
            "$(function(){ pagination({ el: '#page_public', totalPage: " + str(pages)
            + ", currentPage: " + str(number) + ", callBack: function(i){ "
            "if (i == 1) { window.location.href = 'index.html'; } else { "
            "window.location.href = 'index_' + i + '.html'; } } }); });\n</script>\n"
        )
    if kind == "total-only":
        links = " ".join(
            f'<a href="javascript:goPage({k})">{k}</a>' for k in range(1, min(pages, 5) + 1)
        )
        return (
            f'<div class="fy">共{pages}页 当前第{number}页 '
            f'<a href="javascript:goPage(1)">首页</a> {links} '
            f'<a href="javascript:goPage({min(number + 1, pages)})">下一页</a> '
            f'<a href="javascript:goPage({pages})">尾页</a></div>\n'
        )
    if kind == "next-only":
        nxt = (f'<a href="{url(number + 1)}">下页</a> <a href="{url(number + 1)}">&gt;</a>'
               if number < pages else "下页")
        prev = f'<a href="{url(number - 1)}">上页</a>' if number > 1 else "上页"
        return f'<div class="pg">{prev} {nxt}</div>\n'
    if kind in ("links", "query"):
        window = range(max(1, number - 2), min(pages, number + 2) + 1)
        numbers = " ".join(
            f"<span class=\"current\">{k}</span>" if k == number else f'<a href="{url(k)}">{k}</a>'
            for k in window
        )
        first = f'<a href="{url(1)}">首页</a>' if number > 1 else "<span>首页</span>"
        prev = f'<a href="{url(number - 1)}">上一页</a>' if number > 1 else "<span>上一页</span>"
        nxt = (f'<a href="{url(number + 1)}">下一页</a>' if number < pages
               else "<span>下一页</span>")
        last = f'<a href="{url(pages)}">末页</a>' if number < pages else "<span>末页</span>"
        return (f'<div class="pages"><ul class="pagelist">{first} {prev} {numbers} {nxt} '
                f"{last} <span class=\"pageinfo\">共 <strong>{pages}</strong>页</span></ul>"
                "</div>\n")
    return ""


def records(docs: list[Doc], host_prefix: str = "") -> list[dict[str, object]]:
    return [{"title": d.title, "url": host_prefix + d.url, "publishTime": d.date + " 09:00:00",
             "id": d.id, "source": "镇人民政府办公室"} for d in docs]


def _script_list(family: Family, docs: list[Doc], pages: int, prefix: str) -> str:
    """A list drawn by scripts: nothing but a placeholder in the HTML."""
    api = prefix + family.api
    if family.mode == "api":
        call = ("$.ajax({url: '" + api + "', type: 'get', dataType: 'json', "
                "data: {page: 1, sid: '441900'}, success: function(res){ renderList(res); }});")
    elif family.mode == "api-html":  # the page number inside a JSON parameter
        call = ("$.ajax({url: '" + api + "', type: 'get', dataType: 'json', data: {webId: 1, "
                "pageId: 4535, parseType: 'buildstatic', pageType: 'column', tagId: '信息列表', "
                "paramJson: '{\"pageNo\":1,\"pageSize\":" + str(family.per_page) + "}'}, "
                "success: function(res){ $('#list-box').html(res.data.html); }});")
    else:
        call = ("$.ajax({url: '" + api + "', type: 'get', dataType: 'json', "
                f"data: {{columnId: {family.start.split('col')[-1].split('/')[0]}, pageNo: 1, "
                f"pageSize: {family.per_page}}}, success: function(res){{ draw(res); }}}});")
    embedded = ""
    if family.mode == "embedded":
        data = json.dumps(records(docs), ensure_ascii=False).replace(SCRIPT_CLOSE, "<\\/")
        embedded = (f"var articleList = {data};\nvar pageInfo = {{pageSize: {family.per_page}, "
                    f"totalPage: {pages}}};\n")
    return (
        '<div id="list-box" class="list-box"><ul id="list"></ul><div id="pager"></div></div>\n'
        "<script>\n" + embedded
        + "function draw(res){ var ul = document.getElementById('list'); }\n"
        + "$(function(){ " + call + " });\n</script>\n"
    )


def _drawn_list(docs: list[Doc]) -> str:
    """A list no parser can read: base64 data drawn into the page by a script."""
    data = base64.b64encode(json.dumps(
        [[d.url, d.title, d.date] for d in docs], ensure_ascii=False).encode()).decode()
    return (
        '<ul id="drawn" class="list"></ul>\n<script>\n(function(){ var raw = atob("' + data
        + '"); var bytes = Uint8Array.from(raw, function(c){ return c.charCodeAt(0); });\n'
        "var rows = JSON.parse(new TextDecoder().decode(bytes)); "
        "var ul = document.getElementById('drawn');\n"
        "rows.forEach(function(r){ var li = document.createElement('li'); "
        "var a = document.createElement('a'); a.href = r[0]; a.textContent = r[1]; "
        "var s = document.createElement('span'); s.textContent = r[2]; "
        "li.appendChild(a); li.appendChild(s); ul.appendChild(li); });\n})();\n</script>\n"
    )


def _datastore_column(family: Family, docs: list[Doc], prefix: str) -> str:
    rows = "".join(
        "<record><![CDATA[" + family.item.format(**fields(d)).replace("]]>", "]]&gt;")
        + "]]></record>\n" for d in docs
    )
    return (
        '<div id="4531"><script type="text/xml">\n<datastore>\n'
        f'<nextgroup><![CDATA[<a href="{prefix}/module/web/jpage/dataproxy.jsp?page=1'
        '&appid=1&webid=1&path=/&columnid=4531&unitid=11&webname=x&permissiontype=0"></a>]]>'
        f"</nextgroup>\n<recordset>\n{rows}</recordset>\n<totalrecord>{{total}}</totalrecord>\n"
        "</datastore>\n</script><script>$(document).ready(function(){$('#4531').jpage({"
        f"dataStore: dataStore, perPage: {family.per_page}, totalRecord: {{total}}, "
        f"proxyUrl: '{prefix}/module/web/jpage/dataproxy.jsp', groupSize: 3}});}});</script>"
        "</div>\n"
    )


def datastore(family: Family, docs: list[Doc], total: int) -> str:
    rows = "".join(
        "<record><![CDATA[" + family.item.format(**fields(d)) + "]]></record>\n" for d in docs
    )
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<datastore><recordset>\n{rows}'
            f"</recordset><totalrecord>{total}</totalrecord></datastore>")


def _header(site_name: str, prefix: str, rng: random.Random) -> str:
    menu = []
    for index, word in enumerate(NAV):
        subs = "".join(
            f'<li><a href="{prefix}/col{index}/sub{k}/">{_e(s)}</a></li>'
            for k, s in enumerate(rng.sample(SUBMENU, 4))
        )
        href = f"{prefix}/" if index == 0 else f"{prefix}/col{index}/"
        menu.append(f'<li class="nav-item"><a href="{href}">{_e(word)}</a><ul class="sub">'
                    f"{subs}</ul></li>")
    return (
        f'<div class="top"><div class="w">欢迎访问{_e(site_name)} '
        f'<a href="{prefix}/wza/">无障碍</a> <a href="{prefix}/big5/">繁体版</a></div></div>\n'
        f'<div class="header"><a href="{prefix}/" class="logo">{_e(site_name)}</a></div>\n'
        f'<div class="nav"><ul class="w">{"".join(menu)}</ul></div>\n'
    )


def _side(family: Family, hot: list[Doc], prefix: str, rng: random.Random) -> str:
    column = "".join(f'<li><a href="{prefix}/zwgk/c{k}/">{_e(s)}</a></li>'
                     for k, s in enumerate(SIDE))
    hot_items = "".join(
        f'<li><a href="{_e(d.url)}" title="{_e(d.title)}">{_e(d.title)}</a>'
        f"<span>{d.date}</span></li>" for d in hot
    )
    picks = rng.sample(hot, min(4, len(hot)))
    recommended = "".join(f'<li><a href="{_e(d.url)}">{_e(d.title)}</a></li>' for d in picks)
    return (
        f'<div class="{family.box}-a"><h3>政务公开</h3><ul>{column}</ul></div>\n'
        f'<div class="{family.box}-b"><div class="hd"><h3>{_e(family.hot_heading)}</h3></div>'
        f'<ul class="bd">{hot_items}</ul></div>\n'
        f'<div class="{family.box}-c"><h3>推荐阅读</h3><ul>{recommended}</ul></div>\n'
    )


def _tab_panels(family: Family, body: str, docs: list[Doc]) -> str:
    """The column's list as the first panel of a tab strip; the other panels list other
    columns' documents in the very same markup, hidden until their tab is clicked."""
    heads = "".join(f'<li{" class=cur" if k == 0 else ""}>{_e(t)}</li>'
                    for k, t in enumerate(("通知公告", *TABS[:2])))
    panels = "".join(
        f'<div class="{family.tabs}-panel" style="display:none">{family.list_open}'
        + "".join(family.item.format(**fields(d)) for d in docs[k * 5:(k + 1) * 5])
        + f'{family.list_close}<a class="more" href="#">更多&gt;&gt;</a></div>'
        for k in range(2)
    )
    return (f'<div class="{family.tabs}-box"><ul class="{family.tabs}-nav">{heads}</ul>'
            f'<div class="{family.tabs}-body"><div class="{family.tabs}-panel">{body}</div>'
            f"{panels}</div></div>\n")


def _tabs(family: Family, docs: list[Doc], prefix: str) -> str:
    heads = "".join(f'<li{" class=on" if k == 0 else ""}>{_e(t)}</li>' for k, t in enumerate(TABS))
    bodies = "".join(
        f'<ul class="{family.tabs}-list"{"" if k == 0 else " style=display:none"}>'
        + "".join(f'<li><a href="{_e(d.url)}">{_e(d.title)}</a><span>{d.date}</span></li>'
                  for d in docs[k * 5:(k + 1) * 5])
        + "</ul>" for k in range(len(TABS))
    )
    return (f'<div class="{family.tabs}-wrap w"><ul class="{family.tabs}-hd">{heads}</ul>'
            f'<div class="{family.tabs}-bd">{bodies}</div></div>\n')


def _friends() -> str:
    links = "".join(f'<li><a href="{_e(url)}" target="_blank">{_e(name)}</a></li>'
                    for name, url in FRIENDS)
    return f'<div class="yqlj w"><h3>友情链接</h3><ul>{links}</ul></div>\n'


def _footer(site_name: str, prefix: str) -> str:
    return (
        f'<div class="footer"><p><a href="{prefix}/wzdt/">网站地图</a> | '
        f'<a href="{prefix}/lxwm/">联系我们</a> | <a href="{prefix}/wzsm/">网站声明</a></p>'
        f"<p>主办单位：{_e(site_name)} 网站标识码：4419000001 粤ICP备12345678号</p></div>\n"
    )
