"""The ``tradecoop`` command: root app, global options, and error -> exit-code mapping.

Each feature lives in its own module under ``tradecoop.cli`` and exposes ``register(app)``;
this file only wires them together. Modules import their heavy dependencies (pyfixest,
WeasyPrint, SQLAlchemy, FastAPI) inside the command functions so ``tradecoop --help`` stays fast.

Exit codes: 0 success, 1 a tradecoop error (one line on stderr, traceback only with
``--debug``), 2 a usage error.
"""

from __future__ import annotations

import importlib
import os
import sys
import warnings
from typing import Annotated, Any

import click
import typer
from typer.core import TyperGroup

from tradecoop import __version__
from tradecoop.errors import DataQualityWarning, TradecoopError

#: feature modules, each exposing ``register(app: typer.Typer) -> None``
FEATURE_MODULES = (
    "data",
    "products",
    "profile",
    "complexity",
    "opportunities",
    "backtest",
    "brief",
    "gravity",
    "registry",
    "serve",
    "demo",
)

_DEBUG_ENV = "TRADECOOP_DEBUG"


class _TradecoopGroup(TyperGroup):
    """Root group mapping :class:`TradecoopError` to exit code 1 with a one-line message."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TradecoopError as exc:
            if os.environ.get(_DEBUG_ENV) == "1":
                raise
            click.echo(f"error: {exc}", err=True)
            ctx.exit(1)


app = typer.Typer(
    name="tradecoop",
    cls=_TradecoopGroup,
    help=(
        "Inter-regional industrial cooperation: where joint ventures, supply links and trade "
        "growth between two regions should come from, who the partners are, and whether what "
        "was agreed is happening.\n\n"
        "Start with [bold]tradecoop brief BLR RUS[/bold] or [bold]tradecoop data list[/bold]."
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"tradecoop {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version_callback, is_eager=True, help="Print the version and exit."),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show full tracebacks instead of one-line errors.")
    ] = False,
) -> None:
    """Root options shared by every command."""
    if debug:
        os.environ[_DEBUG_ENV] = "1"


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """Data-quality warnings as one plain line on stderr (the location only with --debug)."""
    where = f" ({filename}:{lineno})" if os.environ.get(_DEBUG_ENV) == "1" else ""
    kind = "data quality" if issubclass(category, DataQualityWarning) else category.__name__
    click.echo(f"warning [{kind}]: {message}{where}", err=True)


for _name in FEATURE_MODULES:
    importlib.import_module(f"tradecoop.cli.{_name}").register(app)


def run() -> None:
    """Console-script entry point (warnings print as one line; tests keep Python's handler)."""
    warnings.showwarning = _show_warning
    try:
        app()
    except TradecoopError as exc:  # raised outside a command (e.g. at option parsing)
        if os.environ.get(_DEBUG_ENV) == "1":
            raise
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    run()
