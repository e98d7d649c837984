"""attachments are documents linked to their article

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # batch mode: SQLite can only add a foreign key by copying the table
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_documents_parent_id_documents", "documents", ["parent_id"], ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index(batch_op.f("ix_documents_parent_id"), ["parent_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_documents_parent_id"))
        batch_op.drop_constraint("fk_documents_parent_id_documents", type_="foreignkey")
        batch_op.drop_column("parent_id")
