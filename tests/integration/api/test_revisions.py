"""The API's asynchronous, coalesced registry-revision reads (PostgreSQL) and what they guarantee:
a request sees every write committed before it began, on any backend."""

from __future__ import annotations

import asyncio
import logging
import select
import time
import warnings

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


def _count_sends(reader: RevisionReader) -> list:
    """A list that grows by one for every read ``reader`` sends."""
    sent: list = []
    send = reader._send
    reader._send = lambda answer: (sent.append(answer), send(answer))[1]
    return sent


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
    sent = _count_sends(reader)

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


@ON_POSTGRES
def test_closing_the_reader_ends_its_server_connection(seeded_database_url):
    engine = _postgres_engine(seeded_database_url)
    reader = RevisionReader(engine)

    async def scenario():
        first = await reader.read()
        pid = reader._pgconn.backend_pid
        reader.close()
        return first, pid, await reader.read()

    try:
        with warnings.catch_warnings(record=True) as caught:  # closed, not left to the garbage collector
            warnings.simplefilter("always", ResourceWarning)
            first, pid, after = asyncio.run(scenario())
        assert not [w for w in caught if issubclass(w.category, ResourceWarning)]
        deadline = time.monotonic() + 10
        with engine.connect() as c:
            while c.execute(text("SELECT count(*) FROM pg_stat_activity WHERE pid = :p"), {"p": pid}).scalar():
                assert time.monotonic() < deadline, "the reader's server connection is still open"
                time.sleep(0.05)
    finally:
        engine.dispose()
    assert first is not None and after is None  # closed for good


@ON_POSTGRES
def test_a_lost_connection_releases_every_waiting_request(seeded_database_url):
    engine = _postgres_engine(seeded_database_url)
    reader = RevisionReader(engine)

    async def scenario():
        await reader.read()  # connected
        pid = reader._pgconn.backend_pid
        requests = [asyncio.ensure_future(reader.read()) for _ in range(5)]
        await asyncio.sleep(0)  # one read on the wire, four requests waiting for the next
        with engine.connect() as c:
            c.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        time.sleep(0.2)
        return await asyncio.wait_for(asyncio.gather(*requests), 10)

    try:
        answers = asyncio.run(scenario())
    finally:
        reader.close()
        engine.dispose()
    assert answers[1:] == [None] * 4  # they fall back to the synchronous read; none hangs


@ON_POSTGRES
def test_an_unanswered_read_times_out(seeded_database_url, monkeypatch, caplog):
    engine = _postgres_engine(seeded_database_url)
    reader = RevisionReader(engine)
    monkeypatch.setattr(revisions, "READ_TIMEOUT_S", 0.3)

    async def scenario():
        await reader.read()  # connected and prepared
        with engine.connect() as locker:  # a migration holding the table
            locker.execute(text("LOCK TABLE registry_revision IN ACCESS EXCLUSIVE MODE"))
            started = time.monotonic()
            answer = await asyncio.wait_for(reader.read(), 10)
            waited = time.monotonic() - started
            locker.rollback()
        return answer, waited

    try:
        with caplog.at_level(logging.WARNING, logger="tradecoop.api"):
            answer, waited = asyncio.run(scenario())
    finally:
        reader.close()
        engine.dispose()
    assert answer is None and waited < 5
    assert "timed out" in caplog.text


@ON_POSTGRES
def test_the_api_reads_the_revision_through_the_reader(api):
    sent = _count_sends(api.app.state.revision_reader)
    assert api.get("/api/v1/search?q=Gomselmash").status_code == 200
    assert api.get("/api/v1/enterprises/1").status_code == 200
    assert len(sent) == 2
