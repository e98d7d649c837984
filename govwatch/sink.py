"""A local JSON webhook receiver: where the demo's and the tests' alerts arrive.

Apprise's ``json://host:port/path`` posts ``{"version", "title", "message", "type"}``.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MAX_BODY = 1024 * 1024


class WebhookSink:
    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        on_message: Callable[[dict[str, Any]], None] | None = None,
    ) -> None:
        self.messages: list[dict[str, Any]] = []
        self.fail_next = 0  # answer this many requests with 500, to exercise retries
        self._changed = threading.Condition()
        self._on_message = on_message
        self._server = ThreadingHTTPServer((host, port), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"json://{host}:{port}/hook"

    def __enter__(self) -> WebhookSink:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def wait_for(self, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        """Block until ``count`` messages have arrived (or the timeout passes)."""
        with self._changed:
            self._changed.wait_for(lambda: len(self.messages) >= count, timeout)
            return list(self.messages)

    def _receive(self, payload: dict[str, Any]) -> bool:
        with self._changed:
            if self.fail_next > 0:
                self.fail_next -= 1
                return False
            self.messages.append(payload)
            self._changed.notify_all()
        if self._on_message is not None:
            self._on_message(payload)
        return True

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = min(int(self.headers.get("Content-Length") or 0), MAX_BODY)
                try:
                    payload = json.loads(self.rfile.read(length) or b"{}")
                except json.JSONDecodeError:
                    self.send_response(400)
                    self.end_headers()
                    return
                self.send_response(200 if sink._receive(payload) else 500)
                self.end_headers()

            def log_message(self, *_: object) -> None:
                pass

        return Handler
