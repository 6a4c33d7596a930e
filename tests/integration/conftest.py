"""Database fixtures for the registry and API tests: every test runs on SQLite **and** on a
real PostgreSQL server.

The PostgreSQL server is started once per pytest process (so once per xdist worker) from the
installed binaries (``initdb``, ``pg_ctl``) in a temporary directory owned by the ``postgres``
user (PostgreSQL refuses to run as root), listening on 127.0.0.1 on a free port, and stopped at
session end. Each test gets a fresh database cloned from a migrated template database. Where
the binaries are missing the PostgreSQL variants skip with the reason; under ``CI=true`` they
fail instead.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.support import pgtemp
from tests.support.pgtemp import TemporaryPostgres

TEMPLATE_DB = "tradecoop_template"
SEEDED_DB = "tradecoop_seeded"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL tests cannot run under CI=true: {reason}")
    pytest.skip(f"PostgreSQL NOT TESTED: {reason}")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[TemporaryPostgres]:
    from tradecoop.errors import ConfigurationError
    from tradecoop.registry.db import migrate

    try:
        server = pgtemp.start()
    except ConfigurationError as exc:
        _unavailable(str(exc))
    try:
        server.admin(f"CREATE DATABASE {TEMPLATE_DB}")
        migrate(server.url(TEMPLATE_DB))
        server.admin(f"CREATE DATABASE {SEEDED_DB} TEMPLATE {TEMPLATE_DB}")
        _seed(server.url(SEEDED_DB))
        yield server
    finally:
        server.stop()


def _seed(url: str) -> None:
    from tradecoop.registry.db import make_engine, session_factory
    from tradecoop.registry.seed import load_seed

    engine = make_engine(url)
    with session_factory(engine)() as session:
        load_seed(session)
    engine.dispose()


@pytest.fixture(scope="session")
def sqlite_templates(tmp_path_factory: pytest.TempPathFactory) -> dict[bool, Path]:
    """Migrated SQLite files: empty (False) and seeded (True)."""
    from tradecoop.registry.db import migrate

    base = tmp_path_factory.mktemp("sqlite-template")
    empty, seeded = base / "empty.sqlite3", base / "seeded.sqlite3"
    migrate(f"sqlite:///{empty}")
    shutil.copy(empty, seeded)
    _seed(f"sqlite:///{seeded}")
    return {False: empty, True: seeded}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_kind(request: pytest.FixtureRequest) -> str:
    return request.param


def _fresh_database(request: pytest.FixtureRequest, kind: str, tmp_path: Path, seeded: bool) -> Iterator[str]:
    if kind == "sqlite":
        path = tmp_path / ("seeded.sqlite3" if seeded else "registry.sqlite3")
        shutil.copy(request.getfixturevalue("sqlite_templates")[seeded], path)
        yield f"sqlite:///{path}"
        return
    server: TemporaryPostgres = request.getfixturevalue("postgres_server")
    name = f"t_{uuid.uuid4().hex[:12]}"
    server.admin(f"CREATE DATABASE {name} TEMPLATE {SEEDED_DB if seeded else TEMPLATE_DB}")
    yield server.url(name)
    for _ in range(3):
        try:
            server.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            break
        except Exception:  # pragma: no cover - retry while connections close
            time.sleep(0.2)


@pytest.fixture
def database_url(request: pytest.FixtureRequest, db_kind: str, tmp_path: Path) -> Iterator[str]:
    """URL of a fresh, migrated, empty registry database (SQLite file or PostgreSQL)."""
    yield from _fresh_database(request, db_kind, tmp_path, seeded=False)


@pytest.fixture
def seeded_database_url(request: pytest.FixtureRequest, db_kind: str, tmp_path: Path) -> Iterator[str]:
    """URL of a fresh, migrated database holding the seed (enterprises and agreements)."""
    yield from _fresh_database(request, db_kind, tmp_path, seeded=True)


def _settings(url: str):
    from tradecoop.registry.settings import Settings

    return Settings(database_url=url, secret_key="test-secret-" + "x" * 32, max_body_bytes=65_536)


def _session(url: str) -> Iterator:
    from tradecoop.registry.db import make_engine, session_factory

    engine = make_engine(url)
    with session_factory(engine)() as s:
        yield s
    engine.dispose()


@pytest.fixture
def settings(database_url: str):
    return _settings(database_url)


@pytest.fixture
def seeded_settings(seeded_database_url: str):
    return _settings(seeded_database_url)


@pytest.fixture
def session(database_url: str) -> Iterator:
    yield from _session(database_url)


@pytest.fixture
def seeded_session(seeded_database_url: str) -> Iterator:
    yield from _session(seeded_database_url)
