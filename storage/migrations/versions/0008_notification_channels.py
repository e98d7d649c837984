"""notification destinations stored as channel references, not URLs with their secrets

Apprise URLs carry credentials; the outbox now keeps ``channel:<scheme>:<digest>``
(alerts/channels.py) and finds the URL in the configuration when it sends. Rows stored
before are converted here with the same digest, so that pending messages still go out.
Downgrading cannot restore the URLs: it leaves the references, which the code of the
previous revision reports as invalid destinations.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

PREFIX = "channel:"
DIGEST_CHARS = 24  # as alerts/channels.py


def _ref(url: str) -> str:
    scheme = url.partition("://")[0] if "://" in url else "unknown"
    return f"{PREFIX}{scheme}:{hashlib.sha256(url.encode('utf-8')).hexdigest()[:DIGEST_CHARS]}"


def upgrade() -> None:
    notifications = sa.table(
        "notifications", sa.column("id", sa.Integer), sa.column("destination", sa.Text)
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(notifications.c.id, notifications.c.destination).where(
            sa.not_(notifications.c.destination.startswith(PREFIX))
        )
    ).all()
    for row_id, destination in rows:
        connection.execute(
            notifications.update()
            .where(notifications.c.id == row_id)
            .values(destination=_ref(destination))
        )


def downgrade() -> None:
    pass
