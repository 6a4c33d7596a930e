"""CLI command ``tradecoop demo``: the main job on the bundled data (used by ``make demo``)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Attach ``demo`` to the root app (filled in when the bundled data lands)."""
