"""registry revision counter (cache invalidation across API workers)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 12:10:00
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "registry_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("epoch", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registry_revision")),
    )
    # a random epoch tells a re-created database from the old one even when the counters agree
    op.bulk_insert(table, [{"id": 1, "revision": 1, "epoch": uuid.uuid4().hex}])


def downgrade() -> None:
    op.drop_table("registry_revision")
