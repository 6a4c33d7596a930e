"""Assembly of the FastAPI app: settings, engine, error handlers, body limit, routers."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from tradecoop import __version__
from tradecoop.registry.settings import Settings

API_PREFIX = "/api/v1"
log = logging.getLogger("tradecoop.api")


def warm_caches(sessionmaker: Any) -> None:
    """Build this process's derived indexes (search names, partner matching) before it serves:
    the first match otherwise waits for scikit-learn's import and the index build (seconds). A
    failure (say, a database not migrated yet) is logged and the indexes are built on first use."""
    from tradecoop.registry import repository as repo
    from tradecoop.registry.matching import match_index

    started = time.perf_counter()
    try:
        with sessionmaker() as session:
            repo.search_index(session)
            match_index(session)
    except Exception as exc:  # noqa: BLE001 - warming is an optimisation; requests still work
        log.warning("index warm-up skipped: %s: %s", type(exc).__name__, exc)
        return
    log.info("indexes built in %.1f s", time.perf_counter() - started)


def build_app(settings: Settings) -> FastAPI:
    from tradecoop.api import errors
    from tradecoop.api.limits import BodySizeLimit
    from tradecoop.api.routes import (
        agreements,
        analysis,
        enterprises,
        events,
        figures,
        projects,
        search,
        users,
    )
    from tradecoop.registry.db import make_engine, session_factory

    settings.check()
    engine = make_engine(settings.database_url, echo=settings.sql_echo)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.warm_caches:
            await run_in_threadpool(warm_caches, app.state.sessionmaker)  # off the event loop
        yield
        engine.dispose()

    app = FastAPI(
        lifespan=lifespan,
        title="tradecoop API",
        version=__version__,
        description="Enterprise registry, agreements, projects, events, reported figures, search and partner "
        "matching. Send `Authorization: Bearer <token>` (tokens from `tradecoop users create`).",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,  # /docs is served by tradecoop.web from local assets (no CDN)
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = session_factory(engine)
    errors.install(app)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    for module in (search, enterprises, agreements, projects, events, figures, users, analysis):
        app.include_router(module.router, prefix=API_PREFIX)

    @app.get(f"{API_PREFIX}/health", tags=["meta"])
    def health() -> dict[str, str]:
        """Liveness check (no authentication)."""
        return {"status": "ok", "version": __version__}

    from tradecoop.web import install as install_web  # the web workspace at / (and /docs)

    install_web(app)

    return app
