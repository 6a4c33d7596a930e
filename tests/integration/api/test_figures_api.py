"""``/api/v1/figures``: CRUD with versions, filters, roles and strict input (SQLite and PostgreSQL)."""

from __future__ import annotations

FIGURE = {"metric": "turnover", "value": 230.8e6, "unit": "USD", "period": "2026Q1",
          "parties": [{"location": "BLR"}, {"location": "RU-CHE"}], "reporter": "Belarusian side",
          "source_publisher": "TASS", "source_url": "https://tass.ru/ekonomika/24754263", "source_date": "2025-08-11"}


def test_figure_crud_and_filters(api):
    r = api.post("/api/v1/figures", FIGURE)
    assert r.status_code == 201, r.text
    fig = r.json()
    assert r.headers["location"] == f"/api/v1/figures/{fig['id']}"
    assert (fig["version"], fig["value"], fig["period"]) == (1, 230.8e6, "2026Q1")
    assert api.get(f"/api/v1/figures/{fig['id']}").json() == fig
    # a second, conflicting report of the same metric and period is kept beside the first
    assert api.post("/api/v1/figures", FIGURE | {"value": 231e6, "source_publisher": "BelTA"}).status_code == 201
    page = api.get("/api/v1/figures", params={"location": "RU-CHE", "period": "2026Q1", "metric": "turnover"}).json()
    assert {f["value"] for f in page["items"]} == {230.8e6, 231e6} and page["total"] == 2
    r = api.patch(f"/api/v1/figures/{fig['id']}", {"version": 1, "parties": [{"location": "BLR"}]})
    assert r.status_code == 200 and r.json()["parties"] == [{"location": "BLR", "enterprise_id": None}]
    assert api.patch(f"/api/v1/figures/{fig['id']}", {"version": 1, "value": 1.0}).status_code == 409
    assert api.delete(f"/api/v1/figures/{fig['id']}", params={"version": 2}).status_code == 204
    assert api.get(f"/api/v1/figures/{fig['id']}").status_code == 404


def test_figure_writes_need_an_editor_and_valid_input(api):
    assert api.post("/api/v1/figures", FIGURE, role="viewer").status_code == 403
    assert api.post("/api/v1/figures", FIGURE, role=None).status_code == 401
    for bad in ({"value": "NaN"}, {"parties": []}, {"metric": "turn over"}, {"period": "2025-2024"},
                {"unit": ""}, {"source_url": None, "source_publisher": None}, {"colour": "red"}):
        r = api.client.post("/api/v1/figures", content=_json(FIGURE | bad), headers=api.h("editor") | {"content-type": "application/json"})
        assert r.status_code == 422, (bad, r.status_code, r.text)
        assert r.json()["error"]["type"] == "invalid"


def _json(data) -> str:
    import json

    return json.dumps(data, allow_nan=True)
