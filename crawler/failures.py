"""Naming why a request failed, for the crawl run's error list."""

from __future__ import annotations

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure as TwistedFailure

from crawler.middlewares.addresses import PrivateAddress

# Checked in order; the first matching class names the kind.
KINDS: tuple[tuple[type[BaseException], str], ...] = (
    (HttpError, "http_error"),
    (DownloadTimeoutError, "timeout"),
    (CannotResolveHostError, "dns"),
    (DownloadConnectionRefusedError, "connection_refused"),
    (ResponseDataLossError, "truncated"),
    (DownloadCancelledError, "too_large"),
    (DownloadFailedError, "connection"),
    (PrivateAddress, "private_address"),
    (IgnoreRequest, "ignored"),
    (TimeoutError, "timeout"),
    (ConnectionError, "connection"),
)


def classify(failure: TwistedFailure) -> tuple[str, str]:
    """Return (kind, message) for a failed request."""
    error = failure.value
    message = str(error) or type(error).__name__
    if isinstance(error, IgnoreRequest) and "robots" in message.lower():
        return "robots", message
    for cls, kind in KINDS:
        if isinstance(error, cls):
            return kind, message
    return "failed", f"{type(error).__name__}: {message}"
