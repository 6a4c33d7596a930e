"""`tradecoop complexity --dataset world_hs4_2017`: ECI for Belarus and Russia from the bundled data."""

from __future__ import annotations

import io
import math

import pandas as pd
from typer.testing import CliRunner

from tradecoop.cli.main import app


def test_bundled_world_gives_eci_for_belarus_and_russia() -> None:
    result = CliRunner().invoke(app, ["complexity", "--dataset", "world_hs4_2017", "--level", "location", "--format", "csv"])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(io.StringIO(result.stdout), dtype={"location": str})
    eci = frame.set_index("location")["eci"]
    assert math.isfinite(eci["BLR"]) and math.isfinite(eci["RUS"])
    # ECI is standardised over the countries of the matrix
    # (docs/complexity.md, the recipe (standardisation))
    assert abs(eci.mean()) < 0.05
    # and positively correlated with diversity across the world (Hidalgo & Hausmann 2009)
    assert frame["eci"].corr(frame["diversity"]) > 0
