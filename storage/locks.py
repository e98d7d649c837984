"""Database-wide locks, for work that two processes must not do at the same time.

``hold_exclusive`` serialises short transactions; ``acquire_crawl_lock`` keeps a source to
one crawl at a time for as long as the crawl process lives.

The service's alert job and a foreground ``govwatch crawl`` may both decide alerts; without
a lock both would read the same unalerted events and queue their messages twice.
"""

from __future__ import annotations

import fcntl
import os
import socket
import threading
import time
import zlib
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool


def hold_exclusive(session: Session, name: str) -> None:
    """Take the lock called ``name``; it is released when the session's transaction ends."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(:key)"), {"key": zlib.crc32(name.encode())}
        )
    elif dialect == "sqlite":
        # Any write statement, even one touching no row, takes SQLite's single write lock
        # (other writers wait on the busy timeout), and in WAL mode the transaction's reads
        # then see everything committed before it.
        session.execute(text("UPDATE sources SET id = id WHERE 0 = 1"))
    else:
        raise NotImplementedError(f"no exclusive lock for the {dialect} dialect")


class SourceBusy(RuntimeError):
    """A crawl of this source is already running (in this or another process or machine)."""


# The first key of every crawl lock on PostgreSQL, so that they share no key space with
# other advisory locks (``hold_exclusive`` uses the one-key form); the second is the source id.
CRAWL_LOCK_SPACE = zlib.crc32(b"govwatch.crawl") & 0x7FFFFFFF
# A liveness probe takes the SQLite file lock for a moment: a crawl that starts in that
# moment tries again for this long before it believes the source is busy.
ACQUIRE_PATIENCE = 1.0


class CrawlLock:
    """Held by the crawl process for the whole life of a run of one source.

    The database side releases it when the process dies, however it dies: on PostgreSQL a
    session-level advisory lock on a connection of its own (the server drops it with the
    connection); on SQLite an ``flock`` on a file beside the database (the kernel drops it
    with the process). SQLite is one machine's database (its file locking is unsafe over
    network file systems), so an OS lock covers every process that can open it; a lock row
    with a pid would need liveness checks and could be fooled by pid reuse.
    """

    def __init__(self, release: Callable[[], None]) -> None:
        self._release: Callable[[], None] | None = release

    def release(self) -> None:
        if self._release is not None:
            release, self._release = self._release, None
            release()

    def __enter__(self) -> CrawlLock:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


def acquire_crawl_lock(url: str, source_id: int) -> CrawlLock:
    """Take the crawl lock of one source, or raise :class:`SourceBusy` at once."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        return _acquire_advisory(url, source_id)
    if parsed.get_backend_name() == "sqlite":
        path = _lock_path(parsed.database, source_id)
        return _acquire_file_lock(path) if path else _acquire_memory_lock(source_id)
    raise NotImplementedError(f"no crawl lock for the {parsed.get_backend_name()} dialect")


def crawl_running(session: Session, url: str, source_id: int) -> bool:
    """Whether some live process holds the crawl lock of this source."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        # Reading pg_locks takes nothing, so a probe can never make a starting crawl fail.
        held = session.execute(
            text(
                "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
                " AND classid = :space AND objid = :source AND objsubid = 2"
                " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            ),
            {"space": CRAWL_LOCK_SPACE, "source": source_id},
        ).first()
        return held is not None
    path = _lock_path(parsed.database, source_id)
    return _file_lock_held(path) if path else source_id in _memory_locks


def _acquire_advisory(url: str, source_id: int) -> CrawlLock:
    # A connection outside every pool: closing it really ends the session, and with it
    # the lock; nothing else runs on it, so no transaction of the crawl can release it.
    engine = create_engine(url, poolclass=NullPool)
    connection = engine.connect()
    try:
        taken = connection.execute(
            text("SELECT pg_try_advisory_lock(:space, :source)"),
            {"space": CRAWL_LOCK_SPACE, "source": source_id},
        ).scalar_one()
        connection.commit()
    except BaseException:
        connection.close()
        engine.dispose()
        raise
    if not taken:
        connection.close()
        engine.dispose()
        raise SourceBusy(f"source {source_id} is being crawled by another process")

    def release() -> None:
        connection.close()
        engine.dispose()

    return CrawlLock(release)


def _lock_path(database: str | None, source_id: int) -> Path | None:
    if not database or database == ":memory:":
        return None  # a private in-memory database: no other process can see it
    folder = Path(database).expanduser().resolve()
    return folder.with_name(folder.name + ".crawl-locks") / f"source-{source_id}.lock"


_memory_locks: set[int] = set()
_memory_guard = threading.Lock()


def _acquire_file_lock(path: Path) -> CrawlLock:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Never inherited by children: a crawl's lock must die with the crawl process alone.
    handle = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    deadline = time.monotonic() + ACQUIRE_PATIENCE
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(handle)
                raise SourceBusy(f"{path} is held by another process") from None
            time.sleep(0.05)
    # Who holds it, for people looking at the folder; the lock itself is the flock.
    os.ftruncate(handle, 0)
    os.write(handle, f"{os.getpid()} {socket.gethostname()}\n".encode())
    return CrawlLock(lambda: os.close(handle))


def _file_lock_held(path: Path) -> bool:
    if not path.exists():
        return False
    try:
        handle = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(handle)  # closing drops the probe's shared lock at once
    return False


def _acquire_memory_lock(key: int) -> CrawlLock:
    with _memory_guard:
        if key in _memory_locks:
            raise SourceBusy("an in-memory database's source is being crawled")
        _memory_locks.add(key)

    def release() -> None:
        with _memory_guard:
            _memory_locks.discard(key)

    return CrawlLock(release)
