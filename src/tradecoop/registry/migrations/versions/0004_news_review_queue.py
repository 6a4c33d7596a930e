"""news review queue: documents ingested from news and press releases, and their extracted facts

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 07:00:00

The models live in ``tradecoop.registry.news_models`` (on the registry's ``Base``); the Alembic
environment (``migrations/env.py``) imports them with the other models, so ``alembic check``
(``registry.db.check_no_drift``) compares them too.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "news_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=1000), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("simhash", sa.BigInteger(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=True),
        sa.Column("publisher", sa.String(length=300), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("language", sa.String(length=5), nullable=True),
        sa.Column("source_path", sa.String(length=1000), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("entities", sa.Text(), nullable=False),
        sa.Column("ingested_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_news_document")),
        sa.UniqueConstraint("content_hash", name=op.f("uq_news_document_content_hash")),
        sa.UniqueConstraint("url", name=op.f("uq_news_document_url")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "news_fact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("polarity", sa.String(length=10), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("start_char", sa.Integer(), nullable=False),
        sa.Column("end_char", sa.Integer(), nullable=False),
        sa.Column("date", sa.String(length=10), nullable=True),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("unit", sa.String(length=10), nullable=True),
        sa.Column("period", sa.String(length=60), nullable=True),
        sa.Column("locations", sa.Text(), nullable=False),
        sa.Column("organizations", sa.Text(), nullable=False),
        sa.Column("persons", sa.Text(), nullable=False),
        sa.Column("products", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("reviewed_by", sa.String(length=120), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("record_entity", sa.String(length=20), nullable=True),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["news_document.id"], ondelete="CASCADE",
                                name=op.f("fk_news_fact_document_id_news_document")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_news_fact")),
        sqlite_autoincrement=True,
    )
    for column in ("document_id", "type", "status"):
        op.create_index(op.f(f"ix_news_fact_{column}"), "news_fact", [column], unique=False)


def downgrade() -> None:
    op.drop_table("news_fact")
    op.drop_table("news_document")
