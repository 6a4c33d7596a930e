"""API fixtures: an app on a fresh seeded database (SQLite and PostgreSQL) and one user per role."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


@dataclass
class Api:
    client: TestClient
    tokens: dict[str, str]
    app: object

    def h(self, role: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"} if role else {}

    def get(self, url: str, role: str | None = "viewer", **kw):
        return self.client.get(url, headers=self.h(role), **kw)

    def post(self, url: str, json, role: str | None = "editor", **kw):
        return self.client.post(url, json=json, headers=self.h(role), **kw)

    def patch(self, url: str, json, role: str | None = "editor", **kw):
        return self.client.patch(url, json=json, headers=self.h(role), **kw)

    def delete(self, url: str, role: str | None = "editor", **kw):
        return self.client.delete(url, headers=self.h(role), **kw)


@pytest.fixture
def api(seeded_settings, seeded_session) -> Iterator[Api]:
    from tradecoop.api import create_app
    from tradecoop.registry.service import RegistryService

    svc = RegistryService(seeded_session, actor="test")
    tokens = {role: svc.create_user(f"{role}-user", role, seeded_settings.secret_key)[1] for role in ("viewer", "editor", "admin")}
    app = create_app(seeded_settings)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Api(client, tokens, app)
