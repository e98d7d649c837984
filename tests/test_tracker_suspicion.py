"""The judgement of fetched pages: outage pages by their own signals, suspect changes, and
the decoys that must pass (a login box the site always had, a short notice in the site's
frame, a dated announcement of maintenance)."""

from datetime import UTC, datetime

from extractor import extract
from tracker.observations import Page
from tracker.suspicion import Stored, judge, kept_share, stops_mid_sentence

URL = "http://www.example.gov.cn/zwgk/content/post_1.html"
NAV = "".join(f'<li><a href="/col/{i}/">栏目{i}</a></li>' for i in range(12))
PARAGRAPHS = [
    "为进一步优化营商环境，现就有关事项通知如下。",
    "一、全镇规模以上工业增加值增长百分之六点三，固定资产投资增长百分之四点一。",
    "二、各单位要高度重视，认真组织实施，确保各项措施落到实处。",
    "三、本通知自印发之日起施行，由镇人民政府办公室负责解释。",
]


def _html(title: str, paragraphs: list[str], *, frame: bool = True, extra: str = "",
          closed: bool = True) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    meta = '<meta name="PubDate" content="2026-11-20 09:00">' if frame else ""
    html = (
        f"<html><head><title>{title}</title>{meta}</head><body>"
        + (f'<ul class="nav">{NAV}</ul>' if frame else "")
        + f'{extra}<h1>{title}</h1><div class="article-content">{body}</div>'
        + ('<div class="footer"><a href="/wzdt/">网站地图</a></div>' if frame else "")
    )
    return (html + ("</body></html>" if closed else "")).encode("utf-8")


def _page(body: bytes, *, final_url: str = URL) -> Page:
    page = Page(URL, final_url, 200, {"content-type": "text/html; charset=utf-8"}, body,
                datetime.now(UTC))
    page.extraction = extract(body, final_url, content_type="text/html")
    return page


def _stored(body: bytes) -> Stored:
    extraction = extract(body, URL, content_type="text/html")
    return Stored(extraction.text, extraction.title, body)


STORED = _stored(_html("关于优化营商环境的通知", PARAGRAPHS))


def test_gateway_pages_are_system_pages():
    maintenance = _html("系统维护中", ["网站正在进行系统升级维护，暂时无法访问。"], frame=False)
    assert judge(_page(maintenance), STORED).kind == "system"
    login = _html("统一身份认证", ["请登录"], frame=False,
                  extra='<form><input name="u"><input type="password" name="p"></form>')
    assert judge(_page(login), STORED).kind == "system"
    captcha = _html("访问验证", ["请输入验证码"], frame=False,
                    extra='<img src="/waf/captcha?r=1"><input name="vcode">')
    assert judge(_page(captcha), STORED).kind == "system"
    redirected = _page(_html("欢迎", ["欢迎"], frame=False),
                       final_url="http://id.example.gov.cn/sso/login?service=x")
    assert "sign-in" in judge(redirected, STORED).reason
    # No phrase at all: little text and none of the site's frame.
    blank = _html("提示", ["请求已被拒绝，事件编号 3F2A。"], frame=False)
    assert "frame" in judge(_page(blank), STORED).reason


def test_decoys_are_not_system_pages():
    # A login box the site's header always had is no login wall.
    header_login = '<form><input name="u"><input type="password" name="p"></form>'
    stored = _stored(_html("关于优化营商环境的通知", PARAGRAPHS, extra=header_login))
    edited = PARAGRAPHS[:3] + ["三、本通知自2026年12月1日起施行。"]
    assert judge(_page(_html("关于优化营商环境的通知", edited, extra=header_login)), stored) is None
    # A short notice in the site's frame is a real (large) change: suspect, not a system page.
    notice = _page(_html("关于优化营商环境的通知", ["本通知已废止。"]))
    assert judge(notice, STORED).kind == "suspect"
    # A new, dated announcement of maintenance is a document, not a maintenance page.
    announcement = _html("关于网站系统维护的公告", ["本网站将于12月5日进行系统维护。"])
    assert judge(_page(announcement), None) is None


def test_cut_and_replaced_texts_are_suspect():
    cut = _html("关于优化营商环境的通知", [PARAGRAPHS[0], PARAGRAPHS[1][:20]], closed=False)
    assert judge(_page(cut), STORED).kind == "truncated"
    cut_in_frame = _html("关于优化营商环境的通知", [PARAGRAPHS[0], PARAGRAPHS[1][:20]])
    assert "mid-sentence" in judge(_page(cut_in_frame), STORED).reason
    small_edit = PARAGRAPHS[:1] + [PARAGRAPHS[1].replace("六点三", "六点五"), *PARAGRAPHS[2:]]
    assert judge(_page(_html("关于优化营商环境的通知", small_edit)), STORED) is None
    added = [*PARAGRAPHS, "四、附件：实施细则。"]
    assert judge(_page(_html("关于优化营商环境的通知", added)), STORED) is None


def test_measures():
    assert kept_share("甲乙丙丁", "甲乙丙丁戊") == 1.0
    assert kept_share("甲乙丙丁", "子丑寅卯") == 0.0
    assert stops_mid_sentence("第一段。\n第二段的前", "第一段。\n第二段的前半句和后半句。")
    assert not stops_mid_sentence("第一段。\n第二段。", "第一段。\n第二段。\n第三段。")
