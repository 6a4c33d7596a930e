"""The session cookie's flags, sign-in's redirect target and CSRF, without a browser (TestClient)."""

from __future__ import annotations

import re
import secrets

import pytest


@pytest.fixture()
def make_client(tmp_path):
    from fastapi.testclient import TestClient

    from tradecoop.api import create_app
    from tradecoop.registry.db import make_engine, migrate, session_factory
    from tradecoop.registry.service import RegistryService
    from tradecoop.registry.settings import get_settings

    url = f"sqlite:///{tmp_path / 'registry.sqlite3'}"
    migrate(url)

    def make(env: str):
        settings = get_settings(database_url=url, env=env, secret_key=secrets.token_urlsafe(32), warm_caches=False)
        engine = make_engine(url)
        with session_factory(engine)() as session:
            token = RegistryService(session, actor="test").create_user(f"u-{env}", "viewer", settings.secret_key)[1]
        engine.dispose()
        return TestClient(create_app(settings), base_url="https://testserver", follow_redirects=False), token

    return make


def _sign_in(client, token: str, next_: str):
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/signin").text).group(1)
    return client.post("/signin", data={"token": token, "csrf_token": csrf, "next": next_})


@pytest.mark.parametrize("env", ["development", "production"])
def test_session_cookie_is_httponly_samesite_and_secure_outside_development(make_client, env: str) -> None:
    client, token = make_client(env)
    with client:
        answer = _sign_in(client, token, "/projects")
        assert answer.status_code == 303 and answer.headers["location"] == "/projects"
        cookie = answer.headers["set-cookie"].lower()
        assert "tradecoop_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie
        flags = {part.strip() for part in cookie.split(";")}
        assert ("secure" in flags) is (env == "production")
        assert token not in answer.headers["set-cookie"]  # the token itself is never in the cookie


def test_sign_in_never_redirects_to_another_site_and_needs_the_csrf_token(make_client) -> None:
    client, token = make_client("development")
    with client:
        for target in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
            assert _sign_in(client, token, target).headers["location"] == "/"
        client.cookies.clear()
        client.get("/signin")
        assert client.post("/signin", data={"token": token, "next": "/"}).status_code == 403
        forged = client.post("/signin", data={"token": token, "next": "/", "csrf_token": "x" * 43})
        assert forged.status_code == 403 and "tradecoop_session" not in forged.headers.get("set-cookie", "")
