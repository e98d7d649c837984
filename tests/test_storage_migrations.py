from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from storage.db import open_database
from storage.models import Base, include_in_schema_comparison


def test_migrations_build_exactly_the_models(db_url):
    db = open_database(db_url)
    with db.engine.connect() as connection:
        # The search index (migration 0004) is deliberately not a model.
        context = MigrationContext.configure(
            connection, opts={"include_name": include_in_schema_comparison}
        )
        assert compare_metadata(context, Base.metadata) == []
    db.dispose()


def test_upgrade_is_idempotent(db_url):
    open_database(db_url).dispose()
    db = open_database(db_url)
    tables = set(inspect(db.engine).get_table_names())
    assert {
        "sources",
        "documents",
        "versions",
        "change_events",
        "crawl_runs",
        "crawl_errors",
        "notifications",
        "alembic_version",
    } <= tables
    db.dispose()


def test_transaction_rolls_back_on_error(sqlite_url):
    from storage.models import Source

    db = open_database(sqlite_url)
    try:
        with db.transaction() as session:
            session.add(Source(name="a"))
            session.flush()
            raise RuntimeError("crash mid-write")
    except RuntimeError:
        pass
    with db.reader() as session:
        assert session.query(Source).count() == 0
    db.dispose()
