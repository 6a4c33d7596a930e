"""Engine, sessions and migrations of the registry database (SQLite or PostgreSQL).

Nothing is created at import time; :func:`make_engine` and :func:`migrate` are called by the
CLI, the API factory and the tests.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tradecoop.errors import ConfigurationError

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session, sessionmaker


MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """Create an engine; SQLite gets foreign keys on and its parent directory created."""
    from sqlalchemy import create_engine, event
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigurationError(
            f"TRADECOOP_DATABASE_URL must be an SQLAlchemy URL such as sqlite:///path or "
            f"postgresql+psycopg://user@host/db; found {url!r}"
        ) from None
    if parsed.get_backend_name() == "sqlite":
        db = parsed.database
        if db and db != ":memory:":
            Path(db).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, echo=echo, connect_args={"check_same_thread": False, "timeout": 30})

        # pysqlite's own transaction handling breaks SAVEPOINTs (RELEASE would commit); the
        # SQLAlchemy-documented fix: let the driver autocommit and emit BEGIN ourselves.
        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_conn, _record):  # pragma: no cover - trivial
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        # A writing transaction (see begin_write) starts with BEGIN IMMEDIATE, taking the write
        # lock at once: a deferred transaction that read first cannot wait for it later (SQLite
        # answers "database is locked" at once when another writer committed in between), so
        # writers queue (busy_timeout) and the loser of a version race sees the winner's version
        # (409, never 500). Reading transactions stay deferred (under WAL they never block).
        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):  # pragma: no cover - trivial
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE_OPTION) else "BEGIN")

        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    # No pool_pre_ping: it costs a round trip on every checkout (every API request). After a
    # server restart the first statement on a dead connection fails and SQLAlchemy then
    # invalidates the whole pool, so one request sees the error.
    try:
        return create_engine(parsed, echo=echo, pool_size=20, max_overflow=40)
    except ModuleNotFoundError as exc:  # the driver is the optional extra [postgres]
        raise ConfigurationError(f"PostgreSQL needs the psycopg driver ({exc.name} is not installed): "
                                 "install tradecoop[postgres]") from None


#: execution option of a writing transaction on SQLite (the "begin" hook emits BEGIN IMMEDIATE)
WRITE_OPTION = "tradecoop_write"


def begin_write(session: Session) -> None:
    """Start ``session``'s transaction as a writing one, if it has not started yet: on SQLite
    with ``BEGIN IMMEDIATE`` (the write lock first, see :func:`make_engine`); elsewhere a plain
    transaction (row locks and the version column serialise writers there)."""
    if not session.in_transaction():
        session.connection(execution_options={WRITE_OPTION: True})


def session_factory(engine: Engine) -> sessionmaker[Session]:
    from sqlalchemy.orm import sessionmaker

    return sessionmaker(engine, expire_on_commit=False)


def alembic_config(url: str) -> Config:
    """Alembic configuration pointing at the migrations inside the package."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def migrate(url: str, revision: str = "head") -> None:
    """Create or upgrade the database at ``url`` to ``revision`` (Alembic ``upgrade``)."""
    from alembic import command

    command.upgrade(alembic_config(url), revision)


def check_no_drift(url: str) -> None:
    """Raise if the models differ from the migrated schema (Alembic ``check``)."""
    from alembic import command

    command.check(alembic_config(url))


#: the newest migration's revision (a test holds it equal to Alembic's head): a database at this
#: revision needs no migration, so opening it does not load Alembic and the migration scripts
HEAD_REVISION = "0004"


def current_revision(url: str) -> str | None:
    """The revision the database at ``url`` is migrated to; None if it was never migrated."""
    from sqlalchemy import inspect, text

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        engine.dispose()


def is_initialised(url: str) -> bool:
    """True when the database at ``url`` has been migrated at least once."""
    return current_revision(url) is not None
