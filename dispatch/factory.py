"""Which dispatcher runs the crawls of a configuration: child processes, or the cluster's queue."""

from __future__ import annotations

from config import Config
from dispatch.base import Dispatcher
from dispatch.local import LocalDispatcher


def dispatcher_for(config: Config) -> Dispatcher:
    """Crawls as child processes of this one, or, with ``[cluster]``, as Celery tasks."""
    if config.cluster is not None:
        from dispatch.cluster import ClusterDispatcher  # Celery loads only for a cluster

        return ClusterDispatcher(config)
    return LocalDispatcher(config)
