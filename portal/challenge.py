"""A JS cookie challenge in the manner of Rivers Security (瑞数): 412, a ``$_ts`` script, a reload.

The script derives a cookie from a nonce and reloads the page; only a client that runs
JavaScript gets the cookie, and requests carrying it pass. A plain HTTP client sees 412 forever.
"""

from __future__ import annotations

import random
from http.cookies import SimpleCookie

COOKIE = "gwts_clearance"
SERVER_COOKIE = "gwts_80S"  # set by the server on the 412, as the real thing does; not enough
MODULUS = 1_000_000_007


def new_nonce(seed: int) -> str:
    return random.Random(seed).randbytes(12).hex()


def token(nonce: str) -> str:
    """What the page's script computes (kept in step with ``page`` below)."""
    value = 7
    for char in nonce:
        value = (value * 31 + ord(char)) % MODULUS
    return format(value, "x")


def passes(cookie_header: str | None, nonce: str) -> bool:
    cookies = SimpleCookie()
    try:
        cookies.load(cookie_header or "")
    except Exception:  # noqa: BLE001 - a garbled Cookie header simply does not pass
        return False
    morsel = cookies.get(COOKIE)
    return morsel is not None and morsel.value == token(nonce)


def page(nonce: str) -> bytes:
    script = (
        "var $_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=84163;$_ts.cd=\"" + nonce + "\";"
        "(function(){var s=$_ts.cd,v=7;for(var i=0;i<s.length;i++){"
        f"v=(v*31+s.charCodeAt(i))%{MODULUS};}}"
        f"document.cookie=\"{COOKIE}=\"+v.toString(16)+\"; path=/\";"
        "location.reload();})();"
    )
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
        f"<script type=\"text/javascript\" r=\"m\">{script}</script></head><body></body></html>"
    ).encode()
