"""The ``tradecoop`` command: root app, global options, and error -> exit-code mapping.

Each feature lives in its own module under ``tradecoop.cli`` and exposes ``register(app)``;
this file only wires them together. Modules import their heavy dependencies (pyfixest,
WeasyPrint, SQLAlchemy, FastAPI) inside the command functions so ``tradecoop --help`` stays fast.

Start-up is kept to what the invoked command needs (issue 16): the console script imports and
builds only the feature module of the command on its command line (every module for ``--help``,
an unknown name or shell completion), and parameters are converted without pydantic where
Typer's conversion is a plain one (``_QuickCoercion``). ``app`` (the whole command, as tests
and ``typer.testing`` use it) is built on first access.

Exit codes: 0 success, 1 a tradecoop error (one line on stderr, traceback only with
``--debug``), 2 a usage error (one line on stderr, Click's convention), 130 Ctrl-C and 143
SIGTERM (one line; cleanups have run).
"""

from __future__ import annotations

import importlib
import os
import re
import signal
import sys
import warnings
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from tradecoop.errors import DataQualityWarning, Interrupted, TradecoopError

if TYPE_CHECKING:
    from typer import Context

#: feature modules, each exposing ``register(app: typer.Typer) -> None`` (in --help's order)
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

#: top-level command name -> the feature module that registers it (a test holds this to what
#: each module's ``register`` adds)
COMMAND_MODULES = {
    "data": "data",
    "products": "products",
    "profile": "profile",
    "complexity": "complexity",
    "opportunities": "opportunities",
    "backtest": "backtest",
    "brief": "brief",
    "gravity": "gravity",
    "registry": "registry",
    "users": "registry",
    "match": "registry",
    "serve": "serve",
    "demo": "demo",
    "news": "news",
}

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


_INT = re.compile(r"-?[0-9]+\Z")
_FLOAT = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?\Z")


class _Delegate(Exception):
    """The value is not a plain case: Typer's own (pydantic) conversion decides."""


class _QuickCoercion:
    """Typer's conversion of one parameter, without pydantic for the plain cases.

    Typer 0.29 (the newest release) converts every parameter value with a pydantic
    ``TypeAdapter``: importing pydantic and building the adapters costs ~0.07 s a process, a
    fifth of ``tradecoop complexity`` on an HS4 year. The values this CLI takes are nearly all
    plain: text, a path, a choice, an integer or a decimal in their ordinary spelling. Those are
    converted here as Typer's adapters convert them (choices and paths by Typer's own helpers);
    anything else (another spelling such as '+5' or ' 5', a value out of an option's range, a
    bad choice) goes to Typer's own conversion, so results and error messages are Typer's
    (tests/integration/cli/test_root.py compares the two).
    """

    def __init__(self, descriptor: Any) -> None:
        self.descriptor = descriptor
        self.slow = None

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        multi = param.multiple or param.nargs == -1
        if value is None:
            return () if multi else None
        try:
            if multi or self.descriptor.is_list:
                if not isinstance(value, (list, tuple)) or not self.descriptor.is_list:
                    raise _Delegate
                leaf = self.descriptor.annotation.__args__[0]
                return [self._leaf(leaf, item, param, ctx) for item in value]
            return self._leaf(self.descriptor.annotation, value, param, ctx)
        except (_Delegate, ValueError):
            if self.slow is None:
                from typer._coercion import build_runtime_param

                self.slow = build_runtime_param(self.descriptor)
            return self.slow.coerce(value, param=param, ctx=ctx)

    def _leaf(self, kind: Any, value: Any, param: Any, ctx: Any) -> Any:
        from enum import Enum
        from pathlib import Path

        from typer._param_types import coerce_cli_choice, coerce_cli_path

        info = self.descriptor.parameter_info
        if kind is str and type(value) is str:
            return value
        if kind is int and (type(value) is int or (type(value) is str and _INT.match(value))):
            number = int(value)
        elif kind is float and (type(value) in (int, float) or (type(value) is str and _FLOAT.match(value))):
            number = float(value)
        elif isinstance(kind, type) and issubclass(kind, Enum):
            return coerce_cli_choice(value, choices=tuple(kind), case_sensitive=info.case_sensitive, ctx=ctx)
        elif isinstance(kind, type) and issubclass(kind, Path) and info.path_type is None:
            path = kind(value) if type(value) is str else value
            if not isinstance(path, kind) or str(path) != str(value):  # messages quote the value
                raise _Delegate
            return coerce_cli_path(path, info, path_type=kind, param=param, ctx=ctx)
        else:
            raise _Delegate
        if info.clamp or (info.min is not None and number < info.min) or (
                info.max is not None and number > info.max):
            raise _Delegate
        return number


def _quick_runtime_param(param: Any) -> Any:
    """``_TyperParameter.get_runtime_param`` with :class:`_QuickCoercion` for every parameter
    but file and custom-parser ones (those keep Typer's)."""
    if param._runtime_param is None:
        descriptor = param.type_descriptor
        if descriptor.file_annotation is None and descriptor.parameter_info.parser is None:
            param._runtime_param = _QuickCoercion(descriptor)
        else:
            from typer._coercion import build_runtime_param

            param._runtime_param = build_runtime_param(descriptor)
    return param._runtime_param


def _install_quick_coercion() -> bool:
    """Route Typer's parameter conversion through :func:`_quick_runtime_param` (once per
    process; every Typer parameter, the help options Click adds at parse time too). A Typer
    without these internals is left as it is (False)."""
    from typer.core import _TyperParameter

    current = getattr(_TyperParameter, "get_runtime_param", None)
    if current is _quick_runtime_param:
        return True
    if current is None or "_runtime_param" not in getattr(_TyperParameter, "__annotations__", {}):
        return False
    _TyperParameter.get_runtime_param = _quick_runtime_param
    return True


class _TradecoopGroup(TyperGroup):
    """Root group: :class:`TradecoopError` -> one line, exit 1; usage errors -> one line, exit 2
    (Click's convention, without Rich's box); Ctrl-C / SIGTERM -> one line, exit 130 / 143."""

    def invoke(self, ctx: Context) -> Any:
        try:
            return super().invoke(ctx)
        except TradecoopError as exc:
            if os.environ.get(_DEBUG_ENV) == "1":
                raise
            typer.echo(f"error: {speak_flags(str(exc), self, ctx)}", err=True)
            ctx.exit(1)
        except KeyboardInterrupt as exc:
            if os.environ.get(_DEBUG_ENV) == "1":
                raise
            line, code = _interrupted_line(exc)
            typer.echo(line, err=True)
            _REPORTED.append(True)
            ctx.exit(code)

    def main(self, args: Any = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True, **extra: Any) -> Any:
        _install_quick_coercion()
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            rv = super().main(args, prog_name, complete_var, False, **extra)
        except typer.Abort:
            typer.echo("error: aborted", err=True)
            sys.exit(1)
        except Exception as exc:
            # Click's exceptions by name: Typer ships its own copy of Click (typer._click)
            kinds = {cls.__name__ for cls in type(exc).__mro__}
            if "NoArgsIsHelpError" in kinds:
                pass  # `tradecoop data`: Typer's Rich help is already printed (exit 2, as Click)
            elif "UsageError" in kinds:
                typer.echo(_usage_line(exc), err=True)
            elif "ClickException" in kinds:
                typer.echo(f"error: {' '.join(exc.format_message().split())}", err=True)
            else:
                raise
            sys.exit(exc.exit_code)
        if _SIGNALS and not _REPORTED:  # interrupted before a command ran (Typer exits 130)
            line, code = _interrupted_line(KeyboardInterrupt())
            typer.echo(line, err=True)
            sys.exit(code)
        sys.exit(rv if type(rv) is int else 0)


_PARAMETER = re.compile(r"`([a-z_][a-z0-9_]*)`")


def speak_flags(message: str, group: Any, ctx: Context) -> str:
    """The library names parameters (`hs_vintage`); the CLI user typed flags: each parameter of
    the invoked command (and its subcommands) named in backticks becomes its flag (`--hs-vintage`).
    Other backticked words are left as they are."""
    name = getattr(ctx, "invoked_subcommand", None)
    command = group.get_command(ctx, name) if name else None
    flags: dict[str, str] = {}
    stack = [command] if command is not None else []
    while stack:
        cmd = stack.pop()
        for param in getattr(cmd, "params", ()):
            long = [o for o in getattr(param, "opts", ()) if o.startswith("--")]
            if long and param.name:
                flags.setdefault(param.name, long[0])
        stack.extend(getattr(cmd, "commands", {}).values())
    return _PARAMETER.sub(lambda m: f"`{flags[m.group(1)]}`" if m.group(1) in flags else m.group(0), message)


def _version_callback(value: bool) -> None:
    if value:
        from tradecoop import __version__  # read lazily: importlib.metadata costs ~30 ms at start

        typer.echo(f"tradecoop {__version__}")
        raise typer.Exit()


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
    typer.echo(f"warning [{kind}]: {message}{where}", err=True)


def build_app(modules: tuple[str, ...] = FEATURE_MODULES) -> typer.Typer:
    """The root app with the commands of ``modules`` (all of them by default)."""
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
    app.callback()(_root)
    for name in modules:
        importlib.import_module(f"tradecoop.cli.{name}").register(app)
    return app


def _modules_for(argv: list[str]) -> tuple[str, ...]:
    """The feature modules a command line needs: the invoked command's only, or all of them
    (--help, --version, no command, an unknown name, shell completion)."""
    if any(key.endswith("_COMPLETE") for key in os.environ):  # Click's completion variable
        return FEATURE_MODULES
    for arg in argv:  # the root options (--debug, --version, --help) take no value
        if not arg.startswith("-"):
            module = COMMAND_MODULES.get(arg)
            return (module,) if module else FEATURE_MODULES
    return FEATURE_MODULES


def __getattr__(name: str) -> Any:
    """``app``: the whole command (every feature module), built on first access."""
    if name == "app":
        value = build_app()
        globals()["app"] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _on_signal(signum: int, _frame: Any) -> None:
    """Ctrl-C and SIGTERM stop a command the same way: cleanups run, then one line (exit 130 or
    143)."""
    _SIGNALS.append(signum)
    raise Interrupted()


def run() -> None:
    """Console-script entry point (warnings print as one line; tests keep Python's handler).

    The thread policy is set here, once, before any command imports numpy: BLAS gets one thread
    (:mod:`tradecoop.threads`; the variable passes on to ``serve``'s worker processes)."""
    from tradecoop.threads import set_compute_threads

    set_compute_threads()
    warnings.showwarning = _show_warning
    for signum in (signal.SIGINT, signal.SIGTERM):
        if signal.getsignal(signum) is not signal.SIG_IGN:  # e.g. nohup, background jobs
            signal.signal(signum, _on_signal)
    try:
        build_app(_modules_for(sys.argv[1:]))()
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
