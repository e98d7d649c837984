"""government document fields on versions, and their citations

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

FIELDS = (
    ("document_number", sa.Text()),
    ("document_number_normalized", sa.String(length=128)),
    ("issuing_authority", sa.JSON()),
    ("written_date", sa.String(length=10)),
    ("index_number", sa.Text()),
    ("topic", sa.Text()),
    ("validity", sa.String(length=64)),
    ("keywords", sa.JSON()),
)


def upgrade() -> None:
    # Plain ADD COLUMN (no batch copy): on SQLite a copied table would lose the search
    # index's triggers (migration 0004).
    for name, type_ in FIELDS:
        op.add_column("versions", sa.Column(name, type_, nullable=True))
    op.add_column(
        "versions",
        sa.Column("fields_read", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.create_index(
        op.f("ix_versions_document_number_normalized"),
        "versions",
        ["document_number_normalized"],
        unique=False,
    )
    op.create_table(
        "citations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("document_number", sa.Text(), nullable=True),
        sa.Column("document_number_normalized", sa.String(length=128), nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["version_id"], ["versions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_citations_document_id"), "citations", ["document_id"], unique=False)
    op.create_index(op.f("ix_citations_version_id"), "citations", ["version_id"], unique=False)
    op.create_index(
        op.f("ix_citations_document_number_normalized"),
        "citations",
        ["document_number_normalized"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_table("citations")
    op.drop_index(op.f("ix_versions_document_number_normalized"), table_name="versions")
    with op.batch_alter_table("versions", schema=None) as batch_op:
        batch_op.drop_column("fields_read")
        for name, _type in reversed(FIELDS):
            batch_op.drop_column(name)
