"""One dispatcher at a time: a PostgreSQL advisory lock held on a connection of its own.

APScheduler 3 does not coordinate schedulers: two on one job store both fire every slot.
So every ``govwatch serve``/``govwatch scheduler`` of a cluster competes for this lock, and
only the holder runs a scheduler. The database releases the lock the moment the holder's
connection ends, a killed process included, and a standby polling for it takes over within
a fraction of a second. The holder names itself in the connection's ``application_name``,
so anyone can see who leads (``current_leader``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
from typing import Any

log = logging.getLogger(__name__)

# pg_advisory_lock(int, int): a namespace for govwatch and the dispatcher's number in it.
LOCK_NAMESPACE = 0x67_77_61_74  # "gwat"
DISPATCHER_LOCK = 1
APPLICATION_PREFIX = "govwatch-dispatcher "


def identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class Leadership:
    """The lock, on a dedicated connection that nothing else uses."""

    def __init__(self, db_url: str, *, name: str | None = None, poll_seconds: float = 0.1) -> None:
        self.db_url = _libpq_url(db_url)
        self.name = name or identity()
        self.poll_seconds = poll_seconds
        self._connection: Any = None

    def acquire(self, stop: threading.Event) -> bool:
        """Wait until this process leads, or until ``stop`` is set (then False)."""
        while not stop.is_set():
            try:
                if self._try_acquire():
                    log.info("dispatcher %s: leading", self.name)
                    return True
            except Exception as exc:  # noqa: BLE001 - the database may be restarting
                log.warning("dispatcher %s: cannot reach the database: %s", self.name, exc)
                self._drop()
                stop.wait(min(5.0, self.poll_seconds * 20))
                continue
            stop.wait(self.poll_seconds)
        return False

    def held(self) -> bool:
        """Whether the lock is still ours: the connection that holds it still answers."""
        if self._connection is None:
            return False
        try:
            self._connection.execute("SELECT 1")
        except Exception:  # noqa: BLE001 - any failure means the lock may be someone else's
            log.error("dispatcher %s: lost the database connection, and with it the lead",
                      self.name)
            self._drop()
            return False
        return True

    def release(self) -> None:
        self._drop()

    def _try_acquire(self) -> bool:
        import psycopg

        if self._connection is None:
            self._connection = psycopg.connect(
                self.db_url, autocommit=True, connect_timeout=5,
                application_name=(APPLICATION_PREFIX + self.name)[:63],
            )
        row = self._connection.execute(
            "SELECT pg_try_advisory_lock(%s, %s)", (LOCK_NAMESPACE, DISPATCHER_LOCK)
        ).fetchone()
        return bool(row and row[0])

    def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            # Closing a broken connection may fail too; the lock went with it either way.
            with contextlib.suppress(Exception):
                connection.close()


def current_leader(db_url: str) -> str | None:
    """The identity of the dispatcher holding the lock now, or None."""
    import psycopg

    with psycopg.connect(_libpq_url(db_url), autocommit=True, connect_timeout=5) as connection:
        row = connection.execute(
            "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
            " WHERE l.locktype = 'advisory' AND l.granted AND l.classid = %s AND l.objid = %s"
            " AND l.objsubid = 2",
            (LOCK_NAMESPACE, DISPATCHER_LOCK),
        ).fetchone()
    return row[0].removeprefix(APPLICATION_PREFIX) if row else None


def _libpq_url(url: str) -> str:
    """psycopg takes libpq URLs; SQLAlchemy's carry the driver (postgresql+psycopg://)."""
    scheme, rest = url.split("://", 1)
    if not scheme.startswith("postgresql"):
        raise ValueError(f"a dispatcher's lock needs PostgreSQL, not {scheme}")
    return "postgresql://" + rest
