"""Related records on the workspace's pages (TestClient, no browser): an enterprise's
agreements, projects and events; a project's events; an agreement's projects and events."""

from __future__ import annotations

import re
import secrets


def test_related_records_are_listed_on_each_page(tmp_path) -> None:
    from fastapi.testclient import TestClient

    from tradecoop.api import create_app
    from tradecoop.registry.db import make_engine, migrate, session_factory
    from tradecoop.registry.service import RegistryService
    from tradecoop.registry.settings import get_settings

    url = f"sqlite:///{tmp_path / 'registry.sqlite3'}"
    migrate(url)
    settings = get_settings(database_url=url, secret_key=secrets.token_urlsafe(32), warm_caches=False)
    engine = make_engine(url)
    with session_factory(engine)() as session:
        service = RegistryService(session, actor="test")
        token = service.create_user("related-viewer", "viewer", settings.secret_key)[1]
        firm = service.create("enterprise", {"name_en": "Related Works", "location": "BLR"}).id
        deal = service.create("agreement", {"title": "Related accord", "kind": "commercial",
                                            "parties": [{"enterprise_id": firm}, {"location": "RU-CHE"}]}).id
        plan = service.create("project", {"title": "Related plant", "kind": "investment", "agreement_id": deal,
                                          "parties": [{"enterprise_id": firm}]}).id
        service.create("event", {"title": "Related visit", "kind": "visit", "date": "2025-05-14",
                                 "participants": [{"enterprise_id": firm}], "project_ids": [plan],
                                 "agreement_ids": [deal]})
    engine.dispose()
    with TestClient(create_app(settings), follow_redirects=False) as client:
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/signin").text).group(1)
        assert client.post("/signin", data={"token": token, "csrf_token": csrf, "next": "/"}).status_code == 303
        page = client.get(f"/enterprises/{firm}").text
        for title in ("Related accord", "Related plant", "Related visit"):
            assert title in page.split('id="related-h"')[1].split("</section>")[0], title
        project = client.get(f"/projects/{plan}").text
        assert "Related visit" in project and "2025-05-14" in project and f'href="/agreements/{deal}"' in project
        agreement = client.get(f"/agreements/{deal}").text
        assert f'href="/projects/{plan}"' in agreement and "Related visit" in agreement
