"""BACI importer: units, code mapping, idempotence, and every kind of bad input.

Fixture ``tests/fixtures/data/baci/BACI_HS17_Y2022_V202401.csv`` (hand-written, 5 rows)::

    t,i,j,k,v,q
    2022,112,643,870192,1500.5,120.0     BLR->RUS tractors: 1500.5 thousand USD = 1,500,500 USD
    2022,112,643,040690,2000,NA          BLR->RUS cheese: 2,000,000 USD, quantity unknown
    2022,643,112,310420,10.25,3          RUS->BLR potash: 10,250 USD
    2022,112,251,870192,7,1              BLR->FRA (BACI 251 = France incl. Monaco): 7,000 USD
    2022,490,112,870192,4,2              490 'Other Asia, nes' has no ISO code -> dropped
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from tradecoop.data.sources import import_files
from tradecoop.errors import DataQualityWarning, DataValidationError

DATA = "BACI_HS17_Y2022_V202401.csv"


def _import(baci_dir: Path, store, data: str = DATA, **kw):
    files = [baci_dir / data, baci_dir / "country_codes_V202401.csv",
             baci_dir / "product_codes_HS17_V202401.csv"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        return import_files("baci", files, store=store, name=kw.pop("name", "baci"), **kw)


def _rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text  # guards the test itself, not user input
    path.write_text(text.replace(old, new))


def test_import_converts_thousand_usd_to_usd_and_maps_codes(baci_dir, store):
    with pytest.warns(DataQualityWarning, match=r"dropped 1 rows .*exporter.*490"):
        outcome = import_files("baci", [baci_dir / DATA], store=store, name="baci")
    frame = store.frame("baci").set_index(["exporter", "importer", "product"])
    assert outcome.status == "imported"
    assert len(frame) == 4
    assert frame.loc[("BLR", "RUS", "870192"), "value_usd"] == pytest.approx(1_500_500.0)
    assert frame.loc[("RUS", "BLR", "310420"), "value_usd"] == pytest.approx(10_250.0)
    assert frame.loc[("BLR", "FRA", "870192"), "value_usd"] == pytest.approx(7_000.0)
    assert frame.loc[("BLR", "RUS", "870192"), "quantity"] == pytest.approx(120.0)
    assert frame.loc[("BLR", "RUS", "040690"), "quantity"] != frame.loc[("BLR", "RUS", "040690"), "quantity"]  # NaN
    assert set(frame["hs_vintage"]) == {"HS17"} and not frame["estimated"].any()
    info = store.info("baci")
    assert info.source == "CEPII BACI HS17 V202401"
    assert info.years == (2022, 2022) and info.hs_vintage == "HS17" and info.rows == 4
    # the code files found beside the data file are part of the provenance and the hash
    assert info.files == (DATA, "country_codes_V202401.csv", "product_codes_HS17_V202401.csv")
    assert len(info.content_hash) == 64


def test_reimport_is_idempotent(baci_dir, store, snap):
    _import(baci_dir, store)
    before = snap()
    again = _import(baci_dir, store)
    assert again.status == "unchanged"
    assert snap() == before
    assert len(store.frame("baci")) == 4  # no duplicated rows


def test_changed_file_replaces_dataset(baci_dir, store):
    _import(baci_dir, store)
    _rewrite(baci_dir / DATA, "2022,112,251,870192,7,1\n", "")
    outcome = _import(baci_dir, store)
    assert outcome.status == "replaced" and len(store.frame("baci")) == 3


def test_location_product_values_sums_over_importers(baci_dir, store):
    _import(baci_dir, store)
    lpv = store.location_product_values("baci").execute().set_index(["location", "product"])
    # BLR tractors: 1,500,500 (to RUS) + 7,000 (to FRA) = 1,507,500
    assert lpv.loc[("BLR", "870192"), "value"] == pytest.approx(1_507_500.0)
    assert list(lpv.columns) == ["year", "value"]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("t,i,j,k,v,q", "t,i,j,k,val,q", r"BACI_HS17_Y2022_V202401\.csv, line 1 \(header\): missing column 'v'; did you mean 'val'\?"),
        ("2022,643,112,310420,10.25,3", "2022,643,112,310420,ten,3", r"line 4, column 'v': expected a number, found 'ten'"),
        ("2022,643,112,310420,10.25,3", "2022,643,112,310420,-10.25,3", r"line 4, column 'v': expected a non-negative value, found -10.25"),
        ("2022,112,251,870192,7,1", "2022,112,999,870192,7,1", r"line 5, column 'j': unknown importer code '999' \(not in country_codes_V202401\.csv\)"),
        ("2022,112,251,870192,7,1", "2022,112,251,870190,7,1", r"line 5, column 'k': unknown product code '870190' \(not in product_codes_HS17_V202401\.csv\)"),
        ("2022,112,251,870192,7,1", "2022,112,251,870192,7,1\n2022,112,643,040690,1,1", r"line 6: duplicate key \(t=2022, i=BLR, j=RUS, k=040690\); first seen at BACI_HS17_Y2022_V202401\.csv, line 3"),
        ("2022,112,251,870192,7,1", "20x2,112,251,870192,7,1", r"line 5, column 't': expected a number, found '20x2'"),
    ],
    ids=["misspelt-column", "non-numeric", "negative", "unknown-location", "unknown-product",
         "duplicate-key", "bad-year"],
)
def test_bad_input_is_rejected_and_store_unchanged(baci_dir, store, snap, old, new, expected):
    _import(baci_dir, store)
    before = snap()
    _rewrite(baci_dir / DATA, old, new)
    with pytest.raises(DataValidationError, match=expected):
        _import(baci_dir, store)
    assert snap() == before


def test_failed_first_import_leaves_no_trace(baci_dir, store, snap):
    before = snap()
    _rewrite(baci_dir / DATA, "10.25", "-1")
    with pytest.raises(DataValidationError):
        _import(baci_dir, store)
    assert snap() == before


def test_mixed_hs_vintages_rejected(baci_dir, store, snap):
    _import(baci_dir, store)
    before = snap()
    other = baci_dir / "BACI_HS12_Y2021_V202401.csv"
    other.write_text("t,i,j,k,v,q\n2021,112,643,870190,1,1\n")
    with pytest.raises(DataValidationError, match=r"mixed HS vintages.*HS17.*HS12"):
        import_files("baci", [baci_dir / DATA, other], store=store, name="baci")
    assert snap() == before


def test_error_in_second_file_names_that_file_and_its_line(baci_dir, store):
    second = baci_dir / "BACI_HS17_Y2021_V202401.csv"
    second.write_text("t,i,j,k,v,q\n2021,112,643,870192,1,1\n2021,112,643,040690,x,1\n")
    with pytest.raises(DataValidationError, match=r"BACI_HS17_Y2021_V202401\.csv, line 3, column 'v'"):
        import_files("baci", [baci_dir / DATA, second], store=store, name="baci")


def test_file_name_without_vintage_needs_hs_vintage(baci_dir, store):
    plain = baci_dir / "flows.csv"
    plain.write_text((baci_dir / DATA).read_text())
    with pytest.raises(DataValidationError, match=r"flows\.csv: cannot read HS vintage"):
        import_files("baci", [plain], store=store, name="x")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        outcome = import_files("baci", [plain], store=store, name="x", hs_vintage="HS17")
    assert outcome.info.hs_vintage == "HS17" and outcome.info.rows == 4
