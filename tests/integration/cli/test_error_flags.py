"""Library errors name parameters (`hs_vintage`); the CLI shows the flag the user typed (`--hs-vintage`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tradecoop.cli.main import app
from tradecoop.errors import DataValidationError
from tradecoop.opportunities.engine import rank_opportunities

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "data"
runner = CliRunner()


def test_the_library_speaks_of_parameters():
    with pytest.raises(DataValidationError, match="`top` must be at least 1"):
        rank_opportunities(None, top=0)  # checked before the context is read


@pytest.mark.parametrize(("args", "shown"), [
    (["data", "import", "baci", str(FIXTURES / "baci" / "BACI_HS17_Y2022_V202401.csv"), "--name", "world_hs4_2017"],
     "import under another `--name`"),
    (["data", "import", "csv", "{csv}", "--map", "year=a"], "`--map`: missing field(s) exporter, product, value"),
])
def test_the_cli_speaks_of_flags(args, shown, store_dir, tmp_path):
    csv = tmp_path / "x.csv"
    csv.write_text("a,b\n1,2\n", encoding="utf-8")
    result = runner.invoke(app, [a.replace("{csv}", str(csv)) for a in args] + ["--store", str(store_dir)])
    assert result.exit_code == 1
    assert shown in result.output and "`name`" not in result.output and "`mapping`" not in result.output
