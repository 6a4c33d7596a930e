"""The one-pass typed BACI import writes exactly what the text path writes, and is really used.

Every bad-input test of ``test_baci.py`` and ``test_bad_files.py`` runs through it too: it must
give up on each of them so that the text path names the problem.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from tradecoop.data.sources import _stage, baci, import_files
from tradecoop.data.store import open_store
from tradecoop.data.synthetic import generate_baci
from tradecoop.errors import DataQualityWarning

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "data" / "baci"


def _both(files: list[Path], tmp_path: Path, monkeypatch) -> tuple[object, object, list, list]:
    """Import with the fast path and with the text path; returns the two stores' outcomes and
    the warnings each gave."""
    out = []
    for fast in (True, False):
        monkeypatch.setattr(baci, "FAST_PATH", fast)
        store = open_store(tmp_path / f"store_{fast}")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", DataQualityWarning)
            outcome = import_files("baci", files, store=store, name="b")
        out.append((store, outcome, [str(w.message) for w in caught]))
    (fast_store, fast, fast_w), (slow_store, slow, slow_w) = out
    return (fast_store, fast, fast_w), (slow_store, slow, slow_w)


def _assert_same(fast, slow) -> None:
    (fast_store, fast_out, fast_w), (slow_store, slow_out, slow_w) = fast, slow
    keys = ["year", "exporter", "importer", "product"]  # the text path's joins may reorder rows
    left = fast_store.frame("b").sort_values(keys).reset_index(drop=True)
    right = slow_store.frame("b").sort_values(keys).reset_index(drop=True)
    pd.testing.assert_frame_equal(left, right, check_exact=True)
    assert left.dtypes.to_dict() == right.dtypes.to_dict()
    assert fast_out.info.notes == slow_out.info.notes
    assert fast_out.info.rows == slow_out.info.rows and fast_out.info.years == slow_out.info.years
    assert fast_w == slow_w


def test_fixture_same_table_notes_and_warnings(tmp_path, monkeypatch):
    """Dropped 'Other Asia' rows, NA and padded quantities, leading-zero products."""
    fast, slow = _both([FIXTURE / "BACI_HS17_Y2022_V202401.csv"], tmp_path, monkeypatch)
    _assert_same(fast, slow)
    assert fast[1].info.rows == 4


def test_synthetic_years_same_table(tmp_path, monkeypatch):
    src = generate_baci(tmp_path / "src", n_countries=40, n_products=300, years=(2020, 2021),
                        target_rows=20_000, seed=3)
    files = sorted(src.glob("BACI_*.csv"))
    fast, slow = _both(files, tmp_path, monkeypatch)
    _assert_same(fast, slow)
    assert fast[1].info.years == (2020, 2021)


def test_clean_file_never_reaches_the_text_path(tmp_path, monkeypatch):
    def no_text_path(*args, **kwargs):
        raise AssertionError("the text path ran on a clean file")

    monkeypatch.setattr(_stage.Stage, "load", no_text_path)
    src = generate_baci(tmp_path / "src", n_countries=30, n_products=200, years=(2022,),
                        target_rows=5_000, seed=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        outcome = import_files("baci", sorted(src.glob("BACI_*.csv")),
                               store=open_store(tmp_path / "s"), name="b")
    assert outcome.info.rows > 0
    # the hand-written fixture is not sorted: its keys are checked by sorting them
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        outcome = import_files("baci", [FIXTURE / "BACI_HS17_Y2022_V202401.csv"],
                               store=open_store(tmp_path / "s"), name="fixture")
    assert outcome.info.rows == 4


@pytest.mark.parametrize("old, new", [
    ("2022,643,112,310420,10.25,3", "2022,643,112,310420,10.25,-3"),     # negative quantity
    ("2022,643,112,310420,10.25,3", "2022,643,112,310420,1e400,3"),      # infinite value
    ("2022,643,112,310420,10.25,3", "2022,643,112,+10420,10.25,3"),      # not six digits
    ("2022,643,112,310420,10.25,3", "2022,643,112,310420,10.25,x"),      # quantity text
    ("2022,643,112,310420,10.25,3", "2022,643,112,310420,10.25,NaN"),    # quantity NaN
    ("2022,643,112,310420,10.25,3", "2022,643,112,31042,10.25,3"),       # padded to 031042
    ("2022,643,112,310420,10.25,3", "2022, 643 ,112,310420,10.25,3"),    # blanks in a code
    ("2022,643,112,310420,10.25,3", "2022,643,112,3104209,10.25,3"),     # 7 digits: not cut
])
def test_edge_values_same_outcome_as_text_path(old, new, tmp_path, monkeypatch):
    """Accepted by both with the same table, or rejected by both with the same message."""
    from tradecoop.errors import DataValidationError

    data = tmp_path / "in" / "BACI_HS17_Y2022_V202401.csv"
    data.parent.mkdir()
    for f in FIXTURE.iterdir():
        (data.parent / f.name).write_bytes(f.read_bytes())
    text = data.read_text()
    assert old in text
    data.write_text(text.replace(old, new))
    results = []
    for fast in (True, False):
        monkeypatch.setattr(baci, "FAST_PATH", fast)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DataQualityWarning)
                import_files("baci", [data], store=open_store(tmp_path / f"s{fast}"), name="b")
            results.append(open_store(tmp_path / f"s{fast}").frame("b"))
        except DataValidationError as exc:
            results.append(str(exc))
    if isinstance(results[0], str) or isinstance(results[1], str):
        assert results[0] == results[1]
    else:
        keys = ["year", "exporter", "importer", "product"]
        pd.testing.assert_frame_equal(results[0].sort_values(keys).reset_index(drop=True),
                                      results[1].sort_values(keys).reset_index(drop=True),
                                      check_exact=True)


def test_files_sharing_a_year_go_to_the_text_path(tmp_path, monkeypatch):
    """Keys are compared within a file; two files of one year need the text path's check."""
    from tradecoop.errors import DataValidationError

    src = tmp_path / "in"
    src.mkdir()
    for f in FIXTURE.iterdir():
        (src / f.name).write_bytes(f.read_bytes())
    lines = (src / "BACI_HS17_Y2022_V202401.csv").read_text().splitlines(keepends=True)
    (src / "BACI_HS17_Y2022_V202401.csv").write_text("".join(lines[:3]))
    (src / "BACI_HS17_Y2022_V202401b.csv").write_text(lines[0] + "".join(lines[3:]))
    files = [src / "BACI_HS17_Y2022_V202401.csv", src / "BACI_HS17_Y2022_V202401b.csv"]
    fast, slow = _both(files, tmp_path, monkeypatch)
    _assert_same(fast, slow)
    assert fast[1].info.rows == 4
    (src / "BACI_HS17_Y2022_V202401b.csv").write_text(lines[0] + lines[1])  # a duplicate
    monkeypatch.setattr(baci, "FAST_PATH", True)
    with pytest.raises(DataValidationError, match=r"BACI_HS17_Y2022_V202401b.csv, line 2: "
                                                  r"duplicate key"):
        import_files("baci", files, store=open_store(tmp_path / "dup"), name="b")
