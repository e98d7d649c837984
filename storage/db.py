"""Opening a database: engine, sessions, and the schema brought up to date."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).with_name("migrations")


class DatabaseError(Exception):
    """A storage URL that cannot be used: a wrong driver, file, user or database name."""

    def __init__(self, message: str, where: str = "") -> None:
        super().__init__(f"{message} ({where})" if where else message)
        self.message = message
        self.where = where


class DatabaseUnavailable(DatabaseError):
    """A database that is right but cannot be reached or written now (down, read-only)."""


# Phrases of the drivers' connection errors that mean the URL itself is wrong.
_WRONG_URL = (
    "does not exist",  # PostgreSQL: role or database
    "authentication failed",
    "no password supplied",
    "file is not a database",
    "unable to open database file",  # SQLite: a directory, or a path that cannot be made
)


def database_error(exc: BaseException, url: str) -> DatabaseError:
    """A driver's error as one line naming the database, wrong URL or unavailable."""
    original = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(original).splitlines() if line.strip()]
    detail = next((line for line in lines if "FATAL" in line), lines[0] if lines else "")
    detail = detail.split("FATAL:", 1)[-1].strip() or type(original).__name__
    where = safe_url(url)
    if any(phrase in detail for phrase in _WRONG_URL):
        return DatabaseError(f"cannot open the database: {detail}", where)
    return DatabaseUnavailable(f"cannot use the database: {detail}", where)


def safe_url(url: str) -> str:
    """The URL with its password hidden, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "the storage URL"


# Alembic keeps the running upgrade's context in module globals, so two threads upgrading
# at once (a thread-pool worker starting two crawls) break each other's: they take turns.
_UPGRADES = threading.Lock()


class Database:
    """An engine and its session factory; ``transaction()`` is the only way to write."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = _create_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed together, or not at all."""
        with self._sessions.begin() as session:
            yield session

    @contextmanager
    def reader(self) -> Iterator[Session]:
        with self._sessions() as session:
            yield session

    def upgrade(self) -> None:
        """Create the schema or migrate it to the newest revision."""
        with _UPGRADES, self.engine.begin() as connection:
            config = AlembicConfig()
            config.set_main_option("script_location", str(MIGRATIONS))
            config.attributes["connection"] = connection
            command.upgrade(config, "heads")

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(url: str, *, upgrade: bool = True) -> Database:
    """Open a database, and (by default) connect and bring its schema up to date.

    Raises :class:`DatabaseError` (or :class:`DatabaseUnavailable`) with one clear line.
    """
    database = Database(url)
    if upgrade:
        try:
            database.upgrade()
        except SQLAlchemyError as exc:
            database.dispose()
            raise database_error(exc, url) from None
    return database


def _create_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseError("not a database URL", "[storage] url") from None
    if parsed.get_backend_name() != "sqlite":
        try:
            return create_engine(url, pool_pre_ping=True, json_serializer=_json)
        except (NoSuchModuleError, ImportError):
            raise DatabaseError(
                f"unknown database driver {parsed.drivername!r}", safe_url(url)
            ) from None
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    # A crawler process and the scheduler or web app share the file: wait for locks.
    engine = create_engine(url, connect_args={"timeout": 30}, json_serializer=_json)
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _json(value: object) -> str:
    # Chinese kept as characters, so that a LIKE on a JSON column (issuing bodies) matches.
    return json.dumps(value, ensure_ascii=False)


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
