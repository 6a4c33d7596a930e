"""Year-by-year complexity: iter_complexity, Arrow input and output, and the streaming CLI.

The reference in every test is the library's own pandas path (``compute_complexity`` on a
DataFrame, ``to_frame()``), itself checked against Stata in tests/validation/.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from tradecoop.cli.main import app
from tradecoop.complexity import compute_complexity, iter_complexity
from tradecoop.complexity.tidy import _arrow_codes, _factorize_sorted
from tradecoop.errors import DataValidationError

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "ecomplexity" / "trade_data_sample.csv"
#: floats written to CSV and read back (pandas writes the shortest repr that round-trips)
CSV_RTOL = 1e-15
ARRAYS = ("values", "rca", "m", "eci", "pci", "density", "cog", "coi")


def _tidy() -> pd.DataFrame:
    return pd.read_csv(FIXTURE, dtype={"hs92": str}).rename(
        columns={"origin": "location", "hs92": "product", "export_val": "value"})


def _same_year(a, b) -> None:
    assert a.year == b.year
    np.testing.assert_array_equal(a.locations, b.locations)
    np.testing.assert_array_equal(a.products, b.products)
    for name in ARRAYS:  # same arrays in the same order: bit for bit
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)


@pytest.mark.parametrize("as_arrow", [False, True])
def test_iter_complexity_yields_compute_complexity_year_by_year(as_arrow):
    frame = _tidy()
    whole = compute_complexity(frame)
    given = pa.Table.from_pandas(frame, preserve_index=False) if as_arrow else frame
    years = list(iter_complexity(given))
    assert [y.year for y in years] == whole.years == [1995, 1996]
    for year in years:
        _same_year(year, whole[year.year])


def test_arrow_dictionary_labels_give_the_same_result_as_text():
    frame = _tidy()
    table = pa.Table.from_pandas(frame, preserve_index=False)
    table = table.set_column(2, "product", table.column("product").dictionary_encode())
    # reversed row order: the dictionary is then in a different order from the sorted labels
    table = table.take(pa.array(np.arange(table.num_rows)[::-1]))
    for got, want in zip(iter_complexity(table), compute_complexity(frame).by_year.values(), strict=True):
        _same_year(got, want)


def test_to_arrow_is_to_frame():
    year = compute_complexity(_tidy())[1995]
    pd.testing.assert_frame_equal(year.to_arrow().to_pandas(), year.to_frame())


def test_factorize_keeps_only_used_categories_in_sorted_order():
    series = pd.Series(pd.Categorical(["b", "c", "b", None], categories=["z", "c", "b", "a"]))
    codes, labels = _factorize_sorted(series)
    assert labels.tolist() == ["b", "c"] and codes.tolist() == [0, 1, 0, -1]
    codes, labels = _arrow_codes(pa.chunked_array([pa.array(["b", "c"]), pa.array(["b", None])]))
    assert labels.tolist() == ["b", "c"] and codes.tolist() == [0, 1, 0, -1]


def test_every_year_is_checked_before_the_first_is_computed():
    frame = _tidy()
    frame = pd.concat([frame, frame[frame["year"] == 1996].head(1)], ignore_index=True)
    with pytest.raises(DataValidationError, match="must appear once"):
        iter_complexity(frame)  # raises here, not at the first next()


@pytest.mark.filterwarnings("ignore::tradecoop.errors.DataQualityWarning")
@pytest.mark.parametrize("year", [2017, None])
def test_only_special_codes_is_a_clear_error(year):
    frame = pd.DataFrame({"year": year, "location": ["A", "B"], "product": ["7108", "9999"], "value": [1.0, 2.0]})
    with pytest.raises(DataValidationError, match="no rows left|every value is 0"):
        compute_complexity(frame, year_col="year" if year else None)


def _cli(*args):
    return CliRunner().invoke(app, ["complexity", *args])


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_cli_streams_every_year_with_the_users_column_names(tmp_path, fmt):
    out = tmp_path / f"cells.{fmt}"
    res = _cli("--input", str(FIXTURE), "--location-col", "origin", "--product-col", "hs92",
               "--value-col", "export_val", "--format", fmt, "--out", str(out))
    assert res.exit_code == 0, res.output
    want = compute_complexity(_tidy()).to_frame().rename(columns={"location": "origin", "product": "hs92"})
    if fmt == "parquet":
        got = pd.read_parquet(out)
        for col in ("origin", "hs92"):
            assert isinstance(got[col].dtype, pd.CategoricalDtype)  # a Parquet dictionary
            got[col] = got[col].astype(str)
    else:
        got = pd.read_csv(out, dtype={"origin": str, "hs92": str})
    want = want.astype({"origin": str, "hs92": str})
    # CSV: M is read back as int64 (int8 in the frame), floats through their shortest repr
    pd.testing.assert_frame_equal(got, want, check_exact=fmt == "parquet", check_dtype=fmt == "parquet",
                                  rtol=CSV_RTOL)
    assert not list(tmp_path.glob(".*partial"))


def test_cli_parquet_dictionary_encoding_only_on_repeated_columns(tmp_path):
    out = tmp_path / "cells.parquet"
    res = _cli("--input", str(FIXTURE), "--location-col", "origin", "--product-col", "hs92",
               "--value-col", "export_val", "--format", "parquet", "--out", str(out))
    assert res.exit_code == 0, res.output
    meta = pq.ParquetFile(out).metadata.row_group(0)
    encoded = {meta.column(i).path_in_schema: "RLE_DICTIONARY" in meta.column(i).encodings
               for i in range(meta.num_columns)}
    assert encoded["origin"] and encoded["hs92"] and encoded["eci"] and encoded["pci"]
    assert not encoded["value"] and not encoded["rca"] and not encoded["density"]


def test_cli_failure_leaves_no_output(tmp_path):
    bad = tmp_path / "dup.csv"
    frame = _tidy()
    pd.concat([frame, frame.tail(1)]).to_csv(bad, index=False)
    out = tmp_path / "cells.parquet"
    res = _cli("--input", str(bad), "--format", "parquet", "--out", str(out))
    assert res.exit_code == 1 and "must appear once" in res.output
    assert list(tmp_path.iterdir()) == [bad]


def _threads_in_fresh_python(code: str, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**clean, **env}, check=True)
    return proc.stdout.strip()


def test_thread_policy_sets_blas_once_before_numpy_and_respects_the_user():
    show = ("from tradecoop.threads import set_compute_threads; import os; "
            "r = set_compute_threads(); print(r, os.environ.get('OPENBLAS_NUM_THREADS'))")
    assert _threads_in_fresh_python(show) == "True 1"
    assert _threads_in_fresh_python(show, OPENBLAS_NUM_THREADS="3") == "True 3"
    late = "import numpy; " + show
    assert _threads_in_fresh_python(late) == "False None"  # too late: BLAS has read its setting


def test_arrow_buffers_round_trip_without_pandas():
    """Arrow arrays wrapped from numpy buffers (and read back) equal pyarrow's own conversion,
    and a fresh process that uses them never imports pandas (the reason they exist)."""
    from tradecoop.complexity import arrow

    values = np.array([1.5, -0.0, np.inf, 3.25])
    assert arrow.from_numpy(values).equals(pa.array(values))
    assert arrow.from_numpy(values[::2]).equals(pa.array(values[::2]))  # strided: copied
    np.testing.assert_array_equal(arrow.to_numpy(pa.chunked_array([pa.array([1, 2]), pa.array([3])])), [1, 2, 3])
    with_nulls = pa.array([1.0, None, 2.0]).slice(1)  # an offset into the validity bitmap
    np.testing.assert_array_equal(arrow.to_numpy(with_nulls, null=np.nan), [np.nan, 2.0])
    with pytest.raises(ValueError, match="nulls"):
        arrow.to_numpy(with_nulls)
    labels = ["0101", "Беларусь", ""]
    assert arrow.strings(labels).equals(pa.array(labels, pa.string()))
    codes = np.array([2, 0, 1, 0])
    assert arrow.dictionary(codes, labels).to_pylist() == [labels[i] for i in codes]
    code = ("import sys, numpy as np; from tradecoop.complexity import arrow; "
            "a = arrow.from_numpy(np.arange(3.0)); d = arrow.dictionary(np.array([1, 0]), ['a', 'b']); "
            "x = arrow.to_numpy(a); print('pandas' in sys.modules)")
    assert _threads_in_fresh_python(code) == "False"
