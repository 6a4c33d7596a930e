"""The API's asynchronous, coalesced registry-revision reads (PostgreSQL) and what they guarantee:
a request sees every write committed before it began, on any backend."""

from __future__ import annotations

import asyncio
import logging
import select

import pytest
from sqlalchemy import text

from tradecoop.api import revisions
from tradecoop.api.revisions import RevisionReader
from tradecoop.registry import repository as repo
from tradecoop.registry.db import make_engine, session_factory
from tradecoop.registry.service import RegistryService

#: the reader exists on PostgreSQL only (these tests take ``db_kind`` from here, not both backends)
ON_POSTGRES = pytest.mark.parametrize("db_kind", [pytest.param("postgresql", marks=pytest.mark.postgres)])


def _postgres_engine(url: str):
    engine = make_engine(url)
    assert engine.dialect.name == "postgresql"
    return engine


def _write(engine) -> tuple[str, int]:
    """One audited write committed on another connection; the revision after it."""
    with session_factory(engine)() as s:
        RegistryService(s, actor="test").create("enterprise", {"name_en": "Kvorzhintsy Pressworks", "location": "BLR"})
        s.commit()
        return repo.revision(s)


@ON_POSTGRES
def test_a_read_sent_before_a_request_began_is_not_shared_with_it(seeded_database_url):
    engine = _postgres_engine(seeded_database_url)
    reader = RevisionReader(engine)

    async def scenario():
        first = asyncio.ensure_future(reader.read())
        await asyncio.sleep(0)  # the first request's read is on the wire
        # its answer has arrived (the event loop has not taken it yet) ...
        assert select.select([reader._pgconn.socket], [], [], 10)[0]
        after = _write(engine)  # ... before this write commits
        second = await asyncio.wait_for(reader.read(), 10)  # began after the first read was sent: must wait for the next
        return await first, second, after

    try:
        first, second, after = asyncio.run(scenario())
    finally:
        reader.close()
        engine.dispose()
    assert second == after
    assert first == (after[0], after[1] - 1)


@ON_POSTGRES
def test_concurrent_requests_share_round_trips(seeded_database_url):
    engine = _postgres_engine(seeded_database_url)
    reader = RevisionReader(engine)
    sent = []
    send = reader._send
    reader._send = lambda answer: (sent.append(answer), send(answer))[1]

    async def fifty():
        return await asyncio.wait_for(asyncio.gather(*(reader.read() for _ in range(50))), 10)

    try:
        answers = asyncio.run(fifty())
        with session_factory(engine)() as s:
            current = repo.revision(s)
    finally:
        reader.close()
        engine.dispose()
    assert answers == [current] * 50
    assert len(sent) == 2  # the first request's read, then one for the 49 that began meanwhile


@ON_POSTGRES
def test_a_failed_reader_falls_back_then_recovers(seeded_database_url, monkeypatch, caplog):
    engine = _postgres_engine(seeded_database_url)
    reader = RevisionReader(engine)

    async def scenario():
        before = await reader.read()
        with engine.connect() as c:
            c.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": reader._pgconn.backend_pid})
        await asyncio.sleep(0.2)
        lost = await reader.read()  # the connection is gone: the request reads synchronously
        during = await reader.read()  # and so do the next ones, for RETRY_AFTER_S
        monkeypatch.setattr(revisions, "RETRY_AFTER_S", 0.0)
        reader._retry_at = 0.0
        return before, lost, during, await reader.read()

    try:
        with caplog.at_level(logging.WARNING, logger="tradecoop.api"):
            before, lost, during, recovered = asyncio.run(scenario())
    finally:
        reader.close()
        engine.dispose()
    assert before is not None and recovered == before
    assert lost is None and during is None
    assert "asynchronous registry revision read" in caplog.text


def test_a_write_made_elsewhere_is_seen_by_the_next_request(api, seeded_settings):
    """On both backends: a write committed outside this API process (another worker, the CLI)
    is in the very next response."""
    def first_hit():
        hits = api.get("/api/v1/search?q=Kvorzhintsy Pressworks").json()
        return hits[0]["enterprise"]["name_en"] if hits else None

    assert first_hit() != "Kvorzhintsy Pressworks"
    engine = make_engine(seeded_settings.database_url)
    try:
        _write(engine)
    finally:
        engine.dispose()
    assert first_hit() == "Kvorzhintsy Pressworks"
