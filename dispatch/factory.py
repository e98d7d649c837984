"""Which dispatcher runs the crawls of a configuration."""

from __future__ import annotations

from config import Config
from dispatch.base import Dispatcher
from dispatch.local import LocalDispatcher


def dispatcher_for(config: Config) -> Dispatcher:
    """The dispatcher the configuration asks for: for now, child processes of this one.

    A distributed dispatcher (crawls on workers) is chosen here too, from the configuration.
    """
    return LocalDispatcher(config)
