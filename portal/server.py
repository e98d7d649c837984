"""The HTTP side: a threaded server, the request handler, faults and conditional requests."""

from __future__ import annotations

import contextlib
import hashlib
import os
import socket
import struct
import threading
from collections.abc import Callable, Iterable
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

from portal import challenge, listings, outages, pages, responses, routes
from portal.routes import Reply, Settings
from portal.state import HANWEB_PROXY, RequestLog, State

POST_PATHS = (HANWEB_PROXY,)


class Traffic:
    """Requests being answered right now, the most at once, and an added latency.

    Politeness is measured where it matters, at the server: the peak is the largest number
    of requests this portal was answering at the same moment.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latency = 0.0  # seconds added to every answer, like a distant portal
        self.in_flight = 0
        self.peak = 0

    def enter(self) -> None:
        with self.lock:
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)

    def leave(self) -> None:
        with self.lock:
            self.in_flight -= 1

    def reset_peak(self) -> None:
        with self.lock:
            self.peak = self.in_flight


class Server:
    """A portal served from a daemon thread; a context manager that stops it on exit."""

    def __init__(self, state: State, settings: Settings, host: str, port: int,
                 timeout_sleep: Callable[[], float], traffic: Traffic | None = None) -> None:
        self.stopping = threading.Event()
        self.traffic = traffic or Traffic()
        handler = type("Handler", (Handler,), {
            "state": state, "settings": settings, "stopping": self.stopping,
            "timeout_sleep": staticmethod(timeout_sleep), "traffic": self.traffic,
        })
        self.httpd = ThreadingHTTPServer((host, port), handler)
        self.httpd.daemon_threads = True
        self.host, self.port = self.httpd.server_address[:2]
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), name="portal",
                                       daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def stop(self) -> None:
        if self.stopping.is_set():
            return
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "nginx"
    sys_version = ""
    timeout = 60
    state: State
    settings: Settings
    stopping: threading.Event
    timeout_sleep: Callable[[], float]
    traffic: Traffic

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - base signature
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.answer(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self.answer(send_body=False)

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        form = self.rfile.read(length).decode("utf-8", "replace")
        path = urlsplit(self.path).path
        if path in POST_PATHS or path.endswith(POST_PATHS):
            self.answer(send_body=True, form=dict(parse_qsl(form, keep_blank_values=True)))
            return
        self.log(405, 0)
        self.reply(Reply(405, pages.nginx_error(405, "Not Allowed").encode(), "text/html"),
                   logged=True)

    def finish(self) -> None:
        with contextlib.suppress(OSError):
            super().finish()

    def answer(self, send_body: bool, form: dict[str, str] | None = None) -> None:
        self.traffic.enter()
        try:
            if self.traffic.latency:
                self.stopping.wait(self.traffic.latency)
            self.respond(send_body, form)
        finally:
            self.traffic.leave()

    def respond(self, send_body: bool, form: dict[str, str] | None = None) -> None:
        parts = urlsplit(self.path)
        path = parts.path
        query = {**dict(parse_qsl(parts.query, keep_blank_values=True)), **(form or {})}
        host, port = self.server.server_address[:2]
        base = f"http://{self.headers.get('Host') or f'{host}:{port}'}"
        with self.state.lock:
            nonce = self.state.challenge
        if nonce and path != "/robots.txt" and not challenge.passes(
            self.headers.get("Cookie"), nonce
        ):
            cookie = f"{challenge.SERVER_COOKIE}={nonce[:8]}; Path=/; HttpOnly"
            self.reply(Reply(412, challenge.page(nonce), "text/html"), {"Set-Cookie": cookie},
                       send_body)
            return
        with self.state.lock:
            fault = self.state.take_fault(path)
            reply = listings.resolve(self.settings, self.state, path, query) or routes.resolve(
                self.settings, self.state, path, query, base)
            if fault == "soft404":
                reply = routes.soft_404(self.settings, self.state)
        if fault is not None and fault != "soft404":
            self.fail(fault, reply, send_body)
            return
        etag = f'"{hashlib.sha1(reply.body).hexdigest()[:20]}"'
        if reply.last_modified is not None and reply.status == 200:
            headers = {"ETag": etag, "Last-Modified": format_datetime(reply.last_modified, True)}
            if self.not_modified(etag, reply):
                self.reply(Reply(304, b"", ""), headers, send_body=False)
                return
            self.reply(reply, headers, send_body)
        else:
            self.reply(reply, send_body=send_body)

    def not_modified(self, etag: str, reply: Reply) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
            return "*" in tags or etag in tags
        since = self.headers.get("If-Modified-Since")
        if since and reply.last_modified is not None:
            try:
                return reply.last_modified <= parsedate_to_datetime(since)
            except (TypeError, ValueError):
                return False
        return False

    def reply(self, reply: Reply, headers: dict[str, str] | None = None,
              send_body: bool = True, length: int | None = None,
              chunks: Iterable[bytes] | None = None, logged: bool = False) -> None:
        body = reply.body
        size = len(body) if length is None else length
        if not logged:
            self.log(reply.status, size if send_body and reply.status != 304 else 0)
        self.send_response(reply.status)
        if reply.content_type:
            self.send_header("Content-Type", reply.content_type)
        if reply.status != 304:
            self.send_header("Content-Length", str(size))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if not send_body or reply.status == 304:
            return
        try:
            for piece in chunks if chunks is not None else [body]:
                self.wfile.write(piece)
        except OSError:
            self.close_connection = True

    def log(self, status: int, size: int) -> None:
        entry = RequestLog(self.command, self.path, status, size, dict(self.headers.items()))
        with self.state.lock:
            self.state.requests.append(entry)

    def fail(self, kind: str, reply: Reply, send_body: bool) -> None:
        """Answer badly, the way real portals do: ``fault_<kind>`` answers for each kind."""
        getattr(self, f"fault_{kind}")(reply, send_body)

    def fault_timeout(self, reply: Reply, send_body: bool) -> None:
        self.log(reply.status, len(reply.body))
        if self.stopping.wait(self.timeout_sleep()):
            self.close_connection = True
            return
        self.reply(reply, send_body=send_body, logged=True)

    def fault_500(self, reply: Reply, send_body: bool) -> None:
        body = pages.nginx_error(500, "Internal Server Error").encode()
        self.reply(Reply(500, body, "text/html"), send_body=send_body)

    def fault_404(self, reply: Reply, send_body: bool) -> None:
        self.reply(routes.not_found(self.settings, self.state), send_body=send_body)

    def fault_410(self, reply: Reply, send_body: bool) -> None:
        self.reply(Reply(410, pages.nginx_error(410, "Gone").encode(), "text/html"),
                   send_body=send_body)

    def fault_reset(self, reply: Reply, send_body: bool) -> None:
        self.log(0, 0)
        self.reset()

    def fault_truncated(self, reply: Reply, send_body: bool) -> None:
        """Content-Length promises the whole page; half of it comes, then the connection closes."""
        half = reply.body[: len(reply.body) // 2]
        self.reply(Reply(200, half, reply.content_type), send_body=send_body,
                   length=len(reply.body))
        self.close_connection = True

    def fault_huge(self, reply: Reply, send_body: bool) -> None:
        self.reply(Reply(200, b"", "text/html; charset=utf-8"), send_body=send_body,
                   length=responses.HUGE_BYTES, chunks=responses.huge_chunks())

    def fault_binary(self, reply: Reply, send_body: bool) -> None:
        data = responses.binary(len(self.path))
        self.reply(Reply(200, data, "application/octet-stream"), send_body=send_body)

    def fault_empty(self, reply: Reply, send_body: bool) -> None:
        self.reply(Reply(200, b"", "text/html; charset=utf-8"), send_body=send_body)

    def fault_home_redirect(self, reply: Reply, send_body: bool) -> None:
        body = pages.nginx_error(302, "Found").encode()
        self.reply(Reply(302, body, "text/html"), {"Location": "/"}, send_body)

    def fault_maintenance(self, reply: Reply, send_body: bool) -> None:
        self.reply(self._page(outages.maintenance(self.settings.site)), send_body=send_body)

    def fault_login(self, reply: Reply, send_body: bool) -> None:
        self.reply(self._page(outages.sign_in(self.path)), send_body=send_body)

    def fault_login_redirect(self, reply: Reply, send_body: bool) -> None:
        location = f"{outages.SIGN_IN_PATH}?service={quote(self.path, safe='')}"
        body = pages.nginx_error(302, "Found").encode()
        self.reply(Reply(302, body, "text/html"), {"Location": location}, send_body)

    def fault_captcha(self, reply: Reply, send_body: bool) -> None:
        nonce = hashlib.sha1(self.path.encode()).hexdigest()[:12]
        self.reply(self._page(outages.captcha(nonce)), send_body=send_body)

    def fault_waf(self, reply: Reply, send_body: bool) -> None:
        event = hashlib.sha1(self.path.encode()).hexdigest()[:16].upper()
        self.reply(self._page(outages.waf_block(event)), send_body=send_body)

    def fault_busy(self, reply: Reply, send_body: bool) -> None:
        with self.state.lock:
            footer = self.state.footer
        self.reply(self._page(outages.busy(self.settings.site, footer)), send_body=send_body)

    def fault_cut(self, reply: Reply, send_body: bool) -> None:
        """The page stops mid-paragraph, and Content-Length says that is all there is."""
        body = reply.body
        start = body.find(b"<p", body.find(b'class="article-content"'))
        end = body.find(b"<div", start)  # the paragraphs end where the share box begins
        middle = (start + end) // 2 if 0 <= start < end else len(body) // 2
        while middle > 0 and body[middle] & 0xC0 == 0x80:  # not inside a UTF-8 character
            middle -= 1
        self.reply(Reply(200, body[:middle], reply.content_type), send_body=send_body)
        self.close_connection = True

    @staticmethod
    def _page(html: str) -> Reply:
        return Reply(200, html.encode("utf-8"), "text/html; charset=utf-8")

    def reset(self) -> None:
        """Drop the connection with a TCP reset and no answer."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            os.close(self.connection.detach())
        except OSError:
            pass
