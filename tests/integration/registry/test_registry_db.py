"""Registry on a real database (each test runs on SQLite and on PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tradecoop.errors import ConflictError, DataValidationError, NotFoundError
from tradecoop.registry import models as m
from tradecoop.registry import repository as repo
from tradecoop.registry.records import to_dict
from tradecoop.registry.seed import agreement_rows, enterprise_rows, figure_rows, load_seed
from tradecoop.registry.service import RegistryService

GOMSELMASH_SPELLINGS = ("Гомсельмаш", "Homselmash", "Gomselmash", "гомсельмаш")


def test_migrations_have_no_drift(database_url):
    from tradecoop.registry.db import check_no_drift, migrate

    migrate(database_url)  # already at head: a no-op that must not fail
    check_no_drift(database_url)


def test_seed_is_idempotent_and_complete(session):
    first = load_seed(session)
    second = load_seed(session)
    assert first == {"enterprise": len(enterprise_rows()), "agreement": len(agreement_rows()),
                     "figure": len(figure_rows())}
    assert second == {"enterprise": 0, "agreement": 0, "figure": 0}
    assert session.scalar(select(func.count(m.Enterprise.id))) == len(enterprise_rows()) >= 40
    assert session.scalar(select(func.count(m.Agreement.id))) == 11
    # every agreement has Belarus and Russia among its parties
    for a in session.scalars(select(m.Agreement)):
        assert {"BLR", "RUS"} <= {p.location for p in a.parties}


@pytest.mark.parametrize("spelling", GOMSELMASH_SPELLINGS)
def test_search_finds_gomselmash_in_any_spelling(seeded_session, spelling):
    hits = repo.search_enterprises(seeded_session, spelling, limit=5)
    assert hits, spelling
    assert hits[0][0].name_en == "Gomselmash"


def test_search_by_abbreviation_and_russian_name(seeded_session):
    assert repo.search_enterprises(seeded_session, "ЧТПЗ")[0][0].name_en == "ChelPipe"
    assert repo.search_enterprises(seeded_session, "Магнитогорский металлургический комбинат")[0][0].name_en.startswith("Magnitogorsk")
    assert repo.search_enterprises(seeded_session, "Minsk Tractr Works")[0][0].name_en == "Minsk Tractor Works"  # misspelt


INJECTIONS = ("'; DROP TABLE enterprise; --", "\" OR 1=1 --", "%' OR '1'='1", "_%", "1; DELETE FROM app_user")


@pytest.mark.parametrize("text", INJECTIONS)
def test_injection_strings_are_plain_text(seeded_session, text):
    before = seeded_session.scalar(select(func.count(m.Enterprise.id)))
    repo.search_enterprises(seeded_session, text)
    page = repo.list_enterprises(seeded_session, q=text, location=text, nace=text, hs=text, role=text)
    assert page.items == []
    for entity in ("agreement", "project", "event"):
        assert repo.list_records(seeded_session, entity, q=text, kind=text, location=text).items == []
    seeded_session.expire_all()
    assert seeded_session.scalar(select(func.count(m.Enterprise.id))) == before


def _new(svc: RegistryService) -> m.Enterprise:
    return svc.create("enterprise", {"name_en": "Test Works", "location": "BLR", "products": ["8701"],
                                     "aliases": ["TW"], "sources": ["https://example.org"]})


def test_update_bumps_version_and_is_audited(session):
    svc = RegistryService(session, actor="alice")
    e = _new(svc)
    assert e.version == 1
    e = svc.update("enterprise", e.id, {"city": "Minsk", "inputs": ["4011"]}, version=1)
    assert (e.version, e.city, to_dict(e)["inputs"], to_dict(e)["products"]) == (2, "Minsk", ["4011"], ["8701"])
    # a change of children only still bumps the version
    e = svc.update("enterprise", e.id, {"aliases": ["TW", "Т.В."]}, version=2)
    assert e.version == 3
    log = repo.audit_entries(session, entity="enterprise", entity_id=e.id)
    assert [a.action for a in log] == ["update", "update", "create"]
    assert log[1].before["city"] is None and log[1].after["city"] == "Minsk"
    assert {a.actor for a in log} == {"alice"}


def test_stale_update_conflicts_and_changes_nothing(session):
    svc = RegistryService(session)
    e = _new(svc)
    svc.update("enterprise", e.id, {"city": "Minsk"}, version=1)
    with pytest.raises(ConflictError, match="version 2"):
        svc.update("enterprise", e.id, {"city": "Gomel"}, version=1)
    session.expire_all()
    stored = repo.get(session, "enterprise", e.id)
    assert (stored.city, stored.version) == ("Minsk", 2)
    with pytest.raises(ConflictError):
        svc.delete("enterprise", e.id, version=1)
    assert repo.get(session, "enterprise", e.id) is not None


def test_bad_input_is_rejected_with_field_names(session):
    svc = RegistryService(session)
    with pytest.raises(DataValidationError, match="location"):
        svc.create("enterprise", {"name_en": "X", "location": "XX-YYY"})
    with pytest.raises(DataValidationError, match="products"):
        svc.create("enterprise", {"name_en": "X", "location": "BLR", "products": ["87a1"]})
    with pytest.raises(DataValidationError, match="unknown enterprise field"):
        svc.create("enterprise", {"name_en": "X", "location": "BLR", "colour": "red"})
    with pytest.raises(NotFoundError):
        svc.create("project", {"title": "P", "kind": "co-production", "parties": [{"enterprise_id": 999}]})


def test_projects_events_agreements_round_trip(session):
    svc = RegistryService(session)
    e = _new(svc)
    a = svc.create("agreement", {"title": "Supply memo", "kind": "memorandum", "signed_date": "2024-05-01",
                                 "parties": [{"location": "BLR"}, {"location": "RU-CHE"}, {"enterprise_id": e.id}]})
    p = svc.create("project", {"title": "Tractor assembly", "kind": "co-production", "agreement_id": a.id,
                               "products": ["8701"], "parties": [{"enterprise_id": e.id}],
                               "milestones": [{"due_date": "2025-01-31", "note": "first kit"}]})
    ev = svc.create("event", {"title": "Forum of Regions", "kind": "forum", "date": "2024-06-27",
                              "participants": [{"name": "Delegation", "location": "RU-CHE"}],
                              "agreement_ids": [a.id], "project_ids": [p.id]})
    d = to_dict(ev)
    assert d["agreement_ids"] == [a.id] and d["project_ids"] == [p.id]
    assert to_dict(p)["milestones"] == [{"due_date": "2025-01-31", "done_date": None, "note": "first kit"}]
    assert repo.list_records(session, "agreement", location="RU-CHE").total == 1
    assert repo.list_records(session, "project", q="TRACTOR").total == 1
