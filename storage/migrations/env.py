"""Alembic environment: run migrations on the connection govwatch hands over."""

from alembic import context
from sqlalchemy import create_engine

from storage.models import Base, include_in_schema_comparison

config = context.config
target_metadata = Base.metadata


def run_migrations(connection) -> None:  # noqa: ANN001 - alembic's own protocol
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_name=include_in_schema_comparison,  # the search index is not a model
        # SQLite cannot ALTER most things; batch mode rebuilds tables instead.
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    # `alembic` from the command line, e.g. to write a new revision.
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite:///govwatch.db")
    with engine.begin() as own_connection:
        run_migrations(own_connection)
