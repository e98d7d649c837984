"""A local Chinese town-government portal for tests and ``govwatch demo``.

``Portal`` generates deterministic articles, serves them over HTTP on 127.0.0.1 and lets a
test publish, edit, delete and break pages between crawls.
"""

from portal.server import Server
from portal.site import Portal
from portal.state import FAULT_KINDS, Article, Charset, RequestLog

__all__ = ["FAULT_KINDS", "Article", "Charset", "Portal", "RequestLog", "Server"]
