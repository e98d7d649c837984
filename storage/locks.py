"""Database-wide locks, for work that two processes must not do at the same time.

The service's alert job and a foreground ``govwatch crawl`` may both decide alerts; without
a lock both would read the same unalerted events and queue their messages twice.
"""

from __future__ import annotations

import zlib

from sqlalchemy import text
from sqlalchemy.orm import Session


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
