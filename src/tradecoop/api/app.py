"""Assembly of the FastAPI app: settings, engine, error handlers, body limit, routers."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from tradecoop import __version__
from tradecoop.registry.settings import Settings

API_PREFIX = "/api/v1"
log = logging.getLogger("tradecoop.api")


def warm_caches(sessionmaker: Any) -> None:
    """Build this process's per-revision caches (search index, match index, the
    serialised enterprises up to ``DOCUMENT_CACHE_MAX``) before it serves: the first match
    otherwise waits for scikit-learn's import and the index build (seconds). A failure (say, a
    database not migrated yet) is logged and the caches are then built on first use."""
    from tradecoop.registry import repository as repo
    from tradecoop.registry.matching import match_index

    started = time.perf_counter()
    try:
        with sessionmaker() as session:
            ids = repo.search_index(session).ids
            match_index(session)
            unique = list(dict.fromkeys(ids))[: repo.DOCUMENT_CACHE_MAX]
            for start in range(0, len(unique), 500):
                repo.enterprise_json(session, unique[start : start + 500])
    except Exception as exc:  # noqa: BLE001 - warming is an optimisation; requests still work
        log.warning("cache warm-up skipped: %s: %s", type(exc).__name__, exc)
        return
    log.info("caches warmed in %.1f s", time.perf_counter() - started)


def build_app(settings: Settings) -> FastAPI:
    from tradecoop.api import errors
    from tradecoop.api.deps import ReadSessions
    from tradecoop.api.limits import BodySizeLimit
    from tradecoop.api.revisions import RevisionReader
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
    from tradecoop.registry.db import make_engine, read_only_engine, session_factory

    settings.check()
    engine = make_engine(settings.database_url, echo=settings.sql_echo)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.warm_caches:
            warm_caches(app.state.read_sessionmaker)
        yield
        if app.state.revision_reader is not None:
            app.state.revision_reader.close()
        engine.dispose()

    app = FastAPI(
        lifespan=lifespan,
        title="tradecoop API",
        version=__version__,
        description="Enterprise registry, agreements, projects, events, search and partner matching. "
        "Send `Authorization: Bearer <token>` (tokens from `tradecoop users create`).",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,  # /docs is served by tradecoop.web from local assets (no CDN)
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = session_factory(engine)
    # Read-only requests skip BEGIN/ROLLBACK (each statement sees the latest committed data; the
    # cached views only need "not older than the revision read").
    app.state.read_sessionmaker = session_factory(read_only_engine(engine))
    app.state.revision_reader = RevisionReader(engine) if engine.dialect.driver == "psycopg" else None
    errors.install(app)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(ReadSessions)
    for module in (search, enterprises, agreements, projects, events, figures, users, analysis):  # hot routes first
        app.include_router(module.router, prefix=API_PREFIX)

    @app.get(f"{API_PREFIX}/health", tags=["meta"])
    async def health() -> dict[str, str]:
        """Liveness check (no authentication)."""
        return {"status": "ok", "version": __version__}

    from tradecoop.web import install as install_web  # the web workspace at / (and /docs)

    install_web(app)

    return app
