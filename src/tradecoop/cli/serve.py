"""``tradecoop serve``: the REST API (FastAPI) under uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer


def serve_cmd(
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="uvicorn worker processes (one per core).")] = 1,
) -> None:
    """Serve the REST API (docs at /docs, routes under /api/v1/).

    Settings come from TRADECOOP_* environment variables (see docs/api.md).
    Example: [bold]TRADECOOP_ENV=production TRADECOOP_SECRET_KEY=... tradecoop serve --port 8080[/bold]
    """
    import uvicorn

    from tradecoop.registry.session import ensure_database
    from tradecoop.registry.settings import get_settings

    ensure_database(get_settings())
    uvicorn.run("tradecoop.api:app_from_env", factory=True, host=host, port=port, workers=workers,
                log_level="warning", access_log=False)


def register(app: typer.Typer) -> None:
    """Attach ``serve`` to the root app."""
    app.command("serve")(serve_cmd)
