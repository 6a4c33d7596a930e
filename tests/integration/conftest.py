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

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_BIN_DIRS = ("/usr/local/bin", "/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/bin")
PG_START_TIMEOUT_S = 30
TEMPLATE_DB = "tradecoop_template"
SEEDED_DB = "tradecoop_seeded"


def _find(binary: str) -> str | None:
    for d in PG_BIN_DIRS:
        p = Path(d) / binary
        if p.exists():
            return str(p)
    return shutil.which(binary)


def _free_port() -> int:
    with contextlib.closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(args: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL tests cannot run under CI=true: {reason}")
    pytest.skip(f"PostgreSQL NOT TESTED: {reason}")


class PostgresServer:
    def __init__(self, port: int, datadir: Path) -> None:
        self.port = port
        self.datadir = datadir

    def url(self, db: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{db}"

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True) as conn:
            conn.execute(sql)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    initdb, pg_ctl = _find("initdb"), _find("pg_ctl")
    if not initdb or not pg_ctl:
        _unavailable("initdb/pg_ctl not found in " + ", ".join(PG_BIN_DIRS))
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            _unavailable("running as root and there is no `postgres` user to run the server as")
    base = Path(tempfile.mkdtemp(prefix="tradecoop-pg-"))
    datadir = base / "data"
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    run = lambda args: subprocess.run(_as_postgres(args), check=True, capture_output=True, text=True)  # noqa: E731
    try:
        run([initdb, "-D", str(datadir), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"])
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(base, ignore_errors=True)
        _unavailable(f"initdb failed: {exc.stderr.strip()[-300:]}")
    port = _free_port()
    opts = f"-h 127.0.0.1 -p {port} -k {base} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    run([pg_ctl, "-D", str(datadir), "-o", opts, "-l", str(base / "log"), "-w", "-t", str(PG_START_TIMEOUT_S), "start"])
    server = PostgresServer(port, datadir)
    try:
        from tradecoop.registry.db import migrate

        server.admin(f"CREATE DATABASE {TEMPLATE_DB}")
        migrate(server.url(TEMPLATE_DB))
        server.admin(f"CREATE DATABASE {SEEDED_DB} TEMPLATE {TEMPLATE_DB}")
        _seed(server.url(SEEDED_DB))
        yield server
    finally:
        subprocess.run(_as_postgres([pg_ctl, "-D", str(datadir), "-m", "immediate", "-w", "stop"]), capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


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
    server: PostgresServer = request.getfixturevalue("postgres_server")
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
