"""The registry revision and the per-process caches that follow it (SQLite and PostgreSQL)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from tradecoop.registry import repository as repo
from tradecoop.registry.db import make_engine, read_only_engine, session_factory
from tradecoop.registry.matching import match_index
from tradecoop.registry.service import RegistryService, authenticate


def _fresh(url: str):
    """A new session on ``url`` (as another request or process would open one)."""
    return session_factory(make_engine(url))()


def test_every_audited_write_raises_the_revision(session):
    epoch, start = repo.revision(session)
    assert len(epoch) == 32 and start >= 1
    svc = RegistryService(session)
    e = svc.create("enterprise", {"name_en": "Revision Works", "location": "BLR"})
    assert repo.revision(session) == (epoch, start + 1)
    svc.update("enterprise", e.id, {"city": "Minsk"}, version=e.version)
    svc.delete("enterprise", e.id, version=e.version)
    svc.create_user("rev-user", "viewer", "k" * 40)
    with _fresh(str(session.get_bind().url.render_as_string(hide_password=False))) as other:
        assert repo.revision(other) == (epoch, start + 4)  # committed, seen by another connection


def test_cached_views_follow_writes_made_elsewhere(seeded_database_url):
    url = seeded_database_url
    reader = session_factory(read_only_engine(make_engine(url)))
    with reader() as s:
        assert not repo.search_index(s).rank("Zyxwvut Foundry")
        index_before = repo.search_index(s)
        gomsel = repo.search_index(s).rank("Gomselmash", limit=1)[0].id
        doc_before = json.loads(repo.enterprise_json(s, [gomsel])[gomsel])
        match_before = match_index(s)
    with _fresh(url) as w:  # another "process" writes
        svc = RegistryService(w, actor="elsewhere")
        new = svc.create("enterprise", {"name_en": "Zyxwvut Foundry", "location": "RU-CHE", "products": ["7325"]})
        current = repo.get(w, "enterprise", gomsel)
        svc.update("enterprise", gomsel, {"city": "Gomel (updated)"}, version=current.version)
    with reader() as s:
        assert repo.search_index(s) is not index_before
        assert [h.id for h in repo.search_index(s).rank("Zyxwvut Foundry", limit=1)] == [new.id]
        doc = json.loads(repo.enterprise_json(s, [gomsel])[gomsel])
        assert doc["city"] == "Gomel (updated)" and doc["version"] == doc_before["version"] + 1
        assert match_index(s) is not match_before and new.id in set(match_index(s).ids.tolist())
    with _fresh(url) as w:
        RegistryService(w).delete("enterprise", new.id, version=repo.get(w, "enterprise", new.id).version)
    with reader() as s:
        assert not [h for h in repo.search_index(s).rank("Zyxwvut Foundry") if h.id == new.id]
        assert repo.enterprise_json(s, [new.id]) == {}


def test_a_new_user_can_authenticate_at_once(seeded_database_url):
    url = seeded_database_url
    reader = session_factory(read_only_engine(make_engine(url)))
    with reader() as s:
        repo.users_by_token_prefix(s)  # cached before the user exists
    with _fresh(url) as w:
        _, token = RegistryService(w).create_user("late-user", "editor", "k" * 40)
    with reader() as s:
        assert authenticate(s, token, "k" * 40).name == "late-user"


def test_enterprise_json_equals_the_orm_record(seeded_session):
    from tradecoop.registry.records import ENTERPRISE_FIELDS, to_dict

    ids = [h.id for h in repo.search_index(seeded_session).rank("a", limit=100)] or list(range(1, 42))
    ids = sorted(set(ids) | set(range(1, 42)))
    docs = repo.enterprise_json(seeded_session, ids)
    assert docs
    for i, body in docs.items():
        record = json.loads(body)
        assert tuple(record) == ENTERPRISE_FIELDS
        assert record == to_dict(repo.get(seeded_session, "enterprise", i))


def test_the_revision_takes_one_pooled_connection_at_most(seeded_database_url):

    engine = make_engine(seeded_database_url)
    reader = session_factory(read_only_engine(engine))
    with reader() as s:
        repo.revision(s)  # not connected yet: a connection for this read only, given back
        assert engine.pool.checkedout() == 0 and not s.in_transaction()
    with reader() as s:
        s.execute(text("SELECT 1"))  # connected: the revision is read on the same connection
        repo.revision(s)
        assert engine.pool.checkedout() == 1
    assert engine.pool.checkedout() == 0
    engine.dispose()


#: the libpq revision read exists on PostgreSQL only (these tests take ``db_kind`` from here)
ON_POSTGRES = pytest.mark.parametrize("db_kind", [pytest.param("postgresql", marks=pytest.mark.postgres)])


def _pooled_postgres_reader(url: str):
    """An engine on PostgreSQL and its read-session factory."""
    engine = make_engine(url)
    assert engine.dialect.name == "postgresql"
    return engine, session_factory(read_only_engine(engine))


@ON_POSTGRES
def test_the_revision_survives_discarded_prepared_statements(seeded_database_url):
    """PostgreSQL reads the revision with a statement prepared once per pooled connection; a
    ``DISCARD ALL`` (as a connection pooler may send) makes it prepare the statement again."""
    engine, reader = _pooled_postgres_reader(seeded_database_url)
    with reader() as s:
        first = repo.revision(s)
    connection = engine.raw_connection()  # the same pooled connection (only one was opened)
    connection.driver_connection.autocommit = True
    connection.driver_connection.execute("DISCARD ALL")
    connection.driver_connection.autocommit = False
    connection.close()
    with reader() as s:
        assert repo.revision(s) == first
    engine.dispose()


@ON_POSTGRES
def test_a_broken_connection_fails_one_revision_read_and_is_replaced(seeded_database_url):
    """A pooled connection whose server process has gone fails the read that finds it, leaves
    the pool, and the next read gets a new connection."""
    from psycopg import OperationalError

    engine, reader = _pooled_postgres_reader(seeded_database_url)
    with reader() as s:
        first = repo.revision(s)
    connection = engine.raw_connection()
    pid = connection.driver_connection.info.backend_pid
    connection.close()
    killer = make_engine(seeded_database_url)
    with killer.connect() as c:
        c.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    killer.dispose()
    with reader() as s, pytest.raises(OperationalError, match="reading the registry revision failed"):
        repo.revision(s)
    assert engine.pool.checkedout() == 0
    with reader() as s:
        assert repo.revision(s) == first
    engine.dispose()
