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
    """Build this process's derived indexes (search names, partner matching) and the data every
    pair shares (world complexity, the estimator's inputs, the feasibility model) before it
    serves: the first match otherwise waits for scikit-learn's import and the index build, the
    first pair overview for the shared data (seconds each). A failure (say, a database not
    migrated yet) is logged and the work is done on first use."""
    from tradecoop.registry import repository as repo
    from tradecoop.registry.matching import match_index
    from tradecoop.services.pair_context import prepare_shared

    for what, work in (("indexes", lambda: _indexes(sessionmaker, repo, match_index)), ("shared data", prepare_shared)):
        started = time.perf_counter()
        try:
            work()
        except Exception as exc:  # noqa: BLE001 - warming is an optimisation; requests still work
            log.warning("%s warm-up skipped: %s: %s", what, type(exc).__name__, exc)
            continue
        log.info("%s ready in %.1f s", what, time.perf_counter() - started)


def _indexes(sessionmaker: Any, repo: Any, match_index: Any) -> None:
    with sessionmaker() as session:
        repo.search_index(session)
        match_index(session)


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
