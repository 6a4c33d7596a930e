"""The registry revision for API requests on PostgreSQL, read without blocking the event loop.

Every request checks the registry revision (:func:`tradecoop.registry.repository.revision`) so
that a write committed through any worker is seen by the next request to any worker. Read
synchronously, that is one round trip to the server per request, during which the worker's
event loop waits (~0.2 ms on loopback, while its core mostly idles). :class:`RevisionReader`
reads it asynchronously on one connection of its own per event loop and **coalesces**
requests: a request waits for a read that was *sent after it started*, so it sees every write
committed before it arrived, and all the requests that start while one read is on the wire
share the next one. Under load one round trip serves many requests and overlaps their work.

Only PostgreSQL (psycopg) uses it: SQLite's revision read is a local file read (~20 us). On any
failure (no server, a broken connection) :meth:`RevisionReader.read` returns ``None`` for
:data:`RETRY_AFTER_S` seconds; requests then read the revision synchronously, which raises the
real error if there is one.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

log = logging.getLogger("tradecoop.api")
#: the statement's name on the reader's connection (it came from the pool, where connections may
#: have prepared ``repository.REVISION_STATEMENT`` already)
STATEMENT = b"tradecoop_registry_revision_async"
#: after a failure, requests read the revision synchronously for this many seconds
RETRY_AFTER_S = 5.0
#: a read unanswered this long (a lock held by a migration, a half-open connection) is a failure
READ_TIMEOUT_S = 5.0

Revision = tuple[str, int]


class RevisionReader:
    """Coalesced asynchronous reads of the registry revision on one event loop (see the module).

    ``engine``: a SQLAlchemy engine on psycopg; one of its pooled connections is detached from
    the pool on first use and kept for these reads. One event loop at a time (uvicorn runs one
    per worker process); a call from a new loop starts afresh on it. After :meth:`close` every
    read returns ``None``.
    """

    def __init__(self, engine: Any) -> None:
        self._engine = engine
        self._loop: asyncio.AbstractEventLoop | None = None
        self._driver: Any = None  # the psycopg connection, detached from the pool
        self._pgconn: Any = None  # its libpq connection
        self._fd: int | None = None  # its socket, as registered with the loop (a lost connection has none)
        self._on_wire: asyncio.Future[Revision | None] | None = None  # the answer to the read sent
        self._next: asyncio.Future[Revision | None] | None = None  # requests begun since it was sent
        self._result: Any = None  # the first result of the read on the wire, once received
        self._deadline: asyncio.TimerHandle | None = None  # READ_TIMEOUT_S after the read was sent
        self._retry_at = 0.0  # loop time before which a failed reader is not tried again
        self._closed = False

    async def read(self) -> Revision | None:
        """``(epoch, revision)`` from a read sent after this call began; ``None`` on failure."""
        loop = asyncio.get_running_loop()
        if self._closed:
            return None
        if loop is not self._loop:  # first use, or a new event loop (tests): start afresh
            self._reset()
            self._loop = loop
        if self._on_wire is None:
            if loop.time() < self._retry_at:
                return None
            answer = self._send(loop.create_future())
        else:  # the read on the wire may predate this request: wait for the next one
            if self._next is None:
                self._next = loop.create_future()
            answer = self._next
        return await asyncio.shield(answer)  # a cancelled request leaves the others' read alone

    def close(self) -> None:
        """Close the connection for good; waiting requests get ``None`` (app shutdown)."""
        self._closed = True
        self._reset()

    def _send(self, answer: asyncio.Future[Revision | None]) -> asyncio.Future[Revision | None]:
        """Send one read whose result resolves ``answer`` (``None`` at once if it cannot be sent)."""
        from tradecoop.registry.repository import prepare_revision

        loop = self._loop
        assert loop is not None
        try:
            if self._pgconn is None:
                connection = self._engine.raw_connection()
                self._driver = connection.driver_connection
                connection.detach()  # ours until _reset(); the pool opens another when it needs one
                pgconn = self._driver.pgconn
                prepare_revision(pgconn, STATEMENT)
                self._fd = pgconn.socket
                loop.add_reader(self._fd, self._receive)
                self._pgconn = pgconn
            self._pgconn.send_query_prepared(STATEMENT, [])
            if self._pgconn.flush():  # psycopg's connections are non-blocking: the rest when writable
                loop.add_writer(self._fd, self._flush)
        except Exception as exc:  # noqa: BLE001 - the synchronous read reports the real error
            self._fail("unavailable", exc)
            answer.set_result(None)
            return answer
        self._on_wire = answer
        self._deadline = loop.call_later(READ_TIMEOUT_S, self._expire, answer)
        return answer

    def _flush(self) -> None:
        try:
            if not self._pgconn.flush():
                self._loop.remove_writer(self._fd)
        except Exception as exc:  # noqa: BLE001 - see _send
            self._fail("failed", exc)

    def _expire(self, answer: asyncio.Future[Revision | None]) -> None:
        if self._on_wire is answer:
            self._fail("timed out", TimeoutError(f"no answer in {READ_TIMEOUT_S:.0f} s"))

    def _receive(self) -> None:
        """The connection is readable: take what arrived; once the read on the wire is complete,
        resolve it and send the next one. Never blocks: results are taken only while libpq
        holds them complete (``is_busy`` false)."""
        from tradecoop.registry.repository import revision_from_result

        pgconn = self._pgconn
        try:
            pgconn.consume_input()  # raises if the server has closed the connection
            if self._on_wire is None:  # nothing sent: nothing to take
                return
            while not pgconn.is_busy():
                result = pgconn.get_result()
                if result is None:  # the end of this read's results
                    break
                if self._result is None:
                    self._result = result
            else:
                return  # the rest has not arrived yet
            result, self._result = self._result, None
            value = revision_from_result(result, pgconn)
        except Exception as exc:  # noqa: BLE001 - see _send
            self._fail("failed", exc)
            return
        if self._deadline is not None:
            self._deadline.cancel()
        answer, self._on_wire = self._on_wire, None
        if not answer.done():
            answer.set_result(value)
        waiting, self._next = self._next, None
        if waiting is not None:
            self._send(waiting)

    def _fail(self, what: str, exc: Exception) -> None:
        log.warning("asynchronous registry revision read %s (synchronous reads for %.0f s): %s: %s",
                    what, RETRY_AFTER_S, type(exc).__name__, exc)
        self._reset()
        if self._loop is not None:
            self._retry_at = self._loop.time() + RETRY_AFTER_S

    def _reset(self) -> None:
        """Drop the connection; waiting requests get ``None`` (a later read opens a new one)."""
        loop = self._loop
        if self._fd is not None and loop is not None and not loop.is_closed():
            loop.remove_reader(self._fd)  # before libpq closes the socket (its number may be reused)
            loop.remove_writer(self._fd)
        if self._deadline is not None:
            self._deadline.cancel()
        if self._driver is not None:  # detached: closing the psycopg connection is all (no pool reset)
            with contextlib.suppress(Exception):
                self._driver.close()
        for future in (self._on_wire, self._next):
            if future is not None and not future.done():
                future.set_result(None)
        self._driver = self._pgconn = self._fd = self._on_wire = self._next = self._result = self._deadline = None
