"""full-text search index over versions

SQLite: an FTS5 table with the trigram tokenizer (substring search that works for Chinese,
which has no spaces between words), external-content on ``versions`` and kept in step by
triggers, so that every write of a version updates the index in the same transaction.
PostgreSQL: pg_trgm GIN indexes that serve ``ILIKE '%phrase%'``.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SQLITE_UPGRADE = [
    """
    CREATE VIRTUAL TABLE versions_fts USING fts5(
        title, text_simplified,
        content='versions', content_rowid='id', tokenize='trigram', columnsize=0
    )
    """,
    """
    CREATE TRIGGER versions_fts_insert AFTER INSERT ON versions BEGIN
        INSERT INTO versions_fts(rowid, title, text_simplified)
        VALUES (new.id, new.title, new.text_simplified);
    END
    """,
    """
    CREATE TRIGGER versions_fts_delete AFTER DELETE ON versions BEGIN
        INSERT INTO versions_fts(versions_fts, rowid, title, text_simplified)
        VALUES ('delete', old.id, old.title, old.text_simplified);
    END
    """,
    """
    CREATE TRIGGER versions_fts_update AFTER UPDATE OF title, text_simplified ON versions BEGIN
        INSERT INTO versions_fts(versions_fts, rowid, title, text_simplified)
        VALUES ('delete', old.id, old.title, old.text_simplified);
        INSERT INTO versions_fts(rowid, title, text_simplified)
        VALUES (new.id, new.title, new.text_simplified);
    END
    """,
    # Index the versions stored before this migration.
    "INSERT INTO versions_fts(versions_fts) VALUES ('rebuild')",
]

SQLITE_DOWNGRADE = [
    "DROP TRIGGER IF EXISTS versions_fts_update",
    "DROP TRIGGER IF EXISTS versions_fts_delete",
    "DROP TRIGGER IF EXISTS versions_fts_insert",
    "DROP TABLE IF EXISTS versions_fts",
]

POSTGRESQL_UPGRADE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_versions_search_trgm ON versions USING gin (text_simplified gin_trgm_ops)",
    "CREATE INDEX ix_versions_title_trgm ON versions USING gin (title gin_trgm_ops)",
]

POSTGRESQL_DOWNGRADE = [
    "DROP INDEX IF EXISTS ix_versions_title_trgm",
    "DROP INDEX IF EXISTS ix_versions_search_trgm",
]


def _statements(upgrade: bool) -> list[str]:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        return SQLITE_UPGRADE if upgrade else SQLITE_DOWNGRADE
    if dialect == "postgresql":
        return POSTGRESQL_UPGRADE if upgrade else POSTGRESQL_DOWNGRADE
    return []  # other backends search without an index (plain LIKE)


def upgrade() -> None:
    for statement in _statements(upgrade=True):
        op.execute(statement)


def downgrade() -> None:
    for statement in _statements(upgrade=False):
        op.execute(statement)
