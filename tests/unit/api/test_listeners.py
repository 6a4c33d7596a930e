"""One SO_REUSEPORT socket per uvicorn worker (``tradecoop.api.listeners``)."""

from __future__ import annotations

import pickle
import socket

import pytest

from tradecoop.api.listeners import (
    ReusePortListener,
    bind_reuse_port,
    reuse_port_supported,
    run_workers,
)
from tradecoop.errors import ConfigurationError

pytestmark = pytest.mark.skipif(not reuse_port_supported(), reason="SO_REUSEPORT balancing is Linux-only")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_two_sockets_listen_on_one_port_and_both_accept():
    port = _free_port()
    first, second = bind_reuse_port("127.0.0.1", port), bind_reuse_port("127.0.0.1", port)
    try:
        for sock in (first, second):
            sock.listen(64)
            sock.settimeout(0.2)
        clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(32)]
        accepted = []
        for sock in (first, second):
            n = 0
            while True:
                try:
                    sock.accept()[0].close()
                    n += 1
                except TimeoutError:
                    break
            accepted.append(n)
        for c in clients:
            c.close()
        assert sum(accepted) == 32 and min(accepted) > 0  # the kernel spread them over both sockets
    finally:
        first.close()
        second.close()


def test_each_worker_unpickles_the_listener_into_a_socket_of_its_own():
    port = _free_port()
    listener = ReusePortListener("127.0.0.1", port)
    one, two = pickle.loads(pickle.dumps(listener)), pickle.loads(pickle.dumps(listener))
    try:
        assert one.fileno() != two.fileno()
        for sock in (one, two):
            assert sock.getsockname() == ("127.0.0.1", port)
            assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) == 1
    finally:
        one.close()
        two.close()


def test_a_taken_port_fails_before_any_worker_starts():
    with socket.socket() as holder:  # a plain socket (no SO_REUSEPORT) owns the port
        holder.bind(("127.0.0.1", 0))
        holder.listen(1)
        with pytest.raises(ConfigurationError, match="cannot listen on 127.0.0.1"):
            run_workers("tradecoop.api:app_from_env", host="127.0.0.1", port=holder.getsockname()[1], workers=2)
    with pytest.raises(ConfigurationError, match="fixed --port"):
        run_workers("tradecoop.api:app_from_env", host="127.0.0.1", port=0, workers=2)
