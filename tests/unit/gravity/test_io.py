"""read_panel: CSV, Parquet, Stata and R files; clear errors otherwise."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tradecoop.errors import DataValidationError, NotFoundError
from tradecoop.gravity import read_panel

FRAME = pd.DataFrame({"exporter": ["A", "B"], "importer": ["B", "A"], "year": [2000, 2000], "trade": [1.5, 0.0]})


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".dta"])
def test_round_trip(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"panel{suffix}"
    {".csv": lambda p: FRAME.to_csv(p, index=False), ".parquet": FRAME.to_parquet,
     ".dta": lambda p: FRAME.to_stata(p, write_index=False)}[suffix](path)
    back = read_panel(path)
    pd.testing.assert_frame_equal(back[FRAME.columns].reset_index(drop=True), FRAME, check_dtype=False)


def test_r_file(tmp_path: Path) -> None:
    import pyreadr

    path = tmp_path / "panel.rds"
    pyreadr.write_rds(str(path), FRAME)
    assert read_panel(path)["trade"].tolist() == [1.5, 0.0]


def test_unsupported_suffix(tmp_path: Path) -> None:
    path = tmp_path / "panel.xlsx"
    path.write_bytes(b"x")
    with pytest.raises(DataValidationError, match="unsupported file type '.xlsx'; expected one of .csv"):
        read_panel(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="does not exist"):
        read_panel(tmp_path / "nope.csv")


def test_corrupt_parquet(tmp_path: Path) -> None:
    path = tmp_path / "bad.parquet"
    path.write_text("not parquet")
    with pytest.raises(DataValidationError, match="could not read as parquet"):
        read_panel(path)
