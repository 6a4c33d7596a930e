"""REST API of tradecoop (FastAPI). Build it with :func:`create_app`; nothing is created at import.

``tradecoop serve`` runs it under uvicorn; see docs/api.md for routes, roles and settings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

    from tradecoop.registry.settings import Settings


def create_app(settings: Settings | None = None) -> FastAPI:
    """The FastAPI application over the registry database named by ``settings``."""
    from tradecoop.api.app import build_app
    from tradecoop.registry.settings import get_settings

    return build_app(settings if settings is not None else get_settings())


def app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory`` (multi-worker serving): settings from the environment."""
    return create_app()
