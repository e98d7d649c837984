"""corpus clusters: near-duplicate clusters, their members and LSH bands; versions.official

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable: versions stored before this revision are decided from their raw bytes later.
    op.add_column("versions", sa.Column("official", sa.Boolean(), nullable=True))
    state = op.create_table(
        "corpus_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scheme", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    # The one row every clustering transaction locks first (see storage/models.py).
    op.bulk_insert(state, [{"id": 1, "scheme": None, "updated_at": None}])
    op.create_table(
        "corpus_clusters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("canonical_document_id", sa.Integer(), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["canonical_document_id"], ["documents.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "corpus_members",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("cluster_id", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(["cluster_id"], ["corpus_clusters.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["version_id"], ["versions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("document_id"),
    )
    op.create_index("ix_corpus_members_cluster_id", "corpus_members", ["cluster_id"])
    op.create_index("ix_corpus_members_content_hash", "corpus_members", ["content_hash"])
    op.create_index("ix_corpus_members_version_id", "corpus_members", ["version_id"])
    op.create_table(
        "corpus_bands",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("band", sa.Integer(), nullable=False),
        sa.Column("key", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["corpus_members.document_id"], ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("document_id", "band"),
    )
    op.create_index("ix_corpus_bands_key_band", "corpus_bands", ["key", "band"])


def downgrade() -> None:
    op.drop_index("ix_corpus_bands_key_band", table_name="corpus_bands")
    op.drop_table("corpus_bands")
    op.drop_index("ix_corpus_members_version_id", table_name="corpus_members")
    op.drop_index("ix_corpus_members_content_hash", table_name="corpus_members")
    op.drop_index("ix_corpus_members_cluster_id", table_name="corpus_members")
    op.drop_table("corpus_members")
    op.drop_table("corpus_clusters")
    op.drop_table("corpus_state")
    with op.batch_alter_table("versions") as batch_op:
        batch_op.drop_column("official")
