"""Rules for telling outage pages and suspect changes from real edits. Data only, no logic.

Most signals are structural or statistical (a password field the stored page did not have,
a redirect to a sign-in address, little text outside the site's own frame, most of the
stored text gone, many documents turning into one text); the phrases are a last resort
for short pages that name themselves in their title.
"""

from __future__ import annotations

import re

# --- suspect changes: believed only when a second fetch shows the same text ---------------
# Less than this share of the stored text's character pairs left: replaced or cut.
KEPT_SHARE_MIN = 0.5
# This many documents of one run turning into one same text: the site's outage page.
SHARED_TEXT_MIN_DOCUMENTS = 3
# A truncated text's last line stops without ending a sentence where the stored one goes on.
SENTENCE_ENDS = "。！？!?.；;…”’」』）)：:》>"
# Bytes at the end of a page where its closing tag is looked for.
TAIL_BYTES = 2048
CLOSING_TAG = re.compile(rb"</(?:html|body)\s*>", re.I)

# --- system pages: never a version ---------------------------------------------------------
# A system page says little: the phrase and frame rules only apply below this many characters.
TINY_TEXT_CHARS = 300
# A page that keeps less than this share of the stored page's links is not in the site's frame.
FRAME_SHARE_MIN = 0.3
FRAME_MIN_LINKS = 5  # stored pages with fewer links say nothing about a frame
LINK = re.compile(rb"""<a\b[^>]*?\bhref\s*=\s*["']?([^"'\s>#]+)""", re.I)
IGNORED_LINK = re.compile(rb"^(?:javascript:|mailto:|tel:|#)", re.I)
PASSWORD_FIELD = re.compile(rb"""<input\b[^>]*\btype\s*=\s*["']?password\b""", re.I)
CAPTCHA_FIELD = re.compile(
    rb"<(?:input|img)\b[^>]*(?:captcha|verifycode|verify_code|checkcode|validatecode|"
    rb"validcode|authcode|yzm|vcode)",
    re.I,
)
# Path or query words of sign-in services (CAS, OAuth, the provinces' unified identity
# platforms); a redirect to such an address is a login wall.
SIGN_IN_URL = re.compile(
    r"(?:^|[/_.?&=-])(?:login|logon|signin|sso|cas|passport|oauth2?|authorize|auth|uias|"
    r"tyrz|idp)(?:$|[/_.?&=-])",
    re.I,
)
# How short system pages name themselves in their title (simplified script).
SYSTEM_TITLE = re.compile(
    r"系统维护|维护中|升级中|暂停服务|暂停访问|统一身份认证|身份认证|用户登录|请登录|登录页|"
    r"验证码|人机验证|安全验证|访问验证|访问被拒绝|拒绝访问|禁止访问|无权访问|访问受限|"
    r"安全威胁|已被拦截|安全拦截|防火墙|"
    r"maintenance|unavailable|access denied|forbidden|captcha|sign in|log in|login",
    re.I,
)
