"""The web workspace: server-rendered pages (Jinja2 + htmx) on the API's FastAPI app.

:func:`install` adds the pages at ``/`` (the JSON API stays under ``/api/v1``), the static
assets at ``/static`` (htmx and Swagger UI vendored at pinned versions, with their licences) and
the API documentation page at ``/docs`` served from those local assets. See docs/web.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

STATIC = Path(__file__).parent / "static"
HTMX = "/static/vendor/htmx-2.0.8/htmx.min.js"
SWAGGER = "/static/vendor/swagger-ui-5.35.0"


def install(app: FastAPI) -> None:
    """Mount the workspace's pages, static files and the offline API docs on ``app``."""
    from fastapi.openapi.docs import get_swagger_ui_html
    from fastapi.responses import HTMLResponse
    from fastapi.staticfiles import StaticFiles

    from tradecoop.web import news, routes, tracker

    app.include_router(routes.router)
    app.include_router(tracker.router)
    app.include_router(news.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/docs", include_in_schema=False)
    async def api_docs() -> HTMLResponse:
        """Swagger UI from the vendored assets (no CDN: the workspace runs offline)."""
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/api/v1/openapi.json", title=f"{app.title} — docs",
            swagger_js_url=f"{SWAGGER}/swagger-ui-bundle.js", swagger_css_url=f"{SWAGGER}/swagger-ui.css",
            swagger_favicon_url=f"{SWAGGER}/favicon-32x32.png",
        )
