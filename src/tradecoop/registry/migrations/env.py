"""Alembic environment of the registry (the URL comes from the Config built in registry.db)."""

from __future__ import annotations

from alembic import context

import tradecoop.registry.news_models  # noqa: F401 - the news review tables, on the same Base
from tradecoop.registry.db import make_engine
from tradecoop.registry.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = make_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Table rebuilds (batch mode) drop the old copy of a table; with foreign keys on, that
            # would cascade into the tables referencing it. The pragma only works outside a
            # transaction, so it goes straight to the driver (which autocommits, see db.py).
            _pragma(connection, "PRAGMA foreign_keys=OFF")
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=sqlite,
            compare_type=True,
        )
        try:
            with context.begin_transaction():
                context.run_migrations()
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"migration left rows with dangling references: {broken[:5]}")
        finally:
            if sqlite:
                _pragma(connection, "PRAGMA foreign_keys=ON")
    engine.dispose()


def _pragma(connection, sql: str) -> None:
    cursor = connection.connection.driver_connection.cursor()
    try:
        cursor.execute(sql)
    finally:
        cursor.close()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
