"""Assembly of the FastAPI app: settings, engine, error handlers, body limit, routers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from tradecoop import __version__
from tradecoop.registry.settings import Settings

API_PREFIX = "/api/v1"


def build_app(settings: Settings) -> FastAPI:
    from tradecoop.api import errors
    from tradecoop.api.limits import BodySizeLimit
    from tradecoop.api.routes import (
        agreements,
        analysis,
        enterprises,
        events,
        projects,
        search,
        users,
    )
    from tradecoop.registry.db import make_engine, read_only_engine, session_factory

    settings.check()
    engine = make_engine(settings.database_url, echo=settings.sql_echo)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()

    app = FastAPI(
        lifespan=lifespan,
        title="tradecoop API",
        version=__version__,
        description="Enterprise registry, agreements, projects, events, search and partner matching. "
        "Send `Authorization: Bearer <token>` (tokens from `tradecoop users create`).",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = session_factory(engine)
    # Read-only requests skip BEGIN/ROLLBACK (each statement sees the latest committed data; the
    # cached views only need "not older than the revision read").
    app.state.read_sessionmaker = session_factory(read_only_engine(engine))
    errors.install(app)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    for module in (enterprises, agreements, projects, events, users, search, analysis):
        app.include_router(module.router, prefix=API_PREFIX)

    @app.get(f"{API_PREFIX}/health", tags=["meta"])
    async def health() -> dict[str, str]:
        """Liveness check (no authentication)."""
        return {"status": "ok", "version": __version__}

    return app
