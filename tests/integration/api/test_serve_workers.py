"""``tradecoop serve --workers 2``: two processes on one database; a change made through one of
them, or straight in the database, is in the very next answer of either (no per-worker cache of
users or records)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from sqlalchemy import text

#: seconds the two workers may take to import the app and start (two processes on a small machine)
START_TIMEOUT_S = 90
#: requests per check, each on a new connection, so both workers answer some of them
REQUESTS = 12


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _statuses(url: str, token: str) -> set[int]:
    return {httpx.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=30).status_code for _ in range(REQUESTS)}


def test_two_workers_see_every_change_at_once(sqlite_templates, tmp_path: Path):
    from tradecoop.registry.db import make_engine, session_factory
    from tradecoop.registry.service import RegistryService

    db = tmp_path / "registry.sqlite3"
    shutil.copy(sqlite_templates[True], db)
    url, secret = f"sqlite:///{db}", "serve-test-" + "s" * 40
    engine = make_engine(url)
    with session_factory(engine)() as s:
        token = RegistryService(s).create_user("worker-user", "editor", secret)[1]
    port = _free_port()
    env = {**os.environ, "TRADECOOP_DATABASE_URL": url, "TRADECOOP_SECRET_KEY": secret, "TRADECOOP_WARM_CACHES": "false"}
    server = subprocess.Popen([sys.executable, "-m", "tradecoop.cli.main", "serve", "--port", str(port), "--workers", "2"],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline and server.poll() is None:
            try:
                if httpx.get(f"{base}/health", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.3)
        assert _statuses(f"{base}/enterprises/1", token) == {200}
        r = httpx.post(f"{base}/enterprises", json={"name_en": "Two Worker Works", "location": "BLR"},
                       headers={"Authorization": f"Bearer {token}"}, timeout=30)
        assert r.status_code == 201, r.text
        assert _statuses(f"{base}/search?q=Two%20Worker%20Works", token) == {200}
        hits = {httpx.get(f"{base}/search?q=Two%20Worker%20Works&limit=1", timeout=30,
                          headers={"Authorization": f"Bearer {token}"}).json()[0]["enterprise"]["id"] for _ in range(REQUESTS)}
        assert hits == {r.json()["id"]}
        with engine.begin() as c:  # deactivated straight in the database: no write through the API
            c.execute(text("UPDATE app_user SET active = false WHERE name = 'worker-user'"))
        assert _statuses(f"{base}/enterprises/1", token) == {401}
    finally:
        engine.dispose()
        server.send_signal(signal.SIGINT)
        try:
            out = server.communicate(timeout=30)[0]
        except subprocess.TimeoutExpired:
            server.kill()
            out = server.communicate()[0]
    assert server.returncode is not None, out.decode(errors="replace")[-2000:]
