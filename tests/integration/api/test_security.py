"""Security properties of the API (each on SQLite and PostgreSQL)."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select

from tradecoop.registry import models as m

INJECTIONS = ("'; DROP TABLE enterprise; --", "1' OR '1'='1", "\" OR 1=1 --", "%", "_", "\\", "1; DELETE FROM app_user")


def _counts(session) -> tuple[int, ...]:
    session.expire_all()
    return tuple(session.scalar(select(func.count()).select_from(t)) for t in
                 (m.Enterprise, m.Agreement, m.User, m.EnterpriseProduct, m.AuditLog))


def test_unauthenticated_write_is_401(api, seeded_session):
    before = _counts(seeded_session)
    r = api.post("/api/v1/enterprises", {"name_en": "X", "location": "BLR"}, role=None)
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    r = api.client.post("/api/v1/enterprises", json={"name_en": "X", "location": "BLR"},
                        headers={"Authorization": "Bearer tc_000000000000_forged"})
    assert r.status_code == 401
    assert _counts(seeded_session) == before


def test_viewer_write_is_403_and_editor_cannot_manage_users(api, seeded_session):
    before = _counts(seeded_session)
    assert api.post("/api/v1/enterprises", {"name_en": "X", "location": "BLR"}, role="viewer").status_code == 403
    assert api.patch("/api/v1/enterprises/1", {"version": 1, "city": "X"}, role="viewer").status_code == 403
    assert api.delete("/api/v1/enterprises/1", role="viewer", params={"version": 1}).status_code == 403
    assert api.post("/api/v1/users", {"name": "mallory", "role": "admin"}, role="editor").status_code == 403
    assert _counts(seeded_session) == before


@pytest.mark.parametrize("text", INJECTIONS)
def test_injection_strings_in_every_parameter(api, seeded_session, text):
    before = _counts(seeded_session)
    for url, params in (
        ("/api/v1/enterprises", {"q": text}), ("/api/v1/enterprises", {"location": text}),
        ("/api/v1/enterprises", {"nace": text}), ("/api/v1/enterprises", {"hs": text}),
        ("/api/v1/search", {"q": text}),
        *[(f"/api/v1/{e}", {k: text}) for e in ("agreements", "projects", "events") for k in ("q", "kind", "location")],
    ):
        r = api.get(url, params=params)
        assert r.status_code == 200, (url, params, r.text)
        body = r.json()
        items = body if isinstance(body, list) else body["items"]
        assert items == [] or url == "/api/v1/search" and all(h["score"] >= 70 for h in items)
    r = api.get("/api/v1/match", params={"enterprise": text})
    assert r.status_code in (200, 404)
    assert _counts(seeded_session) == before


def test_oversized_bodies_are_rejected(api, seeded_settings, seeded_session):
    before = _counts(seeded_session)
    big = {"name_en": "X", "location": "BLR", "description_en": "x" * (seeded_settings.max_body_bytes + 10)}
    r = api.post("/api/v1/enterprises", big)
    assert r.status_code == 413 and r.json()["error"]["status"] == 413

    def chunks():  # no Content-Length: the middleware counts bytes as they arrive
        yield b'{"name_en": "X", "location": "BLR", "description_en": "'
        for _ in range(seeded_settings.max_body_bytes // 1000 + 2):
            yield b"y" * 1000
        yield b'"}'

    r = api.client.post("/api/v1/enterprises", content=chunks(),
                        headers={**api.h("editor"), "Content-Type": "application/json"})
    assert r.status_code == 413
    assert _counts(seeded_session) == before


def test_stale_update_is_409_and_row_unchanged(api):
    url = "/api/v1/enterprises/5"
    original = api.get(url).json()
    first = api.patch(url, {"version": original["version"], "city": "Homiel"})
    assert first.status_code == 200
    stale = api.patch(url, {"version": original["version"], "city": "Somewhere else", "products": ["0101"]})
    assert stale.status_code == 409 and stale.json()["error"]["type"] == "conflict"
    assert api.get(url).json() == first.json()


def test_every_write_is_audited(api, seeded_session):
    r = api.post("/api/v1/enterprises", {"name_en": "Audit Co", "location": "BLR"})
    rid = r.json()["id"]
    api.patch(f"/api/v1/enterprises/{rid}", {"version": 1, "city": "Brest"})
    api.delete(f"/api/v1/enterprises/{rid}", params={"version": 2})
    seeded_session.expire_all()
    rows = seeded_session.scalars(select(m.AuditLog).where(m.AuditLog.entity == "enterprise", m.AuditLog.entity_id == rid)
                                  .order_by(m.AuditLog.id)).all()
    assert [(a.action, a.actor) for a in rows] == [("create", "editor-user"), ("update", "editor-user"), ("delete", "editor-user")]
    assert rows[1].before["city"] is None and rows[1].after["city"] == "Brest" and rows[2].after is None


def test_tokens_never_in_logs_or_later_responses(api, seeded_session, caplog):
    caplog.set_level(logging.DEBUG)
    r = api.post("/api/v1/users", {"name": "newbie", "role": "viewer"}, role="admin")
    assert r.status_code == 201
    token = r.json()["token"]
    seeded_session.expire_all()
    stored = seeded_session.scalar(select(m.User).where(m.User.name == "newbie"))
    assert token not in (stored.token_hash, stored.token_prefix) and len(stored.token_hash) == 64
    later = [api.client.get("/api/v1/enterprises", headers={"Authorization": f"Bearer {token}"}),
             api.get("/api/v1/users", role="admin"),
             api.client.post("/api/v1/enterprises", json={}, headers={"Authorization": f"Bearer {token}"}),
             api.client.get("/api/v1/nowhere", headers={"Authorization": f"Bearer {token}"})]
    assert later[0].status_code == 200 and later[2].status_code == 403
    for resp in later:
        assert token not in resp.text and stored.token_hash not in resp.text
    audit = " ".join(str(a.after) for a in seeded_session.scalars(select(m.AuditLog)))
    assert token not in audit and stored.token_hash not in audit
    assert token not in caplog.text
    for t in api.tokens.values():
        assert t not in caplog.text
