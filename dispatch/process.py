"""The crawl process: its command line and the one function that starts it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from config import DEFAULT_PATH, Config


def config_path(config: Config) -> str:
    """The absolute path a child process reads the configuration from."""
    return str(Path(config.path or DEFAULT_PATH).resolve())


def crawl_command(config_file: str, db_url: str, name: str) -> list[str]:
    """``govwatch crawl --quiet NAME`` with this interpreter, configuration and database."""
    return [
        sys.executable,
        "-m",
        "govwatch",
        "--config",
        config_file,
        "--db",
        db_url,
        "crawl",
        "--quiet",
        name,
    ]


def start_crawl_process(config_file: str, db_url: str, name: str) -> subprocess.Popen[bytes]:
    """Start crawling one source in a child process; the caller waits for or reaps it."""
    return subprocess.Popen(crawl_command(config_file, db_url, name), stdin=subprocess.DEVNULL)
