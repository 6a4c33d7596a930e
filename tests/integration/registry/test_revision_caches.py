"""The registry revision and the per-process indexes that follow it (SQLite and PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import text

from tradecoop.registry import repository as repo
from tradecoop.registry.db import make_engine, session_factory
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
    reader = session_factory(make_engine(url))
    with reader() as s:
        assert not repo.search_index(s).rank("Zyxwvut Foundry")
        index_before = repo.search_index(s)
        gomsel = repo.search_index(s).rank("Gomselmash", limit=1)[0].id
        doc_before = repo.enterprise_documents(s, [gomsel])[gomsel]
        match_before = match_index(s)
    with _fresh(url) as w:  # another "process" writes
        svc = RegistryService(w, actor="elsewhere")
        new = svc.create("enterprise", {"name_en": "Zyxwvut Foundry", "location": "RU-CHE", "products": ["7325"]})
        current = repo.get(w, "enterprise", gomsel)
        svc.update("enterprise", gomsel, {"city": "Gomel (updated)"}, version=current.version)
    with reader() as s:
        assert repo.search_index(s) is not index_before
        assert [h.id for h in repo.search_index(s).rank("Zyxwvut Foundry", limit=1)] == [new.id]
        doc = repo.enterprise_documents(s, [gomsel])[gomsel]
        assert doc["city"] == "Gomel (updated)" and doc["version"] == doc_before["version"] + 1
        assert match_index(s) is not match_before and new.id in set(match_index(s).ids.tolist())
    with _fresh(url) as w:
        RegistryService(w).delete("enterprise", new.id, version=repo.get(w, "enterprise", new.id).version)
    with reader() as s:
        assert not [h for h in repo.search_index(s).rank("Zyxwvut Foundry") if h.id == new.id]
        assert repo.enterprise_documents(s, [new.id]) == {}


def test_a_new_user_can_authenticate_at_once(seeded_database_url):
    url = seeded_database_url
    reader = session_factory(make_engine(url))
    with reader() as s:
        assert repo.search_index(s)  # a cached view exists before the user does
    with _fresh(url) as w:
        _, token = RegistryService(w).create_user("late-user", "editor", "k" * 40)
    with reader() as s:
        assert authenticate(s, token, "k" * 40).name == "late-user"


def test_enterprise_documents_equal_the_orm_record(seeded_session):
    from tradecoop.registry.records import ENTERPRISE_FIELDS, to_dict

    ids = [h.id for h in repo.search_index(seeded_session).rank("a", limit=100)] or list(range(1, 42))
    ids = sorted(set(ids) | set(range(1, 42)))
    docs = repo.enterprise_documents(seeded_session, ids)
    assert docs
    for i, record in docs.items():
        assert set(record) == set(ENTERPRISE_FIELDS)
        assert record == to_dict(repo.get(seeded_session, "enterprise", i))


def test_each_index_is_rebuilt_only_when_what_it_is_built_from_changes(seeded_database_url):
    url = seeded_database_url
    reader = session_factory(make_engine(url))

    def indexes():
        with reader() as s:
            return repo.search_index(s), match_index(s)

    with _fresh(url) as w:
        gomsel = repo.search_enterprises(w, "Gomselmash", limit=1)[0][0].id
    search0, match0 = indexes()
    steps = [  # (change, search index rebuilt?, match index rebuilt?)
        ({"website": "https://example.org/changed"}, False, False),
        ({"sources": ["https://example.org/source"]}, False, False),
        ({"city": "Gomel-2"}, False, True),
        ({"products": ["8433", "8432", "8701"]}, False, True),
        ({"aliases": ["Homselmash-2"]}, True, False),
        ({"name_en": "Gomselmash Holding"}, True, True),
    ]
    for change, search_rebuilt, match_rebuilt in steps:
        with _fresh(url) as w:
            svc = RegistryService(w)
            svc.update("enterprise", gomsel, change, version=repo.get(w, "enterprise", gomsel).version)
            svc.create("figure", {"metric": "jobs", "value": 1, "unit": "jobs", "period": "2024",
                                  "parties": ["BLR"], "source_publisher": "test"})  # other entities: no rebuild
        search1, match1 = indexes()
        assert ((search1 is not search0), (match1 is not match0)) == (search_rebuilt, match_rebuilt), change
        search0, match0 = search1, match1
    with _fresh(url) as w:
        RegistryService(w).create("enterprise", {"name_en": "Brand New Works", "location": "BLR"})
    search1, match1 = indexes()
    assert search1 is not search0 and match1 is not match0


def test_topic_revisions_share_the_database_epoch(database_url):
    with _fresh(database_url) as s:
        epochs = {repo.revision(s, topic)[0] for topic in ("all", "search", "match")}
        assert len(epochs) == 1 and len(epochs.pop()) == 32
        assert s.execute(text("SELECT count(*) FROM registry_revision")).scalar() == 3
