"""The ``tradecoop`` command: root app, global options, and error -> exit-code mapping.

Each feature lives in its own module under ``tradecoop.cli`` and exposes ``register(app)``;
this file only wires them together. Modules import their heavy dependencies (pyfixest,
WeasyPrint, SQLAlchemy, FastAPI) inside the command functions so ``tradecoop --help`` stays fast.

Exit codes: 0 success, 1 a tradecoop error (one line on stderr, traceback only with
``--debug``), 2 a usage error (one line on stderr, Click's convention), 130 Ctrl-C and 143
SIGTERM (one line; cleanups have run).
"""

from __future__ import annotations

import importlib
import os
import signal
import sys
import warnings
from typing import Annotated, Any

import click
import typer
from typer.core import TyperGroup

from tradecoop.errors import DataQualityWarning, Interrupted, TradecoopError

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
    "news",
)

_DEBUG_ENV = "TRADECOOP_DEBUG"


#: signals received by the console script (SIGINT and SIGTERM raise :class:`Interrupted`)
_SIGNALS: list[int] = []
_REPORTED: list[bool] = []  # the one line about an interruption was printed


def _interrupted_line(exc: BaseException) -> tuple[str, int]:
    """The one line and the exit code for Ctrl-C (130) or SIGTERM (143)."""
    term = signal.SIGTERM in _SIGNALS
    what = "terminated (SIGTERM)" if term else "interrupted (Ctrl-C)"
    detail = getattr(exc, "detail", "")
    return f"error: {what}{f'; {detail}' if detail else ''}", 143 if term else 130


def _usage_line(exc: Any) -> str:
    """A usage error as one short line, with where to get help."""
    message = " ".join(exc.format_message().replace("Value error, ", "").split())
    ctx = exc.ctx
    hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
    return f"usage error: {message}{hint}"


class _TradecoopGroup(TyperGroup):
    """Root group: :class:`TradecoopError` -> one line, exit 1; usage errors -> one line, exit 2
    (Click's convention, without Rich's box); Ctrl-C / SIGTERM -> one line, exit 130 / 143."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TradecoopError as exc:
            if os.environ.get(_DEBUG_ENV) == "1":
                raise
            click.echo(f"error: {exc}", err=True)
            ctx.exit(1)
        except KeyboardInterrupt as exc:
            if os.environ.get(_DEBUG_ENV) == "1":
                raise
            line, code = _interrupted_line(exc)
            click.echo(line, err=True)
            _REPORTED.append(True)
            ctx.exit(code)

    def main(self, args: Any = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True, **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            rv = super().main(args, prog_name, complete_var, False, **extra)
        except typer.Abort:
            click.echo("error: aborted", err=True)
            sys.exit(1)
        except Exception as exc:
            # Click's exceptions by name: Typer ships its own copy of Click (typer._click)
            kinds = {cls.__name__ for cls in type(exc).__mro__}
            if "NoArgsIsHelpError" in kinds:
                pass  # `tradecoop data`: Typer's Rich help is already printed (exit 2, as Click)
            elif "UsageError" in kinds:
                click.echo(_usage_line(exc), err=True)
            elif "ClickException" in kinds:
                click.echo(f"error: {' '.join(exc.format_message().split())}", err=True)
            else:
                raise
            sys.exit(exc.exit_code)
        if _SIGNALS and not _REPORTED:  # interrupted before a command ran (Typer exits 130)
            line, code = _interrupted_line(KeyboardInterrupt())
            click.echo(line, err=True)
            sys.exit(code)
        sys.exit(rv if type(rv) is int else 0)


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
        from tradecoop import __version__  # read lazily: importlib.metadata costs ~30 ms at start

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


def _on_signal(signum: int, _frame: Any) -> None:
    """Ctrl-C and SIGTERM stop a command the same way: cleanups run, then one line (exit 130 or
    143)."""
    _SIGNALS.append(signum)
    raise Interrupted()


def run() -> None:
    """Console-script entry point (warnings print as one line; tests keep Python's handler)."""
    warnings.showwarning = _show_warning
    for signum in (signal.SIGINT, signal.SIGTERM):
        if signal.getsignal(signum) is not signal.SIG_IGN:  # e.g. nohup, background jobs
            signal.signal(signum, _on_signal)
    try:
        app()
    except TradecoopError as exc:  # raised outside a command (e.g. at option parsing)
        if os.environ.get(_DEBUG_ENV) == "1":
            raise
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt as exc:  # outside a command (e.g. while importing modules)
        line, code = _interrupted_line(exc)
        print(line, file=sys.stderr)
        sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
