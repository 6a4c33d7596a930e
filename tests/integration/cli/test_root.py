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
