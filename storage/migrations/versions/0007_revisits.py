"""adaptive revisits: validators and revisit state per document, listing validators

Documents keep the validators of their last successful fetch and the revisit policy's
state; ``ix_documents_source_next_visit`` serves the planning query. Documents stored
before this revision are due at once (their next visit is their last sighting).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "sources", sa.Column("last_full_sweep_at", sa.DateTime(timezone=True), nullable=True)
    )
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("etag", sa.String(length=256), nullable=True))
        batch_op.add_column(sa.Column("last_modified", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("published_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("last_visit_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("next_visit_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("visits", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("changes", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("last_change_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("change_weight", sa.Float(), nullable=False, server_default="0.5")
        )
        batch_op.add_column(sa.Column("last_listed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(
            "ix_documents_source_next_visit", ["source_id", "next_visit_at"], unique=False
        )
    op.execute(
        "UPDATE documents SET last_visit_at = last_seen, next_visit_at = last_seen,"
        " visits = version_count, changes = CASE WHEN version_count > 1"
        " THEN version_count - 1 ELSE 0 END"
    )
    op.create_table(
        "listing_pages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("etag", sa.String(length=256), nullable=True),
        sa.Column("last_modified", sa.String(length=64), nullable=True),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source_id", "url", name="uq_listing_pages_source_url"),
    )


def downgrade() -> None:
    op.drop_table("listing_pages")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index("ix_documents_source_next_visit")
        for column in ("last_listed_at", "change_weight", "last_change_at", "changes",
                       "visits", "next_visit_at", "last_visit_at", "published_at",
                       "last_modified", "etag"):
            batch_op.drop_column(column)
    op.drop_column("sources", "last_full_sweep_at")
