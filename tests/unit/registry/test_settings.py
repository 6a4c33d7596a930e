"""Settings: defaults, environment variables and the production safety checks."""

from __future__ import annotations

import pytest

from tradecoop.errors import ConfigurationError
from tradecoop.registry.settings import DEVELOPMENT_SECRET, get_settings


def test_defaults(monkeypatch, tmp_path):
    for var in ("TRADECOOP_DATABASE_URL", "TRADECOOP_ENV", "TRADECOOP_SECRET_KEY"):
        monkeypatch.delenv(var, raising=False)
    s = get_settings()
    assert s.env == "development" and s.secret_key == DEVELOPMENT_SECRET
    assert s.database_url.startswith("sqlite:///") and s.database_url.endswith("registry.sqlite3")


def test_environment_variables(monkeypatch):
    monkeypatch.setenv("TRADECOOP_DATABASE_URL", "postgresql+psycopg://u@h/db")
    monkeypatch.setenv("TRADECOOP_MAX_BODY_BYTES", "1000")
    s = get_settings()
    assert (s.database_url, s.max_body_bytes) == ("postgresql+psycopg://u@h/db", 1000)


@pytest.mark.parametrize("secret", [None, DEVELOPMENT_SECRET, "short", " " * 32, "k" * 40, "password" * 5])
def test_production_refuses_default_unset_or_short_secret(monkeypatch, secret):
    monkeypatch.setenv("TRADECOOP_ENV", "production")
    if secret is None:
        monkeypatch.delenv("TRADECOOP_SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("TRADECOOP_SECRET_KEY", secret)
    with pytest.raises(ConfigurationError, match="TRADECOOP_SECRET_KEY"):
        get_settings()


def test_production_accepts_a_private_secret(monkeypatch):
    monkeypatch.setenv("TRADECOOP_ENV", "production")
    import secrets

    for secret in (secrets.token_urlsafe(32), secrets.token_hex(32)):
        monkeypatch.setenv("TRADECOOP_SECRET_KEY", secret)
        assert get_settings().env == "production"


def test_invalid_value_names_the_variable(monkeypatch):
    monkeypatch.setenv("TRADECOOP_ENV", "staging")
    with pytest.raises(ConfigurationError, match="TRADECOOP_ENV"):
        get_settings()


def test_create_app_refuses_unsafe_production_settings():
    from tradecoop.api import create_app
    from tradecoop.registry.settings import Settings

    with pytest.raises(ConfigurationError):
        create_app(Settings(env="production", secret_key=DEVELOPMENT_SECRET, database_url="sqlite://"))


def test_every_setting_is_documented():
    from pathlib import Path

    from tradecoop.registry.settings import Settings

    doc = (Path(__file__).resolve().parents[3] / "docs" / "api.md").read_text(encoding="utf-8")
    missing = [f"TRADECOOP_{name.upper()}" for name in Settings.model_fields if f"TRADECOOP_{name.upper()}" not in doc]
    assert missing == []
