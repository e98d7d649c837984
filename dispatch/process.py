"""The crawl process: its command line, its environment, and the one function that starts it.

The database URL may hold a password, and a command line is readable by every user of the
machine (``ps``): the child gets the URL in its environment (``GOVWATCH_DB``, which the CLI
reads like ``--db``), readable only by the same user. The child also learns its parent's
pid, so that it can ask the kernel to stop it when the parent dies (``die_with_parent``).
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import subprocess
import sys
from pathlib import Path

from config import DB_ENV, DEFAULT_PATH, Config

log = logging.getLogger(__name__)

PARENT_ENV = "GOVWATCH_PARENT_PID"
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def config_path(config: Config) -> str:
    """The absolute path a child process reads the configuration from."""
    return str(Path(config.path or DEFAULT_PATH).resolve())


def crawl_command(config_file: str, name: str) -> list[str]:
    """``govwatch crawl --quiet NAME`` with this interpreter and configuration; no secret."""
    return [sys.executable, "-m", "govwatch", "--config", config_file, "crawl", "--quiet", name]


def crawl_environment(db_url: str) -> dict[str, str]:
    """This process's environment, plus the database URL and the parent's pid."""
    return {**os.environ, DB_ENV: db_url, PARENT_ENV: str(os.getpid())}


def start_crawl_process(config_file: str, db_url: str, name: str) -> subprocess.Popen[bytes]:
    """Start crawling one source in a child process; the caller waits for or reaps it.

    The kernel signals the child when the *thread* that started it ends, so start it from
    a thread that lives as long as the child (``LocalDispatcher`` does).
    """
    return subprocess.Popen(
        crawl_command(config_file, name),
        stdin=subprocess.DEVNULL,
        env=crawl_environment(db_url),
    )


def die_with_parent() -> None:
    """In a crawl child: be sent SIGTERM when the parent dies (a crawl then stops cleanly).

    Linux only (``prctl``); elsewhere, or when no parent asked for it, nothing happens. A
    parent that died before this call is noticed by its pid no longer being the parent.
    """
    parent = os.environ.pop(PARENT_ENV, None)
    if parent is None or not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
            log.warning("cannot ask to die with the parent: errno %d", ctypes.get_errno())
            return
    except (OSError, AttributeError):
        return
    if str(os.getppid()) != parent:
        os.kill(os.getpid(), signal.SIGTERM)  # the parent is already gone
