"""Sources in the database: the configuration file's, imported on start, and those added
in the web app or API.

A name is defined in exactly one place. The file's sources are imported on every start
and the file wins: a source the web app added that the file now defines too is taken over
by the file, and the import says so. A file source is edited in the file only. A source
deleted in the web app keeps its stored documents (``origin = "deleted"``) unless the
deletion asks for them to go. ``with_stored_sources`` is the configuration every process
works from: the file's sources, then the web app's.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from config import Config, SourceConfig
from storage.accounts import audit
from storage.db import Database
from storage.models import Source
from storage.runs import ensure_source

log = logging.getLogger(__name__)

FILE, WEB, DELETED = "file", "web", "deleted"


class SourceConflict(ValueError):
    """The name is taken, or the source is the file's to edit."""


class UnknownStoredSource(LookupError):
    pass


def import_file_sources(session: Session, config: Config) -> list[str]:
    """Record the file's sources as the file's; returns what changed hands, to be shown."""
    notes = []
    in_file = {s.name: s for s in config.sources}
    for name, source in in_file.items():
        row = ensure_source(session, name)
        if row.origin == WEB:
            note = (
                f"source {name}: now defined in {config.path or 'the configuration'}; "
                "the web app's definition of it is replaced"
            )
            notes.append(note)
            audit(
                session,
                "configuration file",
                "config",
                "take-over-source",
                name,
                {"replaced": row.settings or {}},
            )
        row.origin = FILE
        row.settings = _settings(source)
    for row in session.scalars(select(Source).where(Source.origin == FILE)):
        if row.name not in in_file:
            row.origin = None  # no longer in the file: documents kept, not crawled
            row.settings = None
    for note in notes:
        log.warning(note)  # and in the audit log, for the admins' page
    return notes


def with_stored_sources(config: Config, db: Database) -> Config:
    """The configuration with the web app's sources after the file's (the file imported)."""
    with db.transaction() as session:
        import_file_sources(session, config)
        stored = web_sources(session)
    if not stored:
        return config
    return config.model_copy(update={"sources": [*config.sources, *stored]})


def web_sources(session: Session) -> list[SourceConfig]:
    rows = session.scalars(select(Source).where(Source.origin == WEB).order_by(Source.name))
    return [SourceConfig.model_validate(row.settings) for row in rows]


def origins(session: Session) -> dict[str, str | None]:
    return dict(session.execute(select(Source.name, Source.origin)).all())


def add_web_source(session: Session, source: SourceConfig) -> Source:
    row = session.scalar(select(Source).where(Source.name == source.name))
    if row is not None and row.origin in (FILE, WEB):
        where = "the configuration file" if row.origin == FILE else "the web app"
        raise SourceConflict(f"a source named {source.name!r} is defined in {where}")
    row = row or ensure_source(session, source.name)
    row.origin = WEB
    row.settings = _settings(source)
    return row


def update_web_source(session: Session, name: str, source: SourceConfig) -> Source:
    row = _web_row(session, name)
    if source.name != name:
        raise SourceConflict("a source keeps its name; add a new source instead")
    row.settings = _settings(source)
    return row


def delete_web_source(session: Session, name: str, *, keep_documents: bool = True) -> None:
    """The web app's source goes; its documents, versions and runs stay unless told."""
    row = _web_row(session, name)
    if keep_documents:
        row.origin = DELETED
        row.settings = None
    else:
        session.delete(row)  # documents, versions, runs and events cascade


def _web_row(session: Session, name: str) -> Source:
    row = session.scalar(select(Source).where(Source.name == name))
    if row is None or row.origin not in (FILE, WEB):
        raise UnknownStoredSource(f"no source named {name!r}")
    if row.origin == FILE:
        raise SourceConflict(f"source {name!r} is defined in the configuration file: edit it there")
    return row


def _settings(source: SourceConfig) -> dict[str, Any]:
    return source.model_dump(mode="json", exclude_defaults=True)


def sources_toml(sources: list[SourceConfig]) -> str:
    """``[[sources]]`` tables for a configuration file (only values that differ from the
    defaults; TOML basic strings take JSON's escapes)."""
    blocks = []
    for source in sources:
        lines = ["[[sources]]"]
        for key, value in _settings(source).items():
            lines.append(f"{key} = {_toml_value(value)}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + ("\n" if blocks else "")


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"no TOML for {value!r}")
