"""Users and tokens through the API (issue 17, defect 1 and "Users and tokens"), the audit log,
and the cheap edge cases of defect 7 (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import warnings

import pytest
from sqlalchemy import text

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from tradecoop.api.schemas.common import MAX_CODES
from tradecoop.registry.records import INT64_MAX


@pytest.fixture
def second_worker(api, seeded_settings):
    """Another app on the same database: what a second uvicorn worker sees."""
    from tradecoop.api import create_app

    with TestClient(create_app(seeded_settings), raise_server_exceptions=False) as client:
        yield client


def _user_id(api, name: str) -> dict:
    return next(u for u in api.get("/api/v1/users", role="admin").json() if u["name"] == name)


def _sql(settings, statement: str, **params) -> None:
    from tradecoop.registry.db import make_engine

    engine = make_engine(settings.database_url)
    with engine.begin() as c:
        c.execute(text(statement), params)
    engine.dispose()


@pytest.mark.parametrize("change", ["deactivate", "delete"])
def test_a_user_changed_in_the_database_fails_at_once_in_every_worker(api, second_worker, seeded_settings, change):
    headers = api.h("editor")
    assert second_worker.get("/api/v1/enterprises", headers=headers).status_code == 200  # warm, if anything caches
    # changed straight in the database (no audited write that would tell a cache)
    if change == "deactivate":
        _sql(seeded_settings, "UPDATE app_user SET active = false WHERE name = 'editor-user'")
    else:
        _sql(seeded_settings, "DELETE FROM app_user WHERE name = 'editor-user'")
    assert second_worker.get("/api/v1/enterprises", headers=headers).status_code == 401
    assert api.post("/api/v1/agreements", {"title": "x", "kind": "memorandum"}).status_code == 401


def test_admins_deactivate_reactivate_reissue_and_delete(api, second_worker):
    editor = _user_id(api, "editor-user")
    r = api.patch(f"/api/v1/users/{editor['id']}", {"version": editor["version"], "active": False}, role="admin")
    assert r.status_code == 200 and r.json()["active"] is False
    assert second_worker.get("/api/v1/enterprises", headers=api.h("editor")).status_code == 401
    r = api.patch(f"/api/v1/users/{editor['id']}", {"version": r.json()["version"], "active": True}, role="admin")
    assert r.status_code == 200
    assert second_worker.get("/api/v1/enterprises", headers=api.h("editor")).status_code == 200
    r = api.post(f"/api/v1/users/{editor['id']}/token", {}, role="admin")
    assert r.status_code == 200 and r.json()["token"] != api.tokens["editor"]
    new_token = r.json()["token"]
    assert second_worker.get("/api/v1/enterprises", headers=api.h("editor")).status_code == 401  # old token
    assert second_worker.get("/api/v1/enterprises", headers={"Authorization": f"Bearer {new_token}"}).status_code == 200
    r = api.delete(f"/api/v1/users/{editor['id']}", role="admin", params={"version": r.json()["version"]})
    assert r.status_code == 204
    assert second_worker.get("/api/v1/enterprises", headers={"Authorization": f"Bearer {new_token}"}).status_code == 401
    assert "editor-user" not in {u["name"] for u in api.get("/api/v1/users", role="admin").json()}
    # every change is in the audit log, readable by admins only
    log = api.get("/api/v1/audit", role="admin", params={"entity": "user", "entity_id": editor["id"]}).json()
    assert [e["action"] for e in log["items"]] == ["delete", "reissue-token", "update", "update", "create"]
    assert all(e["actor"] == "admin-user" for e in log["items"][:4])
    assert "token" not in str(log["items"][1]["after"]).replace("token_expires_at", "")
    assert api.get("/api/v1/audit", role="viewer").status_code == 403


def test_admins_cannot_lock_themselves_out(api):
    me = _user_id(api, "admin-user")
    for call in (lambda: api.patch(f"/api/v1/users/{me['id']}", {"version": me["version"], "active": False}, role="admin"),
                 lambda: api.patch(f"/api/v1/users/{me['id']}", {"version": me["version"], "role": "viewer"}, role="admin"),
                 lambda: api.delete(f"/api/v1/users/{me['id']}", role="admin", params={"version": me["version"]})):
        r = call()
        assert r.status_code == 409 and "your own user" in r.json()["error"]["message"]
    assert api.get("/api/v1/users", role="admin").status_code == 200


def test_tokens_expire(api, seeded_settings):
    soon = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat()
    r = api.post("/api/v1/users", {"name": "temp", "role": "viewer", "expires_at": soon}, role="admin")
    assert r.status_code == 201 and r.json()["token_expires_at"].startswith(soon[:10])
    headers = {"Authorization": f"Bearer {r.json()['token']}"}
    assert api.client.get("/api/v1/enterprises", headers=headers).status_code == 200
    _sql(seeded_settings, "UPDATE app_user SET token_expires_at = :t WHERE name = 'temp'",
         t=dt.datetime(2020, 1, 1))
    r = api.client.get("/api/v1/enterprises", headers=headers)
    assert r.status_code == 401 and "expired" in r.json()["error"]["message"]
    past = api.post("/api/v1/users", {"name": "late", "expires_at": "2020-01-01T00:00:00Z"}, role="admin")
    assert past.status_code == 422 and "future" in past.json()["error"]["message"]


def test_user_names_differing_only_in_case_are_one_name(api):  # see also the look-alike test below
    assert api.post("/api/v1/users", {"name": "Editor-User"}, role="admin").status_code == 409


def test_openapi_declares_the_bearer_scheme(api):
    spec = api.client.get("/api/v1/openapi.json").json()
    assert spec["components"]["securitySchemes"]["bearer"] == {
        "type": "http", "scheme": "bearer", "description": spec["components"]["securitySchemes"]["bearer"]["description"]}
    assert {"bearer": []} in spec["paths"]["/api/v1/enterprises/{record_id}"]["get"]["security"]
    assert "security" not in spec["paths"]["/api/v1/health"]["get"]


@pytest.mark.parametrize("url", [f"/api/v1/enterprises/{INT64_MAX + 1}", f"/api/v1/figures/{10**30}",
                                 f"/api/v1/enterprises?offset={INT64_MAX + 1}", f"/api/v1/agreements?offset={10**20}"])
def test_numbers_beyond_64_bits_are_422(api, url):
    r = api.get(url)
    assert r.status_code == 422 and r.json()["error"]["type"] == "invalid"


def test_numbers_beyond_64_bits_in_bodies_are_422(api):
    for body in ({"title": "P", "kind": "investment", "jobs": INT64_MAX + 1},
                 {"title": "P", "kind": "investment", "parties": [{"enterprise_id": 10**20}]}):
        r = api.post("/api/v1/projects", body)
        assert r.status_code == 422, r.text
    r = api.client.post("/api/v1/projects", content='{"title": "P", "kind": "investment", "investment_amount": NaN}',
                        headers=api.h("editor") | {"content-type": "application/json"})
    assert r.status_code == 422


def test_conflict_bodies_carry_no_database_text(api, seeded_session):
    """A duplicate that only the database notices (a unique key) is a 409 in plain words."""
    from tradecoop.errors import ConflictError
    from tradecoop.registry import models as m
    from tradecoop.registry.service import RegistryService

    svc = RegistryService(seeded_session)
    e = svc.create("enterprise", {"name_en": "Dup Works", "location": "BLR", "products": ["8701"]})
    seeded_session.add(m.EnterpriseProduct(enterprise_id=e.id, hs_code="8701", role="product"))
    with pytest.raises(ConflictError) as conflict:
        svc._flush()
    message = str(conflict.value).lower()
    assert not any(word in message for word in ("unique", "constraint", "uq_", "enterprise_product", "duplicate key"))


def test_a_database_that_cannot_be_reached_is_503_with_retry_after(seeded_settings):
    import socket

    from tradecoop.api import create_app

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    down = seeded_settings.model_copy(update={"database_url": f"postgresql+psycopg://nobody@127.0.0.1:{port}/none",
                                              "warm_caches": False})
    with TestClient(create_app(down), raise_server_exceptions=False) as client:
        r = client.get("/api/v1/enterprises", headers={"Authorization": "Bearer tc_0123456789ab_x"})
    assert r.status_code == 503 and int(r.headers["retry-after"]) > 0
    assert r.json()["error"]["type"] == "unavailable" and "127.0.0.1" not in r.text


def test_malformed_bodies_without_a_token_get_401_not_parser_detail(api):
    for headers in ({}, {"Authorization": "Bearer tc_0123456789ab_wrong"}):
        r = api.client.post("/api/v1/enterprises", content=b'{"name_en": ', headers=headers | {"content-type": "application/json"})
        assert r.status_code == 401 and "json" not in r.text.lower()
    r = api.client.post("/api/v1/enterprises", content=b'{"name_en": ', headers=api.h("editor") | {"content-type": "application/json"})
    assert r.status_code == 422


def test_long_lists_and_nul_characters_are_422(api):
    r = api.post("/api/v1/enterprises", {"name_en": "Many", "location": "BLR", "products": [f"{8000 + i}" for i in range(MAX_CODES + 1)]})
    assert r.status_code == 422 and "products" in r.json()["error"]["message"]
    r = api.post("/api/v1/enterprises", {"name_en": "A\x00B", "location": "BLR"})
    assert r.status_code == 422 and "NUL" in r.json()["error"]["message"]
    assert api.get("/api/v1/agreements", params={"q": "a\x00b"}).status_code in (200, 422)


@pytest.mark.parametrize("name", ["Еditor-user", "EDITOR-USER", "ｅditor-user"])  # Cyrillic Е, fullwidth ｅ
def test_look_alike_user_names_are_one_name(api, name):
    r = api.post("/api/v1/users", {"name": name}, role="admin")
    assert r.status_code == 409 and "editor-user" in r.json()["error"]["message"]


@pytest.mark.parametrize("name", ["[bold red]boss[/]", "tab\tname", "a/b"])
def test_user_names_carry_no_markup_or_control_characters(api, name):
    assert api.post("/api/v1/users", {"name": name}, role="admin").status_code == 422
