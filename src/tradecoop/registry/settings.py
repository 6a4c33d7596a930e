"""Registry and API settings, read from ``TRADECOOP_*`` environment variables (pydantic-settings).

Nothing is read at import time: call :func:`get_settings` (or build :class:`Settings` yourself).

| variable | default | meaning |
|---|---|---|
| ``TRADECOOP_DATABASE_URL`` | ``sqlite:///<user data dir>/registry.sqlite3`` | SQLAlchemy URL (SQLite or ``postgresql+psycopg://``) |
| ``TRADECOOP_ENV`` | ``development`` | ``development`` or ``production`` |
| ``TRADECOOP_SECRET_KEY`` | a development-only default | HMAC key for API tokens; required and non-default in production |
| ``TRADECOOP_MAX_BODY_BYTES`` | ``1048576`` | larger request bodies get 413 |
| ``TRADECOOP_PAGE_SIZE_MAX`` | ``200`` | the largest ``limit`` a list endpoint accepts |
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from tradecoop.errors import ConfigurationError

#: the secret used when none is configured; refused in production
DEVELOPMENT_SECRET = "tradecoop-development-secret-do-not-use-in-production"
#: secrets shorter than this are refused in production
MIN_SECRET_LENGTH = 32
#: least entropy of a production secret as :func:`entropy_bits` estimates it:
#: ``secrets.token_urlsafe(32)`` gives 189-200 bits, ``openssl rand -hex 32`` 228-240, even
#: ``openssl rand -hex 16`` (128 random bits) at least 96; 32 spaces give 0, "password" x 5 gives 22
MIN_SECRET_ENTROPY_BITS = 80


def default_database_url() -> str:
    """SQLite file ``registry.sqlite3`` in the per-user data directory (platformdirs)."""
    from platformdirs import user_data_dir

    return f"sqlite:///{Path(user_data_dir('tradecoop')) / 'registry.sqlite3'}"


class Settings(BaseSettings):
    """Validated settings of the registry and the REST API."""

    model_config = SettingsConfigDict(env_prefix="TRADECOOP_", extra="ignore")

    database_url: str = Field(default_factory=default_database_url)
    env: Literal["development", "production"] = "development"
    secret_key: str = DEVELOPMENT_SECRET
    max_body_bytes: int = Field(default=1_048_576, gt=0)
    page_size_max: int = Field(default=200, gt=0)
    sql_echo: bool = False
    #: build the caches (users, search index, match index) when the API starts, before serving
    warm_caches: bool = True

    def check(self) -> Settings:
        """Refuse unsafe settings (a default, missing or short secret in production)."""
        if self.env == "production":
            if not self.secret_key or self.secret_key == DEVELOPMENT_SECRET:
                raise ConfigurationError(
                    "TRADECOOP_SECRET_KEY must be set to a private value in production; "
                    "found the built-in development default or nothing"
                )
            if len(self.secret_key) < MIN_SECRET_LENGTH:
                raise ConfigurationError(
                    f"TRADECOOP_SECRET_KEY must be at least {MIN_SECRET_LENGTH} characters in "
                    f"production; found {len(self.secret_key)}"
                )
            bits = entropy_bits(self.secret_key)
            if bits < MIN_SECRET_ENTROPY_BITS:
                raise ConfigurationError(
                    f"TRADECOOP_SECRET_KEY must be random (at least {MIN_SECRET_ENTROPY_BITS} bits estimated "
                    f"from its characters); found about {bits:.0f} bits. Generate one with "
                    "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`"
                )
        return self


def entropy_bits(text: str) -> float:
    """Estimated entropy of ``text`` in bits: the Shannon entropy of its character frequencies
    times its length, counting a text that repeats a shorter one ("abcabcab") as that one."""
    from collections import Counter
    from math import log2

    period = next((p for p in range(1, len(text) + 1) if all(text[i] == text[i % p] for i in range(len(text)))), 0)
    unit = text[:period]
    n = len(unit)
    return max(0.0, -n * sum(c / n * log2(c / n) for c in Counter(unit).values()))


def get_settings(**overrides: object) -> Settings:
    """Read settings from the environment (plus ``overrides``) and check them.

    Raises
    ------
    ConfigurationError
        If a variable has an invalid value or the settings are unsafe for production.
    """
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise ConfigurationError(
            f"invalid setting TRADECOOP_{field.upper()}: {first['msg']} (found {first.get('input')!r})"
        ) from None
    return settings.check()
