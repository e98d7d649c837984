"""How a long-running process logs: plain lines for a terminal, JSON lines for a collector."""

from __future__ import annotations

import logging
from typing import Literal

LogFormat = Literal["text", "json"]
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(log_format: LogFormat = "text", level: int = logging.INFO) -> None:
    """Send every logger to stderr, one line a record: text, or one JSON object a line.

    JSON records carry ``time``, ``level``, ``logger`` and ``message``, plus whatever a call
    passes in ``extra``; non-ASCII text stays readable (no \\u escapes).
    """
    handler = logging.StreamHandler()
    if log_format == "json":
        from pythonjsonlogger.json import JsonFormatter

        handler.setFormatter(
            JsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(message)s",
                rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
                json_ensure_ascii=False,
            )
        )
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level)
