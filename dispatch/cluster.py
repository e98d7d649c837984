"""Crawls on Celery workers: the dispatcher of a cluster only enqueues.

``ClusterDispatcher`` offers the same interface as the local one, so the scheduler's job,
"crawl now" in the web app and the CLI do not know where a crawl runs. It refuses a crawl of
a source that is already queued or running anywhere in the cluster, and ``status`` tells
the overview which workers are up, what is queued and running per source, and which
dispatcher leads.
"""

from __future__ import annotations

import ast
import base64
import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from config import Config
from dispatch.base import AlreadyRunning, Crawl, UnknownSource
from dispatch.celery_app import CRAWL_TASK, celery_app

log = logging.getLogger(__name__)
STOP_COMMAND = "govwatch_stop_crawl"


@dataclass
class ClusterStatus:
    """What the cluster is doing, as far as it answered within the timeout."""

    workers: dict[str, list[str]] = field(default_factory=dict)  # worker -> sources running
    queued: dict[str, int] = field(default_factory=dict)  # source -> crawls waiting
    queue_length: int | None = None
    leader: str | None = None
    errors: list[str] = field(default_factory=list)

    def running(self) -> dict[str, str]:
        """Source -> the worker crawling it."""
        return {source: worker for worker, sources in self.workers.items() for source in sources}


class ClusterDispatcher:
    """Sends crawls to the cluster's queue; workers run them."""

    def __init__(self, config: Config, *, inspect_timeout: float = 1.0) -> None:
        if config.cluster is None:
            raise ValueError("ClusterDispatcher needs a [cluster] section")
        self.config = config
        self.cluster = config.cluster
        self.app = celery_app(config.cluster)
        self.inspect_timeout = inspect_timeout

    def start(self, name: str) -> Crawl:
        if name not in {source.name for source in self.config.sources}:
            raise UnknownSource(name)
        status = self.status()
        if name in status.running():
            raise AlreadyRunning(f"a crawl of {name} is running on {status.running()[name]}")
        if status.queued.get(name):
            raise AlreadyRunning(f"a crawl of {name} is queued already")
        result = self.app.send_task(CRAWL_TASK, args=[name], queue=self.cluster.queue)
        log.info("crawl %s: queued as task %s", name, result.id)
        return Crawl(source=name, started_at=datetime.now(UTC), ident=result.id)

    def running(self) -> set[str]:
        return set(self.status().running())

    def stop(self, name: str, timeout: float = 10.0) -> bool:
        """Ask the worker running the source's crawl to stop it (SIGTERM to the crawl)."""
        replies = self.app.control.broadcast(
            STOP_COMMAND, arguments={"name": name}, reply=True, timeout=timeout
        )
        return any(reply.get("stopped") for answer in replies for reply in answer.values())

    def stop_all(self, timeout: float = 8.0) -> None:
        """A dispatcher's shutdown leaves the workers' crawls running: they are theirs."""

    def wait(self, name: str, timeout: float | None = None) -> int | None:
        """A queued crawl ends on a worker, not here: nothing to wait for."""
        return None

    def status(self) -> ClusterStatus:
        status = ClusterStatus()
        try:
            active = self.app.control.inspect(timeout=self.inspect_timeout).active() or {}
        except Exception as exc:  # noqa: BLE001 - a broker that is down is shown, not raised
            status.errors.append(f"workers: {exc}")
            active = {}
        for worker, tasks in active.items():
            status.workers[worker] = sorted(
                _source_of(task) for task in tasks if task.get("name") == CRAWL_TASK
            )
        try:
            status.queue_length, status.queued = self._queued()
        except Exception as exc:  # noqa: BLE001
            status.errors.append(f"queue: {exc}")
        try:
            from dispatch.leader import current_leader

            status.leader = current_leader(self.config.storage.url)
        except Exception as exc:  # noqa: BLE001
            status.errors.append(f"dispatcher: {exc}")
        return status

    def _queued(self) -> tuple[int, dict[str, int]]:
        with self.app.connection_for_read() as connection:
            channel = connection.default_channel
            if self.cluster.broker_url.startswith(("redis", "rediss")):
                raw = channel.client.lrange(self.cluster.queue, 0, -1)
                counts: dict[str, int] = {}
                for message in raw:
                    source = _queued_source(message)
                    if source:
                        counts[source] = counts.get(source, 0) + 1
                return len(raw), counts
            declared = channel.queue_declare(self.cluster.queue, passive=True)
            return declared.message_count, {}


def _source_of(task: dict[str, Any]) -> str:
    args = task.get("args") or []
    return str(args[0]) if args else "?"


def _queued_source(message: bytes) -> str | None:
    """The source of a crawl message waiting in a Redis list (kombu's JSON envelope)."""
    try:
        envelope = json.loads(message)
        headers = envelope.get("headers") or {}
        if headers.get("task") != CRAWL_TASK:
            return None
        if headers.get("argsrepr"):
            args = ast.literal_eval(headers["argsrepr"])
        else:
            args = json.loads(base64.b64decode(envelope["body"]))[0]
        return str(args[0]) if args else None
    except (ValueError, KeyError, TypeError, SyntaxError, IndexError):
        return None
