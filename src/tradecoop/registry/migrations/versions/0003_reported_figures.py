"""reported figures (dated, sourced quantitative facts about locations and enterprises); ids
never reused on SQLite (AUTOINCREMENT); optional token expiry of users; revision rows of the
search and match indexes

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 06:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reported_figure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("metric", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("period", sa.String(length=60), nullable=False),
        sa.Column("reporter", sa.String(length=300), nullable=True),
        sa.Column("source_publisher", sa.String(length=300), nullable=True),
        sa.Column("source_url", sa.String(length=500), nullable=True),
        sa.Column("source_date", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reported_figure")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_reported_figure_metric"), "reported_figure", ["metric"], unique=False)
    op.create_table(
        "reported_figure_party",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("figure_id", sa.Integer(), nullable=False),
        sa.Column("location", sa.String(length=10), nullable=True),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprise.id"],
                                name=op.f("fk_reported_figure_party_enterprise_id_enterprise")),
        sa.ForeignKeyConstraint(["figure_id"], ["reported_figure.id"], ondelete="CASCADE",
                                name=op.f("fk_reported_figure_party_figure_id_reported_figure")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reported_figure_party")),
        sqlite_autoincrement=True,
    )
    for column in ("figure_id", "location", "enterprise_id"):
        op.create_index(op.f(f"ix_reported_figure_party_{column}"), "reported_figure_party", [column], unique=False)


    with op.batch_alter_table("app_user") as batch:
        batch.add_column(sa.Column("token_expires_at", sa.DateTime(), nullable=True))
    _sqlite_autoincrement(True)
    # the revisions of the search (2) and match (3) indexes, in the database's epoch
    op.execute("INSERT INTO registry_revision (id, revision, epoch) "
               "SELECT t.id, 1, r.epoch FROM registry_revision r, (SELECT 2 AS id UNION ALL SELECT 3) t WHERE r.id = 1")


#: tables whose ids the API shows (a reused id would let a stale write land on a new record)
AUTOINCREMENT_TABLES = ("enterprise", "agreement", "project", "event", "app_user", "audit_log")


def _sqlite_autoincrement(on: bool) -> None:
    """Rebuild the tables with (or without) SQLite's AUTOINCREMENT: a deleted row's id is then
    never handed out again. The environment turns foreign keys off while migrating SQLite, so
    dropping the old copy of a referenced table does not cascade. PostgreSQL sequences never
    reuse numbers: nothing to do there."""
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in AUTOINCREMENT_TABLES:
        with op.batch_alter_table(table, recreate="always", table_kwargs={"sqlite_autoincrement": on}):
            pass


def downgrade() -> None:
    op.execute("DELETE FROM registry_revision WHERE id IN (2, 3)")
    _sqlite_autoincrement(False)
    with op.batch_alter_table("app_user") as batch:
        batch.drop_column("token_expires_at")
    op.drop_table("reported_figure_party")
    op.drop_table("reported_figure")
