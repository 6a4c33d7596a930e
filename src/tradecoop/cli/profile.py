"""CLI commands for the `profile` feature."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Attach this feature's commands to the root app (filled in as the feature lands)."""
