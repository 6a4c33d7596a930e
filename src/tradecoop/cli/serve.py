"""``tradecoop serve``: the REST API (FastAPI) under uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer


def serve_cmd(
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="uvicorn worker processes (on Linux each gets its own SO_REUSEPORT socket, so connections spread evenly).")] = 1,
) -> None:
    """Serve the REST API (docs at /docs, routes under /api/v1/).

    Settings come from TRADECOOP_* environment variables (see docs/api.md).
    Example: [bold]TRADECOOP_ENV=production TRADECOOP_SECRET_KEY=... tradecoop serve --port 8080[/bold]
    """
    import uvicorn

    from tradecoop.api.listeners import reuse_port_supported, run_workers
    from tradecoop.registry.db import ensure_database
    from tradecoop.registry.settings import get_settings

    settings = get_settings()
    ensure_database(settings)
    quiet = {"log_level": "warning", "access_log": False}
    if workers > 1 and reuse_port_supported():  # one socket per worker: connections spread evenly
        run_workers("tradecoop.api:app_from_env", host=host, port=port, workers=workers, **quiet)
    elif workers > 1:
        uvicorn.run("tradecoop.api:app_from_env", factory=True, host=host, port=port, workers=workers, **quiet)
    else:
        from tradecoop.api import create_app

        uvicorn.run(create_app(settings), host=host, port=port, **quiet)


def register(app: typer.Typer) -> None:
    """Attach ``serve`` to the root app."""
    app.command("serve")(serve_cmd)
