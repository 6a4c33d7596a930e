"""A throw-away PostgreSQL server for the tests and benchmarks (never for production data; not
part of the package: the tests and ``benchmarks/`` import it as ``tests.support.pgtemp``).

Started from the installed binaries (``initdb``, ``pg_ctl``) in a temporary directory, listening
only on 127.0.0.1 on a free port, with trust authentication and durability switched off for
speed. PostgreSQL refuses to run as root; as root the server runs as the ``postgres`` user.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

from tradecoop.errors import ConfigurationError

PG_BIN_DIRS = ("/usr/local/bin", "/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin",
               "/usr/lib/postgresql/15/bin", "/usr/bin")
START_TIMEOUT_S = 30


def find_binary(name: str) -> str | None:
    for d in PG_BIN_DIRS:
        if (p := Path(d) / name).exists():
            return str(p)
    return shutil.which(name)


def free_port() -> int:
    with contextlib.closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


class TemporaryPostgres:
    """A running server; :meth:`stop` ends it and deletes its files."""

    def __init__(self, base: Path, port: int, pg_ctl: str) -> None:
        self.base, self.port, self._pg_ctl = base, port, pg_ctl

    def url(self, db: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{db}"

    def admin(self, sql: str) -> None:
        """Run one statement on the ``postgres`` database in autocommit mode."""
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True) as conn:
            conn.execute(sql)

    def stop(self) -> None:
        subprocess.run(_as_postgres([self._pg_ctl, "-D", str(self.base / "data"), "-m", "immediate", "-w", "stop"]),
                       capture_output=True)
        shutil.rmtree(self.base, ignore_errors=True)


def start(max_connections: int = 200) -> TemporaryPostgres:
    """Start a temporary server (raises :class:`ConfigurationError` when it cannot)."""
    initdb, pg_ctl = find_binary("initdb"), find_binary("pg_ctl")
    if not initdb or not pg_ctl:
        raise ConfigurationError("initdb/pg_ctl not found in " + ", ".join(PG_BIN_DIRS) + " or on PATH")
    if os.geteuid() == 0:
        import pwd

        try:
            pwd.getpwnam("postgres")
        except KeyError:
            raise ConfigurationError("running as root and there is no `postgres` user to run the server as") from None
    base = Path(tempfile.mkdtemp(prefix="tradecoop-pg-"))
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    data = base / "data"
    try:
        subprocess.run(_as_postgres([initdb, "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]),
                       check=True, capture_output=True, text=True)
        port = free_port()
        opts = (f"-h 127.0.0.1 -p {port} -k {base} -c fsync=off -c synchronous_commit=off "
                f"-c full_page_writes=off -c max_connections={max_connections}")
        subprocess.run(_as_postgres([pg_ctl, "-D", str(data), "-o", opts, "-l", str(base / "log"), "-w",
                                     "-t", str(START_TIMEOUT_S), "start"]), check=True, capture_output=True, text=True)
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(base, ignore_errors=True)
        raise ConfigurationError(f"could not start PostgreSQL: {(exc.stderr or '').strip()[-300:]}") from None
    return TemporaryPostgres(base, port, pg_ctl)
