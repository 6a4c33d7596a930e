"""REST API behaviour on SQLite and PostgreSQL: CRUD, pages, search, match, error shape."""

from __future__ import annotations

import pytest

from tradecoop.registry.records import ENTERPRISE_FIELDS

ERROR_KEYS = {"status", "type", "message", "details"}


def assert_error(resp, status: int) -> None:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"error"} and set(body["error"]) == ERROR_KEYS
    assert body["error"]["status"] == status and body["error"]["message"]


def test_enterprise_crud_round_trip(api):
    new = {"name_en": "Test Works", "location": "RU-CHE", "city": "Chelyabinsk", "nace": "28",
           "products": ["8701"], "inputs": ["4011"], "aliases": ["TW"], "sources": [{"url": "https://example.org"}]}
    r = api.post("/api/v1/enterprises", new)
    assert r.status_code == 201, r.text
    rec = r.json()
    assert tuple(rec) == ENTERPRISE_FIELDS
    assert (rec["version"], rec["products"], rec["inputs"]) == (1, ["8701"], ["4011"])
    url = f"/api/v1/enterprises/{rec['id']}"
    assert r.headers["location"].endswith(url)
    r = api.patch(url, {"version": 1, "size_band": "large"})
    assert r.status_code == 200 and r.json()["size_band"] == "large" and r.json()["version"] == 2
    assert r.json()["city"] == "Chelyabinsk"  # PATCH leaves other fields alone
    assert api.get(url).json() == r.json()
    assert_error(api.delete(url, params={"version": 1}), 409)
    assert api.delete(url, params={"version": 2}).status_code == 204
    assert_error(api.get(url), 404)


def test_pages_and_filters(api):
    everything = api.get("/api/v1/enterprises", params={"limit": 1000}).json()
    total = everything["total"]
    assert total == len(everything["items"]) >= 40
    p1 = api.get("/api/v1/enterprises", params={"limit": 10, "offset": 0}).json()
    p2 = api.get("/api/v1/enterprises", params={"limit": 10, "offset": 10}).json()
    assert p1["total"] == total and len(p1["items"]) == 10
    assert not {e["id"] for e in p1["items"]} & {e["id"] for e in p2["items"]}
    che = api.get("/api/v1/enterprises", params={"location": "RU-CHE", "limit": 1000}).json()
    assert che["items"] and all(e["location"] == "RU-CHE" for e in che["items"])
    pipes = api.get("/api/v1/enterprises", params={"hs": "7304", "role": "product"}).json()
    assert [e["name_en"] for e in pipes["items"]] == ["ChelPipe"]
    found = api.get("/api/v1/enterprises", params={"q": "Хомсельмаш"}).json()
    assert found["items"][0]["name_en"] == "Gomselmash"
    assert api.get("/api/v1/agreements", params={"location": "BLR"}).json()["total"] == 11


@pytest.mark.parametrize("spelling", ["Гомсельмаш", "Homselmash", "Gomselmash", "гомсельмаш"])
def test_search_endpoint_any_spelling(api, spelling):
    hits = api.get("/api/v1/search", params={"q": spelling}).json()
    assert hits[0]["enterprise"]["name_en"] == "Gomselmash"


def test_match_contributions_add_up(api):
    r = api.get("/api/v1/match", params={"enterprise": "Gomselmash", "top": 5})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["partners"]
    for row in body["partners"]:
        parts = [row[k] for k in ("direction", "io_complementarity", "co_production", "bec_fit", "text_similarity")]
        assert row["score"] == pytest.approx(sum(parts), abs=1e-9)
        assert row["location"] == "RU-CHE"  # the other side of the pair
    scores = [row["score"] for row in body["partners"]]
    assert scores == sorted(scores, reverse=True)


def test_other_entities_crud(api):
    a = api.post("/api/v1/agreements", {"title": "Memo", "kind": "memorandum", "parties": [{"location": "RU-CHE"}]})
    assert a.status_code == 201, a.text
    p = api.post("/api/v1/projects", {"title": "Harvester kits", "kind": "co-production", "agreement_id": a.json()["id"],
                                      "products": ["8433"], "milestones": [{"due_date": "2026-03-01", "note": "kits"}]})
    assert p.status_code == 201, p.text
    e = api.post("/api/v1/events", {"title": "Visit", "kind": "visit", "date": "2025-10-01",
                                    "agreement_ids": [a.json()["id"]], "project_ids": [p.json()["id"]]})
    assert e.status_code == 201, e.text
    r = api.patch(f"/api/v1/projects/{p.json()['id']}", {"version": 1, "milestones": [{"due_date": "2026-03-01", "done_date": "2026-02-20"}]})
    assert r.status_code == 200 and r.json()["milestones"][0]["done_date"] == "2026-02-20"
    assert_error(api.post("/api/v1/projects", {"title": "X", "kind": "co-production", "agreement_id": 99999}), 404)


def test_one_error_shape_everywhere(api):
    assert_error(api.get("/api/v1/no-such-thing"), 404)
    assert_error(api.client.put("/api/v1/enterprises", json={}), 405)
    assert_error(api.post("/api/v1/enterprises", {"name_en": "X"}), 422)  # location missing
    assert_error(api.post("/api/v1/enterprises", {"name_en": "X", "location": "BLR", "products": ["abc"]}), 422)
    assert_error(api.get("/api/v1/enterprises", params={"limit": "many"}), 422)
    assert_error(api.get("/api/v1/enterprises/999999"), 404)
    assert_error(api.get("/api/v1/enterprises", role=None), 401)
    assert_error(api.post("/api/v1/enterprises", {"name_en": "X", "location": "BLR"}, role="viewer"), 403)

    def boom() -> None:
        raise RuntimeError("secret internals")

    api.app.add_api_route("/api/v1/boom", boom)
    r = api.get("/api/v1/boom", role=None)
    assert_error(r, 500)
    assert "secret internals" not in r.text


def test_openapi_lists_the_routes(api):
    spec = api.get("/api/v1/openapi.json", role=None).json()
    for path in ("/api/v1/enterprises", "/api/v1/enterprises/{record_id}", "/api/v1/search", "/api/v1/match",
                 "/api/v1/agreements", "/api/v1/projects", "/api/v1/events", "/api/v1/users"):
        assert path in spec["paths"], path


def test_app_start_warms_the_caches(api, seeded_settings):
    from sqlalchemy.engine import make_url

    from tradecoop.registry import repository as repo

    url = make_url(seeded_settings.database_url).render_as_string()
    warmed = {kind for (database, kind) in repo._CACHE if database == url}
    assert {"search", "match-index"} <= warmed and "users" not in warmed  # no user cache


def test_read_requests_give_their_connections_back(api):
    from tradecoop.registry import repository as repo

    repo._CACHE.clear()  # every view is rebuilt, so the read sessions do connect
    for url in ("/api/v1/enterprises/1", "/api/v1/search?q=Gomselmash", "/api/v1/enterprises?limit=5",
                "/api/v1/enterprises/1/matches?top=3", "/api/v1/enterprises/999999"):
        assert api.get(url).status_code in (200, 404), url
    assert api.app.state.engine.pool.checkedout() == 0


def test_etag_and_if_match(api):
    def send(method: str, url: str, tag: str | None = None, **kw):
        headers = api.h("editor") | ({"If-Match": tag} if tag is not None else {})
        return api.client.request(method, url, headers=headers, **kw)

    r = api.post("/api/v1/agreements", {"title": "Tagged memo", "kind": "memorandum"})
    assert r.status_code == 201 and r.headers["etag"] == '"1"'
    url = r.headers["location"]
    assert api.get(url).headers["etag"] == '"1"'
    r = send("PATCH", url, '"1"', json={"status": "signed"})
    assert r.status_code == 200 and r.headers["etag"] == '"2"' and r.json()["version"] == 2
    assert send("PATCH", url, 'W/"1"', json={"status": "in force"}).status_code == 409  # stale tag
    r = send("PATCH", url, json={"status": "in force"})  # neither a version nor If-Match
    assert r.status_code == 422 and "If-Match" in r.json()["error"]["message"]
    assert send("PATCH", url, "*", json={"status": "x"}).status_code == 422
    assert send("DELETE", url, '"1"').status_code == 409
    assert send("DELETE", url, '"2"').status_code == 204
