"""Refusing requests to non-public addresses, unless ``[crawl] allow_private_addresses``.

Sources may one day be added by editors from the web app: a start URL, a link on a page or
a redirect must not turn the crawler against the machine it runs on (admin pages, cloud
metadata at 169.254.169.254) or its private network. Every request's host is checked, as a
literal address or by what it resolves to (looked up off the reactor thread, once per host
and crawl); a refused request fails with ``PrivateAddress``, recorded against the run.
The check and the download resolve the name separately, so a name that answers a public
address here and a private one a moment later (DNS rebinding) is not caught.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

LOCAL_NAMES = ("localhost", "localhost.localdomain")


class PrivateAddress(IgnoreRequest):
    """A request to a loopback, private, link-local or otherwise non-public address."""


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


class PublicAddressesOnly:
    def __init__(self) -> None:
        self._verdicts: dict[str, str | None] = {}  # host -> why it is refused, or None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PublicAddressesOnly:
        if crawler.settings.getbool("GOVWATCH_ALLOW_PRIVATE_ADDRESSES"):
            # No message: Scrapy logs one as a warning, and this is a setting, not a fault.
            raise NotConfigured
        return cls()

    async def process_request(self, request: Request) -> None:
        host = (urlsplit(request.url).hostname or "").rstrip(".").lower()
        if host not in self._verdicts:
            self._verdicts[host] = await _refusal(host)
        why = self._verdicts[host]
        if why is not None:
            raise PrivateAddress(
                f"{host} {why}: not fetched ([crawl] allow_private_addresses is off)"
            )


async def _refusal(host: str) -> str | None:
    # The lookup blocks: it runs on a thread of the reactor's pool.
    return await maybe_deferred_to_future(deferToThread(refusal, host))


def refusal(host: str) -> str | None:
    """Why a host must not be fetched (it is or resolves to a non-public address), or None."""
    host = host.rstrip(".").lower()
    if not host:
        return None  # not a network URL (data:, file: are refused by Scrapy itself)
    if host in LOCAL_NAMES or host.endswith(".localhost"):
        return "is this machine"
    try:
        return None if is_public(host.strip("[]")) else "is not a public address"
    except ValueError:
        pass  # a name, not an address
    try:
        answers = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except OSError:
        return None  # unresolvable: the download fails and says so
    private = sorted({info[4][0] for info in answers if not is_public(info[4][0])})
    return f"resolves to {', '.join(private)}" if private else None
