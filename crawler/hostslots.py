"""Slots per host: how many requests may be in flight at one portal at the same moment.

Two kinds share one interface. ``LocalSlots`` counts within this process: every crawl of
the process (``govwatch crawl --all`` runs several) shares it, which Scrapy's own per-domain
limit does not do, and it holds at any download delay (Scrapy 2.14 and later let 9-14
requests through to a host limited to 2 when the delay is 0). ``RedisSlots`` counts across
every worker on every machine: a slot is a member of a sorted set per host whose score is
the moment its lease ends, so a slot held by a process that died frees itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import uuid
from typing import Any, Protocol

# Frees expired leases, then takes a slot if fewer than the limit are held. Redis's own
# clock is used, so machines whose clocks disagree still agree on when a lease ends.
_ACQUIRE = """
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now_ms)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now_ms + tonumber(ARGV[2]), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 2)
  return 1
end
return 0
"""
_RENEW = """
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
for i, token in ipairs(ARGV) do
  if i > 1 then redis.call('ZADD', KEYS[1], 'XX', now_ms + tonumber(ARGV[1]), token) end
end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]) * 2)
return 1
"""
KEY_PREFIX = "govwatch:hostslots:"


class HostSlots(Protocol):
    async def acquire(self, host: str) -> str: ...

    async def release(self, host: str, token: str) -> None: ...

    async def close(self) -> None: ...


class LocalSlots:
    """Slots counted in this process, shared by every crawl it runs."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._semaphores: dict[str, asyncio.Semaphore] = {}

    async def acquire(self, host: str) -> str:
        semaphore = self._semaphores.setdefault(host, asyncio.Semaphore(self.limit))
        await semaphore.acquire()
        return host

    async def release(self, host: str, token: str) -> None:
        self._semaphores[host].release()

    async def close(self) -> None:
        self._semaphores.clear()


class RedisSlots:
    """Slots counted in Redis, shared by every process on every machine using that server.

    A held slot is renewed while its request is alive; one whose holder died ends with its
    lease (``lease_seconds``), so the limit can be exceeded only by a holder that stopped
    renewing but kept its connection to the portal open, never for longer than a lease.
    """

    def __init__(self, url: str, limit: int, lease_seconds: float = 60.0,
                 poll_seconds: float = 0.05) -> None:
        from redis import asyncio as aioredis

        self.limit = limit
        self.lease_ms = int(lease_seconds * 1000)
        self.poll_seconds = poll_seconds
        self.redis: Any = aioredis.from_url(url)
        self._acquire = self.redis.register_script(_ACQUIRE)
        self._renew = self.redis.register_script(_RENEW)
        self._held: dict[str, set[str]] = {}
        self._freed: dict[str, asyncio.Event] = {}
        self._renewer: asyncio.Task[None] | None = None

    async def acquire(self, host: str) -> str:
        token = uuid.uuid4().hex
        key = KEY_PREFIX + host
        while not await self._acquire(keys=[key], args=[self.limit, self.lease_ms, token]):
            await self._pause(host)
        self._held.setdefault(host, set()).add(token)
        if self._renewer is None:
            self._renewer = asyncio.ensure_future(self._renew_forever())
        return token

    async def release(self, host: str, token: str) -> None:
        self._held.get(host, set()).discard(token)
        await self.redis.zrem(KEY_PREFIX + host, token)
        freed = self._freed.pop(host, None)
        if freed is not None:
            freed.set()

    async def _pause(self, host: str) -> None:
        """Until this process frees a slot of the host, or a poll interval has passed.

        Slots freed by other processes are seen at the next poll; jitter keeps waiting
        crawls from polling in lockstep.
        """
        freed = self._freed.setdefault(host, asyncio.Event())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(freed.wait(), self.poll_seconds * (0.5 + random.random()))

    async def close(self) -> None:
        if self._renewer is not None:
            self._renewer.cancel()
        for host, tokens in self._held.items():
            if tokens:
                await self.redis.zrem(KEY_PREFIX + host, *tokens)
        self._held.clear()
        await self.redis.aclose()

    async def _renew_forever(self) -> None:
        while True:
            await asyncio.sleep(self.lease_ms / 3000)
            for host, tokens in list(self._held.items()):
                if tokens:
                    await self._renew(keys=[KEY_PREFIX + host], args=[self.lease_ms, *tokens])
