"""``tradecoop serve --workers 2``: one listening socket per worker, and read sessions closed."""

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
import pytest

from tradecoop.api.listeners import reuse_port_supported

#: seconds the two workers may take to import the app and start (two processes on a small machine)
START_TIMEOUT_S = 90


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listening_sockets(port: int) -> int:
    """TCP sockets in LISTEN state on 127.0.0.1:``port`` (``/proc/net/tcp``)."""
    local = f"0100007F:{port:04X}"
    with open("/proc/net/tcp", encoding="ascii") as f:
        return sum(1 for line in f.readlines()[1:] if line.split()[1] == local and line.split()[3] == "0A")


@pytest.mark.skipif(not reuse_port_supported(), reason="SO_REUSEPORT balancing is Linux-only")
def test_each_worker_listens_on_a_socket_of_its_own(sqlite_templates, tmp_path: Path):
    db = tmp_path / "registry.sqlite3"
    shutil.copy(sqlite_templates[True], db)
    port = _free_port()
    env = {**os.environ, "TRADECOOP_DATABASE_URL": f"sqlite:///{db}", "TRADECOOP_WARM_CACHES": "false"}
    server = subprocess.Popen([sys.executable, "-m", "tradecoop.cli.main", "serve", "--port", str(port), "--workers", "2"],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while _listening_sockets(port) < 2 and time.monotonic() < deadline and server.poll() is None:
            time.sleep(0.2)
        assert _listening_sockets(port) == 2, "expected one listening socket per worker"
        for _ in range(10):  # new connections each time: the kernel spreads them over the workers
            assert httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=10).json()["status"] == "ok"
    finally:
        server.send_signal(signal.SIGINT)
        try:
            out = server.communicate(timeout=30)[0]
        except subprocess.TimeoutExpired:
            server.kill()
            out = server.communicate()[0]
    assert server.returncode is not None
    assert _listening_sockets(port) == 0, out.decode(errors="replace")[-2000:]
