"""Profile, complexity and opportunities over HTTP (on SQLite and PostgreSQL registries)."""

from __future__ import annotations

import math


def test_opportunities_endpoint_explains_scores(api) -> None:
    r = api.get("/api/v1/opportunities", params={"a": "BLR", "b": "RUS", "top": 2, "types": ["supply"]})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["pair"] == {"a": "BLR", "b": "RUS"}
    assert body["opportunities"]
    for o in body["opportunities"]:
        assert math.isclose(sum(o["contributions"].values()), o["score"], abs_tol=1e-9)
        assert o["estimated"] is True


def test_profile_and_complexity_endpoints(api) -> None:
    r = api.get("/api/v1/profile", params={"a": "BLR", "b": "RUS", "years": "2012:2016"})
    assert r.status_code == 200, r.text
    assert r.json()["headline"]["year"] == 2016
    r = api.get("/api/v1/complexity", params={"location": "BLR"})
    assert r.status_code == 200, r.text
    eci = {row["location"]: row["eci"] for row in r.json()["eci"]}
    assert {"BLR", "RUS"} <= set(eci)
    assert all(row["location"] == "BLR" for row in r.json()["products"])


def test_analysis_needs_a_token_and_valid_parameters(api) -> None:
    assert api.get("/api/v1/opportunities", role=None, params={"a": "BLR", "b": "RUS"}).status_code == 401
    bad = api.get("/api/v1/opportunities", params={"a": "BLR'; DROP TABLE x;--", "b": "RUS"})
    assert bad.status_code == 422 and "error" in bad.json()
    unknown = api.get("/api/v1/opportunities", params={"a": "BLR", "b": "RUS", "weights": "nope"})
    assert unknown.status_code == 404 and "presets" in unknown.text
