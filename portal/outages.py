"""Pages portals and their security gateways serve with status 200 while something is wrong.

Modelled on what real government sites show (FIELD-NOTES §5): the gateway's own small
pages, outside the site's frame, for maintenance, the province's unified sign-in, captchas
and WAF blocks; and, inside the frame, a "server busy" notice the CMS shows for every page.
"""

from __future__ import annotations

from html import escape

from portal.pages import Site, message_page

SIGN_IN_PATH = "/sso/login"

_GATEWAY_STYLE = (
    "body{font-family:'Microsoft YaHei',sans-serif;background:#f2f5f8;margin:0}"
    ".box{width:560px;margin:120px auto;background:#fff;padding:40px;border-radius:6px}"
)


def _gateway(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n<style>{_GATEWAY_STYLE}</style>\n</head>\n"
        f'<body>\n<div class="box">\n{body}\n</div>\n</body>\n</html>\n'
    )


def maintenance(site: Site) -> str:
    return _gateway(
        "系统维护中",
        '<img src="/errorpage/wh.png" alt="">\n<h2>系统维护中</h2>\n'
        f"<p>尊敬的用户：为了给您提供更好的服务，{escape(site.name)}网站正在进行系统升级维护，"
        "暂时无法访问。</p>\n<p>给您带来的不便，敬请谅解！</p>",
    )


def sign_in(service: str) -> str:
    """The province's unified identity platform, as a login wall or a redirect target."""
    return _gateway(
        "统一身份认证平台",
        '<h2>统一身份认证平台</h2>\n'
        f'<form method="post" action="{SIGN_IN_PATH}?service={escape(service)}">\n'
        '<p><input type="text" name="username" placeholder="用户名/手机号/身份证号"></p>\n'
        '<p><input type="password" name="password" placeholder="密码"></p>\n'
        '<p><input type="text" name="verifycode" placeholder="验证码">'
        '<img src="/sso/captcha.jpg" alt="验证码"></p>\n'
        '<p><button type="submit">登录</button> <a href="/sso/register">注册</a>'
        ' <a href="/sso/forget">忘记密码</a></p>\n</form>',
    )


def captcha(nonce: str) -> str:
    return _gateway(
        "访问验证",
        "<h2>访问验证</h2>\n<p>您的访问过于频繁，请输入验证码后继续访问。</p>\n"
        f'<form method="get"><img src="/waf/captcha?r={escape(nonce)}" alt="">'
        '<input type="text" name="vcode"><button type="submit">确定</button></form>',
    )


def waf_block(event_id: str) -> str:
    return _gateway(
        "网站防火墙",
        "<h2>您的访问请求可能对网站造成安全威胁，请求已被拦截。</h2>\n"
        "<p>如果您是网站管理员，请登录防护平台查看拦截日志。</p>\n"
        f"<p>事件编号：{escape(event_id)}</p>",
    )


def busy(site: Site, footer_text: str) -> str:
    """The CMS itself, in the site's frame, when its database is overloaded."""
    return message_page(site, "提示信息", "当前访问人数较多，服务器繁忙，请稍后再试。", footer_text)
