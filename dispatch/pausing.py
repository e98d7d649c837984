"""Paused sources: skipped by the schedule and by ``crawl --all``, kept in the database."""

from __future__ import annotations

from config import Config
from dispatch.base import UnknownSource
from storage.db import Database
from storage.queries import paused_sources as stored_paused
from storage.runs import ensure_source


def set_paused(config: Config, db: Database, name: str, paused: bool) -> None:
    if name not in {s.name for s in config.sources}:
        raise UnknownSource(name)
    with db.transaction() as session:
        ensure_source(session, name).paused = paused


def paused_sources(db: Database) -> set[str]:
    with db.reader() as session:
        return set(stored_paused(session))
