"""The root command: --version, --help, error mapping."""

from __future__ import annotations

from typer.testing import CliRunner

from tradecoop import __version__
from tradecoop.cli.main import app

runner = CliRunner()


def test_version_prints_package_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"tradecoop {__version__}"


def test_help_lists_usage() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_unknown_command_is_a_usage_error() -> None:
    result = runner.invoke(app, ["no-such-command"])
    assert result.exit_code == 2


import pytest  # noqa: E402


@pytest.mark.parametrize("args, expected", [
    (["no-such-command"], "usage error: No such command 'no-such-command'. (see 'tradecoop --help')"),
    (["--nope"], "usage error: No such option: --nope (see 'tradecoop --help')"),
    (["data", "import", "bacix", "x.csv"],
     "usage error: Invalid value for 'FORMAT': 'bacix' is not one of 'baci', 'comtrade', "
     "'fcs-region', 'csv'. (see 'tradecoop data import --help')"),
    (["data", "import", "baci"],
     "usage error: Missing argument 'PATH...'. (see 'tradecoop data import --help')"),
    (["data", "list", "--format", "xml"],
     "usage error: Invalid value for '--format' / '-f': 'xml' is not one of 'table', 'json', "
     "'csv'. (see 'tradecoop data list --help')"),
])
def test_usage_errors_are_one_line_with_exit_code_2(args, expected) -> None:
    result = runner.invoke(app, args, env={"COLUMNS": "80"})
    assert result.exit_code == 2
    assert result.output.splitlines() == [expected]  # no Rich box, no usage block


def test_no_arguments_prints_the_help_once() -> None:
    result = runner.invoke(app, ["data"])
    assert result.exit_code == 2 and result.output.count("Usage:") == 1
    assert "import" in result.output


# --- start-up: the invoked command's module only, conversion without pydantic (issue 16) ---

import enum  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import typer  # noqa: E402
import typer.main  # noqa: E402
from typer._coercion import build_runtime_param  # noqa: E402

from tradecoop.cli import main as cli_main  # noqa: E402


def _top_level_names(app_: typer.Typer) -> set[str]:
    return set(typer.main.get_command(app_).commands)


def test_command_modules_match_what_each_module_registers() -> None:
    for module in cli_main.FEATURE_MODULES:
        names = _top_level_names(cli_main.build_app((module,)))
        assert names == {n for n, m in cli_main.COMMAND_MODULES.items() if m == module}, module
    assert _top_level_names(app) == set(cli_main.COMMAND_MODULES)


@pytest.mark.parametrize("argv, modules", [
    (["complexity", "--input", "x.parquet"], ("complexity",)),
    (["--debug", "match", "Minsk"], ("registry",)),
    (["users", "list"], ("registry",)),
    (["--help"], cli_main.FEATURE_MODULES),
    ([], cli_main.FEATURE_MODULES),
    (["no-such-command"], cli_main.FEATURE_MODULES),
])
def test_only_the_invoked_commands_module_is_built(argv, modules, monkeypatch) -> None:
    monkeypatch.delenv("_TRADECOOP_COMPLETE", raising=False)
    assert cli_main._modules_for(argv) == modules


def test_shell_completion_builds_every_command(monkeypatch) -> None:
    monkeypatch.setenv("_TRADECOOP_COMPLETE", "bash_complete")
    assert cli_main._modules_for(["complexity"]) == cli_main.FEATURE_MODULES


def test_quick_coercion_is_installed_with_the_locked_typer() -> None:
    assert cli_main._install_quick_coercion()


class _Colour(enum.StrEnum):
    red = "red"
    green = "green"


def _typer_param(annotation, **option):
    """A parameter of a one-option Typer command, as Typer builds it."""
    def command(value=typer.Option(None, "--value", **option)) -> None:
        pass

    command.__annotations__ = {"value": annotation, "return": None}

    cmd = typer.main.get_command_from_info(
        typer.models.CommandInfo(callback=command), pretty_exceptions_short=True, rich_markup_mode=None)
    return next(p for p in cmd.params if p.name == "value")


_VALUES = ["5", "-5", "05", "+5", " 5", "5 ", "1_000", "1e3", "1.5", "-1.5e-3", "1.", "inf", "nan", "",
           "abc", "٣", "123456789012345678901234567890", "red", "RED", "green", "/tmp", "/tmp/", "x/y", "./x", "x//y", 0, 1, 2.5,
           True, None]


@pytest.mark.parametrize("annotation, option", [
    (str, {}), (int, {}), (float, {}), (int, {"min": 1, "max": 500}), (int, {"min": 1, "clamp": True}),
    (float, {"min": 0.0}), (_Colour, {}), (_Colour, {"case_sensitive": False}), (Path, {}),
    (Path, {"exists": True}), (Path, {"dir_okay": False}), (bool, {}), (list[str], {}), (list[int], {}),
])
def test_quick_coercion_gives_typers_values_and_messages(annotation, option) -> None:
    param = _typer_param(annotation, **option)
    quick = cli_main._QuickCoercion(param.type_descriptor)
    slow = build_runtime_param(param.type_descriptor)
    ctx = typer.Context(typer.main.get_command_from_info(
        typer.models.CommandInfo(callback=lambda: None), pretty_exceptions_short=True, rich_markup_mode=None))
    values = _VALUES + ([("5", "7"), ["a"], ()] if annotation in (list[str], list[int]) else [])
    for value in values:
        outcomes = []
        for conversion in (quick, slow):
            try:
                got = conversion.coerce(value, param=param, ctx=ctx)
                outcomes.append(("ok", type(got), got if got == got else "nan"))
            except Exception as exc:  # noqa: BLE001 - the message is what is compared
                outcomes.append(("error", type(exc), exc.format_message() if hasattr(exc, "format_message") else str(exc)))
        assert outcomes[0] == outcomes[1], (annotation, option, value)


def test_a_complexity_run_imports_neither_pydantic_nor_other_commands(tmp_path) -> None:
    import numpy as np
    import pandas as pd

    src, out = tmp_path / "in.parquet", tmp_path / "out.parquet"
    rng = np.random.default_rng(16)
    locations, products = np.meshgrid(list("ABCDE"), [f"p{i}" for i in range(8)], indexing="ij")
    pd.DataFrame({"year": 2020, "location": locations.ravel(), "product": products.ravel(),
                  "value": rng.lognormal(size=40)}).to_parquet(src, index=False)
    code = (
        "import sys\n"
        "from tradecoop.cli.main import run\n"
        f"sys.argv = ['tradecoop', 'complexity', '--input', {str(src)!r}, '--format', 'parquet', "
        f"'--out', {str(out)!r}, '--threshold', '1']\n"
        "try:\n    run()\nexcept SystemExit as exc:\n    assert exc.code == 0, exc.code\n"
        "print(sorted(m for m in ('pydantic', 'click', 'pandas', 'tradecoop.cli.profile', "
        "'tradecoop.cli.registry', 'importlib.metadata') if m in sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]", proc.stderr
    assert out.exists()


@pytest.mark.parametrize("annotation, value, expected", [
    (str, "x", "x"), (int, "-5", -5), (float, "1.5e3", 1500.0), (float, 1, 1.0), (_Colour, "red", _Colour.red),
    (Path, "/tmp", Path("/tmp")), (list[str], ("a", "b"), ["a", "b"]), (list[int], ("1", "2"), [1, 2]),
])
def test_plain_values_are_converted_without_typers_pydantic_path(annotation, value, expected) -> None:
    param = _typer_param(annotation)
    quick = cli_main._QuickCoercion(param.type_descriptor)
    got = quick.coerce(value, param=param, ctx=None)
    assert got == expected and type(got) is type(expected)
    assert quick.slow is None
